"""Every staff action as one typed command, run by `execute` after the one permission check.

A shell (the Telegram staff commands, the command line, the web console) parses its input into one of
the commands below, calls `execute(db, command, actor=..., now=..., conversation=...)` in one
transaction, and renders the typed result its own way; it never decides who may do what. Refusals are
the errors of `casework.errors` with Swedish messages; a refused command changes nothing (the caller's
transaction rolls back). Reads (a case, the transcript, a file) are written to the access log with the
shell they came from.

Adding an action: a command here, a rule in `casework.permissions.ACTIONS`, a handler in
`casework.handlers` (or `casework.translating`), and a renderer in each shell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlmodel import Session

from casework.conversation import Conversation
from casework.errors import StaleCase, UnknownCase
from casework.permissions import Access, Actor, authorize
from casework.views import QueueFilters
from storage import casework as store

__all__ = [
    "AddNote", "AnswerOpenLine", "AssignInterpreter", "Claim", "CloseCase", "Command", "Context", "CorrectAnswer",
    "DraftLetter", "FileContent", "Help", "MonthReport", "OpenLine", "Reassign", "RecordStep", "Release",
    "ReopenCase", "Reply", "ReportLine", "Result", "ShowCase", "ShowDue", "ShowFile", "ShowQueue",
    "ShowTranscript", "StopTranslating", "StrikeStep", "Translate", "Verify", "execute",
]


class Command:
    """A staff action; `action` names its rule in `casework.permissions.ACTIONS`."""

    action: ClassVar[str]
    changes_case: ClassVar[bool] = False  # counts as a change for the optimistic check (`version`)

    @property
    def case(self) -> str | None:
        return getattr(self, "reference", None)


# ------------------------------------------------------------------------------ reads
@dataclass(frozen=True)
class Help(Command):
    action: ClassVar[str] = "help"


@dataclass(frozen=True)
class ShowQueue(Command):
    filters: QueueFilters = field(default_factory=QueueFilters)
    action: ClassVar[str] = "queue"


@dataclass(frozen=True)
class ShowDue(Command):
    """Open cases whose IVO clock is overdue or runs out within 7 days."""

    action: ClassVar[str] = "due"


@dataclass(frozen=True)
class ShowCase(Command):
    reference: str
    action: ClassVar[str] = "read_case"


@dataclass(frozen=True)
class ShowTranscript(Command):
    reference: str
    purpose: str = "transcript"  # what the read was for, in the access log (transcript:html ...)
    action: ClassVar[str] = "read_transcript"


@dataclass(frozen=True)
class ShowFile(Command):
    """A file the person sent (voice message, photo, document), by its transcript line."""

    reference: str
    line: int
    action: ClassVar[str] = "read_file"


@dataclass(frozen=True)
class MonthReport(Command):
    month: str  # ÅÅÅÅ-MM
    action: ClassVar[str] = "stats"


# ------------------------------------------------------------------------------ casework
@dataclass(frozen=True)
class Claim(Command):
    reference: str
    action: ClassVar[str] = "claim"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class Release(Command):
    reference: str
    action: ClassVar[str] = "release"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class Reassign(Command):
    reference: str
    to: str  # staff id, Telegram id or e-mail of the caseworker who takes over
    action: ClassVar[str] = "reassign"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class RecordStep(Command):
    """A dated step; `fields` are raw (`casework.steps.step_data` checks them), `on` ÅÅÅÅ-MM-DD or today."""

    reference: str
    step: str  # the id or its Swedish name
    on: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    action: ClassVar[str] = "step"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class AddNote(Command):
    reference: str
    text: str
    action: ClassVar[str] = "note"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class StrikeStep(Command):
    """Strike a wrong step through, with why; it stays in the timeline."""

    reference: str
    event_id: int
    reason: str
    action: ClassVar[str] = "strike"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class CorrectAnswer(Command):
    reference: str
    question: str
    value: str
    action: ClassVar[str] = "correct"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class CloseCase(Command):
    reference: str
    reason: str  # the id or its Swedish name
    action: ClassVar[str] = "close"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class ReopenCase(Command):
    reference: str
    reason: str
    action: ClassVar[str] = "reopen"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class AssignInterpreter(Command):
    reference: str
    interpreter: str  # staff id, Telegram id or e-mail
    action: ClassVar[str] = "assign_interpreter"
    changes_case: ClassVar[bool] = True


@dataclass(frozen=True)
class DraftLetter(Command):
    """A letter draft. The municipality's own facts come from the shell's configuration
    (INTAKE_COMMITTEE, INTAKE_SIGNATORY_ROLE); left empty, the draft shows a gap for them."""

    reference: str
    kind: str  # official, transfer, ivo
    committee: str = ""
    signatory_role: str = ""
    action: ClassVar[str] = "letter"


@dataclass(frozen=True)
class Reply(Command):
    """A message to the person in their language: a standard one (`kind` with its details) or free
    Swedish text, sent once an interpreter translated it, or at once in Swedish (`swedish`)."""

    reference: str
    kind: str | None = None  # received, call, meeting, lease
    details: tuple[str, ...] = ()
    text: str | None = None
    swedish: bool = False
    force: bool = False  # send although the person used the quick exit
    action: ClassVar[str] = "reply"
    changes_case: ClassVar[bool] = True


# ------------------------------------------------------------------------------ interpreting
@dataclass(frozen=True)
class OpenLine(Command):
    """The next line to translate (or line `line`); `hold` keeps it open for the interpreter's next
    plain message (Telegram)."""

    reference: str
    line: int | None = None
    after: int = 0
    hold: bool = False
    action: ClassVar[str] = "translate"


@dataclass(frozen=True)
class Translate(Command):
    """A Swedish translation of line `line` (a draft), or the translation of a caseworker's message
    `message` into the person's language (then sent)."""

    reference: str
    text: str
    line: int | None = None
    message: int | None = None
    action: ClassVar[str] = "translate"


@dataclass(frozen=True)
class AnswerOpenLine(Command):
    """An interpreter's plain message while a line is open: its translation (Telegram)."""

    text: str
    action: ClassVar[str] = "stop_translating"  # checked again on the open line's case


@dataclass(frozen=True)
class StopTranslating(Command):
    action: ClassVar[str] = "stop_translating"


@dataclass(frozen=True)
class Verify(Command):
    reference: str
    line: int | None = None  # None: every draft (an interpreter's own drafts)
    action: ClassVar[str] = "verify"


@dataclass(frozen=True)
class ReportLine(Command):
    """A wrong or unclear sentence of the bot's own text, to the language's catalog review list."""

    reference: str
    line: int
    part: int | None
    note: str
    action: ClassVar[str] = "report_line"


# ------------------------------------------------------------------------------ results
T = TypeVar("T")


@dataclass(frozen=True)
class Result(Generic[T]):
    """What every command answers: a Swedish sentence for the staff member, the case's reference and
    version, and the command's typed payload (`ShowCase` -> `CaseView`, `DraftLetter` -> `Letter`, ...;
    each handler in `casework.handlers` and `casework.translating` names its own)."""

    message: str
    data: T
    reference: str | None = None
    version: int | None = None  # the case's version after the command: what the next form sends back


@dataclass(frozen=True)
class FileContent:
    name: str  # a safe file name made here, never the sender's
    content: bytes
    kind: str  # voice, audio, photo, document, video, video_note
    mime: str | None


# ------------------------------------------------------------------------------ running one
@dataclass(frozen=True)
class Context:
    """What a handler gets: the transaction, who asks (checked), the case (checked), the clock, the port."""

    db: Session
    actor: Actor
    access: Access
    now: datetime
    conversation: Conversation

    @property
    def tag(self) -> str:
        return self.actor.tag

    def read(self, what: str) -> None:
        """Log a read of the case (who, when, what, from which shell)."""
        referral = self.access.referral
        assert referral is not None and referral.id is not None
        store.record_read(self.db, referral_id=referral.id, actor=self.tag, command=what, shell=self.actor.shell,
                          now=self.now)


Handler = Callable[[Context, Any], Result]
_HANDLERS: dict[type[Command], Handler] = {}


def handles(kind: type[Command]) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn
    return register


def _registry() -> dict[type[Command], Handler]:
    if not _HANDLERS:
        from casework import handlers, translating  # noqa: F401 - they register themselves

    return _HANDLERS


def execute(db: Session, command: Command, *, actor: Actor, now: datetime, conversation: Conversation,
            expected_version: int | None = None) -> Result:
    """Check, then run `command` in the caller's transaction. `expected_version` (from a form) refuses
    the command with `StaleCase` when the case changed since the form was shown."""
    handler = _registry()[type(command)]
    with db.begin_nested():  # a refusal, wherever it happens, leaves nothing behind
        access = _check(db, actor, command)
        referral = access.referral
        if referral is not None and referral.id is not None and type(command).changes_case:
            if not store.bump_version(db, referral_id=referral.id, expected=expected_version, now=now):
                raise StaleCase(referral.reference)
            db.refresh(referral)
        elif referral is not None and expected_version is not None and referral.version != expected_version:
            raise StaleCase(referral.reference)
        result = handler(Context(db, actor, access, now, conversation), command)
    if referral is not None:
        result = replace(result, reference=result.reference or referral.reference, version=referral.version)
    return result


def _check(db: Session, actor: Actor, command: Command) -> Access:
    if isinstance(command, AnswerOpenLine):
        from casework.translating import open_line_case

        reference = open_line_case(db, actor)  # the open line's case, checked like a named one
        if reference is not None:
            try:
                return authorize(db, actor, "translate", reference)
            except UnknownCase:
                pass  # no longer this interpreter's case: the handler closes the line
    return authorize(db, actor, command.action, command.case)

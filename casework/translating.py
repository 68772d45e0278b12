"""The interpreter's (tolkens) commands: the next line to translate, a translation, verifying drafts, a
report on a catalog sentence, the caseworker's messages they translate. Each handler runs after the
permission check (`casework.commands.execute`), in the caller's transaction.

Which lines of the transcript need Swedish, and their drafts and verification, is the conversation's
knowledge (`Conversation.next_open`, `add_translation`, `verify`, from `dialogs.translation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from casework.commands import (
    AnswerOpenLine,
    Context,
    FileContent,
    OpenLine,
    ReportLine,
    Result,
    StopTranslating,
    Translate,
    Verify,
    handles,
)
from casework.conversation import Line, NextLine
from casework.errors import CaseError, InvalidInput
from casework.handlers import file_of
from casework.interpreting import staff_name, translate_message
from casework.labels import language_sv
from casework.permissions import Actor
from casework.staff import Role
from storage import interpreting as store
from storage import repo
from storage.interpreting import CatalogReport
from storage.models import Referral

__all__ = ["LineToTranslate", "NothingOpen", "open_line_case"]


class NothingOpen(CaseError):
    """A plain message from an interpreter with no line open: it is not a translation (the intake's)."""

    def __init__(self) -> None:
        super().__init__("Ingen rad är öppen.")


@dataclass(frozen=True)
class LineToTranslate:
    """What an interpreter translates next: a line of the person's, or a caseworker's message; neither
    when everything has a translation."""

    left: int  # how many are open, this one included
    n: int | None = None
    at: datetime | None = None
    kind: str | None = None
    language: str | None = None
    text: str | None = None  # the person's words, verbatim
    translatable: bool = False  # False: a line shown for context, nothing to translate
    current: tuple[str, str] | None = None  # (draft|verified, text) of the line's translation
    file: FileContent | None = None
    file_missing: str | None = None  # why a file line has no file (not fetched, too large ...)
    message_id: int | None = None  # a caseworker's message to translate into the person's language
    message_author: str | None = None
    message_sv: str | None = None

    @property
    def done(self) -> bool:
        return self.n is None and self.message_id is None


def open_line_case(db: Session, actor: Actor) -> str | None:
    """The reference of the line this staff member has open (Telegram's /translate), if any."""
    state = store.get_translating(db, staff_id=actor.staff_id) if actor.staff_id is not None else None
    referral = db.get(Referral, state.referral_id) if state is not None else None
    return referral.reference if referral is not None else None


def _referral(ctx: Context) -> Referral:
    referral = ctx.access.referral
    assert referral is not None and referral.id is not None
    return referral


def _line_view(ctx: Context, referral: Referral, nxt: NextLine, hold: bool) -> LineToTranslate:
    """One line to translate; with `hold`, the interpreter's next plain message is its translation."""
    staff_id = ctx.access.staff.id
    assert referral.id is not None and staff_id is not None
    if nxt.line is None and nxt.message is None:
        if hold:
            store.stop_translating(ctx.db, staff_id=staff_id)
        return LineToTranslate(left=0)
    if hold:
        if nxt.message is not None or (nxt.line is not None and nxt.line.translatable):
            store.set_translating(ctx.db, staff_id=staff_id, referral_id=referral.id,
                                  entry_id=nxt.line.entry.id if nxt.line else None,
                                  message_id=nxt.message.id if nxt.message else None, now=ctx.now)
        else:
            store.stop_translating(ctx.db, staff_id=staff_id)  # a line for context only: nothing to answer
    if nxt.message is not None:
        m = nxt.message
        return LineToTranslate(left=nxt.left, message_id=m.id, message_author=staff_name(ctx.db, m.author),
                               message_sv=m.text_sv, language=m.language)
    assert nxt.line is not None
    entry, n = nxt.line.entry, nxt.line.n
    ctx.read(f"line:{n}")  # the person's words, shown to the interpreter: a read like any other
    current = store.current_translations(ctx.db, entry_ids=[entry.id] if entry.id else []).get(entry.id or -1)
    file, missing = None, None
    if entry.direction == "in" and entry.kind in store.FILE_KINDS:
        try:
            file = file_of(ctx, referral, n)
        except InvalidInput:
            row = store.files_of(ctx.db, entry_ids=[entry.id] if entry.id else []).get(entry.id or -1)
            missing = row.status if row else "not_fetched"
    return LineToTranslate(left=nxt.left, n=n, at=entry.at, kind=entry.kind,
                           language=entry.language or referral.language, text=entry.text,
                           translatable=nxt.line.translatable,
                           current=(current.status, current.text) if current is not None else None,
                           file=file, file_missing=missing)


@handles(OpenLine)
def _open_line(ctx: Context, cmd: OpenLine) -> Result[LineToTranslate]:
    referral = _referral(ctx)
    port = ctx.conversation
    if cmd.line is not None:
        nxt: NextLine = _Shown(port.line(ctx.db, referral, cmd.line))
    else:
        nxt = port.next_open(ctx.db, referral, after=cmd.after)
    view = _line_view(ctx, referral, nxt, cmd.hold)
    if view.done:
        return Result(f"Allt i {referral.reference} har en översättning. Verifiera dina utkast när du har "
                      f"kontrollerat dem.", view)
    return Result("", view)


@dataclass(frozen=True)
class _Shown:
    """A line asked for by its number (it may be translated already)."""

    line: Line
    message: None = None
    left: int = 0


def _translate_message(ctx: Context, referral: Referral, message_id: int, text: str) -> str:
    message = translate_message(ctx.db, referral=referral, message_id=message_id, text=text, actor=ctx.tag,
                                now=ctx.now)
    ctx.conversation.deliver(ctx.db, referral=referral, message=message, now=ctx.now)
    repo.add_referral_event(ctx.db, referral_id=referral.id or 0, kind="reply_sent", actor=ctx.tag, now=ctx.now,
                            data={"message": message.id})
    return f"{referral.reference}: meddelande r{message.id} är översatt och skickat till personen."


@handles(Translate)
def _translate(ctx: Context, cmd: Translate) -> Result[None]:
    referral = _referral(ctx)
    if cmd.message is not None:
        return Result(_translate_message(ctx, referral, cmd.message, cmd.text), None)
    if cmd.line is None:
        raise InvalidInput("Ange raden (eller meddelandet) som översättningen gäller.")
    ctx.conversation.add_translation(ctx.db, referral=referral, n=cmd.line, text=cmd.text, actor=ctx.tag, now=ctx.now)
    return Result(f"{referral.reference} rad {cmd.line}: utkast sparat.", None)


@handles(AnswerOpenLine)
def _answer(ctx: Context, cmd: AnswerOpenLine) -> Result[LineToTranslate | None]:
    staff_id = ctx.access.staff.id
    assert staff_id is not None
    state = store.get_translating(ctx.db, staff_id=staff_id)
    if state is None:
        raise NothingOpen()
    referral = ctx.access.referral
    if referral is None or referral.id != state.referral_id:
        store.stop_translating(ctx.db, staff_id=staff_id)
        return Result("Översättningen är avslutad: du är inte längre tolk i ärendet.", None)
    if state.message_id is not None:
        done, after = _translate_message(ctx, referral, state.message_id, cmd.text), 0
    elif state.transcript_entry_id is not None:
        after = store.line_of_entry(ctx.db, person_id=referral.person_id, entry_id=state.transcript_entry_id)
        ctx.conversation.add_translation(ctx.db, referral=referral, n=after, text=cmd.text, actor=ctx.tag, now=ctx.now)
        done = f"Rad {after}: utkast sparat."
    else:
        store.stop_translating(ctx.db, staff_id=staff_id)
        raise NothingOpen()
    nxt = _line_view(ctx, referral, ctx.conversation.next_open(ctx.db, referral, after=after), hold=True)
    if nxt.done:
        done += f" Allt i {referral.reference} har en översättning."
    return Result(done, nxt)


@handles(StopTranslating)
def _stop(ctx: Context, cmd: StopTranslating) -> Result[None]:
    staff_id = ctx.access.staff.id
    stopped = staff_id is not None and store.stop_translating(ctx.db, staff_id=staff_id)
    return Result("Översättningen är avslutad." if stopped else "Du översätter ingenting just nu.", None)


@handles(Verify)
def _verify(ctx: Context, cmd: Verify) -> Result[int]:
    referral = _referral(ctx)
    only_by = ctx.tag if ctx.access.staff.role == Role.INTERPRETER else None
    count = ctx.conversation.verify(ctx.db, referral=referral, actor=ctx.tag, now=ctx.now, n=cmd.line,
                                    only_by=only_by)
    where = f"rad {cmd.line}" if cmd.line is not None else "dina utkast" if only_by else "alla utkast"
    plural = count != 1
    noun = "översättningar verifierade" if plural else "översättning verifierad"
    return Result(f"{referral.reference}: {count} {noun} ({where}).", count)


@handles(ReportLine)
def _report_line(ctx: Context, cmd: ReportLine) -> Result[None]:
    referral = _referral(ctx)
    note = cmd.note.strip()
    if not note:
        raise InvalidInput("Skriv vad som är fel eller oklart i meningen.")
    if len(note) > 2000:
        raise InvalidInput(f"Anteckningen: högst 2000 tecken (nu {len(note)}).")
    entry = ctx.conversation.line(ctx.db, referral, cmd.line).entry
    language = entry.language or referral.language
    sentences = ctx.conversation.catalog_sentences(entry, language)
    n = cmd.line
    if not sentences:
        raise InvalidInput(f"Rad {n} är inte botens egen text.")
    if cmd.part is None and len(sentences) > 1:
        listing = "\n".join(f"{n}.{i}: {x.msgid[:80]}" for i, x in enumerate(sentences, start=1))
        raise InvalidInput(f"Rad {n} har {len(sentences)} delar; ange vilken (t.ex. {n}.2).\n{listing}")
    part = cmd.part or 1
    if not 1 <= part <= len(sentences):
        raise InvalidInput(f"Rad {n} har delarna {n}.1–{n}.{len(sentences)}.")
    found = sentences[part - 1]
    source = f"{referral.reference} rad {n}.{part}" if len(sentences) > 1 else f"{referral.reference} rad {n}"
    store.add_catalog_report(ctx.db, report=CatalogReport(
        language=language, msgid=found.msgid, context=found.context, translation=found.text, note=note,
        source=source, reporter=ctx.tag, at=ctx.now))
    return Result(f"Tack. Rapporten om {language_sv(language)} är sparad för granskning av katalogen.", None)

"""The small values that flow in and out of the dialog: events, the intake's state, and effects.

The shells (Telegram, console) translate what arrives into these events at the edge, so the dialog
never sees a python-telegram-bot `Update`. The dialog answers with typed effects: effects on the chat,
which only the shell turns into messages, and effects on the record, which the service carries out in
the update's one transaction. Nothing is said with strings that a typo could silently break.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

from dialogs.i18n import Msg, nav_arrow, render

__all__ = [
    "Button",
    "ChatEffect",
    "CloseLive",
    "Command",
    "Config",
    "Effect",
    "Erase",
    "Event",
    "IntakeState",
    "Media",
    "NoteOnCase",
    "Outcome",
    "Press",
    "QuickExit",
    "Reassess",
    "RecordAnswer",
    "RecordConsent",
    "RecordEffect",
    "Reply",
    "Restart",
    "Send",
    "ShowMyData",
    "Submit",
    "Text",
    "Toast",
    "UpdateLiveKeyboard",
]


# ---------------------------------------------------------------- events (what the person did)
@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Press:
    data: str  # the callback data, untrusted: it may be old, forged or overlong


@dataclass(frozen=True)
class Command:
    name: str  # without the slash, lower case, e.g. "start"
    args: str = ""  # what follows the command (staff commands use it; the intake ignores it)


@dataclass(frozen=True)
class Media:
    """A voice message, photo, document, sticker, video, location ... (kind says which)."""

    kind: str
    file_id: str | None = None
    file_unique_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    caption: str | None = None


Event = Text | Press | Command | Media


# ---------------------------------------------------------------- state
@dataclass(frozen=True)
class IntakeState:
    """One person's intake as the dialog sees it (storage keeps it in the intake row)."""

    state: str = "new"
    language: str | None = None
    suggested: str | None = None  # from Telegram's language_code
    answers: dict[str, Any] = field(default_factory=dict)
    # what the person typed where a choice was stored, e.g. moved_from = other keeps the name typed
    texts: dict[str, str] = field(default_factory=dict)
    path: tuple[str, ...] = ()
    reviewing: bool = False
    resume: str | None = None  # the question to return to after /language
    draft: dict[str, Any] = field(default_factory=dict)  # selections, candidates, account entries
    reference: str | None = None

    def but(self, **changes: Any) -> IntakeState:
        return replace(self, **changes)

    @property
    def submitted(self) -> bool:
        """Sent to the queue: also while the person picks a new language afterwards."""
        return self.state == "done" or self.resume == "done" or self.reference is not None

    @property
    def shown_language(self) -> str:
        return self.language or self.suggested or "en"


@dataclass(frozen=True)
class Config:
    """Facts the dialog shows that belong to the deployment, not to the code."""

    languages: tuple[str, ...] = ("sv", "en")
    # Only the municipality knows these; the defaults are marked "to be checked" in the README.
    social_services_phone: str = "0620-68 20 00"
    after_hours_phone: str = "112"  # the social services on duty (socialjouren), evenings and weekends
    committee: str = "Socialnämnden, Sollefteå kommun"  # responsible for the data (personuppgiftsansvarig)
    dpo_contact: str = "0620-68 20 00"  # how to reach the data protection officer (dataskyddsombud)
    emergency_number: str = "112"
    retention_days: int = 30
    response_days: int = 3  # working days within which a caseworker reads a new case
    staff_chat_id: str | None = None  # where new referrals are announced (no personal data)


# ---------------------------------------------------------------- effects on the chat (the shell renders them)
@dataclass(frozen=True)
class Button:
    data: str
    label: Msg | str  # a str is shown as it is (e.g. a language's own name, a municipality)
    # A navigation button's direction: its arrow is drawn at render time, pointing the reading direction
    # of the person's language (a "back" arrow points right in Arabic, Persian, Dari, Sorani and Pashto).
    nav: Literal["back", "forward"] | None = None

    def text(self, language: str) -> str:
        """The button as shown in `language`."""
        shown = self.label if isinstance(self.label, str) else render(self.label, language)
        return f"{nav_arrow(self.nav, language)} {shown}" if self.nav else shown


@dataclass(frozen=True)
class Reply:
    texts: tuple[Msg, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class Send:
    """Send a new message. A prompt becomes the live message of the open question."""

    reply: Reply
    prompt: bool = False


@dataclass(frozen=True)
class CloseLive:
    """Take the keyboard off the live message, showing the answer given there if any."""

    answer: Msg | str | None = None


@dataclass(frozen=True)
class UpdateLiveKeyboard:
    buttons: tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Toast:
    """A short notice on a button press (a callback answer); nothing in the chat."""

    msg: Msg


ChatEffect = Send | CloseLive | UpdateLiveKeyboard | Toast


# ---------------------------------------------------------------- effects on the record (the service does them)
@dataclass(frozen=True)
class RecordAnswer:
    """An answer given (or corrected): it goes into the answer history with its time."""

    question: str
    value: Any


@dataclass(frozen=True)
class RecordConsent:
    """A consent decision (samtycke), stored with the exact text shown."""

    consent: str
    value: str  # yes / no
    shown: Msg


@dataclass(frozen=True)
class Submit:
    """The intake is finished: create the referral (ärende) and tell the person its reference."""


@dataclass(frozen=True)
class Erase:
    """Forget the person entirely (declined, or /delete before submission)."""


@dataclass(frozen=True)
class Restart:
    """Start over: the answer history of this intake goes with the answers."""


@dataclass(frozen=True)
class NoteOnCase:
    """The person wrote or sent something after submission: it belongs to the case."""

    entry: dict[str, Any]


@dataclass(frozen=True)
class Reassess:
    """The answers of a submitted case changed (a consent withdrawn, erasure asked for)."""

    why: Literal["consent_withdrawn", "erasure_requested"]


@dataclass(frozen=True)
class QuickExit:
    """Delete this conversation from the chat as far as Telegram allows (/exit); keep what is stored."""


@dataclass(frozen=True)
class ShowMyData:
    """Send what is stored about the person (/mydata): readable, and as a file."""


RecordEffect = RecordAnswer | RecordConsent | Submit | Erase | Restart | NoteOnCase | Reassess | QuickExit | ShowMyData
Effect = ChatEffect | RecordEffect
E = TypeVar("E", bound=Effect)


@dataclass
class Outcome:
    """The dialog's answer to one event: the new state, and what to do, in order."""

    state: IntakeState
    effects: list[Effect] = field(default_factory=list)

    def of(self, kind: type[E]) -> list[E]:
        """The effects of one kind, in order."""
        return [e for e in self.effects if isinstance(e, kind)]

    def has(self, kind: type[Effect]) -> bool:
        return any(isinstance(e, kind) for e in self.effects)

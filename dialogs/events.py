"""The small values that flow in and out of the dialog: events, the intake's state, and effects.

The shells (Telegram, console) translate what arrives into these events at the edge, so the dialog
never sees a python-telegram-bot `Update`; the dialog answers with effects that only the shell
turns into messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from dialogs.i18n import Msg

__all__ = [
    "Button",
    "CloseLive",
    "Command",
    "Config",
    "Effect",
    "Event",
    "IntakeState",
    "Media",
    "Outcome",
    "Press",
    "Reply",
    "Send",
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


# ---------------------------------------------------------------- effects (what the shell does)
@dataclass(frozen=True)
class Button:
    data: str
    label: Msg | str  # a str is shown as it is (e.g. a language's own name, a municipality)


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


Effect = Send | CloseLive | UpdateLiveKeyboard | Toast


@dataclass
class Outcome:
    state: IntakeState
    effects: list[Effect] = field(default_factory=list)
    answered: list[tuple[str, Any]] = field(default_factory=list)  # for the answer history
    consents: list[tuple[str, str, Msg]] = field(default_factory=list)  # consent, yes/no, text shown
    submit: bool = False
    erase: bool = False  # forget the person entirely (declined before giving anything)
    restarted: bool = False
    account_entry: dict[str, Any] | None = None  # an entry added to the account
    # Work that needs stored data, for the service: mydata, mydata_empty, exit, reassess, erasure_request
    action: str | None = None

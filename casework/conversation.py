"""What the command layer needs from the conversation, as a port the starting shell plugs in.

Dependencies point one way (`dialogs → casework → storage`, `web → casework → storage`), yet a case view
shows the Swedish texts of the questions, a correction is checked against the question table, the
transcript renders the bot's msgids in two languages, and a reply goes out in the person's language:
all of that is the conversation's knowledge. So `casework` states here what it needs, `dialogs.staffside`
provides it, and whoever starts a shell (`bot/cli.py` for Telegram, the command line and the web
console) hands that object to the commands and views. Casework never imports `dialogs`, and the
question table stays the single place that knows the questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlmodel import Session

from storage.interpreting import CaseworkerMessage, Translation
from storage.models import Referral, TranscriptEntry

if TYPE_CHECKING:
    from casework.views import Transcript

__all__ = ["CatalogSentence", "Conversation", "Line", "NextLine"]


class Line(Protocol):
    """A numbered line of the transcript; `translatable` when it is the person's message to translate."""

    @property
    def n(self) -> int: ...
    @property
    def entry(self) -> TranscriptEntry: ...
    @property
    def translatable(self) -> bool: ...


class NextLine(Protocol):
    """What an interpreter translates next: a line of the person's, or a caseworker's message."""

    @property
    def line(self) -> Line | None: ...
    @property
    def message(self) -> CaseworkerMessage | None: ...
    @property
    def left(self) -> int: ...


@dataclass(frozen=True)
class CatalogSentence:
    """One sentence of a bot message as the catalog has it (placeholders unfilled: nothing personal)."""

    msgid: str
    context: str | None
    text: str


class Conversation(Protocol):
    # -------------------------------------------------------------- the questions, in Swedish
    def question_ids(self) -> Sequence[str]:
        """The questions a caseworker sees in a case, in the order of the question table."""
    def title_sv(self, question_id: str) -> str: ...
    def answer_sv(self, question_id: str, value: Any, answers: Mapping[str, Any], typed: Mapping[str, str]) -> str:
        """An answer as the person's summary shows it, in Swedish (choice texts, municipality names)."""
    def choices_sv(self, question_id: str) -> Sequence[tuple[str, str]]:
        """The values a caseworker may correct the answer to, with their Swedish texts (empty: typed)."""
    def correct(self, answers: Mapping[str, Any], question_id: str, raw: str) -> tuple[Any, dict[str, Any]]:
        """The corrected value and the answers after it (pruned); raises `CaseError` in Swedish."""

    # -------------------------------------------------------------- the transcript and translating
    def transcript(self, db: Session, referral: Referral, now: datetime) -> Transcript: ...
    def line(self, db: Session, referral: Referral, n: int) -> Line: ...
    def next_open(self, db: Session, referral: Referral, *, after: int = 0) -> NextLine: ...
    def add_translation(self, db: Session, *, referral: Referral, n: int, text: str, actor: str,
                        now: datetime) -> Translation: ...
    def verify(self, db: Session, *, referral: Referral, actor: str, now: datetime, n: int | None = None,
               only_by: str | None = None) -> int: ...
    def catalog_sentences(self, entry: TranscriptEntry, language: str) -> Sequence[CatalogSentence]: ...

    # -------------------------------------------------------------- messages to the person
    def reply_kinds(self) -> Sequence[str]: ...
    def send_standard(self, db: Session, *, referral: Referral, kind: str, details: Sequence[str], actor: str,
                      now: datetime) -> str:
        """Send a standard message in the person's language; returns its Swedish text."""
    def send_free(self, db: Session, *, referral: Referral, text_sv: str, actor: str, swedish: bool,
                  now: datetime) -> CaseworkerMessage: ...
    def deliver(self, db: Session, *, referral: Referral, message: CaseworkerMessage, now: datetime) -> None: ...
    def quiet_phone(self, db: Session, referral: Referral) -> bool: ...
    def language_of(self, db: Session, referral: Referral) -> str: ...

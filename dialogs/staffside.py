"""The conversation's side of the staff commands: `casework.conversation.Conversation`, implemented with
the question table, the catalogs, the transcript, the translation lines and the replies of `dialogs`.

Whoever starts a staff shell passes `STAFF_SIDE` to the command layer (`casework.commands.execute`), so
casework and the web console read Swedish question texts and send replies without importing `dialogs`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from casework.conversation import CatalogSentence
from casework.errors import InvalidInput
from casework.transcript import Transcript
from dialogs import prompts, replies, transcript, translation
from dialogs.corrections import InvalidCorrection, correct
from dialogs.events import IntakeState
from dialogs.i18n import Msg, render, show, translations
from dialogs.questions import QUESTIONS, Kind, by_id
from storage.interpreting import CaseworkerMessage, Translation
from storage.models import Referral, TranscriptEntry

__all__ = ["STAFF_SIDE", "StaffSide"]

_NOT_CORRECTABLE = frozenset({"privacy", "consent_store", "consent_contact", "consent_home_visit", "account"})


class StaffSide:
    """Stateless: one instance serves every shell and thread."""

    # ------------------------------------------------------------------ the questions, in Swedish
    def question_ids(self) -> Sequence[str]:
        return tuple(q.id for q in QUESTIONS if q.id in prompts.TITLES)

    def title_sv(self, question_id: str) -> str:
        title = prompts.TITLES.get(question_id)
        return render(title, "sv") if title is not None else question_id

    def answer_sv(self, question_id: str, value: Any, answers: Mapping[str, Any], typed: Mapping[str, str]) -> str:
        state = IntakeState(answers=dict(answers), texts=dict(typed), language="sv")
        return show(prompts.answer_label(question_id, value, state), "sv")

    def choices_sv(self, question_id: str) -> Sequence[tuple[str, str]]:
        q = by_id(question_id)
        if q is None or question_id in _NOT_CORRECTABLE or q.kind not in (Kind.CHOICE, Kind.MULTI):
            return ()
        return tuple((c, render(q.label(c), "sv")) for c in q.all_choices)

    def correct(self, answers: Mapping[str, Any], question_id: str, raw: str) -> tuple[Any, dict[str, Any]]:
        if question_id in _NOT_CORRECTABLE:
            raise InvalidInput(f"{self.title_sv(question_id)} kan inte rättas av personal.")
        try:
            return correct(answers, question_id, raw)
        except InvalidCorrection as exc:
            raise InvalidInput(str(exc)) from exc

    # ------------------------------------------------------------------ the transcript and translating
    def transcript(self, db: Session, referral: Referral, now: datetime) -> Transcript:
        return transcript.build(db, referral, now)

    def line(self, db: Session, referral: Referral, n: int) -> translation.Line:
        return translation.line(db, referral, n)

    def next_open(self, db: Session, referral: Referral, *, after: int = 0) -> translation.NextLine:
        return translation.next_open(db, referral, after=after)

    def add_translation(self, db: Session, *, referral: Referral, n: int, text: str, actor: str,
                        now: datetime) -> Translation:
        return translation.add_translation(db, referral=referral, n=n, text=text, actor=actor, now=now)

    def verify(self, db: Session, *, referral: Referral, actor: str, now: datetime, n: int | None = None,
               only_by: str | None = None) -> int:
        return translation.verify(db, referral=referral, actor=actor, now=now, n=n, only_by=only_by)

    def catalog_sentences(self, entry: TranscriptEntry, language: str) -> Sequence[CatalogSentence]:
        if entry.direction != "out":
            return ()
        t = translations(language)
        out = []
        for item in (entry.data or {}).get("msgs", []):
            msg = Msg.from_json(item)
            if msg.plural is not None:
                n = msg.n or 1
                text = (t.npgettext(msg.context, msg.msgid, msg.plural, n) if msg.context
                        else t.ngettext(msg.msgid, msg.plural, n))
            else:
                text = t.pgettext(msg.context, msg.msgid) if msg.context else t.gettext(msg.msgid)
            out.append(CatalogSentence(msg.msgid, msg.context, text))
        return tuple(out)

    # ------------------------------------------------------------------ messages to the person
    def reply_kinds(self) -> Sequence[str]:
        return replies.STANDARD

    def send_standard(self, db: Session, *, referral: Referral, kind: str, details: Sequence[str], actor: str,
                      now: datetime) -> str:
        msg = replies.standard(kind, list(details))
        return replies.send_standard(db, referral=referral, msg=msg, actor=actor, now=now)

    def send_free(self, db: Session, *, referral: Referral, text_sv: str, actor: str, swedish: bool,
                  now: datetime) -> CaseworkerMessage:
        return replies.send_free(db, referral=referral, text_sv=text_sv, actor=actor, swedish=swedish, now=now)

    def deliver(self, db: Session, *, referral: Referral, message: CaseworkerMessage, now: datetime) -> None:
        replies.deliver(db, referral=referral, message=message, now=now)

    def quiet_phone(self, db: Session, referral: Referral) -> bool:
        return replies.quiet_phone(db, referral)

    def language_of(self, db: Session, referral: Referral) -> str:
        return replies.language_of(db, referral)


STAFF_SIDE = StaffSide()

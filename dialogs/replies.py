"""A caseworker's message to the person, in the person's language: a standard message with its details
filled in, or free Swedish text once an interpreter has translated it (or in Swedish, when chosen).

Written to the outbox for the person's chat and to the transcript (standard messages as msgids, so they
can be shown in any language), in the caller's transaction.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlmodel import Session

from casework.steps import CaseError
from dialogs import limits, prompts
from dialogs.events import Reply
from dialogs.i18n import Msg, render
from storage import interpreting as store
from storage import repo
from storage.interpreting import CaseworkerMessage
from storage.models import Referral

__all__ = ["STANDARD", "USAGE", "deliver", "language_of", "quiet_phone", "send_free", "send_standard", "standard"]

STANDARD = tuple(prompts.STANDARD_REPLIES)
USAGE = """Svar till personen, på personens språk:
/reply REF received – vi har tagit emot ditt ärende
/reply REF call TELEFON – ring oss på TELEFON
/reply REF meeting ÅÅÅÅ-MM-DD TT:MM PLATS – möte bokat, tolk finns med
/reply REF lease – vi behöver en kopia av ditt hyreskontrakt
/reply REF fri text på svenska – skickas när tolken har översatt den
/reply REF --swedish fri text – skickas genast på svenska
Lägg till --force om personen har använt snabbutgången (/exit)."""
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def standard(kind: str, words: list[str]) -> Msg:
    """The standard message `kind` with the details the caseworker gave (checked here)."""
    msg = prompts.STANDARD_REPLIES[kind]
    if kind == "call":
        phone = " ".join(words).strip()
        if not re.fullmatch(r"\+?[\d\s-]{5,20}", phone):
            raise CaseError("Använd: /reply REF call TELEFON (t.ex. 0620-68 20 00).")
        return msg.with_params(phone=phone)
    if kind == "meeting":
        if len(words) < 3:
            raise CaseError("Använd: /reply REF meeting ÅÅÅÅ-MM-DD TT:MM PLATS.")
        try:
            day = date.fromisoformat(words[0])
        except ValueError as exc:
            raise CaseError("Datum som ÅÅÅÅ-MM-DD, t.ex. 2026-12-03.") from exc
        time_ = _TIME.fullmatch(words[1])
        if time_ is None:
            raise CaseError("Tid som TT:MM, t.ex. 14:00.")
        return msg.with_params(date=day, time=f"{int(time_.group(1)):02d}:{time_.group(2)}",
                               place=" ".join(words[2:])[:200])
    return msg


def language_of(db: Session, referral: Referral) -> str:
    person = store.get_person(db, person_id=referral.person_id)
    return (person.language if person else None) or referral.language


def quiet_phone(db: Session, referral: Referral) -> bool:
    """The person used the quick exit (/exit) and has not written since: their phone may be watched."""
    intake = repo.get_intake(db, person_id=referral.person_id)
    return bool(intake and intake.reminders_stopped)


def _send(db: Session, referral: Referral, *, text: str, kind: str, data: dict, language: str,
          shown_text: str | None, now: datetime) -> None:
    person = store.get_person(db, person_id=referral.person_id)
    if person is None or person.id is None:
        raise CaseError(f"Personen i {referral.reference} finns inte kvar.")
    repo.add_outbox(db, channel=person.channel, chat_id=person.chat_id, action="send",
                    payload={"text": limits.cut(text)}, now=now)
    repo.add_transcript(db, person_id=person.id, direction="out", kind=kind, text=shown_text, data=data,
                        language=language, now=now)


def send_standard(db: Session, *, referral: Referral, msg: Msg, actor: str, now: datetime) -> str:
    """Send a standard message in the person's language; returns its Swedish text (for the caseworker)."""
    language = language_of(db, referral)
    reply = Reply((prompts.caseworker_header(referral.reference), msg))
    text = "\n\n".join(render(m, language) for m in reply.texts)
    _send(db, referral, text=text, kind="reply", data={"msgs": [m.to_json() for m in reply.texts], "by": actor},
          language=language, shown_text=None, now=now)
    return render(msg, "sv")


def send_free(db: Session, *, referral: Referral, text_sv: str, actor: str, swedish: bool,
              now: datetime) -> CaseworkerMessage:
    """Free text: sent at once in Swedish (chosen, or the person's language is Swedish), else kept until
    an interpreter has translated it."""
    assert referral.id is not None
    text_sv = text_sv.strip()
    if not text_sv:
        raise CaseError("Skriv meddelandet efter referensen.")
    language = language_of(db, referral)
    message = store.add_message(db, message=CaseworkerMessage(
        referral_id=referral.id, author=actor, text_sv=text_sv[:3500], language="sv" if swedish else language,
        created_at=now))
    if swedish or language == "sv":
        message.language = "sv"
        deliver(db, referral=referral, message=message, now=now)
    return message


def deliver(db: Session, *, referral: Referral, message: CaseworkerMessage, now: datetime) -> None:
    """Send a caseworker's free message: its translation, or the Swedish text when it goes in Swedish."""
    shown = message.text_sv if message.language == "sv" else message.translation
    if shown is None:
        raise CaseError(f"Meddelande {message.id} väntar på översättning.")
    header = prompts.caseworker_header(referral.reference)
    language = message.language  # the language the interpreter translated into
    _send(db, referral, text=f"{render(header, language)}\n\n{shown}", kind="reply",
          data={"msgs": [header.to_json()], "text_sv": message.text_sv, "message": message.id, "by": message.author},
          language=language, shown_text=shown, now=now)
    message.status, message.sent_at = "sent", now
    db.add(message)

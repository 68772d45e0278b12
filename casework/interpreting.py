"""The interpreter's (tolkens) side that the conversation also needs: staff names for the transcript, the
translation of a caseworker's message, and the staff notices of a new message from the person. Each call
runs in the caller's transaction. The interpreter's commands are in `casework.translating`.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from casework import quotas
from casework.errors import CaseError
from storage import interpreting as store
from storage import repo
from storage.interpreting import CaseworkerMessage
from storage.models import Referral

__all__ = ["announce_person_message", "staff_name", "translate_message"]


def staff_name(db: Session, actor: str | None) -> str | None:
    """`staff:3` -> the staff member's name; anything else as it is (e.g. `cli:anna`)."""
    if actor and actor.startswith("staff:") and actor[6:].isdigit():
        staff = repo.get_staff(db, staff_id=int(actor[6:]))
        if staff is not None:
            return staff.name
    return actor


def translate_message(db: Session, *, referral: Referral, message_id: int, text: str, actor: str,
                      now: datetime) -> CaseworkerMessage:
    """The interpreter's translation of a caseworker's message; the caller sends it to the person."""
    message = store.get_message(db, message_id=message_id)
    if message is None or message.referral_id != referral.id:
        raise CaseError(f"Inget meddelande {message_id} i {referral.reference}.")
    if message.status != "waiting":
        raise CaseError(f"Meddelande {message_id} är redan skickat.")
    if not text.strip():
        raise CaseError("Översättningen är tom.")
    message.translation, message.translator, message.translated_at = text.strip()[:3500], actor, now
    db.add(message)
    return message


def announce_person_message(db: Session, *, reference: str, now: datetime) -> bool:
    """Tell the referral's caseworker and its interpreter, each in their private chat with the bot, that
    the person wrote again.

    Only the reference: what the person wrote is read with /transcript or /case. Called in the
    transaction of the person's message (after `queue.note_person_message`), so the notice is sent
    exactly when the message was kept; one notice per case per `quotas.NOTICE_QUIET`, however many
    messages come in it (the message's event says whether it brought a notice).
    """
    referral = repo.get_referral(db, reference=reference)
    if referral is None or referral.id is None or referral.status == "closed":
        return False
    recent = repo.recent_events(db, referral_id=referral.id, kind="person_message", since=now - quotas.NOTICE_QUIET)
    if any((e.data or {}).get("notice") for e in recent):
        return False  # told already in this quiet period: the transcript has every message
    told = False
    ref = referral.reference
    for staff_id, text in (
        (referral.caseworker_id, f"Nytt meddelande i {ref}. Läs det med /transcript {ref}."),
        (referral.interpreter_id, f"Nytt meddelande att översätta i {ref}: /translate {ref}"),
    ):
        staff = repo.get_staff(db, staff_id=staff_id) if staff_id is not None else None
        if staff is None or not staff.active or staff.telegram_user_id is None:  # web-only staff: the badge
            continue
        repo.add_outbox(db, channel="telegram", chat_id=str(staff.telegram_user_id), action="send",
                        payload={"text": text}, now=now)
        told = True
    if told and recent:
        recent[-1].data = {"notice": True}
        db.add(recent[-1])
    return told

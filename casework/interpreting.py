"""The interpreter's (tolkens) access to a referral, the caseworker's messages they translate, and the
caseworker's notice of a new message from the person. Each call runs in the caller's transaction.

Which lines of the transcript need Swedish, and their drafts and verification: `dialogs.translation`.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from casework import quotas
from casework.staff import Role
from casework.steps import CaseError, UnknownCase
from storage import interpreting as store
from storage import repo
from storage.interpreting import CaseworkerMessage
from storage.models import Referral, Staff

__all__ = ["CASE_COMMANDS", "announce_person_message", "case_of", "may_use", "staff_name", "translate_message"]

# Commands an interpreter may use only on the referrals assigned to them.
CASE_COMMANDS = frozenset({"transcript", "translate", "verify", "reportline"})


def case_of(db: Session, reference: str) -> Referral:
    referral = repo.get_referral(db, reference=reference.strip().upper())
    if referral is None or referral.id is None:
        raise UnknownCase(f"Inget ärende {reference}.")
    return referral


def may_use(db: Session, *, staff: Staff, command: str, args: str) -> bool:
    """An interpreter reaches only the referrals assigned to them; everyone else passes (their role
    was checked already). False means: answer as if the command did not exist."""
    if staff.role != Role.INTERPRETER or command not in CASE_COMMANDS:
        return True
    words = args.split()
    if not words or (command == "translate" and words[0].lower() == "stop"):
        return True  # no case named: the command itself explains what it needs
    referral = repo.get_referral(db, reference=words[0].upper())
    return referral is not None and referral.interpreter_id == staff.id


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
    """Tell the referral's caseworker, in their private chat with the bot, that the person wrote again.

    Only the reference: what the person wrote is read with /transcript or /case. Called in the
    transaction of the person's message (after `queue.note_person_message`), so the notice is sent
    exactly when the message was kept; one notice per case per `quotas.NOTICE_QUIET`, however many
    messages come in it (the message's event says whether it brought a notice).
    """
    referral = repo.get_referral(db, reference=reference)
    if referral is None or referral.id is None or referral.caseworker_id is None or referral.status == "closed":
        return False
    caseworker = repo.get_staff(db, staff_id=referral.caseworker_id)
    if caseworker is None or not caseworker.active:
        return False
    recent = repo.recent_events(db, referral_id=referral.id, kind="person_message", since=now - quotas.NOTICE_QUIET)
    if any((e.data or {}).get("notice") for e in recent):
        return False
    if recent:
        recent[-1].data = {"notice": True}
        db.add(recent[-1])
    text = f"Nytt meddelande i {referral.reference}. Läs det med /transcript {referral.reference}."
    repo.add_outbox(db, channel="telegram", chat_id=str(caseworker.telegram_user_id), action="send",
                    payload={"text": text}, now=now)
    return True

"""Gentle reminders for an unfinished intake: one after a day of silence, a last one after a week.

They live in the database (the intake counts what was sent since the person last wrote), so a
restart neither loses nor repeats one. They stop at submission, at /delete (nothing is left) and at
/exit (a watched phone must stay quiet) until the person writes again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from dialogs.events import Config, Reply
from dialogs.i18n import N_
from storage import repo

__all__ = ["FIRST_AFTER", "LAST_AFTER", "due", "reminder", "send_due"]

FIRST_AFTER = timedelta(hours=24)
LAST_AFTER = timedelta(days=7)
_SILENT_STATES = frozenset({"new", "done", "ended"})


def due(*, state: str, last_activity: datetime, sent: int, stopped: bool, now: datetime) -> int | None:
    """Which reminder (1 or 2) is due now, if any."""
    if stopped or state in _SILENT_STATES:
        return None
    silent_for = now - last_activity
    if sent == 0 and silent_for >= FIRST_AFTER:
        return 1
    if sent == 1 and silent_for >= LAST_AFTER:
        return 2
    return None


def erase_on(last_activity: datetime, cfg: Config) -> date:
    return (last_activity + timedelta(days=cfg.retention_days)).date()


def reminder(number: int, erase_date: date) -> Reply:
    if number == 1:
        return Reply((N_("You have not finished your answers yet. They are saved. Write /start to go on where "
                         "you stopped."),))
    return Reply((N_("This is the last reminder. If you do not go on, your answers will be deleted on {date}. "
                     "Write /start to go on, or /delete to delete them now.", date=erase_date),))


def send_due(db: Session, cfg: Config, now: datetime, *, channel: str = "telegram", limit: int = 500) -> int:
    """Queue the reminders that are due (in the caller's transaction); returns how many."""
    from dialogs.service import render_reply  # one rendering path for every message

    sent = 0
    for intake, person in repo.intakes_needing_reminder(db, channel=channel, first_before=now - FIRST_AFTER,
                                                        last_before=now - LAST_AFTER, limit=limit):
        number = due(state=intake.state, last_activity=_aware(intake.updated_at, now), sent=intake.reminders_sent,
                     stopped=intake.reminders_stopped, now=now)
        if number is None or person.id is None:
            continue
        language = intake.language or intake.suggested or "en"
        reply = reminder(number, erase_on(_aware(intake.updated_at, now), cfg))
        repo.add_outbox(db, channel=channel, chat_id=person.chat_id, action="send",
                        payload=render_reply(reply, language), now=now)
        repo.add_transcript(db, person_id=person.id, direction="out", kind="reminder",
                            data={"msgs": [m.to_json() for m in reply.texts]}, language=language, now=now)
        intake.reminders_sent = number
        db.add(intake)
        sent += 1
    return sent


def _aware(value: datetime, now: datetime) -> datetime:
    return value.replace(tzinfo=now.tzinfo) if value.tzinfo is None and now.tzinfo is not None else value

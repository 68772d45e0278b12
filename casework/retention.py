"""Retention (gallring): unfinished intakes and closed cases are erased when their time is up.

Unfinished intakes go after `unfinished_days` of silence (the person is told when, in the last
reminder). A closed case is social-services documentation: it goes `closed_years` years after the
end of the calendar year of its last event, as the archiving rules for personal files say. The
report counts what was erased; it never names anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from storage import repo

__all__ = ["PurgeReport", "closed_cutoff_year", "purge"]


@dataclass(frozen=True)
class PurgeReport:
    unfinished_intakes: int
    closed_referrals: int
    processed_update_ids: int
    dry_run: bool


def closed_cutoff_year(now: datetime, closed_years: int) -> int:
    """Cases whose last event was in this year or before may be erased now."""
    return now.year - closed_years - 1


def purge(db: Session, *, now: datetime, unfinished_days: int, closed_years: int, dry_run: bool) -> PurgeReport:
    unfinished = repo.unfinished_people(db, idle_before=now - timedelta(days=unfinished_days))
    closed = repo.closed_referral_people(db, last_event_year_at_most=closed_cutoff_year(now, closed_years))
    old_updates = repo.count_processed_inbox(db, before=now - timedelta(days=3))
    if not dry_run:
        for person_id, channel, chat_id in [*unfinished, *closed]:
            repo.erase_person(db, person_id=person_id)
            repo.forget_chat(db, channel=channel, chat_id=chat_id)
        repo.forget_processed_inbox(db, before=now - timedelta(days=3))
    return PurgeReport(len(unfinished), len(closed), old_updates, dry_run)

"""The reads behind the monthly figures for the municipality (casework/report.py); no personal data out.

Each referral comes back reduced to what the statistics count: the sending municipality's code,
forms, level, urgency, status and close reason; never its reference, person, free text or contact
details. `answers` may be encrypted at rest, so it is read through the model's column (which
decrypts) and only `moved_from` is taken from it, in Python. Times are aware datetimes; the caller
chooses the half-open interval [start, end), e.g. one month in Stockholm time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Referral, ReferralEvent

__all__ = ["ReferralFigures", "event_counts", "referral_figures"]


@dataclass(frozen=True)
class ReferralFigures:
    """One referral, as the statistics see it."""

    moved_from: str | None  # a 4-digit kommunkod, "other", "dont_know", or None when not answered
    forms: tuple[int, ...]  # policy 1.1.1: (), (1,), (2,) or (1, 2)
    level: str  # high / medium / low
    urgent: bool
    status: str  # new / in_progress / closed
    close_reason: str | None
    actions: tuple[str, ...] = ()  # the recommended action ids of its assessment


def _forms(assessment: Any) -> tuple[int, ...]:
    forms = assessment.get("forms") if isinstance(assessment, dict) else None
    if not isinstance(forms, list | tuple):
        return ()
    return tuple(sorted({int(f) for f in forms if isinstance(f, int) or (isinstance(f, str) and f.isdigit())}))


def _actions(assessment: Any) -> tuple[str, ...]:
    actions = assessment.get("actions") if isinstance(assessment, dict) else None
    return tuple(a for a in actions if isinstance(a, str)) if isinstance(actions, list | tuple) else ()


def _moved_from(answers: Any) -> str | None:
    value = answers.get("moved_from") if isinstance(answers, dict) else None
    return value if isinstance(value, str) else None


def referral_figures(db: Session, *, start: datetime, end: datetime) -> list[ReferralFigures]:
    """The referrals created in [start, end), oldest first."""
    query = (
        select(Referral.answers, Referral.assessment, Referral.level, Referral.priority, Referral.status,
               Referral.close_reason)
        .where(col(Referral.created_at) >= start, col(Referral.created_at) < end)
        .order_by(col(Referral.created_at), col(Referral.id))
    )
    return [
        ReferralFigures(
            moved_from=_moved_from(answers),
            forms=_forms(assessment),
            level=level,
            urgent=priority == "urgent",
            status=status,
            close_reason=close_reason if status == "closed" else None,
            actions=_actions(assessment),
        )
        for answers, assessment, level, priority, status, close_reason in db.exec(query).all()
    ]


def event_counts(db: Session, *, start: datetime, end: datetime, kinds: Iterable[str]) -> dict[str, int]:
    """How many events of each of `kinds` were recorded in [start, end); a kind with none gives 0. A step
    struck through as wrong (a later `struck` event names it) does not count."""
    wanted = list(dict.fromkeys(kinds))
    counts = dict.fromkeys(wanted, 0)
    if not wanted:
        return counts
    struck_id = col(ReferralEvent.data)["event_id"].as_integer()
    struck = select(struck_id).where(ReferralEvent.kind == "struck", struck_id.is_not(None))
    query = (
        select(ReferralEvent.kind, func.count())
        .where(col(ReferralEvent.kind).in_(wanted), col(ReferralEvent.at) >= start, col(ReferralEvent.at) < end,
               col(ReferralEvent.id).not_in(struck))
        .group_by(col(ReferralEvent.kind))
    )
    for kind, count in db.exec(query).all():
        counts[kind] = int(count)
    return counts

"""The legal clock of a transfer request (begäran om överflyttning), pure.

Policy 2.2 and the Social Services Act: when the other municipality has not accepted or refused a
written transfer request within one month, Sollefteå applies to IVO. The clock starts at the
latest `transfer_requested` and stops at an answer or at the IVO application.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import datetime, timedelta

__all__ = ["DUE_SOON", "add_one_month", "clock", "ivo_due_at"]

DUE_SOON = timedelta(days=7)
_STARTS = "transfer_requested"
_STOPS = frozenset({"transfer_accepted", "transfer_refused", "ivo_applied"})


def add_one_month(at: datetime) -> datetime:
    """The same day next month; the month's last day when it has no such day (31 Jan -> 28/29 Feb)."""
    year, month = (at.year + 1, 1) if at.month == 12 else (at.year, at.month + 1)
    day = min(at.day, calendar.monthrange(year, month)[1])
    return at.replace(year=year, month=month, day=day)


def ivo_due_at(events: Iterable[tuple[str, datetime]]) -> datetime | None:
    """When the case is due for an IVO application, from its dated steps in order; None if not."""
    due: datetime | None = None
    for kind, at in events:
        if kind == _STARTS:
            due = add_one_month(at)
        elif kind == "transfer_refused":
            due = at  # refused: the application to IVO is due at once
        elif kind in _STOPS:
            due = None
    return due


def clock(due_at: datetime | None, now: datetime) -> str | None:
    """`overdue`, `due_soon` or None, for the queue and the morning notice."""
    if due_at is None:
        return None
    if due_at.tzinfo is None and now.tzinfo is not None:
        due_at = due_at.replace(tzinfo=now.tzinfo)
    if due_at <= now:
        return "overdue"
    if due_at - now <= DUE_SOON:
        return "due_soon"
    return None

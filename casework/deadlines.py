"""The legal clock of a transfer request (begäran om överflyttning), pure.

29 kap. 11 § SoL (2025:400): a municipality that has not had an answer to its transfer request
within one month may apply to IVO. The month runs from when the other municipality *received* the
request: the step's ``data["received_on"]`` when the caseworker recorded it, else the step's own
date (the day the request was sent, the earliest it can have been received). The month ends on the
same day of the next month (the month's last day when it has no such day); the case is due for the
IVO application when that day is over, at midnight in Stockholm. A refusal makes it due at once; an
acceptance or the IVO application stops the clock; a new request starts it again.

Pure: no I/O. Events come as ``(kind, at)`` or ``(kind, at, data)`` tuples, or as objects with
``kind``, ``at`` and ``data`` (a stored ``ReferralEvent``, a letter's ``CaseEvent``).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

__all__ = [
    "DUE_SOON", "STOCKHOLM", "add_one_month", "answer_deadline", "clock", "ivo_due_at", "local_day", "received_on",
]

DUE_SOON: Final = timedelta(days=7)
STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")  # the municipality's calendar decides a step's date
_STARTS: Final = "transfer_requested"
_STOPS: Final = frozenset({"transfer_accepted", "transfer_refused", "ivo_applied"})


def add_one_month(at: datetime) -> datetime:
    """The same day next month; the month's last day when it has no such day (31 Jan -> 28/29 Feb)."""
    year, month = (at.year + 1, 1) if at.month == 12 else (at.year, at.month + 1)
    day = min(at.day, calendar.monthrange(year, month)[1])
    return at.replace(year=year, month=month, day=day)


def local_day(at: datetime) -> date:
    """A step's date on the municipality's calendar (a naive time is taken to be UTC, as stored)."""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(STOCKHOLM).date()


def received_on(at: datetime, data: Mapping[str, Any] | None) -> date:
    """When the other municipality received the request: ``data["received_on"]`` if valid, else the step's date."""
    value = data.get("received_on") if isinstance(data, Mapping) else None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # validated when recorded (casework/steps.py); an odd stored value falls back to the step's date
    return local_day(at)


def answer_deadline(received: date) -> date:
    """The last day of the month the other municipality has to answer (29 kap. 11 § SoL 2025:400)."""
    return add_one_month(datetime.combine(received, time.min)).date()


def _end_of(day: date) -> datetime:
    """Midnight after ``day`` in Stockholm, in UTC (as the database stores it)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=STOCKHOLM).astimezone(UTC)


def _parts(event: Any) -> tuple[str, datetime, Mapping[str, Any] | None]:
    if isinstance(event, tuple):
        kind, at, *rest = event
        return kind, at, rest[0] if rest else None
    return event.kind, event.at, getattr(event, "data", None)


def ivo_due_at(events: Iterable[Any]) -> datetime | None:
    """When the case is due for an IVO application, from its standing steps in order; None if not."""
    due: datetime | None = None
    for event in events:
        kind, at, data = _parts(event)
        if kind == _STARTS:
            due = _end_of(answer_deadline(received_on(at, data)))
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

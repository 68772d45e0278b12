"""The legal clock of a transfer request, with a frozen clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from casework.deadlines import STOCKHOLM, add_one_month, answer_deadline, clock, ivo_due_at, received_on

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731 - a short table


@pytest.mark.parametrize(
    ("at", "due"),
    [
        pytest.param(D(2026, 10, 1), D(2026, 11, 1), id="the same day next month"),
        pytest.param(D(2026, 1, 31), D(2026, 2, 28), id="31 January: the end of February"),
        pytest.param(D(2028, 1, 31), D(2028, 2, 29), id="a leap year"),
        pytest.param(D(2026, 12, 15), D(2027, 1, 15), id="over the new year"),
    ],
)
def test_one_month(at: datetime, due: datetime) -> None:
    assert add_one_month(at) == due


def END(year: int, month: int, day: int) -> datetime:
    """The end of that day in Stockholm (midnight after it), in UTC."""
    return datetime.combine(date(year, month, day) + timedelta(days=1), time.min, tzinfo=STOCKHOLM).astimezone(UTC)


@pytest.mark.parametrize(
    ("events", "due"),
    [
        pytest.param([], None, id="no request: no clock"),
        pytest.param([("transfer_requested", D(2026, 10, 1, 9))], END(2026, 11, 1),
                     id="no receipt date: a month from the step's date, due when that day is over"),
        pytest.param([("transfer_requested", D(2026, 10, 1, 9), {"received_on": "2026-10-05"})], END(2026, 11, 5),
                     id="received four days later: a month from the receipt"),
        pytest.param([("transfer_requested", D(2026, 1, 20, 9), {"received_on": "2026-01-31"})], END(2026, 2, 28),
                     id="received 31 January: answer by 28 February"),
        pytest.param([("transfer_requested", D(2026, 10, 31, 23, 30))], END(2026, 12, 1),
                     id="sent 23:30 UTC on 31 October is 1 November in Stockholm"),
        pytest.param([("transfer_requested", D(2026, 10, 1, 9), {"received_on": "not a date"})], END(2026, 11, 1),
                     id="an odd stored receipt date: the step's date"),
        pytest.param([("transfer_requested", D(2026, 10, 1, 9), None)], END(2026, 11, 1), id="no data at all"),
        pytest.param([("transfer_requested", D(2026, 10, 1)), ("transfer_accepted", D(2026, 10, 20))], None,
                     id="accepted: the clock stops"),
        pytest.param([("transfer_requested", D(2026, 10, 1)), ("transfer_refused", D(2026, 10, 20))],
                     D(2026, 10, 20), id="refused: IVO is due at once"),
        pytest.param([("transfer_requested", D(2026, 10, 1)), ("transfer_refused", D(2026, 10, 20)),
                      ("ivo_applied", D(2026, 10, 22))], None, id="applied to IVO: done"),
        pytest.param([("transfer_requested", D(2026, 9, 1, 9)), ("transfer_requested", D(2026, 10, 5, 9))],
                     END(2026, 11, 5), id="a new request restarts the month"),
        pytest.param([("note", D(2026, 10, 1)), ("letter_sent", D(2026, 10, 2))], None, id="other steps: no clock"),
    ],
)
def test_ivo_due_at(events: list[tuple[Any, ...]], due: datetime | None) -> None:
    assert ivo_due_at(events) == due


@dataclass
class _Stored:  # an object with kind, at and data, like a stored ReferralEvent
    kind: str
    at: datetime
    data: dict[str, Any] | None = None


def test_stored_events_are_read_like_tuples() -> None:
    events = [_Stored("transfer_requested", D(2026, 10, 1, 9), {"received_on": "2026-10-05"})]
    assert ivo_due_at(events) == END(2026, 11, 5)


@pytest.mark.parametrize(
    ("at", "data", "received", "deadline"),
    [
        pytest.param(D(2026, 10, 1, 9), {"received_on": "2026-10-03"}, date(2026, 10, 3), date(2026, 11, 3),
                     id="the recorded receipt date"),
        pytest.param(D(2026, 10, 1, 9), {"text": "per post"}, date(2026, 10, 1), date(2026, 11, 1),
                     id="no receipt date: the step's date"),
        pytest.param(D(2026, 12, 31, 23, 30), None, date(2027, 1, 1), date(2027, 2, 1),
                     id="late on New Year's Eve in UTC is New Year's Day in Stockholm"),
    ],
)
def test_received_on_and_the_answer_deadline(at: datetime, data: dict[str, Any] | None, received: date,
                                             deadline: date) -> None:
    assert received_on(at, data) == received
    assert answer_deadline(received) == deadline


@pytest.mark.parametrize(
    ("due", "now", "state"),
    [
        pytest.param(None, D(2026, 11, 1), None, id="no clock"),
        pytest.param(D(2026, 11, 1), D(2026, 11, 1), "overdue", id="the day it falls due"),
        pytest.param(D(2026, 11, 1), D(2026, 12, 1), "overdue", id="a month late"),
        pytest.param(D(2026, 11, 8), D(2026, 11, 1), "due_soon", id="within a week"),
        pytest.param(D(2026, 11, 20), D(2026, 11, 1), None, id="weeks away"),
    ],
)
def test_clock(due: datetime | None, now: datetime, state: str | None) -> None:
    assert clock(due, now) == state

"""The legal clock of a transfer request, with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from casework.deadlines import add_one_month, clock, ivo_due_at

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


@pytest.mark.parametrize(
    ("events", "due"),
    [
        pytest.param([], None, id="no request: no clock"),
        pytest.param([("transfer_requested", D(2026, 10, 1))], D(2026, 11, 1), id="request starts a month"),
        pytest.param([("transfer_requested", D(2026, 10, 1)), ("transfer_accepted", D(2026, 10, 20))], None,
                     id="accepted: the clock stops"),
        pytest.param([("transfer_requested", D(2026, 10, 1)), ("transfer_refused", D(2026, 10, 20))],
                     D(2026, 10, 20), id="refused: IVO is due at once"),
        pytest.param([("transfer_requested", D(2026, 10, 1)), ("transfer_refused", D(2026, 10, 20)),
                      ("ivo_applied", D(2026, 10, 22))], None, id="applied to IVO: done"),
        pytest.param([("transfer_requested", D(2026, 9, 1)), ("transfer_requested", D(2026, 10, 5))],
                     D(2026, 11, 5), id="a new request restarts the month"),
        pytest.param([("note", D(2026, 10, 1)), ("letter_sent", D(2026, 10, 2))], None, id="other steps: no clock"),
    ],
)
def test_ivo_due_at(events: list[tuple[str, datetime]], due: datetime | None) -> None:
    assert ivo_due_at(events) == due


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

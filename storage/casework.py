"""The staff side's queries: the queue page by page with its filters, staff by any of their ids, the
case's version check, events and the access log with its shell. The caller owns the transaction.

The queue is walked with a keyset (the last row's sort key), never an offset, so page 2,000 costs what
page 1 costs; `ix_referral_queue` serves the order of the cases without a running clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, tuple_, update
from sqlmodel import Session, col, select

from storage.models import CaseRead, Referral, ReferralEvent, Staff

__all__ = [
    "QueueCursor",
    "QueueQuery",
    "QueueRow",
    "bump_version",
    "case_reads",
    "find_staff",
    "get_event",
    "queue_count",
    "queue_page",
    "record_read",
    "set_caseworker",
    "staff_names",
]


@dataclass(frozen=True)
class QueueQuery:
    """What to show; None means no filter. Every filter is a plain column condition."""

    statuses: tuple[str, ...] | None = ("new", "in_progress")
    priority: str | None = None
    level: str | None = None
    form: int | None = None  # 1, 2, or 0 for "no form"
    clock: str | None = None  # running, overdue (due before `now`), due_soon (due before `soon`), none
    now: datetime | None = None
    soon: datetime | None = None
    moved_from: tuple[str, ...] | None = None  # kommunkoder
    language: str | None = None
    caseworker_id: int | None = None
    unassigned: bool = False
    interpreter_id: int | None = None
    reference: str | None = None  # a part of the reference, e.g. "0042"


@dataclass(frozen=True)
class QueueCursor:
    """The sort key of the last row shown: (running clock first, due date, priority, age, id)."""

    ivo_due_at: datetime | None
    priority_rank: int
    created_at: datetime
    id: int


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    status: str
    priority: str
    priority_rank: int
    level: str
    forms_mask: int
    ivo_due_at: datetime | None
    moved_from: str | None
    language: str
    caseworker_id: int | None
    interpreter_id: int | None
    created_at: datetime

    @property
    def cursor(self) -> QueueCursor:
        return QueueCursor(self.ivo_due_at, self.priority_rank, self.created_at, self.id)


_WHOLE_REFERENCE = re.compile(r"SOL-\d{4}-\d{4,}")
_RANKS = {"urgent": 0, "high": 1, "medium": 2, "low": 3}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # "a running clock" as a range, so its index can serve it
_COLUMNS = (Referral.id, Referral.reference, Referral.status, Referral.priority, Referral.priority_rank,
            Referral.level, Referral.forms_mask, Referral.ivo_due_at, Referral.moved_from, Referral.language,
            Referral.caseworker_id, Referral.interpreter_id, Referral.created_at)


def _where(query, q: QueueQuery, *, drive: frozenset[str] | None = None):  # type: ignore[no-untyped-def]
    """The filters as conditions. With `drive` (SQLite's page queries), only the columns named there may
    start the search; every other condition is written so that SQLite tests it row by row
    (`coalesce(x, x)` is `x`, but no index serves it). SQLite plans without statistics and otherwise
    picks the status index and sorts every open case, or walks the whole order for one caseworker's
    three cases; PostgreSQL plans by its statistics and gets the plain conditions."""

    def c(column: Any, name: str) -> Any:
        return column if drive is None or name in drive else func.coalesce(column, column)

    if q.statuses is not None:
        query = query.where(c(col(Referral.status), "status").in_(list(q.statuses)))
    if q.priority is not None:
        query = query.where(c(col(Referral.priority), "priority") == q.priority)
        if q.priority in _RANKS:  # the same fact as the rank: lets the order's index skip to it
            query = query.where(c(col(Referral.priority_rank), "priority_rank") == _RANKS[q.priority])
    if q.level is not None:
        query = query.where(c(col(Referral.level), "level") == q.level)
    if q.form is not None:
        masks = [0] if q.form == 0 else [m for m in (1, 2, 3) if m & (1 << (q.form - 1))]
        query = query.where(c(col(Referral.forms_mask), "forms_mask").in_(masks))
    due = c(col(Referral.ivo_due_at), "ivo_due_at")
    if q.clock == "none":
        query = query.where(due.is_(None))
    elif q.clock == "running":
        query = query.where(due.is_not(None))
    elif q.clock == "overdue" and q.now is not None:
        query = query.where(due <= q.now)
    elif q.clock == "due_soon" and q.soon is not None:
        query = query.where(due <= q.soon)
    if q.moved_from is not None:
        query = query.where(c(col(Referral.moved_from), "moved_from").in_(list(q.moved_from)))
    if q.language is not None:
        query = query.where(c(col(Referral.language), "language") == q.language)
    if q.caseworker_id is not None:
        query = query.where(c(col(Referral.caseworker_id), "caseworker_id") == q.caseworker_id)
    if q.unassigned:
        query = query.where(c(col(Referral.caseworker_id), "caseworker_id").is_(None))
    if q.interpreter_id is not None:
        query = query.where(c(col(Referral.interpreter_id), "interpreter_id") == q.interpreter_id)
    if q.reference and _WHOLE_REFERENCE.fullmatch(q.reference.upper()):
        query = query.where(Referral.reference == q.reference.upper())
    elif q.reference:
        # Matched in the narrow unique index on the reference alone, not row by row in the wide table.
        matching = select(Referral.id).where(col(Referral.reference).contains(q.reference.upper(), autoescape=True))
        query = query.where(col(Referral.id).in_(matching.scalar_subquery()))
    return query


def queue_page(db: Session, *, query: QueueQuery, after: QueueCursor | None = None,
               limit: int = 50) -> list[QueueRow]:
    """One page of the queue in its order: running IVO clocks first (soonest first), then priority
    (urgent, high, medium, low), then oldest first; `after` is the last row of the previous page.

    Two queries, each stopping at the page's end: the cases with a running clock (few), then the
    others, both along `ix_referral_order`. One query ordered by "clock first" sorted every open case
    on each page (300-600 ms at 100,000 referrals, bench/web.py). A narrow filter (one caseworker's or
    interpreter's cases, a reference) starts from its own index instead and sorts its few rows."""
    due, rank, created, rid = (col(Referral.ivo_due_at), col(Referral.priority_rank), col(Referral.created_at),
                               col(Referral.id))
    drive: frozenset[str] | None = None
    if db.get_bind().dialect.name == "sqlite":
        if query.reference:
            drive = frozenset({"id"})
        elif query.caseworker_id is not None:
            drive = frozenset({"caseworker_id"})
        elif query.interpreter_id is not None:
            drive = frozenset({"interpreter_id"})
        else:
            drive = frozenset({"ivo_due_at", "priority_rank"})
    clock = due if drive is None or "ivo_due_at" in drive else func.coalesce(due, due)
    rows: list[QueueRow] = []
    if after is None or after.ivo_due_at is not None:
        # running clocks are walked by their due date alone (a rank filter would start elsewhere and sort)
        by_due = drive - {"priority_rank"} if drive is not None and "ivo_due_at" in drive else drive
        clocked = _where(select(*_COLUMNS), query, drive=by_due).where(clock > _EPOCH)
        if after is not None and after.ivo_due_at is not None:
            clocked = clocked.where(tuple_(due, rank, created, rid)
                                    > tuple_(after.ivo_due_at, after.priority_rank, after.created_at, after.id))
        rows = _rows(db, clocked.order_by(due, rank, created, rid).limit(limit))
        if len(rows) >= limit:
            return rows
    rest = _where(select(*_COLUMNS), query, drive=drive).where(clock.is_(None))
    if after is not None and after.ivo_due_at is None:
        rest = rest.where(tuple_(rank, created, rid) > tuple_(after.priority_rank, after.created_at, after.id))
    return rows + _rows(db, rest.order_by(rank, created, rid).limit(limit - len(rows)))


def _rows(db: Session, stmt) -> list[QueueRow]:  # type: ignore[no-untyped-def]
    return [QueueRow(*row) for row in db.exec(stmt).all()]  # type: ignore[call-overload]


def queue_count(db: Session, *, query: QueueQuery) -> int:
    return int(db.exec(_where(select(func.count()).select_from(Referral), query)).one())


# ------------------------------------------------------------------------- staff
def find_staff(db: Session, *, who: str) -> Staff | None:
    """A staff member by staff id, Telegram id or e-mail (as the command line's `--as` names them)."""
    who = who.strip()
    if who.isdigit():
        number = int(who)
        found = db.get(Staff, number) if number < 2**31 else None
        return found or db.exec(select(Staff).where(Staff.telegram_user_id == number)).first()
    if "@" in who:  # the e-mail a staff member signs in to the web console with
        from storage.web import account_by_email

        found_account = account_by_email(db, email=who)
        return found_account[1] if found_account else None
    return None


def staff_names(db: Session, *, staff_ids: Sequence[int]) -> dict[int, str]:
    ids = sorted({i for i in staff_ids if i is not None})
    if not ids:
        return {}
    return {int(i): n for i, n in db.exec(select(Staff.id, Staff.name).where(col(Staff.id).in_(ids))).all()}


# ------------------------------------------------------------------------- the case
def bump_version(db: Session, *, referral_id: int, expected: int | None, now: datetime) -> bool:
    """Count a change to the case; False when `expected` is given and someone changed it meanwhile."""
    stmt = update(Referral).where(col(Referral.id) == referral_id)
    if expected is not None:
        stmt = stmt.where(col(Referral.version) == expected)
    result = db.exec(stmt.values(version=Referral.version + 1, updated_at=now))  # type: ignore[call-overload]
    return result.rowcount == 1


def set_caseworker(db: Session, *, referral_id: int, staff_id: int | None, holder: int | None) -> bool:
    """Give the case to `staff_id` (None: back to the queue) if `holder` still has it."""
    cond = col(Referral.caseworker_id).is_(None) if holder is None else col(Referral.caseworker_id) == holder
    result = db.exec(update(Referral).where(col(Referral.id) == referral_id, cond)  # type: ignore[call-overload]
                     .values(caseworker_id=staff_id))
    return result.rowcount == 1


def get_event(db: Session, *, referral_id: int, event_id: int) -> ReferralEvent | None:
    event = db.get(ReferralEvent, event_id)
    return event if event is not None and event.referral_id == referral_id else None


def record_read(db: Session, *, referral_id: int, actor: str, command: str, shell: str, now: datetime) -> None:
    db.add(CaseRead(referral_id=referral_id, actor=actor, command=command[:32], shell=shell[:16], at=now))


def case_reads(db: Session, *, referral_id: int | None = None, limit: int = 500) -> Sequence[CaseRead]:
    """The access log, newest first (one case's, or everyone's)."""
    query = select(CaseRead)
    if referral_id is not None:
        query = query.where(CaseRead.referral_id == referral_id)
    return db.exec(query.order_by(col(CaseRead.id).desc()).limit(limit)).all()

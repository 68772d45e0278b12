"""The staff side's queries: the queue page by page with its filters, staff by any of their ids, the
case's version check, events and the access log with its shell. The caller owns the transaction.

The queue is walked with a keyset (the last row's sort key), never an offset, so page 2,000 costs what
page 1 costs; `ix_referral_queue` (priority, age, id) serves the order of the cases without a running clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
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
    "searched",
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
    received_from: datetime | None = None  # created at or after
    received_before: datetime | None = None  # created before
    ids: tuple[int, ...] | None = None  # set here: the referrals whose reference matched


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


_COLUMNS = (Referral.id, Referral.reference, Referral.status, Referral.priority, Referral.priority_rank,
            Referral.level, Referral.forms_mask, Referral.ivo_due_at, Referral.moved_from, Referral.language,
            Referral.caseworker_id, Referral.interpreter_id, Referral.created_at)


def _where(query, q: QueueQuery, *, row_by_row: bool = False):  # type: ignore[no-untyped-def]
    """The filters as conditions. `row_by_row` writes the filters on single columns so that no index
    serves them (`coalesce(x, x)` is `x`): SQLite, which plans without statistics, then walks the
    running clocks' own small index instead of starting from a filter's index and sorting."""

    def c(column: Any) -> Any:
        return func.coalesce(column, column) if row_by_row else column

    if q.statuses is not None:
        query = query.where(col(Referral.status).in_(list(q.statuses)))
    if q.priority is not None:
        query = query.where(c(col(Referral.priority)) == q.priority)
    if q.level is not None:
        query = query.where(c(col(Referral.level)) == q.level)
    if q.form is not None:
        masks = [0] if q.form == 0 else [m for m in (1, 2, 3) if m & (1 << (q.form - 1))]
        query = query.where(col(Referral.forms_mask).in_(masks))
    if q.clock == "none":
        query = query.where(col(Referral.ivo_due_at).is_(None))
    elif q.clock == "running":
        query = query.where(col(Referral.ivo_due_at).is_not(None))
    elif q.clock == "overdue" and q.now is not None:
        query = query.where(col(Referral.ivo_due_at) <= q.now)
    elif q.clock == "due_soon" and q.soon is not None:
        query = query.where(col(Referral.ivo_due_at) <= q.soon)
    if q.moved_from is not None:
        query = query.where(c(col(Referral.moved_from)).in_(list(q.moved_from)))
    if q.language is not None:
        query = query.where(c(col(Referral.language)) == q.language)
    if q.caseworker_id is not None:
        query = query.where(c(col(Referral.caseworker_id)) == q.caseworker_id)
    if q.unassigned:
        query = query.where(col(Referral.caseworker_id).is_(None))
    if q.interpreter_id is not None:
        query = query.where(c(col(Referral.interpreter_id)) == q.interpreter_id)
    if q.received_from is not None:
        query = query.where(col(Referral.created_at) >= q.received_from)
    if q.received_before is not None:
        query = query.where(col(Referral.created_at) < q.received_before)
    if q.ids is not None:
        query = query.where(col(Referral.id).in_(list(q.ids)))
    elif q.reference:
        query = query.where(col(Referral.reference).contains(q.reference.upper(), autoescape=True))
    return query


_SEARCH_LIMIT = 500


_PRIORITY_RANKS = {"urgent": 0, "high": 1, "medium": 2, "low": 3}  # Referral.priority_rank


def searched(db: Session, q: QueueQuery) -> QueueQuery:
    """A reference search matches few cases: find them first (a scan of the small reference index), so the
    page is not found by walking the whole queue in order for them."""
    if not q.reference or q.ids is not None:
        return q
    exact = db.exec(select(Referral.id).where(Referral.reference == q.reference.strip().upper())).first()
    if exact is not None:  # the whole reference, pasted: its unique index
        return replace(q, ids=(int(exact),))
    found = db.exec(select(Referral.id).where(col(Referral.reference).contains(q.reference.upper(), autoescape=True))
                    .limit(_SEARCH_LIMIT + 1)).all()
    return q if len(found) > _SEARCH_LIMIT else replace(q, ids=tuple(int(i) for i in found if i is not None))


def queue_page(db: Session, *, query: QueueQuery, after: QueueCursor | None = None,
               limit: int = 50) -> list[QueueRow]:
    """One page of the queue in its order: running IVO clocks first (soonest first), then priority
    (urgent, high, medium, low), then oldest first; `after` is the last row of the previous page.

    Two index walks, each in its own order: the few cases with a running clock, then the rest by
    `ix_referral_queue` (priority, age, id); neither sorts the whole queue."""
    due, rank, created, rid = (col(Referral.ivo_due_at), col(Referral.priority_rank), col(Referral.created_at),
                               col(Referral.id))
    rows: list[Any] = []
    query = searched(db, query)
    if query.clock != "none" and (after is None or after.ivo_due_at is not None):
        walk_clocks = db.get_bind().dialect.name == "sqlite" and query.ids is None  # the few clocks, in order
        clocked = _where(select(*_COLUMNS), query, row_by_row=walk_clocks).where(due.is_not(None))
        if after is not None:
            clocked = clocked.where(tuple_(due, rank, created, rid)
                                    > tuple_(after.ivo_due_at, after.priority_rank, after.created_at, after.id))
        rows += db.exec(clocked.order_by(due, rank, created, rid).limit(limit)).all()  # type: ignore[call-overload]
        after = None
    if len(rows) < limit and query.clock in (None, "none"):
        plain = _where(select(*_COLUMNS), query).where(due.is_(None))
        if query.priority in _PRIORITY_RANKS:  # the same fact as the rank: walks only that part of the index
            plain = plain.where(rank == _PRIORITY_RANKS[query.priority])
        if after is not None:
            plain = plain.where(tuple_(rank, created, rid) > tuple_(after.priority_rank, after.created_at, after.id))
        rows += db.exec(plain.order_by(rank, created, rid).limit(limit - len(rows))).all()  # type: ignore[call-overload]
    return [QueueRow(*row) for row in rows]


def queue_count(db: Session, *, query: QueueQuery, cap: int = 1000) -> int:
    """How many cases match, counted up to `cap` (+1 means "more than cap"): a page never counts the whole
    table, whatever the filters."""
    matching = _where(select(Referral.id), searched(db, query)).limit(cap + 1).subquery()
    return int(db.exec(select(func.count()).select_from(matching)).one())  # type: ignore[call-overload]


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

"""The staff side's reads as plain data that every shell renders its own way: queue lines here, one case
(`casework.case_view`, re-exported), the transcript (`casework.transcript`). Everything is already in
Swedish (question and choice texts, names of steps and statuses, staff names), so a shell never shows a
raw id; the ids stay beside the texts for links and forms.

The builders here do not check permissions or log reads: `casework.commands.execute` does both before
it calls them, once for every shell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from casework import deadlines, municipalities, rules
from casework.case_view import (
    ActionRow,
    AnswerRow,
    CaseView,
    ConsentRecord,
    Correction,
    ReasonRow,
    Struck,
    TimelineEntry,
    actor_name,
    case_view,
)
from casework.errors import InvalidInput
from casework.labels import CLOCK_NAMES, LEVEL_NAMES, STATUS_NAMES, due_day, fold, language_sv, municipality_sv
from storage import casework as store

# One case (casework.case_view) is part of the read side too, re-exported: one import for every shell.
__all__ = [
    "COUNT_CAP", "ActionRow", "AnswerRow", "CaseView", "ConsentRecord", "Correction", "QueueFilters", "QueueLine",
    "QueuePage", "ReasonRow", "Struck", "TimelineEntry", "actor_name", "case_view", "municipality_codes", "queue_page",
]

PAGE = 50
COUNT_CAP = 1000  # a page says "fler än 1000" rather than count 100,000 cases each time


# ------------------------------------------------------------------------------ the queue
@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters as a shell takes them; anything unset shows everything."""

    status: str = "open"  # open (new and in_progress), new, in_progress, closed, all
    priority: str | None = None  # urgent, high, medium, low
    level: str | None = None  # high, medium, low
    form: int | None = None  # 1, 2, or 0: no form
    clock: str | None = None  # running, due_soon (overdue included), overdue, none
    municipality: str | None = None  # a name (Ljusdal) or kommunkod (2161); `annan`, `vet ej`
    language: str | None = None
    assignee: str | None = None  # mine, none, or a staff id
    reference: str | None = None  # a part of the reference
    received_from: str | None = None  # YYYY-MM-DD, a day in Stockholm: received (inkom) on or after it
    received_to: str | None = None  # YYYY-MM-DD: received on or before that day
    after: str | None = None  # the page marker of the previous page
    limit: int = PAGE


@dataclass(frozen=True)
class QueueLine:
    reference: str
    priority: str
    priority_sv: str
    level: str
    level_sv: str
    forms: tuple[int, ...]
    status: str
    status_sv: str
    ivo_due_at: datetime | None  # the moment the clock runs out
    ivo_due_on: date | None  # the last day, as staff read it
    clock: str | None  # overdue, due_soon, running
    clock_sv: str | None
    municipality: str | None  # kommunkod, other, dont_know
    municipality_sv: str
    language: str
    language_sv: str
    caseworker: str | None
    interpreter: str | None
    created_at: datetime


@dataclass(frozen=True)
class QueuePage:
    lines: tuple[QueueLine, ...]
    total: int  # how many match the filters, counted up to COUNT_CAP
    next: str | None  # the page marker of the next page; None on the last page

    @property
    def total_sv(self) -> str:
        return f"fler än {COUNT_CAP}" if self.total > COUNT_CAP else str(self.total)


_STATUSES = {"open": ("new", "in_progress"), "new": ("new",), "in_progress": ("in_progress",),
             "closed": ("closed",), "all": None}


def municipality_codes(text: str) -> tuple[str, ...]:
    """The kommunkoder a typed municipality stands for: a code, `other`, `dont_know`, or names it starts."""
    wanted = fold(text)
    if wanted in ("annan", "other", "annan ort"):
        return ("other",)
    if wanted in ("vet ej", "dont know", "okand"):
        return ("dont_know",)
    if wanted.isdigit():
        return (wanted.zfill(4),)
    everyone = municipalities.all_municipalities()
    exact = tuple(m.code for m in everyone if fold(m.name) == wanted)
    if exact:
        return exact
    starts = tuple(m.code for m in everyone if fold(m.name).startswith(wanted))
    return starts or tuple(m.code for m in municipalities.match_municipality(text, limit=1))


def _cursor_text(row: store.QueueRow) -> str:
    def micros(at: datetime) -> int:
        return int((at.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1_000_000)

    due = str(micros(row.ivo_due_at)) if row.ivo_due_at is not None else "-"
    return f"{due}.{row.priority_rank}.{micros(row.created_at)}.{row.id}"


def _cursor(text: str) -> store.QueueCursor:
    def at(micros: str) -> datetime:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(micros))

    try:
        due, rank, created, rid = text.split(".")
        return store.QueueCursor(None if due == "-" else at(due), int(rank), at(created), int(rid))
    except (ValueError, OverflowError) as exc:
        raise InvalidInput("Sidmarkören är ogiltig: börja om från första sidan.") from exc


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day_starts(text: str | None, label: str, *, next_day: bool = False) -> datetime | None:
    """Midnight in Stockholm starting the day (or the day after it), in UTC: staff count days as the
    municipality's calendar does, so a referral received at 00:30 Swedish time belongs to that day."""
    if not text or not text.strip():
        return None
    try:
        if not _ISO_DAY.fullmatch(text.strip()):
            raise ValueError(text)
        day = date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(f"{label}: skriv ett riktigt datum som ÅÅÅÅ-MM-DD.") from exc
    if next_day:
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=deadlines.STOCKHOLM).astimezone(UTC)


def _query(db: Session, f: QueueFilters, *, staff_id: int, interpreter: bool, now: datetime) -> store.QueueQuery:
    if f.status not in _STATUSES:
        raise InvalidInput(f"Okänd status {f.status[:20]!r}: open, new, in_progress, closed eller all.")
    for value, allowed, label in ((f.priority, rules.PRIORITY_ORDER, "prioritet"),
                                  (f.level, ("high", "medium", "low"), "nivå"),
                                  (f.clock, ("running", "due_soon", "overdue", "none"), "frist"),
                                  (f.form, (0, 1, 2), "form")):
        if value is not None and value not in allowed:
            raise InvalidInput(f"Okänd {label} {str(value)[:20]!r}.")
    caseworker_id, unassigned = None, False
    if f.assignee == "mine" and not interpreter:
        caseworker_id = staff_id
    elif f.assignee == "none":
        unassigned = True
    elif f.assignee:
        if not f.assignee.isdigit():
            raise InvalidInput("Handläggare: mine, none eller ett personal-id.")
        caseworker_id = int(f.assignee)
    received_from = _day_starts(f.received_from, "Inkom från")
    received_before = _day_starts(f.received_to, "Inkom till", next_day=True)
    if received_from and received_before and received_from >= received_before:
        raise InvalidInput("Inkom från ska vara samma dag som eller före Inkom till.")
    return store.QueueQuery(
        received_from=received_from, received_before=received_before,
        statuses=_STATUSES[f.status], priority=f.priority, level=f.level, form=f.form, clock=f.clock, now=now,
        soon=now + deadlines.DUE_SOON, language=f.language or None,
        moved_from=municipality_codes(f.municipality) if f.municipality else None,
        caseworker_id=caseworker_id, unassigned=unassigned,
        interpreter_id=staff_id if interpreter else None,  # an interpreter sees the cases assigned to them
        reference=(f.reference or "").strip()[:32] or None)


def queue_page(db: Session, filters: QueueFilters, *, staff_id: int, interpreter: bool, now: datetime) -> QueuePage:
    query = store.searched(db, _query(db, filters, staff_id=staff_id, interpreter=interpreter, now=now))
    limit = max(1, min(filters.limit, 200))
    after = _cursor(filters.after) if filters.after else None
    rows = store.queue_page(db, query=query, after=after, limit=limit + 1)
    more, rows = len(rows) > limit, rows[:limit]
    names = store.staff_names(db, staff_ids=[i for r in rows for i in (r.caseworker_id, r.interpreter_id) if i])
    lines = []
    for r in rows:
        clock = deadlines.clock(r.ivo_due_at, now) or ("running" if r.ivo_due_at else None)
        lines.append(QueueLine(
            reference=r.reference, priority=r.priority, priority_sv=LEVEL_NAMES.get(r.priority, r.priority),
            level=r.level, level_sv=LEVEL_NAMES.get(r.level, r.level),
            forms=tuple(f for f in (1, 2) if r.forms_mask & (1 << (f - 1))), status=r.status,
            status_sv=STATUS_NAMES.get(r.status, r.status), ivo_due_at=r.ivo_due_at,
            ivo_due_on=due_day(r.ivo_due_at), clock=clock,
            clock_sv=CLOCK_NAMES.get(clock) if clock else None, municipality=r.moved_from,
            municipality_sv=municipality_sv(r.moved_from), language=r.language, language_sv=language_sv(r.language),
            caseworker=names.get(r.caseworker_id) if r.caseworker_id else None,
            interpreter=names.get(r.interpreter_id) if r.interpreter_id else None, created_at=r.created_at))
    total = store.queue_count(db, query=query, cap=COUNT_CAP)
    return QueuePage(tuple(lines), total, _cursor_text(rows[-1]) if more and rows else None)

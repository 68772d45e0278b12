"""What happens to a case (ärende) over time: the dated steps of INTAKE_SPEC section 6 with their
structured data, and the lifecycle: claim, release, reassign, close, reopen, a wrong step struck
through. Each call runs in the caller's transaction on a case the command layer already authorized,
and leaves an event; nothing is ever deleted or edited (a wrong step gets a `struck` event).

`step_data(kind, fields)` is the one validation of a step's fields for every shell: real dates not in
the future, required fields, lengths, with Swedish messages. Claiming is one conditional update, so
two caseworkers pressing at once get exactly one winner on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework import deadlines
from casework.errors import AlreadyClaimed, CaseError, InvalidInput, UnknownCase
from casework.labels import EVENT_NAMES, fold
from storage import casework as store
from storage import repo
from storage.models import Referral, ReferralEvent, Staff

__all__ = [
    "CLOSE_REASONS",
    "STEPS",
    "STEP_KINDS",
    "STRIKABLE",
    "AlreadyClaimed",
    "CaseError",
    "FieldSpec",
    "StepKind",
    "UnknownCase",
    "claim",
    "close",
    "local_today",
    "parse_date",
    "reassign",
    "record_step",
    "release",
    "reopen",
    "step_data",
    "step_kind",
    "strike",
    "struck_ids",
]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CLOSE_REASONS = ("returned", "stays_with_support", "not_dumping", "no_contact", "withdrawn")
TEXT_LIMIT = 2000
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TODAY = {"idag": 0, "i dag": 0, "today": 0, "igar": 1, "i gar": 1, "yesterday": 1}


@dataclass(frozen=True)
class FieldSpec:
    """One structured field of a step: its key in `data`, its Swedish label, and what it accepts."""

    key: str
    label: str
    kind: str = "text"  # text, date, choice
    required: bool = False
    limit: int = 200
    choices: Mapping[str, str] = field(default_factory=dict)  # id -> Swedish
    future: bool = False  # a date that may lie ahead (the end of a period granted)
    aliases: tuple[str, ...] = ()  # Swedish keys a shell accepts (`insats=...`)


@dataclass(frozen=True)
class StepKind:
    id: str
    fields: tuple[FieldSpec, ...] = ()
    aliases: tuple[str, ...] = ()  # Swedish words a shell accepts for it

    @property
    def name(self) -> str:
        return EVENT_NAMES[self.id]


_TEXT = FieldSpec("text", "Text", limit=TEXT_LIMIT, aliases=("anteckning", "kommentar"))
COORDINATION = {"no_contact_found": "ingen kontakt hittad", "contact_found": "kontakt hittad"}

# The steps caseworkers record (INTAKE_SPEC section 6); the shape of each one's data is agreed with the
# letters and the IVO clock (docs: team COMMON.md), so these keys do not change.
STEP_KINDS: tuple[StepKind, ...] = (
    StepKind("municipality_contacted", (_TEXT,), ("kontakt", "kommunen kontaktad", "kontaktat kommunen")),
    StepKind("coordination_checked", (
        FieldSpec("result", "Resultat", kind="choice", required=True, choices=COORDINATION,
                  aliases=("resultat",)), _TEXT), ("samordning", "samordning kontrollerad", "kontrollerat samordning")),
    StepKind("letter_sent", (_TEXT,), ("skrivelse", "skrivelse skickad", "brev", "brev skickat")),
    StepKind("decision_recorded", (
        FieldSpec("decided_on", "Beslutsdatum", kind="date", required=True, aliases=("beslutat", "beslutsdatum")),
        FieldSpec("intervention", "Insats", required=True, aliases=("insats",)),
        FieldSpec("legal_basis", "Lagrum", required=True, aliases=("lagrum",)),
        FieldSpec("period_from", "Beviljat från", kind="date", required=True, future=True,
                  aliases=("fran", "från", "beviljat fran", "beviljat från")),
        FieldSpec("period_to", "Beviljat till", kind="date", future=True,
                  aliases=("till", "beviljat till", "tills vidare")),
        _TEXT), ("beslut", "beslut fattat", "beslut registrerat")),
    StepKind("transfer_requested", (
        FieldSpec("received_on", "Mottagen av kommunen", kind="date",
                  aliases=("mottagen", "mottaget", "mottogs", "mottagningsdatum")), _TEXT),
             ("begäran", "begäran om överflyttning", "överflyttning begärd")),
    StepKind("transfer_accepted", (_TEXT,), ("överflyttning accepterad", "accepterad")),
    StepKind("transfer_refused", (_TEXT,), ("överflyttning nekad", "nekad")),
    StepKind("ivo_applied", (_TEXT,), ("ivo", "ansökan till ivo", "ivo ansökan")),
    StepKind("home_visit_booked", (_TEXT,), ("hembesök bokat",)),
    StepKind("home_visit_done", (_TEXT,), ("hembesök gjort", "hembesök")),
    StepKind("housing_offered", (_TEXT,), ("bostad erbjuden", "bostadserbjudande")),
    StepKind("note", (FieldSpec("text", "Text", required=True, limit=TEXT_LIMIT),), ("anteckning",)),
)
STEPS = tuple(s.id for s in STEP_KINDS)
# What a later `struck` event may strike through: the recorded steps (not what the person did, nor the
# lifecycle, which has its own way back: release, reassign, reopen).
STRIKABLE = frozenset(STEPS)


def step_kind(raw: str) -> StepKind:
    """The step `raw` names: its id, its Swedish name or an alias (`beslut`, `begäran`)."""
    wanted = fold(raw)
    for kind in STEP_KINDS:
        if wanted in (fold(kind.id), fold(kind.name), *(fold(a) for a in kind.aliases)):
            return kind
    names = "; ".join(f"{k.name} ({k.id})" for k in STEP_KINDS)
    raise InvalidInput(f"Okänt steg {raw[:40]!r}. Steg: {names}.")


def local_today(now: datetime) -> date:
    return now.astimezone(STOCKHOLM).date()


def parse_date(raw: str, *, label: str, today: date, future: bool = False) -> date:
    """A real calendar date (ÅÅÅÅ-MM-DD, or `i dag`/`i går`), not in the future unless `future`."""
    if fold(raw) in _TODAY:
        return today - timedelta(days=_TODAY[fold(raw)])
    text = raw.strip()[:40]
    if not _ISO_DATE.fullmatch(text):
        raise InvalidInput(f"{label}: skriv datumet som ÅÅÅÅ-MM-DD, t.ex. {today:%Y-%m-%d}.")
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"{label}: {text} finns inte i kalendern.") from exc
    if not future and day > today:
        raise InvalidInput(f"{label}: {text} ligger i framtiden.")
    if day.year < 2000:
        raise InvalidInput(f"{label}: {text} är för långt tillbaka.")
    return day


def _field_by_key(kind: StepKind, key: str) -> FieldSpec | None:
    wanted = fold(key)
    return next((f for f in kind.fields if wanted in (fold(f.key), *(fold(a) for a in f.aliases))), None)


def step_data(kind: str, fields: Mapping[str, Any], *, on: date | None = None,
              today: date | None = None) -> dict[str, Any]:
    """A step's structured data from raw fields (keys as ids or Swedish), validated; raises `CaseError`.

    `on` is the step's own date: a decision is dated on it when no date is given, and a transfer
    request cannot have been received before it was sent. Empty values count as not given.
    """
    spec = step_kind(kind)
    today = today or local_today(datetime.now(STOCKHOLM))
    out: dict[str, Any] = {}
    for key, raw in fields.items():
        f = _field_by_key(spec, str(key))
        if f is None:
            known = ", ".join(x.key for x in spec.fields)
            raise InvalidInput(f"{spec.name.capitalize()} har inget fält {str(key)[:40]!r} (fält: {known}).")
        value = "" if raw is None else str(raw).strip()
        if not value:
            continue
        if f.kind == "date":
            out[f.key] = parse_date(value, label=f.label, today=today, future=f.future).isoformat()
        elif f.kind == "choice":
            choice = next((c for c, sv in f.choices.items() if fold(value) in (fold(c), fold(sv))), None)
            if choice is None:
                raise InvalidInput(f"{f.label}: välj {' eller '.join(f.choices.values())}.")
            out[f.key] = choice
        else:
            if len(value) > f.limit:
                raise InvalidInput(f"{f.label}: högst {f.limit} tecken (nu {len(value)}).")
            out[f.key] = value
    if spec.id == "decision_recorded" and "decided_on" not in out and on is not None:
        out["decided_on"] = on.isoformat()
    missing = [f.label for f in spec.fields if f.required and f.key not in out]
    if missing:
        raise InvalidInput(f"{spec.name.capitalize()} behöver: {', '.join(missing)}.")
    if spec.id == "decision_recorded":
        if "period_to" in out and out["period_to"] < out["period_from"]:
            raise InvalidInput("Beviljat till kan inte ligga före beviljat från.")
        out.setdefault("period_to", None)  # until further notice (tills vidare)
    if spec.id == "transfer_requested" and on is not None and out.get("received_on", on.isoformat()) < on.isoformat():
        raise InvalidInput("Mottagen av kommunen kan inte ligga före begäran skickades.")
    return out


# ------------------------------------------------------------------------------ the lifecycle
def _event(db: Session, referral: Referral, kind: str, actor: str, at: datetime,
           data: dict[str, Any] | None = None) -> ReferralEvent:
    assert referral.id is not None
    event = ReferralEvent(referral_id=referral.id, kind=kind, actor=actor, data=data, at=at)
    db.add(event)
    db.flush()
    return event


def _open(referral: Referral) -> None:
    if referral.status == "closed":
        raise CaseError(f"{referral.reference} är avslutat. Öppna det igen först.")


def _name(db: Session, staff_id: int | None) -> str | None:
    staff = repo.get_staff(db, staff_id=staff_id) if staff_id is not None else None
    return staff.name if staff else None


def struck_ids(events: list[ReferralEvent]) -> set[int]:
    """The events a later `struck` event took back."""
    return {int(e.data["event_id"]) for e in events if e.kind == "struck" and e.data and "event_id" in e.data}


def _reclock(db: Session, referral: Referral) -> None:
    """The IVO clock from the steps that stand (struck ones do not count), in the order they happened."""
    assert referral.id is not None
    db.flush()
    events = list(repo.referral_events(db, referral_id=referral.id))
    gone = struck_ids(events)
    standing = sorted(((e.kind, e.at, e.data) for e in events if e.id not in gone), key=lambda e: e[1])
    referral.ivo_due_at = None if referral.status == "closed" else deadlines.ivo_due_at(standing)


def claim(db: Session, *, referral: Referral, staff: Staff, now: datetime) -> bool:
    """Take the case; False when this staff member had it already. Someone else has it: `AlreadyClaimed`."""
    assert staff.id is not None and referral.id is not None
    if not repo.claim_referral(db, referral_id=referral.id, staff_id=staff.id, now=now):
        db.refresh(referral)
        if referral.caseworker_id == staff.id:
            return False
        _open(referral)
        raise AlreadyClaimed(_name(db, referral.caseworker_id) or "någon annan")
    db.refresh(referral)
    _event(db, referral, "claimed", f"staff:{staff.id}", now)
    return True


def release(db: Session, *, referral: Referral, actor: str, now: datetime) -> None:
    """Give the case back to the queue (nobody has it); it stays `in_progress` once steps are recorded."""
    _open(referral)
    holder = referral.caseworker_id
    if holder is None:
        raise CaseError(f"Ingen har {referral.reference} just nu.")
    assert referral.id is not None
    if not store.set_caseworker(db, referral_id=referral.id, staff_id=None, holder=holder):
        raise CaseError(f"{referral.reference} bytte handläggare just nu. Läs in ärendet igen.")
    db.refresh(referral)
    worked = any(e.kind in STRIKABLE for e in repo.referral_events(db, referral_id=referral.id))
    referral.status = "in_progress" if worked else "new"
    referral.updated_at = now
    db.add(referral)
    _event(db, referral, "released", actor, now, {"from": holder})


def reassign(db: Session, *, referral: Referral, to: Staff, actor: str, now: datetime) -> None:
    """Hand the case to another caseworker (or admin)."""
    _open(referral)
    if not to.active or to.role not in ("caseworker", "admin") or to.id is None:
        raise CaseError(f"{to.name} är inte handläggare.")
    holder = referral.caseworker_id
    if holder == to.id:
        raise CaseError(f"{to.name} har redan {referral.reference}.")
    assert referral.id is not None
    if not store.set_caseworker(db, referral_id=referral.id, staff_id=to.id, holder=holder):
        raise CaseError(f"{referral.reference} bytte handläggare just nu. Läs in ärendet igen.")
    db.refresh(referral)
    referral.status, referral.updated_at = "in_progress", now
    db.add(referral)
    _event(db, referral, "reassigned", actor, now, {"from": holder, "to": to.id})


def record_step(db: Session, *, referral: Referral, kind: str, on: date, data: dict[str, Any], actor: str,
                now: datetime) -> ReferralEvent:
    """A dated step with its validated data (`step_data`); `on` is the day it happened."""
    _open(referral)
    spec = step_kind(kind)
    at = now if on == local_today(now) else datetime.combine(on, time(12), tzinfo=STOCKHOLM)
    event = _event(db, referral, spec.id, actor, at, data or None)
    if referral.status == "new" and spec.id != "note":
        referral.status = "in_progress"
    _reclock(db, referral)
    referral.updated_at = now
    db.add(referral)
    return event


def strike(db: Session, *, referral: Referral, event_id: int, reason: str, actor: str,
           now: datetime) -> ReferralEvent:
    """Strike a wrong step through: it stays in the timeline, marked, with the reason; nothing is deleted."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Ange varför steget stryks.")
    if len(reason) > 500:
        raise InvalidInput(f"Anledningen: högst 500 tecken (nu {len(reason)}).")
    assert referral.id is not None
    target = store.get_event(db, referral_id=referral.id, event_id=event_id)
    if target is None or target.kind not in STRIKABLE:
        raise InvalidInput(f"{referral.reference} har inget steg {event_id} att stryka.")
    if event_id in struck_ids(list(repo.referral_events(db, referral_id=referral.id))):
        raise InvalidInput(f"Steg {event_id} är redan struket.")
    event = _event(db, referral, "struck", actor, now, {"event_id": event_id, "reason": reason})
    _reclock(db, referral)
    referral.updated_at = now
    db.add(referral)
    return event


def close(db: Session, *, referral: Referral, reason: str, actor: str, now: datetime) -> None:
    if reason not in CLOSE_REASONS:
        raise InvalidInput(f"Okänd anledning {reason[:40]!r}.")
    _open(referral)
    referral.status, referral.close_reason, referral.closed_at = "closed", reason, now
    referral.ivo_due_at = None
    referral.updated_at = now
    db.add(referral)
    _event(db, referral, "closed", actor, now, {"reason": reason})


def reopen(db: Session, *, referral: Referral, reason: str, actor: str, now: datetime) -> None:
    """A closed case opened again, with why; its earlier close stays in the timeline."""
    if referral.status != "closed":
        raise CaseError(f"{referral.reference} är inte avslutat.")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Ange varför ärendet öppnas igen.")
    if len(reason) > 500:
        raise InvalidInput(f"Anledningen: högst 500 tecken (nu {len(reason)}).")
    previous = referral.close_reason
    referral.status = "in_progress" if referral.caseworker_id is not None else "new"
    referral.close_reason, referral.closed_at, referral.updated_at = None, None, now
    db.add(referral)
    _event(db, referral, "reopened", actor, now, {"reason": reason, "close_reason": previous})
    _reclock(db, referral)

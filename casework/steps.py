"""What caseworkers do with a referral: claim it, record steps, notes, assign an interpreter,
correct an answer, close it. Each call runs in the caller's transaction and leaves a dated event.

Claiming is one conditional update (`... WHERE caseworker_id IS NULL`): when two caseworkers press
at once, the database lets exactly one of them win, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from casework import deadlines, queue
from casework.staff import Role
from storage import repo
from storage.models import Referral, ReferralEvent, Staff

__all__ = [
    "CLOSE_REASONS",
    "STEPS",
    "AlreadyClaimed",
    "CaseError",
    "CaseView",
    "UnknownCase",
    "assign_interpreter",
    "claim",
    "close",
    "edit_answer",
    "read_case",
    "record_step",
]

# Steps of INTAKE_SPEC section 6, as caseworkers record them.
STEPS = (
    "municipality_contacted",  # kontakt tagen med kommunen
    "letter_sent",  # officiell skrivelse skickad
    "transfer_requested",  # begäran om överflyttning skickad: startar en månads frist
    "transfer_accepted",
    "transfer_refused",
    "ivo_applied",  # ansökan om överflyttning hos IVO
    "home_visit_booked",
    "home_visit_done",
    "housing_offered",
    "note",
)
CLOSE_REASONS = ("returned", "stays_with_support", "not_dumping", "no_contact", "withdrawn")


class CaseError(Exception):
    """A staff action that cannot be done; the message is Swedish, for the caseworker."""


class UnknownCase(CaseError):
    pass


class AlreadyClaimed(CaseError):
    def __init__(self, holder: str) -> None:
        super().__init__(f"Ärendet är redan taget av {holder}.")
        self.holder = holder


@dataclass(frozen=True)
class CaseView:
    referral: Referral
    events: list[ReferralEvent]
    consents: dict[str, str]
    history: list[tuple[str, Any, datetime, str]]  # question, value, when, by whom
    typed: dict[str, str]
    caseworker: str | None
    interpreter: str | None


def _referral(db: Session, reference: str) -> Referral:
    referral = repo.get_referral(db, reference=reference.strip().upper())
    if referral is None or referral.id is None:
        raise UnknownCase(f"Inget ärende {reference}.")
    return referral


def _name(db: Session, staff_id: int | None) -> str | None:
    staff = repo.get_staff(db, staff_id=staff_id) if staff_id is not None else None
    return staff.name if staff else None


def claim(db: Session, *, reference: str, staff: Staff, now: datetime) -> Referral:
    referral = _referral(db, reference)
    assert staff.id is not None and referral.id is not None
    if not repo.claim_referral(db, referral_id=referral.id, staff_id=staff.id, now=now):
        db.refresh(referral)
        if referral.caseworker_id == staff.id:
            return referral
        if referral.status == "closed":
            raise CaseError(f"{referral.reference} är avslutat.")
        raise AlreadyClaimed(_name(db, referral.caseworker_id) or "någon annan")
    repo.add_referral_event(db, referral_id=referral.id, kind="claimed", actor=f"staff:{staff.id}", now=now)
    db.refresh(referral)
    return referral


def record_step(db: Session, *, reference: str, kind: str, actor: str, now: datetime,
                text: str | None = None, at: datetime | None = None) -> Referral:
    """A dated step; `at` is when it happened (default now), e.g. a letter posted yesterday."""
    if kind not in STEPS:
        raise CaseError(f"Okänt steg {kind!r}. Steg: {', '.join(STEPS)}.")
    if kind == "note" and not (text or "").strip():
        raise CaseError("En anteckning behöver en text.")
    referral = _referral(db, reference)
    if referral.status == "closed":
        raise CaseError(f"{referral.reference} är avslutat.")
    assert referral.id is not None
    data = {"text": text.strip()} if text and text.strip() else None
    repo.add_referral_event(db, referral_id=referral.id, kind=kind, actor=actor, now=at or now, data=data)
    db.flush()
    events = [(e.kind, e.at, e.data) for e in repo.referral_events(db, referral_id=referral.id)]
    referral.ivo_due_at = deadlines.ivo_due_at(sorted(events, key=lambda e: e[1]))
    if referral.status == "new" and kind != "note":
        referral.status = "in_progress"
    referral.updated_at = now
    db.add(referral)
    return referral


def close(db: Session, *, reference: str, reason: str, actor: str, now: datetime) -> Referral:
    if reason not in CLOSE_REASONS:
        raise CaseError(f"Okänd anledning {reason!r}. Anledningar: {', '.join(CLOSE_REASONS)}.")
    referral = _referral(db, reference)
    assert referral.id is not None
    referral.status, referral.close_reason, referral.closed_at = "closed", reason, now
    referral.ivo_due_at = None
    referral.updated_at = now
    db.add(referral)
    repo.add_referral_event(db, referral_id=referral.id, kind="closed", actor=actor, now=now, data={"reason": reason})
    return referral


def assign_interpreter(db: Session, *, reference: str, interpreter: Staff, actor: str, now: datetime) -> Referral:
    referral = _referral(db, reference)
    if interpreter.role != Role.INTERPRETER or not interpreter.active:
        raise CaseError(f"{interpreter.name} är inte tolk.")
    if referral.language not in (interpreter.languages or []):
        raise CaseError(f"{interpreter.name} tolkar inte {referral.language}.")
    assert referral.id is not None
    referral.interpreter_id = interpreter.id
    referral.updated_at = now
    db.add(referral)
    repo.add_referral_event(db, referral_id=referral.id, kind="interpreter_assigned", actor=actor, now=now,
                            data={"staff_id": interpreter.id})
    return referral


def edit_answer(db: Session, *, reference: str, question_id: str, value: Any, actor: str, now: datetime,
                valid: Mapping[str, Any]) -> Referral:
    """A caseworker's correction: both values stay (answer history), the assessment is recomputed.

    `valid` is the corrected answers as the dialog's table allows them (checked by the caller,
    which knows the question table); this module only records and reassesses.
    """
    referral = _referral(db, reference)
    assert referral.id is not None
    repo.add_answer_records(db, intake_id=referral.intake_id, answered=[(question_id, value)], now=now,
                            source=actor)
    queue.reassess(db, reference=referral.reference, answers=valid, now=now, actor=actor,
                   event="answer_corrected")
    return referral


def read_case(db: Session, *, reference: str, actor: str, command: str, now: datetime) -> CaseView:
    """Everything a caseworker sees of one case; the read itself is recorded."""
    referral = _referral(db, reference)
    assert referral.id is not None
    repo.add_case_read(db, referral_id=referral.id, actor=actor, command=command, now=now)
    intake = repo.get_intake(db, person_id=referral.person_id)
    history = [(r.question_id, r.value, r.at, r.source) for r in repo.answer_history(db, intake_id=referral.intake_id)]
    return CaseView(
        referral=referral,
        events=list(repo.referral_events(db, referral_id=referral.id)),
        consents=repo.current_consents(db, person_id=referral.person_id),
        history=history,
        typed=dict(intake.texts or {}) if intake else {},
        caseworker=_name(db, referral.caseworker_id),
        interpreter=_name(db, referral.interpreter_id),
    )

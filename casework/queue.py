"""The caseworkers' queue: a submitted intake becomes an assessed referral (ärende), and the export.

`submit` runs inside the transaction of the update that pressed "send", so a referral exists exactly
when the person was shown its reference. The JSON export is an interface other programs rely on
(INTAKE_SPEC section 8): its fields do not change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from casework.rules import PRIORITY_ORDER, assess
from storage import repo
from storage.models import Referral

__all__ = ["export", "export_answers", "export_items", "note_person_message", "reassess", "submit"]

CONSENTS = ("consent_store", "consent_contact", "consent_home_visit")


def submit(db: Session, *, person_id: int, intake_id: int, language: str, answers: Mapping[str, Any],
           now: datetime) -> Referral:
    """Create the referral of a finished intake, with its assessment."""
    assessment = assess(answers)
    consents = repo.current_consents(db, person_id=person_id)
    referral = Referral(
        reference=repo.next_reference(db, year=now.year),
        person_id=person_id,
        intake_id=intake_id,
        language=language,
        status="new",
        priority=assessment.priority,
        priority_rank=PRIORITY_ORDER[assessment.priority],
        level=assessment.level,
        likely_dumping=assessment.likely_dumping,
        assessment=assessment.to_dict(),
        rules_version=assessment.rules_version,
        answers=dict(answers),
        consents={k: v for k, v in consents.items() if k in CONSENTS},
        created_at=now,
        updated_at=now,
    )
    _queue_facts(referral)
    repo.add_referral(db, referral=referral)
    assert referral.id is not None
    repo.add_referral_event(db, referral_id=referral.id, kind="submitted", actor="person", now=now)
    return referral


def reassess(db: Session, *, reference: str, answers: Mapping[str, Any], now: datetime, actor: str,
             event: str) -> Referral | None:
    """New answers (a correction, a withdrawn consent): a new assessment; the event says why.

    The referral keeps its submitted answers in the answer history; its current answers and
    assessment follow the change (e.g. `request_justification` turns into `ask_consent_contact`), assessed with
    the current rules version (the referral records which).
    """
    referral = repo.get_referral(db, reference=reference)
    if referral is None or referral.id is None:
        return None
    assessment = assess(answers)
    referral.answers = dict(answers)
    referral.assessment = assessment.to_dict()
    referral.priority = assessment.priority
    referral.priority_rank = PRIORITY_ORDER[assessment.priority]
    referral.level = assessment.level
    referral.likely_dumping = assessment.likely_dumping
    referral.rules_version = assessment.rules_version
    referral.consents = {k: v for k, v in repo.current_consents(db, person_id=referral.person_id).items()
                         if k in CONSENTS}
    referral.updated_at = now
    _queue_facts(referral)
    db.add(referral)
    repo.add_referral_event(db, referral_id=referral.id, kind=event, actor=actor, now=now)
    return referral


def _queue_facts(referral: Referral) -> None:
    """The columns the staff queue filters on, from the answers and the assessment."""
    moved = (referral.answers or {}).get("moved_from")
    referral.moved_from = str(moved)[:16] if moved is not None else None
    forms = (referral.assessment or {}).get("forms", [])
    referral.forms_mask = sum(1 << (f - 1) for f in forms if f in (1, 2))


def note_person_message(db: Session, *, reference: str, now: datetime) -> None:
    """The person wrote again after submitting: the caseworker sees it in the referral's events."""
    referral = repo.get_referral(db, reference=reference)
    if referral is not None and referral.id is not None:
        repo.add_referral_event(db, referral_id=referral.id, kind="person_message", actor="person", now=now)
        referral.updated_at = now
        db.add(referral)


def export_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as the export shows them: `account` entries are text, or a file reference."""
    out = dict(answers)
    account = out.get("account")
    if isinstance(account, list):
        out["account"] = [e["text"] if "text" in e and "file" not in e else dict(e) for e in account]
    return out


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def export(db: Session) -> list[dict[str, Any]]:
    """Every referral, in queue order, with exactly the fields of INTAKE_SPEC section 8 (for tests and
    small callers: the command line streams `export_items` instead)."""
    return list(export_items(db))


def export_items(db: Session, *, batch: int = 500) -> Iterator[dict[str, Any]]:
    """The export one referral at a time, read in batches of `batch` rows and only the columns it
    prints, with the consents of each batch's people in one query, so its memory does not grow with
    the queue (100,000 referrals are one pass)."""
    for rows in repo.export_batches(db, batch=batch):
        consents = repo.current_consents_of(db, person_ids=[row.person_id for row in rows], consents=CONSENTS)
        for row in rows:
            yield {
                "reference": row.reference,
                "language": row.language,
                "status": row.status,
                "priority": row.priority,
                "created_at": _iso(row.created_at),
                "answers": export_answers(row.answers),
                "consents": consents.get(row.person_id, {}),
                "assessment": row.assessment,
            }

"""A letter draft for a case: gathers the case's facts from storage and renders them (Swedish)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.settings import Settings
from casework import steps
from casework.letters import KINDS, CaseEvent, CaseFacts, Letter, render_letter

__all__ = ["letter_for"]

_STOCKHOLM = ZoneInfo("Europe/Stockholm")


def letter_for(db: Session, *, reference: str, kind: str, actor: str, now: datetime,
               settings: Settings | None = None) -> Letter:
    settings = settings or Settings()  # the municipality-only facts: committee, signatory role
    if kind not in KINDS:
        raise steps.CaseError(f"Okänt brev {kind!r}: {', '.join(KINDS)}.")
    view = steps.read_case(db, reference=reference, actor=actor, command=f"letter:{kind}", now=now)
    r = view.referral
    facts = CaseFacts(
        reference=r.reference,
        letter_date=now.astimezone(_STOCKHOLM).date(),
        language=r.language,
        answers=dict(r.answers or {}),
        typed=view.typed,
        assessment=dict(r.assessment or {}),
        events=[CaseEvent(kind=e.kind, at=e.at, actor=e.actor, data=e.data) for e in view.events],
        caseworker=view.caseworker,
        committee=settings.committee,
        signatory_role=settings.signatory_role,
    )
    return render_letter(kind, facts)

"""What the caseworker recorded on the case, read for the letters: Sollefteå's decision, the coordination
check, the transfer request and its answer.

Why this module exists: what is transferred is Sollefteå's own open case (29 kap. 10 § SoL 2025:400),
so the transfer request and the IVO application are built on the decision the caseworker recorded
(step ``decision_recorded``), and the official letter may say "no coordination" only after the step
``coordination_checked`` found none. These steps carry structured data in the shapes agreed in the
team (COMMON.md); this module reads them defensively (an odd value is a gap, never a guess) and
turns them into Swedish phrases. Struck steps never reach the letters: the shell passes the
standing ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from babel.dates import format_date

from casework.deadlines import answer_deadline, local_day, received_on
from casework.letters.facts import CaseEvent

__all__ = ["Decision", "Steps", "swedish_date"]

_COORDINATION: Final = frozenset({"no_contact_found", "contact_found"})


def swedish_date(day: date) -> str:
    """``1 oktober 2026``."""
    return format_date(day, format="long", locale="sv")


def _iso_day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


@dataclass(frozen=True)
class Decision:
    """Sollefteå's own decision in the case (beslut), as recorded; fields it lacks are None or empty."""

    decided_on: date | None
    intervention: str
    legal_basis: str
    period_from: date | None
    period_to: date | None  # None: until further notice (tills vidare), when period_from is known
    text: str

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> Decision:
        data = data if isinstance(data, Mapping) else {}
        return cls(_iso_day(data.get("decided_on")), _text(data.get("intervention")), _text(data.get("legal_basis")),
                   _iso_day(data.get("period_from")), _iso_day(data.get("period_to")), _text(data.get("text")))

    def period(self) -> str | None:
        """``från och med 1 oktober 2026 till och med 31 mars 2027`` or ``… tills vidare``; None if unknown."""
        if self.period_from is None:
            return None
        end = f"till och med {swedish_date(self.period_to)}" if self.period_to else "tills vidare"
        return f"från och med {swedish_date(self.period_from)} {end}"


@dataclass(frozen=True)
class Steps:
    """The referral's standing steps in date order, and what the letters read from them."""

    events: tuple[CaseEvent, ...]

    @classmethod
    def of(cls, events: Sequence[CaseEvent]) -> Steps:
        return cls(tuple(sorted(events, key=lambda e: _aware(e.at))))

    def last(self, kind: str, since: CaseEvent | None = None) -> CaseEvent | None:
        """The latest ``kind`` step, if any (and only if not before ``since``)."""
        event = next((e for e in reversed(self.events) if e.kind == kind), None)
        if event is None or (since is not None and _aware(event.at) < _aware(since.at)):
            return None
        return event

    def day(self, kind: str, since: CaseEvent | None = None) -> date | None:
        event = self.last(kind, since)
        return local_day(event.at) if event else None

    def decision(self) -> Decision | None:
        event = self.last("decision_recorded")
        return Decision.from_data(event.data) if event else None

    def coordination(self) -> tuple[str, date] | None:
        """The latest coordination check: (``no_contact_found`` | ``contact_found``, its date), if recorded."""
        event = self.last("coordination_checked")
        result = event.data.get("result") if event and isinstance(event.data, Mapping) else None
        return (result, local_day(event.at)) if event and result in _COORDINATION else None

    def request(self) -> tuple[CaseEvent, date, date | None, date] | None:
        """The latest transfer request: (event, its date, the recorded receipt date, the answer deadline)."""
        event = self.last("transfer_requested")
        if event is None:
            return None
        data = event.data if isinstance(event.data, Mapping) else None
        recorded = _iso_day(data.get("received_on")) if data else None
        return event, local_day(event.at), recorded, answer_deadline(received_on(event.at, data))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # stored times are UTC

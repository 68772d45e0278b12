"""The facts a letter draft is written from, and the draft itself.

Why this module exists: the letters are pure functions of a case's facts, so the shell (CLI, staff
chat) gathers the facts from storage once, in these small frozen types, and the letters never read
the database. Names and personal identity numbers are never stored by the intake, so no field holds
them: the drafts always leave a visible gap for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

__all__ = ["KINDS", "CaseEvent", "CaseFacts", "Letter", "UnknownLetterKind"]

# official: officiell skrivelse (policy 2.1); transfer: begäran om överflyttning (2.2); ivo: ansökan hos IVO (2.2)
KINDS: Final = ("official", "transfer", "ivo")


class UnknownLetterKind(ValueError):
    """The letter kind is not one of ``KINDS``."""


@dataclass(frozen=True)
class CaseEvent:
    """A dated step on the referral (``submitted``, ``transfer_requested``, ``note`` ...)."""

    kind: str
    at: datetime
    actor: str
    data: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class CaseFacts:
    """One referral as the letters see it (answers as in the queue export of INTAKE_SPEC section 8)."""

    reference: str  # e.g. "SOL-2026-0042"
    letter_date: date
    language: str  # the person's language id; an interpreter is needed unless "sv"
    answers: Mapping[str, Any]  # question id -> choice id, list of choice ids, int or text; absent if not asked
    typed: Mapping[str, str]  # text typed where a choice was stored, e.g. {"moved_from": "Ljusdal"} for "other"
    assessment: Mapping[str, Any]  # casework.rules.Assessment.to_dict()
    events: Sequence[CaseEvent]  # the standing steps (struck ones left out by the shell)
    caseworker: str | None  # the assigned caseworker's name
    # What only the municipality knows (INTAKE_COMMITTEE, INTAKE_SIGNATORY_ROLE); empty: a gap in the draft.
    committee: str = ""  # Sollefteå's committee responsible for the case, e.g. "Socialnämnden, Sollefteå kommun"
    signatory_role: str = ""  # the role with mandate that signs the official letter, e.g. "Socialchef"


@dataclass(frozen=True)
class Letter:
    """A draft: plain text and an editable Word document saying the same, with its gaps listed."""

    kind: str
    text: str
    docx: bytes
    missing: tuple[str, ...]  # short Swedish labels of the facts marked «[UPPGIFT SAKNAS: …]» in the draft
    unverified: tuple[str, ...]  # legal references marked «[KONTROLLERA LAGHÄNVISNING: …]» in the draft
    filename: str  # the Word document's file name; the text's is the same with .txt

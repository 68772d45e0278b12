"""What the staff chat is told, in Swedish and without personal data.

A staff group can hold many people and its history stays on their phones: a notice carries the
reference, priority, level, forms, recommended actions and language, never an answer, a name, a
municipality or a message. Details are read in a private chat with the bot or on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from casework.rules import RULES_VERSION
from casework.rules_text import ACTION_NAMES  # the one table of the actions' Swedish names

__all__ = ["ACTION_NAMES", "LEVEL_NAMES", "deadlines_notice", "new_referral_notice"]

LEVEL_NAMES = {"urgent": "BRÅDSKANDE", "high": "hög", "medium": "medel", "low": "låg"}


def new_referral_notice(*, reference: str, priority: str, assessment: Mapping[str, Any], language: str) -> str:
    forms = ", ".join(f"form {f}" for f in assessment.get("forms", [])) or "ingen form"
    actions = "; ".join(ACTION_NAMES.get(a, a) for a in assessment.get("actions", [])) or "inga"
    return (
        f"Nytt ärende {reference}\n"
        f"Prioritet: {LEVEL_NAMES.get(priority, priority)} · nivå: {LEVEL_NAMES.get(assessment.get('level', ''), '?')}"
        f" · {forms} · språk: {language}\n"
        f"Åtgärder: {actions}\n"
        f"Regler: {assessment.get('rules_version', RULES_VERSION)}"
    )


def deadlines_notice(due: Sequence[tuple[str, datetime, str]], now: datetime) -> str | None:
    """The morning notice: (reference, due date, overdue|due_soon) for each running clock."""
    if not due:
        return None
    lines = ["Frister för ansökan till IVO (en månad efter begäran om överflyttning):"]
    for reference, due_at, state in due:
        when = due_at.strftime("%Y-%m-%d")
        lines.append(f"• {reference}: {'FÖRFALLEN sedan' if state == 'overdue' else 'förfaller'} {when}")
    return "\n".join(lines)

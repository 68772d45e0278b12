"""A caseworker's correction of an answer, checked against the question table like the person's own.

`intake queue edit SOL-2026-0042 had_support yes` and `/edit ...` in Telegram come here first: the
value must be one the question allows, and the answers that no longer apply are dropped, exactly as
when the person edits from the summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casework.municipalities import by_code
from dialogs.parsing import parse_count, parse_phone  # the same parsing as the person's typed answers
from dialogs.questions import DONT_KNOW, Kind, by_id, prune

__all__ = ["InvalidCorrection", "correct"]


class InvalidCorrection(ValueError):
    """The value is not an answer the question allows (message in Swedish, for the caseworker)."""


def correct(answers: Mapping[str, Any], question_id: str, raw: str) -> tuple[Any, dict[str, Any]]:
    """The parsed value and the answers after the correction (pruned)."""
    q = by_id(question_id)
    if q is None or not q.editable:
        raise InvalidCorrection(f"{question_id!r} kan inte rättas här.")
    raw = raw.strip()
    value: Any
    if q.kind is Kind.MULTI:
        value = [c.strip() for c in raw.replace(" ", ",").split(",") if c.strip()]
        bad = [c for c in value if c not in q.all_choices]
        if not value or bad:
            raise InvalidCorrection(f"Giltiga val för {question_id}: {', '.join(q.all_choices)}.")
        if len(value) > 1 and ({"none", DONT_KNOW} & set(value)):
            raise InvalidCorrection("none och dont_know kan inte kombineras med andra val.")
    elif q.kind is Kind.MUNICIPALITY:
        if raw not in ("other", DONT_KNOW) and by_code(raw) is None:
            raise InvalidCorrection("Ange en kommunkod (fyra siffror), other eller dont_know.")
        value = raw
    elif q.kind is Kind.COUNT:
        value = parse_count(raw)
        if value is None:
            raise InvalidCorrection("Ange ett antal från 1 till 15.")
    elif q.kind is Kind.PHONE:
        value = parse_phone(raw)
        if value is None:
            raise InvalidCorrection("Ange ett giltigt telefonnummer.")
    elif q.kind is Kind.ACCOUNT:
        raise InvalidCorrection("Berättelsen rättas inte: den är personens egna ord.")
    else:
        if raw not in q.all_choices:
            raise InvalidCorrection(f"Giltiga val för {question_id}: {', '.join(q.all_choices)}.")
        value = raw
    return value, prune(dict(answers) | {question_id: value})

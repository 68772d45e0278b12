"""Which entries of an intake's answer history are corrections, by the person or by staff. Pure.

The answer history keeps every answer given, in order, with its time and who gave it. A caseworker
sees the corrections beside the case: the person's own (an answer changed with Back or from the
summary, an account added to) exactly like a caseworker's. The first answer to a question is its
original; a later one that repeats the value before it (going back and forward again) changes
nothing and is no correction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["Change", "corrections"]


@dataclass(frozen=True)
class Change:
    question_id: str
    before: Any
    after: Any
    at: datetime
    by: str  # "person", or "caseworker:<staff id>"

    @property
    def added(self) -> list[Any]:
        """For a list that only grew (the account: never replaced), what was added."""
        if isinstance(self.before, list) and isinstance(self.after, list) and \
                self.after[: len(self.before)] == self.before:
            return self.after[len(self.before) :]
        return []


def corrections(history: Iterable[tuple[str, Any, datetime, str]]) -> list[Change]:
    """The changes after each question's first answer, in order: (question, value, when, by) in, changes out."""
    last: dict[str, Any] = {}
    out: list[Change] = []
    for question_id, value, at, by in history:
        if question_id in last and last[question_id] != value:
            out.append(Change(question_id, last[question_id], value, at, by))
        last[question_id] = value
    return out

"""When a question is asked: small conditions on earlier answers, data rather than code.

They live apart from the question table so that the table stays a table; each condition also says
which answers it reads (the diagram of the intake and the edit logic use that).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from casework import rules

__all__ = ["ALWAYS", "AllOf", "AnswerIn", "AnswerNotIn", "Answered", "Assessed", "Condition", "HasAnyExcept"]


class Condition:
    def holds(self, answers: Mapping[str, Any]) -> bool:  # pragma: no cover - interface
        raise TypeError

    def reads(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class _Always(Condition):
    def holds(self, answers: Mapping[str, Any]) -> bool:
        return True


@dataclass(frozen=True)
class AnswerIn(Condition):
    """The answer to `question` is one of `values`."""

    question: str
    values: frozenset[str]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return answers.get(self.question) in self.values

    def reads(self) -> tuple[str, ...]:
        return (self.question,)


@dataclass(frozen=True)
class AnswerNotIn(Condition):
    """The answer to `question` is anything but `values` (also: not answered)."""

    question: str
    values: frozenset[str]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return answers.get(self.question) not in self.values

    def reads(self) -> tuple[str, ...]:
        return (self.question,)


@dataclass(frozen=True)
class HasAnyExcept(Condition):
    """The multi-select answer to `question` holds a choice other than `values`."""

    question: str
    values: frozenset[str]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        chosen = answers.get(self.question)
        return isinstance(chosen, list) and any(c not in self.values for c in chosen)

    def reads(self) -> tuple[str, ...]:
        return (self.question,)


@dataclass(frozen=True)
class Answered(Condition):
    """`question` was answered (a question that depends on it is asked only then)."""

    question: str

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return self.question in answers

    def reads(self) -> tuple[str, ...]:
        return (self.question,)


@dataclass(frozen=True)
class AllOf(Condition):
    """Every one of `parts` holds."""

    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return all(p.holds(answers) for p in self.parts)

    def reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q for p in self.parts for q in p.reads()))


@dataclass(frozen=True)
class Assessed(Condition):
    """The assessment of the answers so far (casework.rules, the current rule table) finds any of `facts`.

    `facts` are ids the assessment establishes: signal ids (`S_housing_bad`) or `likely_dumping`. The
    question table asks the assessment rather than repeating its rules, so a new rules version
    changes what is asked without a change here.
    """

    facts: frozenset[str]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return bool(self.facts & rules.holding(answers))

    def reads(self) -> tuple[str, ...]:
        return rules.signal_reads()


ALWAYS: Condition = _Always()

"""The vocabulary of the rule tables: conditions over answers, rules and a versioned table, all pure.

Why this module exists: each policy version's rules (casework/rules_v1.py, rules_v2.py) are data
written with these few combinators, which read like the spec (``all_of(sig("S_support"),
any_of(sig("S_lease_by_muni"), sig("S_pushed")))``). Every condition says which answers it read
(``reads``) and which answers made it hold (``because``), so each reason shown to a caseworker can
name the signal, the answer and the policy section. The engine that evaluates a table is
casework/rules.py.

Pure: no I/O; a condition never raises on any mapping of str to JSON-like values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "LIKELY", "Condition", "Facts", "Rule", "RuleTable", "Signal", "all_of", "answer_is", "answer_is_not",
    "any_of", "form", "has_any", "has_other_than", "likely_dumping", "not_", "otherwise", "sig",
]

_SKIPPED: Final = "skipped"  # a skipped question: never counts as a choice
LIKELY: Final = "likely_dumping"  # the fact set once the level is one of the table's likely levels


# --- conditions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What a condition may look at: the answers and the ids established so far (signals, forms)."""

    answers: Mapping[str, Any]
    holding: frozenset[str] = frozenset()


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


class Condition:
    """A test over ``Facts``; ``describe`` reads like the spec, e.g. ``had_support = yes``."""

    describe: str

    def holds(self, facts: Facts) -> bool:  # every kind of condition says how it holds
        raise TypeError(f"{type(self).__name__} does not define holds()")

    def reads(self) -> tuple[str, ...]:
        """The question ids this condition looks at."""
        return ()

    def uses(self) -> tuple[str, ...]:
        """The ids of signals, forms and other facts this condition looks at."""
        return ()

    def because(self, facts: Facts) -> tuple[str, ...]:
        """The question ids whose answers made this condition hold (empty when it does not hold)."""
        return ()


@dataclass(frozen=True)
class _Answer(Condition):
    question: str
    describe: str
    test: Callable[[Any], bool] = field(repr=False, compare=False)

    def holds(self, facts: Facts) -> bool:
        return self.test(facts.answers.get(self.question))

    def reads(self) -> tuple[str, ...]:
        return (self.question,)

    def because(self, facts: Facts) -> tuple[str, ...]:
        return (self.question,) if self.holds(facts) else ()


@dataclass(frozen=True)
class _All(Condition):
    parts: tuple[Condition, ...]
    describe: str

    def holds(self, facts: Facts) -> bool:
        return all(p.holds(facts) for p in self.parts)

    def reads(self) -> tuple[str, ...]:
        return _unique(q for p in self.parts for q in p.reads())

    def uses(self) -> tuple[str, ...]:
        return _unique(u for p in self.parts for u in p.uses())

    def because(self, facts: Facts) -> tuple[str, ...]:
        return _unique(q for p in self.parts for q in p.because(facts)) if self.holds(facts) else ()


@dataclass(frozen=True)
class _Any(_All):
    def holds(self, facts: Facts) -> bool:
        return any(p.holds(facts) for p in self.parts)

    def because(self, facts: Facts) -> tuple[str, ...]:
        return _unique(q for p in self.parts if p.holds(facts) for q in p.because(facts))


@dataclass(frozen=True)
class _Not(_All):  # one part; holds when it does not; names no answer as its cause
    def holds(self, facts: Facts) -> bool:
        return not self.parts[0].holds(facts)

    def because(self, facts: Facts) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class _Fact(Condition):
    name: str
    describe: str

    def holds(self, facts: Facts) -> bool:
        return self.name in facts.holding

    def uses(self) -> tuple[str, ...]:
        return (self.name,)


@dataclass(frozen=True)
class _Always(Condition):
    describe: str = "annars"

    def holds(self, facts: Facts) -> bool:
        return True


def _choices(value: Any) -> tuple[str, ...]:
    """A multi-select answer as its choice ids: a list, or a single string; anything else is none."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return ()
    return tuple(v for v in value if isinstance(v, str) and v and v != _SKIPPED)


def answer_is(question: str, *values: str) -> Condition:
    """A single-choice answer is one of ``values``."""
    shown = values[0] if len(values) == 1 else "{" + ", ".join(values) + "}"
    op = "=" if len(values) == 1 else "∈"
    return _Answer(question, f"{question} {op} {shown}", lambda v: isinstance(v, str) and v in values)


def answer_is_not(question: str, *values: str) -> Condition:
    """A single-choice answer is anything but ``values``: also dont_know, skipped and not asked.

    For a signal the spec defines by what the answer is not (``receiving_contacted ≠ yes``); the
    reason then names the answer as it was, or that there was none.
    """
    shown = values[0] if len(values) == 1 else "{" + ", ".join(values) + "}"
    op = "≠" if len(values) == 1 else "∉"
    return _Answer(question, f"{question} {op} {shown}", lambda v: not (isinstance(v, str) and v in values))


def has_any(question: str, *values: str) -> Condition:
    """A multi-select answer contains at least one of ``values``."""
    return _Answer(
        question,
        f"{question} ∩ {{{', '.join(values)}}} ≠ ∅",
        lambda v: any(c in values for c in _choices(v)),
    )


def has_other_than(question: str, *excluded: str) -> Condition:
    """A multi-select answer contains a choice other than ``excluded`` (``skipped`` never counts)."""
    return _Answer(
        question,
        f"{question} har något utom {{{', '.join(excluded)}}}",
        lambda v: any(c not in excluded for c in _choices(v)),
    )


def all_of(*parts: Condition) -> Condition:
    return _All(parts, "(" + " och ".join(p.describe for p in parts) + ")")


def any_of(*parts: Condition) -> Condition:
    return _Any(parts, "(" + " eller ".join(p.describe for p in parts) + ")")


def not_(part: Condition) -> Condition:
    return _Not((part,), f"inte {part.describe}")


def sig(signal_id: str) -> Condition:
    """The signal ``signal_id`` holds."""
    return _Fact(signal_id, signal_id)


def form(number: int) -> Condition:
    """Form ``number`` (policy 1.1.1) matches."""
    return _Fact(f"form_{number}", f"form {number}")


def otherwise() -> Condition:
    return _Always()


likely_dumping: Final[Condition] = _Fact(LIKELY, LIKELY)


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One row: id, condition, policy section, Swedish text; ``gives`` is a form's number or a level."""

    id: str
    when: Condition
    section: str
    text: str
    gives: int | str | None = None


Signal = Rule  # a signal is a rule whose id is the signal id (S_*)


@dataclass(frozen=True)
class RuleTable:
    """One policy version's rules. Levels are ordered: the first that holds gives the level."""

    version: str
    signals: tuple[Rule, ...]
    forms: tuple[Rule, ...]
    levels: tuple[Rule, ...]
    likely_levels: frozenset[str]
    actions: tuple[Rule, ...]

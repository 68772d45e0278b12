"""``assess(answers)``, the pure assessment of INTAKE_SPEC section 4, over a versioned rule table.

Why this module exists: whether an intake looks like social dumping, which form, how urgent, and
what the caseworker should do next are decided by Sollefteå's policy (2020–2022), not by code. The
rules are data, one ``RuleTable`` per policy reading (casework/rules_v1.py, rules_v2.py), written
with the combinators of casework/rule_conditions.py; this module evaluates a table and explains the
result: each reason names the signal, the answers that produced it and the policy section.

New intakes and reassessments use the current table (``RULES``, version 2). A referral keeps the
version it was assessed with (``rules_version``) until it is reassessed; ``table_for`` finds that
version's table so its actions are still explained with its own texts.

Pure: no I/O, no telegram, no sqlmodel; never raises on any mapping of str to JSON-like values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from casework.rule_conditions import (
    LIKELY,
    Condition,
    Facts,
    Rule,
    RuleTable,
    Signal,
    all_of,
    answer_is,
    answer_is_not,
    any_of,
    form,
    has_any,
    has_other_than,
    likely_dumping,
    not_,
    otherwise,
    sig,
)
from casework.rules_text import IVO_APPLICATION_TEXT
from casework.rules_v1 import RULES_V1
from casework.rules_v2 import RULES_V2

__all__ = [
    "IVO_APPLICATION", "PRIORITY_ORDER", "RULES", "RULES_V1", "RULES_V2", "RULES_VERSION", "TABLES", "Assessment",
    "Condition", "Facts", "Reason", "RecommendedAction", "Rule", "RuleTable", "Signal", "all_of", "answer_is",
    "answer_is_not", "any_of", "assess", "form", "has_any", "has_other_than", "holding", "likely_dumping", "not_",
    "otherwise", "sig", "signal_reads", "table_for",
]

RULES: Final = RULES_V2  # the current version: every new assessment and every reassessment uses it
RULES_VERSION: Final = RULES.version
TABLES: Final[dict[str, RuleTable]] = {t.version: t for t in (RULES_V1, RULES_V2)}
PRIORITY_ORDER: Final[dict[str, int]] = {"urgent": 0, "high": 1, "medium": 2, "low": 3}


def table_for(version: str | None) -> RuleTable:
    """The table of a stored ``rules_version``; the current one for an unknown or missing version."""
    return TABLES.get(version or "", RULES)


# --- the result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a signal holds: the signal, the answers that produced it, the policy section, Swedish text."""

    signal: str
    answer: dict[str, Any] = field(hash=False)  # a dict: left out of the hash
    section: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"signal": self.signal, "answer": dict(self.answer), "section": self.section,
                "text": self.text}


@dataclass(frozen=True)
class RecommendedAction:
    id: str
    section: str
    text: str


IVO_APPLICATION: Final = RecommendedAction("ivo_application", "2.2", IVO_APPLICATION_TEXT)


def _action_info(table: RuleTable) -> dict[str, RecommendedAction]:
    return {r.id: RecommendedAction(r.id, r.section, r.text) for r in table.actions} | {
        IVO_APPLICATION.id: IVO_APPLICATION}


_ACTION_INFO: Final[dict[str, dict[str, RecommendedAction]]] = {v: _action_info(t) for v, t in TABLES.items()}


@dataclass(frozen=True)
class Assessment:
    likely_dumping: bool
    level: str
    forms: tuple[int, ...]
    signals: tuple[str, ...]
    actions: tuple[str, ...]
    reasons: tuple[Reason, ...]
    rules_version: str

    @property
    def urgent(self) -> bool:
        return "S_urgent" in self.signals

    @property
    def priority(self) -> str:
        return "urgent" if self.urgent else self.level

    def recommended(self) -> tuple[RecommendedAction, ...]:
        """The actions with their policy section and Swedish text, from this assessment's own version."""
        info = _ACTION_INFO.get(self.rules_version, _ACTION_INFO[RULES_VERSION])
        return tuple(info.get(a, RecommendedAction(a, "", "")) for a in self.actions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "likely_dumping": self.likely_dumping,
            "level": self.level,
            "forms": list(self.forms),
            "signals": list(self.signals),
            "actions": list(self.actions),
            "reasons": [r.to_dict() for r in self.reasons],
            "rules_version": self.rules_version,
        }


def _stored(value: Any) -> Any:
    return list(value) if isinstance(value, list | tuple) else value


def _shown(value: Any) -> str:
    if value is None:
        return "inget svar"
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)


def _reason(rule: Rule, facts: Facts) -> Reason:
    answer = {q: _stored(facts.answers.get(q)) for q in rule.when.because(facts)}
    shown = "; ".join(f"{q} = {_shown(v)}" for q, v in answer.items())
    return Reason(rule.id, answer, rule.section, f"{rule.text} ({shown}).")


def assess(answers: Mapping[str, Any], *, table: RuleTable = RULES) -> Assessment:
    """Assess one intake's answers (question id -> stored answer; questions not asked are absent)."""
    facts = Facts(answers if isinstance(answers, Mapping) else {})
    signals = [r for r in table.signals if r.when.holds(facts)]
    facts = Facts(facts.answers, frozenset(r.id for r in signals))
    forms = [r for r in table.forms if r.when.holds(facts)]
    facts = Facts(facts.answers, facts.holding | {r.id for r in forms})
    level = str(next((r.gives for r in table.levels if r.when.holds(facts)), "low"))
    likely = level in table.likely_levels
    if likely:
        facts = Facts(facts.answers, facts.holding | {LIKELY})
    return Assessment(
        likely_dumping=likely,
        level=level,
        forms=tuple(sorted(int(r.gives) for r in forms if isinstance(r.gives, int))),
        signals=tuple(sorted(r.id for r in signals)),
        actions=tuple(r.id for r in table.actions if r.when.holds(facts)),
        reasons=tuple(_reason(r, facts) for r in signals),
        rules_version=table.version,
    )


def holding(answers: Mapping[str, Any], *, table: RuleTable = RULES) -> frozenset[str]:
    """What the assessment of these answers establishes: its signal ids, and ``likely_dumping`` if so.

    The question table uses it to decide whether to ask a question (``consent_home_visit``) from
    the answers so far, without repeating the rules.
    """
    found = assess(answers, table=table)
    return frozenset(found.signals) | ({LIKELY} if found.likely_dumping else frozenset())


def signal_reads(*, table: RuleTable = RULES) -> tuple[str, ...]:
    """The question ids the signals (and so the forms and the level) read."""
    return tuple(dict.fromkeys(q for r in table.signals for q in r.when.reads()))

"""The versioned rule table of INTAKE_SPEC section 4 and ``assess(answers)``, the pure assessment.

Why this module exists: whether an intake looks like social dumping, which form, how urgent, and
what the caseworker should do next are decided by Sollefteå's policy (2020–2022), not by code. The
rules are therefore data: one ``RuleTable`` holding signals, forms, levels and actions, each with
an id, a condition built from small combinators that read like the spec, the policy section and a
reason in plain Swedish. The next policy version is a new table, not new code. Every condition can
say which answers it read (``reads``) and which answers made it hold (``because``), so each reason
shown to a caseworker names the signal, the answer and the policy section.

Pure: no I/O, no telegram, no sqlmodel; never raises on any mapping of str to JSON-like values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from casework.rules_text import ACTION_TEXT, FORM_TEXT, IVO_APPLICATION_TEXT, LEVEL_TEXT, SIGNAL_TEXT

__all__ = [
    "IVO_APPLICATION", "PRIORITY_ORDER", "RULES", "RULES_VERSION", "Assessment", "Condition", "Facts",
    "Reason", "RecommendedAction", "Rule", "RuleTable", "Signal", "all_of", "answer_is", "any_of",
    "assess", "form", "has_any", "has_other_than", "holding", "likely_dumping", "not_", "otherwise", "sig",
    "signal_reads",
]

RULES_VERSION: Final = "solleftea-2020-2022/1"
PRIORITY_ORDER: Final[dict[str, int]] = {"urgent": 0, "high": 1, "medium": 2, "low": 3}

_SKIPPED: Final = "skipped"  # a skipped question: never counts as a choice
_LIKELY: Final = "likely_dumping"  # the fact set once the level is high or medium


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


likely_dumping: Final[Condition] = _Fact(_LIKELY, _LIKELY)


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


def _signal(signal_id: str, when: Condition, section: str) -> Rule:
    return Signal(signal_id, when, section=section, text=SIGNAL_TEXT[signal_id])


def _action(action_id: str, when: Condition, section: str) -> Rule:
    return Rule(action_id, when, section=section, text=ACTION_TEXT[action_id])


_ANY_FORM: Final = any_of(form(1), form(2))
_CONSENT_CONTACT: Final = answer_is("consent_contact", "yes")

RULES: Final = RuleTable(
    version=RULES_VERSION,
    signals=(
        _signal("S_support", answer_is("had_support", "yes"), "2.2"),
        _signal("S_care", has_other_than("support_types", "economic", "dont_know"), "2.2"),
        _signal("S_estab_ended", answer_is("establishment", "ended"), "1.1.1"),
        _signal("S_lease_by_muni", answer_is("lease_ended", "terminated_by_municipality"), "1.1.1"),
        _signal("S_lease_ended",
                answer_is("lease_ended", "terminated_by_municipality", "terminated_by_landlord"), "1.1.1"),
        _signal("S_pushed", has_any("pushed_how", "told_contact_landlord", "apartment_arranged",
                                    "support_denied", "move_paid", "given_number"), "1.1.1"),
        _signal("S_not_involved", answer_is("understood", "partly", "not_understood", "forced"), "1.1.1"),
        _signal("S_no_coordination", answer_is("receiving_contacted", "no"), "1.1"),
        _signal("S_recent", answer_is("moved_when", "lt_1m", "1_3m"), "1.1.3"),
        _signal("S_housing_bad", any_of(has_other_than("housing_problems", "none", "dont_know"),
                                        answer_is("housing_now", "temporary", "no_place")), "2.3"),
        _signal("S_no_pay_check",
                all_of(answer_is("rent_ability", "no"), answer_is("landlord_checked", "no")), "2.4"),
        _signal("S_urgent", any_of(has_other_than("urgent_needs", "none", "dont_know"),
                                   answer_is("housing_now", "no_place")), "1.1.2.1"),
    ),
    forms=(
        Rule("form_1", all_of(sig("S_support"), any_of(sig("S_lease_by_muni"), sig("S_pushed"))),
             section="1.1.1", text=FORM_TEXT[1], gives=1),
        Rule("form_2", all_of(sig("S_estab_ended"), sig("S_lease_ended"),
                              any_of(sig("S_not_involved"), sig("S_pushed"))),
             section="1.1.1", text=FORM_TEXT[2], gives=2),
    ),
    levels=(
        Rule("level_high", all_of(_ANY_FORM, any_of(sig("S_not_involved"), sig("S_no_coordination"))),
             section="1.1.1", text=LEVEL_TEXT["high"], gives="high"),
        Rule("level_medium", any_of(_ANY_FORM, all_of(sig("S_pushed"), sig("S_no_coordination"))),
             section="1.1.1", text=LEVEL_TEXT["medium"], gives="medium"),
        Rule("level_low", otherwise(), section="", text=LEVEL_TEXT["low"], gives="low"),
    ),
    likely_levels=frozenset({"high", "medium"}),
    # In the order of the spec's action list. `ivo_application` is not produced here: it follows a
    # transfer request that was refused or not answered within one month, which is casework state
    # (casework/queue.py); its text is IVO_APPLICATION below.
    actions=(
        _action("contact_municipality", all_of(likely_dumping, _CONSENT_CONTACT), "2.1"),
        _action("ask_consent_contact", all_of(likely_dumping, not_(_CONSENT_CONTACT)), "2.1"),
        _action("document_account", likely_dumping, "2.1"),
        _action("official_letter", likely_dumping, "2.1"),
        _action("transfer_request", all_of(form(1), sig("S_care"), answer_is("wish", "return")), "2.2"),
        _action("home_visit", all_of(sig("S_housing_bad"), answer_is("consent_home_visit", "yes")), "2.3"),
        _action("housing_offer_review", all_of(sig("S_no_pay_check"), likely_dumping), "2.4"),
        _action("economic_assistance_assessment", answer_is("rent_ability", "no"), "2.4"),
        _action("urgent_contact", sig("S_urgent"), ""),  # priority, not a policy measure
    ),
)


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

_ACTION_INFO: Final[dict[str, RecommendedAction]] = {
    r.id: RecommendedAction(r.id, r.section, r.text) for r in RULES.actions
}


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
        return tuple(_ACTION_INFO.get(a, RecommendedAction(a, "", "")) for a in self.actions)

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
        facts = Facts(facts.answers, facts.holding | {_LIKELY})
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
    return frozenset(found.signals) | ({_LIKELY} if found.likely_dumping else frozenset())


def signal_reads(*, table: RuleTable = RULES) -> tuple[str, ...]:
    """The question ids the signals (and so the forms and the level) read."""
    return _unique(q for r in table.signals for q in r.when.reads())

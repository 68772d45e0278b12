"""Rules version 2 (solleftea-2020-2022/2): INTAKE_SPEC section 4 as data, row by row.

Why this module exists: the legal review of version 1 found that it flagged voluntary, coordinated
moves, missed the settlement lease that simply ran out (Form 2), let the person's ``dont_know`` about
coordination lower the level and tied the transfer request to Form 1 only. This table is the
corrected policy reading; a reviewer checks it against the spec line by line. The levels are this
system's triage for the caseworker (the policy has none), never a finding.
"""

from __future__ import annotations

from typing import Final

from casework.rule_conditions import (
    Condition,
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
from casework.rules_text import ACTION_TEXT, FORM_TEXT, LEVEL_TEXT, SIGNAL_TEXT

__all__ = ["RULES_V2"]


def _signal(signal_id: str, when: Condition, section: str) -> Rule:
    return Signal(signal_id, when, section=section, text=SIGNAL_TEXT[signal_id])


def _action(action_id: str, when: Condition, section: str) -> Rule:
    return Rule(action_id, when, section=section, text=ACTION_TEXT[action_id])


def _level(rule_id: str, when: Condition, level: str, text: str, section: str = "1.1.1") -> Rule:
    return Rule(rule_id, when, section=section, text=LEVEL_TEXT[text], gives=level)


_ANY_FORM: Final = any_of(form(1), form(2))
_CONSENT_CONTACT: Final = answer_is("consent_contact", "yes")
_CONSENT_VISIT: Final = answer_is("consent_home_visit", "yes")
# A care case the person may return from (2.2): dumping suspected, a form, a care intervention.
_CARE_CASE: Final = all_of(likely_dumping, _ANY_FORM, sig("S_care"))

RULES_V2: Final = RuleTable(
    version="solleftea-2020-2022/2",
    signals=(
        _signal("S_support", answer_is("had_support", "yes"), "1.1.1"),
        _signal("S_care", has_other_than("support_types", "economic", "dont_know"), "2.2"),
        _signal("S_estab_ended", answer_is("establishment", "ended"), "1.1.1"),
        _signal("S_lease_by_muni", any_of(
            answer_is("lease_ended", "terminated_by_municipality"),
            all_of(answer_is("lease_ended", "fixed_term_ended", "terminated_by_landlord"),
                   answer_is("lease_type", "municipal_sublet", "settlement_fixed_term"))), "1.1.1"),
        _signal("S_pushed", has_any("pushed_how", "told_contact_landlord", "apartment_arranged", "support_denied",
                                    "move_paid", "promised_better_help"), "1.1.1"),
        _signal("S_offered_lease", has_any("pushed_how", "apartment_arranged", "told_contact_landlord"), "1.1.1"),
        _signal("S_given_number", has_any("pushed_how", "given_number"), "1.1.3"),
        _signal("S_coerced", has_any("pushed_how", "support_denied"), "1.1.1"),
        _signal("S_not_involved", answer_is("understood", "partly", "not_understood", "forced"), "1.1.1"),
        _signal("S_own_wish", answer_is("understood", "own_wish"), "1.1"),
        # never proof either way: no, dont_know, skipped and not asked all count as "no coordination known"
        _signal("S_no_coordination", answer_is_not("receiving_contacted", "yes"), "1.1"),
        _signal("S_recent", answer_is("moved_when", "lt_1m", "1_3m"), "1.1.3"),
        _signal("S_housing_bad", any_of(has_other_than("housing_problems", "none", "dont_know"),
                                        answer_is("housing_now", "temporary", "no_place")), "2.3"),
        _signal("S_housing_harmful", has_any("housing_problems", "damp_broken", "no_heat_water", "unsafe"), "2.3"),
        _signal("S_no_pay_check",
                all_of(answer_is("rent_ability", "no"), answer_is("landlord_checked", "no")), "2.4"),
        _signal("S_urgent", any_of(has_other_than("urgent_needs", "none", "dont_know"),
                                   answer_is("housing_now", "no_place")), "1.1.2.1"),
    ),
    forms=(
        # Form 1: an ongoing intervention, the person made to move
        Rule("form_1", all_of(sig("S_support"), any_of(sig("S_lease_by_muni"), sig("S_pushed"))),
             section="1.1.1", text=FORM_TEXT[1], gives=1),
        # Form 2: leaving the establishment programme
        Rule("form_2", all_of(sig("S_estab_ended"), sig("S_lease_by_muni"), sig("S_offered_lease"),
                              sig("S_not_involved")),
             section="1.1.1", text=FORM_TEXT[2], gives=2),
    ),
    levels=(  # in this order: the first that holds gives the level
        _level("level_low_legitimate", all_of(_ANY_FORM, sig("S_own_wish"), not_(sig("S_no_coordination")),
                                              not_(sig("S_coerced"))), "low", "low_legitimate", "1.1"),
        _level("level_high", all_of(_ANY_FORM, sig("S_not_involved"), sig("S_no_coordination")), "high", "high"),
        _level("level_medium", _ANY_FORM, "medium", "medium"),
        _level("level_medium_uncoordinated", all_of(sig("S_no_coordination"), any_of(
            sig("S_pushed"), all_of(sig("S_given_number"), sig("S_support"), sig("S_not_involved")))),
            "medium", "medium_uncoordinated", "1.1"),
        Rule("level_low", otherwise(), section="", text=LEVEL_TEXT["low"], gives="low"),
    ),
    likely_levels=frozenset({"high", "medium"}),
    # In the order of the spec's list. `ivo_application` is not produced here: it follows a transfer request
    # refused or not answered within one month of its receipt, which is casework state (casework/deadlines.py).
    actions=(
        _action("contact_municipality", likely_dumping, "2.1"),
        _action("request_justification", all_of(likely_dumping, _CONSENT_CONTACT), "2.1"),
        _action("ask_consent_contact", all_of(likely_dumping, not_(_CONSENT_CONTACT)), "2.1"),
        _action("check_coordination", likely_dumping, "1.1"),
        _action("document_account", likely_dumping, "2.1"),
        _action("official_letter", likely_dumping, "2.1"),
        _action("transfer_request", all_of(_CARE_CASE, answer_is("wish", "return")), "2.2"),
        _action("discuss_return", all_of(_CARE_CASE, answer_is("wish", "undecided")), "2.2"),
        _action("home_visit", all_of(_CONSENT_VISIT, any_of(likely_dumping, sig("S_housing_bad"))), "2.3"),
        _action("ask_consent_home_visit", all_of(likely_dumping, not_(_CONSENT_VISIT),
                                                 answer_is_not("housing_now", "no_place")), "2.3"),
        _action("advise_new_housing", all_of(likely_dumping, sig("S_housing_harmful")), "2.3"),
        _action("housing_offer_review", all_of(likely_dumping, sig("S_no_pay_check")), "2.4"),
        _action("economic_assistance_assessment", answer_is("rent_ability", "no"), "2.4"),
        _action("urgent_contact", sig("S_urgent"), ""),  # priority, not a policy measure
    ),
)

"""Rules version 1 (solleftea-2020-2022/1), kept unchanged for the referrals assessed with it.

Why this module exists: a referral keeps the version it was assessed with until it is reassessed
(a corrected answer, a withdrawn consent), and its reasons and actions must still be explained with
that version's texts. Version 2 (casework/rules_v2.py) replaced it after a legal review; nothing new
is assessed with this table.
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
    any_of,
    form,
    has_any,
    has_other_than,
    likely_dumping,
    not_,
    otherwise,
    sig,
)
from casework.rules_text import V1_ACTION_TEXT, V1_FORM_TEXT, V1_LEVEL_TEXT, V1_SIGNAL_TEXT

__all__ = ["RULES_V1"]


def _signal(signal_id: str, when: Condition, section: str) -> Rule:
    return Signal(signal_id, when, section=section, text=V1_SIGNAL_TEXT[signal_id])


def _action(action_id: str, when: Condition, section: str) -> Rule:
    return Rule(action_id, when, section=section, text=V1_ACTION_TEXT[action_id])


_ANY_FORM: Final = any_of(form(1), form(2))
_CONSENT_CONTACT: Final = answer_is("consent_contact", "yes")

RULES_V1: Final = RuleTable(
    version="solleftea-2020-2022/1",
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
             section="1.1.1", text=V1_FORM_TEXT[1], gives=1),
        Rule("form_2", all_of(sig("S_estab_ended"), sig("S_lease_ended"),
                              any_of(sig("S_not_involved"), sig("S_pushed"))),
             section="1.1.1", text=V1_FORM_TEXT[2], gives=2),
    ),
    levels=(
        Rule("level_high", all_of(_ANY_FORM, any_of(sig("S_not_involved"), sig("S_no_coordination"))),
             section="1.1.1", text=V1_LEVEL_TEXT["high"], gives="high"),
        Rule("level_medium", any_of(_ANY_FORM, all_of(sig("S_pushed"), sig("S_no_coordination"))),
             section="1.1.1", text=V1_LEVEL_TEXT["medium"], gives="medium"),
        Rule("level_low", otherwise(), section="", text=V1_LEVEL_TEXT["low"], gives="low"),
    ),
    likely_levels=frozenset({"high", "medium"}),
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

"""Rules version 2 (INTAKE_SPEC section 4), row by row: signals, the worked cases, forms, levels, actions, reasons."""

from __future__ import annotations

import json
import math
from types import MappingProxyType
from typing import Any

import pytest

from casework.rules import (
    IVO_APPLICATION,
    PRIORITY_ORDER,
    RULES,
    RULES_V1,
    RULES_VERSION,
    TABLES,
    Assessment,
    Reason,
    RecommendedAction,
    assess,
    table_for,
)
from casework.rules_text import ACTION_NAMES

ABSENT = object()  # in `situation(...)`: the question was not asked

# A finished intake with nothing notable: supported nowhere, moved by own choice, housed, paying.
QUIET: dict[str, Any] = {
    "language": "sv", "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"],
    "moved_from": "2281", "moved_when": "gt_12m", "years_there": "gt_5y", "had_support": "no",
    "establishment": "no", "lease_type": "first_hand", "lease_ended": "own_choice", "pushed_how": ["none"],
    "understood": "own_wish", "receiving_contacted": "yes", "household": "alone",
    "housing_now": "own_lease", "housing_problems": ["none"], "rent_ability": "yes",
    "landlord_checked": "yes", "wish": "stay_with_support", "account": ["Jag flyttade hit."],
    "consent_contact": "no", "contact": "telegram", "guardian": "no",
}


def situation(*bases: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """QUIET with the answers of ``bases``, then ``changes``, put in; ABSENT removes an answer."""
    answers = dict(QUIET)
    for base in bases:
        answers.update(base)
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not ABSENT}


# --- signals: one table per signal ------------------------------------------------------------

SIGNAL_CASES: dict[str, list[Any]] = {
    "S_support": [
        pytest.param({"had_support": "yes"}, True, id="had support before the move"),
        pytest.param({"had_support": "no"}, False, id="no support before"),
        pytest.param({"had_support": "dont_know"}, False, id="does not know about support"),
        pytest.param({"had_support": "skipped"}, False, id="support question skipped"),
        pytest.param({}, False, id="support question not asked"),
        pytest.param({"had_support": ["yes"]}, False, id="odd: a list where a choice belongs"),
    ],
    "S_care": [
        pytest.param({"support_types": ["home_help"]}, True, id="home help"),
        pytest.param({"support_types": ["economic", "addiction_care"]}, True, id="economic and addiction care"),
        pytest.param({"support_types": ["care_housing"]}, True, id="care placement"),
        pytest.param({"support_types": "contact_family"}, True, id="a single string instead of a list"),
        pytest.param({"support_types": ["economic"]}, False, id="economic assistance only"),
        pytest.param({"support_types": ["dont_know"]}, False, id="does not know the kind of help"),
        pytest.param({"support_types": ["economic", "dont_know"]}, False, id="economic and dont_know"),
        pytest.param({"support_types": "skipped"}, False, id="kind of help skipped"),
        pytest.param({"support_types": []}, False, id="empty list"),
        pytest.param({"had_support": "yes"}, False, id="kind of help not asked"),
    ],
    "S_estab_ended": [
        pytest.param({"establishment": "ended"}, True, id="establishment programme ended"),
        pytest.param({"establishment": "ongoing"}, False, id="establishment programme ongoing"),
        pytest.param({"establishment": "no"}, False, id="never in the programme"),
        pytest.param({"establishment": "dont_know"}, False, id="does not know about the programme"),
        pytest.param({}, False, id="programme question not asked"),
    ],
    "S_lease_by_muni": [
        pytest.param({"lease_ended": "terminated_by_municipality"}, True, id="lease ended by municipality"),
        pytest.param({"lease_ended": "terminated_by_municipality", "lease_type": "first_hand"}, True,
                     id="own lease, municipality told them to leave"),
        pytest.param({"lease_ended": "fixed_term_ended", "lease_type": "settlement_fixed_term"}, True,
                     id="settlement lease ran out"),
        pytest.param({"lease_ended": "fixed_term_ended", "lease_type": "municipal_sublet"}, True,
                     id="social lease ran out"),
        pytest.param({"lease_ended": "terminated_by_landlord", "lease_type": "municipal_sublet"}, True,
                     id="social lease ended by the landlord (the municipality's housing)"),
        pytest.param({"lease_ended": "terminated_by_landlord", "lease_type": "settlement_fixed_term"}, True,
                     id="settlement lease ended by the landlord"),
        pytest.param({"lease_ended": "terminated_by_landlord", "lease_type": "first_hand"}, False,
                     id="private landlord ended their own lease"),
        pytest.param({"lease_ended": "fixed_term_ended", "lease_type": "private_sublet"}, False,
                     id="private sublet ran out"),
        pytest.param({"lease_ended": "fixed_term_ended", "lease_type": "dont_know"}, False,
                     id="a lease ran out, kind unknown"),
        pytest.param({"lease_ended": "fixed_term_ended"}, False, id="a lease ran out, kind not asked"),
        pytest.param({"lease_ended": "own_choice", "lease_type": "municipal_sublet"}, False,
                     id="left a social lease by own choice"),
        pytest.param({"lease_ended": "skipped"}, False, id="lease question skipped"),
        pytest.param({}, False, id="lease question not asked"),
    ],
    "S_pushed": [
        pytest.param({"pushed_how": ["told_contact_landlord"]}, True, id="told to contact a landlord here"),
        pytest.param({"pushed_how": ["apartment_arranged"]}, True, id="apartment arranged for them"),
        pytest.param({"pushed_how": ["support_denied"]}, True, id="support denied unless moving"),
        pytest.param({"pushed_how": ["move_paid"]}, True, id="move paid"),
        pytest.param({"pushed_how": ["promised_better_help"]}, True, id="promised better help here"),
        pytest.param({"pushed_how": "move_paid"}, True, id="a single string instead of a list"),
        pytest.param({"pushed_how": ["given_number"]}, False, id="only given our number: supporting evidence"),
        pytest.param({"pushed_how": ["none"]}, False, id="nothing happened"),
        pytest.param({"pushed_how": ["dont_know"]}, False, id="does not know"),
        pytest.param({"pushed_how": "skipped"}, False, id="pressure question skipped"),
        pytest.param({}, False, id="pressure question not asked"),
    ],
    "S_offered_lease": [
        pytest.param({"pushed_how": ["apartment_arranged"]}, True, id="apartment arranged for them"),
        pytest.param({"pushed_how": ["told_contact_landlord", "move_paid"]}, True, id="pointed to a landlord"),
        pytest.param({"pushed_how": ["move_paid", "promised_better_help"]}, False, id="paid and promised only"),
        pytest.param({"pushed_how": ["support_denied"]}, False, id="support denied only"),
        pytest.param({"pushed_how": ["none"]}, False, id="nothing happened"),
        pytest.param({}, False, id="pressure question not asked"),
    ],
    "S_given_number": [
        pytest.param({"pushed_how": ["given_number"]}, True, id="given our number"),
        pytest.param({"pushed_how": ["move_paid", "given_number"]}, True, id="move paid and given our number"),
        pytest.param({"pushed_how": ["move_paid"]}, False, id="move paid only"),
        pytest.param({"pushed_how": ["dont_know"]}, False, id="does not know"),
        pytest.param({}, False, id="pressure question not asked"),
    ],
    "S_coerced": [
        pytest.param({"pushed_how": ["support_denied"]}, True, id="support denied unless moving"),
        pytest.param({"pushed_how": ["support_denied", "move_paid"]}, True, id="denied and paid"),
        pytest.param({"pushed_how": ["move_paid"]}, False, id="move paid only"),
        pytest.param({"pushed_how": "skipped"}, False, id="skipped"),
        pytest.param({}, False, id="pressure question not asked"),
    ],
    "S_not_involved": [
        pytest.param({"understood": "partly"}, True, id="understood partly"),
        pytest.param({"understood": "not_understood"}, True, id="did not understand"),
        pytest.param({"understood": "forced"}, True, id="was forced"),
        pytest.param({"understood": "own_wish"}, False, id="moved by own wish"),
        pytest.param({"understood": "dont_know"}, False, id="does not know"),
        pytest.param({}, False, id="understanding not asked"),
    ],
    "S_own_wish": [
        pytest.param({"understood": "own_wish"}, True, id="moved by own wish"),
        pytest.param({"understood": "partly"}, False, id="understood partly"),
        pytest.param({"understood": "dont_know"}, False, id="does not know"),
        pytest.param({}, False, id="understanding not asked"),
    ],
    "S_no_coordination": [
        pytest.param({"receiving_contacted": "no"}, True, id="nobody here spoke with them before"),
        pytest.param({"receiving_contacted": "dont_know"}, True, id="does not know: never proof of coordination"),
        pytest.param({"receiving_contacted": "skipped"}, True, id="coordination question skipped"),
        pytest.param({}, True, id="coordination question not asked"),
        pytest.param({"receiving_contacted": "yes"}, False, id="our social services spoke with them"),
    ],
    "S_recent": [
        pytest.param({"moved_when": "lt_1m"}, True, id="moved less than a month ago"),
        pytest.param({"moved_when": "1_3m"}, True, id="moved one to three months ago"),
        pytest.param({"moved_when": "3_12m"}, False, id="moved three to twelve months ago"),
        pytest.param({"moved_when": "gt_12m"}, False, id="moved over a year ago"),
        pytest.param({"moved_when": "dont_know"}, False, id="does not know when"),
        pytest.param({}, False, id="move date not asked"),
    ],
    "S_housing_bad": [
        pytest.param({"housing_problems": ["damp_broken"]}, True, id="mould or damage"),
        pytest.param({"housing_problems": ["too_small", "isolated"]}, True, id="too small and isolated"),
        pytest.param({"housing_problems": "unsafe"}, True, id="a single string instead of a list"),
        pytest.param({"housing_now": "temporary"}, True, id="lives in a hostel"),
        pytest.param({"housing_now": "no_place"}, True, id="no place to live"),
        pytest.param({"housing_now": "own_lease", "housing_problems": ["none"]}, False, id="own lease, fine"),
        pytest.param({"housing_now": "friends", "housing_problems": ["dont_know"]}, False, id="with friends"),
        pytest.param({"housing_now": "sublet", "housing_problems": "skipped"}, False, id="problems skipped"),
        pytest.param({"housing_now": "dont_know"}, False, id="does not know where they live"),
        pytest.param({}, False, id="housing not asked"),
    ],
    "S_housing_harmful": [
        pytest.param({"housing_problems": ["damp_broken"]}, True, id="mould or damage"),
        pytest.param({"housing_problems": ["no_heat_water"]}, True, id="no heating or water"),
        pytest.param({"housing_problems": ["too_small", "unsafe"]}, True, id="too small and unsafe"),
        pytest.param({"housing_problems": ["too_small", "isolated"]}, False, id="too small and isolated only"),
        pytest.param({"housing_now": "temporary"}, False, id="a hostel is bad, not harmful by itself"),
        pytest.param({"housing_problems": ["none"]}, False, id="no problems"),
        pytest.param({}, False, id="problems not asked"),
    ],
    "S_no_pay_check": [
        pytest.param({"rent_ability": "no", "landlord_checked": "no"}, True, id="cannot pay, never checked"),
        pytest.param({"rent_ability": "no", "landlord_checked": "yes"}, False, id="cannot pay, was checked"),
        pytest.param({"rent_ability": "yes", "landlord_checked": "no"}, False, id="can pay, not checked"),
        pytest.param({"rent_ability": "no", "landlord_checked": "dont_know"}, False, id="unknown check"),
        pytest.param({"rent_ability": "no"}, False, id="landlord check not asked"),
        pytest.param({"landlord_checked": "no"}, False, id="rent ability not asked"),
        pytest.param({"rent_ability": "skipped", "landlord_checked": "no"}, False, id="rent ability skipped"),
    ],
    "S_urgent": [
        pytest.param({"urgent_needs": ["shelter"]}, True, id="needs shelter today"),
        pytest.param({"urgent_needs": ["food", "safety"]}, True, id="needs food and safety today"),
        pytest.param({"urgent_needs": "health"}, True, id="a single string instead of a list"),
        pytest.param({"urgent_needs": ["none"], "housing_now": "no_place"}, True, id="no place to live"),
        pytest.param({"urgent_needs": ["none"]}, False, id="nothing urgent"),
        pytest.param({"urgent_needs": ["dont_know"]}, False, id="does not know"),
        pytest.param({"urgent_needs": "skipped"}, False, id="urgent question skipped"),
        pytest.param({"housing_now": "temporary"}, False, id="temporary housing is not urgent by itself"),
        pytest.param({}, False, id="urgent question not asked"),
    ],
}


def test_every_signal_has_a_table() -> None:
    assert set(SIGNAL_CASES) == {r.id for r in RULES.signals}


@pytest.mark.parametrize(
    ("signal", "answers", "expected"),
    [pytest.param(s, *p.values, id=f"{s}: {p.id}") for s, ps in SIGNAL_CASES.items() for p in ps],
)
def test_signal(signal: str, answers: dict[str, Any], expected: bool) -> None:
    assert (signal in assess(answers).signals) is expected


@pytest.mark.parametrize(
    ("signal", "reads"),
    [
        ("S_housing_bad", ("housing_problems", "housing_now")),
        ("S_no_pay_check", ("rent_ability", "landlord_checked")),
        ("S_urgent", ("urgent_needs", "housing_now")),
        ("S_support", ("had_support",)),
        ("S_lease_by_muni", ("lease_ended", "lease_type")),
    ],
)
def test_a_signal_says_which_answers_it_reads(signal: str, reads: tuple[str, ...]) -> None:
    rule = next(r for r in RULES.signals if r.id == signal)
    assert rule.when.reads() == reads


# --- the worked cases of INTAKE_SPEC section 4 ------------------------------------------------

LIKELY = "contact_municipality", "ask_consent_contact", "check_coordination", "document_account", "official_letter"
LIKELY_CONSENTED = ("contact_municipality", "request_justification", "check_coordination", "document_account",
                    "official_letter")
CARE_FORM1 = dict(had_support="yes", support_types=["home_help"], lease_type="first_hand")
EST_ENDED = dict(had_support="no", establishment="ended")

WORKED_CASES = [
    pytest.param(situation(had_support="yes", support_types=["economic"], lease_ended="own_choice",
                           understood="own_wish", pushed_how=["given_number"], receiving_contacted="no"),
                 "low", (), (), id="voluntary move, given the number"),
    pytest.param(situation(EST_ENDED, lease_type="first_hand", lease_ended="terminated_by_landlord",
                           pushed_how=["none"], understood="partly", receiving_contacted="no"),
                 "low", (), (), id="private lease ended after establishment"),
    pytest.param(situation(EST_ENDED, lease_type="settlement_fixed_term", lease_ended="fixed_term_ended",
                           pushed_how=["apartment_arranged", "move_paid"], understood="not_understood",
                           receiving_contacted="dont_know"),
                 "high", (2,), (*LIKELY, "ask_consent_home_visit"), id="settlement lease ran out"),
    pytest.param(situation(had_support="yes", support_types=["addiction_care"], pushed_how=["support_denied"],
                           understood="forced", receiving_contacted="no", wish="return"),
                 "high", (1,), (*LIKELY, "transfer_request", "ask_consent_home_visit"),
                 id="addiction care, wants to return"),
    pytest.param(situation(CARE_FORM1, pushed_how=["promised_better_help"], understood="not_understood",
                           receiving_contacted="no"),
                 "high", (1,), (*LIKELY, "ask_consent_home_visit"), id="home help, promised better help"),
    pytest.param(situation(CARE_FORM1, pushed_how=["move_paid"], understood="own_wish", receiving_contacted="yes"),
                 "low", (1,), (), id="coordinated wanted move"),
    pytest.param(situation(had_support="yes", support_types=["addiction_care"], pushed_how=["support_denied"],
                           understood="own_wish", receiving_contacted="yes"),
                 "medium", (1,), (*LIKELY, "ask_consent_home_visit"), id="wanted, but support was withdrawn"),
    pytest.param(situation(had_support="dont_know", pushed_how=["apartment_arranged", "promised_better_help"],
                           understood="own_wish", receiving_contacted="no"),
                 "medium", (), (*LIKELY, "ask_consent_home_visit"), id="no known support, flat arranged, own wish"),
]


@pytest.mark.parametrize(("answers", "level", "forms", "actions"), WORKED_CASES)
def test_worked_case(answers: dict[str, Any], level: str, forms: tuple[int, ...], actions: tuple[str, ...]) -> None:
    result = assess(answers)
    assert (result.level, result.forms, result.actions) == (level, forms, actions)
    assert result.likely_dumping is (level in ("high", "medium"))
    assert result.rules_version == RULES_VERSION == "solleftea-2020-2022/2"


# --- forms ------------------------------------------------------------------------------------

FORM1 = dict(had_support="yes", support_types=["home_help"], lease_ended="terminated_by_municipality")
FORM2 = dict(establishment="ended", lease_type="settlement_fixed_term", lease_ended="fixed_term_ended",
             pushed_how=["apartment_arranged"], understood="not_understood")


@pytest.mark.parametrize(
    ("answers", "forms"),
    [
        pytest.param(situation(FORM1), (1,), id="care, lease ended by municipality"),
        pytest.param(situation(had_support="yes", support_types=["economic"], pushed_how=["support_denied"]),
                     (1,), id="economic assistance, support denied unless moving"),
        pytest.param(situation(had_support="yes", lease_type="first_hand", lease_ended="terminated_by_landlord"),
                     (), id="support, own lease ended by a private landlord, no pressure"),
        pytest.param(situation(had_support="yes", pushed_how=["given_number"]), (),
                     id="support, only given our number"),
        pytest.param(situation(had_support="no", lease_ended="terminated_by_municipality"), (),
                     id="no support, lease ended by municipality"),
        pytest.param(situation(had_support="dont_know", pushed_how=["move_paid"]), (),
                     id="unsure about support, move paid"),
        pytest.param(situation(had_support="yes", pushed_how=["promised_better_help"]), (1,),
                     id="support, promised better help"),
        pytest.param(situation(FORM2), (2,), id="establishment ended, settlement lease ran out, flat arranged"),
        pytest.param(situation(FORM2, lease_type="municipal_sublet", lease_ended="terminated_by_landlord",
                               pushed_how=["told_contact_landlord"], understood="partly"),
                     (2,), id="establishment ended, social lease ended, told to call a landlord here"),
        pytest.param(situation(FORM2, understood="own_wish"), (), id="form 2 pattern but the move was wanted"),
        pytest.param(situation(FORM2, pushed_how=["move_paid"]), (), id="form 2 pattern, no lease offered"),
        pytest.param(situation(FORM2, lease_type="first_hand", lease_ended="terminated_by_landlord"), (),
                     id="form 2 pattern, private landlord's notice"),
        pytest.param(situation(FORM2, establishment="ongoing"), (), id="establishment ongoing"),
        pytest.param(situation(FORM1, FORM2, lease_ended="terminated_by_municipality"), (1, 2),
                     id="both forms: care and establishment ended, lease ended by municipality"),
        pytest.param(QUIET, (), id="nothing notable"),
        pytest.param({}, (), id="no answers at all"),
    ],
)
def test_forms(answers: dict[str, Any], forms: tuple[int, ...]) -> None:
    assert assess(answers).forms == forms


# --- levels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        pytest.param(situation(FORM1, understood="forced", receiving_contacted="no"), "high",
                     id="form 1, forced, no coordination"),
        pytest.param(situation(FORM1, understood="partly", receiving_contacted="dont_know"), "high",
                     id="form 1, partly understood, unsure about coordination: dont_know does not lower it"),
        pytest.param(situation(FORM1, understood="forced"), "medium", id="form 1, forced, but coordinated"),
        pytest.param(situation(FORM1, receiving_contacted="no"), "medium", id="form 1, own wish, no coordination"),
        pytest.param(situation(FORM1), "low", id="form 1, own wish, coordinated: the legitimate move"),
        pytest.param(situation(FORM1, pushed_how=["support_denied"]), "medium",
                     id="form 1, own wish, coordinated, but support denied"),
        pytest.param(situation(FORM2, receiving_contacted="no"), "high", id="form 2, did not understand"),
        pytest.param(situation(pushed_how=["move_paid"], receiving_contacted="no"), "medium",
                     id="no form, move paid without coordination"),
        pytest.param(situation(pushed_how=["move_paid"], receiving_contacted="dont_know"), "medium",
                     id="no form, move paid, unsure about coordination"),
        pytest.param(situation(pushed_how=["move_paid"]), "low", id="no form, move paid, coordinated"),
        pytest.param(situation(had_support="yes", support_types=["economic"], lease_ended="own_choice",
                               pushed_how=["given_number"], understood="partly", receiving_contacted="no"),
                     "medium", id="no form, support, given our number, not involved, no coordination"),
        pytest.param(situation(pushed_how=["given_number"], understood="partly", receiving_contacted="no"), "low",
                     id="no form, no support, given our number"),
        pytest.param(situation(understood="forced", receiving_contacted="no"), "low",
                     id="no form, forced and no coordination but no pressure named"),
        pytest.param(QUIET, "low", id="nothing notable"),
        pytest.param({}, "low", id="no answers at all"),
    ],
)
def test_level(answers: dict[str, Any], level: str) -> None:
    result = assess(answers)
    assert result.level == level
    assert result.likely_dumping is (level in ("high", "medium"))


# --- actions ----------------------------------------------------------------------------------

HIGH1 = dict(FORM1, understood="forced", receiving_contacted="no")


@pytest.mark.parametrize(
    ("answers", "actions"),
    [
        pytest.param(situation(HIGH1, wish="return", consent_contact="yes", consent_home_visit="no"),
                     (*LIKELY_CONSENTED, "transfer_request", "ask_consent_home_visit"),
                     id="care, lease ended by municipality, wants to return, consents to contact"),
        pytest.param(situation(HIGH1, wish="return", consent_contact="no", consent_home_visit="yes"),
                     (*LIKELY, "transfer_request", "home_visit"),
                     id="care, wants to return, no consent to contact, agrees to a visit"),
        pytest.param(situation(HIGH1, consent_contact=ABSENT, consent_home_visit=ABSENT), (*LIKELY,
                     "ask_consent_home_visit"), id="likely dumping, consents not given"),
        pytest.param(situation(HIGH1, wish="undecided"), (*LIKELY, "discuss_return", "ask_consent_home_visit"),
                     id="care, undecided about returning: discuss the return first"),
        pytest.param(situation(HIGH1, support_types=["economic"], wish="return"), (*LIKELY, "ask_consent_home_visit"),
                     id="economic assistance only, wants to return: no transfer request"),
        pytest.param(situation(HIGH1, support_types=["economic", "housing_support"], wish="return"),
                     (*LIKELY, "transfer_request", "ask_consent_home_visit"),
                     id="economic assistance and housing support, wants to return"),
        pytest.param(situation(FORM2, had_support="yes", support_types=["contact_family"], wish="return",
                               receiving_contacted="no"),
                     (*LIKELY, "transfer_request", "ask_consent_home_visit"),
                     id="form 2 with a care intervention, wants to return: transfer request too"),
        pytest.param(situation(FORM2, receiving_contacted="no", wish="return"), (*LIKELY, "ask_consent_home_visit"),
                     id="form 2 without care, wants to return: no transfer request"),
        pytest.param(situation(CARE_FORM1, pushed_how=["move_paid"], wish="return"), (),
                     id="coordinated wanted move, wants to return: no suspicion, no transfer request"),
        pytest.param(situation(HIGH1, housing_now="no_place", housing_problems=ABSENT, consent_home_visit=ABSENT),
                     (*LIKELY, "urgent_contact"), id="likely dumping, no place to live: no visit to ask for"),
        pytest.param(situation(housing_problems=["damp_broken"], consent_home_visit="yes"), ("home_visit",),
                     id="not dumping, mould, agrees to a home visit"),
        pytest.param(situation(housing_problems=["damp_broken"], consent_home_visit="no"), (),
                     id="not dumping, mould, refuses a home visit: nothing to ask again"),
        pytest.param(situation(HIGH1, housing_problems=["damp_broken"], consent_home_visit="yes"),
                     (*LIKELY, "home_visit", "advise_new_housing"), id="likely dumping, mould, agrees to a visit"),
        pytest.param(situation(HIGH1, housing_problems=["too_small"], consent_home_visit="yes"),
                     (*LIKELY, "home_visit"), id="likely dumping, too small: not harmful, no advice to move"),
        pytest.param(situation(housing_problems=["unsafe"], consent_home_visit="yes"), ("home_visit",),
                     id="not dumping, unsafe home: a visit, no advice (2.3 is for established cases)"),
        pytest.param(situation(HIGH1, rent_ability="no", landlord_checked="no", consent_home_visit="yes"),
                     (*LIKELY, "home_visit", "housing_offer_review", "economic_assistance_assessment"),
                     id="likely dumping, cannot pay, landlord never checked"),
        pytest.param(situation(rent_ability="no", landlord_checked="no"), ("economic_assistance_assessment",),
                     id="not dumping, cannot pay, landlord never checked: no housing offer review"),
        pytest.param(situation(rent_ability="no"), ("economic_assistance_assessment",),
                     id="cannot pay the rent, landlord checked"),
        pytest.param(situation(rent_ability="dont_know", landlord_checked="no"), (),
                     id="unsure about paying the rent"),
        pytest.param(situation(urgent_needs=["shelter"]), ("urgent_contact",), id="needs shelter today"),
        pytest.param(situation(housing_now="no_place", housing_problems=ABSENT), ("urgent_contact",),
                     id="no place to live, nothing else"),
        pytest.param(
            situation(HIGH1, wish="return", consent_contact="yes", housing_problems=["no_heat_water"],
                      consent_home_visit="yes", rent_ability="no", landlord_checked="no", urgent_needs=["food"]),
            (*LIKELY_CONSENTED, "transfer_request", "home_visit", "advise_new_housing", "housing_offer_review",
             "economic_assistance_assessment", "urgent_contact"),
            id="everything at once, in the spec's order",
        ),
        pytest.param(QUIET, (), id="nothing notable"),
        pytest.param({}, (), id="no answers at all"),
    ],
)
def test_actions(answers: dict[str, Any], actions: tuple[str, ...]) -> None:
    assert assess(answers).actions == actions


def test_ivo_application_is_never_produced_at_intake() -> None:
    assert "ivo_application" not in {r.id for r in RULES.actions}
    assert IVO_APPLICATION == RecommendedAction("ivo_application", "2.2", IVO_APPLICATION.text)
    assert "IVO" in IVO_APPLICATION.text and "tog emot" in IVO_APPLICATION.text


# --- the contract personas --------------------------------------------------------------------

PERSONA_FORM1_SV = {
    "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"], "contact": "telegram",
    "years_there": "gt_5y", "guardian": "no", "language": "sv", "moved_from": "2161", "moved_when": "1_3m",
    "had_support": "yes", "support_types": ["contact_family"], "establishment": "no",
    "lease_type": "municipal_sublet", "lease_ended": "terminated_by_municipality", "pushed_how": ["given_number"],
    "understood": "partly", "receiving_contacted": "dont_know", "household": "alone", "housing_now": "own_lease",
    "housing_problems": ["none"], "rent_ability": "yes", "landlord_checked": "yes", "wish": "return",
    "account": "De sa att jag skulle ringa socialen i Sollefteå.", "consent_contact": "yes",
    "consent_home_visit": "no",
}
PERSONA_LOW_EN = {
    "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"], "contact": "telegram",
    "interpreter": "no", "years_there": "gt_5y", "guardian": "no", "language": "en", "moved_from": "2480",
    "moved_when": "3_12m", "had_support": "no", "establishment": "ongoing", "lease_type": "first_hand",
    "lease_ended": "own_choice", "pushed_how": ["none"], "understood": "own_wish", "receiving_contacted": "no",
    "household": "children", "children_count": 2, "housing_now": "own_lease", "housing_problems": ["too_small"],
    "rent_ability": "no", "landlord_checked": "yes", "wish": "stay_with_support", "account": "skipped",
    "consent_contact": "no", "consent_home_visit": "yes",
}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(PERSONA_FORM1_SV, {
            "likely_dumping": True, "level": "high", "forms": [1],
            "actions": ["contact_municipality", "request_justification", "check_coordination", "document_account",
                        "official_letter", "transfer_request", "ask_consent_home_visit"],
            "signals": ["S_care", "S_given_number", "S_lease_by_muni", "S_no_coordination", "S_not_involved",
                        "S_recent", "S_support"],
        }, id="persona public-form1-sv: care, lease ended by municipality, given our number, wants to return"),
        pytest.param(PERSONA_LOW_EN, {
            "likely_dumping": False, "level": "low", "forms": [],
            "actions": ["home_visit", "economic_assistance_assessment"],
            "signals": ["S_housing_bad", "S_no_coordination", "S_own_wish"],
        }, id="persona public-low-en: own choice, flat too small, cannot pay the rent"),
    ],
)
def test_contract_persona(answers: dict[str, Any], expected: dict[str, Any]) -> None:
    got = assess(answers).to_dict()
    assert {k: got[k] for k in expected} == expected


# --- reasons ----------------------------------------------------------------------------------

EVERYTHING = situation(FORM2, FORM1, wish="return", understood="own_wish",
                       pushed_how=["apartment_arranged", "given_number", "support_denied"], receiving_contacted="no",
                       moved_when="lt_1m", housing_now="temporary", housing_problems=["unsafe"], rent_ability="no",
                       landlord_checked="no", urgent_needs=["safety"])
EVERYTHING_BUT_OWN_WISH = dict(EVERYTHING, understood="forced")


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(PERSONA_FORM1_SV, id="persona public-form1-sv"),
        pytest.param(PERSONA_LOW_EN, id="persona public-low-en"),
        pytest.param(EVERYTHING, id="every signal but S_not_involved holds"),
        pytest.param(EVERYTHING_BUT_OWN_WISH, id="every signal but S_own_wish holds"),
        pytest.param({}, id="no answers: no coordination known, and the reason says so"),
    ],
)
def test_every_held_signal_has_a_reason_naming_signal_answer_and_section(answers: dict[str, Any]) -> None:
    result = assess(answers)
    table = {r.id: r for r in RULES.signals}
    assert [r.signal for r in result.reasons] == [r.id for r in RULES.signals if r.id in result.signals]
    for reason in result.reasons:
        assert reason.section == table[reason.signal].section != ""
        assert reason.answer, reason.signal
        for question, value in reason.answer.items():
            assert answers.get(question) == value
            assert f"{question} = " in reason.text
        assert reason.text.startswith(table[reason.signal].text)


def test_every_signal_holds_in_one_of_the_everything_situations() -> None:
    held = set(assess(EVERYTHING).signals) | set(assess(EVERYTHING_BUT_OWN_WISH).signals)
    assert held == {r.id for r in RULES.signals}


def test_an_unanswered_coordination_question_is_named_in_the_reason() -> None:
    (reason,) = [r for r in assess({}).reasons if r.signal == "S_no_coordination"]
    assert reason.answer == {"receiving_contacted": None}
    assert reason.text.endswith("(receiving_contacted = inget svar).")


@pytest.mark.parametrize(
    ("answers", "signal", "answer"),
    [
        pytest.param({"housing_now": "temporary", "housing_problems": ["none"]}, "S_housing_bad",
                     {"housing_now": "temporary"}, id="hostel, no problems named: the hostel is the reason"),
        pytest.param({"housing_now": "sublet", "housing_problems": ["too_small"]}, "S_housing_bad",
                     {"housing_problems": ["too_small"]}, id="sublet too small: the problem is the reason"),
        pytest.param({"housing_now": "temporary", "housing_problems": ["unsafe"]}, "S_housing_bad",
                     {"housing_problems": ["unsafe"], "housing_now": "temporary"}, id="unsafe hostel: both"),
        pytest.param({"rent_ability": "no", "landlord_checked": "no"}, "S_no_pay_check",
                     {"rent_ability": "no", "landlord_checked": "no"}, id="cannot pay, never checked: both"),
        pytest.param({"urgent_needs": ["none"], "housing_now": "no_place"}, "S_urgent",
                     {"housing_now": "no_place"}, id="nothing urgent named but no place to live"),
        pytest.param({"support_types": ["economic", "home_help"]}, "S_care",
                     {"support_types": ["economic", "home_help"]}, id="economic and home help: the stored list"),
    ],
)
def test_reason_names_the_answers_that_produced_it(answers: dict[str, Any], signal: str,
                                                    answer: dict[str, Any]) -> None:
    reason = next(r for r in assess(answers).reasons if r.signal == signal)
    assert reason.answer == answer


def test_reason_text_reads_as_plain_swedish() -> None:
    (reason,) = assess({"had_support": "yes", "receiving_contacted": "yes"}).reasons
    assert reason == Reason(
        "S_support", {"had_support": "yes"}, "1.1.1",
        "Personen hade en pågående insats från socialtjänsten i den tidigare kommunen (ekonomiskt bistånd "
        "inräknat) (had_support = yes).",
    )
    assert reason.to_dict() == {"signal": "S_support", "answer": {"had_support": "yes"}, "section": "1.1.1",
                                "text": reason.text}


# --- the result -------------------------------------------------------------------------------


def test_to_dict_is_json_serialisable_and_complete() -> None:
    result = assess(EVERYTHING_BUT_OWN_WISH)
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert set(data) == {"likely_dumping", "level", "forms", "signals", "actions", "reasons", "rules_version"}
    assert data["forms"] == [1, 2]
    assert data["signals"] == sorted(data["signals"])
    assert data["rules_version"] == RULES_VERSION
    assert all(set(r) == {"signal", "answer", "section", "text"} for r in data["reasons"])


@pytest.mark.parametrize(
    ("answers", "urgent", "priority"),
    [
        pytest.param(situation(HIGH1, urgent_needs=["shelter"]), True, "urgent",
                     id="form 1, forced, needs shelter today"),
        pytest.param(situation(HIGH1), False, "high", id="form 1, forced, no coordination"),
        pytest.param(situation(housing_now="no_place", housing_problems=ABSENT), True, "urgent",
                     id="no place to live"),
        pytest.param(QUIET, False, "low", id="nothing notable"),
    ],
)
def test_priority(answers: dict[str, Any], urgent: bool, priority: str) -> None:
    result = assess(answers)
    assert result.urgent is urgent
    assert result.priority == priority
    assert PRIORITY_ORDER == {"urgent": 0, "high": 1, "medium": 2, "low": 3}


def test_recommended_actions_carry_section_and_swedish_text() -> None:
    result = assess(situation(HIGH1, wish="return", consent_contact="yes", consent_home_visit="no",
                              urgent_needs=["food"]))
    recommended = result.recommended()
    assert tuple(a.id for a in recommended) == result.actions
    sections = {a.id: a.section for a in recommended}
    assert sections == {"contact_municipality": "2.1", "request_justification": "2.1", "check_coordination": "1.1",
                        "document_account": "2.1", "official_letter": "2.1", "transfer_request": "2.2",
                        "ask_consent_home_visit": "2.3", "urgent_contact": ""}
    assert all(a.text.strip() for a in recommended)


def test_every_action_of_every_version_has_a_swedish_name() -> None:
    actions = {r.id for t in TABLES.values() for r in t.actions} | {"ivo_application"}
    assert actions <= set(ACTION_NAMES)
    assert all(name.strip() and name != action for action, name in ACTION_NAMES.items())


# --- the table itself -------------------------------------------------------------------------

POLICY_SECTIONS = {"1.1", "1.1.1", "1.1.2.1", "1.1.3", "2.1", "2.2", "2.3", "2.4"}


def test_table_ids_are_unique_references_resolve_and_sections_exist() -> None:
    rules = (*RULES.signals, *RULES.forms, *RULES.levels, *RULES.actions)
    assert len({r.id for r in rules}) == len(rules)
    known = {r.id for r in (*RULES.signals, *RULES.forms)} | {"likely_dumping"}
    for rule in rules:
        assert set(rule.when.uses()) <= known, rule.id
        assert rule.text.strip(), rule.id
        assert rule.section in POLICY_SECTIONS or rule.id in ("level_low", "urgent_contact"), rule.id
    assert RULES.version == RULES_VERSION
    assert [r.id for r in RULES.actions] == [
        "contact_municipality", "request_justification", "ask_consent_contact", "check_coordination",
        "document_account", "official_letter", "transfer_request", "discuss_return", "home_visit",
        "ask_consent_home_visit", "advise_new_housing", "housing_offer_review", "economic_assistance_assessment",
        "urgent_contact",
    ]
    assert [r.gives for r in RULES.levels] == ["low", "high", "medium", "medium", "low"]


# --- version 1, kept for the referrals assessed with it ---------------------------------------

V1_FORM1_SV_ACTIONS = ("contact_municipality", "document_account", "official_letter", "transfer_request")


def test_version_1_still_assesses_as_it_did() -> None:
    old = assess(PERSONA_FORM1_SV, table=RULES_V1)
    assert old.rules_version == "solleftea-2020-2022/1" != RULES_VERSION
    assert (old.level, old.forms, old.actions) == ("high", (1,), V1_FORM1_SV_ACTIONS)
    assert "S_lease_ended" in old.signals  # a signal version 2 no longer has
    # the flaws the review found, still there in version 1 and gone in version 2
    voluntary = WORKED_CASES[0].values[0]
    assert assess(voluntary, table=RULES_V1).level == "high" and assess(voluntary).level == "low"


def test_a_stored_version_finds_its_own_table_and_texts() -> None:
    assert table_for("solleftea-2020-2022/1") is RULES_V1
    assert table_for(None) is RULES is table_for("no such version")
    old = assess(PERSONA_FORM1_SV, table=RULES_V1)
    (contact,) = [a for a in old.recommended() if a.id == "contact_municipality"]
    assert "samtyckt" in contact.text  # version 1's text, where contact needed consent


# --- robustness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param({}, id="empty"),
        pytest.param({q: None for q in QUIET}, id="every answer null"),
        pytest.param({q: "skipped" for q in QUIET}, id="every answer skipped"),
        pytest.param({q: "dont_know" for q in QUIET}, id="every answer dont_know"),
        pytest.param({q: ["dont_know"] for q in QUIET}, id="every answer a list of dont_know"),
        pytest.param({q: 7 for q in QUIET}, id="every answer a number"),
        pytest.param({q: math.nan for q in QUIET}, id="every answer NaN"),
        pytest.param({q: True for q in QUIET}, id="every answer a boolean"),
        pytest.param({q: {"yes": ["no"]} for q in QUIET}, id="every answer an object"),
        pytest.param({q: [[], {}, None, 3, ""] for q in QUIET}, id="every answer a list of junk"),
        pytest.param({"support_types": [["home_help"]], "urgent_needs": [{"shelter": 1}]}, id="nested lists"),
        pytest.param({"had_support": "YES", "wish": "Return "}, id="wrong case and spaces"),
        pytest.param({"unknown_question": "yes", "": ""}, id="unknown questions"),
        pytest.param(MappingProxyType(dict(EVERYTHING)), id="a read-only mapping"),
        pytest.param(None, id="not a mapping at all"),
    ],
)
def test_never_raises_on_odd_answers(answers: Any) -> None:
    result = assess(answers)
    assert isinstance(result, Assessment)
    assert result.level in ("high", "medium", "low")
    assert set(result.forms) <= {1, 2}
    json.dumps(result.to_dict())

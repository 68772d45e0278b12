"""The intake's questions as one table, in the order of INTAKE_SPEC section 3.

The table is the single place that says what is asked, with which choices, and when: the state
machine, the rendering, the validation, the summary and the tests are all built from it. Ids and
choice ids are stored, exported and pressed by outside programs, so they never change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dialogs import privacy
from dialogs.conditions import (
    ALWAYS,
    AllOf,
    Answered,
    AnswerIn,
    AnswerNotIn,
    Assessed,
    Condition,
    HasAnyExcept,
)
from dialogs.events import Config
from dialogs.i18n import N_, P_, Msg

__all__ = [
    "ALWAYS",
    "DONT_KNOW",
    "GROUPS",
    "QUESTIONS",
    "SKIPPED",
    "AllOf",
    "AnswerIn",
    "AnswerNotIn",
    "Answered",
    "Assessed",
    "Condition",
    "Group",
    "HasAnyExcept",
    "Kind",
    "Question",
    "applicable",
    "by_id",
    "prune",
]

DONT_KNOW = "dont_know"
SKIPPED = "skipped"


class Kind(StrEnum):
    LANGUAGE = "language"  # one choice among the available languages
    CHOICE = "choice"  # one choice
    MULTI = "multi"  # toggles, then done
    MUNICIPALITY = "municipality"  # typed name, then a choice among candidates
    COUNT = "count"  # a small whole number: buttons or typed
    PHONE = "phone"  # a typed phone number
    ACCOUNT = "account"  # several messages of any kind, then done
    SUMMARY = "summary"  # all answers, edit buttons, submit




@dataclass(frozen=True)
class Group:
    """A heading of the summary: its answers are listed under it, and one button edits them."""

    id: str
    heading: Msg


# The summary's groups, in the order it shows them (each question says which group it is in).
GROUPS: tuple[Group, ...] = (
    Group("move", P_("group", "Your move")),
    Group("support", P_("group", "Help before the move")),
    Group("now", P_("group", "Your situation now")),
    Group("story", P_("group", "Your wish and your story")),
    Group("contact", P_("group", "Contact and consents")),
)


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    prompt: Msg
    choices: tuple[str, ...] = ()
    labels: Mapping[str, Msg] = field(default_factory=dict)
    dont_know: bool = True
    skippable: bool = False
    when: Condition = ALWAYS
    # Translators' hint shown under the question, e.g. what a Swedish term means.
    hint: Msg | None = None
    # --- what the summary, /mydata, the staff view and the catalogs need
    title: Msg | None = None  # its short name (the summary, /mydata, the staff view)
    group: str | None = None  # the summary group it is listed and edited under
    editable: bool = False  # the person may change it from the summary (spec section 2, "Editing")
    consent: Msg | None = None  # the answer is a consent (samtycke); what it is to, as /consents lists it
    # --- each question's special handling
    ends_on: frozenset[str] = frozenset()  # answers that end the intake and erase everything
    # the message says more than the prompt, with the deployment's settings (the privacy notice)
    body: Callable[[Config], tuple[Msg, ...]] | None = None
    more: Callable[[Config], tuple[Msg, ...]] | None = None  # "Read more" (q:<id>:more), then the question
    urgent: bool = False  # any choice but none/dont_know shows the emergency contacts at once

    @property
    def all_choices(self) -> tuple[str, ...]:
        return self.choices + ((DONT_KNOW,) if self.dont_know else ())

    def label(self, choice: str) -> Msg:
        if choice == DONT_KNOW:
            return P_("choice", "I don't know")
        if choice == SKIPPED:
            return P_("choice", "Skipped")
        return self.labels[choice]


def _q(qid: str, kind: Kind, prompt: Msg, labels: Mapping[str, Msg] | None = None, **kw: Any) -> Question:
    labels = dict(labels or {})
    return Question(qid, kind, prompt, choices=tuple(labels), labels=labels, **kw)


def _in(group: str, title: Msg) -> dict[str, Any]:
    """Listed in the summary under `group`, as `title`, and editable from there."""
    return {"group": group, "title": title, "editable": True}


_YES_NO = {"yes": P_("choice", "Yes"), "no": P_("choice", "No")}
# Spec rows 16-17: the rent questions only for someone who has a rent of their own to pay.
_OWN_RENT = AnswerNotIn("housing_now", frozenset({"friends", "temporary", "no_place"}))

QUESTIONS: tuple[Question, ...] = (
    Question("language", Kind.LANGUAGE, N_("Which language do you want to use?"), dont_know=False),
    _q(
        "privacy",
        Kind.CHOICE,
        privacy.NOTICE[0],  # the whole short notice is dialogs/privacy.py, shown with the settings
        {"continue": P_("privacy", "Continue"), "stop": P_("privacy", "Stop, delete my answers")},
        dont_know=False,
        ends_on=frozenset({"stop"}),
        body=privacy.notice,  # the whole short notice (dialogs/privacy.py), with the municipality's settings
        more=privacy.more,  # only what the short notice did not say
    ),
    _q(
        "consent_store",
        Kind.CHOICE,
        N_(
            "Do you want to go on and tell us what happened here? "
            "We save your answers so that a caseworker can help you."
        ),
        {"yes": P_("consent_store", "Yes, go on"), "no": P_("consent_store", "No")},
        dont_know=False,
        consent=P_("consent", "To go on and tell us what happened"),
        ends_on=frozenset({"no"}),
    ),
    _q(
        "urgent_needs",
        Kind.MULTI,
        N_("Do you need help with any of these today? Choose all that fit, then press Done."),
        {
            "shelter": P_("urgent_needs", "A place to sleep"),
            "food": P_("urgent_needs", "Food"),
            "safety": P_("urgent_needs", "I am not safe"),
            "health": P_("urgent_needs", "Health care"),
            "none": P_("urgent_needs", "None of these"),
        },
        **_in("now", P_("title", "Help today")),
        urgent=True,
    ),
    Question(
        "moved_from",
        Kind.MUNICIPALITY,
        N_("Which municipality did you live in before you came to {town}? Write its name."),
        **_in("move", P_("title", "Moved from")),
    ),
    _q(
        "moved_when",
        Kind.CHOICE,
        N_("When did you move to {town}?"),
        {
            "lt_1m": P_("moved_when", "Less than 1 month ago"),
            "1_3m": P_("moved_when", "1–3 months ago"),
            "3_12m": P_("moved_when", "3–12 months ago"),
            "gt_12m": P_("moved_when", "More than a year ago"),
        },
        **_in("move", P_("title", "Moved when")),
    ),
    _q(
        "years_there",
        Kind.CHOICE,
        N_("How long did you live in that municipality?"),
        {
            "lt_1y": P_("years_there", "Less than 1 year"),
            "1_2y": P_("years_there", "1–2 years"),
            "2_5y": P_("years_there", "2–5 years"),
            "gt_5y": P_("years_there", "More than 5 years"),
        },
        **_in("move", P_("title", "Years there")),
    ),
    _q(
        "had_support",
        Kind.CHOICE,
        N_("Before you moved, did you get help from social services (socialtjänsten) in that municipality?"),
        _YES_NO,
        **_in("support", P_("title", "Help from social services")),
    ),
    _q(
        "support_types",
        Kind.MULTI,
        N_("What kind of help did you get? Choose all that fit, then press Done."),
        {
            "economic": P_("support_types", "Money (ekonomiskt bistånd)"),
            "home_help": P_("support_types", "Help at home (hemtjänst)"),
            "housing_support": P_("support_types", "Support in my home (boendestöd)"),
            "addiction_care": P_("support_types", "Help with alcohol or drugs"),
            "contact_family": P_("support_types", "Contact person or family support"),
            "care_housing": P_("support_types", "Care home or supported housing (HVB, stödboende)"),
            "other_care": P_("support_types", "Other care"),
        },
        when=AnswerIn("had_support", frozenset({"yes"})),
        **_in("support", P_("title", "Kind of help")),
    ),
    _q(
        "establishment",
        Kind.CHOICE,
        N_(
            "Were you in the establishment programme of Arbetsförmedlingen "
            "(etableringsprogrammet, etableringsersättning)?"
        ),
        {
            "ended": P_("establishment", "Yes, it ended before or around the move"),
            "ongoing": P_("establishment", "Yes, it is still going on"),
            "no": P_("establishment", "No"),
        },
        **_in("support", P_("title", "Establishment programme")),
    ),
    _q(
        "lease_type",
        Kind.CHOICE,
        N_("What kind of rental contract did you have there?"),
        {
            "first_hand": P_("lease_type", "My own contract"),
            "municipal_sublet": P_("lease_type", "Through the municipality (socialt kontrakt)"),
            "settlement_fixed_term": P_("lease_type", "A time-limited contract when I was settled"),
            "private_sublet": P_("lease_type", "Renting from a private person"),
            "none": P_("lease_type", "No contract (lodger, homeless, shelter)"),
        },
        **_in("move", P_("title", "Rental contract")),
    ),
    _q(
        "lease_ended",
        Kind.CHOICE,
        N_("Why did you leave your home there?"),
        {
            "terminated_by_municipality": P_("lease_ended", "The municipality told me to leave"),
            "fixed_term_ended": P_("lease_ended", "My time-limited contract ran out"),
            "terminated_by_landlord": P_("lease_ended", "The landlord ended my contract"),
            "own_choice": P_("lease_ended", "I chose to move"),
            "other": P_("lease_ended", "Something else"),
        },
        **_in("move", P_("title", "Why you left")),
    ),
    _q(
        "pushed_how",
        Kind.MULTI,
        N_("Did any of this happen before you moved? Choose all that fit, then press Done."),
        {
            "told_contact_landlord": P_("pushed_how", "I was told to call a landlord in another town"),
            "apartment_arranged": P_("pushed_how", "They found the apartment here for me"),
            "support_denied": P_("pushed_how", "My help was stopped unless I moved"),
            "move_paid": P_("pushed_how", "They paid the move, a ticket or the rent"),
            "given_number": P_("pushed_how", "They gave me the phone number of social services here"),
            "promised_better_help": P_("pushed_how", "They said I would get better help here"),
            "none": P_("pushed_how", "None of these"),
        },
        **_in("move", P_("title", "Before the move")),
    ),
    _q(
        "understood",
        Kind.CHOICE,
        N_("Did you understand the move, and did you agree to it?"),
        {
            "own_wish": P_("understood", "Yes, I wanted to move"),
            "partly": P_("understood", "Partly"),
            "not_understood": P_("understood", "No, I did not understand"),
            "forced": P_("understood", "No, I was forced"),
        },
        **_in("move", P_("title", "Understood the move")),
    ),
    _q(
        "receiving_contacted",
        Kind.CHOICE,
        N_("Did anyone from social services in {town} talk with you before you moved?"),
        _YES_NO,
        **_in("move", P_("title", "Contact with {town}")),
    ),
    _q(
        "household",
        Kind.CHOICE,
        N_("Who moved with you?"),
        {
            "alone": P_("household", "I moved alone"),
            "partner": P_("household", "My partner"),
            "children": P_("household", "My children"),
            "partner_children": P_("household", "My partner and children"),
            "other": P_("household", "Someone else"),
        },
        **_in("now", P_("title", "Who moved with you")),
    ),
    Question(
        "children_count",
        Kind.COUNT,
        N_("How many children moved with you? Press a number or write it."),
        choices=("1", "2", "3", "4", "5", "6"),
        dont_know=False,
        when=AnswerIn("household", frozenset({"children", "partner_children"})),
        **_in("now", P_("title", "Children")),
    ),
    _q(
        "housing_now",
        Kind.CHOICE,
        N_("Where do you live now?"),
        {
            "own_lease": P_("housing_now", "My own rental contract"),
            "sublet": P_("housing_now", "Renting from someone else"),
            "temporary": P_("housing_now", "Hostel, hotel or shelter"),
            "friends": P_("housing_now", "With friends or family"),
            "no_place": P_("housing_now", "I have no place to live"),
        },
        **_in("now", P_("title", "Home now")),
    ),
    _q(
        "housing_problems",
        Kind.MULTI,
        N_("Are there problems with your home? Choose all that fit, then press Done."),
        {
            "too_small": P_("housing_problems", "Too small"),
            "damp_broken": P_("housing_problems", "Mould, damage or broken things"),
            "no_heat_water": P_("housing_problems", "No heating or no water"),
            "isolated": P_("housing_problems", "Far from shops, school or buses"),
            "unsafe": P_("housing_problems", "Not safe"),
            "none": P_("housing_problems", "No problems"),
        },
        when=AnswerNotIn("housing_now", frozenset({"no_place"})),
        **_in("now", P_("title", "Problems with the home")),
    ),
    _q(
        "rent_ability",
        Kind.CHOICE,
        N_("Can you pay the rent with your own income?"),
        _YES_NO,
        when=_OWN_RENT,
        **_in("now", P_("title", "Can pay the rent")),
    ),
    _q(
        "landlord_checked",
        Kind.CHOICE,
        N_("Did the landlord ask about your income before you got the apartment?"),
        _YES_NO,
        when=_OWN_RENT,  # spec row 17: asked exactly when rent_ability is
        **_in("now", P_("title", "Landlord asked about income")),
    ),
    _q(
        "wish",
        Kind.CHOICE,
        N_("What would you like to happen now?"),
        {
            "return": P_("wish", "Go back to the municipality I came from"),
            "stay_with_support": P_("wish", "Stay in {town} and get support"),
            "undecided": P_("wish", "I have not decided"),
        },
        **_in("story", P_("title", "Your wish")),
    ),
    Question(
        "account",
        Kind.ACCOUNT,
        N_(
            "Tell us in your own words what happened. Write in any language, send a voice "
            "message, or send photos of letters you got. You can send several messages. "
            "Press Done when you have finished, or Skip."
        ),
        dont_know=False,
        skippable=True,
        **_in("story", P_("title", "Your story")),
    ),
    _q(
        "consent_contact",
        Kind.CHOICE,
        N_(
            "May we contact the municipality you came from about you, and ask them to explain "
            "why you had to move?"
        ),
        _YES_NO,
        dont_know=False,
        **_in("contact", P_("title", "May contact the other municipality")),
        consent=P_("consent", "To contact the municipality you came from"),
    ),
    _q(
        "consent_home_visit",
        Kind.CHOICE,
        N_("May a caseworker visit your home to see if it is good enough for you?"),
        _YES_NO,
        dont_know=False,
        # spec row 21: there is a home to visit, and the housing is bad or the move looks like dumping
        # (policy 2.3 asks for a visit in every established case)
        when=AllOf((AnswerNotIn("housing_now", frozenset({"no_place"})),
                    Assessed(frozenset({"S_housing_bad", "likely_dumping"})))),
        **_in("contact", P_("title", "Home visit")),
        consent=P_("consent", "A home visit"),
    ),
    _q(
        "contact",
        Kind.CHOICE,
        N_("How should we reach you?"),
        {
            "telegram": P_("contact", "Here in Telegram"),
            "phone": P_("contact", "By phone"),
            "visit": P_("contact", "I will come to the office"),
        },
        **_in("contact", P_("title", "How to reach you")),
    ),
    Question(
        "contact_phone",
        Kind.PHONE,
        N_("Write your phone number."),
        dont_know=False,
        when=AnswerIn("contact", frozenset({"phone"})),
        **_in("contact", P_("title", "Phone number")),
    ),
    _q(
        "guardian",
        Kind.CHOICE,
        N_("Do you have a god man or förvaltare (a person appointed to help you with your affairs)?"),
        _YES_NO,
        **_in("contact", P_("title", "God man or förvaltare")),
    ),
    _q(
        "interpreter",
        Kind.CHOICE,
        N_("Do you want an interpreter when you meet us?"),
        _YES_NO,
        when=AnswerNotIn("language", frozenset({"sv"})),
        **_in("contact", P_("title", "Interpreter")),
    ),
    Question("summary", Kind.SUMMARY, N_("Here are your answers. Check them before you send."), dont_know=False),
)

_BY_ID = {q.id: q for q in QUESTIONS}
ORDER = {q.id: i for i, q in enumerate(QUESTIONS)}


def by_id(question_id: str) -> Question | None:
    return _BY_ID.get(question_id)


def applicable(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the question is asked, given the answers so far."""
    return question.when.holds(answers)


def prune(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers without those to questions that are no longer asked (e.g. after an edit).

    Walks the table in order so that a dropped answer also drops what depended on it.
    """
    kept: dict[str, Any] = {}
    for q in QUESTIONS:
        if q.id in answers and applicable(q, kept):
            kept[q.id] = answers[q.id]
    return kept

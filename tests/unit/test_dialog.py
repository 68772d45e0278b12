"""The conversation, pure: which questions are asked, navigation, edits and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs.events import Media, NoteOnCase, Restart, Send, Submit
from dialogs.machine import STATES, diagram
from dialogs.questions import QUESTIONS, prune
from tests.unit.conversation import FORM1_SV, Conversation

BASE = FORM1_SV


def _with(**changes: Any) -> dict[str, Any]:
    return BASE | changes


ALWAYS = [
    "language", "privacy", "consent_store", "urgent_needs", "moved_from", "moved_when", "years_there",
    "had_support", "establishment", "lease_type", "lease_ended", "pushed_how", "understood",
    "receiving_contacted", "household", "housing_now", "wish", "account", "consent_contact", "contact", "guardian",
    "summary",
]


@pytest.mark.parametrize(
    ("persona", "asked_also", "not_asked"),
    [
        pytest.param(BASE, {"support_types", "housing_problems", "rent_ability", "landlord_checked",
                            "consent_home_visit"},
                     {"children_count", "contact_phone", "interpreter"},
                     id="swedish, likely dumping without housing problems: a visit is asked (policy 2.3)"),
        pytest.param(_with(had_support="no"), {"housing_problems"}, {"support_types"}, id="no support: no kinds"),
        pytest.param(_with(had_support="dont_know"), set(), {"support_types"}, id="does not know about support"),
        pytest.param(_with(household="partner_children", children_count="text:3"), {"children_count"}, set(),
                     id="moved with partner and children"),
        pytest.param(_with(household="children", children_count="2"), {"children_count"}, set(),
                     id="moved with children, pressed 2"),
        pytest.param(_with(housing_now="no_place"), set(),
                     {"housing_problems", "consent_home_visit", "rent_ability", "landlord_checked"},
                     id="no place to live: no housing problems, rent or visit asked"),
        pytest.param(_with(housing_now="friends"), {"housing_problems", "consent_home_visit"},
                     {"rent_ability", "landlord_checked"}, id="lives with friends: no rent of their own"),
        pytest.param(_with(housing_now="temporary", had_support="no"), {"consent_home_visit"},
                     {"rent_ability", "landlord_checked"}, id="hostel, no dumping: bad housing asks for a visit"),
        pytest.param(_with(housing_now="sublet", rent_ability="no", landlord_checked="no"),
                     {"rent_ability", "landlord_checked"}, set(), id="sublet: the rent questions are asked"),
        pytest.param(_with(housing_problems=["damp_broken", "isolated"], consent_home_visit="yes"),
                     {"consent_home_visit"}, set(), id="a problem with the home asks for a visit"),
        pytest.param(_with(had_support="no", housing_problems=["dont_know"]), set(), {"consent_home_visit"},
                     id="no dumping, does not know about problems: no visit asked"),
        pytest.param(_with(contact="phone", contact_phone="text:070-123 45 67"), {"contact_phone"}, set(),
                     id="reach me by phone"),
        pytest.param(_with(language="en", interpreter="yes"), {"interpreter"}, set(),
                     id="not Swedish: interpreter asked"),
    ],
)
def test_questions_asked(persona: dict[str, Any], asked_also: set[str], not_asked: set[str]) -> None:
    c = Conversation()
    c.answer(persona)
    assert c.submitted
    asked = set(c.asked)
    assert set(ALWAYS) | asked_also <= asked
    assert not (asked & not_asked)
    # no question comes back once the person has moved past it
    runs = [q for i, q in enumerate(c.asked) if i == 0 or c.asked[i - 1] != q]
    assert len(runs) == len(set(runs))


def test_answers_are_stored_as_choice_ids() -> None:
    c = Conversation()
    c.answer(_with(household="children", children_count="text:٣", contact="phone",
                   contact_phone="text:070-123 45 67"))
    a = c.state.answers
    assert a["moved_from"] == "2161"
    assert a["urgent_needs"] == ["none"]
    assert a["children_count"] == 3  # typed in Arabic-Indic digits
    assert a["contact_phone"] == "+46701234567"
    assert a["account"] == [{"text": "De sa att jag skulle ringa socialen i Sollefteå."}]
    assert c.state.reference is None and c.state.state == "done"


@pytest.mark.parametrize(
    ("answer", "ends"),
    [
        pytest.param({"privacy": "stop"}, "privacy", id="stops at the privacy notice"),
        pytest.param({"consent_store": "no"}, "consent_store", id="does not consent to go on"),
    ],
)
def test_declining_ends_and_erases(answer: dict[str, Any], ends: str) -> None:
    c = Conversation()
    c.answer(_with(**answer))
    assert c.erased and not c.submitted
    assert c.state.state == "ended" and c.state.answers == {}
    assert c.asked[-1] == ends


def test_back_returns_to_previous_question_and_keeps_answers() -> None:
    c = Conversation()
    c.command("start")
    for data in ("q:language:en", "q:privacy:continue", "q:consent_store:yes"):
        c.press(data)
    c.press("q:urgent_needs:none")
    c.press("q:urgent_needs:done")
    assert c.open_question == "moved_from"
    c.press("q:moved_from:back")
    assert c.open_question == "urgent_needs"
    assert c.state.answers["urgent_needs"] == ["none"]
    assert "q:urgent_needs:back" in c.buttons


def test_first_question_has_no_back() -> None:
    c = Conversation()
    c.command("start")
    assert c.open_question == "language"
    assert not any(b.endswith(":back") for b in c.buttons)


@pytest.mark.parametrize(
    ("data", "toast"),
    [
        pytest.param("q:wish:return", "already answered", id="press on a question that is not open"),
        pytest.param("q:moved_when:tomorrow", "does not work", id="forged choice"),
        pytest.param("x" * 300, "does not work", id="overlong garbage"),
        pytest.param("q:moved_when:", "does not work", id="empty choice"),
        pytest.param("c:restart:yes", "does not work", id="confirmation nobody asked for"),
    ],
)
def test_bad_presses_change_nothing(data: str, toast: str) -> None:
    c = Conversation()
    c.command("start")
    for d in ("q:language:en", "q:privacy:continue", "q:consent_store:yes", "q:urgent_needs:none",
              "q:urgent_needs:done"):
        c.press(d)
    c.type("Umeå")
    c.press("q:moved_from:2480")
    before = c.state
    out = c.press(data)
    assert c.state == before
    assert any(toast in t for t in c.toasts(out))
    assert c.open_question == "moved_when"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("I don't know what to press", id="words where a button is expected"),
        pytest.param("😀🙈", id="emoji"),
        pytest.param("\x00\x00", id="only NUL bytes"),
        pytest.param("a" * 4000, id="4,000 characters"),
        pytest.param("\u200f\u202e", id="right-to-left marks"),
    ],
)
def test_text_where_a_button_is_expected_reasks(text: str) -> None:
    c = Conversation()
    c.command("start")
    c.press("q:language:en")
    before = dict(c.state.answers)
    out = c.type(text)
    assert c.state.answers == before
    assert c.open_question == "privacy"
    assert any("button" in t or "write" in t.lower() for t in c.texts(out))


def test_municipality_typed_with_typo_offers_candidates_and_other_keeps_text() -> None:
    c = Conversation()
    c.command("start")
    for d in ("q:language:en", "q:privacy:continue", "q:consent_store:yes", "q:urgent_needs:none",
              "q:urgent_needs:done"):
        c.press(d)
    c.type("Stockhlom")
    assert "q:moved_from:0180" in c.buttons
    assert {"q:moved_from:other", "q:moved_from:dont_know", "q:moved_from:back"} <= set(c.buttons)
    c.type("Atlantis")
    assert not [b for b in c.buttons if b[-4:].isdigit()]
    c.press("q:moved_from:other")
    assert c.state.answers["moved_from"] == "other"
    assert c.state.texts["moved_from"] == "Atlantis"


def test_multi_select_none_clears_others_and_done_needs_a_choice() -> None:
    c = Conversation()
    c.command("start")
    for d in ("q:language:en", "q:privacy:continue", "q:consent_store:yes"):
        c.press(d)
    out = c.press("q:urgent_needs:done")
    assert c.toasts(out) and c.open_question == "urgent_needs"
    c.press("q:urgent_needs:food")
    c.press("q:urgent_needs:safety")
    assert c.state.draft["selected"] == ["food", "safety"]
    c.press("q:urgent_needs:none")
    assert c.state.draft["selected"] == ["none"]
    c.press("q:urgent_needs:food")
    assert c.state.draft["selected"] == ["food"]
    out = c.press("q:urgent_needs:done")
    assert any("112" in t for t in c.texts(out)), "emergency contacts come at once"
    assert c.open_question == "moved_from"


def _to_summary(persona: dict[str, Any]) -> Conversation:
    c = Conversation()
    c.command("start")
    p = dict(persona)
    for _ in range(120):
        if c.open_question == "summary":
            return c
        qid = c.open_question
        want = p[qid]
        if isinstance(want, dict):
            c.type(want["text"])
            c.press(f"q:{qid}:{want['pick']}")
        elif isinstance(want, list):
            for w in want:
                c.press(f"q:{qid}:{w}")
            c.press(f"q:{qid}:done")
        elif want.startswith("text:"):
            c.type(want[5:])
            if qid == "account":
                c.press("q:account:done")
        else:
            c.press(f"q:{qid}:{want}")
    raise AssertionError("never reached the summary")


def test_summary_edit_no_to_yes_asks_dependent_then_returns() -> None:
    c = _to_summary(_with(had_support="no"))
    assert "q:summary:group_support" in c.buttons
    c.press("q:summary:group_support")  # the group's questions, each with the spec's edit button
    assert "q:summary:edit_had_support" in c.buttons
    c.press("q:summary:edit_had_support")
    assert c.open_question == "had_support"
    c.press("q:had_support:yes")
    assert c.open_question == "support_types"
    c.press("q:support_types:economic")
    c.press("q:support_types:done")
    # support and a lease ended by the municipality: likely dumping, so the home visit is asked now
    assert c.open_question == "consent_home_visit"
    c.press("q:consent_home_visit:yes")
    assert c.open_question == "summary"
    c.press("q:summary:edit_had_support")
    c.press("q:had_support:no")
    assert c.open_question == "summary"
    assert "support_types" not in c.state.answers
    assert "consent_home_visit" not in c.state.answers


def test_language_change_in_the_middle_asks_the_same_question_again() -> None:
    c = _to_summary(BASE)
    c.press("q:summary:back")
    assert c.open_question == "guardian"
    c.command("language")
    assert c.open_question == "language"
    c.press("q:language:en")
    assert c.open_question == "guardian"
    assert c.state.language == "en"


def test_language_change_at_summary_from_swedish_asks_interpreter() -> None:
    c = _to_summary(BASE)
    c.command("language")
    c.press("q:language:ar")
    assert c.open_question == "interpreter"
    c.press("q:interpreter:yes")
    assert c.open_question == "summary"


def test_restart_needs_confirmation() -> None:
    c = _to_summary(BASE)
    c.command("restart")
    c.press("c:restart:no")
    assert c.open_question == "summary" and c.state.answers
    c.command("restart")
    out = c.press("c:restart:yes")
    assert out.has(Restart) and c.state.answers == {} and c.open_question == "language"


def test_after_submission_start_shows_how_to_add_more_and_messages_are_kept() -> None:
    c = Conversation()
    c.answer(BASE)
    c.state = c.state.but(reference="SOL-2026-0001")
    out = c.command("start")
    assert any("SOL-2026-0001" in t for t in c.texts(out))
    out = c.type("One more thing")
    assert out.of(NoteOnCase) == [NoteOnCase({"text": "One more thing"})]


def test_every_state_is_a_question_or_final() -> None:
    assert set(STATES) == {q.id for q in QUESTIONS} | {"new", "done", "ended"}


def test_prune_drops_answers_of_questions_no_longer_asked() -> None:
    answers = {"had_support": "no", "support_types": ["economic"], "household": "alone", "children_count": 2}
    assert prune(answers) == {"had_support": "no", "household": "alone"}


def test_diagram_in_docs_is_current() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "intake.md").read_text()
    assert diagram() in doc, "docs/intake.md is stale: regenerate it with `intake diagram`"


@pytest.mark.parametrize(
    ("telegram_code", "first"),
    [
        pytest.param("fa", ["fa_AF", "fa"], id="Persian speakers are offered Dari and Persian first"),
        pytest.param("ar", ["ar"], id="Arabic first"),
        pytest.param("ti", ["ti"], id="Tigrinya first"),
        pytest.param("kmr", ["kmr"], id="Kurmanji first"),
        pytest.param(None, ["sv"], id="no hint: Swedish first"),
    ],
)
def test_telegram_language_code_puts_the_best_guess_first(telegram_code: str | None, first: list[str]) -> None:
    from dialogs.events import Config
    from dialogs.i18n import LANGUAGES

    c = Conversation(config=Config(languages=LANGUAGES))
    c.state = c.state.but(suggested=telegram_code)
    c.command("start")
    offered = [b.split(":")[2] for b in c.buttons]
    assert sorted(offered[: len(first)]) == sorted(first)
    assert sorted(offered) == sorted(LANGUAGES)


@pytest.mark.parametrize("lang", ["sv", "en", "ar", "ru", "uk", "ti", "so"])
@pytest.mark.parametrize("n", [1, 2, 3, 5, 11, 21])
def test_children_count_follows_each_languages_plural_rules(lang: str, n: int) -> None:
    from babel.numbers import format_decimal

    from dialogs.events import IntakeState
    from dialogs.i18n import babel_locale, render
    from dialogs.prompts import answer_label

    shown = render(answer_label("children_count", n, IntakeState()), lang)  # type: ignore[arg-type]
    assert shown and "{" not in shown
    if n > 1:
        assert format_decimal(n, locale=babel_locale(lang)) in shown


def test_a_question_made_due_by_an_edit_must_be_answered_before_sending() -> None:
    c = _to_summary(BASE)
    c.press("q:summary:edit_household")
    c.press("q:household:children")
    assert c.open_question == "children_count"
    c.press("q:children_count:back")  # back to the summary without a count
    assert c.open_question == "summary"
    out = c.press("q:summary:submit")
    assert not out.has(Submit) and c.open_question == "children_count"
    c.type("2")
    assert c.open_question == "summary"
    assert c.press("q:summary:submit").has(Submit)


@pytest.mark.parametrize("typed", ["1_0", "+3", " 3 ", "٣", "3.0", "0", "16"])
def test_children_count_takes_only_plain_numbers(typed: str) -> None:
    from dialogs.engine import parse_count

    expected = {" 3 ": 3, "٣": 3}.get(typed)
    assert parse_count(typed) == expected


@pytest.mark.parametrize(
    ("lang", "arrow"),
    [pytest.param(lang, "▶", id=f"{lang}: back points right") for lang in ("ar", "fa", "fa_AF", "ckb", "ps")]
    + [pytest.param(lang, "◀", id=f"{lang}: back points left") for lang in ("sv", "en", "ti", "uk")],
)
def test_back_arrow_points_the_reading_direction(lang: str, arrow: str) -> None:
    from dialogs.events import Config
    from dialogs.i18n import LANGUAGES

    c = Conversation(config=Config(languages=LANGUAGES))
    c.command("start")
    out = c.press(f"q:language:{lang}")
    back = [b for e in out.effects if hasattr(e, "reply") for row in e.reply.buttons for b in row  # type: ignore[attr-defined]
            if b.data == "q:privacy:back"]
    assert back and back[0].text(lang).startswith(arrow + " ")
    assert "◀" not in back[0].text(lang)[1:] and "▶" not in back[0].text(lang)[1:], "one arrow, drawn at render time"


def test_compact_summary_one_button_per_group_then_the_groups_questions() -> None:
    c = _to_summary(_with(language="en", interpreter="no"))
    assert len(c.buttons) <= 8
    assert c.buttons[0] == "q:summary:submit" and c.buttons[-1] == "q:summary:back"
    groups = [b for b in c.buttons if ":group_" in b]
    assert groups == ["q:summary:group_move", "q:summary:group_support", "q:summary:group_now",
                      "q:summary:group_story", "q:summary:group_contact"]
    out = c.press("q:summary:group_now")
    assert c.toasts(out) and c.open_question == "summary"
    assert c.buttons == ["q:summary:edit_urgent_needs", "q:summary:edit_household", "q:summary:edit_housing_now",
                         "q:summary:edit_housing_problems", "q:summary:edit_rent_ability",
                         "q:summary:edit_landlord_checked", "q:summary:back"]
    c.press("q:summary:back")  # back to the groups, not to the last question
    assert "q:summary:group_now" in c.buttons and c.open_question == "summary"
    c.press("q:summary:back")
    assert c.open_question == "interpreter"


@pytest.mark.parametrize("view", ["groups", "a group's questions"])
def test_the_specs_edit_button_works_from_either_keyboard(view: str) -> None:
    c = _to_summary(BASE)
    if view != "groups":
        c.press("q:summary:group_contact")
    c.press("q:summary:edit_moved_when")  # pressed by an outside program: not on this keyboard
    assert c.open_question == "moved_when"
    c.press("q:moved_when:lt_1m")
    assert c.open_question == "summary" and c.state.answers["moved_when"] == "lt_1m"
    assert "q:summary:group_move" in c.buttons, "after an edit the summary shows the groups again"


@pytest.mark.parametrize("data", ["q:summary:group_nowhere", "q:summary:edit_language", "q:summary:edit_privacy",
                                  "q:summary:edit_consent_store", "q:summary:edit_contact_phone"])
def test_summary_presses_that_are_not_allowed_change_nothing(data: str) -> None:
    c = _to_summary(BASE)
    before = c.state
    out = c.press(data)
    assert c.state == before and c.toasts(out)


def test_a_group_of_one_answer_edits_it_at_once() -> None:
    from dialogs.events import IntakeState
    from dialogs.summary import keyboard

    state = IntakeState(state="summary", answers={"language": "sv", "wish": "return", "moved_from": "2161"})
    data = [b.data for row in keyboard(state) for b in row]
    assert "q:summary:edit_wish" in data and "q:summary:group_story" not in data


def _texts_of(entries: object) -> list[str]:
    return [e["text"] for e in entries]  # type: ignore[attr-defined, index]


def test_editing_the_account_from_the_summary_adds_to_it() -> None:
    c = _to_summary(BASE)
    first = c.state.answers["account"]
    c.press("q:summary:group_story")
    c.press("q:summary:edit_account")
    assert c.open_question == "account"
    assert "q:account:done" in c.buttons and "q:account:skip" not in c.buttons, "nothing here can replace it"
    out = c.type("And they took my key.")
    assert any("2" in t for t in c.texts(out)), "the count includes what was said before"
    c.press("q:account:done")
    assert c.open_question == "summary"
    assert _texts_of(c.state.answers["account"]) == [*_texts_of(first), "And they took my key."]
    assert any("2 messages" in t for t in c.texts(c.outcomes[-1])), "the summary counts every entry"


@pytest.mark.parametrize("leave", ["q:account:back", "q:account:skip", "q:account:done"])
def test_whatever_leaves_the_account_keeps_what_was_sent(leave: str) -> None:
    c = _to_summary(BASE)
    c.press("q:summary:edit_account")
    c.type("One more part.")
    c.send(Media("voice", "v1", "u1"))
    c.press(leave)
    told = c.state.answers["account"]
    assert len(told) == 3 and told[1] == {"text": "One more part."} and told[2]["file"] == "voice"


def test_back_in_the_middle_of_the_account_keeps_it_and_it_is_there_when_coming_back() -> None:
    c = _to_summary(_with(account="text:First part."))
    c.press("q:summary:back")
    while c.open_question != "account":
        c.press(f"q:{c.open_question}:back")
    c.type("Second part.")
    c.press("q:account:back")
    assert c.open_question == "wish"
    assert _texts_of(c.state.answers["account"]) == ["First part.", "Second part."]
    out = c.press("q:wish:return")
    assert c.open_question == "account"
    assert any("2 messages" in t for t in c.texts(out)), "the person sees that their story is kept"


def test_back_from_the_candidates_lets_the_person_type_the_name_again() -> None:
    c = Conversation()
    c.command("start")
    for d in ("q:language:en", "q:privacy:continue", "q:consent_store:yes", "q:urgent_needs:none",
              "q:urgent_needs:done"):
        c.press(d)
    c.type("Stockholm")
    assert "q:moved_from:0180" in c.buttons
    c.press("q:moved_from:back")
    assert c.open_question == "moved_from" and "candidates" not in c.state.draft
    assert not any(b[-4:].isdigit() for b in c.buttons), "the question again, without the old candidates"
    c.type("Umeå")
    c.press("q:moved_from:2480")
    assert c.state.answers["moved_from"] == "2480"
    c.press("q:moved_when:back")
    c.press("q:moved_from:back")
    assert c.open_question == "urgent_needs", "without candidates, back is the previous question"


def test_read_more_shows_the_rest_with_the_questions_buttons_not_the_notice_again() -> None:
    from dialogs import privacy

    c = Conversation()
    c.command("start")
    c.press("q:language:en")
    out = c.press("q:privacy:more")
    sent = c.texts(out)
    assert len(sent) == 1, "one message: the rest of the notice, with the buttons under it"
    assert privacy.NOTICE[0].msgid.split("{")[0][:20] not in sent[0]
    assert c.open_question == "privacy" and "q:privacy:more" not in c.buttons
    assert {"q:privacy:continue", "q:privacy:stop"} <= set(c.buttons)
    c.press("q:privacy:continue")
    assert c.open_question == "consent_store"


def test_language_at_the_privacy_notice_shows_the_notice_again_in_the_new_language() -> None:
    from dialogs import privacy
    from dialogs.events import Config
    from dialogs.i18n import LANGUAGES, render

    cfg = Config(languages=LANGUAGES)
    c = Conversation(config=cfg)
    c.command("start")
    c.press("q:language:ar")
    c.command("language")
    out = c.press("q:language:uk")
    assert c.open_question == "privacy" and c.state.language == "uk"
    asked = [e for e in out.effects if isinstance(e, Send) and e.prompt][-1]
    assert asked.reply.texts == privacy.notice(cfg), "the whole short notice, not only the buttons"
    assert render(asked.reply.texts[0], "uk") != render(asked.reply.texts[0], "ar")

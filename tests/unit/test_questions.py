"""The question table is the single place: every question carries what the summary, /mydata, the staff
view and the catalogs need, and the special handling that used to be spread over the code."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from dialogs.events import IntakeState
from dialogs.i18n import LOCALES_DIR, Msg, render
from dialogs.machine import Move, move
from dialogs.questions import GROUPS, QUESTIONS, Kind, Question
from dialogs.summary import answer_label

SHOWN = [q for q in QUESTIONS if q.kind not in (Kind.SUMMARY,)]


def _template() -> set[tuple[str, str | None]]:
    with open(LOCALES_DIR / "messages.pot", "rb") as fh:
        return {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in read_po(fh) if m.id}


def _msgs(q: Question) -> list[Msg]:
    out = [q.prompt, *q.labels.values()]
    out += [m for m in (q.title, q.consent, q.hint) if m is not None]
    return out


@pytest.mark.parametrize("q", SHOWN, ids=[q.id for q in SHOWN])
def test_every_question_has_what_the_summary_mydata_and_staff_view_need(q: Question) -> None:
    if q.editable:
        assert q.title is not None, "the summary and /mydata list it by its title"
        assert q.group in {g.id for g in GROUPS}, "the summary lists and edits it under a group"
    else:
        assert q.group is None, "a group holds only what the person may change there"
    assert set(q.labels) == set(q.choices) or q.kind in (Kind.COUNT,), "every choice has a label"
    assert q.ends_on <= set(q.choices)
    for choice in q.all_choices:
        if q.kind in (Kind.CHOICE, Kind.MULTI):
            shown = answer_label(q.id, choice if q.kind is Kind.CHOICE else [choice], IntakeState())
            assert render(shown, "sv") if isinstance(shown, Msg) else shown  # the staff view, in Swedish


@pytest.mark.parametrize("q", SHOWN, ids=[q.id for q in SHOWN])
def test_every_text_of_a_question_is_in_the_catalogs(q: Question) -> None:
    template = _template()
    for m in _msgs(q):
        assert (m.msgid, m.context) in template, f"{q.id}: {m.msgid!r} is not extracted"


def test_the_consents_are_the_specs_three_and_offer_no_dont_know() -> None:
    consents = [q for q in QUESTIONS if q.consent is not None]
    assert [q.id for q in consents] == ["consent_store", "consent_contact", "consent_home_visit"]
    assert all(not q.dont_know and set(q.choices) == {"yes", "no"} for q in consents)


def test_what_cannot_be_changed_from_the_summary() -> None:
    fixed = {q.id for q in QUESTIONS if not q.editable}
    assert fixed == {"language", "privacy", "consent_store", "summary"}  # /language, /delete, /consents instead


def test_special_handling_lives_in_the_table() -> None:
    by = {q.id: q for q in QUESTIONS}
    assert by["privacy"].ends_on == {"stop"} and by["consent_store"].ends_on == {"no"}
    assert by["privacy"].more is not None and by["privacy"].body is not None
    assert [q.id for q in QUESTIONS if q.urgent] == ["urgent_needs"]
    assert all(not q.ends_on for q in QUESTIONS if q.id not in ("privacy", "consent_store"))


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q.editable], ids=lambda q: q.id)
def test_every_editable_question_can_be_reached_from_the_summary(q: Question) -> None:
    assert move("summary", "edit", Move({q.id: "x"}, target=q.id)) == q.id


def test_every_group_holds_questions_in_table_order() -> None:
    order = [q.id for q in QUESTIONS]
    for group in GROUPS:
        members = [q.id for q in QUESTIONS if q.group == group.id]
        assert members and members == sorted(members, key=order.index)


def test_every_group_heading_is_in_the_catalogs() -> None:
    template = _template()
    assert all((g.heading.msgid, g.heading.context) in template for g in GROUPS)

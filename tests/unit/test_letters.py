"""The letter drafts: every known fact written out, every gap marked and listed, text and Word alike."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from docx import Document

from casework.letters import KINDS, CaseEvent, CaseFacts, Letter, UnknownLetterKind, render_letter
from casework.letters.make_templates import build
from casework.letters.markup import to_plain
from casework.letters.wording import language_name, municipality_name
from casework.rules import assess

ACCOUNT = "Kommunen sa att jag måste flytta hit, annars fick jag ingen hjälp."
PHONE = "+46701234567"

# Form 1: contact family in Ljusdal, the municipal lease ended, pushed, not involved, wants to go back.
COMPLETE: dict[str, Any] = {
    "language": "ar", "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"],
    "moved_from": "2161", "moved_when": "1_3m", "years_there": "2_5y", "had_support": "yes",
    "support_types": ["contact_family"], "establishment": "no", "lease_type": "municipal_sublet",
    "lease_ended": "terminated_by_municipality", "pushed_how": ["told_contact_landlord", "given_number"],
    "understood": "not_understood", "receiving_contacted": "no", "household": "partner_children",
    "children_count": 2, "housing_now": "own_lease", "housing_problems": ["too_small"], "rent_ability": "no",
    "landlord_checked": "no", "wish": "return", "account": [ACCOUNT, {"kind": "voice", "file": "v1.ogg"}],
    "consent_contact": "yes", "consent_home_visit": "yes", "contact": "phone", "contact_phone": PHONE,
    "guardian": "no", "interpreter": "yes",
}

# Hardly anything known: the person did not know, skipped, or was not asked.
INCOMPLETE: dict[str, Any] = {
    "language": "so", "privacy": "continue", "consent_store": "yes", "urgent_needs": ["dont_know"],
    "moved_from": "other", "moved_when": "dont_know", "had_support": "dont_know", "establishment": "dont_know",
    "lease_type": "dont_know", "lease_ended": "dont_know", "pushed_how": ["dont_know"], "understood": "dont_know",
    "receiving_contacted": "dont_know", "household": "dont_know", "housing_now": "dont_know", "wish": "dont_know",
    "account": "skipped", "consent_contact": "no", "contact": "telegram",
}


def at(*args: int) -> datetime:
    return datetime(*args, 9, 0, tzinfo=UTC)


def event(kind: str, when: datetime, data: dict[str, Any] | None = None) -> CaseEvent:
    return CaseEvent(kind, when, "person" if kind == "submitted" else "anna", data)


COMPLETE_EVENTS = (
    event("submitted", at(2026, 9, 20)), event("claimed", at(2026, 9, 21)),
    event("transfer_requested", at(2026, 10, 1)), event("transfer_refused", at(2026, 10, 20)),
)


def complete(**changes: Any) -> CaseFacts:
    answers = {**COMPLETE, **changes.pop("answers", {})}
    base = CaseFacts(reference="SOL-2026-0042", letter_date=date(2026, 11, 10), language="ar", answers=answers,
                     typed={}, assessment=assess(answers).to_dict(), events=COMPLETE_EVENTS,
                     caseworker="Anna Svensson")
    return dataclasses.replace(base, **changes)


def incomplete(**changes: Any) -> CaseFacts:
    base = CaseFacts(reference="SOL-2026-0043", letter_date=date(2026, 11, 10), language="so", answers=INCOMPLETE,
                     typed={"moved_from": "Ljusdl"}, assessment=assess(INCOMPLETE).to_dict(),
                     events=(event("submitted", at(2026, 9, 20)),), caseworker=None)
    return dataclasses.replace(base, **changes)


CASES = {"complete": complete, "incomplete": incomplete}
GAP = re.compile(r"«\[UPPGIFT SAKNAS: ([^\]–]+?)(?: – [^\]]*)?\]»")


def docx_lines(letter: Letter) -> list[str]:
    document = Document(io.BytesIO(letter.docx))
    return [p.text.strip() for p in document.paragraphs if p.text.strip()]


def text_lines(letter: Letter) -> list[str]:
    """The text's lines as Word paragraphs: no underlines, no bullet dashes."""
    return [line[2:] if line.startswith("- ") else line for line in letter.text.splitlines()
            if line.strip() and not set(line) <= set("=-")]


ALL = [pytest.param(kind, case, id=f"{kind}, {case} case") for kind in KINDS for case in CASES]


@pytest.mark.parametrize(("kind", "case"), ALL)
def test_a_draft_for_a_caseworker(kind: str, case: str) -> None:
    letter = render_letter(kind, CASES[case]())
    assert letter.kind == kind
    assert letter.text.splitlines()[0].startswith("UTKAST")
    assert "Sollefteå kommun, Socialtjänsten" in letter.text
    assert "10 november 2026" in letter.text
    assert letter.filename.endswith(".docx") and letter.filename.startswith("SOL-2026-004")


@pytest.mark.parametrize(("kind", "case"), ALL)
def test_no_placeholder_leaks(kind: str, case: str) -> None:
    letter = render_letter(kind, CASES[case]())
    for output in (letter.text, "\n".join(docx_lines(letter))):
        for leak in ("None", "{{", "}}", "{%", "%}", "{#", "Undefined", "dont_know", "skipped", "[]"):
            assert leak not in output, leak
        assert PHONE not in output, "the phone number is for reaching the person, not for letters"


@pytest.mark.parametrize(("kind", "case"), ALL)
def test_every_gap_is_marked_and_listed(kind: str, case: str) -> None:
    letter = render_letter(kind, CASES[case]())
    marked = tuple(dict.fromkeys(label.strip() for label in GAP.findall(letter.text)))
    assert marked == letter.missing
    for label in letter.missing:
        assert f"«[UPPGIFT SAKNAS: {label}" in letter.text


@pytest.mark.parametrize(("kind", "case"), ALL)
def test_word_says_the_same_as_the_text(kind: str, case: str) -> None:
    letter = render_letter(kind, CASES[case]())
    assert docx_lines(letter) == text_lines(letter)


@pytest.mark.parametrize(
    ("kind", "fact"),
    [
        *[pytest.param(kind, fact, id=f"{kind}: {fact}") for kind in KINDS for fact in (
            "SOL-2026-0042", "Ljusdals kommun", "Anna Svensson", "kontaktperson/kontaktfamilj",
            "kommunen eller dess bostadsbolag sade upp hyresavtalet", "29 kap. 10 § socialtjänstlagen (2025:400)",
            "Ingen från socialtjänsten i Sollefteå talade med personen före flytten.",
        )],
        *[pytest.param(kind, fact, id=f"{kind}: {fact}") for kind in ("transfer", "ivo") for fact in (
            "Personen bodde i Ljusdal i två till fem år före flytten.", "Personen vill återvända till Ljusdal.",
            "Tolk på arabiska behövs", "(2 barn)", "29 kap. 11 § socialtjänstlagen (2025:400)",
        )],
        pytest.param("official", "hen uppmanades att kontakta en hyresvärd i en annan kommun", id="official: pushed"),
        pytest.param("official", "inte är acceptabelt", id="official: not acceptable"),
        pytest.param("official", "begär en skälig motivering", id="official: the demand, with consent"),
        pytest.param("official", "dokumenterad i ärendet", id="official: the account is documented"),
        pytest.param("transfer", "senast den 10 december 2026", id="transfer: a month to answer"),
        pytest.param("ivo", "den 20 september 2026", id="ivo: when the person told us"),
        pytest.param("ivo", "hen inte har god man eller förvaltare", id="ivo: no god man"),
    ],
)
def test_known_facts_are_written_out(kind: str, fact: str) -> None:
    letter = render_letter(kind, complete())
    assert fact in letter.text
    assert any(fact in line for line in docx_lines(letter))


@pytest.mark.parametrize(
    ("kind", "case", "gaps"),
    [
        pytest.param("official", "complete", {"postadress till den tidigare kommunens socialtjänst",
                                              "namn och personnummer", "sista dag för ert svar"}, id="official"),
        pytest.param("transfer", "complete", {"namn och personnummer", "lagrum för insatsen", "insatsens varaktighet",
                                              "personens skäl till sitt önskemål"}, id="transfer"),
        pytest.param("ivo", "complete", {"namn och personnummer", "innehållet i den andra kommunens svar",
                                         "lagrum för insatsen", "beslutsdatum och beslutande nämnd för insatsen",
                                         "insatsens varaktighet", "barnens inställning till överflyttningen",
                                         "översättning av personens berättelse till svenska"}, id="ivo"),
        pytest.param("official", "incomplete", {"den tidigare kommunens namn", "handläggarens namn",
                                                "personens samtycke till kontakt med den tidigare kommunen",
                                                "personens egen berättelse om händelsen"}, id="official, incomplete"),
        pytest.param("transfer", "incomplete", {"den tidigare kommunens namn", "namn och personnummer",
                                                "när personen flyttade till Sollefteå",
                                                "hur länge personen bodde i den tidigare kommunen",
                                                "om personen hade stöd från socialtjänsten i den tidigare kommunen",
                                                "personens önskemål om var hen vill bo", "vilken insats ärendet gäller",
                                                "handläggarens namn"}, id="transfer, incomplete"),
        pytest.param("ivo", "incomplete", {"den tidigare kommunens namn", "namn och personnummer",
                                           "datum för begäran om överflyttning",
                                           "om personen har god man eller förvaltare",
                                           "datum och beslutsfattare för beslutet att ansöka hos IVO"},
                     id="ivo, incomplete"),
    ],
)
def test_missing_facts_are_gaps_never_guesses(kind: str, case: str, gaps: set[str]) -> None:
    letter = render_letter(kind, CASES[case]())
    assert gaps <= set(letter.missing)


def test_a_typed_municipality_is_a_hint_not_a_fact() -> None:
    letter = render_letter("transfer", incomplete())
    assert "«[UPPGIFT SAKNAS: den tidigare kommunens namn – personen skrev ”Ljusdl”]»" in letter.text
    assert "Ljusdals kommun" not in letter.text


def test_ivo_states_the_deadline_the_refusal_and_the_attachments() -> None:
    text = render_letter("ivo", complete()).text
    assert "Sollefteå kommun begärde skriftligen den 1 oktober 2026" in text
    assert "Svarsfristen på en månad löpte ut den 1 november 2026." in text
    assert "Ljusdals kommun avslog begäran den 20 oktober 2026 (bilaga 2)." in text
    attachments = text.split("Bilagor\n-------\n", 1)[1]
    assert "1. Begäran om överflyttning till Ljusdals kommun, daterad 1 oktober 2026" in attachments
    assert "2. Svar från Ljusdals kommun, daterat 20 oktober 2026" in attachments
    assert "3. Beslut att ansöka om överflyttning" in attachments


@pytest.mark.parametrize(
    ("letter_date", "expected", "warned"),
    [
        pytest.param(date(2026, 11, 10), "Ljusdals kommun har inte svarat skriftligt inom en månad", False,
                     id="no answer after a month: IVO may be asked"),
        pytest.param(date(2026, 10, 15), "Svarsfristen på en månad löper ut den 1 november 2026.", True,
                     id="still within the month: the draft warns"),
    ],
)
def test_ivo_without_an_answer(letter_date: date, expected: str, warned: bool) -> None:
    facts = complete(letter_date=letter_date, events=COMPLETE_EVENTS[:3])
    text = render_letter("ivo", facts).text
    assert expected in text
    assert ("OBS: Svarsfristen löper ut den 1 november 2026" in text) is warned


def test_ivo_a_new_request_is_not_answered_by_an_old_refusal() -> None:
    events = (*COMPLETE_EVENTS, event("transfer_requested", at(2026, 11, 2)))
    letter = render_letter("ivo", complete(letter_date=date(2026, 11, 10), events=events))
    assert "begärde skriftligen den 2 november 2026" in letter.text
    assert "Svarsfristen på en månad löper ut den 2 december 2026." in letter.text
    assert "avslog begäran" not in letter.text
    assert "den andra kommunens svar eller att svarsfristen har löpt ut" in letter.missing


def test_ivo_quotes_the_reply_when_the_caseworker_noted_it() -> None:
    events = (*COMPLETE_EVENTS[:3], event("transfer_refused", at(2026, 10, 20), {"text": "Personen bor i Sollefteå."}))
    letter = render_letter("ivo", complete(events=events))
    assert "Av svaret framgår: ”Personen bor i Sollefteå.”" in letter.text
    assert "innehållet i den andra kommunens svar" not in letter.missing


@pytest.mark.parametrize(
    ("kind", "changes", "quoted"),
    [
        pytest.param("ivo", {}, True, id="ivo, consent to contact: quoted"),
        pytest.param("ivo", {"answers": {"consent_contact": "no"}}, False, id="ivo, no consent: not quoted"),
        pytest.param("ivo", {"events": (*COMPLETE_EVENTS, event("consent_withdrawn", at(2026, 11, 1)))}, False,
                     id="ivo, consent withdrawn: not quoted"),
        pytest.param("official", {}, False, id="official: never quoted"),
        pytest.param("transfer", {}, False, id="transfer: never quoted"),
    ],
)
def test_the_account_is_quoted_only_in_the_ivo_application_with_consent(
        kind: str, changes: dict[str, Any], quoted: bool) -> None:
    letter = render_letter(kind, complete(**changes))
    assert (ACCOUNT in letter.text) is quoted
    assert (ACCOUNT in "\n".join(docx_lines(letter))) is quoted
    if not quoted:
        assert "Personens egen berättelse om händelsen är dokumenterad i ärendet." in letter.text


def test_without_consent_the_official_letter_identifies_no_one() -> None:
    letter = render_letter("official", complete(answers={"consent_contact": "no"}))
    assert "Berörd person" not in letter.text
    assert "kontaktperson/kontaktfamilj" not in letter.text
    assert "begär en skälig motivering" not in letter.text
    assert "personens samtycke till kontakt med den tidigare kommunen" in letter.missing
    assert "OBS: Personen har inte samtyckt" in letter.text


@pytest.mark.parametrize("kind", KINDS)
def test_before_the_new_law_the_old_reference_is_cited_and_flagged(kind: str) -> None:
    letter = render_letter(kind, complete(letter_date=date(2025, 6, 30)))
    assert "«[KONTROLLERA LAGHÄNVISNING: 2 a kap. 10 § socialtjänstlagen (2001:453)]»" in letter.text
    assert "2 a kap. 10 § socialtjänstlagen (2001:453)" in letter.unverified
    assert "(2025:400)" not in letter.text


@pytest.mark.parametrize("kind", KINDS)
def test_verified_references_are_not_flagged(kind: str) -> None:
    letter = render_letter(kind, complete())
    assert letter.unverified == ()
    assert "KONTROLLERA" not in letter.text


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_is_promised(kind: str) -> None:
    text = render_letter(kind, complete()).text.lower()
    for promise in ("lovar", "garanter", "utlovas", "kommer att få", "har rätt till"):
        assert promise not in text


def test_staff_warnings_follow_the_assessment() -> None:
    letter = render_letter("transfer", incomplete())
    assert "OBS: Bedömningen rekommenderar inte begäran om överflyttning" in letter.text
    assert "OBS:" not in render_letter("transfer", complete()).text


def test_unknown_kind() -> None:
    with pytest.raises(UnknownLetterKind):
        render_letter("complaint", complete())


@pytest.mark.parametrize(
    ("name", "organisation"),
    [("Ljusdal", "Ljusdals kommun"), ("Ale", "Ale kommun"), ("Härnösand", "Härnösands kommun"),
     ("Hofors", "Hofors kommun"), ("Stockholm", "Stockholms stad"), ("Falun", "Falu kommun")],
)
def test_municipality_names(name: str, organisation: str) -> None:
    assert municipality_name(name) == organisation


@pytest.mark.parametrize(("code", "name"), [("ar", "arabiska"), ("fa_AF", "dari"), ("ti", "tigrinja"),
                                            ("kmr", "kurdiska (kurmanji)"), ("xx", "xx")])
def test_language_names(code: str, name: str) -> None:
    assert language_name(code) == name


def test_template_markup_becomes_word_styles() -> None:
    source = "{# a note #}\n! UTKAST\n^ Sollefteå kommun\n> Datum: {{ d }}\n# Rubrik\n{% for x in xs %}\n- {{ x }}\n" \
             "{% endfor %}\n## Del\nText.\n"
    paragraphs = [(p.style.name, p.text) for p in build("ivo", source).paragraphs]
    assert paragraphs == [
        ("Normal", "UTKAST"), ("Normal", "Sollefteå kommun"), ("Normal", "Datum: {{ d }}"), ("Heading 1", "Rubrik"),
        ("Normal", "{%p for x in xs %}"), ("List Bullet", "{{ x }}"), ("Normal", "{%p endfor %}"),
        ("Heading 2", "Del"), ("Normal", "Text."),
    ]
    assert to_plain("! UTKAST\n# Rubrik\n\n\n- punkt\n") == "UTKAST\n\nRubrik\n======\n\n- punkt\n"

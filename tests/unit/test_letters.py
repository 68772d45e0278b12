"""The letter drafts: every known fact written out, every gap marked and listed, text and Word alike.

The cases are built from answers the dialog really stores (tests/unit/conversation.py plays the
intake through `dialogs.engine`, account entries included: text, a voice message, a photo with a
caption) and from steps in the shapes agreed for `decision_recorded`, `coordination_checked` and
`transfer_requested` (team COMMON.md), constructed directly.
"""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import pytest
from docx import Document

from casework.letters import KINDS, CaseEvent, CaseFacts, Letter, UnknownLetterKind, render_letter
from casework.letters.make_templates import build
from casework.letters.markup import to_plain
from casework.letters.wording import language_name, municipality_name
from casework.rules import assess
from dialogs.events import Config, Media
from tests.unit.conversation import Conversation

ACCOUNT = "Kommunen sa att jag måste flytta hit, annars fick jag ingen hjälp."
CAPTION = "Uppsägningen från bostadsbolaget"
PHONE = "+46701234567"

# Form 1: contact family in Ljusdal, the municipal lease ended, pushed, not involved, wants to go back.
PERSONA: dict[str, Any] = {
    "language": "ar", "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"],
    "moved_from": {"text": "Ljusdal", "pick": "2161"}, "moved_when": "1_3m", "years_there": "2_5y",
    "had_support": "yes", "support_types": ["contact_family"], "establishment": "no",
    "lease_type": "municipal_sublet", "lease_ended": "terminated_by_municipality",
    "pushed_how": ["told_contact_landlord", "given_number"], "understood": "not_understood",
    "receiving_contacted": "no", "household": "partner_children", "children_count": "2",
    "housing_now": "own_lease", "housing_problems": ["too_small"], "rent_ability": "no", "landlord_checked": "no",
    "wish": "return", "consent_contact": "yes", "consent_home_visit": "yes", "contact": "phone",
    "contact_phone": "text:070-123 45 67", "guardian": "no", "interpreter": "yes",
}


@cache
def _from_the_dialog() -> dict[str, Any]:
    """The answers as the dialog stores them, the account given as text, a voice message and a photo."""
    c = Conversation(config=Config(languages=("sv", "ar")))
    c.command("start")
    while c.open_question not in (None, "summary"):
        qid = c.open_question
        want = PERSONA.get(qid)
        if qid == "account":
            c.type(ACCOUNT)
            c.send(Media("voice", "v1", "uv1", mime_type="audio/ogg", size=4096))
            c.send(Media("photo", "p1", "up1", caption=CAPTION))
            c.press("q:account:done")
        elif isinstance(want, dict):
            c.type(want["text"])
            c.press(f"q:{qid}:{want['pick']}")
        elif isinstance(want, list):
            for choice in want:
                c.press(f"q:{qid}:{choice}")
            c.press(f"q:{qid}:done")
        elif isinstance(want, str) and want.startswith("text:"):
            c.type(want[5:])
        else:
            c.press(f"q:{qid}:{want}")
    return dict(c.state.answers)


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


DECISION = event("decision_recorded", at(2026, 9, 25), {
    "decided_on": "2026-09-25", "intervention": "kontaktfamilj", "legal_basis": "11 kap. 1 § SoL (2025:400)",
    "period_from": "2026-10-01", "period_to": None, "text": None})
NO_CONTACT_FOUND = event("coordination_checked", at(2026, 9, 22), {"result": "no_contact_found"})
REQUESTED = event("transfer_requested", at(2026, 10, 1), {"received_on": "2026-10-03"})
COMPLETE_EVENTS = (
    event("submitted", at(2026, 9, 20)), event("claimed", at(2026, 9, 21)), NO_CONTACT_FOUND, DECISION, REQUESTED,
    event("transfer_refused", at(2026, 10, 20)),
)
WITHOUT_DECISION = tuple(e for e in COMPLETE_EVENTS if e is not DECISION)


def complete(**changes: Any) -> CaseFacts:
    answers = {**_from_the_dialog(), **changes.pop("answers", {})}
    base = CaseFacts(reference="SOL-2026-0042", letter_date=date(2026, 11, 10), language="ar", answers=answers,
                     typed={}, assessment=assess(answers).to_dict(), events=COMPLETE_EVENTS,
                     caseworker="Anna Svensson", committee="Socialnämnden, Sollefteå kommun",
                     signatory_role="Socialchef")
    return dataclasses.replace(base, **changes)


def incomplete(**changes: Any) -> CaseFacts:
    base = CaseFacts(reference="SOL-2026-0043", letter_date=date(2026, 11, 10), language="so", answers=INCOMPLETE,
                     typed={"moved_from": "Ljusdl"}, assessment=assess(INCOMPLETE).to_dict(),
                     events=(event("submitted", at(2026, 9, 20)),), caseworker=None)
    return dataclasses.replace(base, **changes)


CASES = {
    "complete": complete,
    "without a decision": lambda: complete(events=WITHOUT_DECISION),
    "without contact consent": lambda: complete(answers={"consent_contact": "no"}),
    "incomplete": incomplete,
}
GAP = re.compile(r"«\[UPPGIFT SAKNAS: ([^\]–]+?)(?: – [^\]]*)?\]»")


def docx_lines(letter: Letter) -> list[str]:
    document = Document(io.BytesIO(letter.docx))
    return [p.text.strip() for p in document.paragraphs if p.text.strip()]


def text_lines(letter: Letter) -> list[str]:
    """The text's lines as Word paragraphs: no underlines, no bullet dashes."""
    return [line[2:] if line.startswith("- ") else line for line in letter.text.splitlines()
            if line.strip() and not set(line) <= set("=-")]


def test_the_account_is_stored_as_the_dialog_stores_it() -> None:
    text, voice, photo = _from_the_dialog()["account"]
    assert text == {"text": ACCOUNT}
    assert voice["file"] == "voice" and photo["file"] == "photo" and photo["caption"] == CAPTION


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
        for leak in ("None", "{{", "}}", "{%", "%}", "{#", "Undefined", "dont_know", "skipped", "[]", "(fil",
                     "file_id", "med personens samtycke"):
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
            "SOL-2026-0042", "Ljusdals kommun", "Anna Svensson", "Socialnämnden, Sollefteå kommun",
            "kommunen eller dess bostadsbolag sade upp hyresavtalet", "29 kap. 10 § socialtjänstlagen (2025:400)",
        )],
        *[pytest.param(kind, fact, id=f"{kind}: {fact}") for kind in ("transfer", "ivo") for fact in (
            "Personen bodde i Ljusdal i två till fem år före flytten.", "Personen vill återvända till Ljusdal.",
            "Tolk på arabiska behövs", "(2 barn)", "kontaktperson/kontaktfamilj",
            "Socialnämnden, Sollefteå kommun beslutade den 25 september 2026 om kontaktfamilj enligt 11 kap. 1 § SoL "
            "(2025:400).", "Insatsen är beviljad från och med 1 oktober 2026 tills vidare.",
            "Personen har uppgett att ingen från socialtjänsten i Sollefteå talade med hen före flytten.",
        )],
        pytest.param("official", "hen uppmanades att kontakta en hyresvärd i en annan kommun", id="official: pushed"),
        pytest.param("official", "inte är acceptabelt", id="official: not acceptable"),
        pytest.param("official", "begär en skälig motivering", id="official: the demand, with consent"),
        pytest.param("transfer", "Ni tog emot begäran den 3 oktober 2026", id="transfer: the receipt"),
        pytest.param("transfer", "senast den 3 november 2026", id="transfer: a month from the receipt"),
        pytest.param("transfer", "sitt ärende om kontaktfamilj", id="transfer: Sollefteå's case is transferred"),
        pytest.param("ivo", "IVO:s ansökningsblankett", id="ivo: input for IVO's own form"),
        pytest.param("ivo", "29 kap. 11 § socialtjänstlagen (2025:400)", id="ivo: the provision"),
        pytest.param("ivo", "hen inte har god man eller förvaltare", id="ivo: no god man"),
    ],
)
def test_known_facts_are_written_out(kind: str, fact: str) -> None:
    letter = render_letter(kind, complete())
    assert fact in letter.text
    assert any(fact in line for line in docx_lines(letter))


# --- Sollefteå's own case: the recorded decision -----------------------------------------------

FIRST_GAP = "Sollefteå kommuns beslut i ärendet"


@pytest.mark.parametrize("kind", ["transfer", "ivo"])
def test_the_case_transferred_is_sollefteas_recorded_decision(kind: str) -> None:
    letter = render_letter(kind, complete())
    assert "Ärende: kontaktfamilj, beslutad av Socialnämnden, Sollefteå kommun den 25 september 2026 enligt " \
           "11 kap. 1 § SoL (2025:400)" in letter.text
    assert FIRST_GAP not in letter.missing
    assert "Inget beslut av Sollefteå kommun" not in letter.text
    # the former municipality's help is background to the connection, not the case
    assert "ärendet om kontaktperson" not in letter.text


@pytest.mark.parametrize("kind", ["transfer", "ivo"])
def test_without_a_decision_the_first_gap_and_a_warning(kind: str) -> None:
    letter = render_letter(kind, complete(events=WITHOUT_DECISION))
    assert letter.missing[0] == FIRST_GAP
    assert "OBS: Inget beslut av Sollefteå kommun är registrerat i ärendet, så det finns ännu inget ärende med en " \
           "insats att flytta över." in letter.text
    assert "beslutade den" not in letter.text


def test_a_decision_for_a_set_period_states_its_end() -> None:
    until = event("decision_recorded", at(2026, 9, 25), {**DECISION.data, "period_to": "2027-03-31"})  # type: ignore[dict-item]
    events = tuple(until if e is DECISION else e for e in COMPLETE_EVENTS)
    text = render_letter("transfer", complete(events=events)).text
    assert "beviljad från och med 1 oktober 2026 till och med 31 mars 2027" in text


def test_a_decision_with_fields_missing_gaps_them() -> None:
    partial = event("decision_recorded", at(2026, 9, 25), {"decided_on": "2026-09-25", "intervention": "boendestöd"})
    letter = render_letter("ivo", complete(events=(*WITHOUT_DECISION, partial)))
    assert {"lagrum för Sollefteå kommuns beslut", "insatsens varaktighet"} <= set(letter.missing)
    assert FIRST_GAP not in letter.missing


# --- the official letter: consent, coordination, signature -------------------------------------


def test_with_consent_the_official_letter_names_the_move_and_nothing_more() -> None:
    text = render_letter("official", complete()).text
    assert "Berörd person: «[UPPGIFT SAKNAS: namn och personnummer]»" in text
    assert "Personen har kontaktat socialtjänsten i Sollefteå, samtyckt till att vi kontaktar er" in text
    # what the person agreed to is a contact about the move: not their household, home, money or language
    for secret in ("(2 barn)", "partner", "för liten", "betala hyran", "arabiska", "Tolk", "kontaktfamilj"):
        assert secret not in text, secret


def test_without_consent_the_official_letter_identifies_no_one() -> None:
    letter = render_letter("official", complete(answers={"consent_contact": "no"}))
    assert "Berörd person" not in letter.text
    assert "uppmanades att kontakta en hyresvärd" not in letter.text
    assert "Personen har uppgett" not in letter.text
    assert "begär en skälig motivering till ert agerande" not in letter.text
    assert "namn och personnummer" not in letter.missing
    assert "OBS: Personen har inte samtyckt" in letter.text


def test_a_withdrawn_consent_counts_as_none() -> None:
    events = (*COMPLETE_EVENTS, event("consent_withdrawn", at(2026, 11, 1)))
    text = render_letter("official", complete(events=events)).text
    assert "Berörd person" not in text and "OBS: Personen återkallade ett samtycke den 1 november 2026" in text


NO_COORDINATION = "inte funnit någon kontakt från er"


@pytest.mark.parametrize(
    ("checks", "says_none", "warning"),
    [
        pytest.param((NO_CONTACT_FOUND,), True, None, id="checked, no contact found: it may say so"),
        pytest.param((event("coordination_checked", at(2026, 9, 22), {"result": "contact_found"}),), False,
                     "fann kontakt från den tidigare kommunen", id="checked, contact found: it must not"),
        pytest.param((), False, "Samverkan före flytten är inte kontrollerad", id="not checked: it says nothing"),
        pytest.param((NO_CONTACT_FOUND, event("coordination_checked", at(2026, 9, 23), {"result": "contact_found"})),
                     False, "fann kontakt", id="a later check found contact: the latest counts"),
    ],
)
def test_no_coordination_only_after_the_check_found_none(checks: tuple[CaseEvent, ...], says_none: bool,
                                                         warning: str | None) -> None:
    events = (*(e for e in COMPLETE_EVENTS if e.kind != "coordination_checked"), *checks)
    text = render_letter("official", complete(events=events)).text
    assert (NO_COORDINATION in text) is says_none
    assert ("ingen samverkan" in text) is says_none
    assert ("Officiell skrivelse om flytt till Sollefteå kommun utan samverkan" in text) is says_none
    if warning:
        assert f"OBS: {warning}" in text or warning in text


def test_the_persons_answer_alone_never_proves_no_coordination() -> None:
    events = tuple(e for e in COMPLETE_EVENTS if e.kind != "coordination_checked")
    letter = render_letter("official", complete(events=events, answers={"receiving_contacted": "no"}))
    assert NO_COORDINATION not in letter.text and "samverkan\n" not in letter.text
    assert "ingen samverkan" not in letter.text and "utan samverkan" not in letter.text


def test_the_official_letter_is_signed_by_a_role_with_mandate_and_addressed_to_the_committee() -> None:
    text = render_letter("official", complete()).text
    closing = text.split("Med vänlig hälsning", 1)[1]
    assert closing.splitlines()[2:5] == ["«[UPPGIFT SAKNAS: namn på den som undertecknar]»", "Socialchef",
                                         "Socialnämnden, Sollefteå kommun"]
    assert "Handläggare: Anna Svensson" in closing
    assert "Ljusdals kommun\nSocialnämnden, eller den nämnd som ansvarar för socialtjänsten\n" in text
    unset = render_letter("official", complete(signatory_role="", committee=""))
    assert {"befattning för den som undertecknar", "ansvarig nämnd i Sollefteå kommun"} <= set(unset.missing)


# --- the account: text verbatim, files by kind and date ----------------------------------------


@pytest.mark.parametrize("consent", ["yes", "no"])
def test_the_ivo_application_quotes_the_account_verbatim_and_lists_the_files(consent: str) -> None:
    letter = render_letter("ivo", complete(answers={"consent_contact": consent}))
    account = letter.text.split("Personens egen berättelse, återgiven ordagrant:\n", 1)[1].splitlines()
    assert account[:3] == [
        f"- ”{ACCOUNT}”",
        "- Röstmeddelande, skickat senast den 20 september 2026, då berättelsen lämnades; finns i ärendet.",
        f"- Foto med texten ”{CAPTION}”, skickat senast den 20 september 2026, då berättelsen lämnades; finns i "
        "ärendet.",
    ]
    assert "översättning av personens berättelse till svenska" in letter.missing
    assert "OBS: Personens berättelse återges ordagrant" in letter.text


def test_a_file_with_its_own_time_is_listed_with_its_date() -> None:
    answers = {"account": [{"file": "document", "file_id": "d1", "at": "2026-09-18T16:30:00+00:00"}]}
    text = render_letter("ivo", complete(answers=answers)).text
    assert "- Dokument, skickat den 18 september 2026; finns i ärendet." in text
    assert "översättning av personens berättelse" not in text  # nothing written to translate


@pytest.mark.parametrize("kind", ["official", "transfer"])
def test_only_the_ivo_application_quotes_the_account(kind: str) -> None:
    text = render_letter(kind, complete()).text
    assert ACCOUNT not in text and CAPTION not in text
    if kind == "transfer":
        assert "Personens egen berättelse om händelsen är dokumenterad i ärendet." in text


def test_a_gap_marker_typed_by_the_person_is_not_a_gap() -> None:
    answers = {"account": [{"text": "Se «[UPPGIFT SAKNAS: påhittad]» här"}]}
    letter = render_letter("ivo", complete(answers=answers))
    assert "påhittad" in letter.text and "påhittad" not in letter.missing


def test_a_swedish_account_needs_no_translation() -> None:
    letter = render_letter("ivo", complete(language="sv", answers={"language": "sv"}))
    assert "översättning av personens berättelse till svenska" not in letter.missing


# --- IVO: content of its form, the children and the partner, the attachments --------------------


def test_ivo_states_the_request_its_receipt_the_refusal_and_the_attachments() -> None:
    text = render_letter("ivo", complete()).text
    assert "Sollefteå kommun begärde skriftligen den 1 oktober 2026" in text
    assert "Ljusdals kommun tog emot begäran den 3 oktober 2026." in text
    assert "Svarsfristen på en månad från mottagandet löpte ut den 3 november 2026." in text
    assert "Ljusdals kommun avslog begäran den 20 oktober 2026 (bilaga 3)." in text
    attachments = text.split("Bilagor\n-------\n", 1)[1]
    assert attachments.index("1. Beslut att ansöka om överflyttning: justerat protokollsutdrag, eller "
                             "delegationsbeslut") < attachments.index(
        "2. Begäran om överflyttning till Ljusdals kommun, daterad 1 oktober 2026") < attachments.index(
        "3. Svar från Ljusdals kommun, daterat 20 oktober 2026")


def test_without_a_receipt_date_ivo_counts_from_the_request_and_asks_for_the_receipt() -> None:
    events = tuple(event("transfer_requested", at(2026, 10, 1)) if e is REQUESTED else e for e in COMPLETE_EVENTS)
    letter = render_letter("ivo", complete(events=events))
    assert "när den andra kommunen tog emot begäran" in letter.missing
    assert "Svarsfristen på en månad från mottagandet löpte ut den 1 november 2026." in letter.text


@pytest.mark.parametrize(
    ("household", "partner", "children"),
    [
        pytest.param("partner_children", True, True, id="partner and children"),
        pytest.param("children", False, True, id="children"),
        pytest.param("partner", True, False, id="partner"),
        pytest.param("alone", False, False, id="alone"),
    ],
)
def test_ivo_asks_for_the_partners_and_the_childrens_views(household: str, partner: bool, children: bool) -> None:
    letter = render_letter("ivo", complete(answers={"household": household}))
    assert ("partnerns inställning till överflyttningen" in letter.missing) is partner
    assert ("barnens inställning till överflyttningen" in letter.missing) is children
    assert ("konsekvenser för barnen" in letter.missing) is children
    assert ("barn under 15 år ska ges möjlighet att framföra sin åsikt" in letter.text) is children


def test_an_application_against_the_persons_wish_asks_why() -> None:
    assert "skäl till att ansökan görs mot personens önskemål" in render_letter(
        "ivo", complete(answers={"wish": "undecided"})).missing
    assert "skäl till att ansökan görs mot personens önskemål" not in render_letter("ivo", complete()).missing


@pytest.mark.parametrize(
    ("letter_date", "expected", "warned"),
    [
        pytest.param(date(2026, 11, 10), "Ljusdals kommun har inte svarat skriftligt inom en månad", False,
                     id="no answer after a month: IVO may be asked"),
        pytest.param(date(2026, 10, 15), "Svarsfristen på en månad från mottagandet löper ut den 3 november 2026.",
                     True, id="still within the month: the draft warns"),
    ],
)
def test_ivo_without_an_answer(letter_date: date, expected: str, warned: bool) -> None:
    facts = complete(letter_date=letter_date, events=COMPLETE_EVENTS[:5])
    text = render_letter("ivo", facts).text
    assert expected in text
    assert ("OBS: Svarsfristen löper ut den 3 november 2026" in text) is warned


def test_ivo_a_new_request_is_not_answered_by_an_old_refusal() -> None:
    events = (*COMPLETE_EVENTS, event("transfer_requested", at(2026, 11, 2)))
    letter = render_letter("ivo", complete(letter_date=date(2026, 11, 10), events=events))
    assert "begärde skriftligen den 2 november 2026" in letter.text
    assert "Svarsfristen på en månad från mottagandet löper ut den 2 december 2026." in letter.text
    assert "avslog begäran" not in letter.text
    assert "den andra kommunens svar eller att svarsfristen har löpt ut" in letter.missing


def test_ivo_quotes_the_reply_when_the_caseworker_noted_it() -> None:
    events = (*COMPLETE_EVENTS[:5], event("transfer_refused", at(2026, 10, 20), {"text": "Personen bor i Sollefteå."}))
    letter = render_letter("ivo", complete(events=events))
    assert "Av svaret framgår: ”Personen bor i Sollefteå.”" in letter.text
    assert "innehållet i den andra kommunens svar" not in letter.missing


def test_a_transfer_request_not_yet_sent_gives_no_date_to_answer_by() -> None:
    events = tuple(e for e in COMPLETE_EVENTS if e.kind not in ("transfer_requested", "transfer_refused"))
    text = render_letter("transfer", complete(events=events)).text
    assert "inom en månad från den dag ni tog emot begäran" in text
    assert "senast den" not in text.split("Svar\n----", 1)[1]


@pytest.mark.parametrize("kind", ["transfer", "ivo"])
def test_the_person_is_told_first(kind: str) -> None:
    assert "OBS: Berätta för personen, på hens språk," in render_letter(kind, complete()).text


# --- gaps, old law, promises, warnings ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "case", "gaps"),
    [
        pytest.param("official", "complete", {"postadress till den tidigare kommunens socialtjänst",
                                              "namn och personnummer", "sista dag för ert svar",
                                              "namn på den som undertecknar"}, id="official"),
        pytest.param("transfer", "complete", {"namn och personnummer", "personens skäl till sitt önskemål",
                                              "personens nätverk i den tidigare kommunen",
                                              "var personen är folkbokförd",
                                              "barnens skola eller förskola i den tidigare kommunen",
                                              "var personen ska bo i Ljusdal vid en återflytt"}, id="transfer"),
        pytest.param("ivo", "complete", {"namn och personnummer", "innehållet i den andra kommunens svar",
                                         "barnens inställning till överflyttningen",
                                         "översättning av personens berättelse till svenska",
                                         "datum och beslutsfattare för beslutet att ansöka hos IVO"}, id="ivo"),
        pytest.param("official", "incomplete", {"den tidigare kommunens namn", "handläggarens namn",
                                                "befattning för den som undertecknar"}, id="official, incomplete"),
        pytest.param("transfer", "incomplete", {FIRST_GAP, "den tidigare kommunens namn", "namn och personnummer",
                                                "när personen flyttade till Sollefteå",
                                                "hur länge personen bodde i den tidigare kommunen",
                                                "om personen hade stöd från socialtjänsten i den tidigare kommunen",
                                                "personens önskemål om var hen vill bo", "handläggarens namn"},
                     id="transfer, incomplete"),
        pytest.param("ivo", "incomplete", {FIRST_GAP, "den tidigare kommunens namn", "namn och personnummer",
                                           "datum för begäran om överflyttning",
                                           "om personen har god man eller förvaltare",
                                           "datum och beslutsfattare för beslutet att ansöka hos IVO",
                                           "personens egen berättelse om händelsen"},
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


@pytest.mark.parametrize("kind", KINDS)
def test_before_the_new_law_the_old_reference_is_cited_and_flagged(kind: str) -> None:
    letter = render_letter(kind, complete(letter_date=date(2025, 6, 30), events=WITHOUT_DECISION))
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
    for promise in ("lovar er", "garanter", "utlovas", "kommer att få", "har rätt till"):
        assert promise not in text


def test_staff_warnings_follow_the_assessment() -> None:
    assert "OBS: Bedömningen rekommenderar inte begäran om överflyttning" in render_letter(
        "transfer", incomplete()).text
    assert "rekommenderar inte" not in render_letter("transfer", complete()).text
    undecided = render_letter("transfer", complete(answers={"wish": "undecided"})).text
    assert "OBS: Personen har inte bestämt sig om en återflytt" in undecided


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

"""A step's structured data, checked the same for every shell (`casework.steps.step_data`): real dates not
in the future, required fields, lengths, Swedish keys and names; the shapes the letters and the IVO clock
read (docs: the agreed data shapes)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from casework.errors import InvalidInput
from casework.labels import close_reason
from casework.steps import STEP_KINDS, parse_date, step_data, step_kind

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(("kind", "fields", "data"), [
    pytest.param("coordination_checked", {"result": "no_contact_found"}, {"result": "no_contact_found"},
                 id="coordination: nothing found"),
    pytest.param("samordning", {"resultat": "Kontakt hittad", "text": "Mejl 3/10"},
                 {"result": "contact_found", "text": "Mejl 3/10"}, id="coordination in Swedish"),
    pytest.param("decision_recorded", {"decided_on": "2026-11-20", "intervention": "Boendestöd",
                                       "legal_basis": "4 kap. 1 § SoL", "period_from": "2026-12-01",
                                       "period_to": "2027-05-31"},
                 {"decided_on": "2026-11-20", "intervention": "Boendestöd", "legal_basis": "4 kap. 1 § SoL",
                  "period_from": "2026-12-01", "period_to": "2027-05-31"}, id="decision with a period"),
    pytest.param("beslut", {"insats": "Boendestöd", "lagrum": "4 kap. 1 § SoL", "från": "2026-12-01"},
                 {"decided_on": "2026-11-24", "intervention": "Boendestöd", "legal_basis": "4 kap. 1 § SoL",
                  "period_from": "2026-12-01", "period_to": None}, id="decision until further notice"),
    pytest.param("transfer_requested", {"received_on": "2026-11-25"}, {"received_on": "2026-11-25"},
                 id="transfer request with its receipt"),
    pytest.param("begäran om överflyttning", {}, {}, id="transfer request, receipt not known yet"),
    pytest.param("note", {"text": "  Ringde personen  "}, {"text": "Ringde personen"}, id="a note, trimmed"),
    pytest.param("kontakt", {"text": ""}, {}, id="an empty optional text is no text"),
])
def test_valid_step_data(kind: str, fields: dict[str, Any], data: dict[str, Any]) -> None:
    assert step_data(kind, fields, on=date(2026, 11, 24), today=TODAY) == data


@pytest.mark.parametrize(("kind", "fields", "says"), [
    pytest.param("coordination_checked", {}, "behöver: Resultat", id="coordination without a result"),
    pytest.param("coordination_checked", {"result": "perhaps"}, "välj ingen kontakt hittad eller kontakt hittad",
                 id="a result that is neither"),
    pytest.param("decision_recorded", {"intervention": "x", "legal_basis": "y"}, "behöver: Beviljat från",
                 id="decision without its start"),
    pytest.param("decision_recorded", {"decided_on": "2026-11-27", "intervention": "x", "legal_basis": "y",
                                       "period_from": "2026-12-01"}, "Beslutsdatum: 2026-11-27 ligger i framtiden",
                 id="a decision taken tomorrow"),
    pytest.param("decision_recorded", {"intervention": "x" * 201, "legal_basis": "y", "period_from": "2026-12-01"},
                 "Insats: högst 200 tecken", id="an intervention too long"),
    pytest.param("decision_recorded", {"intervention": "x", "legal_basis": "y", "period_from": "2026-12-01",
                                       "period_to": "2026-11-30"}, "före beviljat från", id="a period backwards"),
    pytest.param("transfer_requested", {"received_on": "2026-13-01"}, "2026-13-01 finns inte i kalendern",
                 id="month 13"),
    pytest.param("transfer_requested", {"received_on": "2026-11-23"}, "före begäran skickades",
                 id="received before it was sent"),
    pytest.param("transfer_requested", {"received_on": "2026-11-27"}, "ligger i framtiden",
                 id="received tomorrow"),
    pytest.param("note", {}, "behöver: Text", id="a note without text"),
    pytest.param("note", {"text": "x" * 2001}, "högst 2000 tecken", id="a note too long"),
    pytest.param("letter_sent", {"result": "x"}, "har inget fält 'result'", id="a field the step does not have"),
    pytest.param("teleported", {}, "Okänt steg", id="a step that does not exist"),
])
def test_invalid_step_data(kind: str, fields: dict[str, Any], says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        step_data(kind, fields, on=date(2026, 11, 24), today=TODAY)
    assert says in str(refused.value)


@pytest.mark.parametrize(("raw", "day"), [("2026-11-26", TODAY), ("i dag", TODAY), ("Idag", TODAY),
                                          ("igår", date(2026, 11, 25)), ("i går", date(2026, 11, 25)),
                                          ("2024-02-29", date(2024, 2, 29))])
def test_dates_that_exist(raw: str, day: date) -> None:
    assert parse_date(raw, label="Datum", today=TODAY) == day


@pytest.mark.parametrize("raw", ["2026-13-01", "2026-02-29", "2025-02-29", "2026-11-31", "2026-11-27", "26-11-2026",
                                 "20261126", "2026-W48-4", "", "i morgon", "1999-12-31"])
def test_dates_that_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        parse_date(raw, label="Datum", today=TODAY)


def test_every_step_has_a_swedish_name_and_is_found_by_it() -> None:
    for kind in STEP_KINDS:
        assert kind.name and kind.name != kind.id
        assert step_kind(kind.name.upper()) is kind and step_kind(kind.id) is kind
        for alias in kind.aliases:
            assert step_kind(alias) is kind, alias


@pytest.mark.parametrize(("raw", "reason"), [("returned", "returned"), ("återvänt", "returned"),
                                             ("Stannar med stöd", "stays_with_support"),
                                             ("inte_dumpning", "not_dumping"),
                                             ("ingen kontakt", "no_contact"), ("aterkallat", "withdrawn"),
                                             ("because", None), ("", None)])
def test_close_reasons_in_swedish(raw: str, reason: str | None) -> None:
    assert close_reason(raw) == reason

"""The legal references: the provision in force on the letter's date, and whether anyone checked it."""

from __future__ import annotations

from datetime import date

import pytest

from casework.law import NEW_LAW_IN_FORCE, REFERENCES, Citation, UnknownReference, cite


@pytest.mark.parametrize(
    ("key", "on", "text", "verified"),
    [
        pytest.param("transfer_request", date(2025, 6, 30), "2 a kap. 10 § socialtjänstlagen (2001:453)", False,
                     id="transfer request, the day before the new law: old law, not checked"),
        pytest.param("transfer_request", date(2025, 7, 1), "29 kap. 10 § socialtjänstlagen (2025:400)", True,
                     id="transfer request, the day the new law came into force"),
        pytest.param("ivo_application", date(2024, 1, 15), "2 a kap. 11 § socialtjänstlagen (2001:453)", False,
                     id="IVO application under the old law"),
        pytest.param("ivo_application", date(2026, 11, 10), "29 kap. 11 § socialtjänstlagen (2025:400)", True,
                     id="IVO application under the new law"),
        pytest.param("residence_municipality", date(2026, 1, 1), "29 kap. 1 § socialtjänstlagen (2025:400)", True,
                     id="the residence municipality's responsibility"),
        pytest.param("ivo_appeal", date(2026, 1, 1), "35 kap. 2 § första stycket 5 socialtjänstlagen (2025:400)", True,
                     id="appeal against IVO's decision"),
        pytest.param("ivo_appeal", date(2024, 5, 2), "16 kap. 4 § första stycket 5 socialtjänstlagen (2001:453)",
                     True, id="appeal against IVO's decision, old law: 16 kap. 4 §, not 3 §"),
        pytest.param("ivo_decision_in_force", date(2026, 11, 10),
                     "35 kap. 5 § andra stycket socialtjänstlagen (2025:400)", True,
                     id="IVO's transfer decision is not among those in force at once"),
        pytest.param("ivo_decision_in_force", date(2025, 6, 1),
                     "16 kap. 4 § sista stycket socialtjänstlagen (2001:453)", False,
                     id="the old law's counterpart, not checked"),
        pytest.param("placement_responsibility", date(2025, 1, 1), "2 a kap. 4 § socialtjänstlagen (2001:453)", False,
                     id="placement in another municipality, old law"),
    ],
)
def test_cite_gives_the_provision_in_force(key: str, on: date, text: str, verified: bool) -> None:
    citation = cite(key, on)
    assert isinstance(citation, Citation)
    assert (citation.key, citation.text, citation.verified) == (key, text, verified)
    assert citation.substance == REFERENCES[key].substance


def test_new_law_in_force_from_1_july_2025() -> None:
    assert NEW_LAW_IN_FORCE == date(2025, 7, 1)


@pytest.mark.parametrize("key", sorted(REFERENCES))
def test_every_reference_is_complete(key: str) -> None:
    ref = REFERENCES[key]
    assert ref.key == key
    assert ref.old.endswith("socialtjänstlagen (2001:453)")
    assert ref.new.endswith("socialtjänstlagen (2025:400)")
    assert ref.note, "a reference says what was checked where"
    assert ref.substance.endswith(".") and ". " not in ref.substance, "one Swedish sentence"
    assert cite(key, date(2025, 6, 30)).verified is ref.old_verified
    assert cite(key, date(2025, 7, 1)).verified is ref.new_verified
    # a verified reference names the statute text it was checked against; an unverified one names none
    assert bool(ref.new_source) is ref.new_verified and bool(ref.old_source) is ref.old_verified
    assert cite(key, date(2025, 7, 1)).source == ref.new_source
    assert cite(key, date(2025, 6, 30)).source == ref.old_source


def test_the_appeal_of_ivos_decision_is_16_kap_4_not_3() -> None:
    ref = REFERENCES["ivo_appeal"]
    assert ref.old.startswith("16 kap. 4 §") and "16 kap. 3 §" not in ref.old
    assert "SFS 2001:453 16 kap. 4 §" in ref.old_source


def test_the_policy_provisions_are_in_the_table() -> None:
    assert REFERENCES["transfer_request"].old == "2 a kap. 10 § socialtjänstlagen (2001:453)"
    assert REFERENCES["ivo_application"].old == "2 a kap. 11 § socialtjänstlagen (2001:453)"


def test_unknown_key_is_a_specific_error() -> None:
    with pytest.raises(UnknownReference):
        cite("no_such_provision", date(2026, 1, 1))
    with pytest.raises(KeyError):
        cite("no_such_provision", date(2026, 1, 1))


def test_the_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        REFERENCES["transfer_request"] = REFERENCES["ivo_application"]  # type: ignore[index]

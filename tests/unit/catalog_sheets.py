"""The translators' sheet as the catalog tests handle it: a language's sheet read back as rows, and rows
written as a sheet to import (the `locales` fixture, a copy to change, is in conftest.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.catalogs import export_sheet

__all__ = ["exported_rows", "sheet_of"]


def exported_rows(lang: str, locales: Path) -> list[dict[str, str]]:
    out = io.StringIO()
    export_sheet(lang, out, locales)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def sheet_of(rows: list[dict[str, str]]) -> io.StringIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    return out

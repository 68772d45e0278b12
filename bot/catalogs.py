"""The translation workflow a municipality runs without a developer: status, and a sheet out and in.

A translator gets a CSV sheet (msgid, Swedish, English, their language, the translator's comment),
fills or corrects the last-but-one column in any spreadsheet program, and the sheet is read back.
Rows whose placeholders do not match the source are refused, so a broken sheet never reaches people.
A sheet is opened in a spreadsheet program, so a cell that would start a formula is written with a
leading apostrophe (shown as text), and a translation that is a formula is refused on the way back.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from dialogs import placeholders
from dialogs.i18n import LANGUAGES, LOCALES_DIR

__all__ = ["CatalogStatus", "ImportResult", "export_sheet", "import_sheet", "status", "translation_problem"]

# What a spreadsheet evaluates when a cell starts with it (OWASP, "CSV injection").
_FORMULA = re.compile(r"^[\s]*[=+\-@]|^[\t\r]")
HUMAN_CHECKED = re.compile(r"human-checked:\s*(yes|no)")
COLUMNS = ("context", "msgid", "msgid_plural", "sv", "en", "translation", "translator_comment")
PLURAL_SEPARATOR = " || "  # plural forms of one entry in one cell, in the catalog's order


@dataclass(frozen=True)
class CatalogStatus:
    language: str
    entries: int
    missing: int
    fuzzy: int
    human_checked: bool | None  # None: the header does not say


@dataclass
class ImportResult:
    updated: int = 0
    unchanged: int = 0
    refused: list[str] | None = None


def _path(language: str, locales: Path = LOCALES_DIR) -> Path:
    return locales / language / "LC_MESSAGES" / "messages.po"


def _read(language: str, locales: Path = LOCALES_DIR) -> Catalog:
    with open(_path(language, locales), "rb") as fh:
        return read_po(fh)


def _forms(message: Message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string or ())


def status(locales: Path = LOCALES_DIR) -> list[CatalogStatus]:
    """Per language of the spec: entries, missing, fuzzy, and whether a human has checked it."""
    with open(locales / "messages.pot", "rb") as fh:
        template = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in read_po(fh) if m.id}
    out = []
    for lang in LANGUAGES:
        if not _path(lang, locales).exists():
            out.append(CatalogStatus(lang, 0, len(template), 0, None))
            continue
        catalog = _read(lang, locales)
        entries = {(m.id if isinstance(m.id, str) else m.id[0], m.context): m for m in catalog if m.id}
        missing = sum(1 for key in template if key not in entries or not all(_forms(entries[key])))
        fuzzy = sum(1 for key in template if key in entries and entries[key].fuzzy)
        checked = HUMAN_CHECKED.search(catalog.language_team or "")
        out.append(CatalogStatus(lang, len(template), missing, fuzzy,
                                 None if checked is None else checked.group(1) == "yes"))
    return out


def export_sheet(language: str, out: TextIO, locales: Path = LOCALES_DIR) -> int:
    """Write the sheet of one language; returns the number of rows."""
    target = _read(language, locales)
    swedish = _read("sv", locales)
    english = _read("en", locales)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = 0
    for m in target:
        if not m.id:
            continue
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        plural = "" if isinstance(m.id, str) else m.id[1]
        sv, en = swedish.get(m.id, m.context), english.get(m.id, m.context)
        writer.writerow([_cell(value) for value in (
            m.context or "",
            msgid,
            plural,
            PLURAL_SEPARATOR.join(_forms(sv)) if sv else "",
            PLURAL_SEPARATOR.join(_forms(en)) if en else "",
            PLURAL_SEPARATOR.join(_forms(m)),
            " ".join([*m.auto_comments, *m.user_comments]),
        )])
        rows += 1
    return rows


def import_sheet(language: str, sheet: Iterable[str], locales: Path = LOCALES_DIR, *,
                 human_checked: bool = False, translator: str | None = None) -> ImportResult:
    """Read a filled sheet back into the catalog; rows with wrong placeholders are refused."""
    catalog = _read(language, locales)
    result = ImportResult(refused=[])
    assert result.refused is not None
    for row in csv.DictReader(sheet):
        msgid, context = row.get("msgid") or "", row.get("context") or None
        key: str | tuple[str, str] = msgid
        if row.get("msgid_plural"):
            key = (msgid, row["msgid_plural"])
        message = catalog.get(key, context)
        if message is None:
            result.refused.append(f"{msgid[:40]!r}: not in the catalog")
            continue
        text = _uncell((row.get("translation") or "").strip())
        forms = [f.strip() for f in text.split(PLURAL_SEPARATOR.strip())] if isinstance(message.id, tuple) else [text]
        problem = _check(message, forms, catalog.num_plurals)
        if problem:
            result.refused.append(f"{msgid[:40]!r}: {problem}")
            continue
        new: str | tuple[str, ...] = forms[0] if isinstance(message.id, str) else tuple(forms)
        if new == message.string:
            result.unchanged += 1
            continue
        message.string = new
        message.flags.discard("fuzzy")
        result.updated += 1
    if human_checked:
        catalog.language_team = f"human-checked: yes ({translator or 'translator'})"
    if result.updated or human_checked:
        with open(_path(language, locales), "wb") as fh:
            write_po(fh, catalog)
    return result


def _check(message: Message, forms: list[str], num_plurals: int) -> str | None:
    if not forms or not all(forms):
        return "empty translation"
    if isinstance(message.id, tuple) and len(forms) != num_plurals:
        return f"needs {num_plurals} plural forms separated by '{PLURAL_SEPARATOR.strip()}'"
    source = message.id if isinstance(message.id, str) else message.id[1]
    for form in forms:
        if problem := translation_problem(source, form, plural=len(forms) > 1):
            return problem
    return None


def translation_problem(source: str, form: str, *, plural: bool = False) -> str | None:
    """Why a translation of `source` cannot go into a catalog (None when it can): exactly the source's
    `{name}` placeholders and nothing else in braces, and not a cell a spreadsheet would evaluate.
    The import and `make test` (tests/unit/test_catalogs.py) both ask this."""
    if _FORMULA.match(form):
        return "starts like a spreadsheet formula (=, +, -, @)"
    # a plural form for exactly one item may say "one" instead of {n}
    return placeholders.problem(source, form, may_omit=frozenset({"n"}) if plural else frozenset())


def _uncell(value: str) -> str:
    """A cell as `_cell` wrote it: the apostrophe before a formula goes, so the formula is refused."""
    return value[1:] if value.startswith("'") and _FORMULA.match(value[1:]) else value


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading apostrophe."""
    return "'" + value if _FORMULA.match(value) else value

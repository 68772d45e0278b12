"""The one placeholder syntax of the catalogs, `{name}`, checked and filled without `str.format`.

A translation comes from a translator's sheet, so it is data, never a template: `{town.nope}` (an
attribute), `{reference:>300000000}` (a format spec), `{town[0]}`, `{town!r}` or `{0}` would make
`str.format` raise or build a huge string. Here a text may hold only `{name}` fields (lower-case
letters and `_`), each the name of a parameter, and nothing else in braces; filling is a plain
substitution whose result is measured before it is built.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["MAX_RENDERED", "fields", "fill", "problem"]

FIELD = re.compile(r"\{([a-z_]+)\}")
_BRACES = re.compile(r"[{}]")
# A rendered message longer than this is a broken translation (a Telegram message holds 4,096).
MAX_RENDERED = 100_000


def fields(text: str) -> set[str] | None:
    """The `{name}` fields of a text, or None when it has braces that are not such a field."""
    if _BRACES.search(FIELD.sub("", text)):
        return None
    return set(FIELD.findall(text))


def problem(source: str, form: str, *, may_omit: frozenset[str] = frozenset()) -> str | None:
    """Why `form` cannot stand for `source` (None when it can): it must use exactly the source's fields,
    as plain `{name}`; `may_omit` may be left out (a plural form for one item may say "one", not {n})."""
    wanted = fields(source)
    got = fields(form)
    if wanted is None:
        return "the source text has braces that are not a {name} field"
    if got is None:
        return "braces that are not a plain {name} field (no attribute, index, conversion or format spec)"
    if got != wanted and not (got <= wanted and wanted - got <= may_omit):
        return f"placeholders {sorted(got)} do not match {sorted(wanted)}"
    return None


def fill(text: str, values: Mapping[str, str]) -> str | None:
    """`text` with its `{name}` fields replaced; None when it has anything else in braces, a field
    without a value, or would grow past MAX_RENDERED."""
    found = fields(text)
    if found is None or not found <= set(values):
        return None
    size = len(text) + sum(len(values[m.group(1)]) - len(m.group(0)) for m in FIELD.finditer(text))
    if size > MAX_RENDERED:
        return None
    return FIELD.sub(lambda m: values[m.group(1)], text)

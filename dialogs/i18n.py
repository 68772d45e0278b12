"""Translatable messages as data, and their rendering in one person's language.

The dialog never holds translated text: it returns `Msg` values (msgid, context, parameters) that the
transcript stores as they are, so any entry can be shown later in the person's language and in
Swedish. Rendering happens only here, with the person's own `Translations` object passed in: there
is no global current locale, because updates of different people are handled concurrently.

The marker functions `N_`, `P_` and `NN_` are the keywords `pybabel extract` looks for.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

__all__ = [
    "LANGUAGES",
    "LOCALES_DIR",
    "NN_",
    "N_",
    "P_",
    "RTL_LANGUAGES",
    "Msg",
    "available_languages",
    "babel_locale",
    "clean_text",
    "isolate",
    "language_name",
    "nav_arrow",
    "render",
    "show",
    "translations",
]

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

# The language ids of INTAKE_SPEC section 5, in the order the language question offers them.
LANGUAGES: tuple[str, ...] = (
    "sv", "en", "ar", "ti", "so", "fa_AF", "fa", "uk", "ckb", "kmr", "ps", "am", "ru", "tr",
)
RTL_LANGUAGES = frozenset({"ar", "fa", "fa_AF", "ckb", "ps"})

# Babel does not know every id of the spec: Kurmanji is Babel's `ku`.
_BABEL_IDS = {"kmr": "ku"}
# CLDR names Dari "Persian (Afghanistan)"; people call their language دری.
_OWN_NAMES = {"fa_AF": "دری", "kmr": "Kurdî (Kurmancî)", "ckb": "کوردیی ناوەندی (سۆرانی)"}

FSI, PDI = "\u2068", "\u2069"  # first strong isolate, pop directional isolate
# The town's name is a parameter of every message that says it, so that it is isolated in
# right-to-left text like any other name; `render` fills it in.
TOWN = "Sollefteå"


@dataclass(frozen=True)
class Msg:
    """A message to show: a msgid with optional context and plural, and named parameters.

    Parameter values are `str` (inserted as they are, isolated in right-to-left languages),
    `int` (formatted with the language's digits and grouping), `date` (in the language's own long
    form) or another `Msg` (translated too).
    """

    msgid: str
    context: str | None = None
    plural: str | None = None
    n: int | None = None
    params: tuple[tuple[str, Any], ...] = field(default=())

    def with_params(self, **params: Any) -> Msg:
        merged = dict(self.params) | params
        return Msg(self.msgid, self.context, self.plural, self.n, tuple(sorted(merged.items())))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.msgid}
        if self.context:
            out["ctx"] = self.context
        if self.plural:
            out["pl"] = self.plural
            out["n"] = self.n
        if self.params:
            out["p"] = {k: _param_json(v) for k, v in self.params}
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Msg:
        params = {k: _param_value(v) for k, v in (data.get("p") or {}).items()}
        return cls(data["id"], data.get("ctx"), data.get("pl"), data.get("n"), tuple(sorted(params.items())))


def _param_json(value: Any) -> Any:
    if isinstance(value, Msg):
        return value.to_json()
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _param_value(value: Any) -> Any:
    if isinstance(value, dict):
        return date.fromisoformat(value["date"]) if set(value) == {"date"} else Msg.from_json(value)
    return value


def N_(msgid: str, **params: Any) -> Msg:
    return Msg(msgid, params=tuple(sorted(params.items())))


def P_(context: str, msgid: str, **params: Any) -> Msg:
    return Msg(msgid, context=context, params=tuple(sorted(params.items())))


def NN_(singular: str, plural: str, n: int, **params: Any) -> Msg:
    return Msg(singular, plural=plural, n=n, params=tuple(sorted((params | {"n": n}).items())))


def babel_locale(language: str) -> Locale:
    return Locale.parse(_BABEL_IDS.get(language, language))


def language_name(language: str) -> str:
    """The language's name in itself, from CLDR where it has one."""
    if language in _OWN_NAMES:
        return _OWN_NAMES[language]
    name = babel_locale(language).get_display_name(babel_locale(language)) or language
    return name[:1].upper() + name[1:]


@functools.cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of one language (English source text when there is none)."""
    if language == "en" and not (LOCALES_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.mo").exists():
        return NullTranslations()
    loaded = Translations.load(str(LOCALES_DIR), [language], DOMAIN)
    return loaded


def available_languages() -> tuple[str, ...]:
    """The spec's languages whose catalog is compiled here, in the spec's order."""
    return tuple(
        lang for lang in LANGUAGES if (LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").exists()
    ) or ("en",)


def isolate(text: str) -> str:
    """Wrap a left-to-right insertion so it keeps its place inside right-to-left text."""
    return f"{FSI}{text}{PDI}"


def render(msg: Msg, language: str) -> str:
    """The message in the given language, parameters filled in."""
    t = translations(language)
    if msg.plural is not None:
        n = msg.n or 0
        text = t.npgettext(msg.context, msg.msgid, msg.plural, n) if msg.context else t.ngettext(
            msg.msgid, msg.plural, n
        )
    elif msg.context:
        text = t.pgettext(msg.context, msg.msgid)
    else:
        text = t.gettext(msg.msgid)
    rtl = language in RTL_LANGUAGES
    if not msg.params and "{town}" not in text:
        return text
    values: dict[str, str] = {"town": isolate(TOWN) if rtl else TOWN}
    for key, value in msg.params:
        if isinstance(value, Msg):
            values[key] = render(value, language)
            continue
        if isinstance(value, date):
            shown = format_date(value, format="long", locale=babel_locale(language))
        elif isinstance(value, bool):
            shown = str(value)
        elif isinstance(value, int):
            shown = format_decimal(value, locale=babel_locale(language))
        else:
            shown = str(value)
        values[key] = isolate(shown) if rtl else shown
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        # A broken translation must not silence the bot: fall back to the source text.
        return msg.msgid.format(**values)


def nav_arrow(direction: str, language: str) -> str:
    """The arrow of a navigation button, pointing the way it goes in the language's reading direction:
    "back" points left in left-to-right languages and right in right-to-left ones (the arrows are not
    mirrored by the bidirectional algorithm, so the choice is made here, not in the catalogs)."""
    backwards = (direction == "back") != (language in RTL_LANGUAGES)
    return "◀" if backwards else "▶"


def show(value: Msg | str, language: str) -> str:
    """A message rendered, or a plain string (a name) isolated when the language is right-to-left."""
    if isinstance(value, Msg):
        return render(value, language)
    return isolate(value) if language in RTL_LANGUAGES else value


_KEEP = {"\n", "\t"}


def clean_text(text: str, limit: int = 4096) -> str:
    """Text as a person typed it, minus NUL and other control characters, trimmed to `limit`.

    Format characters (right-to-left marks, zero-width joiners) are kept: they belong to the text.
    """
    kept = "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) != "Cc")
    return kept.strip()[:limit]

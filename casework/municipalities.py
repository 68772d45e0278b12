"""Sweden's 290 municipalities and a forgiving matcher for the one a person types.

Why this module exists: the intake asks which municipality moved the person to Sollefteå. People
answer in many ways: "Göteborgs Stad", "gothenburg", "goteborg", "يوتيبوري", "Гётеборг", "ዮተቦሪ",
"Stockhlom", or the four-digit kommunkod. A caseworker needs the official SCB code (kommunkod,
e.g. "1480") and name, so the bot shows a few candidates and lets the person pick. This module
holds the reference data (``municipalities.csv``: code, name, county; ``municipality_aliases.csv``:
exonyms, other scripts and transliterations) and turns free text into ranked candidates.

Pure: the two CSV files beside this module are read once, lazily, and cached; matching does no I/O,
never raises on any string, and ignores format/control characters (RTL marks, NUL bytes).
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from rapidfuzz import fuzz, process

__all__ = ["Municipality", "all_municipalities", "by_code", "match_municipality"]

_PACKAGE: Final = __package__ or "casework"
_DATA_FILE: Final = "municipalities.csv"
_ALIAS_FILE: Final = "municipality_aliases.csv"

_MAX_RAW_CHARS: Final = 400  # looked at before cleaning: bounds the work on huge messages
_MAX_CHARS: Final = 100  # the cleaned text is cut here before any matching
_MIN_FUZZY_CHARS: Final = 3  # shorter text only matches exactly
_MIN_PREFIX_CHARS: Final = 4  # a typed start of a name counts from this length
_MAX_SENTENCE_WORDS: Final = 6  # words of longer texts are only looked up exactly, not fuzzily
_SCORE_CUTOFF: Final = 82.0  # a score (0-100) below this is not a plausible answer
_PIECE_WEIGHT: Final = 0.95  # a word or word pair of a sentence, not the whole text
_WORD_WEIGHT: Final = 0.9  # the text against one word of a multi-word name
_WORD_IN_TEXT_SCORE: Final = 95.0  # a name or alias appearing word for word inside a sentence

# Words around a name that say "municipality", "city", "county", "Sweden" in the languages we see.
# Compared after normalization (lower case, no diacritics, Arabic letters folded).
_AFFIX_WORDS: Final = frozenset(
    {
        "kommun", "kommune", "kommunen", "kommuna", "stad", "staden", "municipality", "municipio",
        "city", "town", "of", "lan", "region", "sweden", "sverige",
        "коммуна", "город", "г", "швеция",  # Russian
        "بلديه", "مدينه", "كومون", "الكومون", "كمون", "السويد", "شهر", "سوئد",  # Arabic, Persian
        "ከተማ",  # Ethiopic: city
    }
)

# Whole answers that are greetings or small talk, never a name, though close to one ("salam" ~ Sala).
_NOT_NAMES: Final = frozenset(
    {
        "salam", "salaam", "salam alaikum", "salom", "shalom", "hello", "hallo", "hej", "hejsan", "hi",
        "ok", "okay", "ja", "nej", "yes", "no", "tack", "thanks", "help", "start", "stop",
    }
)

# Arabic-script letters folded to one form, so Arabic, Persian, Dari, Pashto and Sorani spellings
# of the same name meet (hamza and vowel marks are already gone after NFKD + dropping marks).
_FOLD: Final = str.maketrans(
    {
        "ی": "ي", "ى": "ي", "ې": "ي", "ێ": "ي", "ۍ": "ي",
        "ک": "ك", "ګ": "گ",
        "ة": "ه", "ە": "ه", "ہ": "ه", "ھ": "ه",
        "ۆ": "و", "ۇ": "و", "ۈ": "و", "ۋ": "و",
        "ڵ": "ل", "ڕ": "ر", "ړ": "ر", "ټ": "ت", "ډ": "د", "ڤ": "ف", "پ": "ب", "ژ": "ز",
        "ـ": "",  # tatweel
        "ø": "o", "æ": "a", "ł": "l", "đ": "d", "ı": "i",
    }
)


@dataclass(frozen=True)
class Municipality:
    """One Swedish municipality (kommun)."""

    code: str  # kommunkod, 4 digits, leading zero kept
    name: str  # official name, e.g. "Göteborg" (without "kommun"/"stad")
    county: str  # län, e.g. "Västernorrlands län"


# --- normalization ---------------------------------------------------------------------------


def _clean_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Mn":
        return ""  # diacritics and Arabic vowel marks (after NFKD)
    if category[0] == "C":
        # Cc (NUL, newlines, tabs) separates words; Cf (RTL/LTR marks, ZWNJ, BOM), Cs, Co, Cn vanish
        return " " if category == "Cc" else ""
    if category[0] in "PSZ":
        return " "  # punctuation, symbols (emoji), separators
    if category == "Nd":
        return str(unicodedata.digit(ch))  # Arabic-Indic and other digits become 0-9
    return ch


def _split_ethiopic(text: str) -> str:
    """Write each Ethiopic syllable as consonant + vowel sign, so ቦ/ቡ differ in one sign, not fully.

    The Ethiopic syllabary is laid out in rows of eight: the row is the consonant, the position in
    the row the vowel. Vowel signs are stood in for by code points of the Ethiopic number block.
    """
    out: list[str] = []
    for ch in text:
        cp = ord(ch)
        if 0x1200 <= cp <= 0x135A:
            out.append(chr(cp & ~7))
            out.append(chr(0x1372 + (cp & 7)))
        else:
            out.append(ch)
    return "".join(out)


def _normalize(text: str) -> str:
    """Return the comparable form of ``text``: lower case, no diacritics/marks, folded letters.

    Format and control characters are dropped, punctuation becomes spaces, spaces are collapsed and
    the result is cut to 100 characters. Never raises.
    """
    if not isinstance(text, str):
        return ""
    raw = text[:_MAX_RAW_CHARS]
    decomposed = unicodedata.normalize("NFKD", raw).casefold()
    cleaned = "".join(_clean_char(ch) for ch in decomposed).translate(_FOLD)
    if any(0x1200 <= ord(ch) <= 0x135A for ch in cleaned):
        cleaned = _split_ethiopic(cleaned)
    return " ".join(cleaned.split())[:_MAX_CHARS].strip()


def _strip_affixes(normalized: str) -> str:
    """Drop words such as "kommun", "stad", "city of" around a name; "" if there is nothing else."""
    words = normalized.split()
    if all(word in _AFFIX_WORDS for word in words):
        return ""
    while len(words) > 1 and words[-1] in _AFFIX_WORDS:
        words.pop()
    while len(words) > 1 and words[0] in _AFFIX_WORDS:
        words.pop(0)
    if len(words) > 1 and words[-1] == "s":  # "Stockholm s stad"
        words.pop()
    return " ".join(words)


def _variants(core: str) -> list[str]:
    """The query, plus its form without a genitive s ("Stockholms" -> "stockholm")."""
    variants = [core]
    if len(core) > 3 and core.endswith("s"):
        variants.append(core[:-1])
    return variants


def _script(text: str) -> str:
    """Which alphabet ``text`` is written in: latin, arabic, cyrillic, ethiopic, or mixed."""
    scripts: set[str] = set()
    for ch in text:
        cp = ord(ch)
        if ch.isspace() or ch.isdigit():
            continue
        if 0x0600 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFEFF:
            scripts.add("arabic")
        elif 0x0400 <= cp <= 0x052F:
            scripts.add("cyrillic")
        elif 0x1200 <= cp <= 0x139F or 0x2D80 <= cp <= 0x2DDF or 0xAB00 <= cp <= 0xAB2F:
            scripts.add("ethiopic")
        else:
            scripts.add("latin")
    return scripts.pop() if len(scripts) == 1 else "mixed"


# --- data ------------------------------------------------------------------------------------


def _read_rows(filename: str) -> list[dict[str, str]]:
    text = resources.files(_PACKAGE).joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True)
class _Choices:
    """What fuzzy matching compares against, for one script (or all of them: "mixed")."""

    strings: list[str]  # normalized names and aliases
    owners: list[str]  # the code of each string
    words: list[str]  # the words of multi-word names and aliases ("upplands", "vasby", ...)
    word_owners: list[str]


@dataclass(frozen=True)
class _Index:
    municipalities: tuple[Municipality, ...]
    by_code: dict[str, Municipality]
    exact: dict[str, tuple[str, ...]]  # normalized name/alias (also without spaces) -> codes
    prefixes: dict[str, tuple[tuple[str, float], ...]]  # typed start -> (code, score)
    choices: dict[str, _Choices]  # script -> choices


def _prefix_score(typed: int, full: int) -> float:
    """A name's start typed out: from just over the cutoff for 4 letters up to ~94 for all but one."""
    return _SCORE_CUTOFF + 2.0 + 10.0 * typed / full


@cache
def _index() -> _Index:
    rows = _read_rows(_DATA_FILE)
    municipalities = tuple(
        sorted(
            (Municipality(r["code"].strip(), r["name"].strip(), r["county"].strip()) for r in rows),
            key=lambda m: m.code,
        )
    )
    codes = {m.code: m for m in municipalities}
    entries: list[tuple[str, str]] = [(_normalize(m.name), m.code) for m in municipalities]
    for row in _read_rows(_ALIAS_FILE):
        code = (row.get("code") or "").strip()
        if code in codes:
            entries.append((_normalize(row.get("alias") or ""), code))

    exact: dict[str, list[str]] = {}
    prefixes: dict[str, dict[str, float]] = {}
    choices: dict[str, _Choices] = {}
    seen: set[tuple[str, str]] = set()
    for key, code in entries:
        if not key or (key, code) in seen:
            continue
        seen.add((key, code))
        words = key.split()
        for form in {key, key.replace(" ", "")}:
            bucket = exact.setdefault(form, [])
            if code not in bucket:
                bucket.append(code)
        for form in {key, key.replace(" ", ""), *(w for w in words[1:] if len(w) > _MIN_PREFIX_CHARS)}:
            for size in range(_MIN_PREFIX_CHARS, len(form)):
                found = prefixes.setdefault(form[:size], {})
                found[code] = max(found.get(code, 0.0), _prefix_score(size, len(form)))
        for script in {_script(key), "mixed"}:
            bucket_choices = choices.setdefault(script, _Choices([], [], [], []))
            bucket_choices.strings.append(key)
            bucket_choices.owners.append(code)
            if len(words) > 1:
                for word in words:
                    if len(word) >= _MIN_FUZZY_CHARS:
                        bucket_choices.words.append(word)
                        bucket_choices.word_owners.append(code)
    return _Index(
        municipalities=municipalities,
        by_code=codes,
        exact={key: tuple(value) for key, value in exact.items()},
        prefixes={key: tuple(value.items()) for key, value in prefixes.items()},
        choices=choices,
    )


# --- public API ------------------------------------------------------------------------------


def all_municipalities() -> tuple[Municipality, ...]:
    """All 290 municipalities, in kommunkod order."""
    return _index().municipalities


def by_code(code: str) -> Municipality | None:
    """The municipality with this 4-digit kommunkod ("0180"), or None."""
    if not isinstance(code, str):
        return None
    return _index().by_code.get(code.strip())


def match_municipality(text: str, limit: int = 3) -> list[Municipality]:
    """Up to ``limit`` municipalities that ``text`` plausibly names, best first; [] if none.

    A typed existing 4-digit code gives that municipality. An exact match (after normalization)
    of a name or alias gives only the exact matches. Otherwise candidates come from similarity
    (rapidfuzz ``ratio``) to whole names and aliases, to single words of multi-word names
    ("Upplands" -> Upplands Väsby, Upplands-Bro), from a typed start of a name ("Sollef"), and
    from names found word for word inside a short sentence ("I live in Göteborg"). Anything
    scoring below a plausibility cutoff is dropped, so greetings and noise give [].
    """
    if not isinstance(limit, int) or limit <= 0:
        return []
    index = _index()
    normalized = _normalize(text)
    if not normalized:
        return []
    digits = normalized.replace(" ", "")
    if len(digits) == 4 and digits.isdigit():
        found = index.by_code.get(digits)
        return [found] if found else []

    core = _strip_affixes(normalized)
    if not core or core in _NOT_NAMES:
        return []
    variants = _variants(core)

    exact: list[str] = []
    for variant in variants:
        for form in (variant, variant.replace(" ", "")):
            exact.extend(code for code in index.exact.get(form, ()) if code not in exact)
    if exact:
        # "habo" is both Habo and Håbo: the one spelled as typed, diacritics included, comes first
        typed = unicodedata.normalize("NFC", text[:_MAX_RAW_CHARS]).casefold()
        exact.sort(key=lambda code: index.by_code[code].name.casefold() not in typed)
        return [index.by_code[code] for code in exact[:limit]]

    # code -> (score, starts like the text, similarity): the last two only break ties
    scores: dict[str, tuple[float, int, float]] = {}

    def offer(code: str, score: float, prefix: int, similarity: float) -> None:
        if score >= _SCORE_CUTOFF and (score, prefix, similarity) > scores.get(code, (-1.0, -1, -1.0)):
            scores[code] = (score, prefix, similarity)

    choices = index.choices.get(_script(core)) or index.choices["mixed"]
    extract_limit = 3 * limit + 5  # several strings (name, aliases) can belong to one code
    for variant in variants:
        if len(variant.replace(" ", "")) < _MIN_FUZZY_CHARS:
            continue
        for code, score in index.prefixes.get(variant, ()):
            offer(code, score, 1, score)
        for piece, weight, fuzzy in _pieces(variant):
            if piece != variant:
                for code in index.exact.get(piece, ()):
                    offer(code, _WORD_IN_TEXT_SCORE, 1, 100.0)
            if not fuzzy:
                continue
            whole_cutoff = _SCORE_CUTOFF / weight
            for choice, score, position in process.extract(
                piece, choices.strings, scorer=fuzz.ratio, limit=extract_limit, score_cutoff=whole_cutoff
            ):
                offer(choices.owners[position], score * weight, int(choice.startswith(piece)), score)
            word_cutoff = _SCORE_CUTOFF / (weight * _WORD_WEIGHT)
            for _word, score, position in process.extract(
                piece, choices.words, scorer=fuzz.ratio, limit=extract_limit, score_cutoff=word_cutoff
            ):
                offer(choices.word_owners[position], score * weight * _WORD_WEIGHT, 1, score)

    ranked = sorted(scores.items(), key=lambda item: (tuple(-x for x in item[1]), item[0]))
    return [index.by_code[code] for code, _ in ranked[:limit]]


def _pieces(variant: str) -> list[tuple[str, float, bool]]:
    """What to look up: the text itself, and for a sentence its words and word pairs.

    Each comes with its weight and whether it is also compared fuzzily: word pairs, and the words
    of a sentence longer than ``_MAX_SENTENCE_WORDS``, are only looked up exactly (keeps it fast).
    """
    pieces = [(variant, 1.0, True)]
    all_words = variant.split()
    if len(all_words) > 1:
        fuzzy = len(all_words) <= _MAX_SENTENCE_WORDS
        words = [w for w in all_words if w not in _AFFIX_WORDS and w not in _NOT_NAMES]
        singles = [(w, _PIECE_WEIGHT, fuzzy) for w in words if len(w) >= _MIN_FUZZY_CHARS]
        pairs = [(f"{a} {b}", _PIECE_WEIGHT, False) for a, b in itertools.pairwise(words)]
        pieces += [piece for piece in dict.fromkeys(singles + pairs) if piece[0] != variant]
    return pieces

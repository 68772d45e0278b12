"""Is a text the bot sent made only of one language's catalog? For the every-path, every-language test.

A text passes when it is a sequence of that language's translations (joined as the service joins
them), with anything in place of their placeholders, plus the few things that are never translated:
a language's own name, a municipality's name, a number. The English source text showing through a
placeholder is caught separately: no piece of English wording may appear in a text outside `en`
unless the language's own catalog has it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from babel.messages.pofile import read_po

from dialogs.i18n import FSI, LOCALES_DIR, PDI

__all__ = ["CatalogText"]

_PLACEHOLDER = re.compile(r"\\\{[a-z_]+\\\}")
_LITERAL_SPLIT = re.compile(r"\{[a-z_]+\}")
_WORDS = re.compile(r"[A-Za-z][A-Za-z' ]{9,}[A-Za-z]")  # a run of English wording, 11 characters or more


def _strings(lang: str) -> tuple[list[str], list[str]]:
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    msgstrs: list[str] = []
    msgids: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        msgids += [i for i in ids if i]
        msgstrs += [s for s in strs if s]
    return msgstrs, msgids


class CatalogText:
    def __init__(self, lang: str, names: Iterable[str] = ()) -> None:
        self.lang = lang
        msgstrs, _ = _strings(lang)
        _, english = _strings("en")
        # entries with words of their own: their placeholders may hold anything (names, numbers, dates)
        worded = {m for m in msgstrs if _has_words(m)}
        alternatives = sorted({_PLACEHOLDER.sub(".+?", re.escape(m)) for m in worded}, key=len, reverse=True)
        self._entry = re.compile(f"(?:{'|'.join(alternatives)})", re.DOTALL)
        # entries that only arrange other things ("• {title}: {answer}", "✓ {label}", "{first}, {second}"):
        # each thing they hold must itself be from the catalog, or a name or a number
        self._frames = [re.compile(_PLACEHOLDER.sub("(.+?)", re.escape(m)), re.DOTALL)
                        for m in sorted(set(msgstrs) - worded, key=len, reverse=True)]
        # an answered question shows "✓ <the answer>" under it (the service adds the mark)
        self._frames.append(re.compile("✓ (.+)", re.DOTALL))
        self.names = {n for n in names if n}
        self._span = 1 + max(m.count("\n\n") for m in msgstrs)  # how many parts one entry may cover
        self._seen: dict[str, bool] = {}
        own = set(msgstrs)
        self.english = set() if lang == "en" else {e for e in english if e not in own and _has_words(e)}
        joined = "\n".join(msgstrs)
        self.english_words = [] if lang == "en" else sorted(
            {w for m in english for piece in _LITERAL_SPLIT.split(m) for w in _WORDS.findall(piece) if w not in joined})

    @staticmethod
    def _plain(text: str) -> str:
        return text.replace(FSI, "").replace(PDI, "")

    def _is_value(self, text: str, depth: int = 0) -> bool:
        """A catalog entry, a name or a number (what a placeholder or an answer may hold)."""
        if text not in self._seen:
            self._seen[text] = self._check(text, depth)
        return self._seen[text]

    def _check(self, text: str, depth: int) -> bool:
        if text in self.names or re.fullmatch(r"[0-9+ ]+", text):
            return True
        if text in self.english:
            return False
        if self._entry.fullmatch(text):
            return True
        if depth > 40:
            return False
        for frame in self._frames:
            m = frame.fullmatch(text)
            if m and all(self._is_value(g, depth + 1) for g in m.groups()):
                return True
        return False

    def label_problem(self, label: str) -> str | None:
        label = self._plain(label)
        for arrow in ("◀ ", "▶ "):
            label = label.removeprefix(arrow)
        if label.isdigit() or self._is_value(label):
            return self.showing_through(label)
        return f"button {label!r} is not from the {self.lang} catalog"

    def text_problem(self, text: str) -> str | None:
        """None when `text` is made of this language's catalog; else what is wrong."""
        plain = self._plain(text)
        parts = plain.split("\n\n")
        # reach[i]: parts[:i] can be read as whole catalog entries
        reach = [True] + [False] * len(parts)
        for i in range(len(parts)):
            if reach[i]:
                for j in range(i + 1, min(len(parts), i + self._span) + 1):
                    if not reach[j] and self._is_value("\n\n".join(parts[i:j])):
                        reach[j] = True
        if not reach[-1]:
            last = max(i for i in range(len(parts)) if reach[i])
            return f"not from the {self.lang} catalog: {parts[last][:120]!r}"
        return self.showing_through(plain)

    def showing_through(self, text: str) -> str | None:
        for words in self.english_words:
            if words in text:
                return f"English source text shows through in {self.lang}: {words!r} in {text[:120]!r}"
        return None


def _has_words(msgstr: str) -> bool:
    """Whether an entry says something itself, beyond placeholders and punctuation."""
    return any(ch.isalpha() for ch in _LITERAL_SPLIT.sub("", msgstr))

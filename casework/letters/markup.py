"""The line markup of the letter templates, read the same way for the plain text and for the Word template.

Why this module exists: each letter is written once, in ``templates/<kind>.txt.j2``. A few line
prefixes say what a line is, so that the plain-text draft and the Word template built from it by
``make_templates.py`` carry the same words and the same Jinja tags:

    ``! `` a note for the caseworker (UTKAST, OBS)     ``# ``  the letter's title
    ``^ `` the letterhead                              ``## `` a heading
    ``> `` date and reference, right-aligned in Word   ``- ``  a bullet
    a line holding only ``{% … %}``: template logic (in Word a ``{%p … %}`` paragraph)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["Line", "parse", "strip_comments", "to_plain"]

_PREFIXES: Final = (("## ", "heading"), ("# ", "title"), ("! ", "notice"), ("^ ", "letterhead"), ("> ", "meta"),
                    ("- ", "bullet"))
_BLOCK: Final = re.compile(r"\s*(\{%.*%\})\s*")
_COMMENT: Final = re.compile(r"\{#.*?#\}\n?", re.DOTALL)


@dataclass(frozen=True)
class Line:
    """One line of a template or of a rendered draft: its kind and its text without the prefix."""

    kind: str  # title, heading, notice, letterhead, meta, bullet, block, blank, body
    text: str


def parse(raw: str) -> Line:
    line = raw.rstrip()
    block = _BLOCK.fullmatch(line)
    if block:
        return Line("block", block.group(1))
    if not line.strip():
        return Line("blank", "")
    for prefix, kind in _PREFIXES:
        if line.startswith(prefix):
            return Line(kind, line[len(prefix):].strip())
    return Line("body", line.strip())


def strip_comments(source: str) -> str:
    """The template without its ``{# … #}`` comments (notes for whoever edits it)."""
    return _COMMENT.sub("", source)


def to_plain(rendered: str) -> str:
    """A rendered template as a plain-text letter: prefixes gone, titles underlined, blank runs collapsed."""
    out: list[str] = []
    for raw in rendered.splitlines():
        line = parse(raw)
        if line.kind in ("title", "heading"):
            if out and out[-1]:
                out.append("")
            out += [line.text, ("=" if line.kind == "title" else "-") * len(line.text)]
        elif line.kind == "bullet":
            out.append(f"- {line.text}")
        elif line.kind == "blank":
            if out and out[-1]:
                out.append("")
        else:
            out.append(line.text)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"

"""``render_letter(kind, facts)``: one context, rendered into the plain-text draft and the Word document.

Why this module exists: the caseworker gets the same draft twice, as text to read and as a Word
document to finish and sign, and must see at a glance what is missing and which legal references
nobody has checked. Both outputs come from one context dict (context.py) and from templates a
municipality can edit without code (templates/). ``missing`` and ``unverified`` are read back from the
rendered text, so they list exactly the gaps the draft shows, also after someone edited a template.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import Any, Final

from docxtpl import DocxTemplate
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from casework.letters.context import LAW_CHECK_PREFIX, build_context
from casework.letters.facts import KINDS, CaseFacts, Letter, UnknownLetterKind
from casework.letters.markup import to_plain
from casework.letters.sentences import GAP_PREFIX

__all__ = ["TEMPLATES", "render_letter"]

TEMPLATES: Final = Path(__file__).parent / "templates"
_SLUG: Final = {"official": "skrivelse", "transfer": "begaran-om-overflyttning", "ivo": "ansokan-ivo"}
_GAP: Final = re.compile(re.escape(GAP_PREFIX) + r"([^\]–]+?)(?: – [^\]]*)?\]»")
_CHECK: Final = re.compile(re.escape(LAW_CHECK_PREFIX) + r"([^\]]+)\]»")


@cache
def _text_env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)


def _docx_env() -> Environment:
    # docxtpl sets autoescape on the environment it is given: a fresh one per document
    return Environment(undefined=StrictUndefined, autoescape=True)


def _unique(found: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(label.strip() for label in found))


def _docx(kind: str, context: dict[str, Any]) -> bytes:
    template = DocxTemplate(TEMPLATES / f"{kind}.docx")
    template.render(context, jinja_env=_docx_env(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _filename(kind: str, facts: CaseFacts) -> str:
    reference = re.sub(r"[^A-Za-z0-9-]", "_", facts.reference) or "utan-referens"
    return f"{reference}-{_SLUG[kind]}-{facts.letter_date.isoformat()}.docx"


def render_letter(kind: str, facts: CaseFacts) -> Letter:
    """The ``kind`` draft (``official``, ``transfer`` or ``ivo``) for this case, as text and as Word."""
    if kind not in KINDS:
        raise UnknownLetterKind(kind)
    context = build_context(kind, facts)
    text = to_plain(_text_env().get_template(f"{kind}.txt.j2").render(context))
    return Letter(
        kind=kind,
        text=text,
        docx=_docx(kind, context),
        missing=_unique(_GAP.findall(text)),
        unverified=_unique(_CHECK.findall(text)),
        filename=_filename(kind, facts),
    )

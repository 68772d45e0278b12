"""Build the Word templates ``templates/<kind>.docx`` from the text templates ``templates/<kind>.txt.j2``.

Why this module exists: the Word document and the plain text must say the same thing. The text
template is the one source; this script turns each of its lines into a Word paragraph with the same
words and the same Jinja tags (markup.py says how a line's prefix becomes a style), so docxtpl fills
the Word template from the very context that fills the text. A municipality may edit the .docx in
Word (keeping the tags) or edit the .txt.j2 and run ``python -m casework.letters.make_templates``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from casework.letters.facts import KINDS
from casework.letters.markup import parse, strip_comments

__all__ = ["build", "main"]

_TEMPLATES = Path(__file__).parent / "templates"
_TITLES = {"official": "Officiell skrivelse", "transfer": "Begäran om överflyttning av ärende",
           "ivo": "Ansökan om överflyttning av ärende hos IVO"}
_STYLE = {"title": "Heading 1", "heading": "Heading 2", "bullet": "List Bullet"}


def build(kind: str, source: str) -> DocumentObject:
    """The Word template for ``kind`` from the text template's ``source``."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    properties = document.core_properties
    properties.title = _TITLES[kind]
    properties.author = "Sollefteå kommun, Socialtjänsten"
    properties.comments = f"Byggd från {kind}.txt.j2 av casework/letters/make_templates.py"
    for raw in strip_comments(source).splitlines():
        line = parse(raw)
        if line.kind == "blank":
            continue
        if line.kind == "block":  # docxtpl: a tag that stands for its whole paragraph
            document.add_paragraph(line.text.replace("{%", "{%p", 1))
            continue
        paragraph = document.add_paragraph(style=_STYLE.get(line.kind))
        run = paragraph.add_run(line.text)
        if line.kind == "notice":
            run.bold = True
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        elif line.kind == "letterhead":
            run.bold = True
            run.font.size = Pt(14)
        elif line.kind == "meta":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document


def main(folder: Path = _TEMPLATES) -> list[Path]:
    """Rebuild every ``<kind>.docx`` in ``folder``; returns the files written."""
    written = []
    for kind in KINDS:
        target = folder / f"{kind}.docx"
        build(kind, (folder / f"{kind}.txt.j2").read_text(encoding="utf-8")).save(str(target))
        written.append(target)
    return written


if __name__ == "__main__":
    for path in main():
        sys.stdout.write(f"{path}\n")

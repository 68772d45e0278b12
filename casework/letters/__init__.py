"""Letter drafts in Swedish from a case's facts: the official letter, the transfer request, the IVO application.

``render_letter(kind, facts)`` returns the draft as plain text and as an editable Word document,
with every missing fact marked in the draft and listed in ``Letter.missing``.
"""

from casework.letters.facts import KINDS, CaseEvent, CaseFacts, Letter, UnknownLetterKind
from casework.letters.render import render_letter

__all__ = ["KINDS", "CaseEvent", "CaseFacts", "Letter", "UnknownLetterKind", "render_letter"]

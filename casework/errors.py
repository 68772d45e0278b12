"""Why a staff action was refused, as named errors with a Swedish message for the staff member.

Every shell maps these in one place: `UnknownCommand` is answered exactly like a command that does not
exist (someone who is not staff learns nothing), `UnknownCase` is also what a role gets for a case it
may not touch (so a refusal does not reveal that the case exists), everything else is shown as it is.
"""

from __future__ import annotations

__all__ = ["AlreadyClaimed", "CaseError", "InvalidInput", "StaleCase", "UnknownCase", "UnknownCommand"]


class CaseError(Exception):
    """A staff action that cannot be done; the message is Swedish, for the staff member."""


class UnknownCommand(CaseError):
    """Not staff, removed, or a command the role does not have: the unknown-command answer."""

    def __init__(self) -> None:
        super().__init__("Okänt kommando.")


class UnknownCase(CaseError):
    """No such case, or one this staff member may not reach: the same words either way."""

    def __init__(self, reference: str) -> None:
        shown = reference.strip().upper()[:40]
        super().__init__(f"Inget ärende {shown}." if shown else "Ange ärendets referens, t.ex. SOL-2026-0042.")
        self.reference = reference


class InvalidInput(CaseError):
    """Input the command cannot take (a date that does not exist, a missing field, too long a text)."""


class AlreadyClaimed(CaseError):
    def __init__(self, holder: str) -> None:
        super().__init__(f"Ärendet är redan taget av {holder}.")
        self.holder = holder


class StaleCase(CaseError):
    """The case changed after the staff member opened it (the web form's optimistic check)."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"{reference} har ändrats sedan du öppnade det. Läs in ärendet igen och försök på nytt.")

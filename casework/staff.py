"""Staff roles and what each may do. Everyone else gets the same answer as for an unknown command."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ADMINISTRATION", "COMMANDS", "Role", "allowed"]


class Role(StrEnum):
    CASEWORKER = "caseworker"  # handläggare
    INTERPRETER = "interpreter"  # tolk
    ADMIN = "admin"


_CASEWORK = frozenset({Role.CASEWORKER, Role.ADMIN})
_INTERPRETING = frozenset({Role.INTERPRETER, Role.ADMIN})
COMMANDS: dict[str, frozenset[Role]] = {
    "queue": _CASEWORK,
    "due": _CASEWORK,
    "case": _CASEWORK,
    "claim": _CASEWORK,
    "step": _CASEWORK,
    "note": _CASEWORK,
    "close": _CASEWORK,
    "assign": _CASEWORK,
    "edit": _CASEWORK,
    "letter": _CASEWORK,
    "stats": _CASEWORK,
    "reply": _CASEWORK,  # a message to the person in their language
    # An interpreter reaches only the referrals assigned to them (casework.interpreting.may_use).
    "transcript": frozenset(Role),
    "translate": _INTERPRETING,
    "verify": _INTERPRETING,
    "reportline": _INTERPRETING,
    "staffhelp": frozenset(Role),
}
# Administration, in the web console and the CLI only: staff, roles, languages, sign-in methods, the
# access log. Not Telegram commands, so kept out of COMMANDS (which the Telegram shell routes by).
ADMINISTRATION: dict[str, frozenset[Role]] = {
    "staff_admin": frozenset({Role.ADMIN}),
    "access_log": frozenset({Role.ADMIN}),
}


def allowed(role: str | None, command: str) -> bool:
    table = COMMANDS if command in COMMANDS else ADMINISTRATION
    return role is not None and command in table and role in table[command]

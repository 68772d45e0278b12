"""Staff roles (caseworker, interpreter, admin). What each may do is the one table of
`casework.permissions`; `allowed` here answers the role-only question for a shell that shows or hides
a menu item or a command, before any case is named (the case itself is checked by `authorize`)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Role", "allowed"]


class Role(StrEnum):
    CASEWORKER = "caseworker"  # handläggare
    INTERPRETER = "interpreter"  # tolk
    ADMIN = "admin"


# The Telegram command names that differ from the action names of `casework.permissions.ACTIONS`.
_ACTION_OF = {"case": "read_case", "transcript": "read_transcript", "file": "read_file", "edit": "correct",
              "assign": "assign_interpreter", "reportline": "report_line", "staffhelp": "help"}


def allowed(role: str | None, command: str) -> bool:
    """May this role use `command` at all (on some case)? An interpreter's case must also be theirs."""
    from casework.permissions import ACTIONS

    rule = ACTIONS.get(_ACTION_OF.get(command, command))
    if role is None or rule is None:
        return False
    return role in rule.roles or (rule.assigned_interpreter and role == Role.INTERPRETER)

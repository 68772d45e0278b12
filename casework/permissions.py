"""The one permission check of every staff action, from every shell (INTAKE_SPEC section 6).

Caseworkers and admins act on any case; an interpreter only on the cases assigned to them, and only to
read, translate, verify and report catalog lines; consents are the person's records and no action here
changes them (a correction refuses them). Someone who is not staff, or was removed, gets the answer an
unknown command gets (`UnknownCommand`); an action the role does not have on a case gets the answer a
case that does not exist gets (`UnknownCase`), so a refusal tells nothing about the case.

The staff row is read in the caller's transaction every time: a removal counts from the next action,
in every shell. The table below is the whole policy; `tests/access/` drives it through every shell.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session

from casework.errors import UnknownCase, UnknownCommand
from casework.staff import Role
from storage import repo
from storage.models import Referral, Staff

__all__ = ["ACTIONS", "Access", "Actor", "Rule", "Shell", "authorize", "normalize_reference"]


class Shell(StrEnum):
    """Where an action came from; every read in the access log names it."""

    TELEGRAM = "telegram"
    CLI = "cli"
    WEB = "web"


@dataclass(frozen=True)
class Actor:
    """Who asks: a staff id the shell established (Telegram user, `--as`, a web session), or None."""

    staff_id: int | None
    shell: Shell

    @property
    def tag(self) -> str:
        """How events and the access log name the actor (`staff:3`)."""
        return f"staff:{self.staff_id}" if self.staff_id is not None else "unknown"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]  # roles that may, on any case
    on_case: bool  # the action names a case
    assigned_interpreter: bool = False  # an interpreter may, on the cases assigned to them


_CASEWORK = frozenset({Role.CASEWORKER, Role.ADMIN})
_TRANSLATING = frozenset({Role.ADMIN})  # and the assigned interpreter; not caseworkers (they do not verify)
_ANY = frozenset(Role)

ACTIONS: dict[str, Rule] = {
    # reading
    "help": Rule(_ANY, on_case=False),
    "queue": Rule(_ANY, on_case=False),  # an interpreter sees only the cases assigned to them
    "due": Rule(_CASEWORK, on_case=False),
    "stats": Rule(_CASEWORK, on_case=False),
    "read_case": Rule(_CASEWORK, on_case=True, assigned_interpreter=True),
    "read_transcript": Rule(_CASEWORK, on_case=True, assigned_interpreter=True),
    "read_file": Rule(_CASEWORK, on_case=True, assigned_interpreter=True),
    # casework (handläggning)
    "claim": Rule(_CASEWORK, on_case=True),
    "release": Rule(_CASEWORK, on_case=True),
    "reassign": Rule(_CASEWORK, on_case=True),
    "step": Rule(_CASEWORK, on_case=True),
    "note": Rule(_CASEWORK, on_case=True),
    "strike": Rule(_CASEWORK, on_case=True),
    "correct": Rule(_CASEWORK, on_case=True),
    "close": Rule(_CASEWORK, on_case=True),
    "reopen": Rule(_CASEWORK, on_case=True),
    "assign_interpreter": Rule(_CASEWORK, on_case=True),
    "letter": Rule(_CASEWORK, on_case=True),
    "reply": Rule(_CASEWORK, on_case=True),
    # interpreting (tolkning)
    "translate": Rule(_TRANSLATING, on_case=True, assigned_interpreter=True),
    "verify": Rule(_TRANSLATING, on_case=True, assigned_interpreter=True),
    "report_line": Rule(_TRANSLATING, on_case=True, assigned_interpreter=True),
    "stop_translating": Rule(_TRANSLATING | {Role.INTERPRETER}, on_case=False),
    # administration (the web console and the command line): staff, roles, sign-in, the access log
    "staff_admin": Rule(frozenset({Role.ADMIN}), on_case=False),
    "access_log": Rule(frozenset({Role.ADMIN}), on_case=False),
}


@dataclass(frozen=True)
class Access:
    """What the check established: the staff member, and the case when the action names one."""

    staff: Staff
    referral: Referral | None


def normalize_reference(reference: str) -> str:
    return reference.strip().upper()[:32]


def authorize(db: Session, actor: Actor, action: str, reference: str | None = None) -> Access:
    """May `actor` do `action` (on `reference`)? Returns what it found, or raises the refusal."""
    rule = ACTIONS[action]
    staff = repo.get_staff(db, staff_id=actor.staff_id) if actor.staff_id is not None else None
    if staff is None or not staff.active or staff.role not in _ANY:
        raise UnknownCommand()
    if not rule.on_case:
        if staff.role not in rule.roles:
            raise UnknownCommand()
        return Access(staff, None)
    if reference is None or not reference.strip():
        raise UnknownCase("")
    referral = repo.get_referral(db, reference=normalize_reference(reference))
    if referral is None:
        raise UnknownCase(reference)
    assigned = rule.assigned_interpreter and staff.role == Role.INTERPRETER and referral.interpreter_id == staff.id
    if staff.role not in rule.roles and not assigned:
        raise UnknownCase(reference)
    return Access(staff, referral)

"""Helpers for tests of the staff side: staff members, and one command run the way each shell runs it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from bot import staffcmd
from casework import commands
from casework.errors import CaseError
from casework.permissions import Actor, Shell
from dialogs.staffside import STAFF_SIDE
from storage import repo
from storage.db import transaction
from storage.models import Staff

__all__ = ["add_staff", "execute", "telegram"]


def add_staff(engine: Engine, tg: int, name: str, role: str = "caseworker",
              languages: list[str] | None = None) -> Staff:
    with transaction(engine) as db:
        return repo.add_staff(db, telegram_user_id=tg, name=name, role=role, languages=languages or [],
                              now=datetime.now(UTC))


def telegram(engine: Engine, command: str, args: str, staff: Staff | None,
             now: datetime | None = None) -> staffcmd.StaffReply:
    """A Telegram staff command as the bot runs it: the reply, or the refusal's text."""
    with transaction(engine) as db:
        try:
            return staffcmd.run(db, actor=Actor(staff.id if staff else None, Shell.TELEGRAM), command=command,
                                args=args, now=now or datetime.now(UTC), conversation=STAFF_SIDE)
        except CaseError as exc:
            return staffcmd.StaffReply(str(exc))


def execute(engine: Engine, command: commands.Command, staff: Staff | None, *, shell: Shell = Shell.CLI,
            now: datetime | None = None, expected_version: int | None = None) -> commands.Result:
    with transaction(engine) as db:
        return commands.execute(db, command, actor=Actor(staff.id if staff else None, shell),
                                now=now or datetime.now(UTC), conversation=STAFF_SIDE,
                                expected_version=expected_version)

"""Staff commands in Telegram: a private chat with the bot, and the claim button in the staff chat.

The role is checked first; someone without it is handed to the intake like anyone else, where the
command gets the same answer as an unknown command. Replies go through the outbox like the intake's.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from bot import staffcmd
from casework import deadlines
from casework.notices import deadlines_notice
from casework.staff import COMMANDS, allowed
from dialogs.events import Command, Press
from dialogs.service import Incoming
from storage import repo
from storage.db import transaction

__all__ = ["announce_deadlines", "handle_staff", "is_staff_event"]

_LIMIT = 4000  # a Telegram message holds 4,096 characters


@dataclass(frozen=True)
class _Asked:
    command: str
    args: str


def _asked(item: Incoming) -> _Asked | None:
    event = item.event
    if isinstance(event, Command) and event.name in COMMANDS:
        return _Asked(event.name, event.args)
    if isinstance(event, Press) and event.data.startswith("s:"):
        parts = event.data.split(":", 2)
        if len(parts) == 3 and parts[1] == "claim":
            return _Asked("claim", parts[2])
    return None
    return None


def is_staff_event(item: Incoming) -> bool:
    return _asked(item) is not None


def handle_staff(engine: Engine, item: Incoming, now: datetime) -> bool:
    """Run a staff command in one transaction; False when the sender may not (the intake answers)."""
    asked = _asked(item)
    if asked is None:
        return False
    with transaction(engine) as db:
        staff = repo.get_staff(db, telegram_user_id=int(item.external_id))
        if staff is None or not staff.active or not allowed(staff.role, asked.command):
            return False
        if item.update_id is not None and not repo.claim_inbox_update(db, update_id=item.update_id, now=now):
            return True  # a redelivery: done already
        reply = staffcmd.run(db, staff=staff, actor=f"staff:{staff.id}", command=asked.command, args=asked.args,
                             now=now)
        if item.callback_id is not None:
            repo.add_outbox(db, channel="telegram", chat_id=item.chat_id, action="answer_callback",
                            payload={"callback_id": item.callback_id, "text": reply.text[:200]}, now=now)
            if reply.claimed and item.message_id is not None:
                repo.add_outbox(db, channel="telegram", chat_id=item.chat_id, action="edit_markup",
                                payload={"keyboard": [[{"text": f"Tagen av {staff.name}", "data": "s:taken:-"}]],
                                         "message_id": item.message_id}, now=now)
            return True
        for start in range(0, len(reply.text), _LIMIT):
            repo.add_outbox(db, channel="telegram", chat_id=item.chat_id, action="send",
                            payload={"text": reply.text[start : start + _LIMIT]}, now=now)
        for filename, content in reply.documents:
            repo.add_outbox(db, channel="telegram", chat_id=item.chat_id, action="send_document",
                            payload={"filename": filename, "content": base64.b64encode(content).decode(),
                                     "encoding": "base64"}, now=now)
    return True


def announce_deadlines(engine: Engine, staff_chat_id: str, now: datetime) -> bool:
    """The working-morning notice of overdue and due-soon IVO deadlines (references and dates only)."""
    with transaction(engine) as db:
        due = [(r.reference, r.ivo_due_at, deadlines.clock(r.ivo_due_at, now) or "due_soon")
               for r in repo.due_referrals(db, before=now + deadlines.DUE_SOON) if r.ivo_due_at]
        text = deadlines_notice(due, now)
        if text:
            repo.add_outbox(db, channel="telegram", chat_id=staff_chat_id, action="send", payload={"text": text},
                            now=now)
    return text is not None

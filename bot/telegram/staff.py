"""Staff commands in Telegram: a private chat with the bot, and the claim button in the staff chat.

The words become a typed command (`bot.staffcmd`) run through the one permission check
(`casework.commands.execute`); someone who is not staff, or was removed, is handed to the intake like
anyone else, where the command gets the same answer as an unknown command. An interpreter's plain
message while a line is open (/translate) is its translation. Replies go through the outbox like the
intake's.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot import staffcmd
from bot.staffcmd import COMMANDS, StaffReply
from casework import commands, deadlines
from casework.errors import CaseError, UnknownCommand
from casework.notices import deadlines_notice
from casework.permissions import Actor, Shell
from casework.staff import Role
from casework.translating import NothingOpen
from dialogs.events import Command, Press, Text
from dialogs.service import Incoming
from dialogs.staffside import STAFF_SIDE
from storage import interpreting as interp_store
from storage import repo
from storage.db import transaction

__all__ = ["announce_deadlines", "forget_translators", "handle_staff", "is_staff_event"]

_LIMIT = 4000  # a Telegram message holds 4,096 characters
ANSWER = "answer"  # a plain message from an interpreter with a line open: its translation
_TRANSLATOR_ROLES = (Role.INTERPRETER, Role.ADMIN)


class _Translators:
    """Telegram ids of the staff who may translate, so that a person's plain message does not cost a look
    in the staff table. Unknown or older than `TTL` seconds: every message is looked at (and the set is
    read again). Another process may add staff; a new translator is seen within `TTL`."""

    TTL = 30.0

    def __init__(self) -> None:
        self.ids: frozenset[int] = frozenset()
        self.loaded_at: float | None = None

    def maybe(self, user_id: str) -> bool:
        if self.loaded_at is None or time.monotonic() - self.loaded_at > self.TTL:
            return True
        return user_id.isdigit() and int(user_id) in self.ids

    def load(self, ids: frozenset[int]) -> None:
        self.ids, self.loaded_at = ids, time.monotonic()

    def add(self, user_id: int) -> None:
        self.ids = self.ids | {user_id}


_translators = _Translators()


def forget_translators() -> None:
    """Read the translators from the database again on the next message (as after a restart)."""
    _translators.loaded_at = None


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
    if isinstance(event, Text) and _translators.maybe(item.external_id):
        return _Asked(ANSWER, event.text)
    return None


def is_staff_event(item: Incoming) -> bool:
    return _asked(item) is not None


def _run(db: Session, actor: Actor, asked: _Asked, now: datetime) -> StaffReply:
    """The reply to one staff command; a refusal is answered in Swedish (nothing was changed)."""
    try:
        if asked.command == ANSWER:
            result = commands.execute(db, commands.AnswerOpenLine(asked.args), actor=actor, now=now,
                                      conversation=STAFF_SIDE)
            return staffcmd.render(result)
        return staffcmd.run(db, actor=actor, command=asked.command, args=asked.args, now=now, conversation=STAFF_SIDE)
    except (UnknownCommand, NothingOpen):
        raise
    except CaseError as exc:
        return StaffReply(str(exc))


def handle_staff(engine: Engine, item: Incoming, now: datetime) -> bool:
    """Run a staff command in one transaction; False when the sender may not (the intake answers)."""
    asked = _asked(item)
    if asked is None:
        return False
    with transaction(engine) as db:
        if asked.command == ANSWER and _translators.maybe(item.external_id):
            _translators.load(interp_store.translator_telegram_ids(db, roles=_TRANSLATOR_ROLES))
        staff = repo.get_staff(db, telegram_user_id=int(item.external_id)) if item.external_id.isdigit() else None
        if staff is None:
            return False  # not staff: the intake answers (an unknown command, or the person's message)
        if item.update_id is not None and repo.inbox_processed(db, update_id=item.update_id):
            return True  # a redelivery: done already
        try:
            reply = _run(db, Actor(staff.id, Shell.TELEGRAM), asked, now)
        except (UnknownCommand, NothingOpen):
            return False  # removed staff, or a plain message that is no translation: the intake's
        if item.update_id is not None:
            repo.claim_inbox_update(db, update_id=item.update_id, now=now)
        if asked.command == "translate":
            _translators.add(staff.telegram_user_id)
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
        for filename, content, kind in reply.media:
            # a document to any sender; as a voice message or photo where the sender knows `as`
            repo.add_outbox(db, channel="telegram", chat_id=item.chat_id, action="send_document",
                            payload={"filename": filename, "content": base64.b64encode(content).decode(),
                                     "encoding": "base64", "as": kind}, now=now)
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

"""One update, handled: python-telegram-bot's handler turns it into a domain event and runs the
dialog (or the staff command, or the group answer) in one transaction.

How each update ended is told to `Retries`: processed, with the outbox rows its transaction wrote
(taken for this worker's sender, which the processor hands them to after the commit), or postponed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.exc import InterfaceError, OperationalError
from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram import staff
from bot.telegram.retries import Retries
from bot.telegram.sender import LEASE
from bot.telegram.services import Services, now
from bot.telegram.translate import GroupMessage, GroupPress, Ignored, translate
from dialogs import service
from storage import repo
from storage.db import transaction

__all__ = ["MAX_GROUPS", "UpdateHandler"]

log = logging.getLogger(__name__)
MAX_GROUPS = 10_000  # groups remembered as told that the bot works in private chats


class UpdateHandler:
    def __init__(self, services: Services, retries: Retries) -> None:
        self.services, self.retries = services, retries
        # groups told once, in memory only (nothing is stored); the oldest forgotten past MAX_GROUPS
        self._answered_groups: dict[str, None] = {}
        # the sender's memory of sent message ids (set by the app once the sender exists): an edit's
        # target found there is not read from the database
        self.message_ids: Mapping[int, int] = {}

    async def on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        item = translate(update)
        run_db, at, update_id = self.services.run_db, now(), update.update_id
        outbox: list[repo.WrittenOutbox] | None
        if isinstance(item, Ignored):
            outbox = await run_db(self._claim_only, update_id)
        elif isinstance(item, GroupMessage) and item.chat_id == self.services.config.staff_chat_id:
            outbox = await run_db(self._claim_only, update_id)  # the staff chat talks among itself
        elif isinstance(item, GroupPress):
            # the claim button in the staff chat; from anyone else nothing, and never the intake
            outbox = None
            if not await run_db(staff.handle_staff, self.services.engine, item.incoming, at):
                outbox = await run_db(self._press_only, item.incoming)
        elif isinstance(item, GroupMessage):
            answer = item.chat_id not in self._answered_groups
            outbox = await run_db(self._group, item, update_id, answer)
            self._remember_group(item.chat_id)
        elif staff.is_staff_event(item) and await run_db(staff.handle_staff, self.services.engine, item, at):
            outbox = None  # the staff command's own transaction: its rows are read from the outbox
        else:
            try:
                handled, outbox = await run_db(self._handle, item, at)
            except (service.OutOfOrder, OperationalError, InterfaceError) as exc:
                # not a fault of this update: an earlier one goes first, or the database is away
                self.retries.postponed(update_id)
                log.warning("update postponed", extra={"update": update_id, "why": type(exc).__name__})
                return
            if not handled.duplicate:
                log.info("update handled", extra={"update": update_id, "person": handled.person_id,
                                                  "state": handled.state})
            if handled.reference:
                log.info("referral submitted", extra={"person": handled.person_id})
        self.retries.processed(update_id, outbox)

    def _remember_group(self, chat_id: str) -> None:
        self._answered_groups[chat_id] = None
        while len(self._answered_groups) > MAX_GROUPS:  # a group forgotten is at worst told once more
            del self._answered_groups[next(iter(self._answered_groups))]

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Only the kind of error and the update id: never the update's content.
        uid = update.update_id if isinstance(update, Update) else None
        log.error("handler failed", extra={"update": uid, "error": type(context.error).__name__})

    def _handle(self, item: service.Incoming, at: datetime) -> tuple[service.Handled, list[repo.WrittenOutbox]]:
        with transaction(self.services.engine) as db:
            repo.take_written_outbox(db, until=now() + LEASE)
            handled = service.handle(db, item, self.services.config, at)
            return handled, repo.written_outbox(db, known=self.message_ids)

    def _claim_only(self, update_id: int) -> list[repo.WrittenOutbox]:
        with transaction(self.services.engine) as db:
            repo.claim_inbox_update(db, update_id=update_id, now=now())
        return []

    def _press_only(self, item: service.Incoming) -> list[repo.WrittenOutbox]:
        """Answer the press (its button stops spinning) and do nothing else."""
        with transaction(self.services.engine) as db:
            repo.take_written_outbox(db, until=now() + LEASE)
            if item.update_id is not None and not repo.claim_inbox_update(db, update_id=item.update_id, now=now()):
                return []
            if item.callback_id is not None:
                repo.add_outbox(db, channel="telegram", chat_id=item.chat_id, action="answer_callback",
                                payload={"callback_id": item.callback_id}, now=now())
            return repo.written_outbox(db, known=self.message_ids)

    def _group(self, item: GroupMessage, update_id: int, answer: bool) -> list[repo.WrittenOutbox]:
        with transaction(self.services.engine) as db:
            repo.take_written_outbox(db, until=now() + LEASE)
            service.handle_group(db, chat_id=item.chat_id, update_id=update_id, language_hint=item.language_hint,
                                 answer=answer, now=now(), external_id=item.external_id)
            return repo.written_outbox(db, known=self.message_ids)

"""The processor: stored, unprocessed updates handed to `Application.process_update`, per person in
update-id order and people in parallel; after each one, that person's outbox is sent.

A flood from one chat is taken `PER_CHAT_ROUND` updates at a time, so everyone else is answered
meanwhile. An update that fails is retried on a later round, and the person's later updates wait
for it, so their order holds.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.telegram.flood import FloodWatch
from bot.telegram.inbox import Inbox
from bot.telegram.retries import Retries
from bot.telegram.sender import OutboxSender
from bot.telegram.services import Services

__all__ = ["PER_CHAT_ROUND", "Processor"]

log = logging.getLogger(__name__)
PER_CHAT_ROUND = 10  # updates of one chat per processing round


class Processor:
    def __init__(self, application: Application, services: Services, inbox: Inbox,  # type: ignore[type-arg]
                 retries: Retries, floods: FloodWatch, sender: OutboxSender, wake: Callable[[], None]) -> None:
        self.application, self.services, self.inbox = application, services, inbox
        self.retries, self.floods, self.sender, self.wake = retries, floods, sender, wake

    async def process_pending(self) -> int:
        """Hand every stored, unprocessed update to the Application; per chat in order."""
        rows = await self.services.run_db(self.inbox.pending)
        by_chat: dict[str | None, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for update_id, chat_id, payload in rows:
            by_chat[chat_id].append((update_id, payload))
        await asyncio.gather(*(self._process_chat(chat, items) for chat, items in by_chat.items()))
        return len(rows)

    async def _process_chat(self, chat_id: str | None, items: list[tuple[int, dict[str, Any]]]) -> None:
        if chat_id is not None and len(items) > PER_CHAT_ROUND:
            # A flood from one chat waits for the next rounds, so everyone else is answered meanwhile.
            items = items[:PER_CHAT_ROUND]
            self.wake()
        for update_id, payload in items:
            update = self._parse(update_id, payload)
            if update is None:
                failed = await self.services.run_db(self.inbox.give_up, update_id)
                log.error("update could not be read; marked failed", extra={"update": update_id, "failed": failed})
                continue
            await self.application.process_update(update)
            if not await self.services.run_db(self.inbox.is_processed, update_id):
                if self.retries.was_postponed(update_id):
                    break  # keep this person's order: the next round tries again
                if self.retries.failed(update_id):
                    failed = await self.services.run_db(self.inbox.give_up, update_id, update)
                    log.error("update dropped after repeated failures; marked failed",
                              extra={"update": update_id, "failed": failed})
                    if chat_id is not None:
                        await self.sender.flush(chat_id)  # the apology
                break  # keep this person's order: retry on the next round
            self.retries.succeeded(update_id)
            if chat_id is not None:
                await self.floods.seen(chat_id, update)
                await self.sender.flush(chat_id)

    def _parse(self, update_id: int, payload: dict[str, Any]) -> Update | None:
        """The stored JSON as python-telegram-bot's Update; None when the library cannot read it (whatever
        it raises: the content never goes to the log, only its id and the kind of error)."""
        try:
            return Update.de_json(payload, self.application.bot)
        except Exception as exc:  # noqa: BLE001 - any parse failure is this update's alone
            log.warning("update not parsed", extra={"update": update_id, "error": type(exc).__name__})
            return None

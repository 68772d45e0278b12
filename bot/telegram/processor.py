"""The processor: stored, unprocessed updates handed to `Application.process_update`, per person in
update-id order and people in parallel; after each one, the outbox rows it wrote are sent.

"The handler returned" means processed: its transaction committed, and the rows it wrote (taken for
this worker's sender) are handed to the sender as they were written, with no re-read. The database is
asked only when the handler raised (another worker may have processed the update meanwhile). A flood
from one chat is taken `PER_CHAT_ROUND` updates at a time, so everyone else is answered meanwhile. An
update that fails is retried on a later round, and the person's later updates wait for it, so their
order holds; its failures are counted in its inbox row.
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
from bot.telegram.retries import Postponed, Retries
from bot.telegram.sender import OutboxSender
from bot.telegram.services import Services
from storage.repo import WrittenOutbox

__all__ = ["PER_CHAT_ROUND", "Processor"]

log = logging.getLogger(__name__)
PER_CHAT_ROUND = 10  # updates of one chat per processing round


class Processor:
    def __init__(self, application: Application, services: Services, inbox: Inbox,  # type: ignore[type-arg]
                 retries: Retries, floods: FloodWatch, sender: OutboxSender, wake: Callable[[], None]) -> None:
        self.application, self.services, self.inbox = application, services, inbox
        self.retries, self.floods, self.sender, self.wake = retries, floods, sender, wake
        self._files_due = False  # an update with an attachment was processed since the last fetch

    def take_files_due(self) -> bool:
        """Whether an update brought a file since the last call (the round fetches files then)."""
        due, self._files_due = self._files_due, False
        return due

    async def process_pending(self) -> int:
        """Hand every stored, unprocessed update to the Application; per chat in order."""
        rows = self.inbox.held()
        if rows is None:
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
            ended = self.retries.take(update_id)
            if isinstance(ended, Postponed):
                break  # keep this person's order: the next round tries again
            if ended is None and not await self.services.run_db(self.inbox.is_processed, update_id):
                attempts, failed = await self.services.run_db(self.inbox.note_failure, update_id, update)
                if failed is not None:
                    log.error("update dropped after repeated failures; marked failed",
                              extra={"update": update_id, "attempts": attempts, "failed": failed})
                    if chat_id is not None:
                        await self.sender.flush(chat_id)  # the apology
                break  # keep this person's order: retry on the next round
            self.inbox.forget(update_id)
            message = update.effective_message
            if message is not None and message.effective_attachment is not None:
                self._files_due = True
            slowed = chat_id is not None and await self.floods.seen(chat_id, update)
            await self._send(chat_id, ended.outbox if ended is not None else None, slowed)

    async def _send(self, chat_id: str | None, outbox: tuple[WrittenOutbox, ...] | None, slowed: bool) -> None:
        """Send what the update's transaction wrote: the rows it took as they are, per chat; a chat whose
        earlier rows were still unsent (its new rows wait behind them), or that was just asked to slow
        down, also from the outbox, in order."""
        if outbox is None:  # written by a path that does not report its rows: read them from the outbox
            await self.sender.flush()
            return
        by_chat: dict[str, list[WrittenOutbox]] = defaultdict(list)
        for row in outbox:
            by_chat[row.chat_id].append(row)
        if slowed and chat_id is not None:
            by_chat.setdefault(chat_id, [])
        await asyncio.gather(*(self._send_chat(chat, rows, slowed and chat == chat_id)
                               for chat, rows in by_chat.items()))

    async def _send_chat(self, chat_id: str, rows: list[WrittenOutbox], more_pending: bool) -> None:
        taken = [r for r in rows if r.taken]
        if taken:
            await self.sender.send_taken(chat_id, taken)
        if more_pending or len(taken) < len(rows):
            await self.sender.flush(chat_id)

    def _parse(self, update_id: int, payload: dict[str, Any]) -> Update | None:
        """The stored JSON as python-telegram-bot's Update; None when the library cannot read it (whatever
        it raises: the content never goes to the log, only its id and the kind of error)."""
        try:
            return Update.de_json(payload, self.application.bot)
        except Exception as exc:  # noqa: BLE001 - any parse failure is this update's alone
            log.warning("update not parsed", extra={"update": update_id, "error": type(exc).__name__})
            return None

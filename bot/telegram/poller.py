"""Our own polling loop: getUpdates -> inbox (committed) -> the next getUpdates acknowledges them.

python-telegram-bot's Updater acknowledges an update before any handler has run, so a crash would
lose it; here an update is acknowledged (by the next call's offset) only once it is in the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from telegram import Bot
from telegram.error import NetworkError, TelegramError

from bot.telegram.inbox import Inbox
from bot.telegram.services import Services

__all__ = ["ALLOWED_UPDATES", "Poller"]

log = logging.getLogger(__name__)
# What the intake reacts to; the rest is not fetched at all.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


class Poller:
    def __init__(self, bot: Bot, services: Services, inbox: Inbox, wake: Callable[[], None],
                 stopping: asyncio.Event) -> None:
        self.bot, self.services, self.inbox, self.wake, self.stopping = bot, services, inbox, wake, stopping

    async def run(self) -> None:
        offset: int | None = None
        delay = 1.0
        while not self.stopping.is_set():
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=self.services.settings.poll_timeout, allowed_updates=ALLOWED_UPDATES
                )
            except (NetworkError, TelegramError) as exc:
                log.warning("getUpdates failed", extra={"error": type(exc).__name__})
                await self._sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            if not updates:
                continue
            try:
                await self.services.run_db(self.inbox.store, list(updates))
            except Exception as exc:  # noqa: BLE001 - the database is away: do not acknowledge
                log.error("could not store updates", extra={"error": type(exc).__name__})
                await self._sleep(2.0)
                continue
            offset = updates[-1].update_id + 1
            self.wake()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)

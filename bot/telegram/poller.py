"""Our own polling loop: getUpdates -> inbox (committed) -> the next getUpdates acknowledges them.

python-telegram-bot's Updater acknowledges an update before any handler has run, so a crash would
lose it; here an update is acknowledged (by the next call's offset) only once it is in the inbox.

getUpdates is called raw, and its answer stored as JSON: `Bot.get_updates` parses the whole batch at
once, so a single update the library cannot parse (a poll it does not know) made every call raise, the
batch was never acknowledged, and polling stopped for good. Parsing happens per update when it is
processed, where a failure is one update marked failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Callable
from typing import Any

from telegram import Bot
from telegram.error import NetworkError, TelegramError
from telegram.warnings import PTBUserWarning

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
                answer = await self._get_updates(offset)
            except (NetworkError, TelegramError) as exc:
                log.warning("getUpdates failed", extra={"error": type(exc).__name__})
                await self._sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            updates = _readable(answer)
            if not updates:
                if answer:
                    log.error("getUpdates answered without update ids", extra={"count": len(answer)})
                    await self._sleep(2.0)
                continue
            try:
                await self.services.run_db(self.inbox.store, updates)
            except Exception as exc:  # noqa: BLE001 - the database is away: do not acknowledge
                log.error("could not store updates", extra={"error": type(exc).__name__})
                await self._sleep(2.0)
                continue
            offset = max(int(u["update_id"]) for u in updates) + 1
            self.wake()

    async def _get_updates(self, offset: int | None) -> list[Any]:
        """getUpdates as Telegram answered it: a list of JSON objects, not parsed."""
        timeout = self.services.settings.poll_timeout
        kwargs: dict[str, Any] = {"timeout": timeout, "allowed_updates": ALLOWED_UPDATES}
        if offset is not None:
            kwargs["offset"] = offset
        with warnings.catch_warnings():
            # do_api_request("getUpdates") asks to use Bot.get_updates: that is the parsing avoided on purpose
            warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning)
            answer = await self.bot.do_api_request("getUpdates", api_kwargs=kwargs, read_timeout=timeout + 10)
        return answer if isinstance(answer, list) else []

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)


def _readable(answer: list[Any]) -> list[dict[str, Any]]:
    """The updates that can be stored: JSON objects with an integer update id (Telegram sends nothing
    else; anything else cannot be kept, or acknowledged on its own)."""
    return [u for u in answer if isinstance(u, dict) and isinstance(u.get("update_id"), int)
            and not isinstance(u.get("update_id"), bool)]

"""Floods: a person may write fast (a story in many short messages); past `FLOOD_LIMIT` updates in
`FLOOD_WINDOW` seconds they are asked, once per window, to slow down. Nothing they sent is dropped.
What is held per chat is forgotten once the chat has been quiet for a window, so memory follows the
chats of the moment, not every chat ever seen."""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from time import monotonic

from telegram import Update

from bot.telegram.services import Services, now
from dialogs import service
from storage.db import transaction

__all__ = ["FLOOD_LIMIT", "FLOOD_WINDOW", "FloodWatch"]

log = logging.getLogger(__name__)
FLOOD_LIMIT = 20
FLOOD_WINDOW = 10.0  # seconds
PRUNE_AT = 1000  # chats held before the quiet ones are forgotten


class FloodWatch:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._recent: dict[str, deque[float]] = defaultdict(deque)  # per chat: when its updates came
        self._told: dict[str, float] = {}  # per chat: when it was last asked to slow down
        self._prune_at = PRUNE_AT

    async def seen(self, chat_id: str, update: Update) -> bool:
        """Count a chat's update; past the limit, queue the request to slow down (once per window).
        True when it was queued (it waits in the outbox)."""
        at = monotonic()
        seen = self._recent[chat_id]
        seen.append(at)
        while seen and seen[0] < at - FLOOD_WINDOW:
            seen.popleft()
        if len(self._recent) + len(self._told) > self._prune_at:
            self._forget_quiet(at)
        user = update.effective_user
        if len(seen) <= FLOOD_LIMIT or user is None or at - self._told.get(chat_id, -1e9) < FLOOD_WINDOW:
            return False
        self._told[chat_id] = at
        log.info("chat floods: asked to slow down", extra={"update": update.update_id})
        await self.services.run_db(self._slow_down, str(user.id), chat_id, user.language_code)
        return True

    def _forget_quiet(self, at: float) -> None:
        """Drop the chats quiet for a whole window: the state held is about the chats of the last window,
        not every chat ever seen. The next pruning waits until the state has doubled (amortised)."""
        since = at - FLOOD_WINDOW
        self._recent = defaultdict(deque, {c: d for c, d in self._recent.items() if d and d[-1] >= since})
        self._told = {c: t for c, t in self._told.items() if t >= since}
        self._prune_at = max(PRUNE_AT, 2 * (len(self._recent) + len(self._told)))

    def _slow_down(self, external_id: str, chat_id: str, language_hint: str | None = None) -> None:
        with transaction(self.services.engine) as db:
            service.slow_down(db, channel="telegram", external_id=external_id, chat_id=chat_id, now=now(),
                              language_hint=language_hint)

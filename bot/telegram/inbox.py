"""The inbox as the shell sees it: updates stored before they are acknowledged, read back in order.

The poller and the webhook store what Telegram delivered; the processor reads what is not yet
processed; an update that cannot be processed at all is claimed (given up) so that it stops coming back.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.telegram.services import Services, now
from storage import repo
from storage.db import transaction

__all__ = ["Inbox", "PendingUpdate"]

PendingUpdate = tuple[int, str | None, dict[str, Any]]  # update id, chat id, payload


class Inbox:
    def __init__(self, services: Services) -> None:
        self.services = services

    def store(self, updates: list[Update]) -> None:
        """Commit polled updates (a redelivered id is ignored)."""
        rows = []
        for u in updates:
            chat = u.effective_chat
            rows.append((u.update_id, str(chat.id) if chat else None, u.to_dict()))
        with transaction(self.services.engine) as db:
            repo.add_inbox_updates(db, updates=rows, now=now())

    def store_raw(self, update_id: int, chat_id: str | None, payload: dict[str, Any]) -> None:
        """Commit one update as the webhook received it."""
        with transaction(self.services.engine) as db:
            repo.add_inbox_updates(db, updates=[(update_id, chat_id, payload)], now=now())

    def pending(self) -> list[PendingUpdate]:
        with transaction(self.services.engine) as db:
            return [(r.update_id, r.chat_id, r.payload or {}) for r in repo.pending_inbox(db)]

    def give_up(self, update_id: int) -> None:
        """Mark an update processed without handling it (unreadable, or failed too often)."""
        with transaction(self.services.engine) as db:
            repo.claim_inbox_update(db, update_id=update_id, now=now())

    def is_processed(self, update_id: int) -> bool:
        with transaction(self.services.engine) as db:
            return repo.inbox_processed(db, update_id=update_id)

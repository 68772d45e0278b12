"""The inbox as the shell sees it: updates stored before they are acknowledged, read back in order.

The poller and the webhook store what Telegram delivered, raw, as JSON (python-telegram-bot parses it
only when it is processed, so an update it cannot parse is one failed row, not a stopped poller); the
processor reads what is not yet processed; an update that cannot be processed at all is marked failed
(given up, counted, its content dropped) so that it stops coming back. What this process stored is
also kept in memory until it is processed (bounded), so the processor does not read back and unseal
the JSON it has just written; only rows found after a restart, or stored by another worker, are read.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from telegram import Update

from bot.telegram import staff
from bot.telegram.retries import MAX_ATTEMPTS
from bot.telegram.services import Services, now
from bot.telegram.translate import translate
from dialogs import service
from storage import repo
from storage.db import core_transaction, transaction

__all__ = ["MAX_FRESH", "Inbox", "PendingUpdate", "chat_of"]

log = logging.getLogger(__name__)
MAX_FRESH = 10_000  # updates held in memory between storing and processing; past it, read back
PENDING_BATCH = 500  # unprocessed updates read from the database at a time

PendingUpdate = tuple[int, str | None, dict[str, Any]]  # update id, chat id, payload


class Inbox:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._fresh: dict[int, tuple[str | None, dict[str, Any]]] = {}  # stored here, not yet processed
        # True while `_fresh` holds every unprocessed update: this is the only worker, the inbox was read
        # whole since the start and nothing was dropped from memory since. Then a round needs no read.
        self._whole = False

    def _keep(self, rows: list[PendingUpdate]) -> None:
        for update_id, chat_id, payload in rows:
            self._fresh[update_id] = (chat_id, payload)
        while len(self._fresh) > MAX_FRESH:  # the oldest are read back from the database instead
            del self._fresh[next(iter(self._fresh))]
            self._whole = False

    def forget(self, update_id: int) -> None:
        """The update is processed (or given up): its content is no longer held."""
        self._fresh.pop(update_id, None)

    def store(self, updates: list[dict[str, Any]]) -> None:
        """Commit polled updates as Telegram sent them (a redelivered id is ignored). When the batch cannot
        be stored for what it holds (not because the database is away), each update is stored on its own,
        and one that cannot be stored at all is kept as its id alone, marked failed: polling goes on."""
        rows = [(int(u["update_id"]), chat_of(u), u) for u in updates]
        try:
            with core_transaction(self.services.engine) as connection:
                repo.add_inbox_updates(connection, updates=rows, now=now())
        except (OperationalError, InterfaceError):
            raise  # the database is away: the caller does not acknowledge
        except SQLAlchemyError:
            self._whole = False  # stored one by one, some perhaps as failed: the next round reads them
            for row in rows:
                self._store_one(row)
            return
        self._keep(rows)

    def _store_one(self, row: PendingUpdate) -> None:
        try:
            with transaction(self.services.engine) as db:
                repo.add_inbox_updates(db, updates=[row], now=now())
        except (OperationalError, InterfaceError):
            raise
        except SQLAlchemyError as exc:
            log.error("update could not be stored; kept as failed", extra={"update": row[0],
                                                                          "error": type(exc).__name__})
            with transaction(self.services.engine) as db:
                repo.add_inbox_updates(db, updates=[(row[0], None, {"update_id": row[0]})], now=now())
                repo.fail_inbox_update(db, update_id=row[0], now=now())

    def store_raw(self, update_id: int, chat_id: str | None, payload: dict[str, Any]) -> None:
        """Commit one update as the webhook received it."""
        with transaction(self.services.engine) as db:
            repo.add_inbox_updates(db, updates=[(update_id, chat_id, payload)], now=now())
        self._keep([(update_id, chat_id, payload)])

    def held(self) -> list[PendingUpdate] | None:
        """The unprocessed updates from memory, oldest first, when memory holds them all (else None):
        no database work, so the processor need not hand it to a database thread."""
        if not self._whole:
            return None
        held = self._fresh.copy()  # one step under the GIL: the poller's thread may be adding to it
        return sorted((u, chat, payload) for u, (chat, payload) in held.items())

    def pending(self) -> list[PendingUpdate]:
        """The unprocessed updates, oldest first: their content from memory when this process stored
        them, else read (and unsealed) from the database. With one worker, once the inbox has been read
        whole, memory holds them all and nothing is read."""
        held = self.held()
        if held is not None:
            return held
        with transaction(self.services.engine) as db:
            ids = repo.pending_inbox_ids(db, limit=PENDING_BATCH)
            unknown = [u for u, _chat in ids if u not in self._fresh]
            stored = repo.inbox_payloads(db, update_ids=unknown)
        rows = [(u, chat, self._fresh[u][1] if u in self._fresh else stored.get(u) or {}) for u, chat in ids]
        if self.services.settings.workers == 1 and len(ids) < PENDING_BATCH:
            # everything unprocessed was read (what is stored from now on is added as it is committed)
            self._keep([row for row in rows if row[0] in stored])
            self._whole = len(self._fresh) <= MAX_FRESH and all(u in self._fresh for u, _chat in ids)
        return rows

    def give_up(self, update_id: int, update: Update | None = None) -> int:
        """Mark an update failed without handling it (unreadable, or failed too often): processed, one
        more attempt counted, content dropped; a person whose message it was is told, in their language,
        to send it again. Returns how many failed updates the inbox holds now."""
        item = translate(update) if update is not None else None
        self.forget(update_id)
        with transaction(self.services.engine) as db:
            repo.fail_inbox_update(db, update_id=update_id, now=now())
            if isinstance(item, service.Incoming) and not staff.is_staff_event(item):
                service.apologise(db, channel=item.channel, external_id=item.external_id, chat_id=item.chat_id,
                                  now=now(), cfg=self.services.config, language_hint=item.language_hint)
            return repo.count_failed_inbox(db)

    def note_failure(self, update_id: int, update: Update) -> tuple[int, int | None]:
        """Count a failure of the update's own in its inbox row, in one transaction; at `MAX_ATTEMPTS`
        give it up there and then (with the apology, as `give_up`). Returns the attempts counted and,
        when given up, how many failed updates the inbox holds now."""
        item = translate(update)
        with transaction(self.services.engine) as db:
            attempts = repo.note_inbox_failure(db, update_id=update_id)
            if attempts < MAX_ATTEMPTS:
                return attempts, None
            repo.fail_inbox_update(db, update_id=update_id, now=now(), count_attempt=False)
            if isinstance(item, service.Incoming) and not staff.is_staff_event(item):
                service.apologise(db, channel=item.channel, external_id=item.external_id, chat_id=item.chat_id,
                                  now=now(), cfg=self.services.config, language_hint=item.language_hint)
            failed = repo.count_failed_inbox(db)
        self.forget(update_id)
        return attempts, failed

    def is_processed(self, update_id: int) -> bool:
        with transaction(self.services.engine) as db:
            return repo.inbox_processed(db, update_id=update_id)


def chat_of(payload: dict[str, Any]) -> str | None:
    """The chat an update belongs to, read from its raw JSON (the processor keeps each chat in order)."""
    for key in ("message", "edited_message", "channel_post", "my_chat_member", "chat_member"):
        if isinstance(payload.get(key), dict) and isinstance(payload[key].get("chat"), dict):
            return _id(payload[key]["chat"].get("id"))
    query = payload.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message") if isinstance(query.get("message"), dict) else {}
        chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
        sender = query.get("from") if isinstance(query.get("from"), dict) else {}
        return _id(chat.get("id")) or _id(sender.get("id"))
    return None


def _id(value: Any) -> str | None:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None

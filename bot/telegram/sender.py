"""The outbox, sent to Telegram after commit: in order per chat, retried, never sent twice on purpose.

Rows come two ways: the rows a handler's transaction has just written, taken for this worker and handed
over by the processor as they were written (`send_taken`, no re-read), and whatever else is pending,
claimed from the outbox (`flush`: retries, jobs, staff commands, what a crash left). A chat's batch
is settled in one transaction when it is done, sent and failed rows in one statement.
A row is marked sent with the message id Telegram gave it (edits of that message need it). Network
errors and 5xx answers are retried with backoff, a 429 after Telegram's `retry_after`; a refusal for
good (the person blocked the bot, the message is gone) marks the row failed instead of retrying.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import warnings
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.files import send_as_media
from storage import repo
from storage.db import core_transaction, transaction

__all__ = ["OutboxSender"]

log = logging.getLogger(__name__)
_DONE_ALREADY = ("message is not modified",)
# How long a taken row is this worker's: longer than any send takes, short enough to recover a crash.
LEASE = timedelta(seconds=30)
REMEMBERED = 10_000  # message ids of sent rows kept in memory for later edits
_GONE = ("message to edit not found", "query is too old", "query id is invalid", "message can't be edited",
         "chat not found", "message to delete not found")


def _now() -> datetime:
    return datetime.now(UTC)


def _markup(keyboard: list[list[dict[str, str]]] | None) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b["text"][:64], callback_data=b["data"]) for b in row] for row in keyboard]
    )


class OutboxSender:
    def __init__(self, bot: Bot, engine: Engine, run_db: Any) -> None:
        self.bot, self.engine, self.run_db = bot, engine, run_db
        # one lock per chat being sent to, dropped when no one holds or waits for it (memory follows
        # the chats of the moment, not every chat ever written to)
        self._locks: dict[str, asyncio.Lock] = {}
        self._lock_users: dict[str, int] = {}
        self._claimed: set[int] = set()  # rows this worker took and has not settled
        # outbox id -> Telegram message id of what this worker sent lately: the target of the next edit
        # (the live question) is usually among them, so the handler need not read it (bounded)
        self.message_ids: dict[int, int] = {}

    async def flush(self, chat_id: str | None = None) -> int:
        """Send what is pending (for one chat, or all); returns how many rows were settled."""
        rows = await self.run_db(self._pending, chat_id)
        by_chat: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_chat[row["chat_id"]].append(row)
        results = await asyncio.gather(*(self._flush_chat(chat, items) for chat, items in by_chat.items()))
        return sum(results)

    async def send_taken(self, chat_id: str, rows: list[repo.WrittenOutbox]) -> int:
        """Send rows a handler's transaction wrote and took for this worker (`repo.take_written_outbox`),
        as it wrote them: nothing is read back. Returns how many were settled."""
        self._claimed.update(r.id for r in rows)
        items = [{"id": r.id, "chat_id": r.chat_id, "action": r.action, "payload": r.payload,
                  "target": r.target_outbox_id, "attempts": 0, "target_message_id": r.target_message_id}
                 for r in rows]
        return await self._flush_chat(chat_id, items)

    def _pending(self, chat_id: str | None) -> list[dict[str, Any]]:
        with transaction(self.engine) as db:
            rows = repo.claim_outbox(db, channel="telegram", chat_id=chat_id, now=_now(), lease=LEASE)
            self._claimed.update(r.id for r in rows if r.id is not None)
            # each edit's target, read in this transaction when already sent (else when the edit is sent)
            targets = repo.outbox_message_ids(db, outbox_ids=[r.target_outbox_id for r in rows
                                                              if r.target_outbox_id is not None])
            return [{"id": r.id, "chat_id": r.chat_id, "action": r.action, "payload": r.payload or {},
                     "target": r.target_outbox_id, "attempts": r.attempts,
                     "target_message_id": targets.get(r.target_outbox_id) if r.target_outbox_id else None}
                    for r in rows]

    def _target(self, outbox_id: int | None) -> int | None:
        """The Telegram id of the message an edit changes, read when it is needed: the message may
        have been sent a moment ago, by another batch of this chat."""
        if outbox_id is None:
            return None
        with transaction(self.engine) as db:
            return repo.outbox_message_id(db, outbox_id=outbox_id)

    def release_all(self) -> None:
        """Give back what this worker took and did not send (a clean stop)."""
        with transaction(self.engine) as db:
            repo.release_outbox(db, outbox_ids=sorted(self._claimed), retry_at=None)
        self._claimed.clear()

    async def _flush_chat(self, chat_id: str, rows: list[dict[str, Any]]) -> int:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._lock_users[chat_id] = self._lock_users.get(chat_id, 0) + 1
        try:
            async with lock:
                return await self._send_rows(chat_id, rows)
        finally:
            self._lock_users[chat_id] -= 1
            if not self._lock_users[chat_id]:
                del self._lock_users[chat_id], self._locks[chat_id]

    async def _send_rows(self, chat_id: str, rows: list[dict[str, Any]]) -> int:
        marks: list[repo.OutboxMark] = []
        sent: dict[int, int] = {}  # outbox id -> Telegram message id, for edits of a message of this batch
        retry: tuple[int, datetime | None, list[int]] | None = None
        try:
            for i, row in enumerate(rows):
                status, message_id, retry_at = await self._send(chat_id, row, sent)
                if status == "pending":
                    # keep the chat's order: the rest waits for this one (and is released for retry)
                    retry = (row["id"], retry_at, [r["id"] for r in rows[i + 1 :]])
                    break
                if message_id is not None:
                    sent[row["id"]] = message_id
                    self._remember(row["id"], message_id)
                marks.append(repo.OutboxMark(row["id"], "sent" if status == "sent" else "failed", row["action"],
                                             chat_id, message_id, bool(row["payload"].get("forget"))))
        finally:  # what was sent is marked even when a later row raised: it is never sent twice on purpose
            await self.run_db(self._settle, marks, retry)
        return len(marks)

    def _remember(self, outbox_id: int, message_id: int) -> None:
        self.message_ids[outbox_id] = message_id
        while len(self.message_ids) > REMEMBERED:
            del self.message_ids[next(iter(self.message_ids))]

    def _settle(self, marks: list[repo.OutboxMark], retry: tuple[int, datetime | None, list[int]] | None) -> None:
        """One transaction for a chat's batch: the sent and failed rows, and the row to retry with the
        rows after it given back."""
        self._claimed.difference_update(m.outbox_id for m in marks)
        if retry is None:  # the common case: Core statements only
            if marks:
                with core_transaction(self.engine) as connection:
                    repo.mark_outbox_many(connection, marks=marks, now=_now())
            return
        outbox_id, retry_at, rest = retry
        self._claimed.discard(outbox_id)
        self._claimed.difference_update(rest)
        with transaction(self.engine) as db:
            repo.mark_outbox_many(db, marks=marks, now=_now())
            repo.mark_outbox(db, outbox_id=outbox_id, status="pending", now=_now(), retry_at=retry_at)
            repo.release_outbox(db, outbox_ids=rest, retry_at=retry_at)

    async def _send(self, chat_id: str, row: dict[str, Any],
                    sent: dict[int, int]) -> tuple[str, int | None, datetime | None]:
        action, payload = row["action"], row["payload"]
        try:
            if action == "send":
                msg = await self.bot.send_message(int(chat_id), payload["text"],
                                                  reply_markup=_markup(payload.get("keyboard")))
                return "sent", msg.message_id, None
            if action == "send_document" and payload.get("as"):
                return "sent", await send_as_media(self.bot, int(chat_id), payload), None
            if action == "send_document":
                content = payload["content"]
                raw = base64.b64decode(content) if payload.get("encoding") == "base64" else content.encode()
                document = InputFile(raw, filename=payload["filename"])
                msg = await self.bot.send_document(int(chat_id), document, caption=payload.get("caption"))
                return "sent", msg.message_id, None
            if action == "delete":
                await self.bot.delete_messages(int(chat_id), payload["message_ids"])
                return "sent", None, None
            if action == "answer_callback":
                await self.bot.answer_callback_query(payload["callback_id"], text=payload.get("text"))
                return "sent", None, None
            target = (payload.get("message_id") or row["target_message_id"] or sent.get(row["target"] or 0)
                      or self.message_ids.get(row["target"] or 0))
            if target is None and row["target"] is not None:  # sent a moment ago, by another batch
                target = await self.run_db(self._target, row["target"])
            if target is None:
                # the message to edit was never sent (it failed for good): nothing to edit
                return "failed", None, None
            if action == "edit_text":
                await self.bot.edit_message_text(payload["text"], chat_id=int(chat_id), message_id=target)
            elif action == "edit_markup":
                await self.bot.edit_message_reply_markup(chat_id=int(chat_id), message_id=target,
                                                         reply_markup=_markup(payload.get("keyboard")))
            return "sent", None, None
        except RetryAfter as exc:
            with warnings.catch_warnings():  # PTB 22 warns that the attribute becomes a timedelta
                warnings.simplefilter("ignore")
                after = exc.retry_after
            delay = after if isinstance(after, int | float) else after.total_seconds()
            log.warning("telegram asked to slow down", extra={"outbox": row["id"], "seconds": delay})
            return "pending", None, _now() + timedelta(seconds=float(delay))
        except Forbidden:
            log.info("chat refuses messages", extra={"outbox": row["id"]})
            return "failed", None, None
        except BadRequest as exc:
            text = str(exc).lower()
            if any(s in text for s in _DONE_ALREADY):
                return "sent", None, None
            code = "gone" if any(s in text for s in _GONE) else "bad_request"
            log.warning("telegram refused an outbox row", extra={"outbox": row["id"], "code": code})
            return "failed", None, None
        except (NetworkError, TelegramError) as exc:
            backoff = min(60.0, 0.5 * 2 ** min(row["attempts"], 7))
            log.warning("sending failed, will retry", extra={"outbox": row["id"], "error": type(exc).__name__})
            return "pending", None, _now() + timedelta(seconds=backoff)

"""An in-process Telegram Bot API: a `telegram.request.BaseRequest` that answers as Telegram does.

The bot under test sends its requests here instead of over HTTP, so neither the network nor an HTTP
server distorts the figures, while python-telegram-bot still does everything it does in production
with an answer (checking it, parsing it into `Update` and `Message` objects). The same object plays
Telegram's side for the simulated people: it queues their updates, serves them through `getUpdates`
and drops them only when a later call acknowledges them by offset (as Telegram does), keeps each
chat's messages with inline keyboards (so a press carries the message it was made on), and times
every reply against the update it answers.

A person has at most one update in flight (a `Turn`): every call that names the person's chat, or
answers the person's callback query, belongs to it. The latency of an update is measured from the
moment `getUpdates` hands it to the bot to the moment its replies reach this object.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

__all__ = ["BOT_USER", "InProcessBotApi", "Turn", "User"]

BOT_USER: dict[str, Any] = {"id": 7000000001, "is_bot": True, "first_name": "Bench Bot", "username": "bench_bot"}
_QUESTION = re.compile(r"^q:([a-z_]+):")
_NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                 "exactly the same as a current content and reply markup of the message")


@dataclass(frozen=True, slots=True)
class User:
    """A Telegram user in a private chat with the bot (chat id = user id, as Telegram has it)."""

    id: int
    language_code: str | None = "en"

    def as_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": "Bench", "last_name": f"P{self.id}"}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": "Bench", "last_name": f"P{self.id}"}


@dataclass(slots=True)
class Turn:
    """One update of one person: queued, handed to the bot, answered (perf_counter seconds)."""

    chat_id: int
    update_id: int
    expected: int  # Bot API calls this update causes; 0 while calibrating (then: wait for quiet)
    queued: float
    done: asyncio.Future[None]
    handed: float = 0.0
    first: float = 0.0
    last: float = 0.0
    calls: int = 0


@dataclass(slots=True)
class _Chat:
    """What Telegram shows in one chat, as far as the people need it: the messages with keyboards."""

    keyboards: dict[int, dict[str, Any]] = field(default_factory=dict)  # message id -> message, in order
    last_call: float = 0.0


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def _inline(markup: Any) -> dict[str, Any] | None:
    if isinstance(markup, dict) and any(markup.get("inline_keyboard") or ()):
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


def keyboard_data(message: dict[str, Any] | None) -> list[str]:
    """The callback data of a message's inline buttons, row by row."""
    rows = ((message or {}).get("reply_markup") or {}).get("inline_keyboard") or ()
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


class InProcessBotApi(BaseRequest):
    """Telegram's Bot API and the people's clients, in this process and this event loop."""

    def __init__(self, *, first_update_id: int = 1, long_poll_cap: float = 0.5) -> None:
        self._long_poll_cap = long_poll_cap
        self._queue: deque[dict[str, Any]] = deque()  # not yet acknowledged, in update-id order
        self._turn_of_update: dict[int, Turn] = {}
        self._open: dict[int, Turn] = {}  # chat id -> the turn in flight
        self._chats: dict[int, _Chat] = {}
        self._query_chat: dict[str, int] = {}
        self._update_ids = itertools.count(first_update_id)  # Telegram's ids only grow, per bot
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(9_000_000_001)
        self._ready: asyncio.Event | None = None
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.stray = 0  # replies that came when no update of that chat was in flight
        self.stray_samples: list[dict[str, Any]] = []
        self.sim_cpu = 0.0  # CPU seconds spent here playing Telegram and the people, not the bot

    # ------------------------------------------------------------------ BaseRequest
    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        self._ready = asyncio.Event()

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1].lower()
        params = request_data.parameters if request_data is not None else {}
        if name == "getupdates":
            return 200, await self._get_updates(params)
        now, cpu = time.perf_counter(), time.thread_time()
        try:
            self.calls[name] += 1
            result = self._call(name, params, now)
            return 200, json.dumps({"ok": True, "result": result}).encode()
        except _ApiError as exc:
            self.errors[exc.description[:40]] += 1
            return exc.code, json.dumps({"ok": False, "error_code": exc.code, "description": exc.description}).encode()
        finally:
            self.sim_cpu += time.thread_time() - cpu

    # ------------------------------------------------------------------ the people act
    def send_text(self, user: User, text: str, expected: int) -> Turn:
        """The person writes `text` (a leading /command gets its entity, as in Telegram)."""
        cpu = time.thread_time()
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                                   "chat": user.chat(), "from": user.as_json(), "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        turn = self._push(user.id, {"message": message}, expected)
        self.sim_cpu += time.thread_time() - cpu
        return turn

    def press(self, user: User, data: str, expected: int) -> Turn:
        """The person presses the button `data` on the latest message that shows it."""
        cpu = time.thread_time()
        chat = self._chats.setdefault(user.id, _Chat())
        message = next((m for m in reversed(chat.keyboards.values()) if data in keyboard_data(m)), None)
        if message is None:  # an old button whose message is gone: Telegram still sends the press
            message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": user.chat(),
                       "from": BOT_USER, "text": "…"}
        query_id = str(next(self._query_ids))
        self._query_chat[query_id] = user.id
        query = {"id": query_id, "from": user.as_json(), "chat_instance": f"ci{user.id}", "data": data,
                 "message": message}
        turn = self._push(user.id, {"callback_query": query}, expected)
        self.sim_cpu += time.thread_time() - cpu
        return turn

    def _push(self, chat_id: int, update: dict[str, Any], expected: int) -> Turn:
        if chat_id in self._open:
            raise RuntimeError("one update in flight per person")
        update["update_id"] = update_id = next(self._update_ids)
        loop = asyncio.get_running_loop()
        turn = Turn(chat_id, update_id, expected, time.perf_counter(), loop.create_future())
        self._open[chat_id] = self._turn_of_update[update_id] = turn
        self._chats.setdefault(chat_id, _Chat())
        self._queue.append(update)
        if self._ready is not None:
            self._ready.set()
        return turn

    def abandon(self, turn: Turn) -> None:
        """Stop waiting for a turn (it timed out); later replies to it count as stray."""
        if self._open.get(turn.chat_id) is turn:
            del self._open[turn.chat_id]

    def finish(self, chat_id: int) -> None:
        """The person is done: forget their chat (bounded memory over a long run)."""
        self._chats.pop(chat_id, None)
        self._open.pop(chat_id, None)

    def open_question(self, chat_id: int) -> tuple[str | None, list[str]]:
        """The question whose keyboard is shown last in the chat, and that keyboard's buttons."""
        chat = self._chats.get(chat_id)
        for message in reversed((chat.keyboards if chat else {}).values()):
            data = keyboard_data(message)
            for d in data:
                m = _QUESTION.match(d)
                if m:
                    return m.group(1), data
        return None, []

    async def settle(self, turn: Turn, quiet: float, timeout: float) -> bool:
        """Wait for a reply to `turn` and then `quiet` seconds without a call to its chat (calibration).

        The turn stays open: calls that come later still count for it until `abandon`.
        """
        deadline = time.perf_counter() + timeout
        chat = self._chats[turn.chat_id]
        while time.perf_counter() < deadline:
            await asyncio.sleep(quiet / 4)
            if turn.calls and time.perf_counter() - chat.last_call >= quiet:
                return True
        return False

    # ------------------------------------------------------------------ Telegram's side
    async def _get_updates(self, params: dict[str, Any]) -> bytes:
        offset = int(params.get("offset") or 0)
        while self._queue and offset and self._queue[0]["update_id"] < offset:
            self._turn_of_update.pop(self._queue.popleft()["update_id"], None)  # acknowledged
        timeout = float(params.get("timeout") or 0)
        if not self._queue and timeout > 0 and self._ready is not None:
            self._ready.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), min(timeout, self._long_poll_cap))
        cpu = time.thread_time()
        limit = max(1, min(int(params.get("limit") or 100), 100))
        batch = list(itertools.islice(self._queue, limit))
        now = time.perf_counter()
        for update in batch:
            turn = self._turn_of_update.get(update["update_id"])
            if turn is not None and not turn.handed:
                turn.handed = now
        body = json.dumps({"ok": True, "result": batch}).encode()
        self.calls["getupdates"] += 1
        self.sim_cpu += time.thread_time() - cpu
        return body

    def _call(self, name: str, params: dict[str, Any], now: float) -> Any:
        if name == "answercallbackquery":
            chat_id = self._query_chat.pop(str(params.get("callback_query_id")), None)
            if chat_id is None:
                raise _ApiError(400, "Bad Request: query is too old and response timeout expired "
                                     "or query id is invalid")
            self._reply(chat_id, now)
            return True
        if name in ("sendmessage", "editmessagetext", "editmessagereplymarkup"):
            chat_id = params.get("chat_id")
            if not isinstance(chat_id, int):
                raise _ApiError(400, "Bad Request: chat not found")
            self._reply(chat_id, now)
            chat = self._chats.setdefault(chat_id, _Chat())
            if name == "sendmessage":
                return self._send_message(chat, chat_id, params)
            return self._edit(chat, chat_id, params, text=name == "editmessagetext")
        if name == "getme":
            return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False,
                    "supports_inline_queries": False, "can_connect_to_business": False, "has_main_web_app": False}
        if name in ("deletewebhook", "setmycommands", "setwebhook", "deletemycommands", "close", "logout"):
            return True
        raise _ApiError(404, "Not Found: method not found")

    def _reply(self, chat_id: int, now: float) -> None:
        chat = self._chats.get(chat_id)
        if chat is not None:
            chat.last_call = now
        turn = self._open.get(chat_id)
        if turn is None or not turn.handed:
            self.stray += 1
            if len(self.stray_samples) < 5:
                self.stray_samples.append({"chat": chat_id, "turn": turn.update_id if turn else None,
                                           "calls": self.calls.total()})
            return
        turn.calls += 1
        if turn.calls == 1:
            turn.first = now
        turn.last = now
        if turn.expected and turn.calls >= turn.expected:
            del self._open[chat_id]
            if not turn.done.done():
                turn.done.set_result(None)

    def _send_message(self, chat: _Chat, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                                   "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
                                   "from": BOT_USER, "text": text}
        markup = _inline(params.get("reply_markup"))
        if markup is not None:
            message["reply_markup"] = markup
            chat.keyboards[message["message_id"]] = message
        return message

    def _edit(self, chat: _Chat, chat_id: int, params: dict[str, Any], *, text: bool) -> dict[str, Any]:
        message_id = params.get("message_id")
        if not isinstance(message_id, int) or message_id <= 0:
            raise _ApiError(400, "Bad Request: message to edit not found")
        message = chat.keyboards.get(message_id) or {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Bench"}, "from": BOT_USER}
        markup = _inline(params.get("reply_markup"))
        new_text = params.get("text") if text else message.get("text")
        if message.get("reply_markup") == markup and (not text or message.get("text") == new_text):
            raise _ApiError(400, _NOT_MODIFIED)
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        edited["edit_date"] = int(time.time())
        if new_text is not None:
            edited["text"] = new_text
        if markup is not None:
            edited["reply_markup"] = markup
            chat.keyboards[message_id] = edited
        else:
            chat.keyboards.pop(message_id, None)
        return edited

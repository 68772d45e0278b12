"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests.

The real python-telegram-bot ``Bot``/``Application`` is pointed at it::

    with FakeBotApi() as fake:
        bot = Bot("123:ABC", base_url=fake.base_url, base_file_url=fake.base_file_url)

Users are simulated by queueing updates (``send_text``, ``press``, ``send_photo``...); every
call the bot makes is recorded (``calls``), and the messages it sends are kept per chat with edits
applied in place and deletions removed (``messages``), so a test can look at a chat as its user
would see it.

Protocol notes (what python-telegram-bot 22 actually sends):

* every method is a POST to ``/bot<TOKEN>/<method>``; without files the body is
  ``application/x-www-form-urlencoded``, with files ``multipart/form-data``. In both cases
  every value is a string: plain strings as they are, everything else JSON encoded
  (``chat_id=42``, ``show_alert=true``, ``reply_markup={"inline_keyboard": ...}``). JSON bodies
  are accepted too. Values are turned back into ints/bools/objects by field name (``_coerce``).
* errors are recognised by the HTTP status, not by ``ok``: a 200 answer must be ``ok: true``
  with a ``result``; 400 -> ``BadRequest``, 403 -> ``Forbidden``, 409 -> ``Conflict``, other
  codes -> ``NetworkError``, and ``parameters.retry_after`` (any status) -> ``RetryAfter``.
* ``Bot.get_file`` prefixes a relative ``file_path`` with ``base_file_url + token``, so a
  download is a GET to ``/file/bot<TOKEN>/<file_path>``.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
import html
import itertools
import json
import mimetypes
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

BOT_ID = 7000000001
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Fake Bot", "username": "fake_bot"}

QUESTION_RE = re.compile(r"^q:([a-z_]+):")

# Methods that are polling/introspection rather than the bot doing something (for wait_idle).
_PASSIVE_METHODS = frozenset({"getupdates", "getme"})

# How form values are turned back into Python values (python-telegram-bot JSON-encodes every
# non-string value; strings are sent as they are, so text fields must never be decoded).
_JSON_FIELDS = frozenset({
    "reply_markup", "entities", "caption_entities", "message_ids", "link_preview_options",
    "reply_parameters", "allowed_updates", "commands", "scope", "menu_button", "media", "results",
    "options", "explanation_entities", "question_entities", "permissions", "reaction", "prices",
    "button", "input_message_content",
})
_JSON_SUFFIXES = ("_markup", "_entities", "_ids", "_options", "_parameters")
_INT_FIELDS = frozenset({
    "chat_id", "message_id", "from_chat_id", "offset", "limit", "timeout", "cache_time",
    "message_thread_id", "user_id", "max_connections", "reply_to_message_id", "duration",
    "width", "height", "until_date", "performer_id",
})
_BOOL_PREFIXES = ("is_", "has_", "disable_", "allow_", "protect_", "show_", "drop_", "can_",
                  "revoke_", "supports_")
_ACTION_KEYS = frozenset({
    "callback_data", "url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "callback_game", "pay", "web_app", "copy_text",
})

_VOICE_BYTES = b"OggS" + bytes(range(60))
_MEDIA_METHODS = {  # method -> (file field, mime type when unknown)
    "senddocument": ("document", "application/octet-stream"),
    "sendphoto": ("photo", "image/jpeg"),
    "sendvoice": ("voice", "audio/ogg"),
    "sendaudio": ("audio", "audio/mpeg"),
}


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code,
                                "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _visible_text(text: str, parse_mode: str | None) -> str | None:
    """The text as Telegram would count it, or None when we cannot tell (Markdown)."""
    if not parse_mode:
        return text
    if parse_mode.lower() == "html":
        return html.unescape(re.sub(r"<[^>]*>", "", text))
    return None


def _coerce(params: dict) -> dict:
    """Turn the string values of a form (or of PTB's JSON payload) back into Python values."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str):
            if key in _JSON_FIELDS or key.endswith(_JSON_SUFFIXES):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            elif key in _INT_FIELDS:
                try:
                    value = int(value)
                except ValueError:
                    pass  # e.g. chat_id="@channel"
            elif key.startswith(_BOOL_PREFIXES) and value in ("true", "false"):
                value = value == "true"
        out[key] = value
    return out


def _inline_markup(markup: Any) -> dict | None:
    """The inline keyboard to keep on a message (Telegram keeps no other markup on messages)."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not any(rows):
        return None
    for row in rows:
        for button in row:
            if not (set(button) & _ACTION_KEYS):
                raise _bad_request("text buttons are unallowed in the inline keyboard")
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode())
                if not 1 <= size <= 64:
                    raise _bad_request("BUTTON_DATA_INVALID")
    return {"inline_keyboard": rows}


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def _parse_multipart(content_type: str, body: bytes) -> dict:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        content = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            params[str(name)] = content.decode("utf-8", "replace")
        else:
            # raw UTF-8 header bytes come back surrogate-escaped
            filename = filename.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            params[str(name)] = {"file_name": filename,
                                 "mime_type": part.get_content_type(),
                                 "content": content}
    return params


class FakeBotApi:
    """A fake Telegram Bot API on 127.0.0.1 (a free port). Thread-safe."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.RLock())
        self._ids = itertools.count(1001)  # message ids, one sequence per server
        self._update_ids = itertools.count(100001)
        self._query_ids = itertools.count(5_000_000_001)
        self._file_ids = itertools.count(1)
        self._queue: list[dict] = []
        self._acked_offset = 0
        self._allowed_updates: list[str] | None = None
        self._sent: dict[int, list[dict]] = {}  # chat_id -> bot messages, in order
        self._user_messages: dict[tuple[int, int], dict] = {}  # (chat_id, message_id) -> message
        self._chats: dict[int, dict] = {}
        self._reply_keyboards: dict[int, dict] = {}  # chat_id -> current ReplyKeyboardMarkup
        self._files: dict[str, dict] = {}  # file_id -> {"file_unique_id", "content", "file_name"}
        self._failures: dict[str, list[ApiError]] = {}
        self._last_activity = time.monotonic()
        self._webhook_url = ""
        self._connections: set[socket.socket] = set()
        self._started = False

        self.calls: list[tuple[str, dict]] = []
        self.callback_answers: list[dict] = []
        self.unknown_methods: set[str] = set()
        self.errors: list[str] = []  # bugs of the fake itself (answered with HTTP 500)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._make_handler())
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, client_address: None  # clients hang up mid-poll
        self.port: int = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/bot"
        self.base_file_url = f"http://127.0.0.1:{self.port}/file/bot"
        self._thread = threading.Thread(target=self._server.serve_forever, name="fakebot",
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeBotApi:
        if not self._started:
            self._started = True
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._started:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._started = False
        self._server.server_close()
        with self._cond:
            connections = list(self._connections)
            self._cond.notify_all()
        for conn in connections:  # cut keep-alive and long-poll connections: the server is gone
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ users act
    @staticmethod
    def _user(user_id: int, language_code: str | None = "en") -> dict:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Test",
                                "last_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(self, chat_id: int) -> dict:
        known = self._chats.get(chat_id)
        if known is not None:
            return dict(known)
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Test"}
        return {"id": chat_id, "type": "supergroup", "title": "Group"}

    def _remember_chat(self, chat: dict) -> None:
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            self._chats.setdefault(chat["id"], dict(chat))

    def _push(self, update: dict) -> int:
        with self._cond:
            update = copy.deepcopy(update)
            update["update_id"] = next(self._update_ids)
            for key in ("message", "edited_message", "channel_post"):
                msg = update.get(key)
                if isinstance(msg, dict) and isinstance(msg.get("chat"), dict):
                    self._remember_chat(msg["chat"])
                    if isinstance(msg.get("message_id"), int):
                        self._user_messages[(msg["chat"]["id"], msg["message_id"])] = msg
            self._queue.append(update)
            self._last_activity = time.monotonic()
            self._cond.notify_all()
            return update["update_id"]

    def _user_message(self, user_id: int, language_code: str | None = "en",
                      chat_type: str = "private", chat_id: int | None = None, **content: Any) -> dict:
        if chat_id is None:
            chat_id = user_id if chat_type == "private" else -abs(user_id)
        if chat_type == "private":
            chat = {"id": chat_id, "type": "private", "first_name": "Test",
                    "last_name": f"User{user_id}"}
        else:
            chat = {"id": chat_id, "type": chat_type, "title": "Group"}
        return {"message_id": next(self._ids), "date": int(time.time()), "chat": chat,
                "from": self._user(user_id, language_code), **content}

    def send_text(self, user_id: int, text: str, *, language_code: str | None = "en",
                  chat_type: str = "private", chat_id: int | None = None) -> int:
        """A user writes ``text``; a leading ``/command`` gets a bot_command entity."""
        with self._cond:
            msg = self._user_message(user_id, language_code, chat_type, chat_id, text=text)
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                msg["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": _utf16_len(command)}]
            return self._push({"message": msg})

    def press(self, user_id: int, data: str, *, message_id: int | None = None,
              language_code: str | None = "en", chat_id: int | None = None) -> int:
        """A user presses an inline button with callback ``data``.

        The query carries the bot message ``message_id`` of the user's chat as it currently is
        (with its keyboard). Without ``message_id`` it is the last bot message of that chat that has
        a button with this data. If there is none, a minimal bot message is sent along.
        """
        with self._cond:
            chat_messages = self._sent.get(user_id if chat_id is None else chat_id, [])
            message = None
            if message_id is not None:
                message = next((m for m in chat_messages if m["message_id"] == message_id), None)
            else:
                message = next((m for m in reversed(chat_messages) if data in self.keyboard(m)), None)
            if message is None:
                message = {"message_id": message_id if message_id is not None else next(self._ids),
                           "date": int(time.time()), "chat": self._chat(user_id),
                           "from": dict(BOT_USER), "text": "…"}
            query = {"id": str(next(self._query_ids)), "from": self._user(user_id, language_code),
                     "chat_instance": f"ci{user_id}", "data": data,
                     "message": copy.deepcopy(message)}
            return self._push({"callback_query": query})

    def _new_file(self, content: bytes, file_name: str | None = None) -> tuple[str, str]:
        n = next(self._file_ids)
        file_id = f"BQACAgQAAxkBAAI{n:08d}fake"
        unique_id = f"AgAD{n:06d}"
        self._files[file_id] = {"file_unique_id": unique_id, "content": content,
                                "file_name": file_name}
        return file_id, unique_id

    def send_sticker(self, user_id: int) -> int:
        with self._cond:
            content = b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(48)
            file_id, unique_id = self._new_file(content)
            sticker = {"file_id": file_id, "file_unique_id": unique_id, "type": "regular",
                       "width": 512, "height": 512, "is_animated": False, "is_video": False,
                       "emoji": "👍", "set_name": "FakeStickers", "file_size": len(content)}
            return self._push({"message": self._user_message(user_id, sticker=sticker)})

    def send_photo(self, user_id: int, caption: str | None = None) -> int:
        with self._cond:
            sizes = []
            for width, height in ((90, 67), (320, 240), (1280, 960)):
                content = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(width // 10)
                file_id, unique_id = self._new_file(content)
                sizes.append({"file_id": file_id, "file_unique_id": unique_id, "width": width,
                              "height": height, "file_size": len(content)})
            extra: dict[str, Any] = {"photo": sizes}
            if caption is not None:
                extra["caption"] = caption
            return self._push({"message": self._user_message(user_id, **extra)})

    def send_voice(self, user_id: int) -> int:
        with self._cond:
            file_id, unique_id = self._new_file(_VOICE_BYTES)
            voice = {"file_id": file_id, "file_unique_id": unique_id, "duration": 3,
                     "mime_type": "audio/ogg", "file_size": len(_VOICE_BYTES)}
            return self._push({"message": self._user_message(user_id, voice=voice)})

    def send_document(self, user_id: int, file_name: str = "letter.pdf") -> int:
        with self._cond:
            mime = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
            content = b"%PDF-1.4\n%fake\n" if mime == "application/pdf" else b"fake document\n"
            file_id, unique_id = self._new_file(content, file_name)
            document = {"file_id": file_id, "file_unique_id": unique_id, "file_name": file_name,
                        "mime_type": mime, "file_size": len(content)}
            return self._push({"message": self._user_message(user_id, document=document)})

    def send_update(self, update: dict) -> int:
        """Queue any raw update (its update_id is assigned here)."""
        return self._push(update)

    def edit_text(self, user_id: int, message_id: int, text: str) -> int:
        """The user edits their message ``message_id`` (an ``edited_message`` update)."""
        with self._cond:
            original = self._user_messages.get((user_id, message_id))
            if original is None:
                original = self._user_message(user_id, text=text)
                original["message_id"] = message_id
            edited = copy.deepcopy(original)
            edited["text"] = text
            edited.pop("entities", None)
            edited["edit_date"] = int(time.time())
            self._user_messages[(user_id, message_id)] = edited
            return self._push({"edited_message": edited})

    # ------------------------------------------------------------------ what the bot did
    def messages(self, chat_id: int) -> list[dict]:
        """The bot's messages in that chat, in order, as they are now (edited, not deleted)."""
        with self._cond:
            return copy.deepcopy(self._sent.get(chat_id, []))

    def last_message(self, chat_id: int) -> dict | None:
        with self._cond:
            sent = self._sent.get(chat_id)
            return copy.deepcopy(sent[-1]) if sent else None

    @staticmethod
    def keyboard(message: dict | None) -> list[str]:
        """The callback_data of all inline buttons of ``message``, row by row."""
        markup = (message or {}).get("reply_markup") or {}
        return [button["callback_data"] for row in markup.get("inline_keyboard", [])
                for button in row if "callback_data" in button]

    def open_question(self, chat_id: int) -> tuple[str | None, dict | None]:
        """The last bot message with a ``q:<id>:...`` button -> (question id, message)."""
        with self._cond:
            for message in reversed(self._sent.get(chat_id, [])):
                for data in self.keyboard(message):
                    match = QUESTION_RE.match(data)
                    if match:
                        return match.group(1), copy.deepcopy(message)
            return None, None

    def reply_keyboard(self, chat_id: int) -> list[str] | None:
        """The button texts of the reply keyboard currently shown in that chat, if any."""
        with self._cond:
            markup = self._reply_keyboards.get(chat_id)
            if markup is None:
                return None
            return [b if isinstance(b, str) else b.get("text", "") for row in markup["keyboard"]
                    for b in row]

    def file_content(self, file_id: str) -> bytes | None:
        """The bytes behind a file id (files users sent, or files the bot uploaded)."""
        with self._cond:
            entry = self._files.get(file_id)
            return entry["content"] if entry else None

    def calls_of(self, method: str) -> list[dict]:
        wanted = method.lower()
        with self._cond:
            return [params for name, params in self.calls if name.lower() == wanted]

    def acked_offset(self) -> int:
        with self._cond:
            return self._acked_offset

    def pending(self) -> int:
        with self._cond:
            return len(self._queue)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Wait until ``predicate()`` (evaluated under the lock) is true; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.1))
            return True

    def wait_idle(self, quiet: float = 0.3, timeout: float = 15.0) -> bool:
        """Wait until every queued update was fetched and acknowledged and the bot has called
        nothing but getUpdates/getMe for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                now = time.monotonic()
                if not self._queue:
                    idle_for = now - self._last_activity
                    if idle_for >= quiet:
                        return True
                    wait = quiet - idle_for
                else:
                    wait = 0.1
                if now >= deadline:
                    return False
                self._cond.wait(max(0.005, min(wait, deadline - now)))

    # ------------------------------------------------------------------ failure injection
    def fail_next(self, method: str, times: int = 1, *, error_code: int = 500,
                  description: str = "Internal Server Error", retry_after: int | None = None) -> None:
        """The next ``times`` calls of ``method`` fail (HTTP status = error code).

        With ``retry_after`` the answer is a 429 flood-wait, which PTB raises as ``RetryAfter``.
        """
        if retry_after is not None:
            error_code = 429
            if description == "Internal Server Error":
                description = f"Too Many Requests: retry after {retry_after}"
        with self._cond:
            self._failures.setdefault(method.lower(), []).extend(
                ApiError(error_code, description, retry_after) for _ in range(times))

    # ------------------------------------------------------------------ the API
    def _call(self, method: str, params: dict) -> Any:
        name = method.lower()
        with self._cond:
            self.calls.append((method, params))
            if name not in _PASSIVE_METHODS:
                self._last_activity = time.monotonic()
            self._cond.notify_all()
            failures = self._failures.get(name)
            if failures:
                raise failures.pop(0)
            if name == "getupdates":
                return self._get_updates(params)
            handler = self._HANDLERS.get(name)
            if handler is None:
                self.unknown_methods.add(method)
                return True
            result = handler(self, params)
            if name not in _PASSIVE_METHODS:
                self._last_activity = time.monotonic()
            return result

    def _get_updates(self, params: dict) -> list[dict]:
        # caller holds the lock
        if self._webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        if offset > 0:
            before = len(self._queue)
            self._queue = [u for u in self._queue if u["update_id"] >= offset]
            self._acked_offset = max(self._acked_offset, offset)
            if len(self._queue) != before:
                self._last_activity = time.monotonic()  # the bot now holds these updates
        elif offset < 0:
            self._queue = self._queue[offset:]
            if self._queue:
                self._acked_offset = max(self._acked_offset, self._queue[0]["update_id"])
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = allowed or None
        limit = max(1, min(int(params.get("limit") or 100), 100))
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.5)
        while True:
            if self._allowed_updates:  # Telegram never delivers the other kinds
                self._queue = [u for u in self._queue
                               if any(kind in u for kind in self._allowed_updates)]
            if self._queue:
                return copy.deepcopy(self._queue[:limit])
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._started:
                return []
            self._cond.wait(remaining)

    def _get_me(self, params: dict) -> dict:
        return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False, "can_connect_to_business": False,
                "has_main_web_app": False}

    @staticmethod
    def _chat_id(params: dict) -> int:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise _bad_request("chat_id is empty")
        if not isinstance(chat_id, int):
            raise _bad_request("chat not found")
        return chat_id

    def _record(self, chat_id: int, params: dict, **content: Any) -> dict:
        markup = params.get("reply_markup")
        inline = _inline_markup(markup)
        message: dict[str, Any] = {"message_id": next(self._ids), "date": int(time.time()),
                                   "chat": self._chat(chat_id), "from": dict(BOT_USER), **content}
        if inline is not None:
            message["reply_markup"] = inline
        if isinstance(markup, dict):
            if "keyboard" in markup:
                self._reply_keyboards[chat_id] = markup
            elif markup.get("remove_keyboard"):
                self._reply_keyboards.pop(chat_id, None)
        self._sent.setdefault(chat_id, []).append(message)
        return copy.deepcopy(message)

    @staticmethod
    def _check_text(text: Any, parse_mode: Any, *, caption: bool = False) -> None:
        if not caption and (not isinstance(text, str) or not text.strip()):
            raise _bad_request("message text is empty")
        visible = _visible_text(text or "", parse_mode if isinstance(parse_mode, str) else None)
        if visible is None:
            return
        if caption and _utf16_len(visible) > 1024:
            raise _bad_request("message caption is too long")
        if not caption and _utf16_len(visible) > 4096:
            raise _bad_request("message is too long")

    def _send_message(self, params: dict) -> dict:
        chat_id = self._chat_id(params)
        text = params.get("text")
        self._check_text(text, params.get("parse_mode"))
        content: dict[str, Any] = {"text": text}
        if isinstance(params.get("entities"), list):
            content["entities"] = params["entities"]
        return self._record(chat_id, params, **content)

    def _send_media(self, params: dict, method: str) -> dict:
        chat_id = self._chat_id(params)
        field, default_mime = _MEDIA_METHODS[method]
        value = params.get(field)
        if isinstance(value, dict):  # an upload
            file_name = value["file_name"]
            mime = value.get("mime_type") or default_mime
            file_id, unique_id = self._new_file(value["content"], file_name)
            size = len(value["content"])
        elif isinstance(value, str) and value:  # a file_id or URL
            known = self._files.get(value)
            if known is not None:
                file_id, unique_id = value, known["file_unique_id"]
                file_name = known.get("file_name") or "file"
                size = len(known["content"])
            else:
                file_name = urllib.parse.urlsplit(value).path.rsplit("/", 1)[-1] or "file"
                file_id, unique_id = self._new_file(b"", file_name)
                size = 0
            mime = mimetypes.guess_type(file_name)[0] or default_mime
        else:
            raise _bad_request(f"there is no {field} in the request")
        caption = params.get("caption")
        if caption is not None:
            self._check_text(caption, params.get("parse_mode"), caption=True)
        document = {"file_id": file_id, "file_unique_id": unique_id, "file_name": file_name,
                    "mime_type": mime, "file_size": size}
        content: dict[str, Any] = {"document": document}
        if field == "photo":
            content["photo"] = [{"file_id": file_id, "file_unique_id": unique_id, "width": 800,
                                 "height": 600, "file_size": size}]
        elif field == "voice":
            content["voice"] = {"file_id": file_id, "file_unique_id": unique_id, "duration": 1,
                                "mime_type": mime, "file_size": size}
        elif field == "audio":
            content["audio"] = {**document, "duration": 1}
        if caption is not None:
            content["caption"] = caption
            if isinstance(params.get("caption_entities"), list):
                content["caption_entities"] = params["caption_entities"]
        return self._record(chat_id, params, **content)

    def _find_message(self, params: dict) -> dict:
        if params.get("inline_message_id"):
            raise _bad_request("MESSAGE_ID_INVALID")
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        for message in self._sent.get(chat_id, []):
            if message["message_id"] == message_id:
                return message
        raise _bad_request("message to edit not found")

    @staticmethod
    def _apply_edit(message: dict, changes: dict) -> dict:
        """Apply ``changes`` (None removes a field) or answer 'message is not modified'."""
        if all(message.get(key) == value for key, value in changes.items()):
            raise _bad_request("message is not modified: specified new message content and reply "
                               "markup are exactly the same as a current content and reply markup "
                               "of the message")
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _edit_text(self, params: dict) -> dict:
        message = self._find_message(params)
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        text = params.get("text")
        self._check_text(text, params.get("parse_mode"))
        entities = params.get("entities")
        # like Telegram: a text edit without reply_markup removes the inline keyboard
        return self._apply_edit(message, {
            "text": text,
            "entities": entities if isinstance(entities, list) and entities else None,
            "reply_markup": _inline_markup(params.get("reply_markup")),
        })

    def _edit_caption(self, params: dict) -> dict:
        message = self._find_message(params)
        if "text" in message:
            raise _bad_request("there is no caption in the message to edit")
        caption = params.get("caption")
        if caption is not None:
            self._check_text(caption, params.get("parse_mode"), caption=True)
        return self._apply_edit(message, {
            "caption": caption or None,
            "reply_markup": _inline_markup(params.get("reply_markup")),
        })

    def _edit_reply_markup(self, params: dict) -> dict:
        message = self._find_message(params)
        return self._apply_edit(message, {"reply_markup": _inline_markup(params.get("reply_markup"))})

    def _answer_callback_query(self, params: dict) -> bool:
        text = params.get("text")
        if isinstance(text, str) and _utf16_len(text) > 200:
            raise _bad_request("MESSAGE_TOO_LONG")
        self.callback_answers.append(dict(params))
        return True

    def _exists(self, chat_id: int, message_id: Any) -> bool:
        return (any(m["message_id"] == message_id for m in self._sent.get(chat_id, []))
                or (chat_id, message_id) in self._user_messages)

    def _remove(self, chat_id: int, ids: set) -> None:
        self._sent[chat_id] = [m for m in self._sent.get(chat_id, []) if m["message_id"] not in ids]
        for message_id in ids:
            self._user_messages.pop((chat_id, message_id), None)

    def _delete_message(self, params: dict) -> bool:
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if not self._exists(chat_id, message_id):
            raise _bad_request("message to delete not found")
        self._remove(chat_id, {message_id})
        return True

    def _delete_messages(self, params: dict) -> bool:
        chat_id = self._chat_id(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not ids:
            raise _bad_request("message identifiers are not specified")
        self._remove(chat_id, {int(i) for i in ids})  # missing ones are skipped, as on Telegram
        return True

    def _get_file(self, params: dict) -> dict:
        file_id = str(params.get("file_id") or "")
        if not file_id:
            raise _bad_request("file_id is empty")
        known = self._files.get(file_id)
        if known is None:
            known = {"file_unique_id": f"U{abs(hash(file_id)) % 10**8}", "content": _VOICE_BYTES,
                     "file_name": None}
            self._files[file_id] = known
        return {"file_id": file_id, "file_unique_id": known["file_unique_id"],
                "file_size": len(known["content"]), "file_path": f"files/{file_id}"}

    def _set_webhook(self, params: dict) -> bool:
        self._webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates") is True:
            self._queue.clear()
        return True

    def _delete_webhook(self, params: dict) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates") is True:
            self._queue.clear()  # what PTB's drop_pending_updates relies on
        return True

    def _get_webhook_info(self, params: dict) -> dict:
        return {"url": self._webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._queue)}

    def _true(self, params: dict) -> bool:
        return True

    _HANDLERS: ClassVar[dict[str, Callable[[FakeBotApi, dict], Any]]] = {
        "getme": _get_me,
        "sendmessage": _send_message,
        "senddocument": lambda self, p: self._send_media(p, "senddocument"),
        "sendphoto": lambda self, p: self._send_media(p, "sendphoto"),
        "sendvoice": lambda self, p: self._send_media(p, "sendvoice"),
        "sendaudio": lambda self, p: self._send_media(p, "sendaudio"),
        "editmessagetext": _edit_text,
        "editmessagecaption": _edit_caption,
        "editmessagereplymarkup": _edit_reply_markup,
        "answercallbackquery": _answer_callback_query,
        "deletemessage": _delete_message,
        "deletemessages": _delete_messages,
        "getfile": _get_file,
        "setwebhook": _set_webhook,
        "deletewebhook": _delete_webhook,
        "getwebhookinfo": _get_webhook_info,
        "setmycommands": _true,
        "deletemycommands": _true,
        "setchatmenubutton": _true,
        "sendchataction": _true,
        "close": _true,
        "logout": _true,
    }

    # ------------------------------------------------------------------ HTTP
    def _file_bytes(self, file_path: str) -> bytes | None:
        if not file_path.startswith("files/"):
            return None
        with self._cond:
            known = self._files.get(urllib.parse.unquote(file_path[len("files/"):]))
            return known["content"] if known else _VOICE_BYTES

    def _make_handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 60  # idle keep-alive connections end eventually

            def setup(self) -> None:
                super().setup()
                with fake._cond:
                    fake._connections.add(self.connection)

            def finish(self) -> None:
                with fake._cond:
                    fake._connections.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                pass

            def _reply(self, status: int, body: bytes, content_type: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    self.close_connection = True  # the client gave up (e.g. a cancelled poll)

            def _json(self, status: int, payload: dict) -> None:
                self._reply(status, json.dumps(payload).encode(), "application/json")

            def _params(self, body: bytes) -> dict:
                content_type = self.headers.get("Content-Type", "")
                kind = content_type.split(";", 1)[0].strip().lower()
                params: dict[str, Any] = {}
                if kind == "application/json":
                    params = json.loads(body or b"{}")
                elif kind == "multipart/form-data":
                    params = _parse_multipart(content_type, body)
                elif body:
                    params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
                query = urllib.parse.urlsplit(self.path).query
                if query:
                    params.update(urllib.parse.parse_qsl(query, keep_blank_values=True))
                return _coerce(params)

            def _serve(self) -> None:
                body = _read_body(self)
                path = urllib.parse.urlsplit(self.path).path
                file_match = re.fullmatch(r"/file/bot[^/]+/(.+)", path)
                if file_match:
                    content = fake._file_bytes(file_match.group(1))
                    if content is None:
                        self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    else:
                        self._reply(200, content, "application/octet-stream")
                    return
                match = re.fullmatch(r"/bot[^/]+/([A-Za-z]+)", path)
                if not match:
                    self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                try:
                    result = fake._call(match.group(1), self._params(body))
                except ApiError as exc:
                    self._json(exc.error_code, exc.payload())
                    return
                except Exception as exc:  # noqa: BLE001 - a bug of the fake: make it visible
                    fake.errors.append(f"{match.group(1)}: {exc!r}")
                    self._json(500, {"ok": False, "error_code": 500,
                                     "description": f"fakebot error: {exc!r}"})
                    return
                self._json(200, {"ok": True, "result": result})

            do_POST = _serve
            do_GET = _serve

        return Handler

"""Webhook mode: Telegram posts updates to us; each is committed to the inbox before we answer 200.

python-telegram-bot's own webhook server answers before the handler has run, so, as with polling,
we use our own endpoint (on tornado, which python-telegram-bot's webhooks extra brings): a request
without the right secret-token header gets 403 and is not stored; `/healthz` answers a load balancer.

Anyone can reach the port, so the server spends nothing on who is not Telegram: the secret header is
checked as soon as the headers are in, before a byte of the body is read (the body is streamed, and a
refused request's connection is closed unread); a body is at most `MAX_BODY` (an update is a few
kilobytes); headers must arrive within `HEADER_TIMEOUT` (which also ends idle keep-alive connections)
and a body within `BODY_TIMEOUT`; at most `MAX_CONNECTIONS` connections are open at once, more are
closed on arrival (Telegram itself opens at most `TELEGRAM_CONNECTIONS`).
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream

from bot.settings import Settings
from bot.telegram.app import ALLOWED_UPDATES, TelegramBot
from bot.telegram.inbox import chat_of

__all__ = ["make_webhook_app", "make_webhook_server", "run_webhook"]

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # bytes; Telegram's updates are a few kilobytes
MAX_HEADERS = 16 * 1024  # bytes
HEADER_TIMEOUT = 10.0  # seconds for the headers of a request, and for an idle keep-alive connection
BODY_TIMEOUT = 10.0  # seconds for the body
MAX_CONNECTIONS = 100  # open at once; more are closed on arrival
TELEGRAM_CONNECTIONS = 40  # what setWebhook asks Telegram to use at most (its default)


@tornado.web.stream_request_body
class _UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, bot: TelegramBot, secret: str) -> None:
        self.bot, self.secret = bot, secret
        self._body: list[bytes] = []
        self._size = 0

    def prepare(self) -> None:
        """Runs when the headers are in, before the body: who is not Telegram is refused unread."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            self.finish()  # the connection is closed without reading the body
            return
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            self.set_status(413)
            self.finish()
            return
        self.request.connection.set_max_body_size(MAX_BODY)  # type: ignore[union-attr]

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size <= MAX_BODY:
            self._body.append(chunk)

    async def post(self) -> None:
        if self._size > MAX_BODY:
            self.set_status(413)
            return
        try:
            payload: dict[str, Any] = json.loads(b"".join(self._body))
            update_id = int(payload["update_id"])
        except (ValueError, KeyError, TypeError):
            self.set_status(400)
            return
        chat_id = chat_of(payload)
        try:
            await self.bot.services.run_db(self.bot.inbox.store_raw, update_id, chat_id, payload)
        except Exception as exc:  # noqa: BLE001 - not stored: let Telegram deliver it again
            log.error("could not store a webhook update", extra={"error": type(exc).__name__})
            self.set_status(503)
            return
        self.bot.wake()
        self.set_status(200)


class _Health(tornado.web.RequestHandler):
    def get(self) -> None:
        self.write({"ok": True})


def make_webhook_app(bot: TelegramBot, secret: str, path: str) -> tornado.web.Application:
    return tornado.web.Application(
        [(path, _UpdateHandler, {"bot": bot, "secret": secret}), (r"/healthz", _Health)]
    )


class _BoundedServer(HTTPServer):
    """tornado's HTTP server with a cap on open connections (tornado has none)."""

    def initialize(self, *args: Any, max_connections: int = MAX_CONNECTIONS, **kwargs: Any) -> None:
        super().initialize(*args, **kwargs)
        self.max_connections, self.open_connections = max_connections, 0

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        if self.open_connections >= self.max_connections:
            stream.close()  # over the cap: closed on arrival, nothing read
            return
        self.open_connections += 1
        super().handle_stream(stream, address)

    def on_close(self, server_conn: object) -> None:
        self.open_connections -= 1
        super().on_close(server_conn)  # type: ignore[arg-type]


def make_webhook_server(bot: TelegramBot, secret: str, path: str) -> HTTPServer:
    """The webhook's HTTP server with its limits (not yet listening)."""
    return _BoundedServer(make_webhook_app(bot, secret, path), max_connections=MAX_CONNECTIONS,
                          idle_connection_timeout=HEADER_TIMEOUT, body_timeout=BODY_TIMEOUT,
                          max_body_size=MAX_BODY, max_header_size=MAX_HEADERS)


async def run_webhook(bot: TelegramBot, settings: Settings) -> None:
    assert settings.webhook_url
    secret = settings.webhook_secret or secrets.token_urlsafe(32)
    path = urlsplit(settings.webhook_url).path or "/telegram"
    server = make_webhook_server(bot, secret, path)
    server.listen(settings.webhook_port, address=settings.webhook_listen)
    await bot.start(polling=False)
    await bot.application.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                          allowed_updates=ALLOWED_UPDATES, max_connections=TELEGRAM_CONNECTIONS)
    log.info("webhook listening", extra={"port": settings.webhook_port})
    bot.stop_on_signals()
    await bot.wait_stopped()
    server.stop()
    await bot.stop()

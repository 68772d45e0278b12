"""Webhook mode: Telegram posts updates to us; each is committed to the inbox before we answer 200.

python-telegram-bot's own webhook server answers before the handler has run, so, as with polling,
we use our own endpoint (on tornado, which python-telegram-bot's webhooks extra brings): a request
without the right secret-token header gets 403 and is not stored; `/healthz` answers a load balancer.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from typing import Any
from urllib.parse import urlsplit

import tornado.web

from bot.settings import Settings
from bot.telegram.app import ALLOWED_UPDATES, TelegramBot
from bot.telegram.inbox import chat_of

__all__ = ["make_webhook_app", "run_webhook"]

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, bot: TelegramBot, secret: str) -> None:
        self.bot, self.secret = bot, secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            return
        try:
            payload: dict[str, Any] = json.loads(self.request.body)
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


async def run_webhook(bot: TelegramBot, settings: Settings) -> None:
    assert settings.webhook_url
    secret = settings.webhook_secret or secrets.token_urlsafe(32)
    path = urlsplit(settings.webhook_url).path or "/telegram"
    app = make_webhook_app(bot, secret, path)
    server = app.listen(settings.webhook_port, address=settings.webhook_listen)
    await bot.start(polling=False)
    await bot.application.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                          allowed_updates=ALLOWED_UPDATES)
    log.info("webhook listening", extra={"port": settings.webhook_port})
    bot.stop_on_signals()
    await bot.wait_stopped()
    server.stop()
    await bot.stop()

"""Webhook mode: the secret token is checked, updates are stored before the 200, then processed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import tornado.httpserver
import tornado.netutil

from bot.telegram.app import TelegramBot
from bot.telegram.webhook import SECRET_HEADER, make_webhook_app
from storage import repo
from storage.db import transaction
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import settings_for

SECRET = "s3cret-token"


@pytest.fixture
async def webhook(fake: FakeBotApi, sqlite_url: str) -> AsyncIterator[tuple[TelegramBot, str]]:
    bot = TelegramBot(settings_for(fake, sqlite_url))
    await bot.start(polling=False)
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(make_webhook_app(bot, SECRET, "/telegram"))
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    yield bot, f"http://127.0.0.1:{port}"
    server.stop()
    await bot.stop()


def _update(update_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": 1764000000, "chat": {"id": 7001, "type": "private", "first_name": "T"},
        "from": {"id": 7001, "is_bot": False, "first_name": "T", "language_code": "en"}, "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}] if text.startswith("/") else []}}


async def test_request_without_the_secret_is_refused_and_not_stored(webhook: tuple[TelegramBot, str]) -> None:
    bot, base = webhook
    async with httpx.AsyncClient() as client:
        for headers in ({}, {SECRET_HEADER: "wrong"}):
            response = await client.post(f"{base}/telegram", json=_update(1, "/start"), headers=headers)
            assert response.status_code == 403
    with transaction(bot.services.engine) as db:
        assert not repo.pending_inbox(db) and repo.inbox_processed(db, update_id=1)  # never stored


async def test_update_with_the_secret_is_stored_then_answered(
    webhook: tuple[TelegramBot, str], fake: FakeBotApi
) -> None:
    _bot, base = webhook
    async with httpx.AsyncClient() as client:
        health = await client.get(f"{base}/healthz")
        assert health.status_code == 200 and health.json() == {"ok": True}
        response = await client.post(f"{base}/telegram", json=_update(2, "/start"), headers={SECRET_HEADER: SECRET})
        assert response.status_code == 200
        again = await client.post(f"{base}/telegram", json=_update(2, "/start"), headers={SECRET_HEADER: SECRET})
        assert again.status_code == 200  # a redelivery is accepted and ignored
        bad = await client.post(f"{base}/telegram", content=b"not json", headers={SECRET_HEADER: SECRET})
        assert bad.status_code == 400
    assert await asyncio.to_thread(fake.wait_for, lambda: bool(fake.messages(7001)), 10.0)
    await asyncio.to_thread(fake.wait_idle, 0.3, 10.0)
    assert len(fake.messages(7001)) == 1, "the same update twice is answered once"
    assert fake.open_question(7001)[0] == "language"

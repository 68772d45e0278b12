"""The webhook server as `intake run` starts it, against clients that are not Telegram (issue 15, point 5):
the secret header is checked before any of the body is read, the body is capped, slow clients are timed
out, and idle connections are bounded. Six parallel 90 MB posts without the secret used to take the
process from 112 to 704 MB; half-sent headers and stalled bodies stayed open 40 s and more; 900 idle
connections were all accepted."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.telegram import webhook
from bot.telegram.app import TelegramBot
from bot.telegram.webhook import SECRET_HEADER, run_webhook
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import settings_for

SECRET = "s3cret-token-for-limits"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def served(fake: FakeBotApi, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[int]:
    # short limits, so that a test of a timeout takes a second (raising=False: the names the limits have)
    monkeypatch.setattr(webhook, "HEADER_TIMEOUT", 1.0, raising=False)
    monkeypatch.setattr(webhook, "BODY_TIMEOUT", 1.0, raising=False)
    monkeypatch.setattr(webhook, "MAX_CONNECTIONS", 20, raising=False)
    port = _free_port()
    settings = settings_for(fake, sqlite_url, webhook_url="https://intake.example.se/telegram",
                            webhook_secret=SECRET, webhook_listen="127.0.0.1", webhook_port=port)
    bot = TelegramBot(settings)
    task = asyncio.create_task(run_webhook(bot, settings))
    for _ in range(100):
        try:
            async with httpx.AsyncClient() as client:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    break
        except httpx.HTTPError:
            await asyncio.sleep(0.1)
    yield port
    bot._stop.set()
    await asyncio.wait_for(task, 20)


async def _connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port)


def _head(length: int, secret: str | None) -> bytes:
    lines = ["POST /telegram HTTP/1.1", "Host: intake.example.se", "Content-Type: application/json",
             f"Content-Length: {length}"]
    if secret is not None:
        lines.append(f"{SECRET_HEADER}: {secret}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """Whether the server closes the connection within `seconds` (what it answers first is read away)."""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            chunk = await asyncio.wait_for(reader.read(65536), deadline - time.monotonic())
            if not chunk:
                return True
    except ConnectionError:
        return True  # reset: the server closed with our unread bytes in its buffer
    except TimeoutError:
        return False
    return False


async def test_the_secret_is_checked_before_the_body_is_read(served: int) -> None:
    for secret in (None, "wrong"):
        reader, writer = await _connect(served)
        writer.write(_head(90 * 1024 * 1024, secret))  # announces 90 MB, sends none of it
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 3.0)
        assert status.startswith(b"HTTP/1.1 403"), status
        assert await _closed_within(reader, 3.0), "the body is never read: the connection is closed"
        writer.close()


async def test_the_body_is_capped(served: int) -> None:
    reader, writer = await _connect(served)
    writer.write(_head(5 * 1024 * 1024, SECRET))  # the right secret, but 5 MB: no update is that large
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 3.0)
    assert status.split()[1] in (b"400", b"413"), status
    writer.close()
    # a chunked body without a length is cut off at the cap as it comes
    reader, writer = await _connect(served)
    head = (f"POST /telegram HTTP/1.1\r\nHost: x\r\n{SECRET_HEADER}: {SECRET}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()
    writer.write(head)
    chunk = b"x" * 65536
    closed = False
    for _ in range(64):  # up to 4 MB
        try:
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
        except ConnectionError:
            closed = True
            break
    assert closed or await _closed_within(reader, 3.0), "a chunked body past the cap is refused"
    writer.close()


async def test_slow_clients_are_timed_out(served: int) -> None:
    reader, writer = await _connect(served)
    writer.write(b"POST /telegram HTTP/1.1\r\nHost: x\r\n")  # half the headers, then nothing
    await writer.drain()
    assert await _closed_within(reader, 4.0), "half-sent headers are not kept open"
    writer.close()
    reader, writer = await _connect(served)
    writer.write(_head(1000, SECRET) + b'{"update_id": ')  # the body stalls
    await writer.drain()
    assert await _closed_within(reader, 4.0), "a stalled body is not kept open"
    writer.close()


async def test_idle_connections_are_bounded_and_telegram_still_gets_in(served: int) -> None:
    idle = [await _connect(served) for _ in range(60)]
    await asyncio.sleep(0.3)
    closed = await asyncio.gather(*(_closed_within(reader, 0.5) for reader, _ in idle))
    assert sum(closed) >= 40, f"only {webhook.MAX_CONNECTIONS} idle connections are kept, not 60"
    for _, writer in idle:
        writer.close()
    await asyncio.sleep(0.2)
    async with httpx.AsyncClient() as client:
        update = {"update_id": 9, "message": {"message_id": 1, "date": 1764000000, "text": "/start",
                                              "chat": {"id": 7009, "type": "private", "first_name": "T"},
                                              "from": {"id": 7009, "is_bot": False, "first_name": "T"}}}
        response = await client.post(f"http://127.0.0.1:{served}/telegram", json=update,
                                     headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200

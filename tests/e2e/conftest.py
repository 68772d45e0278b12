"""The fake Bot API and a running bot (SQLite), shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.telegram.app import TelegramBot
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import start_bot


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi, sqlite_url: str) -> AsyncIterator[TelegramBot]:
    running = await start_bot(fake, sqlite_url)
    yield running
    await running.stop()

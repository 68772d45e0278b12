"""Through the real Application: a failing update's attempts are counted in its inbox row, so a
restarted bot goes on from the count the stopped one left and gives the update up at the same limit."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text

from bot.telegram.handler import UpdateHandler
from bot.telegram.retries import MAX_ATTEMPTS
from dialogs import service
from dialogs.events import Text
from storage.db import make_engine
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person, start_bot


def _row(url: str) -> Any:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            # the update that is still unprocessed, or the one given up (its content dropped)
            return conn.execute(text("SELECT update_id, attempts, processed_at, failed_at FROM inbox_update "
                                     "WHERE processed_at IS NULL OR failed_at IS NOT NULL "
                                     "ORDER BY update_id DESC LIMIT 1")).first()
    finally:
        engine.dispose()


async def _until(predicate: Any, timeout: float = 30.0) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_restart_goes_on_counting_where_the_stopped_bot_left(
    fake: FakeBotApi, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await start_bot(fake, sqlite_url)
    person = Person(fake, 5701, "en")
    await person.type("/start")
    tries: list[str] = []
    original = UpdateHandler._handle

    def failing(self: UpdateHandler, item: service.Incoming, at: datetime) -> Any:
        if item.event == Text("boom"):
            tries.append("boom")
            raise RuntimeError("a bug on our side")
        return original(self, item, at)

    monkeypatch.setattr(UpdateHandler, "_handle", failing)
    fake.send_text(5701, "boom")
    assert await _until(lambda: (r := _row(sqlite_url)) is not None and r.attempts >= 2)
    await first.stop()
    stopped = _row(sqlite_url)
    assert stopped.processed_at is None and stopped.failed_at is None, "not given up before the limit"
    assert stopped.attempts == len(tries) < MAX_ATTEMPTS, "every failure counted in the row, none in memory only"

    tries.clear()
    second = await start_bot(fake, sqlite_url)
    try:
        assert await _until(lambda: _row(sqlite_url).failed_at is not None)
        given_up = _row(sqlite_url)
        assert given_up.update_id == stopped.update_id
        assert given_up.attempts == MAX_ATTEMPTS, "the limit is the same across the restart"
        assert len(tries) == MAX_ATTEMPTS - stopped.attempts, "the restarted bot went on from the stored count"
    finally:
        await second.stop()

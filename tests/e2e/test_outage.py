"""Database outage: PostgreSQL connections are cut (by a TCP proxy between the bot and the server)
while people talk. Updates are not acknowledged until stored, and the bot recovers by itself."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.telegram.app import TelegramBot
from storage.db import transaction
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person, start_bot
from tests.unit.conversation import FORM1_SV

PERSONA = FORM1_SV | {"language": "en", "interpreter": "no"}


class Proxy:
    """A TCP proxy on 127.0.0.1 that can cut every connection and refuse new ones for a while."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.down = threading.Event()
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.down.set()
        with self.lock:
            conns, self.conns = self.conns, []
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def restore(self) -> None:
        self.down.clear()

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
async def proxied(fake: FakeBotApi, postgres_url: str) -> AsyncIterator[tuple[TelegramBot, Proxy]]:
    url = make_url(postgres_url)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    via = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    bot = await start_bot(fake, via)
    yield bot, proxy
    proxy.restore()
    await bot.stop()
    proxy.close()


async def test_the_bot_recovers_by_itself_and_loses_nothing(fake: FakeBotApi,
                                                            proxied: tuple[TelegramBot, Proxy]) -> None:
    bot, proxy = proxied
    person = Person(fake, 5501, "en")
    await person.answer_until(PERSONA, stop_at="moved_when")
    acked = fake.acked_offset()
    proxy.cut()
    for data in ("q:moved_when:lt_1m", "q:years_there:gt_5y", "q:had_support:yes"):
        fake.press(5501, data)
    await asyncio.sleep(3)
    assert fake.acked_offset() <= acked + 1, "updates are not acknowledged while they cannot be stored"
    assert person.open_question == "moved_when"
    proxy.restore()
    assert await asyncio.to_thread(fake.wait_for, lambda: person.open_question == "support_types", 40.0)
    await person.answer_until(PERSONA | {"moved_when": "lt_1m"})
    with transaction(bot.services.engine) as db:
        answers = db.execute(text("SELECT answers FROM referral")).scalar()
    answers = answers if isinstance(answers, dict) else json.loads(answers)
    assert (answers["moved_when"], answers["years_there"], answers["had_support"]) == ("lt_1m", "gt_5y", "yes")

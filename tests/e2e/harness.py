"""End-to-end helpers: the real bot (python-telegram-bot Application, our poller, the database) in
this event loop, and a person who talks to it through the fake Bot API, as a Telegram client would."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.settings import Settings
from bot.telegram.app import TelegramBot
from tests.e2e.fakebot import FakeBotApi

TOKEN = "123456:TEST-TOKEN"


def settings_for(fake: FakeBotApi, database_url: str, **extra: object) -> Settings:
    return Settings(telegram_token=TOKEN, telegram_api_url=fake.base_url, telegram_file_url=fake.base_file_url,
                    database_url=database_url, poll_timeout=1, **extra)  # type: ignore[arg-type]


_RUNNING: list[TelegramBot] = []  # bots started here: `settle` also waits until their work is done


def _bot_busy() -> bool:
    """Updates stored but not processed, or replies not yet sent, in any running bot's database."""
    from sqlalchemy import text

    for bot in list(_RUNNING):
        try:
            with bot.services.engine.connect() as conn:
                inbox = conn.execute(text("SELECT count(*) FROM inbox_update WHERE processed_at IS NULL")).scalar()
                # a row being sent holds a lease in the future, and is busy all the same: under load the call
                # can reach the fake Bot API well after the row was taken
                outbox = conn.execute(text("SELECT count(*) FROM outbox_message WHERE status = 'sending' "
                                           "OR (status = 'pending' AND (next_attempt_at IS NULL "
                                           "OR next_attempt_at <= CURRENT_TIMESTAMP))"))
                if inbox or outbox.scalar():
                    return True
        except Exception:  # noqa: BLE001 - a bot being stopped: not busy
            continue
    return False


async def start_bot(fake: FakeBotApi, database_url: str, **extra: object) -> TelegramBot:
    bot = TelegramBot(settings_for(fake, database_url, **extra))
    _RUNNING.append(bot)
    original_stop = bot.stop

    async def stop() -> None:
        if bot in _RUNNING:
            _RUNNING.remove(bot)
        await original_stop()

    bot.stop = stop  # type: ignore[method-assign]
    await bot.start(polling=True)
    return bot


class Person:
    """One Telegram user in a private chat with the bot."""

    def __init__(self, fake: FakeBotApi, user_id: int, language_code: str | None = "en") -> None:
        self.fake, self.user_id, self.language_code = fake, user_id, language_code

    def work_done(self) -> int:
        """How many calls the bot made that were not polling: every answer is at least one."""
        return sum(1 for name, _ in self.fake.calls if name not in ("getUpdates", "getMe"))

    async def settle(self, since: int | None = None) -> None:
        """Wait until the bot reacted (when `since` is given) and then went quiet."""
        if since is not None:
            reacted = await asyncio.to_thread(self.fake.wait_for, lambda: self.work_done() > since, 20.0)
            assert reacted, "the bot did not answer"
        for _ in range(100):
            assert await asyncio.to_thread(self.fake.wait_idle, 0.1, 20.0), "the bot did not settle"
            if not await asyncio.to_thread(_bot_busy):
                return
        raise AssertionError("the bot kept working")

    async def type(self, text: str) -> None:
        before = self.work_done()
        self.fake.send_text(self.user_id, text, language_code=self.language_code)
        await self.settle(before)

    async def press(self, data: str, message_id: int | None = None) -> None:
        if message_id is None:
            _, msg = self.fake.open_question(self.user_id)
            message_id = msg["message_id"] if msg and data in self.fake.keyboard(msg) else None
        before = self.work_done()
        self.fake.press(self.user_id, data, message_id=message_id, language_code=self.language_code)
        await self.settle(before)

    @property
    def open_question(self) -> str | None:
        return self.fake.open_question(self.user_id)[0]

    @property
    def buttons(self) -> list[str]:
        _, msg = self.fake.open_question(self.user_id)
        return self.fake.keyboard(msg)

    @property
    def texts(self) -> list[str]:
        return [m.get("text") or "" for m in self.fake.messages(self.user_id)]

    def last_text(self) -> str:
        msg = self.fake.last_message(self.user_id)
        return (msg or {}).get("text") or ""

    async def answer_until(self, persona: dict[str, Any], stop_at: str | None = None) -> None:
        """Answer the open questions from `persona` until `stop_at` is open (or the intake ends)."""
        await self.type("/start")
        for _ in range(120):
            qid = self.open_question
            if qid is None or qid == stop_at:
                return
            want = persona.get(qid)
            if qid == "summary":
                await self.press("q:summary:submit")
            elif isinstance(want, dict):
                await self.type(want["text"])
                await self.press(f"q:{qid}:{want['pick']}")
            elif isinstance(want, list):
                for choice in want:
                    await self.press(f"q:{qid}:{choice}")
                await self.press(f"q:{qid}:done")
            elif isinstance(want, str) and want.startswith("text:"):
                await self.type(want[5:])
                if qid == "account":
                    await self.press("q:account:done")
            elif want is None:
                raise AssertionError(f"unexpected question {qid}")
            else:
                await self.press(f"q:{qid}:{want}")
        raise AssertionError("too many steps")

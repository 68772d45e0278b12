"""Telegram failing, people flooding: replies still arrive once and in order, nobody waits on anybody."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import text

from bot.telegram.app import TelegramBot
from bot.telegram.flood import FLOOD_LIMIT
from storage.db import transaction
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person
from tests.unit.conversation import FORM1_SV

PERSONA = FORM1_SV | {"language": "en", "interpreter": "no"}


async def _arrives(fake: FakeBotApi, predicate: object, timeout: float = 15.0) -> bool:
    return await asyncio.to_thread(fake.wait_for, predicate, timeout)  # type: ignore[arg-type]


def _texts(fake: FakeBotApi, chat: int) -> list[str]:
    return [m.get("text") or "" for m in fake.messages(chat)]


async def test_server_errors_and_429_are_retried_and_the_reply_arrives_once(fake: FakeBotApi, bot: TelegramBot) -> None:
    person = Person(fake, 5401, "en")
    fake.fail_next("sendMessage", 2, error_code=502, description="Bad Gateway")
    await person.type("/start")
    assert await _arrives(fake, lambda: person.open_question == "language")
    fake.fail_next("sendMessage", 1, error_code=429, description="Too Many Requests: retry after 1", retry_after=1)
    await person.press("q:language:en")
    assert await _arrives(fake, lambda: person.open_question == "privacy")
    texts = _texts(fake, 5401)
    assert len(texts) == len(set(texts)), "nothing was sent twice"
    sends = [c for c in fake.calls_of("sendMessage") if int(c["chat_id"]) == 5401]
    assert len(sends) == len(texts) + 3, "two 502 and one 429 were retried"


async def test_a_refusal_for_good_is_not_retried(fake: FakeBotApi, bot: TelegramBot) -> None:
    person = Person(fake, 5402, "en")
    fake.fail_next("sendMessage", 1, error_code=403, description="Forbidden: bot was blocked by the user")
    await person.type("/start")
    await asyncio.sleep(1.5)
    assert not fake.messages(5402)
    assert len([c for c in fake.calls_of("sendMessage") if int(c["chat_id"]) == 5402]) == 1
    with transaction(bot.services.engine) as db:
        statuses = [r[0] for r in db.execute(text("SELECT status FROM outbox_message WHERE action = 'send'"))]
    assert statuses == ["failed"]


async def test_a_flood_is_asked_to_slow_down_loses_nothing_and_others_are_answered(
    fake: FakeBotApi, bot: TelegramBot
) -> None:
    flooder, other = Person(fake, 5403, "en"), Person(fake, 5404, "en")
    await flooder.answer_until(PERSONA, stop_at="account")
    await other.type("/start")
    lines = [f"line {i} of my story" for i in range(FLOOD_LIMIT + 15)]
    for line in lines:
        fake.send_text(5403, line)
    before = other.work_done()
    fake.press(5404, "q:language:en")
    await other.settle(before)
    assert other.open_question == "privacy", "the other person was answered during the flood"
    await flooder.settle()
    assert any("many messages very fast" in t for t in _texts(fake, 5403))
    assert sum("many messages very fast" in t for t in _texts(fake, 5403)) == 1, "said once"
    await flooder.press("q:account:done")
    assert flooder.open_question == "consent_contact"
    with transaction(bot.services.engine) as db:
        stored = [json.loads(r[0]) for r in db.execute(text("SELECT answers FROM intake"))]
    account = next(a["account"] for a in stored if "account" in a)
    assert [e["text"] for e in account] == lines, "every line of the story was kept, in order"

"""Telegram's limits counted as Telegram counts them, and the bot's memory per chat bounded (issue 15,
point 7): a text is cut or split in UTF-16 units (an emoji is two), so no message is refused as too long
and lost; the per-chat state the shell keeps in memory does not grow with every chat ever seen."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.telegram.app import TelegramBot
from storage import repo
from storage.db import transaction
from tests.e2e.fakebot import FakeBotApi, _utf16_len
from tests.e2e.harness import Person
from tests.unit.conversation import FORM1_SV


async def _reference(bot: TelegramBot, user: str) -> str:
    """The person's case reference, once the submission is stored (the chat may lag under load)."""
    for _ in range(100):
        with transaction(bot.services.engine) as db:
            person = repo.get_person(db, channel="telegram", external_id=user)
            intake = repo.get_intake(db, person_id=person.id) if person else None
            if intake is not None and intake.reference:
                return intake.reference
        await asyncio.sleep(0.1)
    raise AssertionError("no case was made")

CASEWORKER = 7201
STORY = "Vi fick flytta 😢 " + "😀" * 1990  # about 4,000 UTF-16 units: what Telegram lets a person send


async def test_a_story_in_emoji_reaches_the_caseworker_whole(fake: FakeBotApi, bot: TelegramBot) -> None:
    with transaction(bot.services.engine) as db:
        repo.add_staff(db, telegram_user_id=CASEWORKER, name="Anna", role="caseworker", languages=[],
                       now=datetime.now(UTC))
    person = Person(fake, 5601, "sv")
    await person.answer_until(FORM1_SV | {"account": "text:" + STORY})
    reference = await _reference(bot, "5601")
    anna = Person(fake, CASEWORKER, "sv")
    await anna.type(f"/case {reference}")
    texts = [m.get("text") or "" for m in fake.messages(CASEWORKER)]
    assert texts and all(_utf16_len(t) <= 4096 for t in texts)
    assert "😀" * 1990 in "".join(texts), "the whole story arrives, in as many messages as it takes"

"""Telegram's limits counted as Telegram counts them, and the bot's memory per chat bounded (issue 15,
point 7): a text is cut or split in UTF-16 units (an emoji is two), so no message is refused as too long
and lost; the per-chat state the shell keeps in memory does not grow with every chat ever seen."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from telegram import Update

from bot.telegram import flood, handler
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


async def test_the_flood_watch_forgets_quiet_chats(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(flood, "monotonic", lambda: clock[0])
    watch = flood.FloodWatch(None)  # type: ignore[arg-type]  # no chat floods here: no database needed
    for chat in range(5000):
        update = Update.de_json({"update_id": chat, "message": {
            "message_id": 1, "date": 0, "text": "hej", "chat": {"id": 10_000 + chat, "type": "private"},
            "from": {"id": 10_000 + chat, "is_bot": False, "first_name": "T"}}}, None)
        await watch.seen(str(10_000 + chat), update)
        clock[0] += 1.0  # one new chat a second: each is quiet again after the window
    held = len(watch._recent) + len(watch._told)
    assert held <= 2 * (flood.FLOOD_WINDOW + 1) + 1000, f"{held} chats held in memory after 5,000 came and went"


async def test_groups_told_once_are_remembered_within_a_bound(fake: FakeBotApi, bot: TelegramBot,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handler, "MAX_GROUPS", 5, raising=False)
    for group in range(12):
        person = Person(fake, 5800 + group, "sv")
        before = person.work_done()
        fake.send_text(5800 + group, "hej", chat_type="supergroup", chat_id=-(900 + group))
        await person.settle(before)
    assert len(bot.handler._answered_groups) <= 5
    assert len(bot.sender._locks) <= 1, "the sender holds no lock for chats it is not sending to"
    told = [g for g in range(12) if fake.messages(-(900 + g))]
    assert told == list(range(12)), "each group was told once that the bot works in private chats"

"""Staff in Telegram: the claim button in the staff chat, commands in a private chat, role checks,
and a staff chat that never sees personal data."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.staffcmd import COMMANDS
from bot.telegram.app import TelegramBot
from storage import repo
from storage.db import transaction
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person, start_bot
from tests.unit.conversation import FORM1_SV

STAFF_CHAT = -100555
STORY = "Socialsekreteraren Birgitta i Ljusdal sa att jag måste flytta"
PERSONA = FORM1_SV | {"account": "text:" + STORY, "contact": "phone", "contact_phone": "text:070-765 43 21",
                      "moved_from": {"text": "Ljusdal", "pick": "2161"}}


@pytest.fixture
async def bot(fake: FakeBotApi, sqlite_url: str) -> AsyncIterator[TelegramBot]:
    running = await start_bot(fake, sqlite_url, staff_chat_id=STAFF_CHAT)
    with transaction(running.services.engine) as db:
        repo.add_staff(db, telegram_user_id=7001, name="Anna Handläggare", role="caseworker", languages=[],
                       now=datetime.now(UTC))
        repo.add_staff(db, telegram_user_id=7002, name="Tigist Tolk", role="interpreter", languages=["ti"],
                       now=datetime.now(UTC))
    yield running
    await running.stop()


async def test_new_referral_is_announced_without_personal_data_and_claimed(fake: FakeBotApi, bot: TelegramBot) -> None:
    person = Person(fake, 5301, "sv")
    await person.answer_until(PERSONA)
    assert await asyncio.to_thread(fake.wait_for, lambda: bool(fake.messages(STAFF_CHAT)), 10.0)
    [notice] = fake.messages(STAFF_CHAT)
    reference = re.search(r"SOL-\d{4}-\d{4}", notice["text"]).group(0)
    assert fake.keyboard(notice) == [f"s:claim:{reference}"]
    for secret in ("Birgitta", "Ljusdal", "070", "765", "flytta", "5301", "Test"):
        assert secret not in notice["text"], secret
    # a stranger in the staff chat presses: nothing happens to the case
    stranger = Person(fake, 5999)
    before = stranger.work_done()
    fake.press(5999, f"s:claim:{reference}", message_id=notice["message_id"], chat_id=STAFF_CHAT)
    await stranger.settle(before)
    with transaction(bot.services.engine) as db:
        assert repo.get_referral(db, reference=reference).caseworker_id is None
    anna = Person(fake, 7001)
    before = anna.work_done()
    fake.press(7001, f"s:claim:{reference}", message_id=notice["message_id"], chat_id=STAFF_CHAT)
    await anna.settle(before)
    assert "Du har tagit" in fake.callback_answers[-1]["text"]
    assert fake.keyboard(fake.messages(STAFF_CHAT)[0]) == ["s:taken:-"]
    # the case in a private chat with the bot: here the details are shown
    await anna.type(f"/case {reference}")
    case = anna.last_text()
    assert reference in case and STORY in case and "Anna Handläggare" in case


async def test_people_without_the_role_get_the_unknown_command_answer(fake: FakeBotApi, bot: TelegramBot) -> None:
    unknown = ""
    for i, command in enumerate(sorted(COMMANDS)):
        if i % 10 == 0:  # a new stranger every ten commands: under the flood limit
            stranger = Person(fake, 5302 + i, "en")
            await stranger.type("/start")
            await stranger.type("/xyzzy")
            unknown = stranger.last_text()
        await stranger.type(f"/{command} SOL-2026-0001")
        assert stranger.last_text() == unknown, command
    interpreter = Person(fake, 7002, "en")
    await interpreter.type("/start")
    await interpreter.type("/xyzzy")
    unknown = interpreter.last_text()
    await interpreter.type("/queue")
    assert interpreter.last_text() == "Kön är tom.", "an interpreter's queue: the cases assigned to them"
    await interpreter.type("/claim SOL-2026-0001")
    assert interpreter.last_text() == "Inget ärende SOL-2026-0001.", "not their role: as if there were no case"

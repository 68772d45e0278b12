"""A press from a group never reaches a person's intake (issue 15, point 7): a person with a case who forged
an `s:claim:` press in a group used to have their stored chat moved to that group, where a caseworker's
later reply to them was posted."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from sqlalchemy import text

from bot.telegram.app import TelegramBot
from storage import repo
from storage.db import transaction
from tests.e2e.fakebot import BOT_USER, FakeBotApi
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

CASEWORKER, GROUP = 7301, -1009876543


def _forged_press(fake: FakeBotApi, user_id: int, data: str) -> None:
    message = {"message_id": 424242, "date": int(time.time()), "from": dict(BOT_USER),
               "chat": {"id": GROUP, "type": "supergroup", "title": "Group"}, "text": "…"}
    fake.send_update({"callback_query": {"id": "forged-1", "from": fake._user(user_id, "sv"),
                                         "chat_instance": "ci-group", "data": data, "message": message}})


async def test_a_claim_press_forged_from_a_group_does_not_move_the_persons_chat(fake: FakeBotApi,
                                                                                bot: TelegramBot) -> None:
    with transaction(bot.services.engine) as db:
        repo.add_staff(db, telegram_user_id=CASEWORKER, name="Anna", role="caseworker", languages=[],
                       now=datetime.now(UTC))
    person = Person(fake, 5701, "sv")
    await person.answer_until(FORM1_SV)
    reference = await _reference(bot, "5701")
    with bot.services.engine.connect() as conn:
        entries = conn.execute(text("SELECT count(*) FROM transcript_entry")).scalar_one()
    before = person.work_done()
    _forged_press(fake, 5701, f"s:claim:{reference}")
    await person.settle(before)
    with bot.services.engine.connect() as conn:
        chat = conn.execute(text("SELECT chat_id FROM person WHERE external_id = '5701'")).scalar_one()
        after = conn.execute(text("SELECT count(*) FROM transcript_entry")).scalar_one()
    assert chat == "5701", "the stored chat is still the person's private chat"
    assert after == entries, "the press never reached the intake"
    anna = Person(fake, CASEWORKER, "sv")
    await anna.type(f"/reply {reference} received")
    assert not [m for m in fake.messages(GROUP) if "SOL-" in (m.get("text") or "")], "nothing goes to the group"
    assert reference in fake.messages(5701)[-1]["text"], "the reply reaches the person's private chat"

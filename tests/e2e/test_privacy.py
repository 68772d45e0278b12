"""Quick exit and logs, through the real Application and the fake Bot API."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.cli import _logging
from bot.telegram.app import TelegramBot
from storage.db import transaction
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person
from tests.unit.conversation import FORM1_SV


async def test_exit_deletes_this_chat_only_and_loses_nothing(fake: FakeBotApi, bot: TelegramBot) -> None:
    ada, bea = Person(fake, 5201, "en"), Person(fake, 5202, "en")
    for person in (ada, bea):
        await person.answer_until(FORM1_SV | {"language": "en", "interpreter": "no"}, stop_at="moved_when")
    # Ada's first messages are older than Telegram's 48 hours: they can no longer be deleted
    old_bot_ids = [m["message_id"] for m in fake.messages(5201)[:2]]
    with transaction(bot.services.engine) as db:
        long_ago = datetime.now(UTC) - timedelta(hours=49)
        db.execute(text("UPDATE outbox_message SET sent_at = :t WHERE message_id IN (:a, :b)"),
                   {"t": long_ago, "a": old_bot_ids[0], "b": old_bot_ids[1]})
    ada_ids_before = {m["message_id"] for m in fake.messages(5201)}
    bea_before = fake.messages(5202)
    adas_own = {mid for chat, mid in fake._user_messages if chat == 5201}
    await ada.type("/exit")
    deletions = fake.calls_of("deleteMessages") + fake.calls_of("deleteMessage")
    assert deletions and all(int(c["chat_id"]) == 5201 for c in deletions)
    deleted = {int(i) for c in deletions for i in (c.get("message_ids") or [c.get("message_id")])}
    extra = deleted - ada_ids_before - adas_own
    assert len(extra) == 1 and max(deleted) in extra, "only messages of Ada's chat, and her /exit"
    assert deleted & adas_own, "what Ada wrote goes too"
    assert not deleted & set(old_bot_ids), "messages older than 48 hours are not asked for"
    assert deleted & ada_ids_before, "the bot's recent messages are deleted"
    remaining = fake.messages(5201)
    assert [m["text"] for m in remaining if m["message_id"] not in old_bot_ids] == ["OK"]
    assert fake.messages(5202) == bea_before, "another person's chat is untouched"
    await ada.type("/start")
    assert ada.open_question == "moved_when", "nothing stored was lost"


async def test_logs_hold_no_answers_names_or_phone_numbers(
    fake: FakeBotApi, bot: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    _logging("DEBUG")  # the most talkative setting a municipality could choose
    caplog.set_level(logging.DEBUG)
    story = "Min hyresvärd Karin Andersson sa att jag måste flytta"
    persona = FORM1_SV | {"account": "text:" + story, "contact": "phone", "contact_phone": "text:070-765 43 21",
                          "moved_from": {"text": "Ljusdall", "pick": "2161"}}
    person = Person(fake, 4242424, "sv")  # an id no update or message id can contain
    await person.answer_until(persona)
    await person.type("/mydata")
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "update handled" in logged, "the bot did log"
    for secret in ("Karin", "Andersson", "hyresvärd", "070-765", "707654321", "Ljusdall", "Test", "4242424"):
        assert secret not in logged, secret

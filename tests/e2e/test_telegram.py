"""The whole intake through the real python-telegram-bot Application and a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from bot.telegram.app import TelegramBot
from casework import queue
from storage.db import make_engine, transaction
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person, settings_for, start_bot
from tests.unit.conversation import FORM1_SV

LOW_EN: dict[str, Any] = {
    "language": "en", "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"],
    "moved_from": {"text": "umea", "pick": "2480"}, "moved_when": "3_12m", "years_there": "gt_5y",
    "had_support": "no", "establishment": "ongoing", "lease_type": "first_hand", "lease_ended": "own_choice",
    "pushed_how": ["none"], "understood": "own_wish", "receiving_contacted": "no", "household": "children",
    "children_count": "text:2", "housing_now": "own_lease", "housing_problems": ["too_small"],
    "rent_ability": "no", "landlord_checked": "yes", "wish": "stay_with_support", "account": "skip",
    "consent_contact": "no", "consent_home_visit": "yes", "contact": "telegram", "guardian": "no",
    "interpreter": "no",
}


def _export(url: str) -> list[dict[str, Any]]:
    engine = make_engine(url)
    with transaction(engine) as db:
        return queue.export(db)


async def test_full_intake_in_swedish_lands_in_the_queue(fake: FakeBotApi, bot: TelegramBot, sqlite_url: str) -> None:
    anna = Person(fake, 5001, "sv")
    await anna.answer_until(FORM1_SV)
    assert anna.open_question is None
    reference = re.search(r"SOL-\d{4}-\d{4}", anna.last_text())
    assert reference, anna.last_text()
    [item] = _export(sqlite_url)
    assert item["reference"] == reference.group(0)
    assert item["language"] == "sv"
    assert item["assessment"]["level"] == "high" and item["assessment"]["forms"] == [1]
    assert item["answers"]["moved_from"] == "2161"
    # answered questions lost their keyboards and show the answer
    answered = [m for m in fake.messages(5001) if "✓" in (m.get("text") or "")]
    assert answered and all("reply_markup" not in m for m in answered)
    assert not fake.unknown_methods
    # every press was answered
    presses = sum(1 for name, _ in fake.calls if name == "answerCallbackQuery")
    assert presses == len(fake.callback_answers) > 20


async def test_full_intake_in_english_with_bad_input_on_the_way(
    fake: FakeBotApi, bot: TelegramBot, sqlite_url: str
) -> None:
    ben = Person(fake, 5002, "en")
    await ben.answer_until(LOW_EN, stop_at="moved_when")
    assert ben.open_question == "moved_when"
    answers_before = len(fake.callback_answers)
    await ben.press("q:wish:return")  # an old or forged button: a notice, nothing changes
    assert ben.open_question == "moved_when"
    assert len(fake.callback_answers) == answers_before + 1
    assert fake.callback_answers[-1].get("text")
    for bad in ("I don't know what to press", "😀", "x\x00y", "a" * 4000, "\u200f"):
        await ben.type(bad)
        assert ben.open_question == "moved_when"
    for send_media in (fake.send_sticker, fake.send_photo, fake.send_voice):
        before = ben.work_done()
        send_media(5002)
        await ben.settle(before)
        assert ben.open_question == "moved_when"
    await ben.type("/nonsense")
    assert ben.open_question == "moved_when"
    await ben.press("q:moved_when:3_12m")
    await ben.answer_until(LOW_EN)
    [item] = _export(sqlite_url)
    a = item["assessment"]
    assert (a["level"], a["forms"], a["likely_dumping"]) == ("low", [], False)
    assert set(a["actions"]) == {"economic_assistance_assessment", "home_visit"}
    assert item["answers"]["children_count"] == 2 and item["answers"]["account"] == "skipped"
    assert item["answers"]["moved_from"] == "2480"


async def test_restart_of_the_bot_continues_at_the_same_question(fake: FakeBotApi, sqlite_url: str) -> None:
    bot = await start_bot(fake, sqlite_url)
    cleo = Person(fake, 5003, "en")
    await cleo.answer_until(LOW_EN, stop_at="lease_type")
    assert cleo.open_question == "lease_type"
    await bot.stop()
    # a message arrives while the bot is down; the new process takes it from Telegram
    before = cleo.work_done()
    fake.press(5003, "q:lease_type:first_hand")
    bot = await start_bot(fake, sqlite_url)
    try:
        await cleo.settle(before)
        assert cleo.open_question == "lease_ended"
        await cleo.type("hello?")  # anything else gets the open question again
        assert cleo.open_question == "lease_ended"
        await cleo.answer_until(LOW_EN)
    finally:
        await bot.stop()
    [item] = _export(sqlite_url)
    assert item["answers"]["lease_type"] == "first_hand" and item["answers"]["had_support"] == "no"


async def test_group_messages_get_one_answer_and_nothing_is_stored(
    fake: FakeBotApi, bot: TelegramBot, sqlite_url: str
) -> None:
    person = Person(fake, 6001)
    before = person.work_done()
    fake.send_text(6001, "/start", chat_type="group", chat_id=-100123)
    fake.send_text(6001, "hello", chat_type="group", chat_id=-100123)
    await person.settle(before)
    group = fake.messages(-100123)
    assert len(group) == 1 and "private" in group[0]["text"]
    from sqlmodel import select

    from storage.models import Person as PersonRow

    engine = make_engine(sqlite_url)
    with transaction(engine) as db:
        assert db.exec(select(PersonRow)).first() is None


async def test_updates_are_stored_before_they_are_acknowledged(fake: FakeBotApi, sqlite_url: str) -> None:
    """Kill the processing before it runs: the update must still be in the inbox for the next start."""
    bot = TelegramBot(settings_for(fake, sqlite_url))
    bot.processor.process_pending = _never  # type: ignore[method-assign]
    await bot.start(polling=True)
    fake.send_text(5004, "/start")
    assert await asyncio.to_thread(fake.wait_for, lambda: fake.acked_offset() > 0, 10)
    await bot.stop()
    assert not fake.messages(5004)
    bot = await start_bot(fake, sqlite_url)
    try:
        person = Person(fake, 5004)
        assert await asyncio.to_thread(fake.wait_for, lambda: bool(fake.messages(5004)), 20.0)
        await person.settle()
        assert person.open_question == "language"
    finally:
        await bot.stop()


async def _never() -> int:
    return 0


@pytest.mark.parametrize(
    ("lang", "script", "typed"),
    [
        pytest.param("ar", "\u0600-\u06ff", "ستوكهولم", id="Arabic"),
        pytest.param("ti", "\u1200-\u137f", "ስቶክሆልም", id="Tigrinya"),
    ],
)
async def test_full_intake_in_another_script(
    fake: FakeBotApi, bot: TelegramBot, sqlite_url: str, lang: str, script: str, typed: str
) -> None:
    person = Person(fake, 5100, lang)
    persona = FORM1_SV | {"language": lang, "interpreter": "yes", "moved_from": {"text": typed, "pick": "0180"},
                          "account": "text:" + typed}
    await person.answer_until(persona)
    texts = person.texts
    questions = [t for t in texts if "✓" in t]
    assert all(re.search(f"[{script}]", t) for t in questions[1:]), "every answered question is in the language"
    [item] = _export(sqlite_url)
    assert item["language"] == lang and item["answers"]["interpreter"] == "yes"
    assert item["answers"]["moved_from"] == "0180"
    final = person.last_text()
    assert item["reference"] in final
    if lang == "ar":
        assert f"\u2068{item['reference']}\u2069" in final, "the reference is isolated in right-to-left text"

"""Through the real Application: a group message, a flood and an error on our side reach the person in
the language they chose, not in Telegram's and not in English."""

from __future__ import annotations

import asyncio

from bot.telegram.app import FLOOD_LIMIT, TelegramBot
from dialogs.events import Text
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person


async def _arrives(fake: FakeBotApi, predicate: object, timeout: float = 20.0) -> bool:
    return await asyncio.to_thread(fake.wait_for, predicate, timeout)  # type: ignore[arg-type]


def _texts(fake: FakeBotApi, chat: int) -> list[str]:
    return [m.get("text") or "" for m in fake.messages(chat)]


async def test_a_group_message_is_answered_in_the_language_the_person_chose(fake: FakeBotApi,
                                                                            bot: TelegramBot) -> None:
    olena = Person(fake, 5601, "en")  # Telegram says English; she chose Ukrainian
    await olena.type("/start")
    await olena.press("q:language:uk")
    fake.send_text(5601, "привіт", language_code="en", chat_type="group", chat_id=-777)
    assert await _arrives(fake, lambda: _texts(fake, -777))
    assert _texts(fake, -777) == ["Я працюю лише в особистих чатах. Будь ласка, напишіть мені напряму, а не в групі."]


async def test_a_flood_notice_before_any_language_is_in_telegrams(fake: FakeBotApi, bot: TelegramBot) -> None:
    for i in range(FLOOD_LIMIT + 3):
        fake.send_text(5602, f"/help {i}", language_code="ti")
    slow_down = "ብዙሕ መልእኽትታት ብቕልጡፍ ትልእኹ ኣለኹም። በጃኹም ቁሩብ ተጸበዩ፣ ድሕሪኡ ቀጽሉ።"
    assert await _arrives(fake, lambda: slow_down in _texts(fake, 5602), 30)


async def test_an_update_that_keeps_failing_is_given_up_with_an_apology_in_the_persons_language(
    fake: FakeBotApi, bot: TelegramBot
) -> None:
    amal = Person(fake, 5603, "en")
    await amal.type("/start")
    await amal.press("q:language:ar")
    original = bot._handle

    def failing(item, now):  # type: ignore[no-untyped-def]
        if item.event == Text("boom"):
            raise RuntimeError("a bug on our side")
        return original(item, now)

    bot._handle = failing  # type: ignore[method-assign]
    fake.send_text(5603, "boom", language_code="en")
    assert await _arrives(fake, lambda: any("عذرًا" in t for t in _texts(fake, 5603)), 40)
    apology = next(t for t in _texts(fake, 5603) if "عذرًا" in t)
    assert "أرسلها مرة أخرى" in apology or "إرسالها مرة أخرى" in apology
    bot._handle = original  # type: ignore[method-assign]
    await amal.press("q:privacy:continue")
    assert amal.open_question == "consent_store", "the conversation goes on after the apology"

"""Per-person file quotas after submission (issue 15, point 6): files beyond the day's count or size are not
downloaded, and the person is told once, politely, in their language. Forty 1 MB documents used to be
stored, every one."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from bot.telegram.app import TelegramBot
from casework import quotas
from dialogs import prompts
from dialogs.i18n import render
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person
from tests.e2e.test_interpreting import _fetch, _files, _intake

MB = 1024 * 1024


def _documents(fake: FakeBotApi, person: Person, count: int, size: int) -> None:
    for i in range(count):
        content = bytes([i % 251]) * size
        file_id, unique_id = fake._new_file(content, f"sida-{i}.pdf")
        document = {"file_id": file_id, "file_unique_id": unique_id, "file_name": f"sida-{i}.pdf",
                    "mime_type": "application/pdf", "file_size": size}
        fake.send_update({"message": fake._user_message(person.user_id, "ar", document=document)})


async def _all_fetched(bot: TelegramBot, person: Person, expected: int) -> Counter[str]:
    for _ in range(100):
        await _fetch(bot, person)
        statuses = Counter(status for _, status, _ in _files(bot))
        if sum(statuses.values()) == expected and not statuses["pending"] and not statuses["new"]:
            return statuses
        await asyncio.sleep(0.1)
    raise AssertionError(_files(bot))


def _told(fake: FakeBotApi, person: Person) -> int:
    notice = render(prompts.FILES_OVER_QUOTA, "ar")
    return sum(1 for m in fake.messages(person.user_id) if (m.get("text") or "") == notice)


async def test_forty_documents_in_a_day_are_not_all_kept(fake: FakeBotApi, bot: TelegramBot) -> None:
    person, _ = await _intake(fake, bot, 5501)  # a voice message and a photo came with the account
    before = person.work_done()
    _documents(fake, person, 40, 1000)
    await person.settle(before)
    statuses = await _all_fetched(bot, person, 42)
    assert statuses["stored"] == quotas.FILES_PER_DAY, statuses
    assert statuses["over_quota"] == 42 - quotas.FILES_PER_DAY, statuses
    assert _told(fake, person) == 1, "told once, in Arabic"


async def test_a_days_bytes_are_capped(fake: FakeBotApi, bot: TelegramBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quotas, "FILE_BYTES_PER_DAY", 3 * MB)  # so that a few 1 MB files reach it
    person, _ = await _intake(fake, bot, 5502)
    before = person.work_done()
    _documents(fake, person, 5, MB)
    await person.settle(before)
    statuses = await _all_fetched(bot, person, 7)
    assert statuses["stored"] == 2 + 2 and statuses["over_quota"] == 3, statuses
    assert _told(fake, person) == 1

"""No update, however malformed, stops polling, and no log line carries an update's content (issue 15,
point 2). A batch holding a person's message and an update python-telegram-bot cannot parse used to end
the polling task for good and log the whole batch, the person's text and phone number included, at
CRITICAL ("Error while parsing updates")."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import text

from bot.cli import _logging
from bot.telegram.app import TelegramBot
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person

SECRET = "Mitt nummer är 0709876543, jag bor hos Kerstin Ölund"


def _unparsable(fake: FakeBotApi, user_id: int) -> dict:
    """A message whose poll lacks every field Telegram always sends: python-telegram-bot cannot parse it."""
    return {"message": {"message_id": 990001, "date": int(time.time()), "from": fake._user(user_id),
                        "chat": {"id": user_id, "type": "private", "first_name": "Test"},
                        "poll": {"id": "5", "question": SECRET}}}


async def test_an_unparsable_update_is_stored_marked_failed_and_polling_goes_on(
    fake: FakeBotApi, bot: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    _logging("DEBUG")  # the most talkative setting a municipality could choose
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="telegram")  # even python-telegram-bot's own request lines
    ada = Person(fake, 6101, "sv")
    before = ada.work_done()
    # one getUpdates batch: the broken update between two messages of the person
    fake.send_text(6101, "/start", language_code="sv")
    bad_id = fake.send_update(_unparsable(fake, 6101))
    fake.send_text(6101, SECRET, language_code="sv")
    await ada.settle(before)
    assert ada.open_question == "language", "the person's messages around the broken update were handled"
    await ada.press("q:language:sv")
    assert ada.open_question == "privacy", "polling goes on"
    assert fake.acked_offset() > bad_id, "the broken update was acknowledged"
    with bot.services.engine.connect() as conn:
        row = conn.execute(text("SELECT processed_at, failed_at, attempts, payload FROM inbox_update "
                                "WHERE update_id = :u"), {"u": bad_id}).one()
    assert row.processed_at is not None and row.failed_at is not None and row.attempts == 1
    assert row.payload is None, "its content is not kept"
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''} {r.__dict__}" for r in caplog.records)
    assert "update could not be read" in logged, "the failure is logged, by id"
    for piece in ("0709876543", "Kerstin", "Ölund", "\\u00d6lund"):
        assert piece not in logged, f"a log line carries the update's content: {piece}"


async def test_library_log_lines_never_carry_content_at_any_level(
    fake: FakeBotApi, bot: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("telegram", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)  # restored after the test
    bea = Person(fake, 6102, "sv")
    await bea.type("/start")
    await bea.press("q:language:sv")
    await bea.type(SECRET)
    library = [r for r in caplog.records if r.name.split(".")[0] in ("telegram", "httpx", "httpcore")]
    assert library, "the libraries did log"
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in library)
    for piece in ("0709876543", "Kerstin", "Ölund", "\\u00d6lund", "TEST-TOKEN"):
        assert piece not in logged, f"a library log line carries content: {piece}"


async def test_the_librarys_own_parse_error_line_carries_no_content(fake: FakeBotApi,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    """Should anything still call Bot.get_updates: its CRITICAL "Error while parsing updates" line keeps its
    wording, and loses the batch it used to print."""
    from telegram import Bot

    from bot.logs import redact_libraries
    from tests.e2e.harness import TOKEN

    redact_libraries()
    caplog.set_level(logging.DEBUG)
    fake.send_update(_unparsable(fake, 6103))
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as plain:
        with pytest.raises(Exception):  # noqa: B017 - whatever the library raises, the log is the point
            await plain.get_updates(timeout=0)
    [line] = [r for r in caplog.records if "Error while parsing updates" in r.getMessage()]
    assert line.levelno == logging.CRITICAL
    shown = f"{line.getMessage()} {line.exc_text or ''}"
    assert "0709876543" not in shown and "Kerstin" not in shown and "Received data was '‹redacted›'" in shown

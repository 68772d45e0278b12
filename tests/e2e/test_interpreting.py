"""Interpreters and the transcript through the real Application and the fake Bot API: a full Arabic intake
with a voice message and a photo, the files fetched, who may read the transcript, translating line by line
in a private chat (also across a restart), verifying, a standard reply, and a file that is too large."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from bot.telegram.app import TelegramBot
from bot.telegram.files import fetch_pending_files
from bot.telegram.staff import forget_translators
from casework import commands
from casework.permissions import Actor, Shell
from casework.transcript import to_json
from dialogs import prompts
from dialogs.i18n import render
from dialogs.staffside import STAFF_SIDE
from storage import interpreting as store
from storage import repo
from storage.db import transaction
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person, start_bot
from tests.unit.conversation import FORM1_SV

STORY = "قالوا لي إنني يجب أن أنتقل إلى سوليفتيو"
PERSONA = FORM1_SV | {"language": "ar", "interpreter": "yes"}
CASEWORKER, INTERPRETER, OTHER_INTERPRETER = 7101, 7102, 7103


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi, sqlite_url: str) -> AsyncIterator[TelegramBot]:
    forget_translators()
    running = await start_bot(fake, sqlite_url)
    with transaction(running.services.engine) as db:
        now = datetime.now(UTC)
        repo.add_staff(db, telegram_user_id=CASEWORKER, name="Anna Handläggare", role="caseworker", languages=[],
                       now=now)
        repo.add_staff(db, telegram_user_id=INTERPRETER, name="Omar Tolk", role="interpreter", languages=["ar"],
                       now=now)
        repo.add_staff(db, telegram_user_id=OTHER_INTERPRETER, name="Lina Tolk", role="interpreter",
                       languages=["ar"], now=now)
    yield running
    await running.stop()


async def _media(person: Person, send: Any) -> None:
    before = person.work_done()
    send(person.user_id)
    await person.settle(before)


async def _fetch(bot: TelegramBot, person: Person) -> int:
    """What the processing loop does once the hook is in: fetch the files, then send what that queued."""
    settled = await fetch_pending_files(bot.application.bot, bot.services.engine, bot.services.run_db)
    await bot.sender.flush()
    await person.settle()
    return settled


def _files(bot: TelegramBot) -> list[tuple[str, str, int]]:
    with transaction(bot.services.engine) as db:
        return [tuple(r) for r in db.exec(text("SELECT kind, status, attempts FROM stored_file ORDER BY id")).all()]


async def _fetched(bot: TelegramBot, person: Person, expected: list[tuple[str, str, int]]) -> None:
    """Fetch until the files are as expected (the processing loop may be fetching them too)."""
    for _ in range(50):
        await _fetch(bot, person)
        if _files(bot) == expected:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(_files(bot))


async def _intake(fake: FakeBotApi, bot: TelegramBot, user: int) -> tuple[Person, str]:
    person = Person(fake, user, "ar")
    await person.answer_until(PERSONA, stop_at="account")
    await person.type(STORY)
    await _media(person, fake.send_voice)
    await _media(person, fake.send_photo)
    await person.press("q:account:done")
    await person.answer_until(PERSONA)
    reference = re.search(r"SOL-\d{4}-\d{4}", person.last_text())
    assert reference, person.last_text()
    return person, reference.group(0)


def _transcript(bot: TelegramBot, reference: str) -> list[dict[str, Any]]:
    with transaction(bot.services.engine) as db:
        admin = repo.get_staff(db, telegram_user_id=9990) or repo.add_staff(
            db, telegram_user_id=9990, name="Ada Admin", role="admin", languages=[], now=datetime.now(UTC))
        result = commands.execute(db, commands.ShowTranscript(reference), actor=Actor(admin.id, Shell.CLI),
                                  now=datetime.now(UTC), conversation=STAFF_SIDE)
    return to_json(result.data)


def _sent_files(fake: FakeBotApi, chat: int) -> list[dict[str, Any]]:
    return [m for m in fake.messages(chat) if m.get("document") or m.get("voice") or m.get("photo")]


def _file_bytes(fake: FakeBotApi, message: dict[str, Any]) -> bytes | None:
    item = message.get("voice") or message.get("document") or message["photo"][-1]
    return fake.file_content(item["file_id"])


async def test_a_full_intake_with_voice_and_photo_is_in_the_transcript_in_order(fake: FakeBotApi,
                                                                               bot: TelegramBot) -> None:
    person, reference = await _intake(fake, bot, 5401)
    await person.type("رسالة جديدة بعد الإرسال")
    await _media(person, lambda uid: fake.send_document(uid, "brev.pdf"))
    await _fetched(bot, person, [("voice", "stored", 0), ("photo", "stored", 0), ("document", "stored", 0)])
    lines = _transcript(bot, reference)
    with transaction(bot.services.engine) as db:
        entries = repo.transcript(db, person_id=repo.get_referral(db, reference=reference).person_id)
    assert [ln["n"] for ln in lines] == list(range(1, len(entries) + 1))
    assert [ln["time"] for ln in lines] == sorted(ln["time"] for ln in lines)
    mine = [ln for ln in lines if ln["translation"] == {"status": "missing"}]
    assert [ln["kind"] for ln in mine] == ["text", "voice", "photo", "text", "document"], "in the order sent"
    assert mine[0]["text"] == STORY
    for ln in mine[1:3] + mine[4:]:
        [f] = ln["files"]
        assert f["status"] == "stored" and f["size"] and len(f["sha256"]) == 64
    voice = mine[1]["files"][0]
    with transaction(bot.services.engine) as db:
        entry_id = next(e.id for e in entries if e.kind == "voice")
        content = store.file_content(db, entry_id=entry_id)
    assert content and hashlib.sha256(content).hexdigest() == voice["sha256"] and voice["mime"] == "audio/ogg"
    assert mine[4]["files"][0]["file_name"] == "brev.pdf"
    for ln in lines:
        if ln["direction"] == "out":
            assert ln["text"] and ln["text_sv"], ln
    assert await _fetch(bot, person) == 0, "nothing is fetched twice"


async def test_who_may_read_the_transcript(fake: FakeBotApi, bot: TelegramBot) -> None:
    _, reference = await _intake(fake, bot, 5402)
    anna, omar, lina = Person(fake, CASEWORKER), Person(fake, INTERPRETER), Person(fake, OTHER_INTERPRETER)
    stranger = Person(fake, 5499)
    await anna.type(f"/assign {reference} {INTERPRETER}")
    assert "tolk Omar Tolk" in anna.last_text()
    await stranger.type("/start")
    await stranger.type("/xyzzy")
    unknown = stranger.last_text()
    await stranger.type(f"/transcript {reference}")
    assert stranger.last_text() == unknown, "not staff: the same answer as an unknown command"
    await lina.type("/transcript SOL-2026-9999")
    missing = lina.last_text()
    await lina.type(f"/transcript {reference}")
    assert lina.last_text() == missing.replace("SOL-2026-9999", reference), "not her case: as if there were none"
    for someone in (lina, stranger):
        assert not _sent_files(fake, someone.user_id)
    for allowed in (omar, anna):
        await allowed.type(f"/transcript {reference}")
        [document] = _sent_files(fake, allowed.user_id)
        html = _file_bytes(fake, document).decode()
        assert document["document"]["file_name"] == f"transkript-{reference}.html"
        assert '<td lang="ar" dir="rtl">' in html and STORY in html and '<th lang="sv">Svenska</th>' in html
    with transaction(bot.services.engine) as db:
        reads = repo.case_reads(db, referral_id=repo.get_referral(db, reference=reference).id)
        staff = {s.telegram_user_id: s.id for s in repo.list_staff(db)}
    assert [(r.actor, r.command, r.shell) for r in reads] == [
        (f"staff:{staff[INTERPRETER]}", "transcript", "telegram"), (f"staff:{staff[CASEWORKER]}", "transcript",
                                                                    "telegram")]


async def test_an_interpreter_translates_line_by_line_then_verifies(fake: FakeBotApi, sqlite_url: str,
                                                                   bot: TelegramBot) -> None:
    person, reference = await _intake(fake, bot, 5403)
    await _fetched(bot, person, [("voice", "stored", 0), ("photo", "stored", 0)])
    anna, omar = Person(fake, CASEWORKER), Person(fake, INTERPRETER)
    await anna.type(f"/assign {reference} {INTERPRETER}")
    await omar.type(f"/translate {reference}")
    assert STORY in omar.last_text() and "rad" in omar.last_text()
    await omar.type("De sa att jag måste flytta till Sollefteå")
    assert "utkast sparat" in omar.texts[-1] or "utkast sparat" in omar.texts[-2]
    [voice] = _sent_files(fake, INTERPRETER)
    with transaction(bot.services.engine) as db:
        entries = repo.transcript(db, person_id=repo.get_referral(db, reference=reference).person_id)
        voice_entry = next(e for e in entries if e.kind == "voice")
    assert _file_bytes(fake, voice) == fake.file_content(voice_entry.data["file_id"]), "the voice message itself"
    # the bot restarts while the photo's line is open: the interpreter's next message still lands there
    await bot.stop()
    forget_translators()
    bot2 = await start_bot(fake, sqlite_url)
    try:
        await omar.type("Jag talar in min berättelse.")
        assert len(_sent_files(fake, INTERPRETER)) == 2, "then the photo"
        await omar.type("Ett brev från kommunen om uppsägning.")
        assert "Allt i" in omar.last_text()
        lines = [ln for ln in _transcript(bot2, reference) if ln["translation"]]
        assert [ln["translation"]["status"] for ln in lines] == ["draft"] * 3
        assert lines[1]["kind"] == "voice" and lines[1]["text_sv"] == "Jag talar in min berättelse."
        await omar.type(f"/verify {reference}")
        assert "3 översättningar verifierade" in omar.last_text()
        for ln in [ln for ln in _transcript(bot2, reference) if ln["translation"]]:
            assert ln["translation"]["status"] == "verified" and ln["translation"]["verified_by"] == "Omar Tolk"
            assert ln["translation"]["verified_at"]
        await anna.type(f"/case {reference}")
        case = anna.last_text()
        assert "De sa att jag måste flytta till Sollefteå" in case and "verifierad av Omar Tolk" in case
        # after the last line the plain messages of the interpreter are their own again
        before = len(fake.messages(person.user_id))
        await omar.type("hej")
        assert "utkast" not in omar.last_text()
        assert len(fake.messages(person.user_id)) == before
    finally:
        await bot2.stop()


async def test_a_standard_reply_arrives_in_the_persons_language(fake: FakeBotApi, bot: TelegramBot) -> None:
    person, reference = await _intake(fake, bot, 5404)
    anna = Person(fake, CASEWORKER)
    before = person.work_done()
    await anna.type(f"/reply {reference} call 0620-68 21 00")
    assert "skickat till personen på arabiska" in anna.last_text()
    assert await asyncio.to_thread(fake.wait_for, lambda: person.work_done() > before, 10.0)
    await person.settle()
    expected = render(prompts.STANDARD_REPLIES["call"].with_params(phone="0620-68 21 00"), "ar")
    assert person.last_text() == f"{render(prompts.caseworker_header(reference), 'ar')}\n\n{expected}"
    assert "\u20680620-68 21 00\u2069" in person.last_text(), "the number keeps its place in Arabic"


async def test_a_file_too_large_is_answered_politely(fake: FakeBotApi, bot: TelegramBot) -> None:
    person, reference = await _intake(fake, bot, 5405)
    await _fetched(bot, person, [("voice", "stored", 0), ("photo", "stored", 0)])
    big = {"file_id": "BQACAgQAAxkBBIGFILEfake", "file_unique_id": "AgADBIG", "file_name": "skanning.pdf",
           "mime_type": "application/pdf", "file_size": 25 * 1024 * 1024}
    before = person.work_done()
    fake.send_update({"message": fake._user_message(person.user_id, "ar", document=big)})
    await person.settle(before)
    await _fetched(bot, person, [("voice", "stored", 0), ("photo", "stored", 0), ("document", "too_large", 0)])
    assert person.last_text() == render(prompts.FILE_TOO_LARGE, "ar")
    assert not [c for c in fake.calls_of("getFile") if c.get("file_id") == big["file_id"]], "not even asked for"
    [line] = [ln for ln in _transcript(bot, reference) if ln["files"] and ln["files"][0]["status"] == "too_large"]
    assert line["files"][0]["file_name"] == "skanning.pdf"


async def test_a_failed_download_is_tried_again_and_a_stray_photo_is_not_kept(fake: FakeBotApi,
                                                                             bot: TelegramBot) -> None:
    fake.fail_next("getFile", times=2, error_code=502)  # the first try of each file fails
    person, _ = await _intake(fake, bot, 5406)
    await _fetched(bot, person, [("voice", "pending", 1), ("photo", "pending", 1)])
    with transaction(bot.services.engine) as db:
        db.exec(text("UPDATE stored_file SET next_attempt_at = NULL"))  # as if the back-off had passed
    await _fetched(bot, person, [("voice", "stored", 1), ("photo", "stored", 1)])
    # someone still at the first questions sends a photo: the intake does not take it, nothing is kept
    stranger = Person(fake, 5407, "ar")
    await stranger.type("/start")
    await _media(stranger, fake.send_photo)
    await _fetched(bot, stranger, [("voice", "stored", 1), ("photo", "stored", 1), ("photo", "not_kept", 0)])

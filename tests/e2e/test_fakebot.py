"""Tests of the fake Bot API itself, driven by python-telegram-bot's real Bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.e2e.fakebot import FakeBotApi

TOKEN = "123:ABC"


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(token=TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


def _keyboard(*datas: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d)] for d in datas])


async def test_get_me(bot: Bot, fake: FakeBotApi) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "fake_bot"
    assert bot.username == "fake_bot"
    assert fake.calls_of("GETME")
    assert fake.unknown_methods == set()


async def test_get_updates_offset_acknowledges(bot: Bot, fake: FakeBotApi) -> None:
    first = fake.send_text(42, "/start hello", language_code="sv")
    second = fake.send_text(42, "plain text")
    assert second == first + 1 and fake.pending() == 2

    updates = await bot.get_updates(timeout=0, limit=1)
    assert [u.update_id for u in updates] == [first]
    msg = updates[0].message
    assert msg.text == "/start hello" and msg.from_user.language_code == "sv"
    assert msg.entities[0].type == "bot_command" and msg.entities[0].length == len("/start")
    assert fake.pending() == 2  # fetched, not acknowledged

    updates = await bot.get_updates(offset=first + 1, timeout=0)
    assert [u.update_id for u in updates] == [second]
    assert fake.acked_offset() == first + 1 and fake.pending() == 1

    assert await bot.get_updates(offset=second + 1, timeout=1) == ()
    assert fake.acked_offset() == second + 1 and fake.pending() == 0


async def test_keyboard_edits_and_callback_answers(bot: Bot, fake: FakeBotApi) -> None:
    sent = await bot.send_message(42, "Where do you live?", reply_markup=_keyboard("q:home:a", "q:home:b"))
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "q:home:a"
    [stored] = fake.messages(42)
    assert fake.keyboard(stored) == ["q:home:a", "q:home:b"]
    assert fake.open_question(42) == ("home", stored)
    assert fake.open_question(43) == (None, None)

    # the user presses a button: the query carries the message as it is now
    fake.press(42, "q:home:b", message_id=sent.message_id)
    [update] = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query.data == "q:home:b" and query.message.message_id == sent.message_id
    assert query.message.reply_markup == sent.reply_markup
    assert await query.answer("Saved", show_alert=True)
    assert fake.callback_answers == [{"callback_query_id": query.id, "text": "Saved", "show_alert": True}]

    edited = await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=None)
    assert edited.reply_markup is None and edited.edit_date is not None
    assert "reply_markup" not in fake.last_message(42)
    assert fake.open_question(42) == (None, None)

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999_999)

    await bot.edit_message_text("Thanks", chat_id=42, message_id=sent.message_id)
    assert [m["text"] for m in fake.messages(42)] == ["Thanks"]
    assert await bot.delete_message(42, sent.message_id)
    assert fake.messages(42) == [] and fake.last_message(42) is None


async def test_telegram_limits(bot: Bot, fake: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(42, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(42, "hi", reply_markup=_keyboard("q:" + "x" * 70))
    first = await bot.send_message(42, "one")
    second = await bot.send_message(42, "two")
    assert second.message_id > first.message_id
    assert fake.messages(42)[1]["from"]["is_bot"] is True


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter.retry_after
async def test_fail_next(bot: Bot, fake: FakeBotApi) -> None:
    fake.fail_next("sendMessage", 2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(42, "hello")
    fake.fail_next("sendmessage", retry_after=7)
    with pytest.raises(RetryAfter, match="7"):
        await bot.send_message(42, "hello")
    await bot.send_message(42, "hello")
    assert [m["text"] for m in fake.messages(42)] == ["hello"]
    assert len(fake.calls_of("sendMessage")) == 4


async def test_files_both_ways(bot: Bot, fake: FakeBotApi) -> None:
    fake.send_voice(42)
    fake.send_document(42, "brev_från_kommunen.pdf")
    voice_update, doc_update = await bot.get_updates(timeout=0)
    voice = voice_update.message.voice
    file = await voice.get_file()
    data = await file.download_as_bytearray()
    assert data.startswith(b"OggS") and len(data) == voice.file_size
    document = doc_update.message.document
    assert document.file_name == "brev_från_kommunen.pdf" and document.mime_type == "application/pdf"
    assert (await (await document.get_file()).download_as_bytearray()).startswith(b"%PDF")

    sent = await bot.send_document(42, b"a,b\n1,2\n", filename="export_å.csv", caption="Export")
    assert sent.document.file_name == "export_å.csv" and sent.caption == "Export"
    stored = fake.last_message(42)
    assert stored["document"]["file_name"] == "export_å.csv"
    assert fake.file_content(stored["document"]["file_id"]) == b"a,b\n1,2\n"
    [params] = fake.calls_of("sendDocument")
    assert params["document"]["file_name"] == "export_å.csv" and params["chat_id"] == 42


async def test_application_polling_and_wait_idle(fake: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("Choose", reply_markup=_keyboard("q:lang:sv", "q:lang:en"))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text(f"You chose {update.callback_query.data}")

    app = (Application.builder().token(TOKEN).base_url(fake.base_url)
           .base_file_url(fake.base_file_url).build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            fake.send_text(7, "/start")
            assert await asyncio.to_thread(fake.wait_idle)
            question, message = fake.open_question(7)
            assert question == "lang"
            fake.press(7, "q:lang:sv")  # finds the message with that button
            assert await asyncio.to_thread(fake.wait_for, lambda: len(fake.callback_answers) == 1)
            assert await asyncio.to_thread(fake.wait_idle)
            assert [m["text"] for m in fake.messages(7)] == ["You chose q:lang:sv"]
            assert fake.messages(7)[0]["message_id"] == message["message_id"]
            assert fake.pending() == 0
        finally:
            await app.updater.stop()
            await app.stop()
    assert fake.errors == []

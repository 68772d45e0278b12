"""The intake as python-telegram-bot's examples write a conversation (conversationbot.py,
inlinekeyboard2.py, persistentconversationbot.py): the baseline our bot is compared with.

One `ConversationHandler`: each question is a state with a `CallbackQueryHandler` for its buttons
and, where the person types, a `MessageHandler`; the answers live in `context.user_data`;
`PicklePersistence` keeps user_data and the conversation states in one pickle file. The questions,
their order and conditions, the texts and their translations, the municipality matcher and the
assessment are ours (the same data and the same pure functions), so both bots do the same work for
a person; what differs is where the state lives and how it is made durable. There is no inbox, no
outbox, no transcript and no answer history: the examples have none.

Durability (`build(durability=...)`):

- "interval": PTB's defaults. `update_persistence()` runs every 60 seconds (`update_interval`), so a
  crash loses up to a minute of answers.
- "every_update": the defaults, and `update_persistence()` after every update: as durable as our one
  transaction per update. With the default `on_flush=False`, PicklePersistence rewrites the whole
  file for every changed entry (the person's user_data, chat_data, conversation state, bot_data).
- "every_update_once": the cheapest equal durability PicklePersistence allows: `on_flush=True`, and
  after every update `update_persistence()` then one `flush()`, which writes the file once.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from casework.municipalities import by_code, match_municipality
from casework.rules import assess
from dialogs import prompts
from dialogs.events import Config
from dialogs.i18n import N_, NN_, P_, language_name, render
from dialogs.questions import DONT_KNOW, QUESTIONS, Kind, Question, applicable, by_id

__all__ = ["DURABILITY", "FlushEveryUpdate", "FlushOnceEveryUpdate", "build"]

END = ConversationHandler.END
CONFIG = Config(languages=("sv", "en", "ar", "ti", "so", "fa_AF", "fa", "uk", "ckb", "kmr", "ps", "am", "ru", "tr"))
# The examples pair CallbackQueryHandlers with per_message=False and live with this warning.
warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)


DURABILITY = ("interval", "every_update", "every_update_once")


class FlushEveryUpdate(Application):  # type: ignore[type-arg]
    """Writes the persistence after every update: as durable as one database transaction per update."""

    async def process_update(self, update: object) -> None:
        await super().process_update(update)
        await self.update_persistence()


class FlushOnceEveryUpdate(Application):  # type: ignore[type-arg]
    """The same with `on_flush=True`: the data is handed over, then the file is written once."""

    async def process_update(self, update: object) -> None:
        await super().process_update(update)
        await self.update_persistence()
        assert self.persistence is not None
        await self.persistence.flush()


def _language(context: ContextTypes.DEFAULT_TYPE) -> str:
    data = context.user_data or {}
    return data.get("language") or data.get("hint") or "en"


def _button(q: Question, choice: str, label: Any, lang: str) -> list[InlineKeyboardButton]:
    text = label if isinstance(label, str) else render(label, lang)
    return [InlineKeyboardButton(text, callback_data=f"q:{q.id}:{choice}")]


def _question(q: Question, data: dict[str, Any], lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and keyboard asking `q`."""
    done = [InlineKeyboardButton(render(P_("button", "Done ✓"), lang), callback_data=f"q:{q.id}:done")]
    if q.kind is Kind.LANGUAGE:
        rows = [_button(q, code, language_name(code), lang) for code in CONFIG.languages]
        return render(q.prompt, lang), InlineKeyboardMarkup(rows)
    if q.kind is Kind.SUMMARY:
        lines = [render(q.prompt, lang)] + [f"• {qid}: {_shown(qid, value, lang)}" for qid, value in
                                             data["answers"].items()]
        submit = [InlineKeyboardButton(render(P_("button", "Send my answers ✓"), lang),
                                       callback_data="q:summary:submit")]
        return "\n".join(lines), InlineKeyboardMarkup([submit])
    if q.kind is Kind.MULTI:
        chosen = set(data.get("selected", ()))
        rows = [_button(q, c, ("✓ " + render(q.label(c), lang)) if c in chosen else q.label(c), lang)
                for c in q.all_choices]
        return render(q.prompt, lang), InlineKeyboardMarkup([*rows, done])
    if q.kind is Kind.COUNT:
        return render(q.prompt, lang), InlineKeyboardMarkup([[InlineKeyboardButton(c, callback_data=f"q:{q.id}:{c}")
                                                              for c in q.choices]])
    if q.kind in (Kind.MUNICIPALITY, Kind.PHONE):
        rows = [_button(q, DONT_KNOW, q.label(DONT_KNOW), lang)] if q.dont_know else []
        return render(q.prompt, lang), InlineKeyboardMarkup(rows) if rows else None
    if q.kind is Kind.ACCOUNT:
        skip = InlineKeyboardButton(render(P_("button", "Skip"), lang), callback_data=f"q:{q.id}:skip")
        return render(q.prompt, lang), InlineKeyboardMarkup([[skip]])
    return render(q.prompt, lang), InlineKeyboardMarkup([_button(q, c, q.label(c), lang) for c in q.all_choices])


def _shown(qid: str, value: Any, lang: str) -> str:
    q = by_id(qid)
    if q is None:
        return str(value)
    if isinstance(value, list):
        if q.kind is Kind.ACCOUNT:
            return render(NN_("{n} message", "{n} messages", len(value)), lang)
        return ", ".join(render(q.label(v), lang) for v in value if v in q.all_choices)
    if q.kind is Kind.MUNICIPALITY and (found := by_code(str(value))):
        return found.name
    if q.kind is Kind.LANGUAGE:
        return language_name(str(value))
    if value in q.labels or value == DONT_KNOW:
        return render(q.label(value), lang)
    return str(value)


async def _ask(update: Update, context: ContextTypes.DEFAULT_TYPE, qid: str) -> str:
    data = context.user_data
    assert data is not None and update.effective_chat is not None
    data["open"] = qid
    text, markup = _question(by_id(qid), data, _language(context))  # type: ignore[arg-type]
    sent = await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)
    data["prompt"] = sent.message_id
    return qid


async def _reply_instead(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
                         markup: InlineKeyboardMarkup) -> None:
    """Answer typed text with new buttons, and take the old ones off the question above."""
    data, message = context.user_data, update.message
    assert data is not None and message is not None
    await context.bot.edit_message_reply_markup(message.chat_id, data["prompt"], reply_markup=None)
    sent = await message.reply_text(text, reply_markup=markup, do_quote=False)
    data["prompt"] = sent.message_id


def _next(after: str, answers: dict[str, Any]) -> str:
    ids = [q.id for q in QUESTIONS]
    return next(q.id for q in QUESTIONS[ids.index(after) + 1:] if applicable(q, answers))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    data = context.user_data
    assert data is not None and update.effective_user is not None
    data.clear()
    data.update(answers={}, hint=update.effective_user.language_code)
    return await _ask(update, context, "language")


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    query = update.callback_query
    data = context.user_data
    assert query is not None and query.data is not None and data is not None and update.effective_chat is not None
    await query.answer()
    _, qid, choice = query.data.split(":", 2)
    q = by_id(qid)
    assert q is not None
    lang = _language(context)
    if q.kind is Kind.MULTI and choice != "done":
        selected: list[str] = data.setdefault("selected", [])
        if choice in selected:
            selected.remove(choice)
        else:
            selected.append(choice)
        await query.edit_message_reply_markup(_question(q, data, lang)[1])
        return qid
    if qid == "summary":
        assessment = assess(data["answers"])
        context.bot_data["last_reference"] = number = context.bot_data.get("last_reference", 0) + 1
        data["reference"] = reference = f"SOL-{datetime.now(UTC).year}-{number:04d}"
        data["assessment"] = assessment.to_dict()
        await query.edit_message_reply_markup(None)
        texts = prompts.submitted(reference, CONFIG).texts
        await context.bot.send_message(update.effective_chat.id, "\n\n".join(render(m, lang) for m in texts))
        return END
    if (qid, choice) in (("privacy", "stop"), ("consent_store", "no")):
        data.clear()
        await query.edit_message_reply_markup(None)
        return END
    if q.kind is Kind.MULTI:
        value: Any = data.pop("selected", [])
    elif q.kind is Kind.ACCOUNT:
        value = data.pop("account", []) if choice == "done" else "skipped"
    else:
        value = choice
    if qid == "language":
        data["language"] = lang = choice
    data["answers"][qid] = value
    await query.edit_message_text(f"{render(q.prompt, lang)}\n\n✓ {_shown(qid, value, lang)}")
    return await _ask(update, context, _next(qid, data["answers"]))


async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    message, data = update.message, context.user_data
    assert message is not None and message.text is not None and data is not None
    qid: str = data["open"]
    q, lang, text = by_id(qid), _language(context), message.text
    assert q is not None
    if q.kind is Kind.MUNICIPALITY:
        data.setdefault("texts", {})[qid] = text
        rows = [[InlineKeyboardButton(m.name, callback_data=f"q:{qid}:{m.code}")] for m in match_municipality(text)]
        rows.append(_button(q, DONT_KNOW, q.label(DONT_KNOW), lang))
        await _reply_instead(update, context, render(N_("Did you mean one of these? You wrote: {typed}", typed=text),
                                                     lang), InlineKeyboardMarkup(rows))
        return qid
    if q.kind is Kind.ACCOUNT:
        data.setdefault("account", []).append({"text": text})
        n = len(data["account"])
        done = InlineKeyboardButton(render(P_("button", "Done ✓"), lang), callback_data=f"q:{qid}:done")
        await _reply_instead(update, context, render(NN_("Saved ({n} message). Send more, or press Done.",
                                                         "Saved ({n} messages). Send more, or press Done.", n), lang),
                             InlineKeyboardMarkup([[done]]))
        return qid
    if q.kind is Kind.COUNT and not (text.strip().isdigit() and 1 <= int(text) <= 15):
        await message.reply_text(render(prompts.NOTICE["bad_count"], lang), do_quote=False)
        return qid
    data["answers"][qid] = text.strip()
    await context.bot.edit_message_text(f"{render(q.prompt, lang)}\n\n✓ {text.strip()}", message.chat_id,
                                        data["prompt"])
    return await _ask(update, context, _next(qid, data["answers"]))


def conversation() -> ConversationHandler:  # type: ignore[type-arg]
    typed_kinds = (Kind.MUNICIPALITY, Kind.COUNT, Kind.PHONE, Kind.ACCOUNT)
    states: dict[object, list[Any]] = {}
    for q in QUESTIONS:
        states[q.id] = [CallbackQueryHandler(button, pattern=f"^q:{q.id}:")]
        if q.kind in typed_kinds:
            states[q.id].append(MessageHandler(filters.TEXT & ~filters.COMMAND, typed))
    return ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states=states,
        fallbacks=[CommandHandler("start", start)],
        name="intake",
        persistent=True,
    )


def build(token: str, request: BaseRequest, pickle_file: Path, *, durability: str,
          persistence_class: type[PicklePersistence] = PicklePersistence) -> Application:  # type: ignore[type-arg]
    """The Application, on `request` for the Bot API, persisting to `pickle_file` (see the module doc)."""
    persistence = persistence_class(filepath=pickle_file, on_flush=durability == "every_update_once")
    builder = ApplicationBuilder().token(token).request(request).get_updates_request(request).persistence(persistence)
    if durability == "every_update":
        builder = builder.application_class(FlushEveryUpdate)
    elif durability == "every_update_once":
        builder = builder.application_class(FlushOnceEveryUpdate)
    application = builder.build()
    application.add_handler(conversation())
    return application

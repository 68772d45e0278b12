"""python-telegram-bot `Update` -> the dialog's small events, at the edge and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message, Update
from telegram.constants import ChatType

from dialogs.events import Command, Media, Press, Text
from dialogs.service import Incoming

__all__ = ["GroupMessage", "Ignored", "translate"]

_MEDIA = ("voice", "audio", "document", "video", "video_note", "animation", "sticker")


@dataclass(frozen=True)
class GroupMessage:
    chat_id: str
    language_hint: str | None
    external_id: str | None = None  # who wrote: their reply is in the language they chose with the bot


@dataclass(frozen=True)
class Ignored:
    """An update that asks nothing of the intake (an edit, a member change, a channel post)."""

    reason: str


def translate(update: Update) -> Incoming | GroupMessage | Ignored:
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat if query.message is not None else None
        if chat is not None and chat.type != ChatType.PRIVATE and not (query.data or "").startswith("s:"):
            return Ignored("press outside a private chat")
        user = query.from_user
        return Incoming(
            channel="telegram",
            external_id=str(user.id),
            chat_id=str(chat.id if chat is not None else user.id),
            event=Press((query.data or "")[:128]),
            language_hint=user.language_code,
            update_id=update.update_id,
            callback_id=query.id,
            message_id=query.message.message_id if query.message is not None else None,
        )
    message = update.message
    if message is None:
        return Ignored("not a new message")
    if message.chat.type != ChatType.PRIVATE:
        user = message.from_user
        return GroupMessage(str(message.chat.id), user.language_code if user else None,
                            str(user.id) if user else None)
    if message.from_user is None or message.from_user.is_bot:
        return Ignored("no human sender")
    return Incoming(
        channel="telegram",
        external_id=str(message.from_user.id),
        chat_id=str(message.chat.id),
        event=_event(message),
        language_hint=message.from_user.language_code,
        update_id=update.update_id,
        message_id=message.message_id,
    )


def _event(message: Message) -> Text | Command | Media:
    if message.text is not None:
        text = message.text
        if text.startswith("/"):
            head, _, args = text[1:].partition(" ")
            name = head.split("@", 1)[0].lower()
            return Command(name[:32], args.strip()[:2000])
        return Text(text)
    if message.photo:
        largest = message.photo[-1]
        return Media("photo", largest.file_id, largest.file_unique_id, None, "image/jpeg", largest.file_size,
                     message.caption)
    for kind in _MEDIA:
        item = getattr(message, kind, None)
        if item is not None:
            return Media(kind, item.file_id, item.file_unique_id, getattr(item, "file_name", None),
                         getattr(item, "mime_type", None), getattr(item, "file_size", None), message.caption)
    for kind in ("location", "contact", "poll", "venue", "dice", "game", "story"):
        if getattr(message, kind, None) is not None:
            return Media(kind)
    return Media("other")

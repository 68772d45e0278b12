"""The same conversation in a terminal: the dialog, storage, outbox and queue that Telegram uses.

A line of text is a message; a number presses that button of the latest keyboard; `/start`,
`/language`, `/restart` and `/help` work as in Telegram. Useful for trying the intake without a bot
token, and for a caseworker taking an intake by phone with the person.
"""

from __future__ import annotations

import getpass
import itertools
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy import Engine

from dialogs import service
from dialogs.events import Command, Config, Event, Press, Text
from storage import repo
from storage.db import transaction

__all__ = ["PROMPT", "ConsoleChat"]

PROMPT = "> "


class ConsoleChat:
    def __init__(self, engine: Engine, config: Config, stdin: TextIO, stdout: TextIO, user: str | None = None) -> None:
        self.engine, self.config, self.stdin, self.stdout = engine, config, stdin, stdout
        self.user = user or getpass.getuser()
        self.keyboard: list[str] = []  # callback data of the buttons shown last, numbered from 1
        self._keyboard_owner: int | None = None
        self._ids = itertools.count(1)

    def run(self) -> None:
        self._print("Sollefteå intake — console. Type a number to press a button, /help for help, Ctrl-D to leave.")
        self.handle(Command("start"))
        while True:
            self.stdout.write(PROMPT)
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                break
            event = self.parse(line.rstrip("\n"))
            if event is not None:
                self.handle(event)
        self._print("")

    def parse(self, line: str) -> Event | None:
        text = line.strip()
        if not text:
            return None
        if text.startswith("/") and len(text) > 1:
            return Command(text[1:].split()[0].lower())
        if text.isdigit() and 1 <= int(text) <= len(self.keyboard):
            return Press(self.keyboard[int(text) - 1])
        return Text(line)

    def handle(self, event: Event) -> None:
        incoming = service.Incoming(channel="console", external_id=self.user, chat_id=self.user, event=event,
                                    callback_id="console" if isinstance(event, Press) else None)
        with transaction(self.engine) as db:
            service.handle(db, incoming, self.config, datetime.now(UTC))
        self.drain()

    def drain(self) -> None:
        with transaction(self.engine) as db:
            now = datetime.now(UTC)
            for row in repo.pending_outbox(db, channel="console", chat_id=self.user, now=now, limit=1000):
                payload = row.payload or {}
                if row.action == "send":
                    self._show(payload["text"], payload.get("keyboard"), row.id)
                elif row.action == "edit_text":
                    self._print("  " + payload["text"].rsplit("\n", 1)[-1])
                    if row.target_outbox_id == self._keyboard_owner:
                        self.keyboard, self._keyboard_owner = [], None
                elif row.action == "edit_markup":
                    if payload.get("keyboard"):
                        self._show_keyboard(payload["keyboard"], row.target_outbox_id)
                    elif row.target_outbox_id == self._keyboard_owner:
                        self.keyboard, self._keyboard_owner = [], None
                elif row.action == "send_document" and payload.get("encoding") != "base64":
                    self._print(f"\n--- {payload['filename']} ---\n{payload['content']}\n---")
                elif row.action == "delete":
                    self._print("\n" * 3)  # a terminal cannot unsay; at least move the screen on
                elif row.action == "answer_callback" and payload.get("text"):
                    self._print(f"  ({payload['text']})")
                assert row.id is not None
                repo.mark_outbox(db, outbox_id=row.id, status="sent", now=now, message_id=row.id)

    def _show(self, text: str, keyboard: list[list[dict[str, str]]] | None, owner: int | None) -> None:
        self._print("")
        self._print(text)
        if keyboard:
            self._show_keyboard(keyboard, owner)

    def _show_keyboard(self, keyboard: list[list[dict[str, str]]], owner: int | None) -> None:
        self.keyboard, self._keyboard_owner = [], owner
        for row in keyboard:
            cells = []
            for button in row:
                self.keyboard.append(button["data"])
                cells.append(f"[{len(self.keyboard)}] {button['text']}")
            self._print("   " + "   ".join(cells))

    def _print(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

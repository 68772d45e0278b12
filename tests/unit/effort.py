"""What an intake costs the person: screens, taps, typed messages and words to read, per persona.

Plays a persona through the pure dialog (`engine.step`) as a Telegram client would and counts:
- screens: new messages from the bot, up to and including the one with the case reference (an edit of
  a message already in the chat, such as a ticked choice or an answered question, is not a new screen);
- taps: button presses; typed: messages the person writes or sends;
- words: the words of every new message and of the short notices on presses, and (apart) the words
  on the buttons of those messages, in the persona's language;
- summary buttons: the buttons of the summary message as it is first shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dialogs import engine, prompts
from dialogs.events import Command, Config, Event, IntakeState, Press, Send, Text, Toast
from dialogs.i18n import render

__all__ = ["Effort", "measure_events", "measure_persona"]

Q = re.compile(r"^q:([a-z_]+):(.+)$")
CONFIG = Config(languages=("sv", "en", "ar", "ti", "so", "fa_AF", "fa", "uk", "ckb", "kmr", "ps", "am", "ru", "tr"))


@dataclass(frozen=True)
class Effort:
    screens: int
    taps: int
    typed: int
    words: int
    button_words: int
    summary_buttons: int


def _button_text(button: Any, lang: str) -> str:
    if hasattr(button, "text"):
        return str(button.text(lang))
    return button.label if isinstance(button.label, str) else render(button.label, lang)


def _words(text: str) -> int:
    return len(text.split())


class _Meter:
    def __init__(self, suggested: str | None) -> None:
        self.state = IntakeState(suggested=suggested)
        self.buttons: list[str] = []
        self.screens = self.taps = self.typed = self.words = self.button_words = 0
        self.summary_buttons = 0

    @property
    def lang(self) -> str:
        return self.state.shown_language

    @property
    def open_question(self) -> str | None:
        found = next((m for m in map(Q.match, self.buttons) if m), None)
        return found.group(1) if found else None

    def send(self, event: Event) -> None:
        if isinstance(event, Press):
            self.taps += 1
        elif not isinstance(event, Command):
            self.typed += 1
        was_done = self.state.state == "done"
        out = engine.step(self.state, event, CONFIG)
        self.state = out.state
        lang = self.lang
        for effect in out.effects:
            if isinstance(effect, Send):
                self.screens += 1
                self.words += sum(_words(render(m, lang)) for m in effect.reply.texts)
                self.button_words += sum(_words(_button_text(b, lang)) for row in effect.reply.buttons for b in row)
                data = [b.data for row in effect.reply.buttons for b in row]
                if any(Q.match(d) for d in data):
                    self.buttons = data
                if self.open_question == "summary" and not self.summary_buttons:
                    self.summary_buttons = len(data)
            elif isinstance(effect, Toast):
                self.words += _words(render(effect.msg, lang))
            elif type(effect).__name__ == "UpdateLiveKeyboard":
                self.buttons = [b.data for row in effect.buttons for b in row]  # type: ignore[union-attr]
        if self.state.state == "done" and not was_done:
            # the service adds the reference message after the commit
            reply = prompts.submitted("SOL-2026-0001", CONFIG)
            self.screens += 1
            self.words += sum(_words(render(m, lang)) for m in reply.texts)

    def effort(self) -> Effort:
        assert self.state.state == "done", f"the persona did not finish: stopped at {self.state.state}"
        return Effort(self.screens, self.taps, self.typed, self.words, self.button_words, self.summary_buttons)


def measure_persona(answers: dict[str, Any], suggested: str | None, max_steps: int = 200) -> Effort:
    """Answer every open question from `answers` (question id -> answer, as the contract personas say it)."""
    m = _Meter(suggested)
    m.send(Command("start"))
    typed_for: set[str] = set()
    for _ in range(max_steps):
        qid = m.open_question
        if qid is None or m.state.state == "done":
            break
        want = answers.get(qid)
        if qid == "summary":
            m.send(Press("q:summary:submit"))
        elif isinstance(want, dict):  # {"text": typed, "pick": kommunkod}
            if f"q:{qid}:{want['pick']}" in m.buttons:
                m.send(Press(f"q:{qid}:{want['pick']}"))
            else:
                assert qid not in typed_for, f"{qid}: no candidate {want['pick']}"
                typed_for.add(qid)
                m.send(Text(want["text"]))
        elif isinstance(want, list):
            for choice in want:
                m.send(Press(f"q:{qid}:{choice}"))
            m.send(Press(f"q:{qid}:done"))
        elif isinstance(want, str) and want.startswith("text:"):
            m.send(Text(want[5:]))
            if qid == "account":
                m.send(Press("q:account:done"))
        elif isinstance(want, str):
            m.send(Press(f"q:{qid}:{want}"))
        else:
            raise AssertionError(f"the persona has no answer to {qid}")
    return m.effort()


def measure_events(events: list[Event], suggested: str | None) -> Effort:
    """A recorded conversation: the same events, as they were recorded."""
    m = _Meter(suggested)
    for event in events:
        m.send(event)
    return m.effort()

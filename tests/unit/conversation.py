"""A pure conversation driver for tests: plays a person's answers through `engine.step`.

It reads the open question from the last prompt's buttons, as a Telegram client would, so the tests
exercise the same callback contract as the real channels without any I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dialogs import engine
from dialogs.events import (
    CloseLive,
    Command,
    Config,
    Erase,
    Event,
    IntakeState,
    Outcome,
    Press,
    Send,
    Submit,
    Text,
    Toast,
    UpdateLiveKeyboard,
)
from dialogs.i18n import render

Q = re.compile(r"^q:([a-z_]+):(.+)$")
CONFIG = Config(languages=("sv", "en", "ar", "ti"))


@dataclass
class Conversation:
    state: IntakeState = field(default_factory=IntakeState)
    config: Config = CONFIG
    buttons: list[str] = field(default_factory=list)  # callback data of the live prompt
    asked: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    submitted: bool = False
    erased: bool = False

    def send(self, event: Event) -> Outcome:
        out = engine.step(self.state, event, self.config)
        self.state = out.state
        self.outcomes.append(out)
        self.submitted |= out.has(Submit)
        self.erased |= out.has(Erase)
        for effect in out.effects:
            if isinstance(effect, Send) and effect.prompt:
                self.buttons = [b.data for row in effect.reply.buttons for b in row]
                qid = self.open_question
                if qid:
                    self.asked.append(qid)
            elif isinstance(effect, CloseLive):
                self.buttons = []
            elif isinstance(effect, UpdateLiveKeyboard):
                self.buttons = [b.data for row in effect.buttons for b in row]
        return out

    @property
    def open_question(self) -> str | None:
        for data in self.buttons:
            m = Q.match(data)
            if m:
                return m.group(1)
        return None

    def press(self, data: str) -> Outcome:
        return self.send(Press(data))

    def type(self, text: str) -> Outcome:
        return self.send(Text(text))

    def command(self, name: str) -> Outcome:
        return self.send(Command(name))

    def toasts(self, out: Outcome) -> list[str]:
        return [render(e.msg, "en") for e in out.effects if isinstance(e, Toast)]

    def texts(self, out: Outcome, language: str = "en") -> list[str]:
        return ["\n".join(render(m, language) for m in e.reply.texts) for e in out.effects if isinstance(e, Send)]

    def answer(self, persona: dict[str, Any], max_steps: int = 120) -> None:
        """Answer every open question from `persona` (question id -> answer) until submitted."""
        self.command("start")
        for _ in range(max_steps):
            qid = self.open_question
            if qid is None or self.state.state in ("done", "ended"):
                return
            want = persona.get(qid)
            if qid == "summary":
                self.press("q:summary:submit")
            elif isinstance(want, dict):  # {"text": typed, "pick": choice}
                if f"q:{qid}:{want['pick']}" not in self.buttons:
                    self.type(want["text"])
                self.press(f"q:{qid}:{want['pick']}")
            elif isinstance(want, list):
                for choice in want:
                    self.press(f"q:{qid}:{choice}")
                self.press(f"q:{qid}:done")
            elif isinstance(want, str) and want.startswith("text:"):
                self.type(want[5:])
                if qid == "account":
                    self.press("q:account:done")
            elif want is None:
                raise AssertionError(f"unexpected question {qid}")
            else:
                self.press(f"q:{qid}:{want}")
        raise AssertionError("too many steps")


FORM1_SV: dict[str, Any] = {
    "language": "sv", "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"],
    "moved_from": {"text": "Ljusdal", "pick": "2161"}, "moved_when": "1_3m", "years_there": "gt_5y",
    "had_support": "yes", "support_types": ["contact_family"], "establishment": "no",
    "lease_type": "municipal_sublet", "lease_ended": "terminated_by_municipality", "pushed_how": ["given_number"],
    "understood": "partly", "receiving_contacted": "dont_know", "household": "alone", "housing_now": "own_lease",
    "housing_problems": ["none"], "rent_ability": "yes", "landlord_checked": "yes", "wish": "return",
    "account": "text:De sa att jag skulle ringa socialen i Sollefteå.", "consent_contact": "yes",
    "consent_home_visit": "no", "contact": "telegram", "guardian": "no",
}

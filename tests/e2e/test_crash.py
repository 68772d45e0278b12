"""Crash: the bot process is killed with SIGKILL at random moments while 20 people talk to it.

Each person's updates are planned from the pure dialog (the same persona answered through
`engine.step`), then sent interleaved with everyone else's while the real `intake run` process is
killed and started again. Afterwards every intake must be submitted with exactly the planned
answers, and each update must be in the transcript exactly once: nothing lost, nothing doubled.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from dialogs.events import Command, Event, Press, Text
from storage.db import make_engine, transaction
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import TOKEN
from tests.unit.conversation import FORM1_SV, Conversation

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 20


def _plan(persona: dict[str, Any]) -> tuple[list[Event], dict[str, Any]]:
    """The events a person sends to answer `persona`, and the answers the intake must end with."""
    sent: list[Event] = []
    conversation = Conversation()
    original = conversation.send

    def record(event: Event):  # type: ignore[no-untyped-def]
        sent.append(event)
        return original(event)

    conversation.send = record  # type: ignore[method-assign]
    conversation.answer(persona)
    assert conversation.submitted
    return sent, dict(conversation.state.answers)


def _personas() -> list[dict[str, Any]]:
    rng = random.Random(7)
    out = []
    for i in range(PEOPLE):
        out.append(FORM1_SV | {
            "language": rng.choice(["sv", "en"]),
            "interpreter": "no",
            "moved_when": rng.choice(["lt_1m", "1_3m", "3_12m"]),
            "had_support": rng.choice(["yes", "no"]),
            "household": rng.choice(["alone", "children"]),
            "children_count": "text:2",
            "account": f"text:Person {i} berättar.",
        })
    return out


class Bot:
    def __init__(self, fake: FakeBotApi, url: str, log: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
        self.env.update(INTAKE_TELEGRAM_TOKEN=TOKEN, INTAKE_TELEGRAM_API_URL=fake.base_url,
                        INTAKE_TELEGRAM_FILE_URL=fake.base_file_url, INTAKE_DATABASE_URL=url, INTAKE_POLL_TIMEOUT="1")
        self.fake, self.log = fake, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        polls = len(self.fake.calls_of("getUpdates"))
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        polled = self.fake.wait_for(lambda: len(self.fake.calls_of("getUpdates")) > polls, 60)
        assert polled, self.log.read_text()[-2000:]

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def _send(fake: FakeBotApi, user: int, event: Event, language: str) -> None:
    if isinstance(event, Command):
        fake.send_text(user, f"/{event.name}", language_code=language)
    elif isinstance(event, Text):
        fake.send_text(user, event.text, language_code=language)
    elif isinstance(event, Press):
        fake.press(user, event.data, language_code=language)


def test_killed_at_random_nothing_is_lost_or_doubled(fake: FakeBotApi, sqlite_url: str, tmp_path: Path) -> None:
    rng = random.Random(2026)
    personas = _personas()
    plans = {8000 + i: _plan(p) for i, p in enumerate(personas)}
    bot = Bot(fake, sqlite_url, tmp_path / "bot.log")
    bot.start()
    cursor = dict.fromkeys(plans, 0)
    sent = 0
    next_kill = rng.randint(20, 80)
    try:
        while any(cursor[u] < len(plans[u][0]) for u in plans):
            user = rng.choice([u for u in plans if cursor[u] < len(plans[u][0])])
            _send(fake, user, plans[user][0][cursor[user]], "sv")
            cursor[user] += 1
            sent += 1
            if rng.random() < 0.3:
                time.sleep(rng.random() * 0.05)
            if sent >= next_kill:
                time.sleep(rng.random() * 0.4)  # somewhere in fetching, storing, processing or sending
                bot.kill()
                bot.start()
                next_kill = sent + rng.randint(20, 80)
        assert fake.wait_for(lambda: fake.pending() == 0, 60)
        engine = make_engine(sqlite_url)

        def done() -> bool:
            with transaction(engine) as db:
                return db.execute(text("SELECT count(*) FROM referral")).scalar() == PEOPLE
        deadline = time.monotonic() + 90
        while not done() and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        bot.stop()
    assert bot.kills >= 5
    with transaction(engine) as db:
        for user, (events, answers) in plans.items():
            person = db.execute(text("SELECT id FROM person WHERE external_id = :u"), {"u": str(user)}).scalar()
            assert person is not None, user
            stored = db.execute(text("SELECT answers FROM referral WHERE person_id = :p"), {"p": person}).scalar()
            got = json.loads(stored)
            assert all("at" in e for e in got["account"]), f"person {user}: an account entry without its time"
            got["account"] = [{k: v for k, v in e.items() if k != "at"} for e in got["account"]]
            assert got == answers, f"person {user}: answers differ"
            inbound = db.execute(text("SELECT count(*) FROM transcript_entry WHERE person_id = :p "
                                      "AND direction = 'in'"), {"p": person}).scalar()
            assert inbound == len(events), f"person {user}: {inbound} inbound entries for {len(events)} updates"
        duplicated_ids = db.execute(text("SELECT count(*) FROM inbox_update WHERE processed_at IS NULL")).scalar()
    assert duplicated_ids == 0
    repeated = 0
    for user in plans:
        texts = [m.get("text") or "" for m in fake.messages(user)]
        repeated += sum(1 for a, b in itertools.pairwise(texts) if a and a == b)
    print(f"crash test: {sent} updates, {bot.kills} kills, 0 lost, 0 doubled in the transcript, "
          f"{repeated} repeated bot messages in the chats")
    assert repeated <= bot.kills, "a kill can at most repeat the message being sent at that moment"

"""Several workers behind one webhook, on PostgreSQL: two `intake run` processes receive the
interleaved updates of 50 people; every intake ends with all answers, and every transcript in order."""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from bot.telegram.webhook import SECRET_HEADER
from dialogs.events import Command, Event, Press, Text
from storage.db import make_engine, transaction
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import TOKEN
from tests.e2e.test_crash import _plan
from tests.unit.conversation import FORM1_SV

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 50
SECRET = "workers-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _worker(fake: FakeBotApi, url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    env.update(INTAKE_TELEGRAM_TOKEN=TOKEN, INTAKE_TELEGRAM_API_URL=fake.base_url, INTAKE_DATABASE_URL=url,
               INTAKE_WEBHOOK_URL="https://intake.example/telegram", INTAKE_WEBHOOK_SECRET=SECRET,
               INTAKE_WEBHOOK_PORT=str(port), INTAKE_WORKERS="2")
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _update(update_id: int, user: int, event: Event) -> dict[str, Any]:
    person = {"id": user, "is_bot": False, "first_name": "T", "language_code": "sv"}
    chat = {"id": user, "type": "private", "first_name": "T"}
    if isinstance(event, Press):
        message = {"message_id": 1, "date": 1764000000, "chat": chat,
                   "from": {"id": 1, "is_bot": True, "first_name": "Bot"}, "text": "…"}
        query = {"id": f"cq{update_id}", "from": person, "chat_instance": "x", "data": event.data, "message": message}
        return {"update_id": update_id, "callback_query": query}
    body = f"/{event.name}" if isinstance(event, Command) else event.text  # type: ignore[union-attr]
    message = {"message_id": update_id, "date": 1764000000, "chat": chat, "from": person, "text": body}
    if body.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(body)}]
    return {"update_id": update_id, "message": message}


def test_two_workers_fifty_people_nothing_lost_all_in_order(fake: FakeBotApi, postgres_url: str,
                                                             tmp_path: Path) -> None:
    rng = random.Random(50)
    plans = {}
    for i in range(PEOPLE):
        persona = FORM1_SV | {"language": "sv", "had_support": rng.choice(["yes", "no"]),
                              "account": f"text:Berättelse {i}"}
        plans[9000 + i] = _plan(persona)
    ports = [_free_port(), _free_port()]
    workers = [_worker(fake, postgres_url, port, tmp_path / f"worker{n}.log") for n, port in enumerate(ports)]
    try:
        for port in ports:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "a worker did not come up"
                time.sleep(0.2)
        ids = itertools.count(1)
        lock = threading.Lock()

        def feed(users: list[int]) -> None:
            # one person's updates go out one after the other (Telegram waits for the 200 of each);
            # different people are interleaved, and every update goes to either worker
            with httpx.Client(timeout=10) as client:
                cursors = dict.fromkeys(users, 0)
                while cursors:
                    user = rng_local.choice(list(cursors))
                    with lock:
                        update = _update(next(ids), user, plans[user][0][cursors[user]])
                    port = rng_local.choice(ports)
                    response = client.post(f"http://127.0.0.1:{port}/telegram", json=update,
                                           headers={SECRET_HEADER: SECRET})
                    assert response.status_code == 200
                    cursors[user] += 1
                    if cursors[user] == len(plans[user][0]):
                        del cursors[user]

        rng_local = random.Random(1)
        users = list(plans)
        threads = [threading.Thread(target=feed, args=(users[i::5],)) for i in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        engine = make_engine(postgres_url)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with transaction(engine) as db:
                if db.execute(text("SELECT count(*) FROM referral")).scalar() == PEOPLE:
                    break
            time.sleep(0.5)
    finally:
        for w in workers:
            if w.poll() is None:
                os.killpg(w.pid, signal.SIGTERM)
        for w in workers:
            try:
                w.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(w.pid, signal.SIGKILL)
    logs = "".join((tmp_path / f"worker{n}.log").read_text(errors="replace")[-1500:] for n in range(2))
    with transaction(engine) as db:
        assert db.execute(text("SELECT count(*) FROM referral")).scalar() == PEOPLE, logs
        for user, (events, answers) in plans.items():
            person = db.execute(text("SELECT id FROM person WHERE external_id = :u"), {"u": str(user)}).scalar()
            stored = db.execute(text("SELECT answers FROM referral WHERE person_id = :p"), {"p": person}).scalar()
            got = json.loads(stored) if isinstance(stored, str) else stored
            assert all("at" in e for e in got["account"]), f"{user}: an account entry without its time"
            got["account"] = [{k: v for k, v in e.items() if k != "at"} for e in got["account"]]
            assert got == answers, user
            rows = db.execute(text("SELECT kind, text, data FROM transcript_entry WHERE person_id = :p "
                                   "AND direction = 'in' ORDER BY id"), {"p": person}).all()
            seen = [(r[1] if r[0] != "press" else (json.loads(r[2]) if isinstance(r[2], str) else r[2])["press"])
                    for r in rows]
            planned = [f"/{e.name}" if isinstance(e, Command) else e.text if isinstance(e, Text) else e.data
                       for e in events]
            assert seen == planned, f"person {user}: the transcript is not in the order sent"
        handled_by = db.execute(text("SELECT count(DISTINCT update_id) FROM inbox_update")).scalar()
    assert handled_by == sum(len(e) for e, _ in plans.values())

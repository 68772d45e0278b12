"""Simulated people: who they are, what they answer, and how a crowd of them talks to a bot.

A persona is a table of answers (question id -> choice), as in tests/unit/conversation.py. Before
the measurement, one person per persona goes through the bot slowly (`calibrate`): what they do at
each open question becomes a script, and with each step the number of Bot API calls it caused. In
the measurement every person replays a script and knows their update is answered when that many
calls have come; so nobody waits on a timer, and a crowd of a thousand costs little beside the bot.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.measure import machine_busy, percentiles, postgres_cpu, usage
from bench.telegram_api import InProcessBotApi, Turn, User
from tests.unit.conversation import FORM1_SV

__all__ = ["PERSONAS", "CrowdResult", "Persona", "Script", "Step", "calibrate", "load_scripts", "measure_crowd",
           "run_crowd"]


@dataclass(frozen=True)
class Persona:
    name: str
    language_code: str  # Telegram's language_code of the person's client
    answers: dict[str, Any]


# An English intake without support and with children (as in tests/e2e/test_telegram.py) ...
_LOW_EN: dict[str, Any] = {
    "language": "en", "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"],
    "moved_from": {"text": "umea", "pick": "2480"}, "moved_when": "3_12m", "years_there": "gt_5y",
    "had_support": "no", "establishment": "ongoing", "lease_type": "first_hand", "lease_ended": "own_choice",
    "pushed_how": ["none"], "understood": "own_wish", "receiving_contacted": "no", "household": "children",
    "children_count": "text:2", "housing_now": "own_lease", "housing_problems": ["too_small"],
    "rent_ability": "no", "landlord_checked": "yes", "wish": "stay_with_support", "account": "skip",
    "consent_contact": "no", "consent_home_visit": "yes", "contact": "telegram", "guardian": "no",
    "interpreter": "no",
}
# ... and the Swedish form-1 case in Arabic, which adds right-to-left rendering and an interpreter.
PERSONAS: tuple[Persona, ...] = (
    Persona("sv_form1", "sv", FORM1_SV),
    Persona("en_low", "en", _LOW_EN),
    Persona("ar_form1", "ar", {**FORM1_SV, "language": "ar", "interpreter": "yes"}),
)


@dataclass(frozen=True)
class Step:
    kind: str  # "text" or "press"
    value: str
    expected: int  # Bot API calls this step causes


@dataclass(frozen=True)
class Script:
    persona: str
    language_code: str
    steps: tuple[Step, ...]

    def as_json(self) -> dict[str, Any]:
        return {"persona": self.persona, "language_code": self.language_code,
                "steps": [[s.kind, s.value, s.expected] for s in self.steps]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Script:
        return cls(data["persona"], data["language_code"], tuple(Step(k, v, int(n)) for k, v, n in data["steps"]))


def load_scripts(path: str | Path) -> list[Script]:
    return [Script.from_json(s) for s in json.loads(Path(path).read_text())["scripts"]]


def _send(api: InProcessBotApi, user: User, step: Step) -> Turn:
    if step.kind == "text":
        return api.send_text(user, step.value, step.expected)
    return api.press(user, step.value, step.expected)


async def calibrate(api: InProcessBotApi, persona: Persona, user_id: int, *, idle: Callable[[], bool],
                    after_step: Callable[[], None] | None = None, quiet: float = 0.03,
                    max_steps: int = 150) -> Script:
    """Answer the open questions from `persona` one at a time, counting the calls each answer causes.

    A step is over when its chat has been quiet for `quiet` seconds and `idle()` says the bot has
    nothing left to process or send; then `after_step()` may look at the database.
    """
    user = User(user_id, persona.language_code)
    steps: list[Step] = []

    async def act(kind: str, value: str) -> None:
        if len(steps) >= max_steps:
            raise RuntimeError(f"{persona.name}: more than {max_steps} steps")
        turn = _send(api, user, Step(kind, value, 0))
        for _ in range(100):
            if not await api.settle(turn, quiet, timeout=20.0):
                raise RuntimeError(f"{persona.name}: no answer to {kind} {value!r}")
            if idle():
                break
        api.abandon(turn)
        steps.append(Step(kind, value, turn.calls))
        if after_step is not None:
            after_step()

    await act("text", "/start")
    want_of = persona.answers
    for _ in range(max_steps):
        qid, _buttons = api.open_question(user.id)
        if qid is None:
            break
        want = want_of.get(qid)
        if qid == "summary":
            await act("press", "q:summary:submit")
        elif isinstance(want, dict):
            await act("text", want["text"])
            await act("press", f"q:{qid}:{want['pick']}")
        elif isinstance(want, list):
            for choice in want:
                await act("press", f"q:{qid}:{choice}")
            await act("press", f"q:{qid}:done")
        elif isinstance(want, str) and want.startswith("text:"):
            await act("text", want[5:])
            if qid == "account":
                await act("press", "q:account:done")
        elif want is None:
            raise RuntimeError(f"{persona.name}: no answer for question {qid}")
        else:
            await act("press", f"q:{qid}:{want}")
    else:
        raise RuntimeError(f"{persona.name}: the intake did not end")
    api.finish(user.id)
    return Script(persona.name, persona.language_code, tuple(steps))


@dataclass
class CrowdResult:
    """What a crowd saw inside the measured window (times in seconds)."""

    window: float = 0.0
    completed: int = 0  # updates whose replies all came inside the window
    handed_to_last: list[float] = field(default_factory=list)
    handed_to_first: list[float] = field(default_factory=list)
    sent_to_last: list[float] = field(default_factory=list)
    calls: int = 0  # Bot API calls (other than getUpdates) of those turns
    intakes_finished: int = 0
    timeouts: int = 0
    started_people: int = 0
    errors: list[str] = field(default_factory=list)  # a person's code failed (a bench bug): shown, not hidden


async def run_crowd(
    api: InProcessBotApi,
    scripts: Sequence[Script],
    *,
    concurrency: int,
    first_user_id: int,
    warmup: float,
    duration: float,
    think: Callable[[random.Random], float] | None = None,
    on_window: Callable[[str], None] | None = None,
    turn_timeout: float = 60.0,
    max_people: int | None = None,
    seed: int = 8,
) -> CrowdResult:
    """`concurrency` people at once, each replaying scripts until the window closes.

    Without `think` a person answers the moment the previous answer is complete (the bot is
    saturated: throughput); with it, a person waits `think(rng)` seconds before each update (a
    human pace: latency). A person who finishes is replaced by a new one (a new Telegram user),
    until `max_people` have started; the run ends early when all of them are done.
    `on_window("start" | "end")` lets the caller read its counters exactly at the window's edges.
    """
    result = CrowdResult()
    loop_start = time.perf_counter()
    window_start, window_end = loop_start + warmup, loop_start + warmup + duration
    user_ids = itertools.count(first_user_id)
    script_cycle = itertools.cycle(range(len(scripts)))
    stop = asyncio.Event()

    def record(turn: Turn, step_calls: int) -> None:
        if window_start <= turn.last <= window_end:  # answered inside the window, whenever it was sent
            result.completed += 1
            result.calls += step_calls
            result.handed_to_last.append(turn.last - turn.handed)
            result.handed_to_first.append(turn.first - turn.handed)
            result.sent_to_last.append(turn.last - turn.queued)

    async def person(rng: random.Random) -> None:
        while not stop.is_set():
            if max_people is not None and result.started_people >= max_people:
                return
            script = scripts[next(script_cycle)]
            user = User(next(user_ids), script.language_code)
            result.started_people += 1
            for step in script.steps:
                if think is not None:
                    await asyncio.sleep(think(rng))
                if stop.is_set():
                    api.finish(user.id)
                    return
                turn = _send(api, user, step)
                try:
                    await asyncio.wait_for(asyncio.shield(turn.done), turn_timeout)
                except TimeoutError:
                    result.timeouts += 1
                    api.abandon(turn)
                    break
                record(turn, step.expected)
            else:
                if window_start <= time.perf_counter() <= window_end:
                    result.intakes_finished += 1
            api.finish(user.id)

    tasks = [asyncio.create_task(person(random.Random(seed * 100_003 + i))) for i in range(concurrency)]
    everyone = asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.wait([everyone], timeout=max(0.0, window_start - time.perf_counter()))
    if on_window:
        on_window("start")
    await asyncio.wait([everyone], timeout=max(0.0, window_end - time.perf_counter()))
    closed = min(time.perf_counter(), window_end)
    if on_window:
        on_window("end")
    stop.set()
    for task in tasks:  # what is still in flight is answered outside the window: nobody waits for it
        task.cancel()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    result.errors = [repr(e) for e in outcomes if isinstance(e, Exception)][:5]
    result.window = closed - window_start
    return result


async def measure_crowd(api: InProcessBotApi, scripts: Sequence[Script], *, concurrency: int, warmup: float,
                        duration: float, think_mean: float = 0.0, first_user_id: int = 2_000_000_000,
                        counters: Callable[[], dict[str, int]] | None = None,
                        with_postgres: bool = False) -> dict[str, Any]:
    """Run a crowd against the bot that is listening on `api`; the figures of the measured window.

    CPU time is the whole process's (the bot's threads, and the simulated Telegram and people, whose
    own share `api.sim_cpu` is subtracted for the bot's figure). `counters()` may return running
    counts (SQL statements, commits, file writes); they are reported per update as `<name>_per_update`.
    With `with_postgres`, the local PostgreSQL server's CPU time is reported per update too.
    """
    edges: dict[str, tuple[float, float, float, dict[str, int]]] = {}
    machine: dict[str, tuple[float, float]] = {}

    def on_window(edge: str) -> None:
        edges[edge] = (time.perf_counter(), usage().cpu, api.sim_cpu, counters() if counters else {})
        machine[edge] = (machine_busy(), postgres_cpu() if with_postgres else 0.0)

    def think(rng: random.Random) -> float:  # a human pace: exponential, at most five times the mean
        return min(rng.expovariate(1 / think_mean), 5 * think_mean)

    crowd = await run_crowd(api, scripts, concurrency=concurrency, first_user_id=first_user_id, warmup=warmup,
                            duration=duration, think=think if think_mean > 0 else None, on_window=on_window)
    (t0, cpu0, sim0, count0), (t1, cpu1, sim1, count1) = edges["start"], edges["end"]
    n, seconds = crowd.completed, t1 - t0
    cpu, sim = cpu1 - cpu0, sim1 - sim0
    busy, server = (machine["end"][i] - machine["start"][i] for i in (0, 1))

    def per_update(value: float, scale: float = 1.0) -> float | None:
        return round(scale * value / n, 3) if n else None

    return {
        "concurrency": concurrency,
        "think_s": think_mean,
        "window_s": round(seconds, 3),
        "updates": n,
        "updates_per_s": round(n / seconds, 1) if seconds else None,
        "latency_ms": percentiles(crowd.handed_to_last),
        "first_reply_ms": percentiles(crowd.handed_to_first),
        "sent_to_reply_ms": percentiles(crowd.sent_to_last),
        "cpu_ms_per_update": per_update(cpu, 1000),
        "cpu_ms_per_update_bot": per_update(cpu - sim, 1000),
        "cpu_ms_per_update_db_server": per_update(server, 1000) if with_postgres else None,
        "cpu_cores_busy": round(cpu / seconds, 3) if seconds else None,
        # the rest of the machine meanwhile (other programs): a busy machine skews the figures
        "other_cpu_cores": round(max(0.0, busy - cpu - server) / seconds, 2) if seconds and busy else None,
        "calls_per_update": per_update(crowd.calls),
        **{f"{name}_per_update": per_update(count1[name] - count0[name]) for name in count1},
        "intakes_finished": crowd.intakes_finished,
        "people": crowd.started_people,
        "timeouts": crowd.timeouts,
        "person_errors": crowd.errors,
        "stray_calls": api.stray,
        "stray_samples": api.stray_samples,
        "api_errors": dict(api.errors),
        "peak_rss_mb": round(usage().peak_rss_mb, 1),
    }

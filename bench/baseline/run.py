"""The baseline under the same load as our bot: `python -m bench.baseline.run calibrate|seed|run ...`.

Same in-process Bot API, same simulated people (their scripts calibrated against this bot, since it
answers with a different number of calls), same measurement. The bot polls with python-telegram-bot's
own `Updater`, which acknowledges an update before its handler has run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pickle
import random
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram.ext import Application, PicklePersistence

from bench.baseline.bot import DURABILITY, build
from bench.measure import rss_mb, usage
from bench.people import PERSONAS, calibrate, load_scripts, measure_crowd
from bench.seed import load_templates
from bench.telegram_api import InProcessBotApi

__all__ = ["main"]

TOKEN = "123456:BASELINE-TOKEN"
_SEED_USER_BASE = 1_000_000_000


async def _with_bot(pickle_file: Path, api: InProcessBotApi, durability: str,
                    body: Callable[[Application], Awaitable[Any]], *, graceful: bool = True) -> Any:  # type: ignore[type-arg]
    """Start the baseline on `api`, run `body`; stop it (`graceful`) or leave it to the process's exit."""
    application = build(TOKEN, api, pickle_file, durability=durability, persistence_class=_CountedPicklePersistence)
    await application.initialize()  # loads the pickle file
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await application.start()
    try:
        return await body(application)
    finally:
        if graceful:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()  # writes the pickle file a last time


class _CountedPicklePersistence(PicklePersistence):  # type: ignore[type-arg]
    """PicklePersistence that counts and times the writes of its whole file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writes, self.write_seconds = 0, 0.0

    def _dump_singlefile(self) -> None:
        started = time.perf_counter()
        super()._dump_singlefile()
        self.writes += 1
        self.write_seconds += time.perf_counter() - started

    def read(self) -> dict[str, int]:
        return {"pickle_writes": self.writes}


async def _calibrate(args: argparse.Namespace) -> dict[str, Any]:
    api = InProcessBotApi()

    async def body(_app: Application) -> list[Any]:  # type: ignore[type-arg]
        return [await calibrate(api, p, 2_000_000_000 + i, idle=lambda: True) for i, p in enumerate(PERSONAS)]

    scripts = await _with_bot(Path(args.pickle), api, "every_update", body)
    return {"scripts": [s.as_json() for s in scripts], "stray": api.stray, "errors": dict(api.errors)}


def _seed(args: argparse.Namespace) -> dict[str, Any]:
    """A pickle file as PicklePersistence writes it, holding `--conversations` people.

    Their answers are those of our seeding templates: finished intakes (70 %, their conversation
    ended, the answers and the assessment kept in user_data) and people stopped after a random step
    (their conversation state is the open question).
    """
    templates = load_templates(Path(args.templates))
    rng = random.Random(8)
    user_data: dict[int, dict[str, Any]] = {}
    chat_data: dict[int, dict[str, Any]] = {}
    states: dict[tuple[int, int], object] = {}
    finished = [(t.rows["intake"][0], t.rows["referral"][0]) for t in templates]
    partial = [snap["intake"] for t in templates for snap in t.steps[:-1] if snap["intake"] is not None]
    for i in range(args.conversations):
        uid = _SEED_USER_BASE + i
        chat_data[uid] = {}
        if rng.random() < 0.7:
            intake, referral = rng.choice(finished)
            user_data[uid] = {"answers": dict(intake["answers"]), "hint": intake["suggested"],
                              "language": intake["language"], "open": "summary", "reference": referral["reference"],
                              "assessment": referral["assessment"], "texts": dict(intake["texts"])}
        else:
            intake = rng.choice(partial)
            user_data[uid] = {"answers": dict(intake["answers"]), "hint": intake["suggested"],
                              "language": intake["language"], "open": intake["state"], "texts": dict(intake["texts"])}
            states[(uid, uid)] = intake["state"]
    data = {"conversations": {"intake": states}, "user_data": user_data, "chat_data": chat_data,
            "bot_data": {"last_reference": len(user_data)}, "callback_data": None}
    path = Path(args.pickle)
    path.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return {"conversations": args.conversations, "pickle_bytes": path.stat().st_size}


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    scripts = load_scripts(args.scripts)
    api = InProcessBotApi()
    rss_start = rss_mb()
    cpu_start = usage().cpu

    async def body(application: Application) -> dict[str, Any]:  # type: ignore[type-arg]
        load = usage().cpu - cpu_start
        writes = application.persistence
        assert isinstance(writes, _CountedPicklePersistence)
        figures = await measure_crowd(api, scripts, concurrency=args.concurrency, warmup=args.warmup,
                                      duration=args.duration, think_mean=args.think, counters=writes.read)
        if args.durability == "interval":
            figures |= _owed(writes, figures, args.warmup)
        elif writes.writes:
            figures["pickle_write_ms"] = round(1000 * writes.write_seconds / writes.writes, 1)
        return {**figures, "load_cpu_s": round(load, 2)}

    figures = await _with_bot(Path(args.pickle), api, args.durability, body, graceful=False)
    return {"bot": "baseline", "durability": args.durability, **figures,
            "pickle_bytes": Path(args.pickle).stat().st_size, "rss_start_mb": round(rss_start or 0, 1)}


def _owed(persistence: _CountedPicklePersistence, figures: dict[str, Any], warmup: float) -> dict[str, Any]:
    """What the defaults leave for later, and the throughput they can sustain once it is paid.

    The next periodic `update_persistence()` writes the whole file once for every user, chat and
    conversation state changed since the last one (on_flush=False), blocking the event loop; every
    person of the crowd is new, so that is three writes per person. Doing them all would take
    minutes, so one write is timed and the rest estimated from it.
    """
    started = time.perf_counter()
    persistence._dump_singlefile()
    write_s = time.perf_counter() - started
    owed = 3 * figures["people"]
    owed_s = owed * write_s
    elapsed = warmup + figures["window_s"]
    sustained = figures["updates_per_s"] * elapsed / (elapsed + owed_s) if figures["updates_per_s"] else None
    return {"deferred_writes": owed, "deferred_write_s": round(owed_s, 1), "pickle_write_ms": round(1000 * write_s, 1),
            "sustained_updates_per_s": round(sustained, 1) if sustained else None}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline.run", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("calibrate")
    p.add_argument("--pickle", required=True, help="a scratch pickle file")
    p = sub.add_parser("seed")
    p.add_argument("--pickle", required=True)
    p.add_argument("--templates", required=True, help="written by `bench.ours calibrate`")
    p.add_argument("--conversations", type=int, required=True)
    p = sub.add_parser("run")
    p.add_argument("--pickle", required=True)
    p.add_argument("--scripts", required=True)
    p.add_argument("--concurrency", type=int, default=1)
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--duration", type=float, default=10.0)
    p.add_argument("--think", type=float, default=0.0)
    p.add_argument("--durability", choices=DURABILITY, default="interval")
    args = parser.parse_args(argv)
    if args.command == "seed":
        result = _seed(args)
    else:
        result = asyncio.run({"calibrate": _calibrate, "run": _run}[args.command](args))
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    if args.command == "run":
        # The measurement is over and its data is of no further use: leave without PTB's shutdown,
        # which would write the pickle file once more per changed user (minutes at 10,000 people).
        os._exit(0)


if __name__ == "__main__":
    main()

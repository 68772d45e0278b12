"""Our bot under load: `TelegramBot` of bot/telegram/app.py, unchanged, against the in-process Bot API.

Each scenario runs in its own process (`python -m bench.ours run ...`), so its peak RSS and CPU time
are its own; it prints one JSON object. The only thing swapped is where python-telegram-bot sends
its requests: `build_application` is left as it is, and the builder it uses is given our request
object (`ApplicationBuilder.request`, the documented way to replace the HTTP layer). Telegram's
flood limit (the `AIORateLimiter` of build_application, 30 chat-bound calls per second) is kept in
the code path but its limits are lifted unless `--flood-limit` is given: it caps the bot whatever
the bot costs, so with it on, the figures would show Telegram's limit, not ours.

Sub-commands: `calibrate` (write the people's scripts), `run` (one measured scenario), `size`
(database bytes per finished intake).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from telegram.ext import AIORateLimiter, ApplicationBuilder

import bot.telegram.app as app_module
from bench.measure import database_size, rss_mb
from bench.people import PERSONAS, Script, calibrate, load_scripts, measure_crowd, run_crowd
from bench.seed import Capture, Template, save_templates
from bench.telegram_api import InProcessBotApi
from bot.settings import Settings
from bot.telegram.app import TelegramBot
from bot.telegram.housekeeping import INBOX_KEPT, OUTBOX_KEPT
from storage import repo
from storage.db import make_engine, reclaim, transaction

__all__ = ["in_process_bot_api", "main"]

TOKEN = "123456:BENCH-TOKEN"
# Never contacted: every request goes to the in-process API. A name that cannot resolve, just in case.
API_URL = "http://bot-api.invalid/bot"


@contextlib.contextmanager
def in_process_bot_api(api: InProcessBotApi, *, flood_limit: bool) -> Iterator[None]:
    """While active, `build_application` builds its Application on `api` instead of HTTP."""
    original = app_module.ApplicationBuilder

    class _Builder(ApplicationBuilder):  # type: ignore[type-arg]
        def build(self):  # type: ignore[no-untyped-def]
            self.request(api).get_updates_request(api)
            if not flood_limit:
                self.rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0))
            return super().build()

    app_module.ApplicationBuilder = _Builder  # type: ignore[misc]
    try:
        yield
    finally:
        app_module.ApplicationBuilder = original  # type: ignore[misc]


def _settings(url: str, log_level: str) -> Settings:
    return Settings(_env_file=None, telegram_token=TOKEN, telegram_api_url=API_URL,  # type: ignore[call-arg]
                    database_url=url, poll_timeout=1, log_level=log_level)


def _production_logging(level: str) -> None:
    """Log as `intake run` does (its record factory formats every update's line), into stderr."""
    from bot import cli

    cli._logging(level)  # the private helper is what `intake run` calls; the cost per update is real


def _api_for(url: str) -> InProcessBotApi:
    """An API whose update ids go on from the last one the database has seen, as Telegram's do."""
    engine = make_engine(url)
    with engine.connect() as conn:
        last = conn.execute(text("SELECT MAX(update_id) FROM inbox_update")).scalar_one_or_none()
    engine.dispose()
    return InProcessBotApi(first_update_id=int(last or 0) + 1)


def _new_people_from(url: str, floor: int = 2_000_000_000) -> int:
    """The first Telegram id that no stored person has: every run brings new people."""
    engine = make_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT external_id FROM person WHERE channel = 'telegram'")).scalars()
        last = max((int(i) for i in ids if i.isdigit()), default=0)
    engine.dispose()
    return max(floor, last + 1)


async def _with_bot(url: str, api: InProcessBotApi, flood_limit: bool, log_level: str,
                    body: Callable[[TelegramBot], Any]) -> Any:
    settings = _settings(url, log_level)
    with in_process_bot_api(api, flood_limit=flood_limit):
        telegram_bot = TelegramBot(settings)
    await telegram_bot.start(polling=True)
    try:
        return await body(telegram_bot)
    finally:
        await telegram_bot.stop()
        _people_left(telegram_bot.services.engine)
        telegram_bot.services.engine.dispose()


def _people_left(engine: Engine) -> None:
    """The people stopped mid-conversation: drop what they still had in flight, so that the next run
    on this database does not start by answering them (the rows stay, processed and failed)."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE inbox_update SET processed_at = received_at, payload = NULL "
                          "WHERE processed_at IS NULL"))
        conn.execute(text("UPDATE outbox_message SET status = 'failed', payload = NULL WHERE status = 'pending'"))


# ---------------------------------------------------------------------------------------- calibrate
async def _calibrate(args: argparse.Namespace) -> dict[str, Any]:
    """The people's scripts, and the rows each persona's intake leaves (the seeding templates).

    One persona at a time, so that every row written in between is theirs.
    """
    api = _api_for(args.url)
    capture = Capture(make_engine(args.url))

    async def body(_bot: TelegramBot) -> tuple[list[Script], list[Template]]:
        scripts, templates = [], []
        for i, persona in enumerate(PERSONAS):
            external_id = str(args.first_user + i)
            outbox_after = capture.last_ids()["outbox_message"]
            steps: list[dict[str, Any]] = []
            script = await calibrate(api, persona, args.first_user + i, idle=capture.idle,
                                     after_step=lambda e=external_id, s=steps: s.append(capture.step(e)))
            scripts.append(script)
            templates.append(capture.template(persona.name, external_id, steps, outbox_after))
        return scripts, templates

    scripts, templates = await _with_bot(args.url, api, False, "WARNING", body)
    capture.engine.dispose()
    save_templates(Path(args.templates), templates)
    return {"scripts": [s.as_json() for s in scripts], "stray": api.stray, "errors": dict(api.errors)}


# ---------------------------------------------------------------------------------------- run
async def _run(args: argparse.Namespace) -> dict[str, Any]:
    scripts = load_scripts(args.scripts)
    api = _api_for(args.url)
    counts = _SqlCounter()

    async def body(_bot: TelegramBot) -> dict[str, Any]:
        return await measure_crowd(api, scripts, concurrency=args.concurrency, warmup=args.warmup,
                                   duration=args.duration, think_mean=args.think, first_user_id=args.first_user,
                                   counters=counts.read, with_postgres=args.url.startswith("postgres"))

    rss_start = rss_mb()
    with counts.listening():
        figures = await _with_bot(args.url, api, args.flood_limit, args.log_level, body)
    return {"bot": "ours", "flood_limit": args.flood_limit, **figures,
            "rss_start_mb": round(rss_start, 1) if rss_start else None}


class _SqlCounter:
    """Counts the statements and commits of every engine in this process (SQLAlchemy events)."""

    def __init__(self) -> None:
        self.statements = self.commits = 0

    def read(self) -> dict[str, int]:
        return {"sql": self.statements, "commits": self.commits}

    def _statement(self, *_args: Any) -> None:
        self.statements += 1

    def _commit(self, *_args: Any) -> None:
        self.commits += 1

    @contextlib.contextmanager
    def listening(self) -> Iterator[None]:
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "commit", self._commit)
        try:
            yield
        finally:
            event.remove(Engine, "before_cursor_execute", self._statement)
            event.remove(Engine, "commit", self._commit)


# ---------------------------------------------------------------------------------------- size
async def _size(args: argparse.Namespace) -> dict[str, Any]:
    """Bytes per finished intake: `--intakes` people each finish one intake, nothing else runs."""
    scripts = load_scripts(args.scripts)
    engine = make_engine(args.url)
    _compact(engine)
    before = database_size(engine)  # compacted: on disk and live are the same here
    api = _api_for(args.url)

    async def body(_bot: TelegramBot) -> Any:
        return await run_crowd(api, scripts, concurrency=args.concurrency, first_user_id=args.first_user,
                               warmup=0.0, duration=600.0, max_people=args.intakes)

    crowd = await _with_bot(args.url, api, False, "WARNING", body)
    raw = database_size(engine)
    if engine.dialect.name == "sqlite":  # a byte-for-byte copy as it is on disk, for _after_housekeeping
        _copy_file(engine)
    _compact(engine)
    after = database_size(engine)
    kept = _after_housekeeping(engine) if engine.dialect.name == "sqlite" else None
    engine.dispose()
    k = max(crowd.intakes_finished, 1)
    tables = {name: round((after["tables"].get(name, 0) - before["tables"].get(name, 0)) / k)
              for name in sorted(set(after["tables"]) | set(before["tables"]))}
    result = {
        "intakes": crowd.intakes_finished,
        "updates": crowd.completed,
        "bytes_per_intake_on_disk": round((raw["file_bytes"] - before["file_bytes"]) / k),
        "bytes_per_intake_compacted": round((after["used_bytes"] - before["used_bytes"]) / k),
        "bytes_per_intake_by_table": {n: b for n, b in tables.items() if b},
        "bytes_per_intake_by_table_on_disk": {
            n: b for n in sorted(raw["tables"]) if (b := round((raw["tables"][n] - before["tables"].get(n, 0)) / k))},
    }
    if kept is not None:
        on_disk, live = kept
        grown = {n: round((on_disk["tables"][n] - before["tables"].get(n, 0)) / k) for n in sorted(on_disk["tables"])}
        result |= {
            "bytes_per_intake_on_disk_after_housekeeping": round((on_disk["file_bytes"] - before["file_bytes"]) / k),
            "bytes_per_intake_compacted_after_housekeeping": round((live["used_bytes"] - before["used_bytes"]) / k),
            "bytes_per_intake_by_table_on_disk_after_housekeeping": {n: b for n, b in grown.items() if b},
        }
    return result


def _after_housekeeping(engine: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """SQLite: what the intakes leave for good, on disk and compacted, once the inbox's and the outbox's
    retention times have passed and the hourly housekeeping ran (bot.telegram.housekeeping). Measured on
    a page-for-page copy of the database as it was on disk before compaction (made by `_copy_file`)."""
    path = str(engine.url.database) + ".before-compaction"
    copy = make_engine(f"sqlite:///{path}")
    try:
        later = datetime.now(UTC) + max(INBOX_KEPT, OUTBOX_KEPT) + timedelta(hours=1)
        with transaction(copy) as db:
            repo.forget_processed_inbox(db, before=later - INBOX_KEPT)
            repo.forget_sent_outbox(db, before=later - OUTBOX_KEPT)
        reclaim(copy)
        on_disk = database_size(copy)
        _compact(copy)
        return on_disk, database_size(copy)
    finally:
        copy.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)


def _copy_file(engine: Any) -> None:
    """A copy of the SQLite file page for page (the WAL is checkpointed into it by database_size)."""
    source = sqlite3.connect(str(engine.url.database))
    target = sqlite3.connect(str(engine.url.database) + ".before-compaction")
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _compact(engine: Any) -> None:
    """Rewrite the database without dead space, to tell live data from what the disk holds."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM FULL"))
    else:  # a plain connection: VACUUM cannot run in the engine's BEGIN IMMEDIATE
        conn = sqlite3.connect(str(engine.url.database), isolation_level=None)
        try:
            conn.execute("VACUUM")
        finally:
            conn.close()


# ---------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ours", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("calibrate", "run", "size"):
        p = sub.add_parser(name)
        p.add_argument("--url", required=True, help="database URL (seeded and migrated already)")
        p.add_argument("--first-user", type=int, default=0, help="first Telegram user id (default: a new one)")
        if name == "calibrate":
            p.add_argument("--templates", required=True, help="where to write the seeding templates")
        else:
            p.add_argument("--scripts", required=True, help="JSON written by `calibrate`")
            p.add_argument("--concurrency", type=int, default=1)
        if name == "run":
            p.add_argument("--warmup", type=float, default=2.0)
            p.add_argument("--duration", type=float, default=10.0)
            p.add_argument("--think", type=float, default=0.0, help="mean seconds a person thinks (0: none)")
            p.add_argument("--flood-limit", action="store_true", help="keep Telegram's 30 calls/s limit")
            p.add_argument("--log-level", default="INFO", help="as INTAKE_LOG_LEVEL in production")
        if name == "size":
            p.add_argument("--intakes", type=int, default=100)
    args = parser.parse_args(argv)
    args.first_user = args.first_user or _new_people_from(args.url)
    if getattr(args, "log_level", None):
        _production_logging(args.log_level)
    else:
        logging.basicConfig(level=logging.WARNING)
    runner = {"calibrate": _calibrate, "run": _run, "size": _size}[args.command]
    result = asyncio.run(runner(args))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()

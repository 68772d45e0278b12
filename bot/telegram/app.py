"""The Telegram channel: the python-telegram-bot Application, fed from our own inbox.

python-telegram-bot's Updater acknowledges an update to Telegram before any handler has run, so a
crash there would lose it. Instead, our poller (or webhook) commits each update to the inbox first
and acknowledges it only then; the processor hands stored updates to `Application.process_update`,
one person at a time in update-id order and people in parallel; the handler runs the dialog in one
transaction, and the outbox is sent after the commit. Rows left by a crash are handled at start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from time import monotonic
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from telegram import BotCommand, Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.settings import Settings
from bot.telegram import staff
from bot.telegram.files import fetch_pending_files
from bot.telegram.sender import OutboxSender
from bot.telegram.translate import GroupMessage, Ignored, translate
from dialogs import reminders, service
from dialogs.events import Config
from dialogs.i18n import available_languages
from storage import crypto, repo
from storage.db import make_engine, transaction

__all__ = ["Services", "TelegramBot", "build_application", "run"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_MAX_ATTEMPTS = 5
# A person may write fast (a story in many short messages); past this, they are asked to slow down.
FLOOD_LIMIT = 20
FLOOD_WINDOW = 10.0  # seconds
PER_CHAT_ROUND = 10  # updates of one chat per processing round
REMINDER_ROUND_SECONDS = 600
MORNING = time(7, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
# What the intake reacts to; the rest is not fetched at all.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    """Everything a handler needs, built once."""

    settings: Settings
    engine: Engine
    config: Config
    executor: ThreadPoolExecutor

    async def run_db(self, fn: Callable[..., T], *args: Any) -> T:
        """Database work runs in worker threads, so the event loop keeps serving everyone else."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)


class TelegramBot:
    """Poller (or webhook intake), processor and sender around one Application."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        crypto.configure(settings.encryption_key)
        engine = engine or make_engine(settings.database_url)
        workers = 1 if engine.dialect.name == "sqlite" else 4
        self.services = Services(settings, engine, settings.dialog_config(available_languages()),
                                 ThreadPoolExecutor(max_workers=workers, thread_name_prefix="db"))
        self.application = build_application(settings, self)
        self.sender = OutboxSender(self.application.bot, engine, self.services.run_db)
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._answered_groups: set[str] = set()  # groups told once, in memory only: nothing is stored
        self._failed: dict[int, int] = {}
        self._transient: set[int] = set()  # updates to retry without counting it as their failure
        self._recent: dict[str, deque[float]] = defaultdict(deque)  # per chat: when its updates came
        self._told: dict[str, float] = {}  # per chat: when it was last asked to slow down
        self._tasks: list[asyncio.Task[None]] = []

    # ------------------------------------------------------------------ the handler
    async def on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        item = translate(update)
        run_db, now = self.services.run_db, _now()
        if isinstance(item, Ignored):
            await run_db(self._claim_only, update.update_id)
        elif isinstance(item, GroupMessage) and item.chat_id == self.services.config.staff_chat_id:
            await run_db(self._claim_only, update.update_id)  # the staff chat talks among itself
        elif isinstance(item, GroupMessage):
            answer = item.chat_id not in self._answered_groups
            await run_db(self._group, item, update.update_id, answer)
            self._answered_groups.add(item.chat_id)
        elif staff.is_staff_event(item) and await run_db(staff.handle_staff, self.services.engine, item, now):
            return
        else:
            try:
                handled = await run_db(self._handle, item, now)
            except (service.OutOfOrder, OperationalError, InterfaceError) as exc:
                # not a fault of this update: an earlier one goes first, or the database is away
                self._transient.add(update.update_id)
                log.warning("update postponed", extra={"update": update.update_id, "why": type(exc).__name__})
                return
            if not handled.duplicate:
                log.info("update handled", extra={"update": update.update_id, "person": handled.person_id,
                                                  "state": handled.state})
            if handled.reference:
                log.info("referral submitted", extra={"person": handled.person_id})

    def _handle(self, item: service.Incoming, now: datetime) -> service.Handled:
        with transaction(self.services.engine) as db:
            return service.handle(db, item, self.services.config, now)

    def _claim_only(self, update_id: int) -> None:
        with transaction(self.services.engine) as db:
            repo.claim_inbox_update(db, update_id=update_id, now=_now())

    def _group(self, item: GroupMessage, update_id: int, answer: bool) -> None:
        with transaction(self.services.engine) as db:
            service.handle_group(db, chat_id=item.chat_id, update_id=update_id, language_hint=item.language_hint,
                                 answer=answer, now=_now(), external_id=item.external_id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Only the kind of error and the update id: never the update's content.
        uid = update.update_id if isinstance(update, Update) else None
        log.error("handler failed", extra={"update": uid, "error": type(context.error).__name__})

    # ------------------------------------------------------------------ inbox
    def _store(self, updates: list[Update]) -> None:
        rows = []
        for u in updates:
            chat = u.effective_chat
            rows.append((u.update_id, str(chat.id) if chat else None, u.to_dict()))
        with transaction(self.services.engine) as db:
            repo.add_inbox_updates(db, updates=rows, now=_now())

    def store_raw(self, update_id: int, chat_id: str | None, payload: dict[str, Any]) -> None:
        with transaction(self.services.engine) as db:
            repo.add_inbox_updates(db, updates=[(update_id, chat_id, payload)], now=_now())

    def _pending(self) -> list[tuple[int, str | None, dict[str, Any]]]:
        with transaction(self.services.engine) as db:
            return [(r.update_id, r.chat_id, r.payload or {}) for r in repo.pending_inbox(db)]

    def _give_up(self, update_id: int, update: Update | None = None) -> None:
        item = translate(update) if update is not None else None
        with transaction(self.services.engine) as db:
            repo.claim_inbox_update(db, update_id=update_id, now=_now())
            if isinstance(item, service.Incoming) and not staff.is_staff_event(item):
                # the person is told, in their language, to send it again
                service.apologise(db, channel=item.channel, external_id=item.external_id, chat_id=item.chat_id,
                                  now=_now(), cfg=self.services.config, language_hint=item.language_hint)

    def _send_reminders(self) -> int:
        with transaction(self.services.engine) as db:
            return reminders.send_due(db, self.services.config, _now())

    async def remind(self, _context: object = None) -> None:
        """The repeating job: queue due reminders, then let the processor send them."""
        try:
            count = await self.services.run_db(self._send_reminders)
        except Exception as exc:  # noqa: BLE001 - the next round tries again
            log.error("reminder round failed", extra={"error": type(exc).__name__})
            return
        if count:
            log.info("reminders queued", extra={"count": count})
            self.wake()

    async def morning(self, _context: object = None) -> None:
        """Announce overdue and due-soon IVO deadlines in the staff chat."""
        chat = self.services.config.staff_chat_id
        if chat and await self.services.run_db(staff.announce_deadlines, self.services.engine, chat, _now()):
            self.wake()

    def _release_sending(self) -> None:
        with transaction(self.services.engine) as db:
            if count := repo.release_all_sending(db, channel="telegram"):
                log.info("replies left half-sent by a crash go out again", extra={"count": count})

    def _housekeeping(self) -> None:
        with transaction(self.services.engine) as db:
            repo.forget_processed_inbox(db, before=_now() - timedelta(days=3))

    async def process_pending(self) -> int:
        """Hand every stored, unprocessed update to the Application; per chat in order."""
        rows = await self.services.run_db(self._pending)
        by_chat: dict[str | None, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for update_id, chat_id, payload in rows:
            by_chat[chat_id].append((update_id, payload))
        await asyncio.gather(*(self._process_chat(chat, items) for chat, items in by_chat.items()))
        return len(rows)

    async def _process_chat(self, chat_id: str | None, items: list[tuple[int, dict[str, Any]]]) -> None:
        if chat_id is not None and len(items) > PER_CHAT_ROUND:
            # A flood from one chat waits for the next rounds, so everyone else is answered meanwhile.
            items = items[:PER_CHAT_ROUND]
            self._wake.set()
        for update_id, payload in items:
            try:
                update = Update.de_json(payload, self.application.bot)
            except (TypeError, ValueError, KeyError):
                update = None
            if update is None:
                await self.services.run_db(self._give_up, update_id)
                continue
            await self.application.process_update(update)
            if not await self.services.run_db(self._is_processed, update_id):
                if update_id in self._transient:
                    self._transient.discard(update_id)
                    break  # keep this person's order: the next round tries again
                attempts = self._failed.get(update_id, 0) + 1
                self._failed[update_id] = attempts
                if attempts >= _MAX_ATTEMPTS:
                    log.error("update dropped after repeated failures", extra={"update": update_id})
                    await self.services.run_db(self._give_up, update_id, update)
                    await self.sender.flush(chat_id)
                break  # keep this person's order: retry on the next round
            self._failed.pop(update_id, None)
            if chat_id is not None:
                await self._watch_flood(chat_id, update)
                await self.sender.flush(chat_id)

    async def _watch_flood(self, chat_id: str, update: Update) -> None:
        """Count a chat's updates; past FLOOD_LIMIT in FLOOD_WINDOW, say once (per window) to slow down."""
        now = monotonic()
        seen = self._recent[chat_id]
        seen.append(now)
        while seen and seen[0] < now - FLOOD_WINDOW:
            seen.popleft()
        user = update.effective_user
        if len(seen) <= FLOOD_LIMIT or user is None or now - self._told.get(chat_id, -1e9) < FLOOD_WINDOW:
            return
        self._told[chat_id] = now
        log.info("chat floods: asked to slow down", extra={"update": update.update_id})
        await self.services.run_db(self._slow_down, str(user.id), chat_id, user.language_code)

    def _slow_down(self, external_id: str, chat_id: str, language_hint: str | None = None) -> None:
        with transaction(self.services.engine) as db:
            service.slow_down(db, channel="telegram", external_id=external_id, chat_id=chat_id, now=_now(),
                              language_hint=language_hint)

    def _is_processed(self, update_id: int) -> bool:
        with transaction(self.services.engine) as db:
            return repo.inbox_processed(db, update_id=update_id)

    # ------------------------------------------------------------------ loops
    async def poll(self) -> None:
        """getUpdates -> inbox (committed) -> the next getUpdates acknowledges them."""
        offset: int | None = None
        delay = 1.0
        while not self._stop.is_set():
            try:
                updates = await self.application.bot.get_updates(
                    offset=offset, timeout=self.services.settings.poll_timeout, allowed_updates=ALLOWED_UPDATES
                )
            except (NetworkError, TelegramError) as exc:
                log.warning("getUpdates failed", extra={"error": type(exc).__name__})
                await self._sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            if not updates:
                continue
            try:
                await self.services.run_db(self._store, list(updates))
            except Exception as exc:  # noqa: BLE001 - the database is away: do not acknowledge
                log.error("could not store updates", extra={"error": type(exc).__name__})
                await self._sleep(2.0)
                continue
            offset = updates[-1].update_id + 1
            self._wake.set()

    async def process_loop(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)
            self._wake.clear()
            try:
                await self.process_pending()
                await fetch_pending_files(self.application.bot, self.services.engine, self.services.run_db)
                await self.sender.flush()  # retries, and anything sent by other workers' commits
            except Exception as exc:  # noqa: BLE001 - keep serving; the rows stay for the next round
                log.error("processing round failed", extra={"error": type(exc).__name__})
                await self._sleep(1.0)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)

    def wake(self) -> None:
        self._wake.set()

    async def start(self, *, polling: bool = True) -> None:
        await self.application.initialize()
        await self.application.start()
        with contextlib.suppress(TelegramError):
            await self.application.bot.set_my_commands(
                [BotCommand(c, d) for c, d in (("start", "Start or continue"), ("language", "Language / Språk"),
                                               ("restart", "Start again"), ("consents", "Consents"),
                                               ("mydata", "My data"), ("delete", "Delete"),
                                               ("exit", "Quick exit"), ("help", "Help"))]
            )
        if polling:
            await self.application.bot.delete_webhook(drop_pending_updates=False)
        await self.services.run_db(self._housekeeping)
        if self.services.settings.workers == 1:
            await self.services.run_db(self._release_sending)
        # what a crash left: stored updates not yet processed, replies not yet sent
        await self.process_pending()
        await self.sender.flush()
        if self.application.job_queue is not None:
            self.application.job_queue.run_repeating(self.remind, interval=REMINDER_ROUND_SECONDS, first=30)
            if self.services.config.staff_chat_id:
                # working mornings: PTB counts days 0-6 from Sunday
                self.application.job_queue.run_daily(self.morning, time=MORNING, days=(1, 2, 3, 4, 5))
        self._tasks.append(asyncio.create_task(self.process_loop()))
        if polling:
            self._tasks.append(asyncio.create_task(self.poll()))

    async def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        with contextlib.suppress(Exception):
            await self.services.run_db(self.sender.release_all)
        with contextlib.suppress(Exception):
            await self.application.stop()
            await self.application.shutdown()
        self.services.executor.shutdown(wait=True)

    def stop_on_signals(self) -> None:
        if sys.platform == "win32":  # no signal handlers on Windows' event loop: Ctrl-C ends the process
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._stop.set)

    async def wait_stopped(self) -> None:
        await self._stop.wait()

    async def run_until_stopped(self) -> None:
        self.stop_on_signals()
        await self.start(polling=True)
        log.info("telegram bot running", extra={"mode": "polling"})
        await self._stop.wait()
        await self.stop()


def build_application(settings: Settings, owner: TelegramBot) -> Application:  # type: ignore[type-arg]
    assert settings.telegram_token
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.file_url)
        .updater(None)  # our own poller stores updates before they are acknowledged
        .rate_limiter(AIORateLimiter(max_retries=0))  # a 429 goes back to the outbox, which waits and retries
        .build()
    )
    application.add_handler(TypeHandler(Update, owner.on_update))
    application.add_error_handler(owner.on_error)
    return application


def run(settings: Settings) -> None:
    bot = TelegramBot(settings)
    if settings.webhook_url:
        from bot.telegram.webhook import run_webhook

        asyncio.run(run_webhook(bot, settings))
    else:
        asyncio.run(bot.run_until_stopped())

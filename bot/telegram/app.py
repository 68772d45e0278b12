"""The Telegram channel: the python-telegram-bot Application, fed from our own inbox, and the
lifecycle that builds the shell's parts, starts them in order and stops them cleanly.

python-telegram-bot's Updater acknowledges an update to Telegram before any handler has run, so a
crash there would lose it. Instead, our poller (`poller.py`, or the webhook) commits each update to
the inbox (`inbox.py`) first and acknowledges it only then; the processor (`processor.py`) hands
stored updates to `Application.process_update`, one person at a time in update-id order and people
in parallel; the handler (`handler.py`) runs the dialog in one transaction, and the outbox is sent
after the commit (`sender.py`). Rows left by a crash are handled at start-up. Each part has one job:
retries (`retries.py`), floods (`flood.py`), the processing loop (`rounds.py`), repeating jobs
(`jobs.py`), housekeeping (`housekeeping.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, TypeHandler

from bot.logs import redact_libraries
from bot.settings import Settings
from bot.telegram.flood import FloodWatch
from bot.telegram.handler import UpdateHandler
from bot.telegram.housekeeping import Housekeeping
from bot.telegram.inbox import Inbox
from bot.telegram.jobs import Jobs
from bot.telegram.poller import ALLOWED_UPDATES, Poller
from bot.telegram.processor import Processor
from bot.telegram.retries import Retries
from bot.telegram.rounds import Rounds
from bot.telegram.sender import OutboxSender
from bot.telegram.services import Services
from dialogs.i18n import available_languages
from storage import crypto
from storage.db import make_engine

__all__ = ["ALLOWED_UPDATES", "Services", "TelegramBot", "build_application", "run"]

log = logging.getLogger(__name__)
_COMMANDS = (("start", "Start or continue"), ("language", "Language / Språk"), ("restart", "Start again"),
             ("consents", "Consents"), ("mydata", "My data"), ("delete", "Delete"), ("exit", "Quick exit"),
             ("help", "Help"))


class TelegramBot:
    """The parts around one Application, and their lifecycle: start, run, stop."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        crypto.configure(settings.encryption_key)
        redact_libraries()  # python-telegram-bot's own lines never carry texts or updates, at any level
        engine = engine or make_engine(settings.database_url)
        workers = 1 if engine.dialect.name == "sqlite" else 4
        self.services = Services(settings, engine, settings.dialog_config(available_languages()),
                                 ThreadPoolExecutor(max_workers=workers, thread_name_prefix="db"))
        self._stop = asyncio.Event()
        self.inbox = Inbox(self.services)
        self.retries = Retries()
        self.handler = UpdateHandler(self.services, self.retries)
        self.application = build_application(settings, self.handler)
        self.sender = OutboxSender(self.application.bot, engine, self.services.run_db)
        self.handler.message_ids = self.sender.message_ids
        self.floods = FloodWatch(self.services)
        self.processor = Processor(self.application, self.services, self.inbox, self.retries, self.floods,
                                   self.sender, self.wake)
        self.rounds = Rounds(self.application.bot, self.services, self.processor, self.sender, self._stop)
        self.poller = Poller(self.application.bot, self.services, self.inbox, self.wake, self._stop)
        self.jobs = Jobs(self.services, self.rounds.send_soon)  # a job's rows are no update's: a sweep sends them
        self.housekeeping = Housekeeping(self.services)
        self._tasks: list[asyncio.Task[None]] = []

    def wake(self) -> None:
        """Something was stored or queued: process it now."""
        self.rounds.wake()

    async def start(self, *, polling: bool = True) -> None:
        await self.application.initialize()
        await self.application.start()
        with contextlib.suppress(TelegramError):
            await self.application.bot.set_my_commands([BotCommand(c, d) for c, d in _COMMANDS])
        if polling:
            await self.application.bot.delete_webhook(drop_pending_updates=False)
        await self.services.run_db(self.housekeeping.tidy)
        if self.services.settings.workers == 1:
            await self.services.run_db(self.housekeeping.release_sending)
        # what a crash left: stored updates not yet processed, replies not yet sent
        await self.processor.process_pending()
        await self.sender.flush()
        self.jobs.schedule(self.application)
        self._tasks.append(asyncio.create_task(self.rounds.run()))
        if polling:
            self._tasks.append(asyncio.create_task(self.poller.run()))

    async def stop(self) -> None:
        self._stop.set()
        self.wake()
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


def build_application(settings: Settings, handler: UpdateHandler) -> Application:  # type: ignore[type-arg]
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
    application.add_handler(TypeHandler(Update, handler.on_update))
    application.add_error_handler(handler.on_error)
    return application


def run(settings: Settings) -> None:
    bot = TelegramBot(settings)
    if settings.webhook_url:
        from bot.telegram.webhook import run_webhook

        asyncio.run(run_webhook(bot, settings))
    else:
        asyncio.run(bot.run_until_stopped())

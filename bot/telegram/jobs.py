"""The bot's repeating jobs on python-telegram-bot's job queue: reminders for unfinished intakes, the
working-morning notice of IVO deadlines in the staff chat, and hourly housekeeping. The first two queue
outbox rows and wake the processing loop, which sends them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import time
from zoneinfo import ZoneInfo

from telegram.ext import Application

from bot.telegram import staff
from bot.telegram.housekeeping import ROUND_SECONDS, Housekeeping
from bot.telegram.services import Services, now
from dialogs import reminders
from storage.db import transaction

__all__ = ["MORNING", "REMINDER_ROUND_SECONDS", "Jobs"]

log = logging.getLogger(__name__)
REMINDER_ROUND_SECONDS = 600
MORNING = time(7, 30, tzinfo=ZoneInfo("Europe/Stockholm"))


class Jobs:
    def __init__(self, services: Services, wake: Callable[[], None]) -> None:
        self.services, self.wake = services, wake
        self.housekeeping = Housekeeping(services)

    def schedule(self, application: Application) -> None:  # type: ignore[type-arg]
        if application.job_queue is None:
            return
        application.job_queue.run_repeating(self.remind, interval=REMINDER_ROUND_SECONDS, first=30)
        application.job_queue.run_repeating(self.tidy, interval=ROUND_SECONDS, first=ROUND_SECONDS)
        if self.services.config.staff_chat_id:
            # working mornings: PTB counts days 0-6 from Sunday
            application.job_queue.run_daily(self.morning, time=MORNING, days=(1, 2, 3, 4, 5))

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

    async def tidy(self, _context: object = None) -> None:
        """The repeating job: forget old inbox ids and sent outbox rows, give the space back."""
        try:
            await self.services.run_db(self.housekeeping.tidy)
        except Exception as exc:  # noqa: BLE001 - the next round tries again
            log.error("housekeeping round failed", extra={"error": type(exc).__name__})

    async def morning(self, _context: object = None) -> None:
        """Announce overdue and due-soon IVO deadlines in the staff chat."""
        chat = self.services.config.staff_chat_id
        if chat and await self.services.run_db(staff.announce_deadlines, self.services.engine, chat, now()):
            self.wake()

    def _send_reminders(self) -> int:
        with transaction(self.services.engine) as db:
            return reminders.send_due(db, self.services.config, now())

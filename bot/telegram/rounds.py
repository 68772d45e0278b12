"""The processing loop: whenever woken (a stored update, a queued reminder) or every second, one
round: process the inbox; fetch the files the intake took when an update brought one; and every
`SWEEP_SECONDS`, or when asked, send whatever is left in the outbox and retry the downloads.

The rows an update writes are sent right after it by the processor, so the sweep of the whole outbox
is for the rest (retries that came due, rows left by a crash or another worker, notices of jobs and
file downloads): it runs on a timer, not after every round, where it was a transaction per round that
found nothing. Likewise the search for files to fetch runs when an update with an attachment was
processed, or on the timer (downloads to retry, files left by a crash), not for every text or press.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from time import monotonic

from telegram import Bot

from bot.telegram.files import fetch_pending_files
from bot.telegram.processor import Processor
from bot.telegram.sender import OutboxSender
from bot.telegram.services import Services

__all__ = ["SWEEP_SECONDS", "Rounds"]

log = logging.getLogger(__name__)
SWEEP_SECONDS = 2.0  # at most this long before a retry that came due is sent


class Rounds:
    def __init__(self, bot: Bot, services: Services, processor: Processor, sender: OutboxSender,
                 stopping: asyncio.Event) -> None:
        self.bot, self.services, self.processor, self.sender = bot, services, processor, sender
        self.stopping = stopping
        self._wake = asyncio.Event()
        self._sweep_now = True

    def wake(self) -> None:
        """Start the next round now rather than within a second."""
        self._wake.set()

    def send_soon(self) -> None:
        """Rows were queued outside an update (a job): sweep the outbox in the next round, started now."""
        self._sweep_now = True
        self._wake.set()

    async def run(self) -> None:
        next_sweep = monotonic()
        while not self.stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)
            self._wake.clear()
            try:
                await self.processor.process_pending()
                sweep = self._sweep_now or monotonic() >= next_sweep
                fetched = 0
                if self.processor.take_files_due() or sweep:  # a file came, or retries of downloads
                    fetched = await fetch_pending_files(self.bot, self.services.engine, self.services.run_db)
                if sweep or fetched:
                    self._sweep_now = False
                    next_sweep = monotonic() + SWEEP_SECONDS
                    await self.sender.flush()  # retries, jobs' and downloads' notices, other workers' rows
            except Exception as exc:  # noqa: BLE001 - keep serving; the rows stay for the next round
                log.error("processing round failed", extra={"error": type(exc).__name__})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), timeout=1.0)

"""The processing loop: whenever woken (a stored update, a queued reminder) or every second, one
round: process the inbox, fetch the files the intake took, send what is left in the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot

from bot.telegram.files import fetch_pending_files
from bot.telegram.processor import Processor
from bot.telegram.sender import OutboxSender
from bot.telegram.services import Services

__all__ = ["Rounds"]

log = logging.getLogger(__name__)


class Rounds:
    def __init__(self, bot: Bot, services: Services, processor: Processor, sender: OutboxSender,
                 stopping: asyncio.Event) -> None:
        self.bot, self.services, self.processor, self.sender = bot, services, processor, sender
        self.stopping = stopping
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Start the next round now rather than within a second."""
        self._wake.set()

    async def run(self) -> None:
        while not self.stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)
            self._wake.clear()
            try:
                await self.processor.process_pending()
                await fetch_pending_files(self.bot, self.services.engine, self.services.run_db)
                await self.sender.flush()  # retries, and anything sent by other workers' commits
            except Exception as exc:  # noqa: BLE001 - keep serving; the rows stay for the next round
                log.error("processing round failed", extra={"error": type(exc).__name__})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), timeout=1.0)

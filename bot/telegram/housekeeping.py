"""Housekeeping: forget old processed inbox ids and old sent outbox rows, give the freed space back, and
(at start-up) send again what a crash left half-sent.

Rows that are only kept for a while (an update id against redelivery, a sent message's Telegram id for
edits and quick exit) are deleted when their time is up, each kind with one indexed DELETE, rather than
kept shrunk in place: SQLite never reuses the emptied part of a page, and the file would keep growing
faster than the intakes it holds (issue 14).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.telegram.services import Services, now
from storage import repo
from storage.db import reclaim, transaction

__all__ = ["BATCH", "INBOX_KEPT", "OUTBOX_KEPT", "ROUND_SECONDS", "Housekeeping", "forget_old", "forget_sent",
           "tidy"]

log = logging.getLogger(__name__)
INBOX_KEPT = timedelta(days=3)  # Telegram may reuse update ids after a week of silence
# Quick exit deletes the bot's messages of the last 48 hours (Telegram's limit), by the ids kept here.
OUTBOX_KEPT = timedelta(days=3)
ROUND_SECONDS = 3600  # how often the repeating job tidies up
BATCH = 2000  # rows deleted per transaction


def forget_old(engine: Engine) -> int:
    """Forget processed inbox ids past their time, a batch per transaction."""
    return _in_batches(engine, lambda db, before: repo.forget_processed_inbox(db, before=before, limit=BATCH),
                       now() - INBOX_KEPT)


def forget_sent(engine: Engine) -> int:
    """Forget sent outbox rows past their time that no edit needs, a batch per transaction."""
    return _in_batches(engine, lambda db, before: repo.forget_sent_outbox(db, before=before, limit=BATCH),
                       now() - OUTBOX_KEPT)


def tidy(engine: Engine) -> dict[str, int]:
    """What the repeating job does: forget what is old, then give the freed pages back (SQLite)."""
    return {"inbox": forget_old(engine), "outbox": forget_sent(engine), "pages": reclaim(engine)}


def _in_batches(engine: Engine, forget: Callable[[Any, datetime], int], before: datetime) -> int:
    """A transaction per `BATCH` rows: the first tidy after an upgrade (or a long stop) may find hundreds
    of thousands, and one DELETE for all of them would hold SQLite's only write lock (every person's
    answer waits) and the memory of the whole delete."""
    total = 0
    while True:
        with transaction(engine) as db:
            gone = forget(db, before)
        total += gone
        if gone < BATCH:
            return total


class Housekeeping:
    def __init__(self, services: Services) -> None:
        self.services = services

    def tidy(self) -> None:
        """The repeating job (and the start-up's first run)."""
        tidy(self.services.engine)

    def release_sending(self) -> None:
        """Only when this is the only worker: whatever is `sending` was left by a crash."""
        with transaction(self.services.engine) as db:
            if count := repo.release_all_sending(db, channel="telegram"):
                log.info("replies left half-sent by a crash go out again", extra={"count": count})

"""Housekeeping: forget old processed inbox ids and old sent outbox rows, give the freed space back, and
(at start-up) send again what a crash left half-sent.

Rows that are only kept for a while (an update id against redelivery, a sent message's Telegram id for
edits and quick exit) are deleted when their time is up, each kind with one indexed DELETE, rather than
kept shrunk in place: SQLite never reuses the emptied part of a page, and the file would keep growing
faster than the intakes it holds (issue 14).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.telegram.services import Services, now
from storage import repo
from storage.db import reclaim, transaction

__all__ = ["INBOX_KEPT", "OUTBOX_KEPT", "ROUND_SECONDS", "Housekeeping"]

log = logging.getLogger(__name__)
INBOX_KEPT = timedelta(days=3)  # Telegram may reuse update ids after a week of silence
# Quick exit deletes the bot's messages of the last 48 hours (Telegram's limit), by the ids kept here.
OUTBOX_KEPT = timedelta(days=3)
ROUND_SECONDS = 3600  # how often the repeating job tidies up


class Housekeeping:
    def __init__(self, services: Services) -> None:
        self.services = services

    def forget_old(self) -> None:
        with transaction(self.services.engine) as db:
            repo.forget_processed_inbox(db, before=now() - INBOX_KEPT)

    def forget_sent(self) -> None:
        with transaction(self.services.engine) as db:
            repo.forget_sent_outbox(db, before=now() - OUTBOX_KEPT)

    def tidy(self) -> None:
        """The repeating job: forget what is old, then give the freed pages back (SQLite)."""
        self.forget_old()
        self.forget_sent()
        reclaim(self.services.engine)

    def release_sending(self) -> None:
        """Only when this is the only worker: whatever is `sending` was left by a crash."""
        with transaction(self.services.engine) as db:
            if count := repo.release_all_sending(db, channel="telegram"):
                log.info("replies left half-sent by a crash go out again", extra={"count": count})

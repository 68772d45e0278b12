"""Start-up housekeeping: forget old processed inbox ids, and send again what a crash left half-sent."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.telegram.services import Services, now
from storage import repo
from storage.db import transaction

__all__ = ["INBOX_KEPT", "Housekeeping"]

log = logging.getLogger(__name__)
INBOX_KEPT = timedelta(days=3)  # Telegram may reuse update ids after a week of silence


class Housekeeping:
    def __init__(self, services: Services) -> None:
        self.services = services

    def forget_old(self) -> None:
        with transaction(self.services.engine) as db:
            repo.forget_processed_inbox(db, before=now() - INBOX_KEPT)

    def release_sending(self) -> None:
        """Only when this is the only worker: whatever is `sending` was left by a crash."""
        with transaction(self.services.engine) as db:
            if count := repo.release_all_sending(db, channel="telegram"):
                log.info("replies left half-sent by a crash go out again", extra={"count": count})

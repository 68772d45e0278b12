"""How an update handed to the Application ended, as the handler tells the processor, and how often
an update may fail before it is given up.

python-telegram-bot runs our handler inside `Application.process_update` and keeps what it returns to
itself, so the handler leaves its outcome here, keyed by update id, and the processor takes it right
after: processed (with the outbox rows its transaction wrote, handed to the sender without a re-read)
or postponed (an earlier update of the chat goes first, the database is away: not the update's fault,
not counted). No outcome means the handler raised: that failure is counted in the update's inbox row
(`Inbox.note_failure`), so every worker and every restart sees the same count, and the update is
given up after `MAX_ATTEMPTS` failures of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.repo import WrittenOutbox

__all__ = ["MAX_ATTEMPTS", "Postponed", "Processed", "Retries"]

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Processed:
    """The handler's transaction committed. `outbox`: the rows it wrote; None when the path that handled
    it does not report them (staff commands run their own transaction), so the sender reads the outbox."""

    outbox: tuple[WrittenOutbox, ...] | None


@dataclass(frozen=True)
class Postponed:
    """Not processed, for a reason outside the update: try again on a later round, uncounted."""


class Retries:
    def __init__(self) -> None:
        # filled by the handler during `process_update`, emptied by the processor right after it
        self._ended: dict[int, Processed | Postponed] = {}

    def processed(self, update_id: int, outbox: list[WrittenOutbox] | None) -> None:
        self._ended[update_id] = Processed(tuple(outbox) if outbox is not None else None)

    def postponed(self, update_id: int) -> None:
        self._ended[update_id] = Postponed()

    def take(self, update_id: int) -> Processed | Postponed | None:
        """How the update ended (and forget it); None when the handler raised before saying."""
        return self._ended.pop(update_id, None)

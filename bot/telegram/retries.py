"""How often an update failed, and whether its failure was its own: the processor retries an update
on the next round, and gives it up after `MAX_ATTEMPTS` failures of its own.

A postponement (an earlier update of the chat goes first, the database is away) is not the update's
fault and is not counted.
"""

from __future__ import annotations

__all__ = ["MAX_ATTEMPTS", "Retries"]

MAX_ATTEMPTS = 5


class Retries:
    def __init__(self) -> None:
        self._failed: dict[int, int] = {}
        self._transient: set[int] = set()  # updates to retry without counting it as their failure

    def postponed(self, update_id: int) -> None:
        """The handler could not process the update for a reason outside it."""
        self._transient.add(update_id)

    def was_postponed(self, update_id: int) -> bool:
        """Whether the last try was a postponement (and forget it: the next try starts clean)."""
        if update_id in self._transient:
            self._transient.discard(update_id)
            return True
        return False

    def failed(self, update_id: int) -> bool:
        """Count a failure of the update's own; True when it has failed too often to try again."""
        attempts = self._failed.get(update_id, 0) + 1
        self._failed[update_id] = attempts
        return attempts >= MAX_ATTEMPTS

    def succeeded(self, update_id: int) -> None:
        self._failed.pop(update_id, None)

"""What every part of the Telegram shell shares, built once: settings, the database, the dialog's
configuration, and the worker threads that run database work off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine

from bot.settings import Settings
from dialogs.events import Config

__all__ = ["Services", "now"]

T = TypeVar("T")


def now() -> datetime:
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

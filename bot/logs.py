"""Library log lines without content: what python-telegram-bot, httpx, httpcore and tornado log keeps
its wording but never its arguments, at any level.

Our own lines carry ids only (a rule of the house). The libraries' lines do not: python-telegram-bot
logs every Bot API call with its parameters and its answer at DEBUG (message texts, whole updates) and
a batch it cannot parse at CRITICAL ("Error while parsing updates! Received data was ..."), httpx logs
every URL (the token) at INFO. Levels alone do not hold (an operator may turn DEBUG on), so a log record
factory, installed once per process, replaces every argument of these loggers' records that is not a
number, and an exception by its type name, before any handler sees the record.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

__all__ = ["LIBRARIES", "REDACTED", "redact_libraries"]

LIBRARIES = ("telegram", "httpx", "httpcore", "tornado", "hpack")
REDACTED = "‹redacted›"


def _library(name: str) -> bool:
    return name.split(".", 1)[0] in LIBRARIES


def _arg(value: Any) -> Any:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else REDACTED


def _scrub(record: logging.LogRecord) -> None:
    if not isinstance(record.msg, str):
        record.msg = f"({type(record.msg).__name__})"
    if isinstance(record.args, Mapping):
        record.args = {key: _arg(value) for key, value in record.args.items()}
    elif record.args:
        record.args = tuple(_arg(value) for value in record.args)
    if record.exc_info:
        error = record.exc_info[1]
        record.msg = f"{record.msg} [{type(error).__name__}]"
        record.exc_info, record.exc_text = None, None


def redact_libraries() -> None:
    """Install the redacting record factory (once per process; safe to call again)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "intake_redacts", False):
        return

    def record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        if _library(record.name):
            _scrub(record)
        return record

    record_factory.intake_redacts = True  # type: ignore[attr-defined]
    record_factory.intake_extra = getattr(factory, "intake_extra", False)  # type: ignore[attr-defined]
    logging.setLogRecordFactory(record_factory)

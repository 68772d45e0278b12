"""Small measuring helpers shared by the runners: CPU and memory of this process, percentiles, sizes.

Only the standard library: `resource.getrusage` for CPU time and peak RSS (the bench must run with
what pyproject installs), /proc for the current RSS where there is one.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

__all__ = ["Usage", "database_size", "machine_busy", "percentiles", "postgres_cpu", "rss_mb", "usage"]


@dataclass(frozen=True)
class Usage:
    cpu: float  # user + system seconds of this process (all its threads)
    peak_rss_mb: float


def usage() -> Usage:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return Usage(ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024)  # Linux reports KiB


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat; 0 without it."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> float:
    """CPU seconds used so far by the local PostgreSQL server's processes (their database work)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text_ = stat.read_text()
        except OSError:
            continue
        name, rest = text_[text_.find("(") + 1:text_.rfind(")")], text_[text_.rfind(")") + 2:].split()
        if name.startswith("postgres"):
            total += int(rest[11]) + int(rest[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb() -> float | None:
    """The resident set size now (not the peak), from /proc; None where there is no /proc."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * resource.getpagesize() / 2**20


def percentiles(values: Sequence[float], points: Sequence[int] = (50, 95, 99)) -> dict[str, float | None]:
    """Percentiles in milliseconds (inclusive method; None without samples)."""
    if not values:
        return {f"p{p}": None for p in points} | {"max": None, "mean": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [values[0]] * 99
    out: dict[str, float | None] = {f"p{p}": round(cuts[p - 1] * 1000, 3) for p in points}
    out["max"] = round(max(values) * 1000, 3)
    out["mean"] = round(statistics.fmean(values) * 1000, 3)
    return out


def database_size(engine: Engine) -> dict[str, Any]:
    """Bytes the database takes: in total, and per table where the database can tell."""
    if engine.dialect.name == "sqlite":
        return _sqlite_size(str(engine.url.database))
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public'"
        )).all()
        tables = {str(name): int(size) for name, size in rows}
        return {"file_bytes": sum(tables.values()), "used_bytes": sum(tables.values()), "tables": tables}


def _sqlite_size(path: str) -> dict[str, Any]:
    # A plain connection: the project's engine opens every transaction with BEGIN IMMEDIATE, and a
    # WAL checkpoint cannot run inside one.
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        try:  # dbstat is compiled into most SQLite builds, not all
            rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
            tables = {str(name): int(size) for name, size in rows}
        except sqlite3.Error:
            tables = {}
    finally:
        conn.close()
    return {"file_bytes": int(page * pages), "used_bytes": int(page * (pages - free)), "tables": tables}

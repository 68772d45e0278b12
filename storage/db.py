"""The database engine, sessions and migrations, for SQLite (default) and PostgreSQL.

`INTAKE_DATABASE_URL` may be a plain `sqlite:///path` or `postgresql://user@host/db`; the driver is
chosen here (psycopg 3 for PostgreSQL). SQLite gets WAL, `synchronous=NORMAL`, a busy timeout,
foreign keys, `secure_delete` and a 16 MiB page cache on every connection, so a crash loses no committed
transaction, cascades work, and an erased row is overwritten rather than left in a freed page. A new SQLite
file is created with `auto_vacuum=INCREMENTAL`, so that housekeeping can give freed pages back (`reclaim`); a
file created before that is rewritten once by `migrate` (README, "Disk space").
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

__all__ = ["ERASED", "checkpoint", "core_transaction", "make_engine", "migrate", "normalize_url", "reclaim",
           "transaction"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)


def normalize_url(url: str) -> str:
    """A SQLAlchemy URL with the driver this project uses."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy emit BEGIN itself, so a transaction really starts where we say it does.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # autocommit at the driver; SQLAlchemy's BEGIN takes over
    cursor = dbapi_connection.cursor()
    # Takes effect only while the file has no tables yet (a new database); see `reclaim`.
    cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Freed pages and deleted cells are overwritten with zeros, whatever this SQLite build's default.
    cursor.execute("PRAGMA secure_delete=ON")
    # 16 MiB of pages per connection (the default is 2 MiB): with thousands of stored intakes the
    # index pages an update touches stop being read back from the OS each time (about -10 % CPU per
    # update at 10,000 stored, so the cost per update stays flat as data grows)
    cursor.execute("PRAGMA cache_size=-16384")
    cursor.close()


ERASED = "erased"  # set in a session's info by storage.repo.erase_person


def checkpoint(engine: Engine) -> None:
    """After an erasure (SQLite): copy the WAL into the database and truncate it, so the erased rows'
    old pages are not left in the log until some later checkpoint. PostgreSQL: nothing to do here
    (dead rows go at the next VACUUM, which autovacuum runs)."""
    if engine.dialect.name != "sqlite":
        return
    # on the driver's connection, outside any transaction (a checkpoint cannot run inside one)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.close()
    finally:
        raw.close()
    if busy and busy[0]:
        log.warning("WAL checkpoint after an erasure was not complete; the next one finishes it")


def reclaim(engine: Engine) -> int:
    """SQLite: give the database's free pages back to the file system (`PRAGMA incremental_vacuum`) and
    return how many there were. Pages freed by deleted rows are reused by later rows anyway; this keeps
    the file from staying at its largest after housekeeping deleted a lot. Nothing to do on PostgreSQL
    (autovacuum), nor on a SQLite file created without `auto_vacuum=INCREMENTAL`."""
    if engine.dialect.name != "sqlite":
        return 0
    raw = engine.raw_connection()  # outside the engine's BEGIN IMMEDIATE: the pragma runs its own
    try:
        cursor = raw.cursor()
        free = int(cursor.execute("PRAGMA freelist_count").fetchone()[0])
        if free and cursor.execute("PRAGMA auto_vacuum").fetchone()[0] == 2:  # 2: incremental
            # executescript steps the pragma to its end; execute() would stop after the first page freed
            cursor.executescript("PRAGMA incremental_vacuum;")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()
    return free


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits when the block ends, rolls back when it raises. A transaction that
    erased someone is followed by a WAL checkpoint (SQLite), so nothing of them stays in the log."""
    with Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session
        erased = session.info.pop(ERASED, False)
    if erased:
        checkpoint(engine)


@contextmanager
def core_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction without an ORM session, for work that is Core statements only (the inbox store,
    the outbox marks): the same BEGIN and commit, without the session's own bookkeeping."""
    with engine.begin() as connection:
        yield connection


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    """Bring the database to `revision` (creates it from nothing on a fresh SQLite file).

    A SQLite file created before `auto_vacuum=INCREMENTAL` was the default is rewritten once here (one
    `VACUUM`: it takes a while on a large file and needs as much free disk again), so that housekeeping
    can give freed space back from then on.
    """
    command.upgrade(alembic_config(url), revision)
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        conn = sqlite3.connect(parsed.database, isolation_level=None)
        try:
            if conn.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:  # 2: incremental
                log.info("rewriting the SQLite file once so that freed space can be given back")
                conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
                conn.execute("VACUUM")
        finally:
            conn.close()

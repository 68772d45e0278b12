"""No query of a processing round reads the whole of a table that grows with the stored intakes (issue 14).

A database with a few hundred stored intakes (copies of one real intake, as bench.seed makes them) gets one
more person, who goes through a whole intake with a voice message against the real bot (python-telegram-bot
Application, our poller, processor and sender, the fake Bot API); then the files are fetched and the
housekeeping and reminder jobs run. Every statement the bot sent to the database meanwhile is captured and
explained: SQLite's `EXPLAIN QUERY PLAN` must not say `SCAN <table>` without an index, and PostgreSQL's
plan, with sequential scans switched off (so a small table's cheap seq scan does not hide a missing index),
must have neither a Seq Scan nor an index walked from end to end (an Index Scan without an Index Cond).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from bench.seed import Capture, seed
from bot.telegram.files import fetch_pending_files
from bot.telegram.housekeeping import Housekeeping
from dialogs.events import Config, Media, Text
from storage.db import make_engine, transaction
from storage.interpreting import FILE_KINDS, StoredFile
from storage.models import TranscriptEntry
from tests.e2e.fakebot import FakeBotApi
from tests.e2e.harness import Person, start_bot
from tests.storage import test_service
from tests.storage.test_service import Person_
from tests.unit.conversation import FORM1_SV

# The tables that grow with every stored intake, which a round must only ever look up by an index.
GROWING = ("transcript_entry", "outbox_message", "inbox_update", "answer_record", "consent", "referral")
STORED_INTAKES = 300
PERSONA = FORM1_SV | {"language": "ar", "interpreter": "yes"}
_ALIAS = re.compile(r'"?(\w+)"? AS "?(\w+)"?', re.IGNORECASE)
_SQLITE_SCAN = re.compile(r"^SCAN (\w+)\b(?! USING)")


# ------------------------------------------------------------------------------------ the checker
def full_scans(conn: Connection, statement: str, parameters: Any) -> list[str]:
    """The growing tables this statement reads from end to end, by its plan on this connection."""
    aliases = {alias.lower(): table.lower() for table, alias in _ALIAS.findall(statement)}
    if conn.dialect.name == "sqlite":
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        found = [m.group(1).lower() for row in plan if (m := _SQLITE_SCAN.match(str(row[-1])))]
    else:
        with conn.begin():
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            raw = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar_one()
        plan = raw if isinstance(raw, list) else json.loads(raw)
        found = [node["Relation Name"] for node in _nodes(plan[0]["Plan"]) if _walks_whole_table(node)]
    return sorted({aliases.get(name, name) for name in found} & set(GROWING))


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def _walks_whole_table(node: dict[str, Any]) -> bool:
    kind = node.get("Node Type")
    if "Relation Name" not in node:
        return False
    return kind == "Seq Scan" or (kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node)


# ------------------------------------------------------------------------------------ capturing
class Statements:
    """Every SELECT, UPDATE and DELETE sent to one database while capturing, each once."""

    def __init__(self, database: str | None) -> None:
        self.database, self.seen = database, {}  # type: dict[str, Any]

    def _record(self, conn: Connection, _cursor: Any, statement: str, parameters: Any, _context: Any,
                executemany: bool) -> None:
        if conn.engine.url.database != self.database:
            return
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if verb in ("SELECT", "UPDATE", "DELETE", "WITH"):
            self.seen.setdefault(statement, parameters[0] if executemany else parameters)

    @contextmanager
    def capturing(self) -> Iterator[Statements]:
        event.listen(Engine, "before_cursor_execute", self._record)
        try:
            yield self
        finally:
            event.remove(Engine, "before_cursor_execute", self._record)


def _scans_in(engine: Engine, statements: dict[str, Any]) -> dict[str, list[str]]:
    out = {}
    with engine.connect() as conn:
        for statement, parameters in statements.items():
            if tables := full_scans(conn, statement, parameters):
                out[" ".join(statement.split())[:300]] = tables
            if conn.in_transaction():
                conn.rollback()
    return out


# ------------------------------------------------------------------------------------ stored intakes
@pytest.fixture(autouse=True)
def _arabic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(test_service, "CONFIG", Config(languages=("sv", "en", "ar")))
    # the stored intakes' update ids lie far above the fake Bot API's, which would look like redeliveries
    monkeypatch.setattr(test_service, "_UPDATE_IDS", itertools.count(50_000_000))


def _stored_intakes(url: str, engine: Engine, count: int) -> None:
    """One real intake through the dialog service, captured as a template and copied `count` times."""
    capture = Capture(engine)
    outbox_before = capture.last_ids()["outbox_message"]
    person = Person_(engine, "500")
    steps: list[Any] = []
    person.answer(PERSONA, account=[Text("De sa att jag måste flytta"),
                                    Media("voice", "VOICE-500", "U-VOICE-500", None, "audio/ogg", 2048)],
                  on_step=lambda: steps.append(capture.step("500")))
    template = capture.template("form_1", "500", steps, outbox_before)
    seed(url, intakes=count, templates=[template])  # tidied as the hourly housekeeping keeps a database
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")


# ------------------------------------------------------------------------------------ the tests
async def test_a_processing_round_reads_no_growing_table_from_end_to_end(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        _stored_intakes(database_url, engine, STORED_INTAKES)
        with transaction(engine) as db:
            assert db.exec(text("SELECT count(*) FROM intake")).one()[0] >= STORED_INTAKES  # type: ignore[call-overload]
        statements = Statements(make_url(engine.url).database)
        with FakeBotApi() as fake, statements.capturing():
            bot = await start_bot(fake, database_url)
            try:
                person = Person(fake, 7001, "ar")
                await person.answer_until(PERSONA, stop_at="account")
                await person.type("De sa att jag måste flytta")
                before = person.work_done()
                fake.send_voice(person.user_id)
                await person.settle(before)
                await person.press("q:account:done")
                await person.answer_until(PERSONA)
                await fetch_pending_files(bot.application.bot, bot.services.engine, bot.services.run_db)
                await bot.sender.flush()
                housekeeping = Housekeeping(bot.services)
                for job in (housekeeping.tidy, housekeeping.release_sending):
                    await bot.services.run_db(job)
                await bot.jobs.remind()
            finally:
                await bot.stop()
        with transaction(engine) as db:
            stored = db.exec(select(StoredFile.status)).all()
        assert "stored" in stored, "the round fetched the voice message"
        assert len(statements.seen) > 20, "the round's statements were captured"
        assert _scans_in(engine, statements.seen) == {}
    finally:
        engine.dispose()


def test_the_checker_catches_a_search_of_the_transcript(engine: Engine) -> None:
    """The query that found new file messages before issue 14, which the check must refuse."""
    seen = select(StoredFile.transcript_entry_id)
    old = (select(TranscriptEntry).where(TranscriptEntry.direction == "in", col(TranscriptEntry.kind).in_(FILE_KINDS),
                                         col(TranscriptEntry.id).not_in(seen))
           .order_by(col(TranscriptEntry.id)).limit(10))
    statements = Statements(make_url(engine.url).database)
    with statements.capturing(), transaction(engine) as db:
        db.exec(old).all()
    assert list(_scans_in(engine, statements.seen).values()) == [["transcript_entry"]]

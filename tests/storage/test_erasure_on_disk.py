"""After an erasure nothing of the person is left in the SQLite files (issue 15, point 7): every
connection sets `secure_delete` (freed pages are zeroed, whatever the build's default), and the
transaction that erased someone is followed by a WAL checkpoint that truncates the log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from casework.retention import purge
from dialogs.events import Command, Press, Text
from storage.db import make_engine, transaction
from tests.storage.test_service import Person_
from tests.unit.conversation import FORM1_SV

STORY = "MARKERSTORY jag fick ett nummer till socialen i Sollefteå"


def _until_account(person: Person_) -> None:
    person.send(Command("start"))
    for _ in range(60):
        qid = person.open_question
        if qid == "account":
            return
        want = FORM1_SV.get(qid)
        if isinstance(want, list):
            for choice in want:
                person.send(Press(f"q:{qid}:{choice}"))
            person.send(Press(f"q:{qid}:done"))
        elif isinstance(want, dict):
            person.send(Text(want["text"]))
            person.send(Press(f"q:{qid}:{want['pick']}"))
        else:
            person.send(Press(f"q:{qid}:{want}"))
    raise AssertionError("the account question never came")


def _on_disk(url: str) -> bytes:
    path = Path(url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_every_sqlite_connection_zeroes_what_it_frees(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1
    engine.dispose()


def test_delete_leaves_no_trace_of_the_account_in_the_database_files(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    person = Person_(engine, "91")
    _until_account(person)
    person.send(Text(STORY))
    assert STORY.encode() in _on_disk(sqlite_url), "the account is stored (in the WAL) before /delete"
    person.send(Command("delete"))
    person.send(Press("c:delete:yes"))
    assert STORY.encode() not in _on_disk(sqlite_url), "erased from the database file and its WAL"
    engine.dispose()


def test_purge_leaves_no_trace_either(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    person = Person_(engine, "92")
    _until_account(person)
    person.send(Text(STORY))
    with transaction(engine) as db:
        report = purge(db, now=datetime.now(UTC) + timedelta(days=31), unfinished_days=30, closed_years=5,
                       dry_run=False)
    assert report.unfinished_intakes == 1
    assert STORY.encode() not in _on_disk(sqlite_url)
    engine.dispose()

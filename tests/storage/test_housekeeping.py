"""Housekeeping deletes sent outbox rows once their time is up (issue 14), but never one that is still
needed: an intake's live message (its keyboard is edited at the next answer), the target of an edit that
waits to be sent, or anything quick exit may still delete from the chat."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import select

from bot.telegram.housekeeping import OUTBOX_KEPT
from dialogs.personal_data import DELETABLE_FOR
from storage import repo
from storage.db import make_engine, migrate, reclaim, transaction
from storage.models import Intake, OutboxMessage
from tests.storage.test_service import Person_
from tests.unit.conversation import FORM1_SV


def _send(db: object, now: datetime, *, sent: bool, target: int | None = None, action: str = "send") -> int:
    outbox_id = repo.add_outbox(db, channel="telegram", chat_id="61", action=action,  # type: ignore[arg-type]
                                payload={"text": "x"}, now=now, target_outbox_id=target)
    if sent:
        repo.mark_outbox(db, outbox_id=outbox_id, status="sent", now=now, message_id=outbox_id)  # type: ignore[arg-type]
    return outbox_id


def test_sent_rows_go_when_their_time_is_up_unless_still_needed(engine: Engine) -> None:
    person = Person_(engine, "61")
    person.answer(FORM1_SV)
    now = datetime.now(UTC)
    old = now - OUTBOX_KEPT - timedelta(hours=1)
    with transaction(engine) as db:
        intake = db.exec(select(Intake)).one()
        live = _send(db, old, sent=True)
        intake.live_outbox_id = live
        db.add(intake)
        edited = _send(db, old, sent=True)
        _send(db, now, sent=False, target=edited, action="edit_markup")  # waits to be sent
        gone = _send(db, old, sent=True)
        recent = _send(db, now - DELETABLE_FOR, sent=True)  # quick exit may still delete it
        waiting = _send(db, old, sent=False)
    with transaction(engine) as db:
        before = set(db.exec(select(OutboxMessage.id)).all())
        deleted = repo.forget_sent_outbox(db, before=now - OUTBOX_KEPT)
    with transaction(engine) as db:
        after = set(db.exec(select(OutboxMessage.id)).all())
    assert gone in before and gone not in after
    assert {live, edited, recent, waiting} <= after
    assert before - after == {gone} and deleted == 1, "the intake's own rows were sent just now: they stay"


def test_space_freed_by_housekeeping_goes_back_to_the_file_system(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    path = Path(engine.url.database or "")
    try:
        now = datetime.now(UTC)
        with transaction(engine) as db:
            repo.add_inbox_updates(db, updates=[(i, "62", {"text": "x" * 3000}) for i in range(1, 400)], now=now)
        reclaim(engine)
        full = path.stat().st_size
        with transaction(engine) as db:
            for i in range(1, 400):
                repo.claim_inbox_update(db, update_id=i, now=now)
            repo.forget_processed_inbox(db, before=now + timedelta(seconds=1))
        assert reclaim(engine) > 0, "the deleted rows' pages were free"
        assert path.stat().st_size < full / 4
    finally:
        engine.dispose()


def test_an_older_sqlite_file_is_made_ready_to_give_space_back_when_migrated(sqlite_url: str) -> None:
    path = make_url(sqlite_url).database or ""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA auto_vacuum=NONE")
    conn.execute("VACUUM")  # as a file created before auto_vacuum=INCREMENTAL was the default
    assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
    conn.close()
    migrate(sqlite_url)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2, "incremental"
    conn.close()


def test_a_long_backlog_goes_in_short_transactions(engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The first tidy after an upgrade finds every row ever sent: it deletes them a batch per transaction
    (SQLite's one write lock is free between batches for people's answers), and all of them."""
    from sqlalchemy import event

    from bot.telegram import housekeeping
    from storage.models import InboxUpdate

    monkeypatch.setattr(housekeeping, "BATCH", 7)
    old = datetime.now(UTC) - OUTBOX_KEPT - timedelta(hours=1)
    with transaction(engine) as db:
        for _ in range(30):
            _send(db, old, sent=True)
        repo.add_inbox_updates(db, updates=[(n, "61", {"update_id": n}) for n in range(1, 21)], now=old)
        for n in range(1, 21):
            repo.claim_inbox_update(db, update_id=n, now=old)
    commits: list[int] = []
    event.listen(engine, "commit", lambda _conn: commits.append(1))
    assert housekeeping.forget_sent(engine) == 30 and len(commits) == 5, "30 rows: 4 batches of 7, one short"
    assert housekeeping.forget_old(engine) == 20
    with transaction(engine) as db:
        assert db.exec(select(OutboxMessage.id)).all() == [] and db.exec(select(InboxUpdate.update_id)).all() == []

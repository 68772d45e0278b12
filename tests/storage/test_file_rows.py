"""A file message's row is written with the message, and the processing round reads only such rows
(issue 14): the row is there in the update's own transaction, the upgrade gives the messages sent before
it their rows, and what the round decides (kept or not, the day's quota) is as it was."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, text

from bot.telegram import files
from casework import quotas
from dialogs import prompts, service
from dialogs.events import Config, Media
from dialogs.i18n import render
from storage import interpreting as store
from storage import repo
from storage.db import alembic_config, make_engine, migrate, transaction
from storage.models import Person, TranscriptEntry
from tests.storage import test_service
from tests.storage.test_interpreting import _intake


@pytest.fixture(autouse=True)
def _arabic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(test_service, "CONFIG", Config(languages=("sv", "en", "ar")))


class _TelegramFile:
    def __init__(self, content: bytes) -> None:
        self.file_size, self._content = len(content), content

    async def download_as_bytearray(self) -> bytearray:
        return bytearray(self._content)


class _Bot:
    """What fetch_pending_files asks of the Bot API: a file by its id (every file holds `content`)."""

    def __init__(self, content: bytes = b"%PDF-1.7 page") -> None:
        self.content, self.asked = content, []  # type: list[str]

    async def get_file(self, file_id: str) -> _TelegramFile:
        self.asked.append(file_id)
        return _TelegramFile(self.content)


async def _run_db(fn: Any, *args: Any) -> Any:
    return fn(*args)


def _statuses(engine: Engine) -> Counter[str]:
    with transaction(engine) as db:
        return Counter(s for (s,) in db.exec(text("SELECT status FROM stored_file")).all())  # type: ignore[call-overload]


def _document(n: int) -> Media:
    return Media("document", f"DOC-{n}", f"U-DOC-{n}", f"sida-{n}.pdf", "application/pdf", 1000)


def test_a_file_message_gets_its_row_in_the_same_transaction(engine: Engine) -> None:
    person, _ = _intake(engine, media_in_account=False)
    incoming = service.Incoming("telegram", person.user, person.user, _document(1), "sv")

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction(engine) as db:
        service.handle(db, incoming, test_service.CONFIG, datetime.now(UTC))
        [(row, entry, answer)] = store.new_files(db, limit=10)
        assert (row.status, row.kind, entry.kind, entry.data["file_id"]) == ("new", "document", "document", "DOC-1")
        assert answer is not None and answer.direction == "out", "the bot's answer, written in the same update"
        raise Undone  # the update's transaction rolls back: its file row goes with it
    assert _statuses(engine) == Counter()
    person.send(_document(2))
    assert _statuses(engine) == Counter({"new": 1})


async def test_the_round_keeps_what_the_intake_took_and_reads_only_new_rows(engine: Engine) -> None:
    _, reference = _intake(engine)  # a voice message in the account: kept
    with transaction(engine) as db:
        person_id = repo.get_referral(db, reference=reference).person_id
        # a photo outside the intake's questions, written as the service writes it: not kept
        repo.add_transcript(db, person_id=person_id, direction="in", kind="photo", data={"file_id": "PHOTO-1"},
                            now=datetime.now(UTC))
    bot = _Bot(b"OggS voice")
    assert await files.fetch_pending_files(bot, engine, _run_db) == 1  # type: ignore[arg-type]
    assert bot.asked == ["VOICE-1"]
    assert _statuses(engine) == Counter({"stored": 1, "not_kept": 1})
    assert await files.fetch_pending_files(bot, engine, _run_db) == 0  # type: ignore[arg-type]
    assert bot.asked == ["VOICE-1"], "a settled row is not looked at again"


async def test_files_past_the_days_quota_are_not_downloaded_and_the_person_is_told_once(engine: Engine) -> None:
    person, _ = _intake(engine, media_in_account=False)
    extra = 3
    for n in range(quotas.FILES_PER_DAY + extra):
        person.send(_document(n))
    bot = _Bot()
    for _ in range(10):  # a batch per call, as the processing loop does
        await files.fetch_pending_files(bot, engine, _run_db)  # type: ignore[arg-type]
    assert _statuses(engine) == Counter({"stored": quotas.FILES_PER_DAY, "over_quota": extra})
    assert len(bot.asked) == quotas.FILES_PER_DAY
    notice = render(prompts.FILES_OVER_QUOTA, "ar")
    with transaction(engine) as db:
        rows = repo.pending_outbox(db, channel="telegram", now=datetime.now(UTC), chat_id=person.user)
        assert sum((r.payload or {}).get("text") == notice for r in rows) == 1


def _downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)  # storage.db.migrate only goes up


def test_the_upgrade_gives_file_messages_not_yet_looked_at_their_rows(database_url: str) -> None:
    _downgrade(database_url, "0008")
    engine = make_engine(database_url)
    try:
        now = datetime.now(UTC)
        with transaction(engine) as db:
            person = Person(channel="telegram", external_id="77", chat_id="77", created_at=now, updated_at=now)
            db.add(person)
            db.flush()
            entries = {name: TranscriptEntry(person_id=person.id, direction=direction, kind=kind, at=now,
                                             data={"file_id": name})
                       for name, direction, kind in [("voice", "in", "voice"), ("looked_at", "in", "photo"),
                                                     ("text", "in", "text"), ("bot", "out", "message")]}
            db.add_all(entries.values())
            db.flush()
            db.exec(text("INSERT INTO stored_file (transcript_entry_id, kind, status, attempts, created_at) "  # type: ignore[call-overload]
                         "VALUES (:id, 'photo', 'not_kept', 0, :now)").bindparams(id=entries["looked_at"].id, now=now))
            ids = {name: e.id for name, e in entries.items()}
        migrate(database_url)
        query = text("SELECT transcript_entry_id, status FROM stored_file ORDER BY transcript_entry_id")
        with transaction(engine) as db:
            assert dict(db.exec(query).all()) == {ids["voice"]: "new", ids["looked_at"]: "not_kept"}  # type: ignore[call-overload]
            [(row, entry, _)] = store.new_files(db, limit=10)
            assert (row.kind, entry.id) == ("voice", ids["voice"])
        _downgrade(database_url, "0008")  # and back: the old code finds the message again by its missing row
        with transaction(engine) as db:
            assert dict(db.exec(query).all()) == {ids["looked_at"]: "not_kept"}  # type: ignore[call-overload]
    finally:
        engine.dispose()

"""Per-person quotas after submission (issue 15, point 6): a caseworker gets one new-message notice per
case per quiet period, however many messages the person sends in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from casework import quotas
from casework.interpreting import announce_person_message
from dialogs.events import Config, Text
from storage import repo
from storage.db import transaction
from tests.storage import test_service
from tests.storage.test_interpreting import _cmd, _intake, _staff


@pytest.fixture(autouse=True)
def _arabic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(test_service, "CONFIG", Config(languages=("sv", "en", "ar")))


def _notices(engine: Engine, chat_id: str) -> list[str]:
    with transaction(engine) as db:
        rows = repo.pending_outbox(db, channel="telegram", now=datetime.now(UTC) + timedelta(days=2), chat_id=chat_id)
        return [(r.payload or {}).get("text", "") for r in rows if (r.payload or {}).get("text", "").startswith("Nytt")]


def test_a_hundred_messages_give_the_caseworker_one_notice(engine: Engine) -> None:
    person, reference = _intake(engine, media_in_account=False)
    anna = _staff(engine, 891, "Anna", "caseworker")
    _cmd(engine, "claim", reference, anna)
    for i in range(100):
        person.send(Text(f"meddelande {i}"))
    assert len(_notices(engine, "891")) == 1
    with transaction(engine) as db:
        referral = repo.get_referral(db, reference=reference)
        events = [e for e in repo.referral_events(db, referral_id=referral.id) if e.kind == "person_message"]
    assert len(events) == 100, "every message is still an event of the case"


def test_after_a_quiet_period_the_next_message_gives_a_notice_again(engine: Engine) -> None:
    _, reference = _intake(engine, media_in_account=False)
    anna = _staff(engine, 892, "Anna", "caseworker")
    _cmd(engine, "claim", reference, anna)
    start = datetime.now(UTC)
    moments = [start, start + timedelta(minutes=5), start + quotas.NOTICE_QUIET + timedelta(minutes=6)]
    sent = []
    for now in moments:
        with transaction(engine) as db:
            from casework import queue

            queue.note_person_message(db, reference=reference, now=now)
            sent.append(announce_person_message(db, reference=reference, now=now))
    assert sent == [True, False, True]

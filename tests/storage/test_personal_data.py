"""The person's rights and the safeguards, on a real database: consents, /delete, /mydata,
reminders, retention and encryption at rest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlmodel import SQLModel

from casework import queue
from casework.retention import closed_cutoff_year, purge
from dialogs import reminders
from dialogs.events import Command, Config, Press, Text
from storage import crypto, repo
from storage.db import make_engine, transaction
from storage.models import Consent, Intake, Person, Referral, ReferralEvent
from tests.storage.test_service import Person_
from tests.unit.conversation import FORM1_SV

SECRET_STORY = "Hemlig berättelse om Tobias, ring 0701234567"
USER = "987654321"
PERSONA = FORM1_SV | {"account": "text:" + SECRET_STORY, "contact": "phone", "contact_phone": "text:070-765 43 21"}


def _everything(engine: Engine) -> str:
    """Every value of every table, as text: what a search of the whole database would find."""
    out = []
    with transaction(engine) as db:
        for table in SQLModel.metadata.sorted_tables:
            for row in db.execute(select(table)).all():
                out.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(out)


def _export(engine: Engine) -> list[dict[str, Any]]:
    with transaction(engine) as db:
        return queue.export(db)


def test_withdrawing_a_consent_is_a_new_record_and_changes_the_action(engine: Engine) -> None:
    person = Person_(engine, USER)
    person.answer(PERSONA)
    assert "request_justification" in _export(engine)[0]["assessment"]["actions"]
    person.send(Command("consents"))
    assert "c:withdraw:consent_contact" in person.buttons
    person.send(Press("c:withdraw:consent_contact"))
    [item] = _export(engine)
    assert item["consents"]["consent_contact"] == "no"
    # without consent Sollefteå still contacts the other municipality, but says nothing that identifies
    # the person and may not demand a justification for this person's move (policy 2.1)
    assert "ask_consent_contact" in item["assessment"]["actions"]
    assert "request_justification" not in item["assessment"]["actions"]
    assert "contact_municipality" in item["assessment"]["actions"]
    with transaction(engine) as db:
        records = [(c.consent, c.value) for c in db.exec(select(Consent)).scalars()]  # type: ignore[call-overload]
        assert records.count(("consent_contact", "yes")) == 1 and records[-1] == ("consent_contact", "no")
        events = [e.kind for e in db.exec(select(ReferralEvent)).scalars()]  # type: ignore[call-overload]
        assert "consent_withdrawn" in events
    person.send(Press("c:withdraw:consent_contact"))  # again: nothing left to withdraw
    with transaction(engine) as db:
        assert repo.count_rows(db, Consent) == len(records)


def test_delete_before_submission_leaves_nothing_about_the_person(engine: Engine) -> None:
    person = Person_(engine, USER)
    persona = dict(PERSONA)
    persona.pop("summary", None)
    person.send(Command("start"))
    for data in ("q:language:sv", "q:privacy:continue", "q:consent_store:yes", "q:urgent_needs:none",
                 "q:urgent_needs:done"):
        person.send(Press(data))
    person.send(Text("Ljusdal-xyz"))
    person.send(Command("delete"))
    person.send(Press("c:delete:yes"))
    everything = _everything(engine)
    for trace in (USER, "Ljusdal-xyz"):
        assert trace not in everything, trace
    with transaction(engine) as db:
        assert repo.count_rows(db, Person) == 0 and repo.count_rows(db, Intake) == 0
    assert "borttaget" in person.sent[-1]["text"]  # in the language the person chose


def test_delete_after_submission_asks_a_caseworker_and_keeps_the_case(engine: Engine) -> None:
    person = Person_(engine, USER)
    person.answer(PERSONA)
    person.send(Command("delete"))
    assert {"c:delete:yes", "c:delete:no"} <= set(person.buttons)
    person.send(Press("c:delete:yes"))
    [item] = _export(engine)
    assert item["consents"] == {"consent_store": "no", "consent_contact": "no", "consent_home_visit": "no"}
    with transaction(engine) as db:
        events = [e.kind for e in db.exec(select(ReferralEvent)).scalars()]  # type: ignore[call-overload]
    assert "erasure_requested" in events
    assert item["answers"]["account"] == [SECRET_STORY]  # documentation stays until a caseworker decides


def test_mydata_sends_a_readable_answer_and_a_json_document(engine: Engine) -> None:
    person = Person_(engine, USER)
    person.answer(PERSONA)
    person.send(Command("mydata"))
    document = next(m for m in person.sent if m["action"] == "send_document")
    data = json.loads(document["content"])
    assert [e["text"] for e in data["answers"]["account"]] == [SECRET_STORY]
    assert all("at" in e for e in data["answers"]["account"]), "each part of the account has its time"
    assert {c["consent"] for c in data["consents"]} == {"consent_store", "consent_contact", "consent_home_visit"}
    assert any(m.get("text") == SECRET_STORY for m in data["messages"])
    readable = [m for m in person.sent if m["action"] == "send"][-1]["text"]
    assert "SOL-" in readable and "Ljusdal" in readable


@pytest.mark.parametrize(
    ("hours_silent", "sent_before", "stopped", "state", "due"),
    [
        pytest.param(23, 0, False, "moved_when", None, id="less than a day: nothing"),
        pytest.param(25, 0, False, "moved_when", 1, id="a day of silence: the gentle reminder"),
        pytest.param(25, 1, False, "moved_when", None, id="first sent, not yet a week"),
        pytest.param(24 * 7 + 1, 1, False, "moved_when", 2, id="a week: the last reminder"),
        pytest.param(24 * 30, 2, False, "moved_when", None, id="both sent: no more"),
        pytest.param(48, 0, True, "moved_when", None, id="after /exit: silent"),
        pytest.param(48, 0, False, "done", None, id="submitted: silent"),
        pytest.param(48, 0, False, "ended", None, id="declined: silent"),
    ],
)
def test_which_reminder_is_due(hours_silent: int, sent_before: int, stopped: bool, state: str,
                               due: int | None) -> None:
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    got = reminders.due(state=state, last_activity=now - timedelta(hours=hours_silent), sent=sent_before,
                        stopped=stopped, now=now)
    assert got == due


def test_reminders_are_sent_once_each_and_say_when_answers_go(engine: Engine) -> None:
    person = Person_(engine, USER)
    person.send(Command("start"))
    person.send(Press("q:language:en"))
    cfg = Config(languages=("sv", "en"), retention_days=30)
    last = datetime.now(UTC)
    with transaction(engine) as db:
        assert reminders.send_due(db, cfg, last + timedelta(hours=2)) == 0
        assert reminders.send_due(db, cfg, last + timedelta(hours=25)) == 1
        assert reminders.send_due(db, cfg, last + timedelta(hours=26)) == 0
        assert reminders.send_due(db, cfg, last + timedelta(days=8)) == 1
        assert reminders.send_due(db, cfg, last + timedelta(days=20)) == 0
        rows = repo.pending_outbox(db, channel="telegram", now=last + timedelta(days=21), chat_id=USER)
        texts = [r.payload["text"] for r in rows if r.payload and r.action == "send"]
    erase_day = (last + timedelta(days=30)).date()
    assert "last reminder" in texts[-1] and f"{erase_day.day}" in texts[-1] and str(erase_day.year) in texts[-1]
    person.send(Text("I am back"))  # the person writes: the count starts again
    with transaction(engine) as db:
        assert repo.get_intake(db, person_id=repo.get_person(db, channel="telegram", external_id=USER).id
                               ).reminders_sent == 0


def test_purge_with_a_frozen_clock(engine: Engine) -> None:
    idle, fresh, submitted = Person_(engine, "1001"), Person_(engine, "1002"), Person_(engine, "1003")
    for person in (idle, fresh):
        person.send(Command("start"))
        person.send(Press("q:language:en"))
    submitted.answer(PERSONA)
    now = datetime.now(UTC)
    with transaction(engine) as db:
        # the idle person wrote last 31 days before "now"; the submitted case closed six years ago
        idle_id = repo.get_person(db, channel="telegram", external_id="1001").id
        db.execute(text("UPDATE intake SET updated_at = :t WHERE person_id = :p"),
                   {"t": now - timedelta(days=31), "p": idle_id})
        db.execute(text("UPDATE referral SET status = 'closed'"))
        db.execute(text("UPDATE referral_event SET at = :t"), {"t": now.replace(year=now.year - 6)})
    with transaction(engine) as db:
        dry = purge(db, now=now, unfinished_days=30, closed_years=5, dry_run=True)
    assert (dry.unfinished_intakes, dry.closed_referrals) == (1, 1)
    with transaction(engine) as db:
        assert repo.count_rows(db, Person) == 3  # a dry run erases nothing
        report = purge(db, now=now, unfinished_days=30, closed_years=5, dry_run=False)
    assert (report.unfinished_intakes, report.closed_referrals) == (1, 1)
    with transaction(engine) as db:
        left = [p.external_id for p in db.exec(select(Person)).scalars()]  # type: ignore[call-overload]
        assert left == ["1002"] and repo.count_rows(db, Referral) == 0


@pytest.mark.parametrize(
    ("now", "last_event_year", "erasable"),
    [
        pytest.param(datetime(2026, 1, 1, tzinfo=UTC), 2020, True, id="five full years after the end of 2020"),
        pytest.param(datetime(2025, 12, 31, tzinfo=UTC), 2020, False, id="not before 2026"),
        pytest.param(datetime(2026, 6, 1, tzinfo=UTC), 2021, False, id="2021 waits until 2027"),
    ],
)
def test_retention_of_closed_cases_counts_from_the_end_of_the_year(now: datetime, last_event_year: int,
                                                                   erasable: bool) -> None:
    assert (last_event_year <= closed_cutoff_year(now, 5)) is erasable


def test_with_a_key_the_database_file_holds_no_free_text(tmp_path: Path, sqlite_url: str) -> None:
    crypto.configure(crypto.generate_key())
    engine = make_engine(sqlite_url)
    person = Person_(engine, USER)
    person.answer(PERSONA)
    [item] = _export(engine)
    assert item["answers"]["account"] == [SECRET_STORY]  # read back transparently
    assert item["answers"]["contact_phone"] == "+46707654321"
    engine.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("intake.db*"))
    for secret in (SECRET_STORY, "Tobias", "707654321", "070-765"):
        assert secret.encode() not in raw, secret
    crypto.configure(None)
    with pytest.raises(crypto.EncryptionKeyMissing):
        _export(make_engine(sqlite_url))


def test_key_rotation_keeps_everything_readable(sqlite_url: str) -> None:
    from storage.rotate import reseal

    old = crypto.generate_key()
    crypto.configure(old)
    engine = make_engine(sqlite_url)
    Person_(engine, USER).answer(PERSONA)
    new = crypto.generate_key()
    crypto.configure(f"{new},{old}")
    with transaction(engine) as db:
        assert reseal(db) > 0
    crypto.configure(new)  # the old key is gone
    assert _export(engine)[0]["answers"]["account"] == [SECRET_STORY]

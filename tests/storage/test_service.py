"""The dialog service on a real database (SQLite, and PostgreSQL in CI): one transaction per event."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from casework import queue
from dialogs import service
from dialogs.events import Command, Config, Event, Press, Text
from storage import repo
from storage.db import migrate, transaction
from storage.models import AnswerRecord, Consent, InboxUpdate, Intake, OutboxMessage, Person, TranscriptEntry
from tests.unit.conversation import FORM1_SV

CONFIG = Config(languages=("sv", "en"))
_UPDATE_IDS = itertools.count(100_000)  # unique across the people of a test, as on Telegram


class Person_:
    """Drives one person through `service.handle`, reading the buttons from the outbox as a client would."""

    def __init__(self, engine: Engine, user: str = "42") -> None:
        self.engine, self.user = engine, user
        self.buttons: list[str] = []
        self.sent: list[dict[str, Any]] = []

    def send(self, event: Event, *, update_id: int | None = None, store: bool = True) -> service.Handled:
        if update_id is None:
            update_id = next(_UPDATE_IDS)
        now = datetime.now(UTC)
        with transaction(self.engine) as db:
            if store:
                repo.add_inbox_updates(db, updates=[(update_id, self.user, {"update_id": update_id})], now=now)
        incoming = service.Incoming("telegram", self.user, self.user, event, "sv", update_id,
                                    "cb" if isinstance(event, Press) else None)
        with transaction(self.engine) as db:
            handled = service.handle(db, incoming, CONFIG, now)
        self._read_outbox()
        return handled

    def _read_outbox(self) -> None:
        with transaction(self.engine) as db:
            now = datetime.now(UTC)
            for row in repo.pending_outbox(db, channel="telegram", now=now, chat_id=self.user):
                payload = row.payload or {}
                self.sent.append({"action": row.action, **payload})
                if row.action == "send" and payload.get("keyboard"):
                    self.buttons = [b["data"] for r in payload["keyboard"] for b in r]
                elif row.action == "edit_markup":
                    self.buttons = [b["data"] for r in (payload.get("keyboard") or []) for b in r]
                elif row.action == "edit_text":
                    self.buttons = []
                repo.mark_outbox(db, outbox_id=row.id, status="sent", now=now, message_id=row.id)  # type: ignore[arg-type]

    @property
    def open_question(self) -> str | None:
        return next((b.split(":")[1] for b in self.buttons if b.startswith("q:")), None)

    def answer(self, persona: dict[str, Any], *, account: Sequence[Event] | None = None,
               on_step: Callable[[], None] | None = None) -> None:
        """The whole intake as `persona` answers it, to the end. `account`: what the person sends as their
        account (then Done) instead of the persona's text; `on_step`: called after /start and after each
        question (the query-plan test captures the rows written there)."""
        self.send(Command("start"))
        for _ in range(150):
            if on_step is not None:
                on_step()
            qid = self.open_question
            if qid is None:
                return
            want = persona.get(qid)
            if qid == "summary":
                self.send(Press("q:summary:submit"))
            elif qid == "account" and account is not None:
                for event in account:
                    self.send(event)
                self.send(Press("q:account:done"))
            elif isinstance(want, dict):
                self.send(Text(want["text"]))
                self.send(Press(f"q:{qid}:{want['pick']}"))
            elif isinstance(want, list):
                for choice in want:
                    self.send(Press(f"q:{qid}:{choice}"))
                self.send(Press(f"q:{qid}:done"))
            elif isinstance(want, str) and want.startswith("text:"):
                self.send(Text(want[5:]))
                if qid == "account":
                    self.send(Press("q:account:done"))
            else:
                self.send(Press(f"q:{qid}:{want}"))
        raise AssertionError("too many steps")


def test_migrations_apply_twice(database_url: str) -> None:
    migrate(database_url)  # already at head: nothing to do, no error


def test_full_intake_lands_in_the_queue_with_its_assessment(engine: Engine) -> None:
    person = Person_(engine)
    person.answer(FORM1_SV)
    with transaction(engine) as db:
        exported = queue.export(db)
    assert len(exported) == 1
    item = exported[0]
    assert set(item) == {"reference", "language", "status", "priority", "created_at", "answers", "consents",
                         "assessment"}
    assert item["reference"] == f"SOL-{datetime.now(UTC).year}-0001"
    assert item["language"] == "sv" and item["status"] == "new" and item["priority"] == "high"
    assert item["answers"]["moved_from"] == "2161"
    assert item["answers"]["account"] == ["De sa att jag skulle ringa socialen i Sollefteå."]
    assert "interpreter" not in item["answers"] and "support_types" in item["answers"]
    assert item["consents"] == {"consent_store": "yes", "consent_contact": "yes", "consent_home_visit": "no"}
    a = item["assessment"]
    assert a["level"] == "high" and a["forms"] == [1] and a["likely_dumping"] is True
    assert set(a["actions"]) == {"contact_municipality", "request_justification", "check_coordination",
                                 "document_account", "official_letter", "transfer_request", "ask_consent_home_visit"}
    assert a["rules_version"] == "solleftea-2020-2022/2"
    assert all({"signal", "answer", "section"} <= set(r) for r in a["reasons"])
    json.dumps(exported)
    assert any(f"SOL-{datetime.now(UTC).year}-0001" in (m.get("text") or "") for m in person.sent)


def test_redelivered_update_changes_nothing_and_sends_nothing(engine: Engine) -> None:
    person = Person_(engine)
    person.send(Command("start"), update_id=7)
    person.send(Press("q:language:en"), update_id=8)
    sent_before = len(person.sent)
    with transaction(engine) as db:
        state_before = repo.get_intake(db, person_id=repo.get_person(db, channel="telegram", external_id="42").id)
        answers_before = dict(state_before.answers)
    handled = person.send(Press("q:language:en"), update_id=8, store=True)
    assert handled.duplicate
    assert len(person.sent) == sent_before
    with transaction(engine) as db:
        intake = repo.get_intake(db, person_id=repo.get_person(db, channel="telegram", external_id="42").id)
        assert intake.answers == answers_before
        # the processed id stays, without the update's content
        row = db.get(InboxUpdate, 8)
        assert row.processed_at is not None and row.payload is None and row.chat_id is None


def test_answers_and_consents_are_recorded_with_history(engine: Engine) -> None:
    person = Person_(engine)
    person.answer(FORM1_SV | {"had_support": "no"})
    with transaction(engine) as db:
        consents = db.exec(_select(Consent)).all()
        assert {(c.consent, c.value) for c in consents} == {("consent_store", "yes"), ("consent_contact", "yes")}
        assert all(len(c.text_sha256) == 64 and c.language == "sv" for c in consents)
        history = [r.question_id for r in db.exec(_select(AnswerRecord)).all()]
        assert history[:3] == ["language", "privacy", "consent_store"]
        entries = db.exec(_select(TranscriptEntry)).all()
        inbound = [e for e in entries if e.direction == "in"]
        outbound = [e for e in entries if e.direction == "out"]
        assert any(e.text == "Ljusdal" for e in inbound)
        assert all(e.data and e.data["msgs"] for e in outbound)


def test_declining_consent_erases_everything_about_the_person(engine: Engine) -> None:
    person = Person_(engine)
    person.answer(FORM1_SV | {"consent_store": "no"})
    with transaction(engine) as db:
        for table in (Person, Intake, AnswerRecord, Consent, TranscriptEntry):
            assert repo.count_rows(db, table) == 0, table.__name__
        # the goodbye was sent; its row keeps no text
        rows = db.exec(_select(OutboxMessage)).all()
        assert rows and all(r.payload is None for r in rows)
    assert "0620" in person.sent[-1]["text"]


def test_press_before_anything_stores_nothing(engine: Engine) -> None:
    person = Person_(engine)
    person.send(Press("q:moved_when:lt_1m"))
    with transaction(engine) as db:
        assert repo.count_rows(db, Person) == 0


def test_edits_target_the_question_message(engine: Engine) -> None:
    person = Person_(engine)
    person.send(Command("start"))
    person.send(Press("q:language:en"))
    with transaction(engine) as db:
        rows = db.exec(_select(OutboxMessage)).all()
    sends = [r for r in rows if r.action == "send"]
    edits = [r for r in rows if r.action == "edit_text"]
    assert edits and edits[0].target_outbox_id == sends[0].id
    # the callback is answered before anything else of that press
    press_rows = [r for r in rows if r.id > sends[0].id]
    assert press_rows[0].action == "answer_callback"


def test_references_count_up_per_year(engine: Engine) -> None:
    with transaction(engine) as db:
        first = repo.next_reference(db, year=2026)
        second = repo.next_reference(db, year=2026)
        other = repo.next_reference(db, year=2027)
    assert (first, second, other) == ("SOL-2026-0001", "SOL-2026-0002", "SOL-2027-0001")


def _select(table: Any) -> Any:
    from sqlmodel import select

    return select(table)

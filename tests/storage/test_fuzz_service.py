"""Property-based tests of `service.handle` on a real database (SQLite, and PostgreSQL in CI).

The moves of tests/unit/test_fuzz_dialog.py are played through the service, one transaction per
event, as the Telegram shell does: the update is stored in the inbox first, then handled; the
client's buttons are read from the outbox. Each example is a new person, so the examples of one
test share the database without seeing each other. After every event:

- no exception escapes `handle`;
- the person's transcript only grows, unless the person was erased: then none of it is left;
- the intake's stored state is a known state;
- every new outbox row is for the person's chat;
- the same update delivered again is a duplicate and changes nothing.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from dialogs import service
from dialogs.events import Command, Config, Event, Media, Press
from dialogs.i18n import LANGUAGES
from dialogs.machine import ENDED, NEW, STATES
from storage import repo
from storage.db import transaction
from storage.models import AnswerRecord, Consent, Intake, OutboxMessage, Person, Referral, TranscriptEntry
from tests.unit.test_fuzz_dialog import (
    SHORTEST_INTAKE,
    Move,
    Player,
    Run,
    Seen,
    commands,
    media,
    moves,
    noise,
    texts,
)

CONFIG = Config(languages=LANGUAGES)
HINTS = [None, "sv", "en", "ar", "fa", "prs", "ku", "ti", "so", "uk", "zh-hans", "pt-br"]
_people = itertools.count(1)
_updates = itertools.count(10_000_000)


def _transcript_rows(db: Session, person_id: int | None) -> int:
    if person_id is None:
        return 0
    query = select(func.count()).select_from(TranscriptEntry).where(TranscriptEntry.person_id == person_id)
    return int(db.exec(query).one())


class Chat(Player):
    """One person writing to the bot through `service.handle`, checking the invariants after each update."""

    def __init__(self, engine: Engine, hint: str | None, *, avoid_nul: bool) -> None:
        super().__init__()
        n = next(_people)
        self.engine, self.hint, self.avoid_nul = engine, hint, avoid_nul
        self.user, self.chat = f"fuzz-{n}", f"chat-{n}"
        self.seen = Seen()
        self.person_id: int | None = None
        self.transcript = 0
        self.live_id: int | None = None  # the outbox row of the live prompt
        self.events = 0
        with transaction(engine) as db:
            self.last_outbox = int(db.exec(select(func.coalesce(func.max(OutboxMessage.id), 0))).one())

    def current(self) -> Seen:
        return self.seen

    def known_bug(self, event: Event) -> str | None:
        return super().known_bug(event)

    def send(self, event: Event) -> None:
        self.events += 1
        update_id = next(_updates)
        incoming = service.Incoming(
            channel="telegram", external_id=self.user, chat_id=self.chat, event=event, language_hint=self.hint,
            update_id=update_id, callback_id=f"cb{update_id}" if isinstance(event, Press) else None,
        )
        handled = self._deliver(incoming)
        assert not handled.duplicate, f"a new update {update_id} was taken for a duplicate"
        self._check(handled, event)
        if self.events % 4 == 1:  # Telegram delivers the same update again (the first one, then every 4th)
            before = self._snapshot()
            again = self._deliver(incoming)
            assert again.duplicate, f"update {update_id} delivered twice was not recognized"
            assert self._snapshot() == before, f"update {update_id} delivered twice changed something"

    def _deliver(self, incoming: service.Incoming) -> service.Handled:
        now = datetime.now(UTC)
        with transaction(self.engine) as db:  # the webhook stores the update before acknowledging it
            repo.add_inbox_updates(db, updates=[(incoming.update_id, self.chat, {"update_id": incoming.update_id})],
                                   now=now)
        with transaction(self.engine) as db:
            return service.handle(db, incoming, CONFIG, now)

    def _check(self, handled: service.Handled, event: Event) -> None:
        with transaction(self.engine) as db:
            rows = db.exec(select(OutboxMessage).where(col(OutboxMessage.id) > self.last_outbox)
                           .order_by(col(OutboxMessage.id))).all()
            for row in rows:
                assert row.chat_id == self.chat, f"outbox row {row.id} ({row.action}) is for chat {row.chat_id!r}"
                self._read(row)
                self.last_outbox = row.id  # type: ignore[assignment]
            person = repo.get_person(db, channel="telegram", external_id=self.user)
            if self.person_id is not None and (person is None or person.id != self.person_id):
                left = _transcript_rows(db, self.person_id)
                assert left == 0, f"{event!r}: the person is gone, but {left} transcript rows are left"
                assert handled.state == ENDED, f"{event!r}: the person is gone, yet the intake is {handled.state}"
                self.person_id, self.transcript = None, 0
            if person is not None:
                self.person_id = person.id
                count = _transcript_rows(db, person.id)
                assert count >= self.transcript, f"{event!r}: the transcript shrank from {self.transcript} to {count}"
                self.transcript = count
            intake = repo.get_intake(db, person_id=person.id) if person is not None and person.id else None
            if intake is None:
                self.seen = Seen(handled.state or NEW)
            else:
                assert intake.state in STATES, f"{event!r}: stored state {intake.state!r}"
                selected = tuple((intake.draft or {}).get("selected", ()))
                self.seen = Seen(intake.state, selected, intake.resume)

    def _read(self, row: OutboxMessage) -> None:
        """What the client shows: the live prompt's buttons and the last confirmation's."""
        payload: dict[str, Any] = row.payload or {}
        buttons = [b["data"] for r in (payload.get("keyboard") or []) for b in r]
        if row.action == "send" and buttons:
            self.read_keyboard(buttons)
            if any(b.startswith("q:") for b in buttons):
                self.live_id = row.id
        elif row.action == "edit_markup" and row.target_outbox_id == self.live_id:
            self.live = buttons
        elif row.action == "edit_text" and row.target_outbox_id == self.live_id:
            self.live = []

    def _snapshot(self) -> tuple[Any, ...]:
        with transaction(self.engine) as db:
            person = repo.get_person(db, channel="telegram", external_id=self.user)
            intake = repo.get_intake(db, person_id=person.id) if person is not None and person.id else None
            row = None if intake is None else (intake.state, intake.answers, intake.texts, intake.path, intake.draft,
                                                intake.language, intake.reference, intake.live_outbox_id)
            tables = tuple(repo.count_rows(db, t) for t in (OutboxMessage, TranscriptEntry, AnswerRecord, Consent,
                                                            Referral, Intake, Person))
            return row, tables, None if person is None else (person.id, person.chat_id, person.language)


def _play(engine: Engine, hint: str | None, sequence: list[Move], *, guard: bool = True) -> Chat:
    chat = Chat(engine, hint, avoid_nul=guard and engine.dialect.name == "postgresql")
    chat.avoid_known_bugs = guard
    chat.play(sequence)
    return chat


STORAGE_FUZZ = settings(deadline=None, derandomize=True, database=None,
                        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@settings(STORAGE_FUZZ, max_examples=25)
@given(st.sampled_from(HINTS), st.lists(moves, min_size=5, max_size=20))
def test_random_updates_keep_the_stored_invariants(engine: Engine, hint: str | None, sequence: list[Move]) -> None:
    _play(engine, hint, sequence)


@settings(STORAGE_FUZZ, max_examples=10)
@given(st.sampled_from(HINTS), st.integers(0, 30), st.lists(st.one_of(texts, media, commands), min_size=1, max_size=8))
def test_any_content_at_any_depth_is_stored(engine: Engine, hint: str | None, depth: int, sequence: list[Move]) -> None:
    """What people send (any text, captions, file names, commands) is stored on every database."""
    _play(engine, hint, [Run(depth), *sequence])


@settings(STORAGE_FUZZ, max_examples=4)
@given(st.integers(0, 20), st.lists(noise, max_size=12))
def test_noise_around_a_submission_keeps_the_stored_invariants(engine: Engine, pick: int,
                                                               sequence: list[Move]) -> None:
    """Noise, on to the submission, and noise again: the referral and the later messages are stored too."""
    chat = _play(engine, "sv", [*sequence, Run(70, pick), *sequence])
    with transaction(engine) as db:
        assert db.exec(select(Referral).where(Referral.person_id == chat.person_id)).first() is not None


# ------------------------------------------------------------------------------ bugs found, fixed: regression tests
ONLY_THE_EXAMPLE = settings(phases=[Phase.explicit], deadline=None, database=None,
                            suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_the_shortest_intake_is_stored_and_submitted(engine: Engine) -> None:
    chat = _play(engine, "sv", SHORTEST_INTAKE, guard=False)
    with transaction(engine) as db:
        assert db.exec(select(Referral).where(Referral.person_id == chat.person_id)).first() is not None


@ONLY_THE_EXAMPLE
@example(sequence=[*SHORTEST_INTAKE, Command("language"), Command("restart"), Press("c:restart:yes"),
                   *SHORTEST_INTAKE[1:]])
@given(sequence=st.lists(moves))
def test_bug_second_submission_after_restart(engine: Engine, sequence: list[Move]) -> None:
    _play(engine, "sv", sequence, guard=False)


@ONLY_THE_EXAMPLE
@example(sequence=[Media("photo", "file-1", caption="\x00")])
@given(sequence=st.lists(moves))
def test_bug_nul_in_a_caption(engine: Engine, sequence: list[Move]) -> None:
    _play(engine, None, sequence, guard=False)


@ONLY_THE_EXAMPLE
@example(sequence=[Command("start"), Command("\x00")])
@given(sequence=st.lists(moves))
def test_bug_nul_in_a_command(engine: Engine, sequence: list[Move]) -> None:
    _play(engine, None, sequence, guard=False)

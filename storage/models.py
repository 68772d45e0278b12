"""The database tables, as SQLModel classes; the Alembic migrations create exactly these.

Personal data lives in `person`, `intake`, `answer_record`, `consent`, `transcript_entry`, `referral`
and `referral_event`; the inbox and outbox keep an update's content only until it is processed or
sent, so the ids kept for exactly-once processing carry no personal data. Every column that can hold
personal text is sealed (encrypted when a key is set); tests/storage/test_sealed_columns.py walks the
schema and names the few text columns that are not, with the reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.crypto import SealedJSON, SealedText

__all__ = [
    "AnswerRecord",
    "CaseRead",
    "Consent",
    "InboxUpdate",
    "Intake",
    "OutboxMessage",
    "Person",
    "ReferenceCounter",
    "Referral",
    "ReferralEvent",
    "Staff",
    "TranscriptEntry",
]


def _json(nullable: bool = False, *, sealed: bool = False) -> Any:
    """A JSON column; `sealed` ones hold what people wrote and are encrypted when a key is set."""
    return Field(default=None, sa_column=Column(SealedJSON if sealed else JSON, nullable=nullable))


class Person(SQLModel, table=True):
    """Someone who writes to the bot. `external_id` is the Telegram user id (or the console user)."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    chat_id: str = Field(max_length=64)
    language: str | None = Field(default=None, max_length=8)
    created_at: datetime
    updated_at: datetime


class Intake(SQLModel, table=True):
    """One person's intake: the open question and the answers so far (the dialog's state)."""

    __tablename__ = "intake"
    __table_args__ = (Index("ix_intake_live_outbox", "live_outbox_id", sqlite_where=text("live_outbox_id IS NOT NULL"),
                            postgresql_where=text("live_outbox_id IS NOT NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True, ondelete="CASCADE")
    state: str = Field(max_length=32)
    language: str | None = Field(default=None, max_length=8)
    suggested: str | None = Field(default=None, max_length=8)
    answers: dict[str, Any] = _json(sealed=True)
    texts: dict[str, Any] = _json(sealed=True)
    path: list[str] = _json()
    reviewing: bool = False
    resume: str | None = Field(default=None, max_length=32)
    draft: dict[str, Any] = _json(sealed=True)
    # The message that shows the open question's keyboard: the outbox row that sent it, and its text.
    # Housekeeping keeps the outbox rows an intake still points at (repo.forget_sent_outbox), looked up
    # by ix_intake_live_outbox: partial, as a finished intake has no live message.
    live_outbox_id: int | None = None
    live_texts: list[Any] | None = _json(nullable=True, sealed=True)  # may hold a typed place or number
    reference: str | None = Field(default=None, max_length=32)
    # Reminders for an unfinished intake: how many were sent since the person last wrote, and
    # whether the person asked for silence (/exit) until they come back.
    reminders_sent: int = 0
    reminders_stopped: bool = False
    started_at: datetime
    updated_at: datetime = Field(index=True)
    submitted_at: datetime | None = None


class AnswerRecord(SQLModel, table=True):
    """Every answer given, in order: the original and each correction, with its time."""

    __tablename__ = "answer_record"
    id: int | None = Field(default=None, primary_key=True)
    intake_id: int = Field(foreign_key="intake.id", index=True, ondelete="CASCADE")
    question_id: str = Field(max_length=32)
    value: Any = _json(nullable=True, sealed=True)
    source: str = Field(default="person", max_length=32)  # person, or caseworker:<staff id>
    at: datetime


class Consent(SQLModel, table=True):
    """One consent decision (samtycke); a withdrawal is a new record, never an update."""

    __tablename__ = "consent"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    consent: str = Field(max_length=32)  # consent_store, consent_contact, consent_home_visit
    value: str = Field(max_length=8)  # yes / no
    language: str = Field(max_length=8)
    text_version: str = Field(max_length=16)  # short hash of the exact text shown
    text_sha256: str = Field(max_length=64)
    at: datetime


class TranscriptEntry(SQLModel, table=True):
    """One message in or out. Bot messages keep msgid and parameters, so they render in any language."""

    __tablename__ = "transcript_entry"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    direction: str = Field(max_length=3)  # in / out
    kind: str = Field(max_length=16)  # text, press, command, voice, photo, document, message ...
    text: str | None = Field(default=None, sa_column=Column(SealedText, nullable=True))  # verbatim
    data: dict[str, Any] | None = _json(nullable=True, sealed=True)  # msgids (out), file or press (in)
    language: str | None = Field(default=None, max_length=8)
    # Telegram's id of the person's message, so /exit can delete it from the chat again.
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    at: datetime


class InboxUpdate(SQLModel, table=True):
    """A Telegram update, stored before it is acknowledged; its content is dropped once processed."""

    __tablename__ = "inbox_update"
    __table_args__ = (Index("ix_inbox_pending", "processed_at", "update_id"),)
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: str | None = Field(default=None, max_length=64)
    payload: dict[str, Any] | None = _json(nullable=True, sealed=True)
    received_at: datetime
    processed_at: datetime | None = None
    attempts: int = 0
    failed_at: datetime | None = None  # given up: unreadable, or failed too often (content dropped)


class OutboxMessage(SQLModel, table=True):
    """Something to send to a chat after the transaction that decided it has committed."""

    __tablename__ = "outbox_message"
    # For housekeeping (repo.forget_sent_outbox): ix_outbox_sent finds the rows sent before a time,
    # ix_outbox_target keeps a sent row while an edit of it waits. Partial: a row waiting to be sent has
    # no sent_at, and most rows are sends, which target nothing.
    __table_args__ = (
        Index("ix_outbox_pending", "status", "id"),
        Index("ix_outbox_sent", "sent_at", sqlite_where=text("sent_at IS NOT NULL"),
              postgresql_where=text("sent_at IS NOT NULL")),
        Index("ix_outbox_target", "target_outbox_id", sqlite_where=text("target_outbox_id IS NOT NULL"),
              postgresql_where=text("target_outbox_id IS NOT NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_id: str | None = Field(default=None, max_length=64)
    action: str = Field(max_length=16)  # send, edit_text, edit_markup, answer_callback, delete, send_document
    payload: dict[str, Any] | None = _json(nullable=True, sealed=True)
    target_outbox_id: int | None = None  # the message an edit changes
    status: str = Field(default="pending", max_length=8)  # pending, sent, failed
    attempts: int = 0
    next_attempt_at: datetime | None = None
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime
    sent_at: datetime | None = None


class Referral(SQLModel, table=True):
    """A submitted intake in the caseworkers' queue (ärende), with its assessment."""

    __tablename__ = "referral"
    # The queue's two orders, walked page by page (storage.casework.queue_page): the cases with a running
    # IVO clock by due date, the others by priority, then oldest first. Partial, so that neither index is
    # mistaken for a filter; status has no index of its own for the same reason (most cases are closed).
    __table_args__ = (
        Index("ix_referral_clock", "ivo_due_at", "priority_rank", "created_at", "id",
              sqlite_where=text("ivo_due_at IS NOT NULL"), postgresql_where=text("ivo_due_at IS NOT NULL")),
        Index("ix_referral_queue", "priority_rank", "created_at", "id",
              sqlite_where=text("ivo_due_at IS NULL"), postgresql_where=text("ivo_due_at IS NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    intake_id: int = Field(foreign_key="intake.id", unique=True, ondelete="CASCADE")
    language: str = Field(max_length=8, index=True)
    status: str = Field(default="new", max_length=16)
    close_reason: str | None = Field(default=None, max_length=32)
    priority: str = Field(max_length=8)
    priority_rank: int = Field(index=True)  # urgent 0 ... low 3: the queue's sort key
    level: str = Field(max_length=8)
    likely_dumping: bool
    assessment: dict[str, Any] = _json(sealed=True)  # its reasons quote the answers
    rules_version: str = Field(max_length=64)
    answers: dict[str, Any] = _json(sealed=True)  # current; every value given is in answer_record
    consents: dict[str, Any] = _json()
    caseworker_id: int | None = Field(default=None, foreign_key="staff.id", index=True)  # handläggare
    interpreter_id: int | None = Field(default=None, foreign_key="staff.id", index=True)  # tolk
    # The legal clock: one month after a transfer request (begäran om överflyttning) without an
    # answer, the case is due for an application to IVO. Kept here so the queue can sort on it.
    ivo_due_at: datetime | None = None
    closed_at: datetime | None = None
    created_at: datetime = Field(index=True)
    updated_at: datetime
    # Facts the queue filters on, kept beside the sealed answers: the sending municipality's kommunkod
    # (or `other`, `dont_know`) and the assessment's forms as bits (form 1 = 1, form 2 = 2).
    moved_from: str | None = Field(default=None, max_length=16, index=True)
    forms_mask: int = 0
    # Raised by every staff action, so a form filled on an older view of the case is refused (stale).
    version: int = 0


class Staff(SQLModel, table=True):
    """A caseworker, interpreter or admin, allowed to use the staff commands of their role."""

    __tablename__ = "staff"
    id: int | None = Field(default=None, primary_key=True)
    # None for staff who only use the web console (signed in by e-mail: storage.web.StaffAccount).
    telegram_user_id: int | None = Field(default=None, sa_column=Column(BigInteger, unique=True, nullable=True))
    name: str = Field(max_length=100)
    role: str = Field(max_length=16)  # caseworker, interpreter, admin
    languages: list[str] = _json()  # an interpreter's languages (the spec's ids)
    active: bool = True
    created_at: datetime


class CaseRead(SQLModel, table=True):
    """A staff member read a case: who, when, which case, with which command (loggning av läsning)."""

    __tablename__ = "case_read"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    actor: str = Field(max_length=64)  # staff:<id> or cli:<os user>
    command: str = Field(max_length=32)
    shell: str = Field(default="", max_length=16)  # telegram, cli, web: where the read came from
    at: datetime


class ReferralEvent(SQLModel, table=True):
    """A dated step on a referral: claimed, municipality_contacted, transfer_requested, note ..."""

    __tablename__ = "referral_event"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)
    actor: str = Field(max_length=64)
    data: dict[str, Any] | None = _json(nullable=True, sealed=True)  # notes, step texts, replies sent
    at: datetime


class ReferenceCounter(SQLModel, table=True):
    """The last case number given out in a year: SOL-<year>-<number>."""

    __tablename__ = "reference_counter"
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = 0


# The interpreters' tables (files, translations, caseworkers' messages, catalog reports) live in their own
# module; importing it here registers them with the metadata that Alembic reads.
import storage.interpreting  # noqa: E402
import storage.web  # noqa: E402, F401

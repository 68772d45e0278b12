"""Typed, keyword-only functions for every read and write; the caller owns the transaction.

Nothing outside `storage/` builds a query. Each function works the same on SQLite and PostgreSQL;
where the two differ (insert-or-ignore, row locks) the difference is handled here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, bindparam, delete, exists, func, insert, null, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.db import ERASED
from storage.interpreting import FILE_KINDS, add_new_file
from storage.models import (
    AnswerRecord,
    CaseRead,
    Consent,
    InboxUpdate,
    Intake,
    OutboxMessage,
    Person,
    ReferenceCounter,
    Referral,
    ReferralEvent,
    Staff,
    TranscriptEntry,
)

__all__ = [
    "OutboxMark",
    "WrittenOutbox",
    "add_inbox_updates",
    "add_outbox",
    "add_referral",
    "add_transcript",
    "claim_inbox_in_order",
    "claim_inbox_update",
    "erase_person",
    "get_intake",
    "get_or_add_person",
    "get_person",
    "mark_outbox_many",
    "next_reference",
    "pending_inbox",
    "pending_outbox",
    "take_written_outbox",
    "written_outbox",
]


def _insert(db: Session, table: Any) -> Any:
    name = db.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)


def _locking(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def _connection(db: Session | Connection) -> Connection:
    """The connection of a session's transaction, or the connection of a Core-only one."""
    return db if isinstance(db, Connection) else db.connection()


# ------------------------------------------------------------------------- the hot path's statements
# Built once, executed with parameters: SQLAlchemy memoizes a statement's cache key on the object, so a
# statement built per call (values embedded, JSON payloads included) pays for walking it every time.
_INBOX, _OUTBOX = InboxUpdate.__table__, OutboxMessage.__table__
_EARLIER = _INBOX.alias("earlier")
_CLAIM_IN_ORDER = (
    update(_INBOX)
    .where(_INBOX.c.update_id == bindparam("b_update_id"), _INBOX.c.processed_at.is_(None),
           ~exists().where(_EARLIER.c.chat_id == bindparam("b_chat_id"), _EARLIER.c.processed_at.is_(None),
                           _EARLIER.c.update_id < bindparam("b_update_id")))
    .values(processed_at=bindparam("b_now"), payload=null(), chat_id=None)
)
_CLAIM = (update(_INBOX).where(_INBOX.c.update_id == bindparam("b_update_id"), _INBOX.c.processed_at.is_(None))
          .values(processed_at=bindparam("b_now"), payload=null(), chat_id=None))
_PROCESSED_AT = select(_INBOX.c.processed_at).where(_INBOX.c.update_id == bindparam("b_update_id"))
_NOTE_FAILURE = (update(_INBOX).where(_INBOX.c.update_id == bindparam("b_update_id"), _INBOX.c.processed_at.is_(None))
                 .values(attempts=_INBOX.c.attempts + 1).returning(_INBOX.c.attempts))
_INSERT_OUTBOX = insert(_OUTBOX).returning(_OUTBOX.c.id)
_CHAT_BUSY = select(_OUTBOX.c.id).where(_OUTBOX.c.status.in_(("pending", "sending")),
                                        _OUTBOX.c.channel == bindparam("b_channel"),
                                        _OUTBOX.c.chat_id == bindparam("b_chat_id")).limit(1)
_MARK_OUTBOX = (update(_OUTBOX).where(_OUTBOX.c.id == bindparam("b_id"))
                .values(status=bindparam("b_status"), sent_at=bindparam("b_now"), attempts=_OUTBOX.c.attempts + 1,
                        message_id=bindparam("b_message_id"), chat_id=bindparam("b_chat_id"), payload=null()))
_INSERT_TRANSCRIPT = insert(TranscriptEntry.__table__)
_INSERT_TRANSCRIPT_RETURNING_ID = _INSERT_TRANSCRIPT.returning(TranscriptEntry.__table__.c.id)
_INSERT_ANSWERS = insert(AnswerRecord.__table__)
_PERSON_AND_INTAKE = (select(Person, Intake).outerjoin(Intake, col(Intake.person_id) == col(Person.id))
                      .where(Person.channel == bindparam("b_channel"),
                             Person.external_id == bindparam("b_external_id")))
_PERSON_AND_INTAKE_LOCKED = _PERSON_AND_INTAKE.with_for_update(of=Person)  # type: ignore[arg-type]
_STORE_INBOX = {name: dialect_insert(_INBOX).on_conflict_do_nothing(index_elements=["update_id"])
                for name, dialect_insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))}


# ------------------------------------------------------------------------- serialization
def lock_chat(db: Session, *, channel: str, chat_id: str) -> None:
    """Serialize the transactions of one chat across processes until the caller's transaction ends.

    PostgreSQL: a transaction-scoped advisory lock on the chat. SQLite has one writer at a time
    (`BEGIN IMMEDIATE`), so every transaction is serialized already.
    """
    if _locking(db):
        db.exec(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))").bindparams(  # type: ignore[call-overload]
            key=f"{channel}:{chat_id}"))


# ------------------------------------------------------------------------- people and intakes
def get_person(db: Session, *, channel: str, external_id: str) -> Person | None:
    query = select(Person).where(Person.channel == channel, Person.external_id == external_id)
    if _locking(db):
        query = query.with_for_update()  # serializes the updates of one person across workers
    return db.exec(query).first()


def get_person_and_intake(db: Session, *, channel: str, external_id: str) -> tuple[Person | None, Intake | None]:
    """The person and their intake in one query (each update needs both)."""
    query = _PERSON_AND_INTAKE_LOCKED if _locking(db) else _PERSON_AND_INTAKE
    row = db.execute(query, {"b_channel": channel, "b_external_id": external_id}).first()
    return (row[0], row[1]) if row is not None else (None, None)


def get_or_add_person(db: Session, *, channel: str, external_id: str, chat_id: str, now: datetime) -> Person:
    person = get_person(db, channel=channel, external_id=external_id)
    if person is None:
        person = Person(channel=channel, external_id=external_id, chat_id=chat_id, created_at=now, updated_at=now)
        db.add(person)
        db.flush()
    return person


def get_intake(db: Session, *, person_id: int) -> Intake | None:
    return db.exec(select(Intake).where(Intake.person_id == person_id)).first()


def intakes_needing_reminder(db: Session, *, channel: str, first_before: datetime, last_before: datetime,
                             limit: int = 500) -> Sequence[tuple[Intake, Person]]:
    """Unfinished intakes silent long enough for their next reminder (the caller checks which)."""
    query = (
        select(Intake, Person).join(Person, col(Person.id) == col(Intake.person_id))
        .where(Person.channel == channel, col(Intake.state).not_in(["new", "done", "ended"]),
               Intake.reminders_stopped == False,  # noqa: E712 - SQL, not Python
               ((Intake.reminders_sent == 0) & (col(Intake.updated_at) <= first_before))
               | ((Intake.reminders_sent == 1) & (col(Intake.updated_at) <= last_before)))
        .order_by(col(Intake.updated_at)).limit(limit)
    )
    return db.exec(query).all()  # type: ignore[return-value]


def add_answer_records(db: Session, *, intake_id: int, answered: Iterable[tuple[str, Any]], now: datetime,
                       source: str = "person") -> None:
    """Append answers to the intake's history: one Core statement (executemany), no unit of work."""
    rows = [{"intake_id": intake_id, "question_id": q, "value": v, "source": source, "at": now} for q, v in answered]
    if rows:
        db.connection().execute(_INSERT_ANSWERS, rows)


def answer_history(db: Session, *, intake_id: int) -> Sequence[AnswerRecord]:
    query = select(AnswerRecord).where(AnswerRecord.intake_id == intake_id).order_by(col(AnswerRecord.id))
    return db.exec(query).all()


def clear_answer_records(db: Session, *, intake_id: int) -> None:
    db.exec(delete(AnswerRecord).where(col(AnswerRecord.intake_id) == intake_id))  # type: ignore[call-overload]


def add_consent(db: Session, *, person_id: int, consent: str, value: str, language: str, text_sha256: str,
                now: datetime) -> None:
    db.add(Consent(person_id=person_id, consent=consent, value=value, language=language,
                   text_version=text_sha256[:12], text_sha256=text_sha256, at=now))


def consent_records(db: Session, *, person_id: int) -> Sequence[Consent]:
    return db.exec(select(Consent).where(Consent.person_id == person_id).order_by(col(Consent.id))).all()


def current_consents_of(db: Session, *, person_ids: Sequence[int],
                        consents: Sequence[str]) -> dict[int, dict[str, str]]:
    """The current decision on each of `consents` for each of these people, in one query (the export
    reads them a batch of referrals at a time)."""
    out: dict[int, dict[str, str]] = {}
    query = (select(Consent.person_id, Consent.consent, Consent.value)
             .where(col(Consent.person_id).in_(list(person_ids)), col(Consent.consent).in_(list(consents)))
             .order_by(col(Consent.id)))
    for person_id, consent, value in db.exec(query).all():
        out.setdefault(person_id, {})[consent] = value
    return out


def current_consents(db: Session, *, person_id: int) -> dict[str, str]:
    """Each consent's latest decision (a withdrawal is a later record)."""
    query = select(Consent).where(Consent.person_id == person_id).order_by(col(Consent.id))
    return {c.consent: c.value for c in db.exec(query).all()}


def add_transcript(db: Session, *, person_id: int, direction: str, kind: str, now: datetime,
                   text: str | None = None, data: dict[str, Any] | None = None,
                   language: str | None = None, message_id: int | None = None) -> None:
    """Append to the person's transcript, with Core (nothing reads the new entry back as an object, so
    the unit of work is not needed for it). A file the person sent gets its `new` file row at once, in the
    same transaction, so that the processing round finds it without searching the transcript."""
    values = {"person_id": person_id, "direction": direction, "kind": kind, "text": text, "data": data,
              "language": language, "at": now, "message_id": message_id}
    if direction == "in" and kind in FILE_KINDS:
        entry_id = db.connection().execute(_INSERT_TRANSCRIPT_RETURNING_ID, values).scalar_one()
        add_new_file(db, entry_id=entry_id, kind=kind, now=now)
    else:
        db.connection().execute(_INSERT_TRANSCRIPT, values)


def recent_message_ids(db: Session, *, channel: str, chat_id: str, person_id: int | None,
                       since: datetime) -> list[int]:
    """Telegram ids of this chat's messages since `since`: the bot's and the person's."""
    bot = select(OutboxMessage.message_id).where(
        OutboxMessage.channel == channel, OutboxMessage.chat_id == chat_id, OutboxMessage.action == "send",
        OutboxMessage.status == "sent", col(OutboxMessage.message_id).is_not(None),
        col(OutboxMessage.sent_at) >= since)
    ids = [int(i) for i in db.exec(bot).all() if i is not None]
    if person_id is not None:
        own = select(TranscriptEntry.message_id).where(
            TranscriptEntry.person_id == person_id, TranscriptEntry.direction == "in",
            col(TranscriptEntry.message_id).is_not(None), col(TranscriptEntry.at) >= since)
        ids += [int(i) for i in db.exec(own).all() if i is not None]
    return sorted(set(ids))


def forget_chat(db: Session, *, channel: str, chat_id: str) -> None:
    """After an erasure: the outbox keeps no trace of the chat (rows still to send carry `forget`)."""
    # this transaction's own rows are still to send (taken ones are `sending`): they carry `forget`
    ours = [r.id for r in db.info.get(_WRITTEN, [])]
    db.exec(update(OutboxMessage)  # type: ignore[call-overload]
            .where(col(OutboxMessage.channel) == channel, col(OutboxMessage.chat_id) == chat_id,
                   col(OutboxMessage.status) != "pending", col(OutboxMessage.id).not_in(ours))
            .values(chat_id=None, payload=None, message_id=None))


def transcript(db: Session, *, person_id: int) -> Sequence[TranscriptEntry]:
    query = select(TranscriptEntry).where(TranscriptEntry.person_id == person_id).order_by(col(TranscriptEntry.id))
    return db.exec(query).all()


def erase_person(db: Session, *, person_id: int) -> None:
    """Everything about a person, gone (referral, answers, transcript, consents, the person row)."""
    for referral in db.exec(select(Referral).where(Referral.person_id == person_id)).all():
        db.exec(delete(ReferralEvent).where(col(ReferralEvent.referral_id) == referral.id))  # type: ignore[call-overload]
        db.exec(delete(CaseRead).where(col(CaseRead.referral_id) == referral.id))  # type: ignore[call-overload]
        db.delete(referral)
    db.flush()
    intake = get_intake(db, person_id=person_id)
    if intake is not None:
        db.exec(delete(AnswerRecord).where(col(AnswerRecord.intake_id) == intake.id))  # type: ignore[call-overload]
        db.delete(intake)
    for table in (Consent, TranscriptEntry):
        db.exec(delete(table).where(col(table.person_id) == person_id))  # type: ignore[call-overload]
    person = db.get(Person, person_id)
    if person is not None:
        db.delete(person)
    db.flush()
    db.info[ERASED] = True  # storage.db.transaction checkpoints the WAL after the commit


# ------------------------------------------------------------------------- inbox
def add_inbox_updates(db: Session | Connection, *, updates: Iterable[tuple[int, str | None, dict[str, Any]]],
                      now: datetime) -> None:
    """Store fetched updates; an update id already stored (a redelivery) is ignored."""
    rows = [{"update_id": uid, "chat_id": chat, "payload": payload, "received_at": now, "attempts": 0}
            for uid, chat, payload in updates]
    if rows:
        connection = _connection(db)
        connection.execute(_STORE_INBOX[connection.dialect.name], rows)


def pending_inbox(db: Session, *, limit: int = 500) -> Sequence[InboxUpdate]:
    query = (select(InboxUpdate).where(col(InboxUpdate.processed_at).is_(None))
             .order_by(col(InboxUpdate.update_id)).limit(limit))
    return db.exec(query).all()


def pending_inbox_ids(db: Session, *, limit: int = 500) -> list[tuple[int, str | None]]:
    """The unprocessed updates, oldest first, without their content (the caller may hold it already)."""
    table = InboxUpdate.__table__
    query = (select(table.c.update_id, table.c.chat_id).where(table.c.processed_at.is_(None))
             .order_by(table.c.update_id).limit(limit))
    return [(int(u), c) for u, c in db.connection().execute(query).all()]


def inbox_payloads(db: Session, *, update_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The stored content of these updates (those found after a restart, or by another worker)."""
    if not update_ids:
        return {}
    table = InboxUpdate.__table__
    query = select(table.c.update_id, table.c.payload).where(table.c.update_id.in_(list(update_ids)))
    return {int(u): p or {} for u, p in db.connection().execute(query).all()}


def claim_inbox_update(db: Session, *, update_id: int, now: datetime) -> bool:
    """Mark an update processed within the caller's transaction; False when it already was.

    The content is dropped at the same time: what stays is the id and the time, no personal data.
    One Core statement on the session's connection: the ORM has nothing to synchronize here.
    """
    result = db.connection().execute(_CLAIM, {"b_update_id": update_id, "b_now": now})
    return result.rowcount == 1


def claim_inbox_in_order(db: Session, *, update_id: int, chat_id: str,
                         now: datetime) -> Literal["claimed", "duplicate", "out_of_order"]:
    """Claim an update of a chat only when no earlier update of that chat still waits (a person's
    updates apply in order): one statement in the common case, a second only when it claimed nothing."""
    result = db.connection().execute(_CLAIM_IN_ORDER, {"b_update_id": update_id, "b_chat_id": chat_id, "b_now": now})
    if result.rowcount == 1:
        return "claimed"
    if inbox_processed(db, update_id=update_id):
        return "duplicate"
    return "out_of_order"


def inbox_processed(db: Session, *, update_id: int) -> bool:
    row = db.connection().execute(_PROCESSED_AT, {"b_update_id": update_id}).first()
    return row is None or row[0] is not None


def note_inbox_failure(db: Session, *, update_id: int) -> int:
    """Count one more failed attempt of an unprocessed update, in its row: every worker and every restart
    sees the same count. Returns the count (0 when the update is processed or unknown)."""
    row = db.connection().execute(_NOTE_FAILURE, {"b_update_id": update_id}).first()
    return int(row[0]) if row else 0


def count_processed_inbox(db: Session, *, before: datetime) -> int:
    query = select(func.count()).select_from(InboxUpdate).where(col(InboxUpdate.processed_at) < before)
    return int(db.exec(query).one())


def unfinished_people(db: Session, *, idle_before: datetime) -> list[tuple[int, str, str]]:
    """People whose intake was never submitted and who have been silent since `idle_before`."""
    query = (select(Person.id, Person.channel, Person.chat_id).join(Intake, col(Intake.person_id) == col(Person.id))
             .where(col(Intake.state) != "done", col(Intake.submitted_at).is_(None),
                    col(Intake.updated_at) < idle_before))
    return [(int(i), c, chat) for i, c, chat in db.exec(query).all() if i is not None]


def closed_referral_people(db: Session, *, last_event_year_at_most: int) -> list[tuple[int, str, str]]:
    """People whose case is closed and whose last event lies in that year or before."""
    last_event = (select(ReferralEvent.referral_id, func.max(ReferralEvent.at).label("last"))
                  .group_by(col(ReferralEvent.referral_id)).subquery())
    query = (select(Person.id, Person.channel, Person.chat_id, last_event.c.last)
             .join(Referral, col(Referral.person_id) == col(Person.id))
             .join(last_event, last_event.c.referral_id == col(Referral.id))
             .where(Referral.status == "closed"))
    return [(int(i), c, chat) for i, c, chat, last in db.exec(query).all()
            if i is not None and last is not None and last.year <= last_event_year_at_most]


def forget_processed_inbox(db: Session, *, before: datetime, limit: int | None = None) -> int:
    """Drop old processed ids (Telegram may reuse update ids after a week of silence); at most `limit`
    rows, so that a long backlog goes in short transactions."""
    old = col(InboxUpdate.processed_at) < before
    if limit is not None:
        old = col(InboxUpdate.update_id).in_(select(InboxUpdate.update_id).where(old).limit(limit))
    result = db.exec(delete(InboxUpdate).where(old))  # type: ignore[call-overload]
    return result.rowcount or 0


# ------------------------------------------------------------------------- outbox
@dataclass(frozen=True)
class WrittenOutbox:
    """An outbox row as the transaction that wrote it knows it: what its sender needs, without a re-read."""

    id: int
    chat_id: str
    action: str
    payload: dict[str, Any]
    target_outbox_id: int | None
    target_message_id: int | None  # the Telegram id of the message an edit changes, when already sent
    taken: bool  # written as `sending`, leased to the caller's sender (else `pending`, for any sender)


_TAKE_UNTIL = "outbox_take_until"  # Session.info keys, for the rows one transaction writes
_WRITTEN = "outbox_written"
_CHAT_FREE = "outbox_chat_free"


def take_written_outbox(db: Session, *, until: datetime) -> None:
    """The rows this transaction writes are taken for sending by its caller until `until` (a lease, as
    `claim_outbox` gives), unless their chat still has earlier rows to send: those go first, so that
    chat's rows stay `pending` for the ordinary sender. `written_outbox` lists them after the work."""
    db.info[_TAKE_UNTIL] = until
    db.info[_WRITTEN] = []
    db.info[_CHAT_FREE] = {}


def add_outbox(db: Session, *, channel: str, chat_id: str, action: str, payload: dict[str, Any], now: datetime,
               target_outbox_id: int | None = None) -> int:
    """One row to send after the commit, inserted with Core and RETURNING: its id at once, without
    a unit-of-work flush of everything else pending in the session."""
    until: datetime | None = db.info.get(_TAKE_UNTIL)
    taken = until is not None and _chat_free(db, channel=channel, chat_id=chat_id)
    row_id = db.connection().execute(_INSERT_OUTBOX, {
        "channel": channel, "chat_id": chat_id, "action": action, "payload": payload, "created_at": now,
        "target_outbox_id": target_outbox_id, "status": "sending" if taken else "pending", "attempts": 0,
        "next_attempt_at": until if taken else None}).scalar_one()
    if until is not None:
        db.info[_WRITTEN].append(WrittenOutbox(int(row_id), chat_id, action, payload, target_outbox_id, None, taken))
    return int(row_id)


def _chat_free(db: Session, *, channel: str, chat_id: str) -> bool:
    """Whether the chat had nothing left to send when this transaction first wrote to it."""
    free: dict[tuple[str, str], bool] = db.info[_CHAT_FREE]
    if (channel, chat_id) not in free:
        busy = db.connection().execute(_CHAT_BUSY, {"b_channel": channel, "b_chat_id": chat_id}).first()
        free[channel, chat_id] = busy is None
    return free[channel, chat_id]


def written_outbox(db: Session, *, known: Mapping[int, int] | None = None) -> list[WrittenOutbox]:
    """The rows written since `take_written_outbox`, each edit with its target's Telegram message id:
    from `known` (what the caller's sender remembers sending), else one query for all the others
    written before this transaction."""
    rows: list[WrittenOutbox] = db.info.get(_WRITTEN, [])
    known = known or {}
    ours = {r.id for r in rows}
    targets = {r.target_outbox_id for r in rows if r.target_outbox_id is not None and r.target_outbox_id not in ours
               and known.get(r.target_outbox_id) is None}
    if not targets and not any(r.target_outbox_id in known for r in rows):
        return list(rows)
    sent = dict(outbox_message_ids(db, outbox_ids=sorted(targets))) if targets else {}
    return [WrittenOutbox(r.id, r.chat_id, r.action, r.payload, r.target_outbox_id,
                          (known.get(r.target_outbox_id) or sent.get(r.target_outbox_id))
                          if r.target_outbox_id is not None else None, r.taken)
            for r in rows]


def pending_outbox(db: Session, *, channel: str, now: datetime, chat_id: str | None = None,
                   limit: int = 200) -> Sequence[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.status == "pending", OutboxMessage.channel == channel)
    if chat_id is not None:
        query = query.where(OutboxMessage.chat_id == chat_id)
    query = query.where((col(OutboxMessage.next_attempt_at).is_(None)) | (col(OutboxMessage.next_attempt_at) <= now))
    return db.exec(query.order_by(col(OutboxMessage.id)).limit(limit)).all()


def claim_outbox(db: Session, *, channel: str, now: datetime, lease: timedelta, chat_id: str | None = None,
                 limit: int = 200) -> list[OutboxMessage]:
    """Take the next rows to send, per chat in order, so that no two workers send the same row.

    A taken row is `sending` until `now + lease`; if its worker dies, the row is taken again after
    that (at least once: Telegram has no idempotency key). A chat with a row still being sent by
    someone else is left alone, which keeps each chat's messages in order.
    """
    due = (col(OutboxMessage.next_attempt_at).is_(None)) | (col(OutboxMessage.next_attempt_at) <= now)
    query = select(OutboxMessage).where(
        OutboxMessage.channel == channel,
        ((OutboxMessage.status == "pending") & due) | ((OutboxMessage.status == "sending") & due),
    )
    if chat_id is not None:
        query = query.where(OutboxMessage.chat_id == chat_id)
    if _locking(db):
        query = query.with_for_update(skip_locked=True)
    rows = db.exec(query.order_by(col(OutboxMessage.id)).limit(limit)).all()
    busy = set(db.exec(select(OutboxMessage.chat_id).where(
        OutboxMessage.channel == channel, OutboxMessage.status == "sending",
        col(OutboxMessage.next_attempt_at) > now)).all())
    taken: list[OutboxMessage] = []
    blocked: set[str | None] = set(busy)
    for row in rows:
        if row.chat_id in blocked:
            continue
        if row.status == "pending" and row.next_attempt_at is not None and row.next_attempt_at > now:
            blocked.add(row.chat_id)  # waiting for a retry: the chat's later rows wait too
            continue
        row.status, row.next_attempt_at = "sending", now + lease
        db.add(row)
        taken.append(row)
    return taken


def release_outbox(db: Session, *, outbox_ids: list[int], retry_at: datetime | None) -> None:
    """Give taken rows back unsent (an earlier row of their chat has to be retried first)."""
    if outbox_ids:
        db.exec(update(OutboxMessage).where(col(OutboxMessage.id).in_(outbox_ids))  # type: ignore[call-overload]
                .values(status="pending", next_attempt_at=retry_at))


def release_all_sending(db: Session, *, channel: str) -> int:
    """At the start of the only worker: whatever is `sending` was left by a crash; send it again."""
    result = db.exec(update(OutboxMessage)  # type: ignore[call-overload]
                     .where(col(OutboxMessage.channel) == channel, col(OutboxMessage.status) == "sending")
                     .values(status="pending", next_attempt_at=None))
    return result.rowcount or 0


def forget_sent_outbox(db: Session, *, before: datetime, limit: int | None = None) -> int:
    """Delete the outbox rows sent (or given up) before `before` that no edit can still need, in one
    indexed DELETE; returns how many went.

    A sent row is kept while it is an intake's live message (its keyboard is edited when the next answer
    comes) or while an edit of it waits to be sent: the edit needs its Telegram message id. `before` lies
    beyond the 48 hours in which quick exit deletes the bot's messages (it reads their ids here). Deleting
    rather than keeping nulled rows lets SQLite merge and reuse their pages (a row shrunk in place leaves
    its page part empty for good). At most `limit` rows, so that a long backlog goes in short transactions.
    """
    edit = aliased(OutboxMessage)
    live = select(Intake.id).where(col(Intake.live_outbox_id) == col(OutboxMessage.id))
    waiting_edit = select(edit.id).where(col(edit.target_outbox_id) == col(OutboxMessage.id),
                                         col(edit.status).in_(("pending", "sending")))
    done = (col(OutboxMessage.status).in_(("sent", "failed")), col(OutboxMessage.sent_at) < before,
            ~exists(live), ~exists(waiting_edit))
    if limit is not None:
        done = (col(OutboxMessage.id).in_(select(OutboxMessage.id).where(*done).limit(limit)),)
    result = db.exec(delete(OutboxMessage).where(*done))  # type: ignore[call-overload]
    return result.rowcount or 0


def outbox_message_id(db: Session, *, outbox_id: int) -> int | None:
    row = db.get(OutboxMessage, outbox_id)
    return row.message_id if row else None


@dataclass(frozen=True)
class OutboxMark:
    """How sending one row ended: sent (with the message id Telegram gave it) or failed for good."""

    outbox_id: int
    status: Literal["sent", "failed"]
    action: str
    chat_id: str
    message_id: int | None = None
    forget: bool = False  # the person was erased: keep no trace of the chat


def mark_outbox_many(db: Session | Connection, *, marks: Sequence[OutboxMark], now: datetime) -> None:
    """Settle sent and failed rows in one statement executed for all of them: the payload goes (the
    text is in the transcript), the chat id stays only on sent messages (edits of them need it)."""
    if not marks:
        return
    _connection(db).execute(_MARK_OUTBOX, [
        {"b_id": m.outbox_id, "b_status": m.status, "b_now": now, "b_message_id": None if m.forget else m.message_id,
         "b_chat_id": m.chat_id if m.action == "send" and not m.forget else None} for m in marks])


def outbox_message_ids(db: Session, *, outbox_ids: Sequence[int]) -> dict[int, int | None]:
    """The Telegram message ids of these outbox rows (the targets of a batch's edits), in one query."""
    if not outbox_ids:
        return {}
    table = OutboxMessage.__table__
    query = select(table.c.id, table.c.message_id).where(table.c.id.in_(sorted(set(outbox_ids))))
    return {int(i): m for i, m in db.connection().execute(query).all()}


def mark_outbox(db: Session, *, outbox_id: int, status: str, now: datetime, message_id: int | None = None,
                retry_at: datetime | None = None) -> None:
    row = db.get(OutboxMessage, outbox_id)
    if row is None:
        return
    row.attempts += 1
    if status == "pending":
        row.status, row.next_attempt_at = "pending", retry_at
        return
    row.status = status
    row.sent_at = now
    if message_id is not None:
        row.message_id = message_id
    forget = bool((row.payload or {}).get("forget"))
    row.payload = None  # sent or given up: the text is in the transcript, not here
    if row.action != "send" or forget:
        row.chat_id = None
    if forget:
        row.message_id = None


# ------------------------------------------------------------------------- referrals
def next_reference(db: Session, *, year: int) -> str:
    """The next case number of the year, SOL-2026-0042; safe when two submissions race."""
    db.exec(_insert(db, ReferenceCounter).values(year=year, last=0).on_conflict_do_nothing(index_elements=["year"]))
    query = select(ReferenceCounter).where(ReferenceCounter.year == year)
    if _locking(db):
        query = query.with_for_update()
    counter = db.exec(query).one()
    counter.last += 1
    db.add(counter)
    db.flush()
    return f"SOL-{year}-{counter.last:04d}"


def add_referral(db: Session, *, referral: Referral) -> Referral:
    db.add(referral)
    db.flush()
    return referral


def add_referral_event(db: Session, *, referral_id: int, kind: str, actor: str, now: datetime,
                       data: dict[str, Any] | None = None) -> None:
    db.add(ReferralEvent(referral_id=referral_id, kind=kind, actor=actor, data=data, at=now))


def export_batches(db: Session, *, batch: int = 500) -> Iterator[Sequence[Any]]:
    """The queue export's columns of every referral in queue order (running IVO clocks first, then priority,
    then oldest; spec section 6), `batch` rows at a time (a server-side cursor on PostgreSQL), never the
    whole table in memory."""
    query = (select(Referral.reference, Referral.language, Referral.status, Referral.priority, Referral.created_at,
                    Referral.answers, Referral.assessment, Referral.person_id)
             .order_by(col(Referral.ivo_due_at).is_(None), col(Referral.ivo_due_at), col(Referral.priority_rank),
                       col(Referral.created_at), col(Referral.id))
             .execution_options(yield_per=batch))
    yield from db.exec(query).partitions()  # type: ignore[call-overload]


def claim_referral(db: Session, *, referral_id: int, staff_id: int, now: datetime) -> bool:
    """Take an unclaimed, open referral; False when someone else was first (one conditional update)."""
    result = db.exec(  # type: ignore[call-overload]
        update(Referral)
        .where(col(Referral.id) == referral_id, col(Referral.caseworker_id).is_(None),
               col(Referral.status) != "closed")
        .values(caseworker_id=staff_id, status="in_progress", updated_at=now)
    )
    return result.rowcount == 1


def referral_events(db: Session, *, referral_id: int) -> Sequence[ReferralEvent]:
    query = select(ReferralEvent).where(ReferralEvent.referral_id == referral_id).order_by(col(ReferralEvent.id))
    return db.exec(query).all()


def recent_events(db: Session, *, referral_id: int, kind: str, since: datetime) -> Sequence[ReferralEvent]:
    """The referral's events of one kind since `since`, oldest first."""
    query = (select(ReferralEvent).where(ReferralEvent.referral_id == referral_id, ReferralEvent.kind == kind,
                                         col(ReferralEvent.at) >= since).order_by(col(ReferralEvent.id)))
    return db.exec(query).all()


def add_case_read(db: Session, *, referral_id: int, actor: str, command: str, now: datetime) -> None:
    db.add(CaseRead(referral_id=referral_id, actor=actor, command=command, at=now))


def case_reads(db: Session, *, referral_id: int) -> Sequence[CaseRead]:
    return db.exec(select(CaseRead).where(CaseRead.referral_id == referral_id).order_by(col(CaseRead.id))).all()


def due_referrals(db: Session, *, before: datetime) -> Sequence[Referral]:
    """Open referrals whose IVO clock runs out before `before` (overdue ones included)."""
    query = (select(Referral).where(col(Referral.ivo_due_at).is_not(None), col(Referral.ivo_due_at) <= before,
                                    col(Referral.status) != "closed")
             .order_by(col(Referral.ivo_due_at)))
    return db.exec(query).all()


# ------------------------------------------------------------------------- staff
def get_staff(db: Session, *, staff_id: int | None = None, telegram_user_id: int | None = None) -> Staff | None:
    if staff_id is not None:
        return db.get(Staff, staff_id)
    return db.exec(select(Staff).where(Staff.telegram_user_id == telegram_user_id)).first()


def add_staff(db: Session, *, telegram_user_id: int, name: str, role: str, languages: list[str],
              now: datetime) -> Staff:
    staff = get_staff(db, telegram_user_id=telegram_user_id)
    if staff is None:
        staff = Staff(telegram_user_id=telegram_user_id, name=name, role=role, languages=languages, created_at=now)
    staff.name, staff.role, staff.languages, staff.active = name, role, languages, True
    db.add(staff)
    db.flush()
    return staff


def list_staff(db: Session) -> Sequence[Staff]:
    return db.exec(select(Staff).order_by(col(Staff.role), col(Staff.name))).all()


def get_referral(db: Session, *, reference: str) -> Referral | None:
    return db.exec(select(Referral).where(Referral.reference == reference)).first()


def count_rows(db: Session, table: Any) -> int:
    return int(db.exec(select(func.count()).select_from(table)).one())


# ------------------------------------------------------------------------- failed updates
def fail_inbox_update(db: Session, *, update_id: int, now: datetime, count_attempt: bool = True) -> bool:
    """Give up an unprocessed update: marked failed and processed (it stops coming back), one more
    attempt counted (unless the failure was counted already), its content dropped. False when it was
    processed already."""
    result = db.exec(  # type: ignore[call-overload]
        update(InboxUpdate)
        .where(col(InboxUpdate.update_id) == update_id, col(InboxUpdate.processed_at).is_(None))
        .values(processed_at=now, failed_at=now, attempts=InboxUpdate.attempts + (1 if count_attempt else 0),
                payload=null(), chat_id=None)
    )
    return result.rowcount == 1


def count_failed_inbox(db: Session) -> int:
    """Updates given up and not yet forgotten (processed ids go after three days)."""
    query = select(func.count()).select_from(InboxUpdate).where(col(InboxUpdate.failed_at).is_not(None))
    return int(db.exec(query).one())

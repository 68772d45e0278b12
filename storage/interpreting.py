"""Tables and queries of the interpreters' work: the person's files, Swedish translations, caseworkers'
messages to the person, the interpreter's open line, and reports on the bot's catalogs.

Files, translations and messages belong to a transcript entry or a referral and go with them when a
person is erased (`ON DELETE CASCADE`). What people sent or wrote is sealed like other personal data
when `INTAKE_ENCRYPTION_KEY` is set; a catalog report is about the bot's own words and outlives a case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cryptography.fernet import InvalidToken
from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, Text, func, update
from sqlalchemy.orm import defer
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, Session, SQLModel, col, select

from storage import crypto
from storage.crypto import SealedText
from storage.models import Person, Referral, Staff, TranscriptEntry

__all__ = [
    "FILE_KINDS",
    "CaseworkerMessage",
    "CatalogReport",
    "SealedBytes",
    "StoredFile",
    "Translating",
    "Translation",
    "add_catalog_report",
    "add_message",
    "add_new_file",
    "add_translation",
    "catalog_reports",
    "current_translations",
    "file_content",
    "files_of",
    "files_since",
    "get_message",
    "get_person",
    "get_translating",
    "line_of_entry",
    "lines",
    "messages_of",
    "new_files",
    "note_file",
    "pending_files",
    "referral_of_person",
    "set_translating",
    "stop_translating",
    "translator_telegram_ids",
    "verify_translations",
]

# What a person may send that is a file worth keeping (the account accepts these).
FILE_KINDS = ("voice", "audio", "photo", "document", "video", "video_note")
_BYTES_PREFIX = b"enc1:"
_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,40}/[a-z0-9][a-z0-9!#$&^_.+-]{0,50}")


class SealedBytes(TypeDecorator[bytes]):
    """A binary column whose value is encrypted (Fernet) when a key is configured."""

    impl = LargeBinary
    sealed = True
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Any) -> bytes | None:
        fernet = crypto._fernet  # the process's keys, set by crypto.configure
        if value is None or fernet is None:
            return value
        return _BYTES_PREFIX + fernet.encrypt(bytes(value))

    def process_result_value(self, value: bytes | None, dialect: Any) -> bytes | None:
        if value is None:
            return None
        value = bytes(value)
        if not value.startswith(_BYTES_PREFIX):
            return value
        fernet = crypto._fernet
        if fernet is None:
            raise crypto.EncryptionKeyMissing("this file is encrypted: set INTAKE_ENCRYPTION_KEY")
        try:
            return fernet.decrypt(value[len(_BYTES_PREFIX) :])
        except InvalidToken as exc:
            raise crypto.EncryptionKeyMissing("no configured key opens this file (an old key missing?)") from exc


def _entry_fk() -> Any:
    return Column(Integer, ForeignKey("transcript_entry.id", ondelete="CASCADE"), nullable=False, index=True)


class StoredFile(SQLModel, table=True):
    """A voice message, photo or document the person sent, downloaded after the update's transaction.

    The row is written with the person's message, in the update's own transaction, as `new`; the
    processing round then finds the files to look at through the index on (status, next attempt),
    never by searching the transcript, whose size grows with every stored intake.

    status: `new` (not yet looked at: whether the intake took it is decided in the processing round),
    `pending` (being downloaded, or a download failed and is tried again at `next_attempt_at`),
    `stored`, `too_large` (over the limit: the person was told), `over_quota` (past the person's daily
    quota: not downloaded, the person was told once a day), `failed` (given up), `not_kept` (sent where
    the intake did not take it).
    """

    __tablename__ = "stored_file"
    # The processing round's two questions, "which files are new" and "which downloads are due", are
    # one lookup each in this index; the settled rows (most of them) are never read by the round.
    __table_args__ = (Index("ix_stored_file_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    transcript_entry_id: int = Field(sa_column=Column(Integer, ForeignKey("transcript_entry.id", ondelete="CASCADE"),
                                                      nullable=False, unique=True))
    kind: str = Field(max_length=16)  # voice, audio, photo, document, video, video_note
    status: str = Field(max_length=16)
    mime: str | None = Field(default=None, max_length=100)
    size: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    sha256: str | None = Field(default=None, max_length=64)
    file_name: str | None = Field(default=None, sa_column=Column(SealedText, nullable=True))  # may hold a name
    content: bytes | None = Field(default=None, sa_column=Column(SealedBytes, nullable=True))
    attempts: int = 0
    next_attempt_at: datetime | None = None
    created_at: datetime
    stored_at: datetime | None = None


class Translation(SQLModel, table=True):
    """A Swedish translation of one of the person's messages (översättning). Rows are never changed but
    for the verification: a new draft of a line is a new row, and the newest one counts."""

    __tablename__ = "translation"
    id: int | None = Field(default=None, primary_key=True)
    transcript_entry_id: int = Field(sa_column=_entry_fk())
    text: str = Field(sa_column=Column(SealedText, nullable=False))
    status: str = Field(default="draft", max_length=8)  # draft, verified
    translator: str = Field(max_length=64)  # staff:<id> or cli:<os user>
    at: datetime
    verified_by: str | None = Field(default=None, max_length=64)
    verified_at: datetime | None = None


class CaseworkerMessage(SQLModel, table=True):
    """Free text a caseworker wrote to the person in Swedish: sent once an interpreter has translated it,
    or at once in Swedish when the caseworker chose so."""

    __tablename__ = "caseworker_message"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(sa_column=Column(Integer, ForeignKey("referral.id", ondelete="CASCADE"), nullable=False,
                                              index=True))
    author: str = Field(max_length=64)
    text_sv: str = Field(sa_column=Column(SealedText, nullable=False))
    language: str = Field(max_length=8)  # the language it is sent in
    translation: str | None = Field(default=None, sa_column=Column(SealedText, nullable=True))
    translator: str | None = Field(default=None, max_length=64)
    translated_at: datetime | None = None
    status: str = Field(default="waiting", max_length=8, index=True)  # waiting, sent
    created_at: datetime
    sent_at: datetime | None = None


class Translating(SQLModel, table=True):
    """The line an interpreter was shown by /translate: their next plain message is its translation."""

    __tablename__ = "translating"
    staff_id: int = Field(sa_column=Column(Integer, ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False))
    referral_id: int = Field(sa_column=Column(Integer, ForeignKey("referral.id", ondelete="CASCADE"), nullable=False))
    transcript_entry_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("transcript_entry.id", ondelete="CASCADE"), nullable=True))
    message_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("caseworker_message.id", ondelete="CASCADE"),
                                       nullable=True))
    since: datetime


class CatalogReport(SQLModel, table=True):
    """A sentence of the bot's catalog that an interpreter found wrong or unclear (granskningslista)."""

    __tablename__ = "catalog_report"
    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(max_length=8, index=True)
    msgid: str = Field(sa_column=Column(Text, nullable=False))
    context: str | None = Field(default=None, max_length=64)  # the msgctxt
    translation: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # as the catalog had it
    note: str = Field(sa_column=Column(SealedText, nullable=False))
    source: str | None = Field(default=None, max_length=64)  # where it was seen: "SOL-2026-0042 rad 12"
    reporter: str = Field(max_length=64)
    at: datetime


# ------------------------------------------------------------------------- people and lines
def get_person(db: Session, *, person_id: int) -> Person | None:
    return db.get(Person, person_id)


def lines(db: Session, *, person_id: int) -> Sequence[TranscriptEntry]:
    """The transcript in order; line N is the N-th entry (1-based)."""
    query = select(TranscriptEntry).where(TranscriptEntry.person_id == person_id).order_by(col(TranscriptEntry.id))
    return db.exec(query).all()


def line_of_entry(db: Session, *, person_id: int, entry_id: int) -> int:
    query = select(func.count()).select_from(TranscriptEntry).where(
        TranscriptEntry.person_id == person_id, col(TranscriptEntry.id) <= entry_id)
    return int(db.exec(query).one())


# ------------------------------------------------------------------------- files
def add_new_file(db: Session, *, entry_id: int, kind: str, now: datetime) -> None:
    """The file row of a file message just written to the transcript, in the same transaction: `new`,
    to be looked at by the processing round (bot.telegram.files)."""
    db.add(StoredFile(transcript_entry_id=entry_id, kind=kind, status="new", created_at=now))


def new_files(db: Session, *, limit: int) -> list[tuple[StoredFile, TranscriptEntry, TranscriptEntry | None]]:
    """The file messages not yet looked at, oldest first, each with its transcript entry and the bot's
    answer to it (the person's next outgoing entry, written in the same transaction), or None.

    Each is an index lookup: the rows by status, the entry by its key, the answer by person and key.
    On PostgreSQL the rows are locked, and rows another worker holds are skipped.
    """
    query = (select(StoredFile).options(defer(StoredFile.content))  # type: ignore[arg-type]
             .where(StoredFile.status == "new").order_by(col(StoredFile.id)).limit(limit))
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    out = []
    for row in db.exec(query).all():
        entry = db.get(TranscriptEntry, row.transcript_entry_id)
        if entry is None or entry.id is None:
            continue  # cannot happen: the row goes with its entry (ON DELETE CASCADE)
        answer = db.exec(select(TranscriptEntry).where(
            TranscriptEntry.person_id == entry.person_id, TranscriptEntry.direction == "out",
            col(TranscriptEntry.id) > entry.id).order_by(col(TranscriptEntry.id)).limit(1)).first()
        out.append((row, entry, answer))
    return out


def pending_files(db: Session, *, now: datetime, limit: int) -> Sequence[StoredFile]:
    """Files whose download is due: failed before, or left by a worker that stopped (its lease ran out).
    On PostgreSQL the rows are locked, and rows another worker holds are skipped."""
    query = (select(StoredFile).options(defer(StoredFile.content))  # type: ignore[arg-type]
             .where(StoredFile.status == "pending",
                    (col(StoredFile.next_attempt_at).is_(None)) | (col(StoredFile.next_attempt_at) <= now))
             .order_by(col(StoredFile.id)).limit(limit))
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return db.exec(query).all()


def note_file(db: Session, *, entry_id: int, kind: str, status: str, now: datetime, **fields: Any) -> StoredFile:
    """Create or update the file row of a transcript entry."""
    if "mime" in fields:
        fields["mime"] = _mime(fields["mime"])
    row = db.exec(select(StoredFile).options(defer(StoredFile.content))  # type: ignore[arg-type]
                  .where(StoredFile.transcript_entry_id == entry_id)).first()
    if row is None:
        row = StoredFile(transcript_entry_id=entry_id, kind=kind, status=status, created_at=now)
    row.status = status
    for key, value in fields.items():
        setattr(row, key, value)
    db.add(row)
    db.flush()
    return row


def _mime(value: Any) -> str | None:
    """The sender's MIME type when it is one (`type/subtype`), else None: the column is not sealed, so it
    never holds free text."""
    text = str(value or "").split(";")[0].strip().lower()
    return text if _MIME.fullmatch(text) else None


def files_since(db: Session, *, person_id: int, since: datetime, statuses: Sequence[str]) -> tuple[int, int]:
    """How many of the person's files, and how many bytes (known sizes), in these statuses since `since`."""
    query = (select(func.count(), func.coalesce(func.sum(StoredFile.size), 0))
             .select_from(StoredFile)
             .join(TranscriptEntry, col(TranscriptEntry.id) == col(StoredFile.transcript_entry_id))
             .where(TranscriptEntry.person_id == person_id, col(StoredFile.status).in_(list(statuses)),
                    col(StoredFile.created_at) >= since))
    count, size = db.exec(query).one()
    return int(count), int(size)


def files_of(db: Session, *, entry_ids: Sequence[int]) -> dict[int, StoredFile]:
    """The file rows of these entries that were looked at, without their content (a `new` row is left
    out: to staff such a file is simply not fetched yet, as before it was looked at)."""
    if not entry_ids:
        return {}
    query = (select(StoredFile).options(defer(StoredFile.content))  # type: ignore[arg-type]
             .where(col(StoredFile.transcript_entry_id).in_(list(entry_ids)), StoredFile.status != "new"))
    return {f.transcript_entry_id: f for f in db.exec(query).all()}


def file_content(db: Session, *, entry_id: int) -> bytes | None:
    query = select(StoredFile.content).where(StoredFile.transcript_entry_id == entry_id,
                                             StoredFile.status == "stored")
    return db.exec(query).first()


# ------------------------------------------------------------------------- translations
def add_translation(db: Session, *, entry_id: int, text: str, translator: str, now: datetime) -> Translation:
    row = Translation(transcript_entry_id=entry_id, text=text, translator=translator, status="draft", at=now)
    db.add(row)
    db.flush()
    return row


def current_translations(db: Session, *, entry_ids: Sequence[int]) -> dict[int, Translation]:
    """The newest translation of each entry."""
    if not entry_ids:
        return {}
    query = (select(Translation).where(col(Translation.transcript_entry_id).in_(list(entry_ids)))
             .order_by(col(Translation.id)))
    return {t.transcript_entry_id: t for t in db.exec(query).all()}


def verify_translations(db: Session, *, translation_ids: Sequence[int], by: str, now: datetime) -> int:
    if not translation_ids:
        return 0
    result = db.exec(update(Translation)  # type: ignore[call-overload]
                     .where(col(Translation.id).in_(list(translation_ids)), col(Translation.status) == "draft")
                     .values(status="verified", verified_by=by, verified_at=now))
    return result.rowcount or 0


# ------------------------------------------------------------------------- caseworkers' messages
def add_message(db: Session, *, message: CaseworkerMessage) -> CaseworkerMessage:
    db.add(message)
    db.flush()
    return message


def get_message(db: Session, *, message_id: int) -> CaseworkerMessage | None:
    return db.get(CaseworkerMessage, message_id)


def messages_of(db: Session, *, referral_id: int, status: str | None = None) -> Sequence[CaseworkerMessage]:
    query = select(CaseworkerMessage).where(CaseworkerMessage.referral_id == referral_id)
    if status is not None:
        query = query.where(CaseworkerMessage.status == status)
    return db.exec(query.order_by(col(CaseworkerMessage.id))).all()


# ------------------------------------------------------------------------- the interpreter's open line
def get_translating(db: Session, *, staff_id: int) -> Translating | None:
    return db.get(Translating, staff_id)


def set_translating(db: Session, *, staff_id: int, referral_id: int, entry_id: int | None, message_id: int | None,
                    now: datetime) -> None:
    row = db.get(Translating, staff_id) or Translating(staff_id=staff_id, referral_id=referral_id, since=now)
    row.referral_id, row.transcript_entry_id, row.message_id, row.since = referral_id, entry_id, message_id, now
    db.add(row)
    db.flush()


def stop_translating(db: Session, *, staff_id: int) -> bool:
    row = db.get(Translating, staff_id)
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True


def translator_telegram_ids(db: Session, *, roles: Sequence[str]) -> frozenset[int]:
    """Telegram ids of the active staff of these roles (those who may have a line open)."""
    query = select(Staff.telegram_user_id).where(col(Staff.role).in_(list(roles)), Staff.active == True)  # noqa: E712
    return frozenset(int(i) for i in db.exec(query).all() if i is not None)


# ------------------------------------------------------------------------- catalog reports
def add_catalog_report(db: Session, *, report: CatalogReport) -> CatalogReport:
    db.add(report)
    db.flush()
    return report


def catalog_reports(db: Session, *, language: str | None = None) -> Sequence[CatalogReport]:
    query = select(CatalogReport)
    if language is not None:
        query = query.where(CatalogReport.language == language)
    return db.exec(query.order_by(col(CatalogReport.language), col(CatalogReport.id))).all()


def referral_of_person(db: Session, *, person_id: int) -> Referral | None:
    return db.exec(select(Referral).where(Referral.person_id == person_id)).first()



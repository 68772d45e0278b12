"""The person's files (voice messages, photos, documents), downloaded through the Bot API after the
update's transaction and kept with the referral; and files sent on to an interpreter as what they are.

Only what the intake took is kept: a file sent to `account`, or after submission (the dialog answered
it with "saved" or "added to your case"); a photo sent to another question is not. A file over the
limit (Telegram lets a bot download up to 20 MB) is not fetched, and the person is told so politely
in their language. A failed download is tried again later, a few times. After submission a person may keep sending files
to their case: beyond the day's quota (casework.quotas: a count and a size) a file is not downloaded,
and the person is told once a day, in their language, to send the rest later or bring the papers.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from telegram import Bot, InputFile
from telegram.error import BadRequest, TelegramError

from casework import quotas
from dialogs import prompts
from dialogs.events import Reply
from dialogs.i18n import render
from dialogs.translation import taken_msgids
from storage import interpreting as store
from storage import repo
from storage.db import transaction
from storage.models import TranscriptEntry

__all__ = ["FILE_LIMIT", "MEDIA_AS", "fetch_pending_files", "send_as_media"]

log = logging.getLogger(__name__)
FILE_LIMIT = prompts.FILE_LIMIT_MB * 1024 * 1024
MEDIA_AS = ("voice", "audio", "photo")  # how a file may be sent on; anything else goes as a document
_BATCH = 10  # files per call: the processing loop comes back for the rest
_MAX_ATTEMPTS = 5
# A file being downloaded is this worker's for so long; another worker takes it after that.
LEASE = timedelta(minutes=10)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _Job:
    entry_id: int
    kind: str
    file_id: str
    size: int | None
    mime: str | None
    file_name: str | None


def _jobs(engine: Engine, limit: int) -> tuple[list[_Job], int]:
    """Decide which new file messages are kept; return what is to be downloaded now, and how many were
    settled already (too large by what the update said, or past the quota).

    Only the file rows due are read (`new` ones, written with the message, and downloads due again),
    each through an index: a round costs the same however many intakes are stored.
    """
    now, taken, jobs, too_large = _now(), taken_msgids(), [], 0
    with transaction(engine) as db:
        for row, entry, answer in store.new_files(db, limit=limit):
            assert entry.id is not None
            data = entry.data or {}
            msgs = (answer.data or {}).get("msgs", []) if answer is not None else []
            kept = bool(msgs) and msgs[0].get("id") in taken and data.get("file_id")
            size = data.get("size") if isinstance(data.get("size"), int) else None
            fields = {"mime": data.get("mime_type"), "size": size, "file_name": data.get("file_name")}
            if not kept:
                store.note_file(db, entry_id=entry.id, kind=row.kind, status="not_kept", now=now, **fields)
                continue
            if size is not None and size > FILE_LIMIT:
                _too_large(db, entry.person_id, entry.id, row.kind, now, fields)
                too_large += 1
                continue
            if not _fits(db, entry.person_id, size, now):
                _over_quota(db, entry.person_id, entry.id, row.kind, now, fields)
                too_large += 1
                continue
            store.note_file(db, entry_id=entry.id, kind=row.kind, status="pending", now=now,
                            next_attempt_at=now + LEASE, **fields)
            jobs.append(_Job(entry.id, row.kind, str(data["file_id"]), size, fields["mime"], fields["file_name"]))
        for pending in store.pending_files(db, now=now, limit=max(0, limit - len(jobs))):
            pending.next_attempt_at = now + LEASE
            db.add(pending)
            file_entry = db.get(TranscriptEntry, pending.transcript_entry_id)
            file_id = (file_entry.data or {}).get("file_id") if file_entry is not None else None
            if file_id:
                jobs.append(_Job(pending.transcript_entry_id, pending.kind, str(file_id), pending.size, pending.mime,
                                 pending.file_name))
    return jobs, too_large


def _too_large(db: Any, person_id: int, entry_id: int, kind: str, now: datetime, fields: dict[str, Any]) -> None:
    store.note_file(db, entry_id=entry_id, kind=kind, status="too_large", now=now, **fields)
    person = store.get_person(db, person_id=person_id)
    if person is None or person.id is None:
        return
    language = person.language or "en"
    reply = Reply((prompts.FILE_TOO_LARGE,))
    repo.add_outbox(db, channel=person.channel, chat_id=person.chat_id, action="send",
                    payload={"text": render(prompts.FILE_TOO_LARGE, language)}, now=now)
    repo.add_transcript(db, person_id=person.id, direction="out", kind="message",
                        data={"msgs": [m.to_json() for m in reply.texts]}, language=language, now=now)


def _fits(db: Any, person_id: int, size: int | None, now: datetime, *, counting_itself: bool = False) -> bool:
    """Whether one more file fits in the person's day (casework.quotas); `counting_itself`: the file's
    own row is already among the pending ones (its size was not known when it was taken)."""
    count, total = store.files_since(db, person_id=person_id, since=now - quotas.QUOTA_DAY,
                                     statuses=("stored", "pending"))
    return quotas.file_fits(files_today=count - counting_itself, bytes_today=total, size=size)


def _over_quota(db: Any, person_id: int, entry_id: int, kind: str, now: datetime, fields: dict[str, Any]) -> None:
    """Past the day's quota: not downloaded; the person is told once a day, in their language."""
    told, _ = store.files_since(db, person_id=person_id, since=now - quotas.QUOTA_DAY, statuses=("over_quota",))
    store.note_file(db, entry_id=entry_id, kind=kind, status="over_quota", now=now, **fields)
    log.info("file over the daily quota", extra={"entry": entry_id})
    person = store.get_person(db, person_id=person_id)
    if told or person is None or person.id is None:
        return
    language = person.language or "en"
    repo.add_outbox(db, channel=person.channel, chat_id=person.chat_id, action="send",
                    payload={"text": render(prompts.FILES_OVER_QUOTA, language)}, now=now)
    repo.add_transcript(db, person_id=person.id, direction="out", kind="message",
                        data={"msgs": [prompts.FILES_OVER_QUOTA.to_json()]}, language=language, now=now)


def _settle(engine: Engine, job: _Job, outcome: str, content: bytes | None, size: int | None) -> None:
    now = _now()
    with transaction(engine) as db:
        entry = db.get(TranscriptEntry, job.entry_id) if outcome == "stored" and job.size is None else None
        if entry is not None and content is not None and not _fits(db, entry.person_id, len(content), now,
                                                                   counting_itself=True):
            # its size was not known when it was taken: it counts now, and the content is not kept
            _over_quota(db, entry.person_id, job.entry_id, job.kind, now,
                        {"mime": job.mime, "size": len(content), "file_name": job.file_name})
            return
        if outcome == "stored" and content is not None:
            store.note_file(db, entry_id=job.entry_id, kind=job.kind, status="stored", now=now, content=content,
                            size=len(content), sha256=hashlib.sha256(content).hexdigest(), stored_at=now)
        elif outcome == "too_large":
            entry = db.get(TranscriptEntry, job.entry_id)
            if entry is not None:
                _too_large(db, entry.person_id, job.entry_id, job.kind, now,
                           {"mime": job.mime, "size": size or job.size, "file_name": job.file_name})
        else:
            row = store.note_file(db, entry_id=job.entry_id, kind=job.kind, status="pending", now=now)
            row.attempts += 1
            if row.attempts >= _MAX_ATTEMPTS:
                row.status = "failed"
                log.error("file given up", extra={"entry": job.entry_id})
            else:
                row.next_attempt_at = now + timedelta(seconds=min(3600, 30 * 2**row.attempts))
            db.add(row)


async def fetch_pending_files(bot: Bot, engine: Engine, run_db: Any) -> int:
    """Download the files the intake took and that are not stored yet (at most a batch per call).

    Returns how many were settled (stored, or found too large). Call it from the processing loop,
    after the updates are processed; its notices to the person go out with the outbox.
    """
    jobs, settled = await run_db(_jobs, engine, _BATCH)
    for job in jobs:
        outcome, content, size = "retry", None, None
        try:
            tg_file = await bot.get_file(job.file_id)
            size = tg_file.file_size
            if size is not None and size > FILE_LIMIT:
                outcome = "too_large"
            else:
                content = bytes(await tg_file.download_as_bytearray())
                outcome = "too_large" if len(content) > FILE_LIMIT else "stored"
        except BadRequest as exc:
            outcome = "too_large" if "too big" in str(exc).lower() else "retry"
            log.warning("file download refused", extra={"entry": job.entry_id, "error": type(exc).__name__})
        except TelegramError as exc:
            log.warning("file download failed, will retry", extra={"entry": job.entry_id,
                                                                    "error": type(exc).__name__})
        await run_db(_settle, engine, job, outcome, content, size)
        settled += outcome != "retry"
    return settled


async def send_as_media(bot: Bot, chat_id: int, payload: dict[str, Any]) -> int:
    """Send an outbox `send_document` row whose payload says `as` voice, audio or photo as that kind.

    The outbox sender calls this for such rows; without it they still arrive, as documents.
    Returns Telegram's message id.
    """
    raw = base64.b64decode(payload["content"]) if payload.get("encoding") == "base64" else payload["content"].encode()
    media = InputFile(raw, filename=payload.get("filename") or "file")
    caption = payload.get("caption")
    kind = payload.get("as")
    if kind == "voice":
        msg = await bot.send_voice(chat_id, media, caption=caption)
    elif kind == "audio":
        msg = await bot.send_audio(chat_id, media, caption=caption)
    elif kind == "photo":
        msg = await bot.send_photo(chat_id, media, caption=caption)
    else:
        msg = await bot.send_document(chat_id, media, caption=caption)
    return msg.message_id

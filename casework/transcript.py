"""The transcript of a referral as plain data, and its JSON (INTAKE_SPEC section 8).

Every shell shows the same lines: the bot's messages in the language the person saw and in Swedish, the
person's own messages verbatim with their files and the interpreter's Swedish (draft or verified, by
whom, when), and the caseworkers' messages. The conversation renders the lines
(`Conversation.transcript`); this module only holds them, so casework needs no catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["FileRef", "Part", "Transcript", "TranscriptLine", "TranslationInfo", "to_json"]


@dataclass(frozen=True)
class FileRef:
    id: int | None
    kind: str
    status: str  # stored, too_large, failed, pending, not_kept, or not_fetched (not looked at yet)
    mime: str | None = None
    size: int | None = None
    sha256: str | None = None
    file_name: str | None = None


@dataclass(frozen=True)
class TranslationInfo:
    status: str  # draft, verified
    text: str
    translated_by: str | None
    translated_at: datetime
    verified_by: str | None = None
    verified_at: datetime | None = None


@dataclass(frozen=True)
class Part:
    """One sentence of a bot message: which catalog entry, and how it read in both languages."""

    msgid: str
    context: str | None
    text: str
    text_sv: str


@dataclass(frozen=True)
class TranscriptLine:
    n: int
    direction: str  # in (the person) / out (the bot or a caseworker)
    sender: str  # person, bot, caseworker
    time: datetime
    kind: str
    language: str
    text: str | None  # in the person's language (verbatim for the person's own messages)
    text_sv: str | None  # Swedish: bot messages, presses, and translated messages
    parts: list[Part] = field(default_factory=list)
    files: list[FileRef] = field(default_factory=list)
    translation: TranslationInfo | None = None
    needs_translation: bool = False
    entry_id: int | None = None  # the stored transcript entry (for its files)


@dataclass(frozen=True)
class Transcript:
    reference: str
    language: str
    status: str
    created_at: datetime
    exported_at: datetime
    interpreter: str | None
    lines: list[TranscriptLine]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def to_json(t: Transcript) -> list[dict[str, Any]]:
    """The messages in order (INTAKE_SPEC section 8), each with its kind, files and translation status."""
    out = []
    for ln in t.lines:
        item: dict[str, Any] = {
            "n": ln.n,
            "direction": ln.direction,
            "sender": ln.sender,
            "time": _iso(ln.time),
            "kind": ln.kind,
            "language": ln.language,
            "text": ln.text,
            "text_sv": ln.text_sv,
            "files": [{"id": f.id, "kind": f.kind, "status": f.status, "mime": f.mime, "size": f.size,
                       "sha256": f.sha256, "file_name": f.file_name} for f in ln.files],
            "translation": None,
        }
        if ln.parts:
            item["msgids"] = [{"msgid": p.msgid, "context": p.context} for p in ln.parts]
        if ln.translation is not None:
            tr = ln.translation
            item["translation"] = {"status": tr.status, "translated_by": tr.translated_by,
                                   "translated_at": _iso(tr.translated_at), "verified_by": tr.verified_by,
                                   "verified_at": _iso(tr.verified_at)}
        elif ln.needs_translation:
            item["translation"] = {"status": "missing"}
        out.append(item)
    return out

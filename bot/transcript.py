"""The transcript of a referral: every message in order, in the person's language and in Swedish.

Bot messages are stored as msgids, so they are rendered here in the language the person saw and in
Swedish; the person's messages are verbatim, with their files and the interpreter's Swedish translation
(draft or verified, by whom, when). `intake transcript REF --format json|html` and `/transcript REF`
show it; every read is recorded in `case_read`. The JSON is the interface of INTAKE_SPEC section 8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from casework import municipalities
from casework.interpreting import case_of, staff_name
from dialogs import prompts
from dialogs.i18n import P_, Msg, language_name, render
from dialogs.questions import GROUPS, by_id
from dialogs.translation import numbered
from storage import interpreting as store
from storage import repo
from storage.models import Referral, TranscriptEntry

__all__ = ["FileRef", "Part", "Transcript", "TranscriptLine", "TranslationInfo", "build", "read", "render_entry",
           "to_json"]

_BUTTONS: dict[str, Msg] = {
    "back": P_("button", "Back"),
    "skip": P_("button", "Skip"),
    "done": P_("button", "Done ✓"),
    "submit": P_("button", "Send my answers ✓"),
    "more": P_("privacy", "Read more"),
}


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


def read(db: Session, *, reference: str, actor: str, command: str, now: datetime) -> Transcript:
    """The transcript of a referral; the read is recorded (who, when, with which command)."""
    referral = case_of(db, reference)
    assert referral.id is not None
    repo.add_case_read(db, referral_id=referral.id, actor=actor, command=command, now=now)
    return build(db, referral, now)


def build(db: Session, referral: Referral, now: datetime) -> Transcript:
    lines = numbered(db, referral)
    ids = [ln.entry.id for ln in lines if ln.entry.id is not None]
    files = store.files_of(db, entry_ids=ids)
    translations = store.current_translations(db, entry_ids=ids)
    assert referral.id is not None
    messages = {m.id: m for m in store.messages_of(db, referral_id=referral.id)}
    names: dict[str | None, str | None] = {}

    def name(actor: str | None) -> str | None:
        if actor not in names:
            names[actor] = staff_name(db, actor)
        return names[actor]

    out = []
    for ln in lines:
        entry = ln.entry
        stored = files.get(entry.id) if entry.id is not None else None
        info = None
        current = translations.get(entry.id) if entry.id is not None else None
        if current is not None:
            info = TranslationInfo(current.status, current.text, name(current.translator), current.at,
                                   name(current.verified_by), current.verified_at)
        message = messages.get((entry.data or {}).get("message")) if entry.direction == "out" else None
        if message is not None and message.translator is not None:
            # a caseworker's message went out in the interpreter's words: a translation nobody verified
            info = TranslationInfo("draft", message.translation or "", name(message.translator),
                                   message.translated_at or entry.at)
        out.append(render_entry(ln.n, entry, referral, stored, info, ln.translatable))
    interpreter = staff_name(db, f"staff:{referral.interpreter_id}") if referral.interpreter_id else None
    return Transcript(referral.reference, referral.language, referral.status, referral.created_at, now, interpreter,
                      out)


def render_entry(n: int, entry: TranscriptEntry, referral: Referral, stored: store.StoredFile | None,
                 info: TranslationInfo | None, translatable: bool) -> TranscriptLine:
    """One stored entry as a line: a bot message rendered in the language the person saw and in Swedish,
    the person's message verbatim with its file and translation."""
    language = entry.language or referral.language
    data = entry.data or {}
    common = {"n": n, "entry_id": entry.id, "direction": entry.direction, "time": entry.at, "kind": entry.kind,
              "language": language}
    if entry.direction == "out":
        msgs = [Msg.from_json(m) for m in data.get("msgs", [])]
        parts = [Part(m.msgid, m.context, render(m, language), render(m, "sv")) for m in msgs]
        text = "\n\n".join([p.text for p in parts] + ([entry.text] if entry.text else []))
        text_sv = "\n\n".join([p.text_sv for p in parts] + ([data["text_sv"]] if data.get("text_sv") else []))
        sender = "caseworker" if entry.kind == "reply" else "bot"
        return TranscriptLine(**common, sender=sender, text=text or None, text_sv=text_sv or None, parts=parts,
                              translation=info)
    if entry.kind == "press":
        label = _press_label(str(data.get("press", "")))
        shown = label if isinstance(label, str) else render(label, language)
        sv = label if isinstance(label, str) else render(label, "sv")
        return TranscriptLine(**common, sender="person", text=shown, text_sv=sv)
    if entry.kind == "command":
        return TranscriptLine(**common, sender="person", text=entry.text, text_sv=entry.text)
    refs = []
    if "file_id" in data or entry.kind in store.FILE_KINDS:
        if stored is not None:
            refs.append(FileRef(stored.id, stored.kind, stored.status, stored.mime, stored.size, stored.sha256,
                                stored.file_name))
        else:
            refs.append(FileRef(None, entry.kind, "not_fetched", data.get("mime_type"), data.get("size"), None,
                                data.get("file_name")))
    swedish = referral.language == "sv" and entry.kind == "text"
    text_sv = info.text if info is not None else (entry.text if swedish else None)
    return TranscriptLine(**common, sender="person", text=entry.text, text_sv=text_sv, files=refs, translation=info,
                          needs_translation=translatable)


def _press_label(data: str) -> Msg | str:
    """A pressed button as the person saw it, where it can still be told."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "q":
        return data
    _, qid, choice = parts
    if choice in _BUTTONS:
        return _BUTTONS[choice]
    if qid == "summary" and choice.startswith("edit_") and choice[5:] in prompts.TITLES:
        return prompts.TITLES[choice[5:]]
    if qid == "summary" and choice.startswith("group_"):
        return next((g.heading for g in GROUPS if g.id == choice[6:]), data)
    q = by_id(qid)
    if q is None:
        return data
    if qid == "language":
        return language_name(choice) if choice else data
    if qid == "moved_from" and choice.isdigit():
        found = municipalities.by_code(choice)
        return found.name if found else choice
    try:
        return q.label(choice)
    except KeyError:
        return choice


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

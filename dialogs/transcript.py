"""The transcript of a referral rendered from what is stored: every message in order, in the person's
language and in Swedish.

Bot messages are stored as msgids, so they are rendered here in the language the person saw and in
Swedish; the person's messages are verbatim, with their files and the interpreter's Swedish translation
(draft or verified, by whom, when). The result is plain data (`casework.transcript`) that the staff
shells show; reading it goes through the command layer, which checks and logs the read.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from casework import municipalities
from casework.interpreting import staff_name
from casework.transcript import FileRef, Part, Transcript, TranscriptLine, TranslationInfo
from dialogs import prompts
from dialogs.i18n import P_, Msg, language_name, render
from dialogs.questions import GROUPS, by_id
from dialogs.translation import numbered
from storage import interpreting as store
from storage.models import Referral, TranscriptEntry

__all__ = ["build", "render_entry"]

_BUTTONS: dict[str, Msg] = {
    "back": P_("button", "Back"),
    "skip": P_("button", "Skip"),
    "done": P_("button", "Done ✓"),
    "submit": P_("button", "Send my answers ✓"),
    "more": P_("privacy", "Read more"),
}


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

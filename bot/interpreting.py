"""The staff commands of the transcript and the interpreter's work, shared by Telegram and the command line:
/transcript, /translate (and the plain message that answers it), /verify, /reportline, /reply.

Runs in the caller's transaction and answers in Swedish, like `bot.staffcmd`, which hands these
commands here. Who may use them on which referral is checked before (`casework.interpreting.may_use`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from babel import Locale
from sqlmodel import Session

from bot.transcript import read as read_transcript
from bot.transcript_html import KIND_NAMES, to_html
from casework import interpreting as interp
from casework.files import shown_name, stored_file_name
from casework.steps import CaseError
from dialogs import replies
from dialogs import translation as lines
from dialogs.i18n import Msg, babel_locale, translations
from storage import interpreting as store
from storage import repo
from storage.interpreting import CatalogReport
from storage.models import Referral, Staff

if TYPE_CHECKING:
    from bot.staffcmd import StaffReply

__all__ = ["answer", "run", "swedish_name"]

_LINE = re.compile(r"^(\d{1,6})(?:\.(\d{1,2}))?$")
_MESSAGE = re.compile(r"^r(\d{1,9})$", re.IGNORECASE)


def _reply(text: str, **kw: object) -> StaffReply:
    from bot.staffcmd import StaffReply

    return StaffReply(text, **kw)  # type: ignore[arg-type]


def swedish_name(language: str) -> str:
    """The language's name in Swedish, e.g. "arabiska"."""
    return babel_locale(language).get_display_name(Locale("sv")) or language


def run(db: Session, *, staff: Staff | None, actor: str, command: str, words: list[str], raw: str,
        now: datetime) -> StaffReply:
    if command == "translate" and words and words[0].lower() == "stop":
        stopped = staff is not None and staff.id is not None and store.stop_translating(db, staff_id=staff.id)
        return _reply("Översättningen är avslutad." if stopped else "Du översätter ingenting just nu.")
    if not words:
        raise CaseError(f"Använd: /{command} REF …" if command != "reply" else replies.USAGE)
    referral = interp.case_of(db, words[0])
    rest = raw.strip()[len(words[0]):].strip()
    if command == "transcript":
        return _transcript(db, referral, actor, now)
    if command == "translate":
        return _translate(db, staff, referral, actor, words[1:], rest, now)
    if command == "verify":
        return _verify(db, staff, referral, actor, words[1:], now)
    if command == "reportline":
        return _report(db, referral, actor, words[1:], rest, now)
    return _send_reply(db, referral, actor, words[1:], rest, now)


# ------------------------------------------------------------------------------ the transcript
def _transcript(db: Session, referral: Referral, actor: str, now: datetime) -> StaffReply:
    transcript = read_transcript(db, reference=referral.reference, actor=actor, command="transcript", now=now)
    open_lines = sum(1 for ln in transcript.lines if ln.needs_translation and ln.translation is None)
    drafts = sum(1 for ln in transcript.lines if ln.translation is not None and ln.translation.status == "draft")
    text = (f"Transkript {referral.reference}: {len(transcript.lines)} rader, {open_lines} inte översatta, "
            f"{drafts} utkast. Dokumentet är tvåspråkigt och går att skriva ut.")
    return _reply(text, documents=[(f"transkript-{referral.reference}.html", to_html(transcript).encode())])


# ------------------------------------------------------------------------------ translating
def _translate(db: Session, staff: Staff | None, referral: Referral, actor: str, args: list[str], rest: str,
               now: datetime) -> StaffReply:
    target = args[0] if args else None
    text = rest[len(target):].strip() if target else ""
    if target and (m := _MESSAGE.fullmatch(target)):
        if not text:
            raise CaseError(f"Använd: /translate {referral.reference} r{m.group(1)} översättning")
        return _translate_message(db, referral, int(m.group(1)), text, actor, now)
    if target and (m := _LINE.fullmatch(target)) and m.group(2) is None:
        n = int(m.group(1))
        if text:
            lines.add_translation(db, referral=referral, n=n, text=text, actor=actor, now=now)
            return _reply(f"{referral.reference} rad {n}: utkast sparat.")
        return _show(db, staff, referral, lines.NextLine(line=lines.line(db, referral, n)), now)
    if target:
        raise CaseError(f"Använd: /translate {referral.reference} [RAD [översättning]]")
    return _show(db, staff, referral, lines.next_open(db, referral), now)


def _translate_message(db: Session, referral: Referral, message_id: int, text: str, actor: str,
                       now: datetime) -> StaffReply:
    message = interp.translate_message(db, referral=referral, message_id=message_id, text=text, actor=actor, now=now)
    replies.deliver(db, referral=referral, message=message, now=now)
    assert referral.id is not None
    repo.add_referral_event(db, referral_id=referral.id, kind="reply_sent", actor=actor, now=now,
                            data={"message": message.id})
    return _reply(f"{referral.reference}: meddelande {message.id} är översatt och skickat till personen.")


def _show(db: Session, staff: Staff | None, referral: Referral, nxt: lines.NextLine, now: datetime) -> StaffReply:
    """Show one line to translate; in Telegram the interpreter's next plain message is its translation."""
    assert referral.id is not None
    if nxt.line is None and nxt.message is None:
        if staff is not None and staff.id is not None:
            store.stop_translating(db, staff_id=staff.id)
        return _reply(f"Allt i {referral.reference} har en översättning. Skicka /verify {referral.reference} när du "
                      f"har kontrollerat dina utkast.")
    if staff is not None and staff.id is not None:
        if nxt.message is not None or (nxt.line is not None and nxt.line.translatable):
            store.set_translating(db, staff_id=staff.id, referral_id=referral.id,
                                  entry_id=nxt.line.entry.id if nxt.line else None,
                                  message_id=nxt.message.id if nxt.message else None, now=now)
        else:
            store.stop_translating(db, staff_id=staff.id)  # a line for context only: nothing to answer
    how = ("Svara med översättningen som ett vanligt meddelande." if staff is not None else
           "Översätt med intake translate REF --entry RAD --text \"…\".")
    left = f"\n{nxt.left} öppna." if nxt.left else ""
    if nxt.message is not None:
        m = nxt.message
        author = interp.staff_name(db, m.author)
        return _reply(f"{referral.reference} · meddelande r{m.id} från {author}, ska skickas på "
                      f"{swedish_name(m.language)}:\n\n{m.text_sv}\n\n{how} /translate stop avslutar.{left}")
    assert nxt.line is not None
    entry, n = nxt.line.entry, nxt.line.n
    current = store.current_translations(db, entry_ids=[entry.id] if entry.id else []).get(entry.id or -1)
    head = (f"{referral.reference} · rad {n} · {entry.at:%Y-%m-%d %H:%M} · "
            f"{KIND_NAMES.get(entry.kind, entry.kind)} ({swedish_name(entry.language or referral.language)})")
    body = f"\n\n{entry.text}" if entry.text else ""
    media: list[tuple[str, bytes, str]] = []
    if entry.kind in store.FILE_KINDS:
        content = store.file_content(db, entry_id=entry.id) if entry.id else None
        if content is None:
            row = store.files_of(db, entry_ids=[entry.id] if entry.id else []).get(entry.id or -1)
            body += f"\n\n[Filen finns inte hos oss: {row.status if row else 'inte hämtad än'}.]"
        else:
            # the file goes under a name the system makes; the person's own name is only shown
            stored = store.files_of(db, entry_ids=[entry.id] if entry.id else []).get(entry.id or -1)
            mime = (stored.mime if stored else None) or (entry.data or {}).get("mime_type")
            kind = entry.kind if entry.kind in ("voice", "audio", "photo") else "document"
            media.append((stored_file_name(referral.reference, n, entry.kind, mime), content, kind))
            if own := (entry.data or {}).get("file_name"):
                body += f"\n\nPersonens filnamn: {shown_name(str(own))}"
    if current is not None:
        state = "verifierad" if current.status == "verified" else "utkast"
        body += f"\n\nNuvarande översättning ({state}): {current.text}"
    if not nxt.line.translatable:
        return _reply(f"{head}{body}\n\nRaden är inte ett meddelande från personen som översätts.", media=media)
    return _reply(f"{head}{body}\n\n{how} /translate stop avslutar.{left}", media=media)


def answer(db: Session, *, staff: Staff, text: str, now: datetime) -> StaffReply | None:
    """An interpreter's plain message while a line is open: the translation of that line. None when no
    line is open (the message is not for us)."""
    assert staff.id is not None
    state = store.get_translating(db, staff_id=staff.id)
    if state is None:
        return None
    referral = db.get(Referral, state.referral_id)
    actor = f"staff:{staff.id}"
    if referral is None or (referral.interpreter_id != staff.id and staff.role == "interpreter"):
        store.stop_translating(db, staff_id=staff.id)
        return _reply("Översättningen är avslutad: du är inte längre tolk i ärendet.")
    try:
        if state.message_id is not None:
            done = _translate_message(db, referral, state.message_id, text, actor, now)
            return _reply(f"{done.text}\n\n{_show(db, staff, referral, lines.next_open(db, referral), now).text}")
        if state.transcript_entry_id is None:
            raise CaseError("Ingen rad är öppen.")
        n = store.line_of_entry(db, person_id=referral.person_id, entry_id=state.transcript_entry_id)
        lines.add_translation(db, referral=referral, n=n, text=text, actor=actor, now=now)
    except CaseError as exc:
        return _reply(str(exc))
    nxt = _show(db, staff, referral, lines.next_open(db, referral, after=n), now)
    nxt.text = f"Rad {n}: utkast sparat.\n\n{nxt.text}"
    return nxt


def _verify(db: Session, staff: Staff | None, referral: Referral, actor: str, args: list[str],
            now: datetime) -> StaffReply:
    n = None
    if args:
        if not args[0].isdigit():
            raise CaseError(f"Använd: /verify {referral.reference} [RAD]")
        n = int(args[0])
    only_by = actor if staff is not None and staff.role == "interpreter" else None
    count = lines.verify(db, referral=referral, actor=actor, now=now, n=n, only_by=only_by)
    where = f"rad {n}" if n is not None else "dina utkast" if only_by else "alla utkast"
    return _reply(f"{referral.reference}: {count} översättning{'ar' if count != 1 else ''} verifierad"
                  f"{'e' if count != 1 else ''} ({where}).")


# ------------------------------------------------------------------------------ catalog reports
def _report(db: Session, referral: Referral, actor: str, args: list[str], rest: str, now: datetime) -> StaffReply:
    usage = f"Använd: /reportline {referral.reference} RAD[.DEL] vad som är fel"
    m = _LINE.fullmatch(args[0]) if args else None
    note = rest[len(args[0]):].strip() if args else ""
    if m is None or not note:
        raise CaseError(usage)
    n = int(m.group(1))
    found = lines.line(db, referral, n).entry
    msgs = [Msg.from_json(x) for x in (found.data or {}).get("msgs", [])] if found.direction == "out" else []
    if not msgs:
        raise CaseError(f"Rad {n} är inte botens egen text.")
    if m.group(2) is None and len(msgs) > 1:
        listing = "\n".join(f"{n}.{i}: {x.msgid[:80]}" for i, x in enumerate(msgs, start=1))
        raise CaseError(f"Rad {n} har {len(msgs)} delar; ange vilken, t.ex. /reportline {referral.reference} "
                        f"{n}.2 …\n{listing}")
    part = int(m.group(2) or 1)
    if not 1 <= part <= len(msgs):
        raise CaseError(f"Rad {n} har delarna {n}.1–{n}.{len(msgs)}.")
    msg, language = msgs[part - 1], found.language or referral.language
    store.add_catalog_report(db, report=CatalogReport(
        language=language, msgid=msg.msgid, context=msg.context, translation=_catalog_text(msg, language),
        note=note[:2000], source=f"{referral.reference} rad {n}.{part}" if len(msgs) > 1 else
        f"{referral.reference} rad {n}", reporter=actor, at=now))
    return _reply(f"Tack. Rapporten om {swedish_name(language)} är sparad för granskning av katalogen.")


def _catalog_text(msg: Msg, language: str) -> str:
    """The sentence as the catalog has it (placeholders unfilled, so no personal details)."""
    t = translations(language)
    if msg.plural is not None:
        n = msg.n or 1
        return t.npgettext(msg.context, msg.msgid, msg.plural, n) if msg.context else t.ngettext(msg.msgid,
                                                                                                msg.plural, n)
    return t.pgettext(msg.context, msg.msgid) if msg.context else t.gettext(msg.msgid)


# ------------------------------------------------------------------------------ replies to the person
def _send_reply(db: Session, referral: Referral, actor: str, args: list[str], rest: str,
                now: datetime) -> StaffReply:
    flags = {w for w in args if w in ("--swedish", "--force")}
    words = [w for w in args if w not in flags]
    text = " ".join(w for w in rest.split(" ") if w not in flags).strip()
    if not words:
        raise CaseError(replies.USAGE)
    if referral.status == "closed":
        raise CaseError(f"{referral.reference} är avslutat.")
    if replies.quiet_phone(db, referral) and "--force" not in flags:
        raise CaseError("Personen har använt snabbutgången (/exit) och har inte skrivit sedan dess: telefonen kan "
                        "vara övervakad. Vänta tills personen hör av sig, eller lägg till --force.")
    assert referral.id is not None
    language = replies.language_of(db, referral)
    if words[0] in replies.STANDARD:
        msg = replies.standard(words[0], words[1:])
        swedish = replies.send_standard(db, referral=referral, msg=msg, actor=actor, now=now)
        repo.add_referral_event(db, referral_id=referral.id, kind="reply_sent", actor=actor, now=now,
                                data={"text": f"{words[0]}: {swedish}"})
        return _reply(f"{referral.reference}: skickat till personen på {swedish_name(language)}:\n«{swedish}»")
    message = replies.send_free(db, referral=referral, text_sv=text, actor=actor, swedish="--swedish" in flags,
                                now=now)
    if message.status == "sent":
        repo.add_referral_event(db, referral_id=referral.id, kind="reply_sent", actor=actor, now=now,
                                data={"message": message.id})
        return _reply(f"{referral.reference}: skickat till personen på svenska.")
    repo.add_referral_event(db, referral_id=referral.id, kind="reply_waiting", actor=actor, now=now,
                            data={"message": message.id})
    interpreter = repo.get_staff(db, staff_id=referral.interpreter_id) if referral.interpreter_id else None
    if interpreter is None:
        return _reply(f"{referral.reference}: meddelande r{message.id} väntar på översättning till "
                      f"{swedish_name(language)}. Ingen tolk är tilldelad: /assign {referral.reference} TOLK.")
    repo.add_outbox(db, channel="telegram", chat_id=str(interpreter.telegram_user_id), action="send",
                    payload={"text": f"Ett meddelande att översätta i {referral.reference}: "
                                     f"/translate {referral.reference}"}, now=now)
    return _reply(f"{referral.reference}: meddelande r{message.id} väntar på {interpreter.name}s översättning till "
                  f"{swedish_name(language)}; det skickas när översättningen finns.")

"""The Telegram words of the transcript, the interpreter's work and the caseworker's replies:
/transcript, /translate (and the plain message that answers an open line), /verify, /reportline, /reply.

Parsed into the typed commands of `casework.commands` and rendered back as Swedish replies; who may use
them on which case is decided in `casework.permissions`, never here.
"""

from __future__ import annotations

import re

from bot.transcript_html import to_html
from casework import commands as c
from casework.errors import InvalidInput
from casework.transcript import Transcript
from casework.translating import LineToTranslate

__all__ = ["COMMANDS", "REPLY_USAGE", "Transcript", "parse", "render_line", "render_transcript"]

COMMANDS = frozenset({"transcript", "translate", "verify", "reportline", "reply"})
_LINE = re.compile(r"^(\d{1,6})(?:\.(\d{1,2}))?$")
_MESSAGE = re.compile(r"^r(\d{1,9})$", re.IGNORECASE)
_STANDARD = ("received", "call", "meeting", "lease")
REPLY_USAGE = """Svar till personen, på personens språk:
/reply REF received – vi har tagit emot ditt ärende
/reply REF call TELEFON – ring oss på TELEFON
/reply REF meeting ÅÅÅÅ-MM-DD TT:MM PLATS – möte bokat, tolk finns med
/reply REF lease – vi behöver en kopia av ditt hyreskontrakt
/reply REF fri text på svenska – skickas när tolken har översatt den
/reply REF --swedish fri text – skickas genast på svenska
Lägg till --force om personen har använt snabbutgången (/exit)."""


def _after(raw: str, words: list[str], n: int) -> str:
    rest = raw.strip()
    for w in words[:n]:
        rest = rest[rest.find(w) + len(w):] if w in rest else rest
    return rest.strip()


def parse(command: str, words: list[str], raw: str) -> c.Command:
    if command == "translate" and words and words[0].lower() == "stop":
        return c.StopTranslating()
    if not words:
        raise InvalidInput(REPLY_USAGE if command == "reply" else f"Använd: /{command} REF …")
    ref = words[0]
    if command == "transcript":
        return c.ShowTranscript(ref, purpose="transcript")
    if command == "translate":
        if len(words) == 1:
            return c.OpenLine(ref, hold=True)
        target, text = words[1], _after(raw, words, 2)
        if m := _MESSAGE.fullmatch(target):
            if not text:
                raise InvalidInput(f"Använd: /translate {ref} r{m.group(1)} översättning")
            return c.Translate(ref, text, message=int(m.group(1)))
        m = _LINE.fullmatch(target)
        if m is None or m.group(2) is not None:
            raise InvalidInput(f"Använd: /translate {ref} [RAD [översättning]]")
        if text:
            return c.Translate(ref, text, line=int(m.group(1)))
        return c.OpenLine(ref, line=int(m.group(1)), hold=True)
    if command == "verify":
        if len(words) > 1 and not words[1].isdigit():
            raise InvalidInput(f"Använd: /verify {ref} [RAD]")
        return c.Verify(ref, int(words[1]) if len(words) > 1 else None)
    if command == "reportline":
        m = _LINE.fullmatch(words[1]) if len(words) > 1 else None
        note = _after(raw, words, 2)
        if m is None or not note:
            raise InvalidInput(f"Använd: /reportline {ref} RAD[.DEL] vad som är fel")
        return c.ReportLine(ref, int(m.group(1)), int(m.group(2)) if m.group(2) else None, note)
    flags = {w for w in words[1:] if w in ("--swedish", "--force")}
    rest = [w for w in words[1:] if w not in flags]
    if not rest:
        raise InvalidInput(REPLY_USAGE)
    if rest[0] in _STANDARD:
        details: tuple[str, ...] = ()
        if rest[0] == "call":
            details = (" ".join(rest[1:]),)
        elif rest[0] == "meeting":
            details = tuple(rest[1:3]) + ((" ".join(rest[3:]),) if len(rest) > 3 else ())
        return c.Reply(ref, kind=rest[0], details=details, force="--force" in flags)
    text = " ".join(w for w in _after(raw, words, 1).split(" ") if w not in flags).strip()
    return c.Reply(ref, text=text, swedish="--swedish" in flags, force="--force" in flags)


def render_transcript(reference: str, transcript: Transcript):  # type: ignore[no-untyped-def]
    from bot.staffcmd import StaffReply

    open_lines = sum(1 for ln in transcript.lines if ln.needs_translation and ln.translation is None)
    drafts = sum(1 for ln in transcript.lines if ln.translation is not None and ln.translation.status == "draft")
    text = (f"Transkript {reference}: {len(transcript.lines)} rader, {open_lines} inte översatta, {drafts} utkast. "
            f"Dokumentet är tvåspråkigt och går att skriva ut.")
    return StaffReply(text, documents=[(f"transkript-{reference}.html", to_html(transcript).encode())])


def render_line(result: c.Result, line: LineToTranslate, *, shell_hint: str = "telegram"):  # type: ignore[no-untyped-def]
    """The next line for the interpreter (its file beside it), after what the command did."""
    from bot import staffview
    from bot.staffcmd import StaffReply

    reference = result.reference or ""
    if line.done:
        return StaffReply(result.message or f"Allt i {reference} har en översättning.")
    how = ("Svara med översättningen som ett vanligt meddelande. /translate stop avslutar." if shell_hint == "telegram"
           else f'Översätt med: intake translate {reference} --entry {line.n} --text "…"')
    text = staffview.line_text(reference, line, how=how)
    media = []
    if line.file is not None:
        kind = line.file.kind if line.file.kind in ("voice", "audio", "photo") else "document"
        media.append((line.file.name, line.file.content, kind))
    head = f"{result.message}\n\n" if result.message else ""
    return StaffReply(head + text, media=media)

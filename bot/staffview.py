"""The staff reads as plain text, in Swedish: the queue with its headings, one case, an interpreter's
line. The Telegram staff commands and the command line print the same text; the data comes from
`casework.views` through the command layer, so this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.transcript_html import FILE_STATUS, KIND_NAMES
from casework.labels import language_sv
from casework.transcript import TranscriptLine
from casework.translating import LineToTranslate
from casework.views import CaseView, QueuePage

__all__ = ["case_text", "line_text", "messages_lines", "queue_text"]

_LOCAL = ZoneInfo("Europe/Stockholm")
_HEAD = ("Referens", "Prioritet", "Nivå", "Form", "Status", "IVO-frist", "Från", "Språk", "Handläggare", "Inkom")


def _date(value: datetime | None) -> str:
    return value.astimezone(_LOCAL).strftime("%Y-%m-%d") if value else "–"


def queue_text(page: QueuePage, *, empty: str = "Kön är tom.") -> str:
    """The queue as a table with headings, widest cell per column."""
    if not page.lines:
        return empty
    rows = [_HEAD]
    for q in page.lines:
        clock = f"{q.ivo_due_on:%Y-%m-%d} {q.clock_sv}" if q.ivo_due_on else "–"
        rows.append((q.reference, q.priority_sv, q.level_sv, ",".join(map(str, q.forms)) or "–", q.status_sv, clock,
                     q.municipality_sv, q.language_sv, q.caseworker or "–", _date(q.created_at)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(_HEAD))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    more = f"\nVisar {len(page.lines)} av {page.total_sv}." if page.next else ""
    return "\n".join(lines) + more


def _stamp(at: datetime | None) -> str:
    return f"{at.astimezone(_LOCAL):%Y-%m-%d %H:%M} " if at else ""


def case_text(view: CaseView) -> str:
    v = view
    forms = ", ".join(f"form {f}" for f in v.forms) or "ingen form"
    lines = [
        f"Ärende {v.reference} · {v.status_sv}" + (f" ({v.close_reason_sv})" if v.close_reason_sv else ""),
        f"Prioritet {v.priority_sv} · nivå {v.level_sv} · {forms} · språk {v.language_sv} · från {v.municipality_sv}"
        f" · inkommet {_date(v.created_at)}",
        f"Handläggare: {v.caseworker or 'ingen'} · tolk: {v.interpreter or 'ingen'}",
    ]
    if v.ivo_due_on:
        state = f" ({v.clock_sv})" if v.clock_sv else ""
        lines.append(f"Frist för ansökan till IVO: {v.ivo_due_on:%Y-%m-%d}{state}")
    lines += ["", "Samtycken (personens egna, med datum):"]
    lines += [f"• {_date(c.at)} {c.name}: {c.value_sv}" + ("" if c.current else " (ersatt senare)")
              for c in v.consents] or ["• inga"]
    lines += ["", "Svar:"]
    for a in v.answers:
        if a.entries:
            lines.append(f"• {a.title} ({len(a.entries)} delar, ingen ersatt):")
            lines += [f"    {_stamp(p.at)}" + (f"«{p.text}»" if p.text is not None else f"[{p.file_kind_sv}]")
                      for p in a.parts]
        else:
            lines.append(f"• {a.title}: {a.text}")
    if v.corrections:
        lines += ["", "Rättelser (det ursprungliga svaret finns kvar):"]
        lines += [f"• {_date(c.at)} {c.title}: {c.before} → {c.after} ({c.by})" for c in v.corrections]
    lines += messages_lines(v.messages)
    lines += ["", "Skäl:"]
    for r in v.reasons:
        lines.append(f"• {r.text} – {'; '.join(r.answers)} [{r.signal}, policy {r.section or '–'}]")
    lines += ["", "Rekommenderade åtgärder:"]
    for act in v.actions:
        if not act.steps:
            state = "inget steg registrerar detta"
        elif act.done_by:
            state = "klart (steg " + ", ".join(map(str, act.done_by)) + ")"
        else:
            state = "att göra: " + " eller ".join(name for _, name in act.steps)
        lines.append(f"• {act.name} – {state}")
    if not v.actions:
        lines.append("• inga")
    lines += ["", "Händelser (steg-nummer inom hakparentes):"]
    for e in v.timeline:
        details = "; ".join(f"{label}: {value}" for label, value in e.details)
        text = f"[{e.id}] {_date(e.at)} {e.name} ({e.by})" + (f": {details}" if details else "")
        if e.struck:
            text = f"~~{text}~~ STRUKET {_date(e.struck.at)} av {e.struck.by}: {e.struck.reason}"
        lines.append(f"• {text}")
    return "\n".join(lines)


def _translation_note(ln: TranscriptLine) -> str:
    tr = ln.translation
    if tr is None:
        return "inte översatt än" if ln.needs_translation else ""
    if tr.status == "verified":
        return f"verifierad av {tr.verified_by} {_date(tr.verified_at)}"
    return f"utkast av {tr.translated_by} {_date(tr.translated_at)}, inte verifierat"


def messages_lines(messages: Sequence[TranscriptLine]) -> list[str]:
    """The person's own messages beside their Swedish translation, and the caseworkers' messages to the
    person, with who translated and verified what, and when. Line numbers are the transcript's."""
    own = [ln for ln in messages if ln.needs_translation]
    sent = [ln for ln in messages if ln.sender == "caseworker"]
    out: list[str] = []
    if own:
        out += ["", "Personens meddelanden (original → svenska):"]
        for ln in own:
            files = "".join(f" [{KIND_NAMES.get(f.kind, f.kind)}, {FILE_STATUS.get(f.status, f.status)}]"
                            for f in ln.files)
            original = f" «{ln.text}»" if ln.text else ""
            out.append(f"• rad {ln.n} · {_date(ln.time)}{files}{original}")
            swedish = f"«{ln.text_sv}» " if ln.translation is not None and ln.text_sv else ""
            out.append(f"    → {swedish}({_translation_note(ln)})")
    if sent:
        out += ["", "Meddelanden till personen (svenska):"]
        for ln in sent:
            note = f" ({_translation_note(ln)})" if ln.translation is not None else ""
            out.append(f"• rad {ln.n} · {_date(ln.time)} «{ln.text_sv}»{note}")
    return out


def line_text(reference: str, line: LineToTranslate, *, how: str) -> str:
    """One line for the interpreter: the person's words verbatim (a file goes beside it), or a caseworker's
    message to translate into the person's language."""
    left = f"\n{line.left} öppna." if line.left else ""
    if line.message_id is not None:
        return (f"{reference} · meddelande r{line.message_id} från {line.message_author}, ska skickas på "
                f"{language_sv(line.language or '')}:\n\n{line.message_sv}\n\n{how}{left}")
    head = (f"{reference} · rad {line.n} · {_date(line.at)} · {KIND_NAMES.get(line.kind or '', line.kind)} "
            f"({language_sv(line.language or '')})")
    body = f"\n\n{line.text}" if line.text else ""
    if line.file_missing:
        body += f"\n\n[Filen finns inte hos oss: {FILE_STATUS.get(line.file_missing, line.file_missing)}.]"
    if line.current is not None:
        state = "verifierad" if line.current[0] == "verified" else "utkast"
        body += f"\n\nNuvarande översättning ({state}): {line.current[1]}"
    if not line.translatable:
        return f"{head}{body}\n\nRaden är inte ett meddelande från personen som översätts."
    return f"{head}{body}\n\n{how}{left}"

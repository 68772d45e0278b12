"""How a case and the queue look to staff: in Swedish, with the person's own words verbatim.

Used by the Telegram staff commands and the command line alike, so both show the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from casework import deadlines
from casework.answer_history import corrections
from casework.notices import ACTION_NAMES, LEVEL_NAMES
from casework.steps import CaseView
from dialogs import prompts
from dialogs.events import IntakeState
from dialogs.i18n import show
from dialogs.questions import QUESTIONS
from storage.models import Referral

if TYPE_CHECKING:
    from bot.transcript import TranscriptLine

__all__ = ["STATUS_NAMES", "STEP_NAMES", "case_text", "messages_lines", "queue_lines"]

STATUS_NAMES = {"new": "ny", "in_progress": "pågår", "closed": "avslutad"}
STEP_NAMES = {
    "submitted": "inskickat av personen",
    "claimed": "taget",
    "municipality_contacted": "kontakt tagen med kommunen",
    "letter_sent": "officiell skrivelse skickad",
    "transfer_requested": "begäran om överflyttning skickad",
    "transfer_accepted": "överflyttning accepterad",
    "transfer_refused": "överflyttning nekad",
    "ivo_applied": "ansökan till IVO",
    "home_visit_booked": "hembesök bokat",
    "home_visit_done": "hembesök gjort",
    "housing_offered": "bostad erbjuden",
    "note": "anteckning",
    "closed": "avslutat",
    "consent_withdrawn": "samtycke återkallat",
    "erasure_requested": "personen begär radering",
    "answer_corrected": "svar rättat",
    "interpreter_assigned": "tolk tilldelad",
    "person_message": "nytt meddelande från personen",
    "reply_sent": "meddelande skickat till personen",
    "reply_waiting": "meddelande till personen väntar på översättning",
}
_CLOCK = {"overdue": "FÖRFALLEN", "due_soon": "förfaller snart"}


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "–"


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "–"


def _entry(entry: dict[str, Any]) -> str:
    """One part of the person's account, verbatim, with when it was told."""
    at = datetime.fromisoformat(entry["at"]) if isinstance(entry.get("at"), str) else None
    shown = f"«{entry['text']}»" if "text" in entry and "file" not in entry else f"[{entry.get('file')}-fil]"
    return f"{_time(at)} {shown}" if at else shown


def queue_lines(referrals: Sequence[Referral], now: datetime, names: dict[int, str]) -> list[str]:
    if not referrals:
        return ["Kön är tom."]
    lines = []
    for r in referrals:
        clock = deadlines.clock(r.ivo_due_at, now)
        due = f"  [IVO {_CLOCK[clock]} {_date(r.ivo_due_at)}]" if clock else ""
        who = f"  handl.: {names[r.caseworker_id]}" if r.caseworker_id in names else ""
        priority, status = LEVEL_NAMES.get(r.priority, r.priority), STATUS_NAMES.get(r.status, r.status)
        lines.append(f"{r.reference}  {priority:<10} {status:<8} {r.language:<5} {_date(r.created_at)}{due}{who}")
    return lines


def case_text(view: CaseView, now: datetime, messages: Sequence[TranscriptLine] = ()) -> str:
    r = view.referral
    a = r.assessment or {}
    state = IntakeState(answers=dict(r.answers or {}), texts=view.typed, language="sv")
    lines = [
        f"Ärende {r.reference} · {STATUS_NAMES.get(r.status, r.status)}"
        + (f" ({r.close_reason})" if r.close_reason else ""),
        f"Prioritet {LEVEL_NAMES.get(r.priority, r.priority)} · nivå {LEVEL_NAMES.get(r.level, r.level)} · "
        f"former: {', '.join(map(str, a.get('forms', []))) or 'ingen'} · språk {r.language} · "
        f"inkommet {_date(r.created_at)}",
        f"Handläggare: {view.caseworker or 'ingen'} · tolk: {view.interpreter or 'ingen'}",
    ]
    clock = deadlines.clock(r.ivo_due_at, now)
    if r.ivo_due_at:
        lines.append(f"Frist för ansökan till IVO: {_date(r.ivo_due_at)}" + (f" ({_CLOCK[clock]})" if clock else ""))
    lines.append("Samtycken: " + (", ".join(f"{k} = {v}" for k, v in sorted(view.consents.items())) or "inga"))
    lines.append("")
    lines.append("Svar:")
    for q in QUESTIONS:
        if q.id in prompts.TITLES and q.id in state.answers:
            value = state.answers[q.id]
            if q.id == "account" and isinstance(value, list):
                lines.append(f"• {show(prompts.TITLES[q.id], 'sv')} ({len(value)} delar, ingen ersatt):")
                lines.extend(f"    {_entry(entry)}" for entry in value)
                continue
            label = show(prompts.answer_label(q.id, value, state), "sv")
            lines.append(f"• {show(prompts.TITLES[q.id], 'sv')}: {label}  ({q.id} = {value})")
    changes = corrections(view.history)  # the person's own corrections too, like staff's
    if changes:
        lines.append("")
        lines.append("Rättelser (ursprungligt värde finns kvar i historiken):")
        for c in changes:
            by = "personen" if c.by == "person" else c.by
            if c.added:
                lines.append(f"• {_time(c.at)} {c.question_id}: {len(c.added)} delar tillagda ({by})")
            else:
                lines.append(f"• {_time(c.at)} {c.question_id}: {c.before} → {c.after} ({by})")
    lines.extend(messages_lines(messages))
    lines.append("")
    lines.append("Skäl:")
    for reason in a.get("reasons", []):
        lines.append(f"• {reason.get('text')} [{reason.get('signal')}, policy {reason.get('section') or '–'}]")
    lines.append("Rekommenderade åtgärder:")
    for action in a.get("actions", []):
        lines.append(f"• {ACTION_NAMES.get(action, action)}")
    lines.append("")
    lines.append("Händelser:")
    for e in view.events:
        note = f": {e.data['text']}" if e.data and "text" in e.data else ""
        lines.append(f"• {_date(e.at)} {STEP_NAMES.get(e.kind, e.kind)} ({e.actor}){note}")
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
    from bot.transcript_html import FILE_STATUS, KIND_NAMES

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

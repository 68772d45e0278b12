"""One case as plain data in Swedish, for any shell: the answers with their Swedish question and choice
texts (never raw ids), corrections, reasons with signal, answer and policy section, the recommended
actions with the steps that carry them out, the person's consents as their own dated records, the
timeline with staff names and struck steps, and the person's messages with their translations.

Built by `casework.commands` after the permission check and the logged read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from casework import answer_history, deadlines, rules
from casework.conversation import Conversation
from casework.labels import (
    ACTION_NAMES,
    CLOCK_NAMES,
    CLOSE_REASON_NAMES,
    CONSENT_NAMES,
    EVENT_NAMES,
    FULFILLED_BY,
    LEVEL_NAMES,
    MESSAGE_KIND_NAMES,
    STATUS_NAMES,
    due_day,
    language_sv,
    municipality_sv,
)
from casework.steps import COORDINATION, STEP_KINDS, struck_ids
from casework.transcript import Transcript, TranscriptLine
from storage import casework as store
from storage import repo
from storage.models import Referral, ReferralEvent

__all__ = ["AccountPart", "ActionRow", "AnswerRow", "CaseView", "ConsentRecord", "Correction", "ReasonRow", "Struck",
           "TimelineEntry", "actor_name", "case_view"]


@dataclass(frozen=True)
class AccountPart:
    """One part of the person's account, never replaced: their text verbatim, or a file they sent."""

    text: str | None  # verbatim, for a text entry
    file_kind_sv: str | None  # "röstmeddelande", "foto" ... for a file
    at: datetime | None  # when it was told (entries stored before times were kept have none)


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    title: str  # the question, in Swedish
    text: str  # the answer as the person's summary shows it, in Swedish
    value: Any  # the stored id(s), for forms
    entries: tuple[str, ...] = ()  # the account: each entry verbatim, or its file kind
    parts: tuple[AccountPart, ...] = ()  # the account's entries with their kind and time


@dataclass(frozen=True)
class Correction:
    question_id: str
    title: str
    before: str
    after: str
    at: datetime
    by: str


@dataclass(frozen=True)
class ReasonRow:
    signal: str
    section: str | None
    text: str  # the rule's Swedish reason
    answers: tuple[str, ...]  # "question: answer", in Swedish (what made the signal hold)


@dataclass(frozen=True)
class ActionRow:
    action: str
    name: str
    text: str
    section: str | None
    steps: tuple[tuple[str, str], ...]  # (step id, Swedish name) that carry it out; empty: no step does
    done_by: tuple[int, ...]  # the standing events that carried it out


@dataclass(frozen=True)
class ConsentRecord:
    consent: str
    name: str
    value: str  # yes / no
    value_sv: str
    at: datetime
    language: str
    text_version: str
    current: bool  # the latest record of this consent


@dataclass(frozen=True)
class Struck:
    by: str
    at: datetime
    reason: str
    event_id: int  # the `struck` event


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    kind: str
    name: str
    at: datetime
    by: str
    details: tuple[tuple[str, str], ...]  # (label, value), in Swedish
    struck: Struck | None  # a wrong step struck through (still shown)
    strikable: bool  # a standing step that may be struck through


@dataclass(frozen=True)
class CaseView:
    reference: str
    version: int  # send back with a form: a change meanwhile is refused as stale
    status: str
    status_sv: str
    close_reason: str | None
    close_reason_sv: str | None
    priority: str
    priority_sv: str
    level: str
    level_sv: str
    likely_dumping: bool
    forms: tuple[int, ...]
    language: str
    language_sv: str
    municipality_sv: str
    created_at: datetime
    ivo_due_at: datetime | None  # the moment the clock runs out
    ivo_due_on: date | None  # the last day, as staff read it
    clock_sv: str | None
    caseworker: str | None
    caseworker_id: int | None
    interpreter: str | None
    interpreter_id: int | None
    rules_version: str
    answers: tuple[AnswerRow, ...]
    corrections: tuple[Correction, ...]
    reasons: tuple[ReasonRow, ...]
    actions: tuple[ActionRow, ...]
    consents: tuple[ConsentRecord, ...]
    timeline: tuple[TimelineEntry, ...]  # in the order things happened (a step's own date), then as recorded
    messages: tuple[TranscriptLine, ...]  # the person's own messages and the caseworkers' to the person


def actor_name(actor: str | None, names: Mapping[int, str]) -> str:
    if actor is None:
        return "–"
    if actor == "person":
        return "personen"
    if actor.startswith("staff:") and actor[6:].isdigit():
        return names.get(int(actor[6:]), actor)
    return actor.split(":", 1)[-1]


def _staff_ids(events: Sequence[ReferralEvent], referral: Referral) -> list[int]:
    ids = [i for i in (referral.caseworker_id, referral.interpreter_id) if i]
    for e in events:
        if e.actor.startswith("staff:") and e.actor[6:].isdigit():
            ids.append(int(e.actor[6:]))
        for key in ("from", "to", "staff_id"):
            if e.data and isinstance(e.data.get(key), int):
                ids.append(e.data[key])
    return ids


def _details(e: ReferralEvent, names: Mapping[int, str]) -> tuple[tuple[str, str], ...]:
    data = e.data or {}
    spec = next((k for k in STEP_KINDS if k.id == e.kind), None)
    out: list[tuple[str, str]] = []
    if spec is not None:
        for f in spec.fields:
            if f.key == "period_to" and f.key in data and data[f.key] is None:
                out.append((f.label, "tills vidare"))
            elif data.get(f.key) is not None:
                shown = COORDINATION.get(data[f.key], data[f.key]) if f.key == "result" else str(data[f.key])
                out.append((f.label, shown))
        return tuple(out)
    if e.kind == "closed" and "reason" in data:
        out.append(("Anledning", CLOSE_REASON_NAMES.get(data["reason"], data["reason"])))
    if e.kind in ("released", "reassigned") and data.get("from"):
        out.append(("Från", names.get(data["from"], str(data["from"]))))
    if e.kind == "reassigned" and data.get("to"):
        out.append(("Till", names.get(data["to"], str(data["to"]))))
    if e.kind == "interpreter_assigned" and data.get("staff_id"):
        out.append(("Tolk", names.get(data["staff_id"], str(data["staff_id"]))))
    if e.kind in ("reopened", "struck") and data.get("reason"):
        out.append(("Anledning", str(data["reason"])))
    if e.kind == "struck" and data.get("event_id"):
        out.append(("Steg", str(data["event_id"])))
    if e.kind in ("reply_sent", "reply_waiting", "note") and data.get("text"):
        out.append(("Text", str(data["text"])))
    elif e.kind in ("reply_sent", "reply_waiting") and data.get("message"):
        out.append(("Meddelande", f"r{data['message']}"))
    if e.kind == "letter_drafted" and data.get("kind"):
        out.append(("Brev", str(data["kind"])))
    return tuple(out)


def _timeline(events: Sequence[ReferralEvent], names: Mapping[int, str]) -> tuple[TimelineEntry, ...]:
    strikes = {int(e.data["event_id"]): e for e in events if e.kind == "struck" and e.data and "event_id" in e.data}
    strikable = {k.id for k in STEP_KINDS}
    out = []
    for e in events:
        assert e.id is not None
        s = strikes.get(e.id)
        struck = (Struck(actor_name(s.actor, names), s.at, str((s.data or {}).get("reason", "")), s.id or 0)
                  if s else None)
        out.append(TimelineEntry(e.id, e.kind, EVENT_NAMES.get(e.kind, e.kind), e.at, actor_name(e.actor, names),
                                 _details(e, names), struck, e.kind in strikable and struck is None))
    return tuple(out)


def _action_info() -> dict[str, tuple[str, str | None]]:
    info: dict[str, tuple[str, str | None]] = {}
    for action in (*getattr(rules.RULES, "actions", ()), getattr(rules, "IVO_APPLICATION", None)):
        if action is not None and getattr(action, "id", None):
            info[action.id] = (str(getattr(action, "text", "")), getattr(action, "section", None))
    return info


def _reason_text(reason: Mapping[str, Any]) -> str:
    """The rule's own sentence, without the raw answer ids the assessment appends ("(had_support = yes)"):
    the view gives the answers in Swedish beside it."""
    text = str(reason.get("text", ""))
    shown = "; ".join(f"{q} = {', '.join(map(str, v)) if isinstance(v, list | tuple) else v}"
                      for q, v in (reason.get("answer") or {}).items())
    suffix = f" ({shown})."
    return text[: -len(suffix)] + "." if shown and text.endswith(suffix) else text


def _answer_text(conversation: Conversation, qid: str, value: Any, answers: Mapping[str, Any],
                 typed: Mapping[str, str]) -> str:
    return f"{conversation.title_sv(qid)}: {conversation.answer_sv(qid, value, answers, typed)}"


def _account_part(entry: Mapping[str, Any]) -> AccountPart:
    at = entry.get("at")
    try:
        when = datetime.fromisoformat(at) if isinstance(at, str) else None
    except ValueError:
        when = None
    if "text" in entry and "file" not in entry:
        return AccountPart(str(entry["text"]), None, when)
    return AccountPart(None, MESSAGE_KIND_NAMES.get(str(entry.get("file")), "fil"), when)


def _correction(change: answer_history.Change, conversation: Conversation, answers: Mapping[str, Any],
                typed: Mapping[str, str], names: Mapping[int, str]) -> Correction:
    qid = change.question_id
    if change.added:  # the account only grows: say what was added, never "replaced"
        after = f"{len(change.added)} {'del' if len(change.added) == 1 else 'delar'} tillagda"
        before = f"{len(change.before)} {'del' if len(change.before) == 1 else 'delar'}"
    else:
        before = "–" if change.before is None else conversation.answer_sv(qid, change.before, answers, typed)
        after = conversation.answer_sv(qid, change.after, answers, typed)
    by = change.by.replace("caseworker:", "staff:")
    return Correction(qid, conversation.title_sv(qid), before, after, change.at, actor_name(by, names))


def case_view(db: Session, referral: Referral, *, now: datetime, conversation: Conversation,
              transcript: Transcript | None = None) -> CaseView:
    assert referral.id is not None
    events = list(repo.referral_events(db, referral_id=referral.id))
    names = store.staff_names(db, staff_ids=_staff_ids(events, referral))
    intake = repo.get_intake(db, person_id=referral.person_id)
    typed: dict[str, str] = dict(intake.texts or {}) if intake else {}
    answers = dict(referral.answers or {})
    rows = []
    for qid in conversation.question_ids():
        if qid not in answers:
            continue
        value = answers[qid]
        entries: tuple[str, ...] = ()
        parts: tuple[AccountPart, ...] = ()
        if qid == "account" and isinstance(value, list):
            parts = tuple(_account_part(x) for x in value if isinstance(x, dict))
            entries = tuple(p.text if p.text is not None else f"[{p.file_kind_sv}]" for p in parts)
        rows.append(AnswerRow(qid, conversation.title_sv(qid), conversation.answer_sv(qid, value, answers, typed),
                              value, entries, parts))
    # The person's own corrections (Back, the summary, an account added to) are listed like staff ones.
    history = [(h.question_id, h.value, h.at, h.source) for h in repo.answer_history(db, intake_id=referral.intake_id)]
    corrections = [_correction(c, conversation, answers, typed, names) for c in answer_history.corrections(history)]
    a = referral.assessment or {}
    reasons = tuple(ReasonRow(str(r.get("signal")), r.get("section"), _reason_text(r),
                              tuple(_answer_text(conversation, q, v, answers, typed)
                                    for q, v in (r.get("answer") or {}).items()))
                    for r in a.get("reasons", []))
    gone = struck_ids(events)
    info = _action_info()
    actions = []
    for action in a.get("actions", []):
        kinds = FULFILLED_BY.get(action, ())
        text, section = info.get(action, ("", None))
        actions.append(ActionRow(action, ACTION_NAMES.get(action, action), text, section,
                                 tuple((k, EVENT_NAMES.get(k, k)) for k in kinds),
                                 tuple(e.id for e in events if e.kind in kinds and e.id not in gone and e.id)))
    records = list(repo.consent_records(db, person_id=referral.person_id))
    latest = {c.consent: c.id for c in records}
    consents = tuple(ConsentRecord(c.consent, CONSENT_NAMES.get(c.consent, c.consent), c.value,
                                   {"yes": "ja", "no": "nej"}.get(c.value, c.value), c.at, c.language,
                                   c.text_version, latest[c.consent] == c.id) for c in records)
    messages = tuple(ln for ln in (transcript.lines if transcript else ())
                     if ln.needs_translation or ln.sender == "caseworker")
    clock = deadlines.clock(referral.ivo_due_at, now) or ("running" if referral.ivo_due_at else None)
    return CaseView(
        reference=referral.reference, version=referral.version, status=referral.status,
        status_sv=STATUS_NAMES.get(referral.status, referral.status), close_reason=referral.close_reason,
        close_reason_sv=CLOSE_REASON_NAMES.get(referral.close_reason) if referral.close_reason else None,
        priority=referral.priority, priority_sv=LEVEL_NAMES.get(referral.priority, referral.priority),
        level=referral.level, level_sv=LEVEL_NAMES.get(referral.level, referral.level),
        likely_dumping=referral.likely_dumping, forms=tuple(a.get("forms", [])), language=referral.language,
        language_sv=language_sv(referral.language), municipality_sv=municipality_sv(answers.get("moved_from")),
        created_at=referral.created_at, ivo_due_at=referral.ivo_due_at, ivo_due_on=due_day(referral.ivo_due_at),
        clock_sv=CLOCK_NAMES.get(clock) if clock else None,
        caseworker=names.get(referral.caseworker_id) if referral.caseworker_id else None,
        caseworker_id=referral.caseworker_id,
        interpreter=names.get(referral.interpreter_id) if referral.interpreter_id else None,
        interpreter_id=referral.interpreter_id, rules_version=referral.rules_version, answers=tuple(rows),
        corrections=tuple(corrections), reasons=reasons, actions=tuple(actions), consents=consents,
        timeline=tuple(sorted(_timeline(events, names), key=lambda e: (e.at, e.id))), messages=messages)

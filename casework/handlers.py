"""The handlers of the reads and of the caseworkers' commands (`casework.commands`), one per command.

Each runs after the permission check, inside `execute`'s savepoint, on the case the check found, and
answers with a Swedish sentence and a typed payload. Staff notices sent from here (a case handed over,
an interpreter assigned) carry the reference only, never personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from casework import labels, queue, steps
from casework.commands import (
    AddNote,
    AssignInterpreter,
    Claim,
    CloseCase,
    Context,
    CorrectAnswer,
    DraftLetter,
    FileContent,
    Help,
    MonthReport,
    Reassign,
    RecordStep,
    Release,
    ReopenCase,
    Reply,
    Result,
    ShowCase,
    ShowDue,
    ShowFile,
    ShowQueue,
    ShowTranscript,
    StrikeStep,
    handles,
)
from casework.errors import CaseError, InvalidInput
from casework.files import stored_file_name
from casework.staff import Role
from casework.transcript import Transcript
from casework.views import CaseView, QueueFilters, QueuePage, case_view, queue_page
from storage import casework as store
from storage import interpreting as files
from storage import repo
from storage.models import Referral, ReferralEvent, Staff

if TYPE_CHECKING:  # loaded when first used: the bot's hot path does not carry Word and chart libraries
    from casework.letters import Letter
    from casework.report import MonthlyReport

__all__ = ["Claimed", "MonthFigures", "ReplySent", "StepRecorded", "notify"]

_STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class Claimed:
    first: bool  # False: this staff member had the case already


@dataclass(frozen=True)
class StepRecorded:
    event_id: int
    kind: str
    ivo_due_at: datetime | None


@dataclass(frozen=True)
class MonthFigures:
    report: MonthlyReport
    chart: bytes  # PNG


@dataclass(frozen=True)
class ReplySent:
    status: str  # sent, waiting (for the interpreter's translation)
    message_id: int | None
    swedish: str | None  # a standard message's Swedish text


def notify(ctx: Context, staff: Staff, text: str) -> None:
    """A notice in the staff member's private chat with the bot (the reference only, nothing personal)."""
    if staff.active and staff.telegram_user_id is not None:  # staff of the web console only have no chat
        repo.add_outbox(ctx.db, channel="telegram", chat_id=str(staff.telegram_user_id), action="send",
                        payload={"text": text}, now=ctx.now)


def _case(ctx: Context) -> Referral:
    referral = ctx.access.referral
    assert referral is not None and referral.id is not None
    return referral


def _staff(ctx: Context, who: str, label: str) -> Staff:
    found = store.find_staff(ctx.db, who=who) if who.strip() else None
    if found is None or not found.active:
        raise InvalidInput(f"Ingen personal {who.strip()[:60]!r} ({label}: personal-id, Telegram-id eller e-post).")
    return found


def _standing(ctx: Context, referral: Referral) -> list[ReferralEvent]:
    assert referral.id is not None
    events = list(repo.referral_events(ctx.db, referral_id=referral.id))
    gone = steps.struck_ids(events)
    return [e for e in events if e.id not in gone and e.kind != "struck"]


# ------------------------------------------------------------------------------ reads
@handles(Help)
def _help(ctx: Context, cmd: Help) -> Result[str]:
    return Result("", ctx.access.staff.role)


@handles(ShowQueue)
def _queue(ctx: Context, cmd: ShowQueue) -> Result[QueuePage]:
    staff = ctx.access.staff
    assert staff.id is not None
    page = queue_page(ctx.db, cmd.filters, staff_id=staff.id, interpreter=staff.role == Role.INTERPRETER, now=ctx.now)
    return Result(f"{page.total_sv} ärenden." if page.total else "Kön är tom.", page)


@handles(ShowDue)
def _due(ctx: Context, cmd: ShowDue) -> Result[QueuePage]:
    staff = ctx.access.staff
    assert staff.id is not None
    page = queue_page(ctx.db, QueueFilters(clock="due_soon", limit=200), staff_id=staff.id, interpreter=False,
                      now=ctx.now)
    return Result("Inga frister inom 7 dagar." if not page.lines else f"{page.total} frister.", page)


@handles(ShowCase)
def _show_case(ctx: Context, cmd: ShowCase) -> Result[CaseView]:
    referral = _case(ctx)
    ctx.read("case")
    transcript = ctx.conversation.transcript(ctx.db, referral, ctx.now)
    return Result("", case_view(ctx.db, referral, now=ctx.now, conversation=ctx.conversation, transcript=transcript))


@handles(ShowTranscript)
def _show_transcript(ctx: Context, cmd: ShowTranscript) -> Result[Transcript]:
    referral = _case(ctx)
    ctx.read(cmd.purpose)
    return Result("", ctx.conversation.transcript(ctx.db, referral, ctx.now))


def file_of(ctx: Context, referral: Referral, n: int) -> FileContent:
    """The stored file of line `n`, its read logged; the name is made here (never the sender's)."""
    entry = ctx.conversation.line(ctx.db, referral, n).entry
    if entry.id is None or entry.direction != "in" or entry.kind not in files.FILE_KINDS:
        raise InvalidInput(f"Rad {n} i {referral.reference} är inte en fil.")
    row = files.files_of(ctx.db, entry_ids=[entry.id]).get(entry.id)
    content = files.file_content(ctx.db, entry_id=entry.id)
    if content is None or row is None:
        raise InvalidInput(f"Filen på rad {n} finns inte hos oss ({'inte hämtad än' if row is None else row.status}).")
    ctx.read(f"file:{n}")
    return FileContent(stored_file_name(referral.reference, n, entry.kind, row.mime), content, entry.kind, row.mime)


@handles(ShowFile)
def _show_file(ctx: Context, cmd: ShowFile) -> Result[FileContent]:
    return Result("", file_of(ctx, _case(ctx), cmd.line))


@handles(MonthReport)
def _report(ctx: Context, cmd: MonthReport) -> Result[MonthFigures]:
    from casework.report import InvalidMonth, monthly_report, report_chart

    try:
        report = monthly_report(ctx.db, month=cmd.month.strip())
    except InvalidMonth as exc:
        raise InvalidInput("Ange månaden som ÅÅÅÅ-MM, t.ex. 2026-11.") from exc
    return Result(report.table(), MonthFigures(report, report_chart(report)))


# ------------------------------------------------------------------------------ casework
@handles(Claim)
def _claim(ctx: Context, cmd: Claim) -> Result[Claimed]:
    referral = _case(ctx)
    first = steps.claim(ctx.db, referral=referral, staff=ctx.access.staff, now=ctx.now)
    return Result(f"Du har tagit {referral.reference}." if first else f"Du har redan {referral.reference}.",
                  Claimed(first))


@handles(Release)
def _release(ctx: Context, cmd: Release) -> Result[None]:
    referral = _case(ctx)
    steps.release(ctx.db, referral=referral, actor=ctx.tag, now=ctx.now)
    return Result(f"{referral.reference} är tillbaka i kön.", None)


@handles(Reassign)
def _reassign(ctx: Context, cmd: Reassign) -> Result[None]:
    referral = _case(ctx)
    to = _staff(ctx, cmd.to, "handläggare")
    steps.reassign(ctx.db, referral=referral, to=to, actor=ctx.tag, now=ctx.now)
    if to.id != ctx.access.staff.id:
        notify(ctx, to, f"Du har fått ärende {referral.reference} av {ctx.access.staff.name}. "
                        f"Läs det med /case {referral.reference}.")
    return Result(f"{referral.reference} har lämnats över till {to.name}.", None)


def _record(ctx: Context, referral: Referral, step: str, on: str | None,
            fields: dict[str, str]) -> Result[StepRecorded]:
    today = steps.local_today(ctx.now)
    kind = steps.step_kind(step)
    day = steps.parse_date(on, label="Datum", today=today) if on and on.strip() else today
    data = steps.step_data(kind.id, fields, on=day, today=today)
    event = steps.record_step(ctx.db, referral=referral, kind=kind.id, on=day, data=data, actor=ctx.tag, now=ctx.now)
    assert event.id is not None
    due = labels.due_day(referral.ivo_due_at)
    clock = f" Frist för IVO: {due:%Y-%m-%d}." if due else ""
    return Result(f"{referral.reference}: registrerat {day:%Y-%m-%d}: {kind.name} (steg {event.id}).{clock}",
                  StepRecorded(event.id, kind.id, referral.ivo_due_at))


@handles(RecordStep)
def _step(ctx: Context, cmd: RecordStep) -> Result[StepRecorded]:
    return _record(ctx, _case(ctx), cmd.step, cmd.on, dict(cmd.fields))


@handles(AddNote)
def _note(ctx: Context, cmd: AddNote) -> Result[StepRecorded]:
    return _record(ctx, _case(ctx), "note", None, {"text": cmd.text})


@handles(StrikeStep)
def _strike(ctx: Context, cmd: StrikeStep) -> Result[None]:
    referral = _case(ctx)
    steps.strike(ctx.db, referral=referral, event_id=cmd.event_id, reason=cmd.reason, actor=ctx.tag, now=ctx.now)
    return Result(f"{referral.reference}: steg {cmd.event_id} är struket. Det står kvar, överstruket.", None)


@handles(CorrectAnswer)
def _correct(ctx: Context, cmd: CorrectAnswer) -> Result[None]:
    referral = _case(ctx)
    question = cmd.question.strip()
    if question in queue.CONSENTS or question == "privacy":
        raise InvalidInput("Samtycken är personens egna uppgifter: personal kan inte ändra dem.")
    if referral.status == "closed":
        raise CaseError(f"{referral.reference} är avslutat. Öppna det igen först.")
    value, answers = ctx.conversation.correct(referral.answers or {}, question, cmd.value)
    repo.add_answer_records(ctx.db, intake_id=referral.intake_id, answered=[(question, value)], now=ctx.now,
                            source=ctx.tag)
    queue.reassess(ctx.db, reference=referral.reference, answers=answers, now=ctx.now, actor=ctx.tag,
                   event="answer_corrected")
    shown = ctx.conversation.answer_sv(question, value, answers, {})
    actions = ", ".join(labels.ACTION_NAMES.get(a, a) for a in referral.assessment.get("actions", [])) or "inga"
    return Result(f"{referral.reference}: {ctx.conversation.title_sv(question)} = {shown}. Bedömningen är omräknad: "
                  f"nivå {labels.LEVEL_NAMES.get(referral.level, referral.level)}, åtgärder: {actions}.", None)


@handles(CloseCase)
def _close(ctx: Context, cmd: CloseCase) -> Result[None]:
    referral = _case(ctx)
    reason = labels.close_reason(cmd.reason)
    if reason is None:
        names = "; ".join(f"{sv} ({key})" for key, sv in labels.CLOSE_REASON_NAMES.items())
        raise InvalidInput(f"Okänd anledning {cmd.reason.strip()[:40]!r}. Anledningar: {names}.")
    steps.close(ctx.db, referral=referral, reason=reason, actor=ctx.tag, now=ctx.now)
    return Result(f"{referral.reference} avslutat: {labels.CLOSE_REASON_NAMES[reason]}.", None)


@handles(ReopenCase)
def _reopen(ctx: Context, cmd: ReopenCase) -> Result[None]:
    referral = _case(ctx)
    steps.reopen(ctx.db, referral=referral, reason=cmd.reason, actor=ctx.tag, now=ctx.now)
    return Result(f"{referral.reference} är öppnat igen.", None)


@handles(AssignInterpreter)
def _assign(ctx: Context, cmd: AssignInterpreter) -> Result[None]:
    referral = _case(ctx)
    interpreter = _staff(ctx, cmd.interpreter, "tolk")
    if referral.status == "closed":
        raise CaseError(f"{referral.reference} är avslutat. Öppna det igen först.")
    if interpreter.role != Role.INTERPRETER:
        raise InvalidInput(f"{interpreter.name} är inte tolk.")
    language = labels.language_sv(referral.language)
    if referral.language not in (interpreter.languages or []):
        raise InvalidInput(f"{interpreter.name} tolkar inte {language}.")
    if referral.interpreter_id == interpreter.id:
        return Result(f"{interpreter.name} är redan tolk i {referral.reference}.", None)
    referral.interpreter_id, referral.updated_at = interpreter.id, ctx.now
    ctx.db.add(referral)
    repo.add_referral_event(ctx.db, referral_id=referral.id or 0, kind="interpreter_assigned", actor=ctx.tag,
                            now=ctx.now, data={"staff_id": interpreter.id})
    notify(ctx, interpreter, f"Du är tolk i {referral.reference} ({language}). Läs samtalet med "
                             f"/transcript {referral.reference} och översätt med /translate {referral.reference}.")
    return Result(f"{referral.reference}: tolk {interpreter.name}.", None)


@handles(DraftLetter)
def _letter(ctx: Context, cmd: DraftLetter) -> Result[Letter]:
    from casework.letters import KINDS, CaseEvent, CaseFacts, render_letter

    referral = _case(ctx)
    kind = cmd.kind.strip().lower()
    if kind not in KINDS:
        raise InvalidInput(f"Okänt brev {cmd.kind[:20]!r}: {', '.join(KINDS)}.")
    ctx.read(f"letter:{kind}")
    intake = repo.get_intake(ctx.db, person_id=referral.person_id)
    caseworker = repo.get_staff(ctx.db, staff_id=referral.caseworker_id) if referral.caseworker_id else None
    facts = CaseFacts(
        reference=referral.reference, letter_date=ctx.now.astimezone(_STOCKHOLM).date(), language=referral.language,
        answers=dict(referral.answers or {}), typed=dict(intake.texts or {}) if intake else {},
        assessment=dict(referral.assessment or {}),
        events=[CaseEvent(kind=e.kind, at=e.at, actor=e.actor, data=e.data) for e in _standing(ctx, referral)],
        caseworker=caseworker.name if caseworker else None, committee=cmd.committee,
        signatory_role=cmd.signatory_role)
    letter = render_letter(kind, facts)
    gaps = f" Saknade uppgifter att fylla i: {', '.join(letter.missing)}." if letter.missing else ""
    check = f" Kontrollera laghänvisning: {', '.join(letter.unverified)}." if letter.unverified else ""
    return Result(f"Utkast: {letter.filename}.{gaps}{check}", letter)


@handles(Reply)
def _reply(ctx: Context, cmd: Reply) -> Result[ReplySent]:
    referral = _case(ctx)
    port = ctx.conversation
    if referral.status == "closed":
        raise CaseError(f"{referral.reference} är avslutat.")
    if cmd.kind is None and not (cmd.text or "").strip():
        raise InvalidInput("Skriv ett standardsvar (" + ", ".join(port.reply_kinds()) + ") eller en fri text.")
    if cmd.kind is not None and cmd.kind not in port.reply_kinds():
        raise InvalidInput(f"Okänt standardsvar {cmd.kind[:20]!r}: {', '.join(port.reply_kinds())}.")
    if port.quiet_phone(ctx.db, referral) and not cmd.force:
        raise CaseError("Personen har använt snabbutgången (/exit) och har inte skrivit sedan dess: telefonen kan "
                        "vara övervakad. Vänta tills personen hör av sig, eller skicka ändå (force).")
    assert referral.id is not None
    language = labels.language_sv(port.language_of(ctx.db, referral))
    if cmd.kind is not None:
        swedish = port.send_standard(ctx.db, referral=referral, kind=cmd.kind, details=cmd.details, actor=ctx.tag,
                                     now=ctx.now)
        repo.add_referral_event(ctx.db, referral_id=referral.id, kind="reply_sent", actor=ctx.tag, now=ctx.now,
                                data={"text": f"{cmd.kind}: {swedish}"})
        return Result(f"{referral.reference}: skickat till personen på {language}:\n«{swedish}»",
                      ReplySent("sent", None, swedish))
    message = port.send_free(ctx.db, referral=referral, text_sv=cmd.text or "", actor=ctx.tag, swedish=cmd.swedish,
                             now=ctx.now)
    kind = "reply_sent" if message.status == "sent" else "reply_waiting"
    repo.add_referral_event(ctx.db, referral_id=referral.id, kind=kind, actor=ctx.tag, now=ctx.now,
                            data={"message": message.id})
    if message.status == "sent":
        return Result(f"{referral.reference}: skickat till personen på svenska.", ReplySent("sent", message.id, None))
    interpreter = repo.get_staff(ctx.db, staff_id=referral.interpreter_id) if referral.interpreter_id else None
    if interpreter is None or not interpreter.active:
        text = (f"{referral.reference}: meddelande r{message.id} väntar på översättning till {language}. "
                f"Ingen tolk är tilldelad än.")
    else:
        notify(ctx, interpreter,
               f"Ett meddelande att översätta i {referral.reference}: /translate {referral.reference}")
        text = (f"{referral.reference}: meddelande r{message.id} väntar på {interpreter.name}s översättning till "
                f"{language}; det skickas när översättningen finns.")
    return Result(text, ReplySent("waiting", message.id, None))

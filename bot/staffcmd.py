"""The staff commands, one implementation for Telegram (`/claim SOL-2026-0042`) and the command line
(`intake queue claim SOL-2026-0042`). Runs in the caller's transaction; answers in Swedish.

The role is checked by the caller before anything here runs (`casework.staff.allowed`).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot import staffview
from casework import deadlines, steps
from casework.staff import COMMANDS
from dialogs.corrections import InvalidCorrection, correct
from storage import repo
from storage.models import Staff

__all__ = ["HELP", "INTERPRETER_HELP", "StaffReply", "run"]

HELP = """Kommandon för personal:
/queue – kön (frister först, sedan brådskande, hög, medel, låg; äldst först)
/due – ärenden med frist för IVO-ansökan inom 7 dagar eller förfallen
/case REF – ett ärende: svar, skäl, åtgärder, händelser
/claim REF – ta ärendet
/step REF STEG [ÅÅÅÅ-MM-DD] [text] – registrera ett steg: """ + ", ".join(steps.STEPS) + """
/note REF text – anteckning
/assign REF TOLK – tilldela tolk (personal-id eller Telegram-id)
/edit REF FRÅGA VÄRDE – rätta ett svar (båda värdena sparas, bedömningen räknas om)
/letter REF official|transfer|ivo – brevutkast (Word och text)
/close REF ANLEDNING – avsluta: """ + ", ".join(steps.CLOSE_REASONS) + """
/transcript REF – hela samtalet på personens språk och svenska, med översättningarna (dokument)
/reply REF received|call TELEFON|meeting ÅÅÅÅ-MM-DD TT:MM PLATS|lease – standardsvar på personens språk
/reply REF text – fritt svar på svenska, skickas när tolken har översatt det (--swedish: genast på svenska)
/stats [ÅÅÅÅ-MM] – månadens siffror"""

INTERPRETER_HELP = """Kommandon för tolkar (bara i ärenden där du är tilldelad tolk):
/transcript REF – hela samtalet på personens språk och svenska (dokument)
/translate REF – nästa rad att översätta; svara med översättningen som ett vanligt meddelande
/translate REF RAD – en viss rad; /translate REF RAD text – spara en översättning direkt
/translate stop – sluta översätta
/verify REF [RAD] – markera dina utkast (eller en rad) som verifierade
/reportline REF RAD[.DEL] anteckning – en mening i botens text är fel eller oklar"""


@dataclass
class StaffReply:
    text: str
    documents: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, content)
    claimed: str | None = None  # the reference a claim succeeded on
    # files sent as what they are: (file name, content, voice|audio|photo|document)
    media: list[tuple[str, bytes, str]] = field(default_factory=list)


def run(db: Session, *, staff: Staff | None, actor: str, command: str, args: str, now: datetime) -> StaffReply:
    """Run one staff command; `staff` is None on the command line (an administrator on the server)."""
    assert command in COMMANDS, command
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    try:
        return _run(db, staff, actor, command, words, args, now)
    except steps.CaseError as exc:
        return StaffReply(str(exc))
    except InvalidCorrection as exc:
        return StaffReply(str(exc))


_INTERPRETING = frozenset({"transcript", "translate", "verify", "reportline", "reply"})


def _need(words: list[str], n: int, usage: str) -> None:
    if len(words) < n:
        raise steps.CaseError(f"Använd: {usage}")


def _run(db: Session, staff: Staff | None, actor: str, command: str, words: list[str], raw: str,
         now: datetime) -> StaffReply:
    names = {s.id: s.name for s in repo.list_staff(db) if s.id is not None}
    if command == "staffhelp":
        return StaffReply(INTERPRETER_HELP if staff is not None and staff.role == "interpreter" else HELP)
    if command in _INTERPRETING:
        from bot import interpreting  # the interpreter's commands and /reply; they use this module's StaffReply

        return interpreting.run(db, staff=staff, actor=actor, command=command, words=words, raw=raw, now=now)
    if command == "queue":
        referrals = repo.list_referrals(db, open_only=not (words and words[0] == "all"))
        return StaffReply("\n".join(staffview.queue_lines(referrals, now, names)))
    if command == "due":
        due = repo.due_referrals(db, before=now + deadlines.DUE_SOON)
        return StaffReply("\n".join(staffview.queue_lines(due, now, names)) if due else "Inga frister inom 7 dagar.")
    if command == "stats":
        return _stats(db, words, now)
    _need(words, 1, f"/{command} REF …")
    reference = words[0].upper()
    if command == "case":
        from bot.transcript import build

        view = steps.read_case(db, reference=reference, actor=actor, command="case", now=now)
        return StaffReply(staffview.case_text(view, now, messages=build(db, view.referral, now).lines))
    if command == "claim":
        if staff is None:
            raise steps.CaseError("Ange vem som tar ärendet: intake queue claim REF --staff ID.")
        referral = steps.claim(db, reference=reference, staff=staff, now=now)
        return StaffReply(f"Du har tagit {referral.reference}.", claimed=referral.reference)
    if command == "step":
        _need(words, 2, "/step REF STEG [ÅÅÅÅ-MM-DD] [text]")
        rest = words[2:]
        when = None
        if rest and _is_date(rest[0]):
            when = datetime.combine(date.fromisoformat(rest.pop(0)), now.timetz())
            if when > now + timedelta(days=1):
                raise steps.CaseError("Ett steg kan inte ligga i framtiden.")
        referral = steps.record_step(db, reference=reference, kind=words[1], actor=actor, now=now,
                                     text=" ".join(rest) or None, at=when)
        clock = f" Frist för IVO: {referral.ivo_due_at:%Y-%m-%d}." if referral.ivo_due_at else ""
        return StaffReply(f"{referral.reference}: {staffview.STEP_NAMES.get(words[1], words[1])} registrerat.{clock}")
    if command == "note":
        text = raw.strip()[len(words[0]):].strip()
        referral = steps.record_step(db, reference=reference, kind="note", actor=actor, now=now, text=text)
        return StaffReply(f"{referral.reference}: anteckning sparad.")
    if command == "close":
        _need(words, 2, "/close REF ANLEDNING")
        referral = steps.close(db, reference=reference, reason=words[1], actor=actor, now=now)
        return StaffReply(f"{referral.reference} avslutat ({words[1]}).")
    if command == "assign":
        _need(words, 2, "/assign REF TOLK")
        interpreter = _staff_by_word(db, words[1])
        referral = steps.assign_interpreter(db, reference=reference, interpreter=interpreter, actor=actor, now=now)
        return StaffReply(f"{referral.reference}: tolk {interpreter.name}.")
    if command == "edit":
        _need(words, 3, "/edit REF FRÅGA VÄRDE")
        referral = repo.get_referral(db, reference=reference)
        if referral is None:
            raise steps.UnknownCase(f"Inget ärende {reference}.")
        value, answers = correct(referral.answers or {}, words[1], " ".join(words[2:]))
        steps.edit_answer(db, reference=reference, question_id=words[1], value=value, actor=actor, now=now,
                          valid=answers)
        return StaffReply(f"{reference}: {words[1]} = {value}. Bedömningen är omräknad: nivå {referral.level}, "
                          f"åtgärder {', '.join(referral.assessment.get('actions', []))}.")
    if command == "letter":
        _need(words, 2, "/letter REF official|transfer|ivo")
        return _letter(db, reference, words[1], actor, now)
    raise steps.CaseError(HELP)


def _is_date(word: str) -> bool:
    try:
        date.fromisoformat(word)
    except ValueError:
        return False
    return True


def _staff_by_word(db: Session, word: str) -> Staff:
    if not word.isdigit():
        raise steps.CaseError("Ange personal-id eller Telegram-id (siffror).")
    found = repo.get_staff(db, staff_id=int(word)) or repo.get_staff(db, telegram_user_id=int(word))
    if found is None:
        raise steps.CaseError(f"Ingen personal med id {word}.")
    return found


def _letter(db: Session, reference: str, kind: str, actor: str, now: datetime) -> StaffReply:
    from bot.letters import letter_for  # the letters need the case's facts; built there

    letter = letter_for(db, reference=reference, kind=kind, actor=actor, now=now)
    gaps = f"\nSaknade uppgifter att fylla i: {', '.join(letter.missing)}." if letter.missing else ""
    check = f"\nKontrollera laghänvisning: {', '.join(letter.unverified)}." if letter.unverified else ""
    return StaffReply(f"Utkast: {letter.filename}.{gaps}{check}",
                      documents=[(letter.filename, letter.docx), (letter.filename.replace(".docx", ".txt"),
                                                                   letter.text.encode())])


def _stats(db: Session, words: list[str], now: datetime) -> StaffReply:
    from casework.report import InvalidMonth, monthly_report, report_chart

    month = words[0] if words else now.strftime("%Y-%m")
    try:
        report = monthly_report(db, month=month)
    except InvalidMonth as exc:
        raise steps.CaseError("Ange månaden som ÅÅÅÅ-MM, t.ex. 2026-11.") from exc
    return StaffReply(report.table(), documents=[(f"social-dumpning-{month}.png", report_chart(report))])

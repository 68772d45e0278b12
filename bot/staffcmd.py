"""The staff commands typed in a private chat with the bot (`/claim SOL-2026-0042`): the words become one
typed command of `casework.commands`, and its result becomes the reply (text, documents, files).

This module parses and renders; it never decides who may do what (`casework.permissions` does, inside
`execute`). Steps, close reasons and filters are accepted as their ids or in Swedish (`/close REF
återvänt`, `/step REF begäran 2026-11-03 mottagen=2026-11-05`). Answers are Swedish.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot import staffview
from casework import commands as c
from casework.conversation import Conversation
from casework.errors import InvalidInput
from casework.labels import fold
from casework.permissions import Actor
from casework.steps import STEP_KINDS, step_kind
from casework.transcript import Transcript
from casework.translating import LineToTranslate
from casework.views import CaseView, QueueFilters, QueuePage

__all__ = ["COMMANDS", "HELP", "INTERPRETER_HELP", "StaffReply", "parse", "parse_filters", "render", "run"]

HELP = """Kommandon för personal (steg och anledningar går att skriva på svenska):
/queue [mina|nya|pågår|avslutade|alla] [prioritet=hög] [nivå=medel] [form=1] [frist=förfallen] [från=Ljusdal] \
[språk=ar] [sök=0042] \
[inkom_från=2026-11-01] [inkom_till=2026-11-30] – kön (frister först, sedan brådskande, hög, medel, låg; äldst först)
/due – ärenden med frist för IVO-ansökan inom 7 dagar eller förfallen
/case REF – ett ärende: svar, skäl, åtgärder, samtycken, händelser
/claim REF – ta ärendet · /release REF – lämna tillbaka det till kön · /reassign REF HANDLÄGGARE – lämna över det
/step REF STEG [ÅÅÅÅ-MM-DD] [fält=värde …] [text] – registrera ett steg: """ + "; ".join(
    f"{k.name} ({k.id})" for k in STEP_KINDS) + """
   beslut: insats=… lagrum=… från=ÅÅÅÅ-MM-DD [till=ÅÅÅÅ-MM-DD] · samordning: resultat="ingen kontakt hittad" \
· begäran: mottagen=ÅÅÅÅ-MM-DD
/strike REF STEG-NR anledning – stryk ett felaktigt steg (det står kvar, överstruket)
/note REF text – anteckning
/assign REF TOLK – tilldela tolk (personal-id, Telegram-id eller e-post)
/edit REF FRÅGA VÄRDE – rätta ett svar (båda värdena sparas, bedömningen räknas om; samtycken rättas inte)
/letter REF skrivelse|begäran|ivo – brevutkast (Word och text)
/close REF ANLEDNING – avsluta: återvänt, stannar med stöd, inte dumpning, ingen kontakt, återkallat
/reopen REF anledning – öppna ett avslutat ärende igen
/transcript REF – hela samtalet på personens språk och svenska (dokument) · /file REF RAD – en fil som personen skickade
/reply REF received|call TELEFON|meeting ÅÅÅÅ-MM-DD TT:MM PLATS|lease – standardsvar på personens språk
/reply REF text – fritt svar på svenska, skickas när tolken har översatt det (--swedish: genast på svenska)
/stats [ÅÅÅÅ-MM] – månadens siffror"""

INTERPRETER_HELP = """Kommandon för tolkar (bara i ärenden där du är tilldelad tolk):
/queue – dina ärenden
/case REF – ärendet · /transcript REF – hela samtalet på personens språk och svenska (dokument)
/file REF RAD – en fil som personen skickade
/translate REF – nästa rad att översätta; svara med översättningen som ett vanligt meddelande
/translate REF RAD – en viss rad; /translate REF RAD text – spara en översättning direkt
/translate stop – sluta översätta
/verify REF [RAD] – markera dina utkast (eller en rad) som verifierade
/reportline REF RAD[.DEL] anteckning – en mening i botens text är fel eller oklar"""

COMMANDS = frozenset({
    "queue", "due", "case", "claim", "release", "reassign", "step", "note", "strike", "edit", "close", "reopen",
    "assign", "letter", "reply", "stats", "transcript", "file", "translate", "verify", "reportline", "staffhelp",
})
_LETTERS = {"skrivelse": "official", "officiell": "official", "begaran": "transfer", "overflyttning": "transfer",
            "ivo": "ivo", "official": "official", "transfer": "transfer"}
_DATE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}|i ?dag|i ?går|idag|igår)$", re.IGNORECASE)


@dataclass
class StaffReply:
    text: str
    documents: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, content)
    claimed: str | None = None  # the reference a claim succeeded on
    # files sent as what they are: (file name, content, voice|audio|photo|document)
    media: list[tuple[str, bytes, str]] = field(default_factory=list)


# ------------------------------------------------------------------------------ parsing
_FILTER_KEYS = {"prioritet": "priority", "priority": "priority", "niva": "level", "level": "level", "form": "form",
                "frist": "clock", "clock": "clock", "fran": "municipality", "kommun": "municipality",
                "municipality": "municipality", "sprak": "language", "language": "language", "sok": "reference",
                "reference": "reference", "handlaggare": "assignee", "assignee": "assignee", "status": "status",
                "inkom fran": "received_from", "received from": "received_from", "inkom till": "received_to",
                "received to": "received_to", "sida": "after", "after": "after"}
_VALUES = {
    "priority": {"bradskande": "urgent", "hog": "high", "medel": "medium", "lag": "low"},
    "level": {"hog": "high", "medel": "medium", "lag": "low"},
    "clock": {"loper": "running", "forfallen": "overdue", "snart": "due_soon", "ingen": "none"},
    "status": {"nya": "new", "ny": "new", "pagar": "in_progress", "avslutade": "closed", "avslutad": "closed",
               "alla": "all", "oppna": "open"},
    "assignee": {"mina": "mine", "ingen": "none"},
}
_FLAGS = {"alla": ("status", "all"), "all": ("status", "all"), "mina": ("assignee", "mine"),
          "mine": ("assignee", "mine"), "nya": ("status", "new"), "pagar": ("status", "in_progress"),
          "avslutade": ("status", "closed"), "closed": ("status", "closed"), "otagna": ("assignee", "none")}


def parse_filters(pairs: Mapping[str, str | None]) -> QueueFilters:
    """Queue filters from key=value words or options (keys and values in Swedish or as ids)."""
    values: dict[str, object] = {}
    for key, raw in pairs.items():
        if raw is None or not str(raw).strip():
            continue
        name = _FILTER_KEYS.get(fold(key))
        if name is None:
            known = ", ".join(sorted({k.replace(" ", "_") for k in _FILTER_KEYS}))
            raise InvalidInput(f"Okänt filter {key[:20]!r}: {known}.")
        value = str(raw).strip()
        value = _VALUES.get(name, {}).get(fold(value), value)
        if name == "form":
            if fold(value) not in ("0", "1", "2", "ingen"):
                raise InvalidInput("Form: 1, 2 eller ingen.")
            values[name] = 0 if fold(value) == "ingen" else int(value)
        else:
            values[name] = value
    return QueueFilters(**values)  # type: ignore[arg-type]


def _words(args: str) -> list[str]:
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


def _rest(raw: str, words: list[str], n: int) -> str:
    """The text after the first `n` words, as typed (quotes and spaces kept)."""
    rest = raw.strip()
    for w in words[:n]:
        rest = rest[rest.find(w) + len(w):] if w in rest else rest
    return rest.strip()


def _need(words: list[str], n: int, usage: str) -> None:
    if len(words) < n:
        raise InvalidInput(f"Använd: {usage}")


def _number(word: str, what: str) -> int:
    if not word.isdigit() or len(word) > 9:
        raise InvalidInput(f"{what} ska vara ett nummer.")
    return int(word)


def _step(reference: str, words: list[str]) -> c.RecordStep:
    """/step REF STEG… [DATUM] [fält=värde …] [text]: the step may be several Swedish words."""
    for size in range(min(4, len(words)), 0, -1):
        try:
            kind = step_kind(" ".join(words[:size]))
        except InvalidInput:
            continue
        rest = words[size:]
        on = rest.pop(0) if rest and _DATE.match(rest[0]) else None
        fields: dict[str, str] = {}
        while rest and "=" in rest[0] and not rest[0].startswith("="):
            key, _, value = rest.pop(0).partition("=")
            fields[key] = value
        if rest:
            fields["text"] = " ".join(rest)
        return c.RecordStep(reference, kind.id, on, fields)
    step_kind(words[0] if words else "")  # raises with the list of steps
    raise AssertionError


def parse(command: str, args: str) -> c.Command:
    """A typed command from a Telegram command and its words; `InvalidInput` says how to use it."""
    from bot import interpreting

    words = _words(args)
    if command == "staffhelp":
        return c.Help()
    if command == "queue":
        pairs: dict[str, str | None] = {}
        for w in words:
            if "=" in w:
                key, _, value = w.partition("=")
                pairs[key] = value
            elif fold(w) in _FLAGS:
                key, value = _FLAGS[fold(w)]
                pairs[key] = value
            else:
                raise InvalidInput(f"Okänt filter {w[:20]!r}. Se /staffhelp.")
        return c.ShowQueue(parse_filters(pairs))
    if command == "due":
        return c.ShowDue()
    if command == "stats":
        return c.MonthReport(words[0] if words else datetime.now().strftime("%Y-%m"))
    if command in interpreting.COMMANDS:
        return interpreting.parse(command, words, args)
    _need(words, 1, f"/{command} REF …")
    ref = words[0]
    if command == "case":
        return c.ShowCase(ref)
    if command == "claim":
        return c.Claim(ref)
    if command == "release":
        return c.Release(ref)
    if command == "reassign":
        _need(words, 2, "/reassign REF HANDLÄGGARE")
        return c.Reassign(ref, words[1])
    if command == "step":
        _need(words, 2, "/step REF STEG [ÅÅÅÅ-MM-DD] [fält=värde …] [text]")
        return _step(ref, words[1:])
    if command == "note":
        return c.AddNote(ref, _rest(args, words, 1))
    if command == "strike":
        _need(words, 3, "/strike REF STEG-NR anledning")
        return c.StrikeStep(ref, _number(words[1], "Stegets nummer"), _rest(args, words, 2))
    if command == "edit":
        _need(words, 3, "/edit REF FRÅGA VÄRDE")
        return c.CorrectAnswer(ref, words[1], " ".join(words[2:]))
    if command == "close":
        _need(words, 2, "/close REF ANLEDNING")
        return c.CloseCase(ref, " ".join(words[1:]))
    if command == "reopen":
        return c.ReopenCase(ref, _rest(args, words, 1))
    if command == "assign":
        _need(words, 2, "/assign REF TOLK")
        return c.AssignInterpreter(ref, words[1])
    if command == "letter":
        _need(words, 2, "/letter REF skrivelse|begäran|ivo")
        from bot.settings import Settings

        settings = Settings()  # what only the municipality knows: its committee, who signs
        return c.DraftLetter(ref, _LETTERS.get(fold(words[1]), words[1]), settings.committee, settings.signatory_role)
    if command == "file":
        _need(words, 2, "/file REF RAD")
        return c.ShowFile(ref, _number(words[1], "Raden"))
    raise InvalidInput(HELP)


# ------------------------------------------------------------------------------ rendering
def render(result: c.Result, *, shell_hint: str = "telegram") -> StaffReply:
    """The reply to a command's result: text, and documents or files where the result has them."""
    from bot import interpreting
    from casework.handlers import Claimed, MonthFigures  # the staff side only: letters and charts load here
    from casework.letters import Letter

    data, ref = result.data, result.reference or ""
    if isinstance(data, QueuePage):
        return StaffReply(staffview.queue_text(data, empty=result.message or "Kön är tom."))
    if isinstance(data, CaseView):
        return StaffReply(staffview.case_text(data))
    if isinstance(data, c.FileContent):
        kind = data.kind if data.kind in ("voice", "audio", "photo") else "document"
        return StaffReply(f"{ref}: {data.name}", media=[(data.name, data.content, kind)])
    if isinstance(data, Transcript):
        return interpreting.render_transcript(ref, data)
    if isinstance(data, LineToTranslate):
        return interpreting.render_line(result, data, shell_hint=shell_hint)
    if isinstance(data, Letter):
        return StaffReply(result.message, documents=[(data.filename, data.docx),
                                                     (data.filename.replace(".docx", ".txt"), data.text.encode())])
    if isinstance(data, MonthFigures):
        return StaffReply(result.message, documents=[(f"social-dumpning-{data.report.month}.png", data.chart)])
    return StaffReply(result.message, claimed=ref if isinstance(data, Claimed) else None)


def run(db: Session, *, actor: Actor, command: str, args: str, now: datetime, conversation: Conversation) -> StaffReply:
    """Parse, execute and render one Telegram staff command (refusals raise, for the caller to answer)."""
    parsed = parse(command, args)
    result = c.execute(db, parsed, actor=actor, now=now, conversation=conversation)
    if isinstance(parsed, c.Help):
        return StaffReply(INTERPRETER_HELP if result.data == "interpreter" else HELP)
    return render(result)


"""Who may do what: one table of every staff action and every role, and a driver per shell.

`EXPECTED` is written out by hand from INTAKE_SPEC section 6 (not computed from the code it checks).
Each row of `ACTIONS` says how the action is asked in each shell; a shell that has no such command
says None. A driver asks one action as one role and tells what came back: `ok`, `unknown` (the answer
an unknown command gets) or `not found` (the answer a case that does not exist gets). The staff web
console adds its routes as one more column of `ACTIONS` and one more driver in `DRIVERS`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from casework import commands as c
from casework.errors import UnknownCase, UnknownCommand
from casework.permissions import Actor, Shell
from dialogs.events import Config
from dialogs.service import Incoming
from dialogs.staffside import STAFF_SIDE
from storage import interpreting as files
from storage import repo
from storage.db import make_engine, migrate, transaction

ROLES = ("none", "interpreter", "other interpreter", "caseworker", "admin", "removed")
OK, UNKNOWN, NOT_FOUND = "ok", "unknown", "not found"
_U, _N = UNKNOWN, NOT_FOUND

# role:          none  interpreter (assigned)  other interpreter  caseworker  admin  removed staff
_CASEWORK = (_U, _N, _N, OK, OK, _U)
_READ = (_U, OK, _N, OK, OK, _U)
_INTERPRETING = (_U, OK, _N, _N, OK, _U)
EXPECTED: dict[str, tuple[str, ...]] = {
    "help": (_U, OK, OK, OK, OK, _U),
    "queue": (_U, OK, OK, OK, OK, _U),  # an interpreter sees the cases assigned to them
    "due": (_U, _U, _U, OK, OK, _U),
    "month report": (_U, _U, _U, OK, OK, _U),
    "read case": _READ,
    "read transcript": _READ,
    "read file": _READ,
    "claim": _CASEWORK,
    "release": _CASEWORK,
    "reassign": _CASEWORK,
    "step": _CASEWORK,
    "decision step": _CASEWORK,
    "note": _CASEWORK,
    "strike step": _CASEWORK,
    "correct answer": _CASEWORK,
    "close": _CASEWORK,
    "reopen": _CASEWORK,
    "assign interpreter": _CASEWORK,
    "letter": _CASEWORK,
    "reply": _CASEWORK,
    "next line": _INTERPRETING,
    "translate": _INTERPRETING,
    "verify": _INTERPRETING,
    "report catalog line": _INTERPRETING,
    "stop translating": (_U, OK, OK, _U, OK, _U),
}


@dataclass(frozen=True)
class World:
    """The prepared case and who is who (Telegram ids), in a database a test may change."""

    engine: Engine
    url: str
    folder: Path
    reference: str
    staff: dict[str, int]  # role -> staff id ("none" absent)
    telegram: dict[str, int]  # role -> Telegram id (an unknown one for "none")
    second_caseworker: int
    story_line: int  # the person's message to translate
    file_line: int  # the voice message, stored
    bot_line: int  # a bot message of one sentence
    step_id: int  # a recorded step, to strike


@dataclass(frozen=True)
class Action:
    name: str
    layer: Callable[[World], c.Command]
    telegram: Callable[[World], str] | None
    cli: Callable[[World], list[str]] | None
    setup: Callable[[World], None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # room for other shells (the web console's routes)


def _as_admin(world: World, command: c.Command) -> None:
    with transaction(world.engine) as db:
        c.execute(db, command, actor=Actor(world.staff["admin"], Shell.CLI), now=datetime.now(UTC),
                  conversation=STAFF_SIDE)


ACTIONS: tuple[Action, ...] = (
    Action("help", lambda w: c.Help(), lambda w: "/staffhelp", None),
    Action("queue", lambda w: c.ShowQueue(), lambda w: "/queue", lambda w: ["queue", "list"]),
    Action("due", lambda w: c.ShowDue(), lambda w: "/due", lambda w: ["queue", "due"]),
    Action("month report", lambda w: c.MonthReport("2026-11"), lambda w: "/stats 2026-11",
           lambda w: ["report", "--month", "2026-11", "-o", str(w.folder)]),
    Action("read case", lambda w: c.ShowCase(w.reference), lambda w: f"/case {w.reference}",
           lambda w: ["queue", "show", w.reference]),
    Action("read transcript", lambda w: c.ShowTranscript(w.reference), lambda w: f"/transcript {w.reference}",
           lambda w: ["transcript", w.reference]),
    Action("read file", lambda w: c.ShowFile(w.reference, w.file_line), lambda w: f"/file {w.reference} {w.file_line}",
           lambda w: ["queue", "file", w.reference, str(w.file_line), "-o", str(w.folder)]),
    Action("claim", lambda w: c.Claim(w.reference), lambda w: f"/claim {w.reference}",
           lambda w: ["queue", "claim", w.reference]),
    Action("release", lambda w: c.Release(w.reference), lambda w: f"/release {w.reference}",
           lambda w: ["queue", "release", w.reference], setup=lambda w: _as_admin(w, c.Claim(w.reference))),
    Action("reassign", lambda w: c.Reassign(w.reference, str(w.second_caseworker)),
           lambda w: f"/reassign {w.reference} {w.second_caseworker}",
           lambda w: ["queue", "reassign", w.reference, str(w.second_caseworker)]),
    Action("step", lambda w: c.RecordStep(w.reference, "kontakt", "2026-11-02"),
           lambda w: f"/step {w.reference} kontakt 2026-11-02",
           lambda w: ["queue", "step", w.reference, "municipality_contacted", "--date", "2026-11-02"]),
    Action("decision step", lambda w: c.RecordStep(w.reference, "beslut", "2026-11-20", {
        "insats": "boendestöd", "lagrum": "4 kap. 1 § SoL", "från": "2026-12-01"}),
        lambda w: f'/step {w.reference} beslut 2026-11-20 insats=boendestöd lagrum="4 kap. 1 § SoL" från=2026-12-01',
        lambda w: ["queue", "step", w.reference, "decision_recorded", "--date", "2026-11-20", "-f",
                   "intervention=boendestöd", "-f", "legal_basis=4 kap. 1 § SoL", "-f", "period_from=2026-12-01"]),
    Action("note", lambda w: c.AddNote(w.reference, "Ringde personen"),
           lambda w: f"/note {w.reference} Ringde personen",
           lambda w: ["queue", "note", w.reference, "Ringde personen"]),
    Action("strike step", lambda w: c.StrikeStep(w.reference, w.step_id, "fel datum"),
           lambda w: f"/strike {w.reference} {w.step_id} fel datum",
           lambda w: ["queue", "strike", w.reference, str(w.step_id), "--reason", "fel datum"]),
    Action("correct answer", lambda w: c.CorrectAnswer(w.reference, "moved_when", "3_12m"),
           lambda w: f"/edit {w.reference} moved_when 3_12m",
           lambda w: ["queue", "edit", w.reference, "moved_when", "3_12m"]),
    Action("close", lambda w: c.CloseCase(w.reference, "återvänt"), lambda w: f"/close {w.reference} återvänt",
           lambda w: ["queue", "close", w.reference, "återvänt"]),
    Action("reopen", lambda w: c.ReopenCase(w.reference, "ny uppgift"), lambda w: f"/reopen {w.reference} ny uppgift",
           lambda w: ["queue", "reopen", w.reference, "--reason", "ny uppgift"],
           setup=lambda w: _as_admin(w, c.CloseCase(w.reference, "no_contact"))),
    Action("assign interpreter", lambda w: c.AssignInterpreter(w.reference, str(w.telegram["other interpreter"])),
           lambda w: f"/assign {w.reference} {w.telegram['other interpreter']}",
           lambda w: ["queue", "assign", w.reference, str(w.telegram["other interpreter"])]),
    Action("letter", lambda w: c.DraftLetter(w.reference, "official"), lambda w: f"/letter {w.reference} skrivelse",
           lambda w: ["letter", w.reference, "--kind", "official", "-o", str(w.folder)]),
    Action("reply", lambda w: c.Reply(w.reference, kind="received"), lambda w: f"/reply {w.reference} received",
           lambda w: ["reply", w.reference, "received"]),
    Action("next line", lambda w: c.OpenLine(w.reference), lambda w: f"/translate {w.reference}",
           lambda w: ["translate", w.reference]),
    Action("translate", lambda w: c.Translate(w.reference, "De sa att jag måste flytta", line=w.story_line),
           lambda w: f"/translate {w.reference} {w.story_line} De sa att jag måste flytta",
           lambda w: ["translate", w.reference, "--entry", str(w.story_line), "--text", "De sa att jag måste flytta"]),
    Action("verify", lambda w: c.Verify(w.reference), lambda w: f"/verify {w.reference}",
           lambda w: ["translate", w.reference, "--verify"]),
    Action("report catalog line", lambda w: c.ReportLine(w.reference, w.bot_line, None, "oklart ord"),
           lambda w: f"/reportline {w.reference} {w.bot_line} oklart ord",
           lambda w: ["reportline", w.reference, str(w.bot_line), "oklart ord"]),
    Action("stop translating", lambda w: c.StopTranslating(), lambda w: "/translate stop", None),
)


# ------------------------------------------------------------------------------ the prepared case
def build_template(folder: Path) -> dict[str, Any]:
    """An Arabic intake with a story and a stored voice message, staff of every role, Omar assigned."""
    from tests.storage import test_interpreting, test_service

    url = f"sqlite:///{folder / 'template.db'}"
    migrate(url)
    engine = make_engine(url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(test_service, "CONFIG", Config(languages=("sv", "en", "ar")))
        _, reference = test_interpreting._intake(engine, "77")
    now = datetime.now(UTC)
    people = {"interpreter": (804, "Omar Tolk", "interpreter", ["ar"]),
              "other interpreter": (805, "Lina Tolk", "interpreter", ["ar"]),
              "caseworker": (801, "Anna Handläggare", "caseworker", []), "admin": (803, "Ada Admin", "admin", []),
              "removed": (806, "Rut Slutat", "caseworker", [])}
    with transaction(engine) as db:
        ids = {role: repo.add_staff(db, telegram_user_id=tg, name=name, role=r, languages=langs, now=now).id
               for role, (tg, name, r, langs) in people.items()}
        bo = repo.add_staff(db, telegram_user_id=802, name="Bo Handläggare", role="caseworker", languages=[], now=now)
        removed = repo.get_staff(db, staff_id=ids["removed"])
        assert removed is not None
        removed.active = False
        referral = repo.get_referral(db, reference=reference)
        assert referral is not None and referral.id is not None
        referral.interpreter_id = ids["interpreter"]
        entries = list(repo.transcript(db, person_id=referral.person_id))
        voice = next(i for i, e in enumerate(entries) if e.kind == "voice")
        files.note_file(db, entry_id=entries[voice].id, kind="voice", status="stored", now=now, content=b"OggS",
                        size=4, mime="audio/ogg")
        story = next(i for i, e in enumerate(entries) if e.direction == "in" and e.text == test_interpreting.STORY)
        bot = next(i for i, e in enumerate(entries)
                   if e.direction == "out" and len((e.data or {}).get("msgs", [])) == 1)
    with transaction(engine) as db:
        result = c.execute(db, c.RecordStep(reference, "letter_sent", "2026-11-01"),
                           actor=Actor(ids["caseworker"], Shell.CLI), now=now, conversation=STAFF_SIDE)
    engine.dispose()
    telegram = {role: tg for role, (tg, *_) in people.items()} | {"none": 4242}
    return {"url": url, "reference": reference, "staff": ids, "telegram": telegram, "second_caseworker": bo.id,
            "story_line": story + 1, "file_line": voice + 1, "bot_line": bot + 1, "step_id": result.data.event_id}


def world_from(template: dict[str, Any], folder: Path) -> World:
    source = Path(template["url"].removeprefix("sqlite:///"))
    target = folder / "intake.db"
    shutil.copy(source, target)
    url = f"sqlite:///{target}"
    return World(make_engine(url), url, folder, template["reference"], template["staff"], template["telegram"],
                 template["second_caseworker"], template["story_line"], template["file_line"], template["bot_line"],
                 template["step_id"])


def snapshot(engine: Engine, answered: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: what "nothing changed" is compared with. The answer to the one who
    asked (`answered`: their Telegram chat) is not a change."""
    with engine.connect() as conn:
        tables = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))]
        out = {}
        for t in tables:
            if t in ("web_session", "sign_in_attempt"):  # the console's sign-in bookkeeping, not the case
                continue
            where = " WHERE chat_id IS NOT :chat" if t == "outbox_message" else ""
            rows = conn.execute(text(f'SELECT * FROM "{t}"{where}'), {"chat": answered} if where else {})
            out[t] = sorted(map(tuple, rows), key=repr)
        return out


# ------------------------------------------------------------------------------ one driver per shell
def via_layer(world: World, action: Action, role: str) -> str:
    with transaction(world.engine) as db:
        try:
            c.execute(db, action.layer(world), actor=Actor(world.staff.get(role), Shell.CLI), now=datetime.now(UTC),
                      conversation=STAFF_SIDE)
        except UnknownCommand:
            return UNKNOWN
        except UnknownCase:
            return NOT_FOUND
    return OK


def via_telegram(world: World, action: Action, role: str) -> str:
    """The bot's staff handler, as it handles a private message: False hands it to the intake."""
    from bot.telegram.staff import handle_staff
    from dialogs.events import Command

    assert action.telegram is not None
    words = action.telegram(world)
    name, _, args = words[1:].partition(" ")
    tg = str(world.telegram[role])
    if not handle_staff(world.engine, Incoming("telegram", tg, tg, Command(name, args)), datetime.now(UTC)):
        return UNKNOWN
    with transaction(world.engine) as db:
        sent = [r.payload["text"] for r in repo.pending_outbox(db, channel="telegram", now=datetime.now(UTC),
                                                               chat_id=tg) if r.action == "send"]
    if sent and sent[-1] == f"Inget ärende {world.reference}.":
        return NOT_FOUND
    return OK


def via_cli(world: World, action: Action, role: str) -> str:
    from bot.cli import app

    assert action.cli is not None
    who = str(world.telegram[role]) if role != "none" else "4242"
    out = CliRunner().invoke(app, [*action.cli(world), "--as", who], env={"INTAKE_DATABASE_URL": world.url})
    message = out.output.strip().splitlines()[-1] if out.output.strip() else ""
    if out.exit_code == 2 and message == "Okänt kommando.":
        return UNKNOWN
    if out.exit_code == 1 and message == f"Inget ärende {world.reference}.":
        return NOT_FOUND
    assert out.exit_code == 0, (action.name, role, out.output, out.exception)
    return OK


from tests.access.web_driver import WEB, via_web  # noqa: E402  (the staff web console's routes)

DRIVERS: dict[str, Callable[[World, Action, str], str]] = {"layer": via_layer, "telegram": via_telegram,
                                                           "cli": via_cli, "web": via_web}
AVAILABLE: dict[str, Callable[[Action], bool]] = {"layer": lambda a: True, "telegram": lambda a: a.telegram is not None,
                                                  "cli": lambda a: a.cli is not None, "web": lambda a: a.name in WEB}

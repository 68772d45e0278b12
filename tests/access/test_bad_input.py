"""Bad input, in every shell, is refused with a clear Swedish message and changes nothing in the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from casework import commands as c
from casework.errors import CaseError, StaleCase, UnknownCase, UnknownCommand
from casework.permissions import Actor, Shell
from dialogs.events import Command
from dialogs.service import Incoming
from dialogs.staffside import STAFF_SIDE
from storage import repo
from storage.db import transaction
from tests.access.table import World, build_template, snapshot, world_from

LONG = "x" * 2001


@dataclass(frozen=True)
class Bad:
    name: str
    says: str  # a part of the Swedish message
    layer: Callable[[World], c.Command]
    telegram: Callable[[World], str] | None = None
    cli: Callable[[World], list[str]] | None = None
    setup: Callable[[World], None] | None = None


def _closed(w: World) -> None:
    with transaction(w.engine) as db:
        c.execute(db, c.CloseCase(w.reference, "no_contact"), actor=Actor(w.staff["admin"], Shell.CLI),
                  now=datetime.now(UTC), conversation=STAFF_SIDE)


BAD: tuple[Bad, ...] = (
    Bad("a date that does not exist", "finns inte i kalendern",
        lambda w: c.RecordStep(w.reference, "letter_sent", "2026-13-01"),
        lambda w: f"/step {w.reference} letter_sent 2026-13-01",
        lambda w: ["queue", "step", w.reference, "letter_sent", "--date", "2026-13-01"]),
    Bad("the 30th of February", "finns inte i kalendern",
        lambda w: c.RecordStep(w.reference, "kontakt", "2026-02-30"), None,
        lambda w: ["queue", "step", w.reference, "kontakt", "--date", "2026-02-30"]),
    Bad("a date in the future", "framtiden",
        lambda w: c.RecordStep(w.reference, "letter_sent", "2099-01-01"),
        lambda w: f"/step {w.reference} letter_sent 2099-01-01",
        lambda w: ["queue", "step", w.reference, "letter_sent", "--date", "2099-01-01"]),
    Bad("not a date", "ÅÅÅÅ-MM-DD",
        lambda w: c.RecordStep(w.reference, "letter_sent", "igårkväll"), None,
        lambda w: ["queue", "step", w.reference, "letter_sent", "--date", "3/11"]),
    Bad("an unknown step", "Okänt steg",
        lambda w: c.RecordStep(w.reference, "teleported"), lambda w: f"/step {w.reference} teleported",
        lambda w: ["queue", "step", w.reference, "teleported"]),
    Bad("a decision without its intervention", "behöver: Insats, Lagrum",
        lambda w: c.RecordStep(w.reference, "decision_recorded", None, {"från": "2026-12-01"}),
        lambda w: f"/step {w.reference} beslut från=2026-12-01",
        lambda w: ["queue", "step", w.reference, "beslut", "-f", "från=2026-12-01"]),
    Bad("a period that ends before it starts", "före beviljat från",
        lambda w: c.RecordStep(w.reference, "beslut", None, {"insats": "a", "lagrum": "b", "från": "2026-12-01",
                                                             "till": "2026-11-01"})),
    Bad("a request received before it was sent", "före begäran",
        lambda w: c.RecordStep(w.reference, "transfer_requested", "2026-11-10", {"mottagen": "2026-11-01"}),
        lambda w: f"/step {w.reference} begäran 2026-11-10 mottagen=2026-11-01"),
    Bad("a coordination result that is neither", "välj",
        lambda w: c.RecordStep(w.reference, "coordination_checked", None, {"result": "maybe"})),
    Bad("a field the step does not have", "har inget fält",
        lambda w: c.RecordStep(w.reference, "letter_sent", None, {"insats": "x"}), None,
        lambda w: ["queue", "step", w.reference, "letter_sent", "-f", "insats=x"]),
    Bad("an empty note", "behöver: Text", lambda w: c.AddNote(w.reference, "  "), lambda w: f"/note {w.reference}",
        lambda w: ["queue", "note", w.reference, " "]),
    Bad("a note too long", "högst 2000 tecken", lambda w: c.AddNote(w.reference, LONG), None,
        lambda w: ["queue", "note", w.reference, LONG]),
    Bad("striking a step that is not there", "inget steg 9999 att stryka",
        lambda w: c.StrikeStep(w.reference, 9999, "fel"), lambda w: f"/strike {w.reference} 9999 fel",
        lambda w: ["queue", "strike", w.reference, "9999", "--reason", "fel"]),
    Bad("striking without a reason", "varför", lambda w: c.StrikeStep(w.reference, w.step_id, " ")),
    Bad("striking what the person did", "att stryka", lambda w: c.StrikeStep(w.reference, 1, "fel")),
    Bad("changing a consent", "Samtycken är personens egna",
        lambda w: c.CorrectAnswer(w.reference, "consent_contact", "no"),
        lambda w: f"/edit {w.reference} consent_contact no",
        lambda w: ["queue", "edit", w.reference, "consent_contact", "no"]),
    Bad("changing the home-visit consent", "Samtycken är personens egna",
        lambda w: c.CorrectAnswer(w.reference, "consent_home_visit", "yes")),
    Bad("an answer the question does not have", "Giltiga val",
        lambda w: c.CorrectAnswer(w.reference, "had_support", "maybe"),
        lambda w: f"/edit {w.reference} had_support maybe"),
    Bad("rewriting the person's account", "kan inte rättas", lambda w: c.CorrectAnswer(w.reference, "account", "x")),
    Bad("an unknown close reason", "Okänd anledning", lambda w: c.CloseCase(w.reference, "because"),
        lambda w: f"/close {w.reference} because", lambda w: ["queue", "close", w.reference, "because"]),
    Bad("reopening an open case", "inte avslutat", lambda w: c.ReopenCase(w.reference, "x"),
        lambda w: f"/reopen {w.reference} x", lambda w: ["queue", "reopen", w.reference, "--reason", "x"]),
    Bad("a step on a closed case", "avslutat", lambda w: c.RecordStep(w.reference, "letter_sent"),
        lambda w: f"/step {w.reference} letter_sent", setup=_closed),
    Bad("releasing a case nobody has", "Ingen har", lambda w: c.Release(w.reference),
        lambda w: f"/release {w.reference}", lambda w: ["queue", "release", w.reference]),
    Bad("handing a case to an interpreter", "inte handläggare",
        lambda w: c.Reassign(w.reference, str(w.telegram["interpreter"]))),
    Bad("handing a case to nobody", "Ingen personal", lambda w: c.Reassign(w.reference, "nobody@example.org"),
        None, lambda w: ["queue", "reassign", w.reference, "424242"]),
    Bad("a caseworker as interpreter", "inte tolk",
        lambda w: c.AssignInterpreter(w.reference, str(w.telegram["caseworker"])),
        lambda w: f"/assign {w.reference} {w.telegram['caseworker']}"),
    Bad("an unknown letter", "Okänt brev", lambda w: c.DraftLetter(w.reference, "poem"),
        lambda w: f"/letter {w.reference} poem", lambda w: ["letter", w.reference, "--kind", "poem"]),
    Bad("an unknown standard reply", "Okänt standardsvar", lambda w: c.Reply(w.reference, kind="hello")),
    Bad("a call without a number", "Använd", lambda w: c.Reply(w.reference, kind="call", details=("",)),
        lambda w: f"/reply {w.reference} call"),
    Bad("an empty translation", "tom", lambda w: c.Translate(w.reference, " ", line=w.story_line)),
    Bad("translating a bot line", "översätts", lambda w: c.Translate(w.reference, "x", line=1),
        lambda w: f"/translate {w.reference} 1 x",
        lambda w: ["translate", w.reference, "--entry", "1", "--text", "x"]),
    Bad("a line that is not there", "har rad", lambda w: c.Verify(w.reference, 99999),
        lambda w: f"/verify {w.reference} 99999"),
    Bad("reporting the person's own words", "inte botens", lambda w: c.ReportLine(w.reference, w.story_line, None,
                                                                                  "fel"),
        None, lambda w: ["reportline", w.reference, str(w.story_line), "fel"]),
    Bad("a month that does not exist", "ÅÅÅÅ-MM", lambda w: c.MonthReport("2026-13"), lambda w: "/stats 2026-13",
        lambda w: ["report", "--month", "2026-13"]),
    Bad("a filter that does not exist", "Okänd", lambda w: c.ShowQueue(c.QueueFilters(priority="höggradig")),
        lambda w: "/queue prioritet=höggradig", lambda w: ["queue", "list", "--priority", "höggradig"]),
    Bad("a forged page marker", "Sidmarkören", lambda w: c.ShowQueue(c.QueueFilters(after="1.2.x")), None,
        lambda w: ["queue", "list", "--after", "1.2.x"]),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return build_template(tmp_path_factory.mktemp("bad"))


def _cases(shell: str) -> list[Any]:
    return [pytest.param(b, id=b.name) for b in BAD if shell == "layer" or getattr(b, shell) is not None]


def _prepared(template: dict[str, Any], tmp_path: Path, bad: Bad) -> World:
    world = world_from(template, tmp_path)
    if bad.setup is not None:
        bad.setup(world)
    return world


@pytest.mark.parametrize("bad", _cases("layer"))
def test_bad_input_in_the_command_layer(template: dict[str, Any], tmp_path: Path, bad: Bad) -> None:
    world = _prepared(template, tmp_path, bad)
    before = snapshot(world.engine)
    with transaction(world.engine) as db, pytest.raises(CaseError) as refused:
        c.execute(db, bad.layer(world), actor=Actor(world.staff["admin"], Shell.CLI), now=datetime.now(UTC),
                  conversation=STAFF_SIDE)
    assert not isinstance(refused.value, UnknownCommand | UnknownCase), "refused for the input, not the asker"
    assert bad.says in str(refused.value)
    assert snapshot(world.engine) == before
    world.engine.dispose()


@pytest.mark.parametrize("bad", _cases("telegram"))
def test_bad_input_in_telegram(template: dict[str, Any], tmp_path: Path, bad: Bad) -> None:
    from bot.telegram.staff import handle_staff

    world = _prepared(template, tmp_path, bad)
    tg = str(world.telegram["admin"])
    before = snapshot(world.engine, tg)
    assert bad.telegram is not None
    name, _, args = bad.telegram(world)[1:].partition(" ")
    assert handle_staff(world.engine, Incoming("telegram", tg, tg, Command(name, args)), datetime.now(UTC))
    with transaction(world.engine) as db:
        [answer] = [r.payload["text"] for r in repo.pending_outbox(db, channel="telegram", now=datetime.now(UTC),
                                                                   chat_id=tg)]
    assert bad.says in answer
    assert snapshot(world.engine, tg) == before
    world.engine.dispose()


@pytest.mark.parametrize("bad", _cases("cli"))
def test_bad_input_on_the_command_line(template: dict[str, Any], tmp_path: Path, bad: Bad) -> None:
    from bot.cli import app

    world = _prepared(template, tmp_path, bad)
    before = snapshot(world.engine)
    assert bad.cli is not None
    out = CliRunner().invoke(app, [*bad.cli(world), "--as", str(world.staff["admin"])],
                             env={"INTAKE_DATABASE_URL": world.url})
    assert out.exit_code == 1, out.output
    assert bad.says in out.output
    assert snapshot(world.engine) == before
    world.engine.dispose()


def test_a_form_on_an_older_view_is_refused_as_stale(template: dict[str, Any], tmp_path: Path) -> None:
    world = world_from(template, tmp_path)
    admin = Actor(world.staff["admin"], Shell.WEB)
    with transaction(world.engine) as db:
        seen = c.execute(db, c.ShowCase(world.reference), actor=admin, now=datetime.now(UTC),
                         conversation=STAFF_SIDE).version
    with transaction(world.engine) as db:  # someone else acts meanwhile
        c.execute(db, c.AddNote(world.reference, "Ringde"), actor=Actor(world.staff["caseworker"], Shell.TELEGRAM),
                  now=datetime.now(UTC), conversation=STAFF_SIDE)
    before = snapshot(world.engine)
    with transaction(world.engine) as db, pytest.raises(StaleCase, match="har ändrats sedan du öppnade det"):
        c.execute(db, c.CloseCase(world.reference, "återvänt"), actor=admin, now=datetime.now(UTC),
                  conversation=STAFF_SIDE, expected_version=seen)
    assert snapshot(world.engine) == before
    with transaction(world.engine) as db:
        fresh = c.execute(db, c.ShowCase(world.reference), actor=admin, now=datetime.now(UTC),
                          conversation=STAFF_SIDE).version
        done = c.execute(db, c.CloseCase(world.reference, "återvänt"), actor=admin, now=datetime.now(UTC),
                         conversation=STAFF_SIDE, expected_version=fresh)
    assert done.version == fresh + 1
    world.engine.dispose()

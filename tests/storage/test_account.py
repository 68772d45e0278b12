"""The person's own account is never replaced: an edit from the summary adds to it, and every part stays
with its time in the queue export, the transcript and the caseworker's view of the case."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from bot import staffview
from casework import commands, queue
from dialogs.events import Command, Media, Press, Text
from storage.db import transaction
from tests.staff import add_staff, execute
from tests.storage.test_service import Person_
from tests.unit.conversation import FORM1_SV

FIRST, SECOND = "De sa att jag måste flytta.", "Och de betalade tågbiljetten."


def _edited_account(engine: Engine) -> str:
    person = Person_(engine, "77")
    persona = FORM1_SV | {"account": "text:" + FIRST}
    person.send(Command("start"))
    while person.open_question != "summary":
        qid = person.open_question
        want = persona[qid]
        if isinstance(want, dict):
            person.send(Text(want["text"]))
            person.send(Press(f"q:{qid}:{want['pick']}"))
        elif isinstance(want, list):
            for choice in [*want, "done"]:
                person.send(Press(f"q:{qid}:{choice}"))
        elif want.startswith("text:"):
            person.send(Text(want[5:]))
            person.send(Press(f"q:{qid}:done"))
        else:
            person.send(Press(f"q:{qid}:{want}"))
    person.send(Press("q:summary:group_story"))
    person.send(Press("q:summary:edit_account"))
    person.send(Text(SECOND))
    person.send(Media("photo", "ph1", "uph1", None, "image/jpeg", 1000))
    person.send(Press("q:account:done"))
    summary = next(m["text"] for m in reversed(person.sent) if m["action"] == "send")
    assert "3 meddelanden" in summary, "the summary counts every entry"
    person.send(Press("q:summary:edit_had_support"))  # the person corrects an answer too
    person.send(Press("q:had_support:no"))
    person.send(Press("q:summary:submit"))
    with transaction(engine) as db:
        return queue.export(db)[-1]["reference"]


def test_an_account_edited_from_the_summary_keeps_every_part(engine: Engine) -> None:
    reference = _edited_account(engine)
    now = datetime.now(UTC)
    with transaction(engine) as db:
        exported = next(e for e in queue.export(db) if e["reference"] == reference)
    anna = add_staff(engine, 7701, "Anna Andersson")
    lines = execute(engine, commands.ShowTranscript(reference), anna, now=now).data.lines
    case = staffview.case_text(execute(engine, commands.ShowCase(reference), anna, now=now).data)
    account = exported["answers"]["account"]
    assert account[:2] == [FIRST, SECOND] and account[2]["file"] == "photo", "both parts, in order, in the export"
    said = [ln.text for ln in lines if ln.direction == "in"]
    assert FIRST in said and SECOND in said, "both parts in the transcript"
    # the caseworker sees each part with its time, and the person's own corrections like staff corrections
    assert f"«{FIRST}»" in case and f"«{SECOND}»" in case and "3 delar, ingen ersatt" in case
    assert now.strftime("%Y-%m-%d") in case.split(f"«{SECOND}»")[0].rsplit("\n", 1)[-1]
    # in Swedish, never raw ids
    assert "Hjälp från socialtjänsten: Ja → Nej (personen)" in case
    assert "Din berättelse: 1 del → 2 delar tillagda (personen)" in case

"""The command layer on a real database (SQLite, and PostgreSQL in CI): the queue's filters and pages, the
case view in Swedish, the lifecycle (release, reassign, reopen), struck steps, and the staff notices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from casework import commands as c
from casework import queue
from casework.errors import InvalidInput
from casework.report import monthly_report
from casework.steps import STEPS
from storage import repo
from storage.db import transaction
from storage.models import Intake, Person, Staff
from tests.staff import add_staff, execute, telegram
from tests.storage.test_service import Person_
from tests.unit.conversation import FORM1_SV

# Answers as stored (after the dialog): what `queue.submit` assesses.
HIGH = {"language": "sv", "urgent_needs": ["none"], "moved_from": "2161", "moved_when": "1_3m", "had_support": "yes",
        "support_types": ["contact_family"], "establishment": "no", "lease_type": "municipal_sublet",
        "lease_ended": "terminated_by_municipality", "pushed_how": ["given_number"], "understood": "partly",
        "receiving_contacted": "dont_know", "wish": "return", "consent_contact": "yes"}
LOW = HIGH | {"had_support": "no", "lease_ended": "own_choice", "pushed_how": ["none"], "understood": "own_wish",
              "receiving_contacted": "yes", "moved_from": "2180"}
URGENT = HIGH | {"urgent_needs": ["shelter"], "moved_from": "0180"}
T0 = datetime(2026, 10, 1, 9, tzinfo=UTC)


def _submit(engine: Engine, n: int, answers: dict[str, Any], language: str = "sv") -> str:
    with transaction(engine) as db:
        now = T0 + timedelta(minutes=n)
        person = Person(channel="telegram", external_id=f"q{n}", chat_id=f"q{n}", created_at=now, updated_at=now)
        db.add(person)
        db.flush()
        assert person.id is not None
        intake = Intake(person_id=person.id, state="done", answers={}, texts={}, path=[], draft={}, started_at=now,
                        updated_at=now)
        db.add(intake)
        db.flush()
        assert intake.id is not None
        return queue.submit(db, person_id=person.id, intake_id=intake.id, language=language, answers=answers,
                            now=now).reference


def _refs(engine: Engine, staff: Staff, now: datetime | None = None, **filters: Any) -> list[str]:
    page = execute(engine, c.ShowQueue(c.QueueFilters(**filters)), staff, now=now).data
    return [q.reference for q in page.lines]



def test_the_queue_by_the_day_it_was_received(engine: Engine) -> None:
    """Days as the municipality counts them (Stockholm), both ends included; nonsense is refused."""
    anna = add_staff(engine, 711, "Anna")
    minutes = {"1 Oct 11:00": 0, "2 Oct 01:30 (23:30 UTC on the 1st)": 870, "4 Oct": 3 * 1440, "11 Oct": 10 * 1440}
    refs = {day: _submit(engine, n, HIGH) for day, n in minutes.items()}
    first, late, fourth, eleventh = refs.values()
    everything = {"status": "all", "limit": 200}
    assert _refs(engine, anna, received_from="2026-10-01", received_to="2026-10-01", **everything) == [first]
    assert _refs(engine, anna, received_from="2026-10-02", received_to="2026-10-04", **everything) == [late, fourth]
    assert _refs(engine, anna, received_from="2026-10-05", **everything) == [eleventh]
    assert _refs(engine, anna, received_to="2026-10-03", **everything) == [first, late]
    for bad in ({"received_from": "2026-02-30"}, {"received_to": "1 okt"}, {"received_from": "2026-10-05",
                                                                             "received_to": "2026-10-04"}):
        with pytest.raises(InvalidInput):
            execute(engine, c.ShowQueue(c.QueueFilters(**bad)), anna)
    from bot.staffcmd import parse

    command = parse("queue", "alla inkom_från=2026-10-02 inkom_till=2026-10-04")
    assert isinstance(command, c.ShowQueue) and command.filters.received_from == "2026-10-02"
    assert [q.reference for q in execute(engine, command, anna).data.lines] == [late, fourth]

def test_the_queue_filters_and_walks_its_pages_in_order(engine: Engine) -> None:
    anna, bo = add_staff(engine, 701, "Anna"), add_staff(engine, 702, "Bo")
    omar = add_staff(engine, 703, "Omar", "interpreter", ["ar"])
    refs = [_submit(engine, i, (URGENT, HIGH, LOW)[i % 3], ("sv", "ar")[i % 2]) for i in range(30)]
    urgent, high, low = refs[0::3], refs[1::3], refs[2::3]
    order = _refs(engine, anna, limit=200)
    assert order == urgent + high + low, "priority, then oldest first"
    # pages by keyset: the same order, nothing twice, nothing lost
    seen, after = [], None
    while True:
        page = execute(engine, c.ShowQueue(c.QueueFilters(limit=7, after=after)), anna).data
        seen += [q.reference for q in page.lines]
        assert page.total == 30
        after = page.next
        if after is None:
            break
    assert seen == order
    # a running IVO clock comes first, also across a page boundary
    execute(engine, c.RecordStep(low[-1], "transfer_requested", "2026-11-01"), anna, now=T0 + timedelta(days=40))
    first = execute(engine, c.ShowQueue(c.QueueFilters(limit=1)), anna, now=T0 + timedelta(days=40)).data
    assert [q.reference for q in first.lines] == [low[-1]] and first.lines[0].clock == "running"
    rest = execute(engine, c.ShowQueue(c.QueueFilters(limit=50, after=first.next)), anna).data
    assert [q.reference for q in rest.lines] == [r for r in order if r != low[-1]]
    # filters, each in the queue's order
    order = [low[-1], *(r for r in order if r != low[-1])]

    def only(chosen: list[str]) -> list[str]:
        return [r for r in order if r in chosen]

    assert _refs(engine, anna, priority="urgent", limit=200) == urgent
    assert _refs(engine, anna, level="low", limit=200) == only(low)
    assert _refs(engine, anna, form=1, limit=200) == only(urgent + high) and _refs(engine, anna, form=2) == []
    assert _refs(engine, anna, form=0, limit=200) == only(low)
    assert _refs(engine, anna, municipality="Ljusdal", limit=200) == high
    assert _refs(engine, anna, municipality="2180", limit=200) == only(low)
    assert _refs(engine, anna, municipality="stockh", limit=200) == urgent, "a name's beginning"
    assert _refs(engine, anna, language="ar", limit=200) == only(refs[1::2])
    nov10, dec05 = T0 + timedelta(days=40), T0 + timedelta(days=65)
    assert _refs(engine, anna, clock="running") == [low[-1]]
    assert _refs(engine, anna, nov10, clock="overdue") == [] == _refs(engine, anna, nov10, clock="due_soon")
    assert _refs(engine, anna, dec05, clock="overdue") == [low[-1]] == _refs(engine, anna, dec05, clock="due_soon")
    assert low[-1] not in _refs(engine, anna, clock="none", limit=200)
    assert _refs(engine, anna, reference=refs[4][-4:]) == [refs[4]]
    execute(engine, c.Claim(high[0]), anna)
    execute(engine, c.Claim(high[1]), bo)
    assert _refs(engine, anna, assignee="mine") == [high[0]]
    assert high[0] not in _refs(engine, anna, assignee="none", limit=200)
    execute(engine, c.CloseCase(urgent[0], "återvänt"), anna)
    assert urgent[0] not in _refs(engine, anna, limit=200)
    assert _refs(engine, anna, status="closed") == [urgent[0]]
    assert len(_refs(engine, anna, status="all", limit=200)) == 30
    # an interpreter sees only the cases assigned to them, whatever they ask for
    execute(engine, c.AssignInterpreter(refs[1], "703"), anna)
    assert _refs(engine, omar, status="all", limit=200) == [refs[1]]
    line = execute(engine, c.ShowQueue(c.QueueFilters(reference=high[0])), anna).data.lines[0]
    assert (line.priority_sv, line.level_sv, line.forms, line.status_sv, line.municipality_sv, line.language_sv,
            line.caseworker) == ("hög", "hög", (1,), "pågår", "Ljusdal", "arabiska", "Anna")


def _case(engine: Engine, user: str = "1") -> str:
    Person_(engine, user).answer(FORM1_SV)
    with transaction(engine) as db:
        person = repo.get_person(db, channel="telegram", external_id=user)
        return repo.get_intake(db, person_id=person.id).reference


def test_the_case_view_speaks_swedish_and_shows_struck_steps(engine: Engine) -> None:
    reference = _case(engine)
    anna = add_staff(engine, 711, "Anna Andersson")
    execute(engine, c.Claim(reference), anna)
    wrong = execute(engine, c.RecordStep(reference, "kontakt", "2026-11-02"), anna).data.event_id
    execute(engine, c.StrikeStep(reference, wrong, "Fel ärende"), anna)
    execute(engine, c.RecordStep(reference, "samordning", None, {"resultat": "ingen kontakt hittad"}), anna)
    view = execute(engine, c.ShowCase(reference), anna).data
    answers = {a.question_id: a for a in view.answers}
    assert answers["moved_from"].text == "Ljusdal" and answers["had_support"].text == "Ja"
    assert answers["lease_ended"].title and answers["lease_ended"].text != "terminated_by_municipality"
    assert answers["account"].entries == ("De sa att jag skulle ringa socialen i Sollefteå.",)
    shown = " ".join(f"{a.title} {a.text}" for a in view.answers)
    for raw in ("terminated_by_municipality", "municipal_sublet", "given_number", "contact_family", "2161"):
        assert raw not in shown, raw
    assert all(r.answers and r.section for r in view.reasons), "each reason: signal, answer, policy section"
    assert not any("lease_ended =" in a for r in view.reasons for a in r.answers), "answers in Swedish"
    actions = {a.action: a for a in view.actions}
    assert actions["contact_municipality"].steps == (("municipality_contacted", "kontakt tagen med kommunen"),)
    assert actions["contact_municipality"].done_by == (), "the struck step does not count"
    consents = {(k.consent, k.value_sv, k.current) for k in view.consents}
    assert ("consent_contact", "ja", True) in consents and ("consent_store", "ja", True) in consents
    struck = next(e for e in view.timeline if e.id == wrong)
    assert struck.struck is not None and struck.struck.reason == "Fel ärende" and struck.struck.by == "Anna Andersson"
    assert not struck.strikable
    check = next(e for e in view.timeline if e.kind == "coordination_checked")
    assert check.details == (("Resultat", "ingen kontakt hittad"),) and check.by == "Anna Andersson"
    assert [e.kind for e in view.timeline][:3] == ["municipality_contacted", "submitted", "claimed"], \
        "in the order things happened: the step is dated 2 November"
    text = telegram(engine, "case", reference, anna).text
    assert "~~" in text and "STRUKET" in text and "Fel ärende" in text
    with transaction(engine) as db:
        referral = repo.get_referral(db, reference=reference)
        events = [(e.kind, e.data) for e in repo.referral_events(db, referral_id=referral.id)]
    assert ("municipality_contacted", None) in events, "struck, never deleted"
    assert ("struck", {"event_id": wrong, "reason": "Fel ärende"}) in events


def test_a_struck_transfer_request_stops_the_clock_and_the_figures(engine: Engine) -> None:
    reference = _case(engine)
    anna = add_staff(engine, 712, "Anna")
    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    sent = execute(engine, c.RecordStep(reference, "transfer_requested", "2026-11-03"), anna, now=now).data
    assert sent.ivo_due_at is not None
    execute(engine, c.StrikeStep(reference, sent.event_id, "Skickades aldrig"), anna, now=now)
    with transaction(engine) as db:
        assert repo.get_referral(db, reference=reference).ivo_due_at is None
        report = monthly_report(db, month="2026-11")
    assert report.steps["transfer_requested"] == 0
    assert "redan struket" in telegram(engine, "strike", f"{reference} {sent.event_id} igen", anna, now).text


def test_release_reassign_and_reopen_leave_their_events(engine: Engine) -> None:
    reference = _case(engine)
    anna, bo = add_staff(engine, 721, "Anna"), add_staff(engine, 722, "Bo")
    execute(engine, c.Claim(reference), anna)
    execute(engine, c.Release(reference), anna)
    with transaction(engine) as db:
        referral = repo.get_referral(db, reference=reference)
        assert referral.caseworker_id is None and referral.status == "new", "no step yet: new again"
    execute(engine, c.Claim(reference), anna)
    execute(engine, c.AddNote(reference, "Ringde"), anna)
    execute(engine, c.Reassign(reference, "722"), anna)
    with transaction(engine) as db:
        referral = repo.get_referral(db, reference=reference)
        assert referral.caseworker_id == bo.id and referral.status == "in_progress"
        [notice] = [r.payload["text"] for r in repo.pending_outbox(db, channel="telegram", now=datetime.now(UTC),
                                                                   chat_id="722")]
    assert reference in notice and "Anna" in notice and "Ljusdal" not in notice
    execute(engine, c.CloseCase(reference, "stannar med stöd"), bo)
    assert "avslutat" in telegram(engine, "note", f"{reference} efteråt", bo).text
    execute(engine, c.ReopenCase(reference, "Personen hörde av sig igen"), bo)
    with transaction(engine) as db:
        referral = repo.get_referral(db, reference=reference)
        assert (referral.status, referral.close_reason, referral.closed_at) == ("in_progress", None, None)
        kinds = [e.kind for e in repo.referral_events(db, referral_id=referral.id)]
    assert kinds == ["submitted", "claimed", "released", "claimed", "note", "reassigned", "closed", "reopened"]
    view = execute(engine, c.ShowCase(reference), bo).data
    reopened = view.timeline[-1]
    assert reopened.name == "återöppnat" and ("Anledning", "Personen hörde av sig igen") in reopened.details
    reassigned = next(e for e in view.timeline if e.kind == "reassigned")
    assert ("Från", "Anna") in reassigned.details and ("Till", "Bo") in reassigned.details


def test_the_interpreter_is_told_when_assigned_and_when_the_person_writes(engine: Engine) -> None:
    from dialogs.events import Text

    person = Person_(engine, "5")
    person.answer(FORM1_SV | {"language": "sv"})
    with transaction(engine) as db:
        reference = repo.get_intake(db, person_id=repo.get_person(db, channel="telegram", external_id="5").id).reference
    anna = add_staff(engine, 731, "Anna")
    add_staff(engine, 732, "Sara Tolk", "interpreter", ["sv"])
    execute(engine, c.Claim(reference), anna)
    execute(engine, c.AssignInterpreter(reference, "732"), anna)
    person.send(Text("Jag har fått ett brev från hyresvärden."))

    def told(chat: str) -> list[str]:
        with transaction(engine) as db:
            return [r.payload["text"] for r in repo.pending_outbox(db, channel="telegram", now=datetime.now(UTC),
                                                                   chat_id=chat)]

    assigned, wrote = told("732")
    assert assigned.startswith(f"Du är tolk i {reference} (svenska)") and f"/translate {reference}" in wrote
    assert any(t.startswith(f"Nytt meddelande i {reference}") for t in told("731"))
    for text in (assigned, wrote, *told("731")):
        assert "hyresvärden" not in text and "Ljusdal" not in text, "no personal data in a notice"


@pytest.mark.parametrize("step", STEPS)
def test_every_step_is_recorded_in_swedish_from_telegram(engine: Engine, step: str) -> None:
    reference = _case(engine)
    anna = add_staff(engine, 741, "Anna")
    fields = {"coordination_checked": "resultat=kontakt_hittad",
              "decision_recorded": 'insats=Boendestöd lagrum="4 kap. 1 § SoL" från=2026-12-01',
              "note": "text=Ringde"}.get(step, "")
    from casework.steps import step_kind

    reply = telegram(engine, "step", f'{reference} "{step_kind(step).name}" 2026-11-20 {fields}', anna).text
    assert f"registrerat 2026-11-20: {step_kind(step).name}" in reply, reply

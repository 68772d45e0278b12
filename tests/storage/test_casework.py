"""The caseworker side on a real database: claims (also concurrent), steps, deadlines, corrections,
closing, interpreters, the queue's order and the record of every read."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from casework import commands
from casework.errors import AlreadyClaimed
from storage import repo
from storage.db import transaction
from storage.models import Staff
from tests.staff import add_staff, execute, telegram
from tests.storage.test_service import Person_
from tests.unit.conversation import FORM1_SV

LOW = FORM1_SV | {"had_support": "no", "lease_ended": "own_choice", "pushed_how": ["none"],
                  "understood": "own_wish", "receiving_contacted": "yes"}
URGENT = FORM1_SV | {"urgent_needs": ["shelter"]}


def _staff(engine: Engine, tg: int, name: str, role: str = "caseworker", languages: list[str] | None = None) -> Staff:
    return add_staff(engine, tg, name, role, languages)


def _case(engine: Engine, persona: dict[str, Any], user: str) -> str:
    Person_(engine, user).answer(persona)
    with transaction(engine) as db:
        person = repo.get_person(db, channel="telegram", external_id=user)
        return repo.get_intake(db, person_id=person.id).reference


def _cmd(engine: Engine, command: str, args: str, staff: Staff | None = None, now: datetime | None = None) -> str:
    return telegram(engine, command, args, staff, now).text


def test_the_queue_puts_deadlines_first_then_priority_then_age(engine: Engine) -> None:
    low = _case(engine, LOW, "1")
    high = _case(engine, FORM1_SV, "2")
    urgent = _case(engine, URGENT, "3")
    anna = _staff(engine, 900, "Anna")
    order = [line.split()[0] for line in _cmd(engine, "queue", "", anna).splitlines()[1:]]
    assert order == [urgent, high, low]
    _cmd(engine, "step", f"{low} transfer_requested", anna)
    order = [line.split()[0] for line in _cmd(engine, "queue", "", anna).splitlines()[1:]]
    assert order[0] == low, "a running IVO clock comes first"


def test_only_one_of_two_caseworkers_gets_the_case(engine: Engine) -> None:
    reference = _case(engine, FORM1_SV, "1")
    anna, bo = _staff(engine, 901, "Anna"), _staff(engine, 902, "Bo")
    assert "Du har tagit" in _cmd(engine, "claim", reference, anna)
    assert "redan taget av Anna" in _cmd(engine, "claim", reference, bo)
    assert "Du har redan" in _cmd(engine, "claim", reference, anna), "claiming your own case again is fine"


def test_concurrent_claims_one_wins(engine: Engine) -> None:
    reference = _case(engine, FORM1_SV, "1")
    people = [_staff(engine, 910 + i, f"Handläggare {i}") for i in range(6)]
    barrier = threading.Barrier(len(people))
    results: list[str] = []

    def press(staff: Staff) -> None:
        barrier.wait()
        try:
            execute(engine, commands.Claim(reference), staff)
            results.append(f"won:{staff.name}")
        except AlreadyClaimed as exc:
            results.append(f"lost:{exc.holder}")

    threads = [threading.Thread(target=press, args=(s,)) for s in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    winners = [r for r in results if r.startswith("won:")]
    assert len(results) == len(people) and len(winners) == 1
    assert all(r == f"lost:{winners[0][4:]}" for r in results if r.startswith("lost:")), "the others are told who"
    with transaction(engine) as db:
        events = [e.kind for e in repo.referral_events(db, referral_id=repo.get_referral(db, reference=reference).id)]
    assert events.count("claimed") == 1


def test_transfer_request_starts_the_clock_and_the_morning_list(engine: Engine) -> None:
    reference = _case(engine, FORM1_SV, "1")
    anna = _staff(engine, 903, "Anna")
    now = datetime(2026, 11, 26, 8, tzinfo=UTC)
    reply = _cmd(engine, "step", f"{reference} transfer_requested 2026-10-20 skickad med post", anna, now)
    assert "Frist för IVO: 2026-11-20" in reply
    assert reference in _cmd(engine, "due", "", anna, now) and "FÖRFALLEN" in _cmd(engine, "due", "", anna, now)
    _cmd(engine, "step", f"{reference} transfer_accepted", anna, now)
    assert "Inga frister" in _cmd(engine, "due", "", anna, now)


def test_a_correction_keeps_both_values_and_reassesses(engine: Engine) -> None:
    reference = _case(engine, FORM1_SV, "1")
    anna = _staff(engine, 904, "Anna")
    reply = _cmd(engine, "edit", f"{reference} had_support no", anna)
    assert "låg" in reply or "low" in reply
    with transaction(engine) as db:
        referral = repo.get_referral(db, reference=reference)
        assert referral.answers["had_support"] == "no" and "support_types" not in referral.answers
        assert referral.level == "low" and 1 not in referral.assessment["forms"]
        history = [(r.question_id, r.value, r.source) for r in repo.answer_history(db, intake_id=referral.intake_id)]
    assert ("had_support", "yes", "person") in history and ("had_support", "no", f"staff:{anna.id}") in history
    assert "Giltiga val" in _cmd(engine, "edit", f"{reference} had_support maybe", anna)
    case = _cmd(engine, "case", reference, anna)
    assert "Rättelser" in case and "Ja → Nej" in case


def test_close_assign_note_and_every_read_is_recorded(engine: Engine) -> None:
    reference = _case(engine, FORM1_SV | {"language": "en", "interpreter": "yes"}, "1")
    anna = _staff(engine, 905, "Anna")
    tolk = _staff(engine, 906, "Tigist", role="interpreter", languages=["ti", "en"])
    other = _staff(engine, 907, "Omar", role="interpreter", languages=["ar"])
    assert "tolkar inte" in _cmd(engine, "assign", f"{reference} {other.id}", anna)
    assert "tolk Tigist" in _cmd(engine, "assign", f"{reference} {tolk.telegram_user_id}", anna)
    _cmd(engine, "note", f"{reference} Ringde personen, bokat möte", anna)
    _cmd(engine, "case", reference, anna)
    assert _cmd(engine, "case", reference) == "Okänt kommando.", "not staff: nothing read, nothing logged"
    assert "avslutat: återvänt till kommunen" in _cmd(engine, "close", f"{reference} returned", anna)
    assert "Okänd anledning" in _cmd(engine, "close", f"{reference} because", anna)
    execute(engine, commands.ShowCase(reference), anna)
    case = _cmd(engine, "case", reference, anna)
    assert "Ringde personen, bokat möte" in case and "tolk: Tigist" in case
    assert "avslutad (återvänt till kommunen)" in case
    with transaction(engine) as db:
        reads = repo.case_reads(db, referral_id=repo.get_referral(db, reference=reference).id)
    assert [(r.actor, r.command, r.shell) for r in reads] == [
        (f"staff:{anna.id}", "case", "telegram"), (f"staff:{anna.id}", "case", "cli"),
        (f"staff:{anna.id}", "case", "telegram")]


def test_unknown_case_and_bad_steps_are_explained(engine: Engine) -> None:
    anna = _staff(engine, 908, "Anna")
    assert "Inget ärende" in _cmd(engine, "case", "SOL-2026-9999", anna)
    reference = _case(engine, FORM1_SV, "1")
    assert "Okänt steg" in _cmd(engine, "step", f"{reference} teleported", anna)
    future = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    assert "framtiden" in _cmd(engine, "step", f"{reference} letter_sent {future}", anna)


@pytest.mark.parametrize("command", ["claim", "step", "close", "due", "edit", "letter", "reply", "release"])
def test_only_caseworkers_and_admins_have_the_casework_commands(command: str) -> None:
    from casework.staff import allowed

    assert allowed("caseworker", command) and allowed("admin", command)
    assert not allowed("interpreter", command) and not allowed(None, command) and not allowed("visitor", command)


def test_letters_are_drafted_from_the_case_and_the_read_is_logged(engine: Engine) -> None:
    import io

    import docx

    reference = _case(engine, FORM1_SV, "1")
    anna = _staff(engine, 920, "Anna Andersson")
    _cmd(engine, "claim", reference, anna)
    _cmd(engine, "step", f"{reference} transfer_requested 2026-10-01", anna)
    _cmd(engine, "step", f"{reference} transfer_refused 2026-10-20", anna)
    for kind in ("official", "transfer", "ivo"):
        reply = telegram(engine, "letter", f"{reference} {kind}", anna)
        assert "Utkast" in reply.text and "namn och personnummer" in reply.text
        (docx_name, docx_bytes), (text_name, text_bytes) = reply.documents
        assert docx_name.endswith(".docx") and text_name.endswith(".txt")
        text_ = text_bytes.decode()
        assert reference in text_ and "Ljusdal" in text_ and "Anna Andersson" in text_
        assert "UPPGIFT SAKNAS" in text_  # the name is never stored: a visible gap, never invented
        paragraphs = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs)
        assert reference in paragraphs
    assert "2 november 2026" in text_ or "1 november 2026" in text_, "the IVO letter states the month's end"
    assert "Okänt brev" in _cmd(engine, "letter", f"{reference} poem", anna)
    with transaction(engine) as db:
        reads = [r.command for r in repo.case_reads(db, referral_id=repo.get_referral(db, reference=reference).id)]
    assert reads == ["letter:official", "letter:transfer", "letter:ivo"]


def test_the_morning_notice_lists_references_and_dates_only(engine: Engine) -> None:
    from bot.telegram.staff import announce_deadlines

    reference = _case(engine, FORM1_SV, "1")
    anna = _staff(engine, 930, "Anna")
    now = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)
    assert not announce_deadlines(engine, "-100777", now), "nothing due: nothing said"
    _cmd(engine, "step", f"{reference} transfer_requested 2026-10-20", anna, now)
    assert announce_deadlines(engine, "-100777", now)
    with transaction(engine) as db:
        rows = repo.pending_outbox(db, channel="telegram", now=now + timedelta(seconds=1), chat_id="-100777")
        [notice] = [r.payload["text"] for r in rows]
    assert f"{reference}: FÖRFALLEN sedan 2026-11-20" in notice
    for personal in ("Ljusdal", "socialen", "Anna"):
        assert personal not in notice

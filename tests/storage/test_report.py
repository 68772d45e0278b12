"""The monthly figures for the municipality, on a real database: every count, the month boundary in
Stockholm time, the masking of small municipality counts, no personal data out, and the chart."""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from casework.report import (
    SMALL_COUNT,
    InvalidMonth,
    MonthlyReport,
    month_bounds,
    monthly_report,
    report_chart,
)
from storage import crypto
from storage.db import transaction
from storage.models import Intake, Person, Referral, ReferralEvent

SECRET_STORY = "Hemlig berättelse om Tobias"
PHONE = "+46 70 765 43 21"
PHONE_DIGITS = "707654321"


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


@dataclass(frozen=True)
class Seed:
    """One referral as the test writes it; `events` are (kind, UTC time)."""

    created: str
    moved_from: str
    forms: list[int]
    level: str
    priority: str
    status: str = "new"
    close_reason: str | None = None
    events: list[tuple[str, str]] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


# created_at in UTC; in November Stockholm is UTC+1, so the month runs 2026-10-31T23:00Z ... 2026-11-30T23:00Z.
SEEDS: list[Seed] = [
    # November (Stockholm time)
    Seed("2026-11-03T09:00Z", "2161", [1], "high", "urgent", "closed", "returned",
         [("submitted", "2026-11-03T09:00Z"), ("claimed", "2026-11-03T10:00Z"),
          ("municipality_contacted", "2026-11-04T09:00Z"), ("letter_sent", "2026-11-06T09:00Z"),
          ("transfer_requested", "2026-11-07T09:00Z"), ("transfer_accepted", "2026-12-02T09:00Z")]),
    Seed("2026-11-05T10:00Z", "2161", [1, 2], "high", "high", "closed", "stays_with_support",
         [("municipality_contacted", "2026-11-06T09:00Z"), ("home_visit_booked", "2026-11-18T09:00Z"),
          ("home_visit_done", "2026-11-20T09:00Z"), ("housing_offered", "2026-11-30T23:30Z")]),
    Seed("2026-11-10T12:00Z", "2161", [], "low", "low", "new"),
    Seed("2026-11-12T08:00Z", "1480", [2], "medium", "medium", "in_progress", None,
         [("note", "2026-11-13T08:00Z")]),
    Seed("2026-11-15T08:00Z", "1480", [], "low", "low", "closed", "returned"),
    Seed("2026-11-20T08:00Z", "2282", [], "low", "urgent", "closed", "no_contact"),
    Seed("2026-11-22T08:00Z", "other", [], "low", "low", "new"),
    Seed("2026-11-25T08:00Z", "dont_know", [1], "medium", "urgent", "closed", "withdrawn"),
    Seed("2026-10-31T23:30Z", "2280", [], "low", "low", "in_progress"),  # 1 Nov 00:30 in Stockholm
    Seed("2026-11-28T08:00Z", "2282", [2], "medium", "medium", "in_progress"),
    # December: 1 Dec 00:30 in Stockholm
    Seed("2026-11-30T23:30Z", "1480", [1], "high", "high", "new", None, [("letter_sent", "2026-12-01T10:00Z")]),
    Seed("2026-12-10T08:00Z", "2161", [2], "medium", "medium", "closed", "returned"),
    # October: 31 Oct 23:30 in Stockholm; its steps in November count in November
    Seed("2026-10-31T22:30Z", "2282", [1], "high", "urgent", "in_progress", None,
         [("letter_sent", "2026-10-31T23:30Z"), ("municipality_contacted", "2026-11-02T09:00Z"),
          ("transfer_refused", "2026-11-10T09:00Z"), ("ivo_applied", "2026-11-11T09:00Z")]),
]


def _seed(engine: Engine, seeds: list[Seed] = SEEDS) -> None:
    with transaction(engine) as db:
        for number, seed in enumerate(seeds, start=1):
            created = _at(seed.created)
            person = Person(channel="telegram", external_id=f"{900000 + number}", chat_id=f"{900000 + number}",
                            language="ar", created_at=created, updated_at=created)
            db.add(person)
            db.flush()
            assert person.id is not None
            answers = {"moved_from": seed.moved_from, "account": [{"text": f"{SECRET_STORY} nr {number}"}],
                       "contact": "phone", "contact_phone": PHONE}
            intake = Intake(person_id=person.id, state="done", answers=answers, texts={"moved_from": "Atlantis"},
                            path=[], started_at=created, updated_at=created, submitted_at=created)
            db.add(intake)
            db.flush()
            assert intake.id is not None
            referral = Referral(
                reference=f"SOL-2026-{number:04d}", person_id=person.id, intake_id=intake.id, language="ar",
                status=seed.status, close_reason=seed.close_reason, priority=seed.priority,
                priority_rank={"urgent": 0, "high": 1, "medium": 2, "low": 3}[seed.priority], level=seed.level,
                likely_dumping=seed.level != "low",
                assessment={"forms": seed.forms, "level": seed.level, "signals": [], "actions": seed.actions},
                rules_version="test", answers=answers, consents={}, created_at=created, updated_at=created)
            db.add(referral)
            db.flush()
            assert referral.id is not None
            for kind, at in seed.events:
                db.add(ReferralEvent(referral_id=referral.id, kind=kind, actor="staff:1", at=_at(at)))


def _report(engine: Engine, month: str) -> MonthlyReport:
    with transaction(engine) as db:
        return monthly_report(db, month=month)


# ------------------------------------------------------------------------- counts
def test_every_count_of_november(engine: Engine) -> None:
    _seed(engine)
    report = _report(engine, "2026-11")
    assert report.month == "2026-11"
    assert report.total == 10
    assert report.by_municipality == [
        ("Ljusdal", 3), ("annan/okänd", 2), ("Göteborg", 2), ("Kramfors", 2), ("Härnösand", 1),
    ]
    assert report.by_form == {"1": 3, "2": 3, "none": 5}
    assert report.by_level == {"high": 2, "medium": 3, "low": 5}
    assert report.urgent == 3
    assert report.by_status == {"new": 2, "in_progress": 3, "closed": 5}
    assert report.by_close_reason == {
        "returned": 2, "stays_with_support": 1, "not_dumping": 0, "no_contact": 1, "withdrawn": 1,
    }
    assert report.steps == {
        "coordination_checked": 0, "municipality_contacted": 3, "letter_sent": 2, "decision_recorded": 0,
        "transfer_requested": 1, "transfer_accepted": 0, "transfer_refused": 1, "ivo_applied": 1,
        "home_visit_done": 1, "housing_offered": 0,
    }
    assert report.by_action == {}  # the seeds' assessments recommend nothing


def test_recommended_actions_are_counted_per_referral_and_named_in_swedish(engine: Engine) -> None:
    likely = ["contact_municipality", "ask_consent_contact", "check_coordination", "document_account",
              "official_letter"]
    _seed(engine, [
        Seed("2026-11-03T09:00Z", "2161", [1], "high", "high", actions=[*likely, "transfer_request"]),
        Seed("2026-11-04T09:00Z", "2161", [2], "high", "high", actions=[*likely, "ask_consent_home_visit"]),
        Seed("2026-11-05T09:00Z", "1480", [], "low", "low", actions=["home_visit"]),
    ])
    report = _report(engine, "2026-11")
    assert report.by_action == {"contact_municipality": 2, "ask_consent_contact": 2, "check_coordination": 2,
                                "document_account": 2, "official_letter": 2, "transfer_request": 1,
                                "home_visit": 1, "ask_consent_home_visit": 1}
    table = report.table()
    assert "kontrollera samverkan i egna register (1.1)" in table and "check_coordination" not in table
    assert "fråga om samtycke till hembesök (2.3)" in table
    assert report.to_dict()["by_action"]["transfer_request"] == 1


def test_december_and_october_get_what_crosses_the_boundary(engine: Engine) -> None:
    _seed(engine)
    december = _report(engine, "2026-12")
    # 2026-11-30T23:30Z is 1 December 00:30 in Stockholm: December's, with its events.
    assert december.total == 2
    assert december.by_municipality == [("Göteborg", 1), ("Ljusdal", 1)]
    assert december.by_form == {"1": 1, "2": 1, "none": 0}
    assert december.by_level == {"high": 1, "medium": 1, "low": 0}
    assert december.urgent == 0
    assert december.by_status == {"new": 1, "in_progress": 0, "closed": 1}
    assert december.by_close_reason["returned"] == 1
    assert december.steps["transfer_accepted"] == 1
    assert december.steps["housing_offered"] == 1  # recorded 2026-11-30T23:30Z
    assert december.steps["letter_sent"] == 1
    assert sum(december.steps.values()) == 3

    october = _report(engine, "2026-10")
    assert october.total == 1  # 2026-10-31T22:30Z; the one at 23:30Z is November's
    assert october.by_municipality == [("Kramfors", 1)]
    assert october.urgent == 1
    assert sum(october.steps.values()) == 0  # its letter at 23:30Z was sent on 1 November, Stockholm time


def test_an_empty_month_has_every_key_at_zero(engine: Engine) -> None:
    _seed(engine)
    report = _report(engine, "2027-01")
    assert report.total == 0 and report.urgent == 0 and report.by_municipality == []
    assert report.by_form == {"1": 0, "2": 0, "none": 0}
    assert report.by_level == {"high": 0, "medium": 0, "low": 0}
    assert report.by_status == {"new": 0, "in_progress": 0, "closed": 0}
    assert set(report.by_close_reason) == {"returned", "stays_with_support", "not_dumping", "no_contact", "withdrawn"}
    assert not any(report.by_close_reason.values()) and not any(report.steps.values())
    assert len(report.steps) == 10
    assert report_chart(report).startswith(b"\x89PNG\r\n\x1a\n")


def test_encrypted_answers_are_read_through_the_model(engine: Engine) -> None:
    crypto.configure(crypto.generate_key())
    _seed(engine)
    with engine.connect() as conn:
        raw = [str(v) for v in conn.execute(text("SELECT answers FROM referral")).scalars()]
    assert raw and all("enc1" in v and "moved_from" not in v for v in raw)  # really sealed at rest
    report = _report(engine, "2026-11")
    assert report.by_municipality[0] == ("Ljusdal", 3)
    assert report.total == 10


@pytest.mark.parametrize(
    ("month", "start", "end"),
    [
        ("2026-11", "2026-10-31T23:00Z", "2026-11-30T23:00Z"),  # winter time
        ("2026-12", "2026-11-30T23:00Z", "2026-12-31T23:00Z"),  # into the next year
        ("2026-07", "2026-06-30T22:00Z", "2026-07-31T22:00Z"),  # summer time
        ("2026-03", "2026-02-28T23:00Z", "2026-03-31T22:00Z"),  # the clocks go forward on 29 March
    ],
)
def test_a_month_is_a_calendar_month_in_stockholm(month: str, start: str, end: str) -> None:
    assert month_bounds(month) == (_at(start), _at(end))


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2026-1", "26-11", "november", "2026-11-01", ""])
def test_a_month_that_is_not_yyyy_mm_is_refused(month: str) -> None:
    with pytest.raises(InvalidMonth):
        month_bounds(month)


# ------------------------------------------------------------------------- what is shown
def test_small_municipality_counts_are_masked_and_do_not_betray_their_order(engine: Engine) -> None:
    _seed(engine)
    report = _report(engine, "2026-11")
    shown = report.to_dict()
    # 3 is shown; 1 and 2 are "<3", listed after the others by name, so Kramfors' 2 does not come
    # before Härnösand's 1.
    assert shown["by_municipality"] == [
        {"municipality": "Ljusdal", "count": 3},
        {"municipality": "annan/okänd", "count": "<3"},
        {"municipality": "Göteborg", "count": "<3"},
        {"municipality": "Härnösand", "count": "<3"},
        {"municipality": "Kramfors", "count": "<3"},
    ]
    assert shown["small_counts_masked_below"] == SMALL_COUNT
    assert json.loads(json.dumps(shown)) == shown  # JSON-serialisable as it is
    assert shown["total"] == 10 and shown["by_form"] == {"1": 3, "2": 3, "none": 5}

    rows = {line.split()[0]: line.split()[-1] for line in _section(report.table(), "Remisser per kommun")}
    assert rows == {"Ljusdal": "3", "annan/okänd": "<3", "Göteborg": "<3", "Härnösand": "<3", "Kramfors": "<3"}


def _section(table: str, heading: str) -> list[str]:
    lines = table.splitlines()
    start = lines.index(heading) + 2  # the heading, then its rule
    end = lines.index("", start)
    return lines[start:end]


def test_the_table_is_swedish_aligned_and_complete(engine: Engine) -> None:
    _seed(engine)
    table = _report(engine, "2026-11").table()
    assert table.startswith("Anmälda misstänkta fall av social dumpning, november 2026\n")
    for heading in ("Remisser per kommun", "Remisser per form", "Remisser per nivå", "Status",
                    "Avslutade, per orsak", "Åtgärder registrerade under månaden"):
        assert heading in table.splitlines()
    rows = [line for line in table.splitlines() if line.startswith("  ")]
    assert len({len(line) for line in rows}) == 1  # one column of counts, right-aligned
    assert "varav brådskande" in table and "Ingen form" in table and "Hög" in table
    assert [line.split()[-1] for line in _section(table, "Remisser per nivå")] == ["2", "3", "5"]
    assert _section(table, "Status")[2].split() == ["Avslutad", "5"]
    assert "<3" in table and "visas som <3" in table  # the masking is explained where it is used


def test_no_personal_data_in_the_table_or_the_dict(engine: Engine) -> None:
    _seed(engine)
    for month in ("2026-10", "2026-11", "2026-12"):
        report = _report(engine, month)
        for shown in (report.table(), json.dumps(report.to_dict(), ensure_ascii=False)):
            assert "SOL-" not in shown
            assert SECRET_STORY not in shown and "Tobias" not in shown and "Atlantis" not in shown
            assert PHONE not in shown and PHONE_DIGITS not in shown.replace(" ", "")
            assert "telegram" not in shown and "9000" not in shown  # no chat or user ids
            assert "staff:1" not in shown


def test_the_masking_without_a_database() -> None:
    report = MonthlyReport(
        month="2026-05", total=7, by_municipality=[("Stockholm", 4), ("Ånge", 2), ("Arjeplog", 1)],
        by_form={"1": 0, "2": 0, "none": 7}, by_level={"high": 0, "medium": 0, "low": 7}, urgent=0,
        by_status={"new": 7, "in_progress": 0, "closed": 0}, by_close_reason={}, steps={},
    )
    assert report.municipality_rows() == [("Stockholm", 4), ("Arjeplog", "<3"), ("Ånge", "<3")]
    assert "maj 2026" in report.title


# ------------------------------------------------------------------------- the chart
def test_the_chart_is_a_png_of_a_sensible_size(engine: Engine) -> None:
    _seed(engine)
    png = report_chart(_report(engine, "2026-11"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert 800 <= width <= 3000 and 500 <= height <= 3000
    assert 10_000 < len(png) < 2_000_000


def test_the_chart_grows_with_many_municipalities() -> None:
    many = [(f"Kommun {i:02d}", 30 - i) for i in range(30)]
    report = MonthlyReport(
        month="2026-11", total=sum(n for _, n in many), by_municipality=many,
        by_form={"1": 100, "2": 50, "none": 300}, by_level={"high": 100, "medium": 100, "low": 235}, urgent=12,
        by_status={"new": 435, "in_progress": 0, "closed": 0}, by_close_reason={}, steps={},
    )
    png = report_chart(report)
    _, height = struct.unpack(">II", png[16:24])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and height > 900

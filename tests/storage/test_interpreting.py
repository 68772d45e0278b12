"""The transcript and the interpreter's work on a real database (SQLite, and PostgreSQL in CI): the export in
order and complete, both languages, files sealed and erased with the person, drafts and their verification,
who may read what, replies to the person, catalog reports, and the caseworker's notice."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from bot import staffcmd
from bot.transcript_html import to_html
from casework import commands
from casework.errors import UnknownCase
from casework.interpreting import announce_person_message
from casework.permissions import Actor, Shell, authorize
from casework.transcript import Transcript, to_json
from dialogs import prompts
from dialogs.events import Command, Config, Event, Media, Text
from dialogs.i18n import render
from storage import crypto, repo
from storage import interpreting as store
from storage.db import transaction
from storage.models import Staff
from storage.rotate import reseal
from tests.staff import add_staff, execute, telegram
from tests.storage import test_service
from tests.storage.test_service import Person_
from tests.unit.conversation import FORM1_SV

STORY = "قالوا لي إنني يجب أن أنتقل <b>فورًا</b>"
ARABIC = FORM1_SV | {"language": "ar", "interpreter": "yes", "account": "text:" + STORY}


@pytest.fixture(autouse=True)
def _arabic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(test_service, "CONFIG", Config(languages=("sv", "en", "ar")))


def _intake(engine: Engine, user: str = "31", *, media_in_account: bool = True) -> tuple[Person_, str]:
    """An Arabic intake: the story as text (and a voice message) in `account`, then submitted."""
    person = Person_(engine, user)
    story: list[Event] = [Text(STORY)]
    if media_in_account:
        story.append(Media("voice", "VOICE-1", "U-VOICE-1", None, "audio/ogg", 2048))
    person.answer(ARABIC, account=story)
    with transaction(engine) as db:
        found = repo.get_person(db, channel="telegram", external_id=user)
        reference = repo.get_intake(db, person_id=found.id).reference
    assert reference
    return person, reference


def _staff(engine: Engine, tg: int, name: str, role: str, languages: list[str] | None = None) -> Staff:
    return add_staff(engine, tg, name, role, languages)


def _cmd(engine: Engine, command: str, args: str, staff: Staff) -> staffcmd.StaffReply:
    return telegram(engine, command, args, staff)


def _admin(engine: Engine) -> Staff:
    with transaction(engine) as db:
        found = repo.get_staff(db, telegram_user_id=999)
    return found or _staff(engine, 999, "Ada Admin", "admin")


def _read(engine: Engine, reference: str) -> Transcript:
    return execute(engine, commands.ShowTranscript(reference), _admin(engine)).data


def _export(engine: Engine, reference: str) -> list[dict[str, Any]]:
    return to_json(_read(engine, reference))


def _line(lines: list[dict[str, Any]], **match: Any) -> dict[str, Any]:
    return next(ln for ln in lines if all(ln.get(k) == v for k, v in match.items()))


def test_the_transcript_has_every_message_in_order_in_both_languages(engine: Engine) -> None:
    person, reference = _intake(engine)
    person.send(Text("رسالة بعد الإرسال"))
    person.send(Command("language"))
    with transaction(engine) as db:
        stored = repo.transcript(db, person_id=repo.get_referral(db, reference=reference).person_id)
    lines = _export(engine, reference)
    assert [ln["n"] for ln in lines] == list(range(1, len(stored) + 1)), "every entry, numbered in order"
    assert [ln["time"] for ln in lines] == sorted(ln["time"] for ln in lines)
    assert [(ln["direction"], ln["kind"]) for ln in lines] == [(e.direction, e.kind) for e in stored]
    for ln in lines:
        assert set(ln) >= {"n", "direction", "time", "kind", "text", "text_sv", "files", "translation"}
        if ln["direction"] == "out":
            assert ln["text"] and ln["text_sv"], ln
    story = _line(lines, text=STORY)
    assert story["direction"] == "in" and story["translation"] == {"status": "missing"} and story["text_sv"] is None
    voice = _line(lines, kind="voice")
    assert voice["files"] == [{"id": None, "kind": "voice", "status": "not_fetched", "mime": "audio/ogg", "size": 2048,
                               "sha256": None, "file_name": None}]
    submitted = prompts.submitted(reference, test_service.CONFIG).texts[0]
    thanks = next(ln for ln in lines if (ln["text_sv"] or "").startswith(render(submitted, "sv")))
    assert thanks["text"].startswith(render(submitted, "ar")) and thanks["language"] == "ar"
    assert _line(lines, text="رسالة بعد الإرسال")["translation"] == {"status": "missing"}
    # a typed municipality name is an answer, not a message to translate
    assert _line(lines, text="Ljusdal")["translation"] is None
    # a pressed button shows as its label in both languages
    press = _line(lines, kind="press", text_sv="Ja")
    assert press["text"] != "Ja" and press["sender"] == "person"
    with transaction(engine) as db:
        reads = repo.case_reads(db, referral_id=repo.get_referral(db, reference=reference).id)
    assert [(r.actor, r.command, r.shell) for r in reads] == [(f"staff:{_admin(engine).id}", "transcript", "cli")]


def test_a_translation_is_a_draft_until_verified_with_who_and_when(engine: Engine) -> None:
    _, reference = _intake(engine)
    anna = _staff(engine, 801, "Anna Handläggare", "caseworker")
    omar = _staff(engine, 802, "Omar Tolk", "interpreter", ["ar"])
    lina = _staff(engine, 803, "Lina Tolk", "interpreter", ["ar"])
    _cmd(engine, "assign", f"{reference} {omar.id}", anna)
    n = _line(_export(engine, reference), text=STORY)["n"]
    shown = _cmd(engine, "translate", reference, omar).text
    assert f"rad {n}" in shown and STORY in shown, "the next open line, verbatim"
    assert "utkast sparat" in _cmd(engine, "translate", f"{reference} {n} De sa att jag måste flytta genast",
                                   omar).text
    line = _line(_export(engine, reference), n=n)
    assert line["text_sv"] == "De sa att jag måste flytta genast"
    assert line["translation"]["status"] == "draft" and line["translation"]["translated_by"] == "Omar Tolk"
    assert line["translation"]["translated_at"] and line["translation"]["verified_by"] is None
    assert "översätts" in _cmd(engine, "translate", f"{reference} 1 hej", omar).text, "not a message of the person"
    assert _cmd(engine, "verify", reference, lina).text == f"Inget ärende {reference}.", "not her case"
    _cmd(engine, "assign", f"{reference} {lina.id}", anna)
    assert "0 översättningar" in _cmd(engine, "verify", reference, lina).text, "only one's own drafts"
    _cmd(engine, "assign", f"{reference} {omar.id}", anna)
    assert "1 översättning verifierad" in _cmd(engine, "verify", reference, omar).text
    line = _line(_export(engine, reference), n=n)
    assert line["translation"]["status"] == "verified" and line["translation"]["verified_by"] == "Omar Tolk"
    assert line["translation"]["verified_at"] >= line["translation"]["translated_at"]
    case = _cmd(engine, "case", reference, anna).text
    assert STORY in case and "De sa att jag måste flytta genast" in case and "verifierad av Omar Tolk" in case
    # a new draft of a verified line is a draft again; the line's own verify marks it
    _cmd(engine, "assign", f"{reference} {lina.id}", anna)
    _cmd(engine, "translate", f"{reference} {n} De sa att jag måste flytta", lina)
    assert _line(_export(engine, reference), n=n)["translation"]["status"] == "draft"
    _cmd(engine, "assign", f"{reference} {omar.id}", anna)
    assert "1 översättning verifierad" in _cmd(engine, "verify", f"{reference} {n}", omar).text
    assert _cmd(engine, "verify", f"{reference} {n}", anna).text == f"Inget ärende {reference}.", \
        "a caseworker does not verify an interpreter's Arabic"


def test_only_the_assigned_interpreter_reaches_a_referral(engine: Engine) -> None:
    _, reference = _intake(engine, media_in_account=False)
    anna = _staff(engine, 811, "Anna", "caseworker")
    omar = _staff(engine, 812, "Omar", "interpreter", ["ar"])
    lina = _staff(engine, 813, "Lina", "interpreter", ["ar"])
    _cmd(engine, "assign", f"{reference} {omar.id}", anna)
    with transaction(engine) as db:
        for action in ("read_transcript", "read_case", "translate", "verify", "report_line"):
            assert authorize(db, Actor(omar.id, Shell.TELEGRAM), action, reference).referral is not None
            for who, ref in ((lina, reference), (lina, "SOL-2026-9999"), (anna, reference)):
                if who is anna and action.startswith("read_"):
                    continue
                with pytest.raises(UnknownCase) as refused:
                    authorize(db, Actor(who.id, Shell.TELEGRAM), action, ref)
                assert str(refused.value) == f"Inget ärende {ref}.", "the same words as a case that does not exist"
        assert authorize(db, Actor(anna.id, Shell.TELEGRAM), "read_transcript", reference).referral is not None
        assert authorize(db, Actor(lina.id, Shell.TELEGRAM), "stop_translating").referral is None


def test_the_html_record_has_both_columns_and_right_to_left_arabic(engine: Engine) -> None:
    _, reference = _intake(engine, media_in_account=False)
    html = to_html(_read(engine, reference))
    assert '<th lang="ar" dir="rtl">العربية</th>' in html and '<th lang="sv">Svenska</th>' in html
    assert html.count('<td lang="ar" dir="rtl">') > 20 and html.count('<td lang="sv" dir="ltr">') > 20
    assert "&lt;b&gt;" in html and "<b>فورًا" not in html, "what the person wrote is escaped"
    assert reference in html and "@page" in html and "Inte översatt än" in html


def test_files_are_sealed_rotated_and_go_with_the_person(engine: Engine) -> None:
    first = crypto.generate_key()
    crypto.configure(first)
    _, reference = _intake(engine)
    with transaction(engine) as db:
        referral = repo.get_referral(db, reference=reference)
        entry = next(e for e in repo.transcript(db, person_id=referral.person_id) if e.kind == "voice")
        store.note_file(db, entry_id=entry.id, kind="voice", status="stored", now=datetime.now(UTC),
                        content=b"OggS voice", size=10)
        store.add_translation(db, entry_id=entry.id, text="Hej", translator="cli:test", now=datetime.now(UTC))
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT content FROM stored_file")).scalar_one()
    assert bytes(raw).startswith(b"enc1:") and b"voice" not in bytes(raw)
    omar = _staff(engine, 861, "Omar", "interpreter", ["ar"])
    with transaction(engine) as db:
        assert store.file_content(db, entry_id=entry.id) == b"OggS voice"
        message = store.add_message(db, message=store.CaseworkerMessage(
            referral_id=referral.id, author="cli:test", text_sv="Hej", language="ar", created_at=datetime.now(UTC)))
        store.set_translating(db, staff_id=omar.id, referral_id=referral.id, entry_id=None, message_id=message.id,
                              now=datetime.now(UTC))
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT text_sv FROM caseworker_message")).scalar_one()
    assert raw.startswith("enc1:")
    second = crypto.generate_key()
    crypto.configure(f"{second},{first}")
    with transaction(engine) as db:
        assert reseal(db) >= 3  # the key is rotated (`intake db rotate-key`): the old one can go
    crypto.configure(second)
    with transaction(engine) as db:
        assert store.file_content(db, entry_id=entry.id) == b"OggS voice"
        repo.erase_person(db, person_id=referral.person_id)
    with engine.connect() as conn:
        for table in ("stored_file", "translation", "caseworker_message", "translating"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table


def test_a_standard_reply_goes_out_in_the_persons_language(engine: Engine) -> None:
    person, reference = _intake(engine, media_in_account=False)
    anna = _staff(engine, 821, "Anna", "caseworker")
    reply = _cmd(engine, "reply", f"{reference} meeting 2026-12-03 14:00 Storgatan 1, Sollefteå", anna).text
    assert "skickat till personen på arabiska" in reply and "3 december 2026" in reply
    person._read_outbox()
    sent = person.sent[-1]["text"]
    msg = prompts.STANDARD_REPLIES["meeting"].with_params(date=datetime(2026, 12, 3).date(), time="14:00",
                                                          place="Storgatan 1, Sollefteå")
    assert render(msg, "ar") in sent and render(prompts.caseworker_header(reference), "ar") in sent
    line = _export(engine, reference)[-1]
    assert line["sender"] == "caseworker" and line["text_sv"].endswith(render(msg, "sv"))
    assert "Använd" in _cmd(engine, "reply", f"{reference} call", anna).text
    assert "Tid som" in _cmd(engine, "reply", f"{reference} meeting 2026-12-03 noon Kontoret", anna).text


def test_free_text_waits_for_the_interpreter_or_goes_in_swedish(engine: Engine) -> None:
    person, reference = _intake(engine, media_in_account=False)
    anna = _staff(engine, 831, "Anna", "caseworker")
    omar = _staff(engine, 832, "Omar", "interpreter", ["ar"])
    _cmd(engine, "assign", f"{reference} {omar.id}", anna)
    person._read_outbox()
    before = len(person.sent)
    assert "väntar på Omars översättning" in _cmd(engine, "reply", f"{reference} Vi ringer dig på måndag.", anna).text
    person._read_outbox()
    assert len(person.sent) == before, "nothing goes to the person before the translation"
    shown = _cmd(engine, "translate", reference, omar).text
    assert "r1" in shown and "Vi ringer dig på måndag." in shown
    assert "skickat" in _cmd(engine, "translate", f"{reference} r1 سنتصل بك يوم الاثنين.", omar).text
    person._read_outbox()
    assert person.sent[-1]["text"].endswith("سنتصل بك يوم الاثنين.")
    line = _export(engine, reference)[-1]
    assert line["text"].endswith("سنتصل بك يوم الاثنين.") and line["text_sv"].endswith("Vi ringer dig på måndag.")
    assert line["translation"]["translated_by"] == "Omar"
    assert "på svenska" in _cmd(engine, "reply", f"{reference} --swedish Välkommen på tisdag.", anna).text
    person._read_outbox()
    assert person.sent[-1]["text"].endswith("Välkommen på tisdag.")
    # after the quick exit the phone may be watched: only on purpose
    person.send(Command("exit"))
    assert "snabbutgången" in _cmd(engine, "reply", f"{reference} received", anna).text
    assert "skickat" in _cmd(engine, "reply", f"{reference} received --force", anna).text


def test_an_interpreter_reports_a_sentence_of_the_catalog(engine: Engine, database_url: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _, reference = _intake(engine, media_in_account=False)
    omar = _staff(engine, 841, "Omar Tolk", "interpreter", ["ar"])
    _cmd(engine, "assign", f"{reference} {omar.id}", _staff(engine, 842, "Anna", "caseworker"))
    lines = _export(engine, reference)
    thanks = next(ln for ln in lines if ln["direction"] == "out" and ln["language"] == "ar"
                  and len(ln["msgids"]) == 3)
    assert "delar" in _cmd(engine, "reportline", f"{reference} {thanks['n']} oklart", omar).text
    assert "sparad" in _cmd(engine, "reportline", f"{reference} {thanks['n']}.2 «ملف» borde vara «قضية»", omar).text
    assert "inte botens" in _cmd(engine, "reportline", f"{reference} 1 fel", omar).text
    with transaction(engine) as db:
        [report] = store.catalog_reports(db, language="ar")
    assert report.msgid == thanks["msgids"][1]["msgid"] and "{days}" in (report.translation or "")
    assert report.reporter == f"staff:{omar.id}" and report.source == f"{reference} rad {thanks['n']}.2"
    from bot.cli import app

    monkeypatch.setenv("INTAKE_DATABASE_URL", database_url)
    out = CliRunner().invoke(app, ["catalog", "reports", "--lang", "ar"])
    assert out.exit_code == 0 and "Omar Tolk" in out.output and "borde vara" in out.output
    out = CliRunner().invoke(app, ["transcript", reference, "--format", "json"])
    assert out.exit_code == 2 and "--as" in out.output, "the command line acts as a named staff member"
    admin = _admin(engine)
    out = CliRunner().invoke(app, ["transcript", reference, "--format", "json", "--as", str(admin.telegram_user_id)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)[0]["n"] == 1
    out = CliRunner().invoke(app, ["translate", reference, "--entry", "1", "--text", "x", "--as", str(admin.id)])
    assert out.exit_code == 1 and "översätts" in out.output


def test_the_caseworker_hears_of_a_new_message_without_its_content(engine: Engine) -> None:
    _, reference = _intake(engine, media_in_account=False)
    anna = _staff(engine, 851, "Anna", "caseworker")
    with transaction(engine) as db:
        assert not announce_person_message(db, reference=reference, now=datetime.now(UTC)), "no caseworker yet"
    _cmd(engine, "claim", reference, anna)
    with transaction(engine) as db:
        assert announce_person_message(db, reference=reference, now=datetime.now(UTC))
        [notice] = repo.pending_outbox(db, channel="telegram", now=datetime.now(UTC), chat_id="851")
    assert notice.payload["text"].startswith(f"Nytt meddelande i {reference}")
    assert STORY not in notice.payload["text"]

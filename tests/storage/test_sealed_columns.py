"""With INTAKE_ENCRYPTION_KEY set, no personal text is readable in the database (issue 15, point 4).

Two views of the same promise: the schema walk fails on any text, JSON or binary column that is not
sealed unless the allow-list below says why it holds no personal text; and a database filled through
the real commands (an unfinished intake with a typed place, a case with notes, steps, corrections and
standard replies with a phone number and a meeting place) is searched byte by byte, as `strings` would,
for every one of those texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import JSON, Engine, LargeBinary, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table)
from dialogs.events import Command, Config, Press, Text
from storage import crypto
from tests.storage import test_service
from tests.storage.test_interpreting import _cmd, _intake, _staff
from tests.storage.test_service import Person_
from tests.unit.conversation import FORM1_SV

# Columns that hold no personal text, each with the reason. A new text, JSON or binary column is sealed
# (storage.crypto.SealedText / SealedJSON, storage.interpreting.SealedBytes) or added here with its reason.
ALLOWED: dict[str, str] = {
    "answer_record.question_id": "a question id of the question table",
    "answer_record.source": "'person' or 'caseworker:<staff id>'",
    "case_read.actor": "staff:<id> or cli:<os user>",
    "case_read.command": "the command's name",
    "caseworker_message.author": "staff:<id> or cli:<os user>",
    "caseworker_message.language": "a language id",
    "caseworker_message.translator": "staff:<id> or cli:<os user>",
    "caseworker_message.status": "waiting / sent",
    "catalog_report.language": "a language id",
    "catalog_report.msgid": "the bot's own source text",
    "catalog_report.context": "a msgctxt of the bot's catalog",
    "catalog_report.translation": "the bot's own catalog text, placeholders unfilled",
    "catalog_report.source": "a reference and a line number",
    "catalog_report.reporter": "staff:<id> or cli:<os user>",
    "consent.consent": "a consent id",
    "consent.value": "yes / no",
    "consent.language": "a language id",
    "consent.text_version": "a hash of the text shown",
    "consent.text_sha256": "a hash of the text shown",
    "inbox_update.chat_id": "Telegram's chat id, needed to process one chat in order",
    "intake.state": "a question id",
    "intake.language": "a language id",
    "intake.suggested": "a language id",
    "intake.path": "question ids",
    "intake.resume": "a question id",
    "intake.reference": "the case reference",
    "outbox_message.channel": "telegram / console",
    "outbox_message.chat_id": "Telegram's chat id, needed to send",
    "outbox_message.action": "an outbox action",
    "outbox_message.status": "an outbox status",
    "person.channel": "telegram / console",
    "person.external_id": "Telegram's user id, needed to recognise the person",
    "person.chat_id": "Telegram's chat id, needed to answer",
    "person.language": "a language id",
    "referral.reference": "the case reference",
    "referral.language": "a language id",
    "referral.status": "a case status",
    "referral.close_reason": "a close reason id",
    "referral.priority": "a priority id",
    "referral.level": "a level id",
    "referral.rules_version": "the rule table's version",
    "referral.consents": "consent ids and yes / no",
    "referral.moved_from": "a kommunkod, other or dont_know (a typed name is in the sealed texts)",
    "case_read.shell": "telegram / cli / web",
    "referral_event.kind": "an event kind",
    "referral_event.actor": "staff:<id>, cli:<os user> or person",
    "staff.name": "a staff member's own name, shown to colleagues",
    "staff.role": "a role id",
    "staff.languages": "language ids",
    "stored_file.kind": "a file kind",
    "stored_file.status": "a download status",
    "stored_file.mime": "a MIME type, normalised to type/subtype (anything else is not kept)",
    "stored_file.sha256": "a hash of the content",
    "transcript_entry.direction": "in / out",
    "transcript_entry.kind": "a message kind of a fixed list",
    "transcript_entry.language": "a language id",
    "translation.status": "draft / verified",
    "translation.translator": "staff:<id> or cli:<os user>",
    "translation.verified_by": "staff:<id> or cli:<os user>",
    "staff_account.email": "a staff member's own sign-in e-mail",
    "staff_account.password_hash": "a password hash (argon2id)",
    "web_session.token_sha256": "a hash of the session token",
    "web_session.csrf": "a random form token",
    "web_session.method": "password / oidc / link",
    "web_session.address": "the client's address, for the staff member's own sessions",
    "sign_in_attempt.account": "what was typed as a staff e-mail at sign-in, kept a day against guessing",
    "sign_in_attempt.address": "the client's address, kept a day against guessing",
    "sign_in_link.token_sha256": "a hash of a one-time link",
    "sign_in_link.purpose": "first_admin / enrol",
    "sign_in_flow.cookie_sha256": "a hash of the sign-in cookie",
}


def _holds_text(column: object) -> bool:
    kind = column.type  # type: ignore[attr-defined]
    base = kind.impl if isinstance(kind, TypeDecorator) else kind
    return isinstance(base, String | JSON | LargeBinary) or isinstance(kind, String | JSON | LargeBinary)


def test_every_text_json_or_binary_column_is_sealed_or_allowed_with_a_reason() -> None:
    unsealed, seen = [], set()
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            name = f"{table.name}.{column.name}"
            if not _holds_text(column):
                continue
            seen.add(name)
            if not getattr(column.type, "sealed", False) and name not in ALLOWED:
                unsealed.append(name)
    assert not unsealed, f"personal text in the clear when a key is set: seal these or allow them: {unsealed}"
    assert not set(ALLOWED) - seen, f"the allow-list names columns that are gone: {sorted(set(ALLOWED) - seen)}"


MARKERS = {
    "typed place": "Xyzzyqwerty",
    "note": "MARKERNOTE kommer till kontoret",
    "step text": "MARKERSTEP ringde kommunen",
    "meeting place": "MARKERPLACE Storgatan",
    "call phone": "0709998877",
    "corrected phone": "701112233",
}


@pytest.fixture(autouse=True)
def _arabic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(test_service, "CONFIG", Config(languages=("sv", "en", "ar")))


def test_no_personal_text_is_readable_in_the_database_file(engine: Engine, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("reads the SQLite file as `strings` would; the schema walk covers PostgreSQL")
    crypto.configure(crypto.generate_key())
    # an unfinished intake: the place the person typed is in the open question's live text
    waiting = Person_(engine, "77")
    waiting.send(Command("start"))
    for _ in range(60):
        qid = waiting.open_question
        if qid == "moved_from":
            break
        want = FORM1_SV.get(qid)
        if isinstance(want, list):
            for choice in want:
                waiting.send(Press(f"q:{qid}:{choice}"))
            waiting.send(Press(f"q:{qid}:done"))
        else:
            waiting.send(Press(f"q:{qid}:{want}"))
    assert waiting.open_question == "moved_from"
    waiting.send(Text(MARKERS["typed place"]))
    # a case with a caseworker's notes, steps, a correction and standard replies
    _, reference = _intake(engine, media_in_account=False)
    anna = _staff(engine, 881, "Anna", "caseworker")
    _cmd(engine, "claim", reference, anna)
    _cmd(engine, "note", f"{reference} {MARKERS['note']}", anna)
    _cmd(engine, "step", f"{reference} municipality_contacted '{MARKERS['step text']}'", anna)
    _cmd(engine, "reply", f"{reference} meeting 2026-12-03 14:00 {MARKERS['meeting place']}", anna)
    _cmd(engine, "reply", f"{reference} call {MARKERS['call phone']}", anna)
    assert "=" in _cmd(engine, "edit", f"{reference} contact_phone 0{MARKERS['corrected phone']}", anna).text
    engine.dispose()
    path = Path(database_url.removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    found = {what for what, text in MARKERS.items() if text.encode() in raw}
    assert not found, f"readable in the database file with a key set: {sorted(found)}"

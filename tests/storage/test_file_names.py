"""Files written or sent for staff get names the system makes (reference, line, kind, an extension from
the MIME type): a person's own file name never becomes a path (issue 15, point 1), and a name with bidi
controls is shown with them visible (point 7)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.transcript_html import to_html
from dialogs.events import Config, Media
from storage import interpreting as store
from storage import repo
from storage.db import transaction
from tests.storage import test_service
from tests.storage.test_interpreting import _admin, _cmd, _export, _intake, _read, _staff


@pytest.fixture(autouse=True)
def _arabic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(test_service, "CONFIG", Config(languages=("sv", "en", "ar")))


HOSTILE = (".env", "../../../planted.sh", "intake.db", "report\u202efdp.exe")


def _send_documents(engine: Engine, person: object, names: tuple[str, ...], absolute: Path) -> dict[int, str]:
    """The person sends documents with these names after submitting; each is downloaded (stored)."""
    for i, name in enumerate((*names, str(absolute))):
        person.send(Media("document", f"DOC-{i}", f"U-DOC-{i}", name, "application/pdf", 9))  # type: ignore[attr-defined]
    lines: dict[int, str] = {}
    with transaction(engine) as db:
        person_id = repo.get_person(db, channel="telegram", external_id=person.user).id  # type: ignore[attr-defined]
        for n, entry in enumerate(repo.transcript(db, person_id=person_id), start=1):
            if entry.kind == "document":
                store.note_file(db, entry_id=entry.id, kind="document", status="stored", now=datetime.now(UTC),
                                content=b"%PDF-1.4\n", size=9, mime="application/pdf",
                                file_name=(entry.data or {}).get("file_name"))
                lines[n] = (entry.data or {}).get("file_name")
    return lines


def test_a_persons_file_name_never_becomes_a_path(engine: Engine, database_url: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    person, reference = _intake(engine, media_in_account=False)
    absolute = tmp_path / "absolute.sh"
    lines = _send_documents(engine, person, HOSTILE, absolute)
    assert len(lines) == len(HOSTILE) + 1
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("INTAKE_DATABASE_URL", database_url)
    from bot.cli import app

    admin = str(_admin(engine).id)
    before = {p for p in tmp_path.rglob("*")}
    for n in lines:
        out = CliRunner().invoke(app, ["translate", reference, "--entry", str(n), "--as", admin])
        assert out.exit_code == 0, out.output
        out = CliRunner().invoke(app, ["queue", "file", reference, str(n), "--as", admin])
        assert out.exit_code == 0, out.output
    out = CliRunner().invoke(app, ["transcript", reference, "--files", "files", "--as", admin])
    assert out.exit_code == 0, out.output
    written = {p for p in tmp_path.rglob("*")} - before
    expected = {f"{reference}-rad{n}-document.pdf" for n in lines}
    assert {p.name for p in written if p.is_file()} == expected, "only names the system made"
    assert all(p.parent in (work, work / "files") for p in written if p.is_file())
    assert not (work / ".env").exists() and not absolute.exists() and not (tmp_path / "planted.sh").exists()


def test_the_interpreter_gets_the_file_under_a_system_name_and_sees_the_persons_name_visibly(engine: Engine) -> None:
    person, reference = _intake(engine, media_in_account=False)
    lines = _send_documents(engine, person, HOSTILE, Path("/x"))
    omar = _staff(engine, 871, "Omar", "interpreter", ["ar"])
    _cmd(engine, "assign", f"{reference} {omar.id}", _admin(engine))
    for n in lines:
        reply = _cmd(engine, "translate", f"{reference} {n}", omar)
        [(filename, content, kind)] = reply.media
        assert (filename, content, kind) == (f"{reference}-rad{n}-document.pdf", b"%PDF-1.4\n", "document")
        assert "\u202e" not in reply.text
    reversed_name = next(n for n, name in lines.items() if "\u202e" in name)
    assert "report[U+202E]fdp.exe" in _cmd(engine, "translate", f"{reference} {reversed_name}", omar).text
    exported = _export(engine, reference)
    names = [f["file_name"] for ln in exported for f in ln["files"]]
    assert "report[U+202E]fdp.exe" in names and not any("\u202e" in (x or "") for x in names)
    html = to_html(_read(engine, reference))
    assert "\u202e" not in html and "report[U+202E]fdp.exe" in html


@pytest.mark.parametrize(
    ("kind", "mime", "expected"),
    [
        pytest.param("document", "application/pdf", "SOL-2026-0042-rad7-document.pdf", id="pdf"),
        pytest.param("photo", "image/jpeg", "SOL-2026-0042-rad7-photo.jpg", id="photo"),
        pytest.param("voice", None, "SOL-2026-0042-rad7-voice.ogg", id="voice without a type"),
        pytest.param("document", "application/x-sh", "SOL-2026-0042-rad7-document.bin", id="a script is bytes"),
        pytest.param("document", "text/html", "SOL-2026-0042-rad7-document.bin", id="html is bytes"),
        pytest.param("../x", "image/png", "SOL-2026-0042-rad7-file.png", id="unknown kind"),
    ],
)
def test_stored_file_names_are_made_from_the_case(kind: str, mime: str | None, expected: str) -> None:
    from casework.files import stored_file_name

    assert stored_file_name("SOL-2026-0042", 7, kind, mime) == expected


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("report\u202efdp.exe", "report[U+202E]fdp.exe"),
        ("a\u2066b\u2069c\u200fd", "a[U+2066]b[U+2069]c[U+200F]d"),
        ("line\nbreak\x00", "line[U+000A]break[U+0000]"),
        ("قرار.pdf", "قرار.pdf"),
    ],
)
def test_bidi_and_control_characters_in_a_name_are_shown(name: str, shown: str) -> None:
    from casework.files import shown_name

    assert shown_name(name) == shown

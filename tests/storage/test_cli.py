"""The command line as staff meet it: it finds the project's database from any folder and never makes an
empty one elsewhere, says clearly what is wrong instead of a traceback, acts only as a named staff member,
and exits non-zero on every refusal with the message on standard error."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import settings as settings_module
from bot.cli import app
from storage.db import migrate
from tests.staff import add_staff
from tests.storage.test_commands import HIGH, _submit


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A project folder (the default database's home) and another working folder."""
    project, other = tmp_path / "project", tmp_path / "somewhere" / "else"
    project.mkdir()
    other.mkdir(parents=True)
    monkeypatch.setattr(settings_module, "PROJECT_ROOT", project)
    monkeypatch.chdir(other)
    return project, other


def _run(*args: str, **env: str) -> tuple[int, str, str]:
    out = CliRunner().invoke(app, list(args), env=env or None)
    return out.exit_code, out.stdout, out.stderr


def test_no_database_is_a_clear_message_and_nothing_is_created(elsewhere: tuple[Path, Path]) -> None:
    project, other = elsewhere
    for args in (["queue", "list", "--as", "1"], ["queue", "export"], ["staff", "list"],
                 ["transcript", "X", "--as", "1"]):
        code, out, err = _run(*args)
        assert code == 2 and "Ingen databas finns på" in err and str(project / "intake.db") in err, args
        assert "Traceback" not in out + err
    assert list(other.iterdir()) == [] and not (project / "intake.db").exists(), "no empty database anywhere"


def test_the_same_database_from_any_folder(elsewhere: tuple[Path, Path]) -> None:
    project, other = elsewhere
    assert _run("db", "upgrade")[0] == 0
    assert (project / "intake.db").exists() and not (other / "intake.db").exists()
    code, out, _ = _run("staff", "add", "555", "Anna Andersson", "--role", "caseworker")
    assert code == 0
    code, out, err = _run("queue", "list", "--as", "555")
    assert (code, out.strip(), err) == (0, "Kön är tom.", "")
    (project / "data").mkdir()
    migrate(f"sqlite:///{project / 'data' / 'intake.db'}")
    code, _, err = _run("staff", "list", INTAKE_DATABASE_URL="sqlite:///data/intake.db")
    assert (code, err) == (0, ""), "a relative SQLite path is the project folder's too"
    assert not (other / "data").exists()


def test_a_database_not_migrated_or_not_reachable(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    code, _, err = _run("queue", "list", "--as", "1", INTAKE_DATABASE_URL=f"sqlite:///{empty}")
    assert code == 2 and "intake db upgrade" in err
    code, out, err = _run("queue", "due", "--as", "1", INTAKE_DATABASE_URL="postgresql://nobody@127.0.0.1:9/none")
    assert code == 2 and "går inte att nå" in err and "Traceback" not in out + err


def test_who_acts_and_the_exit_codes(engine, database_url: str) -> None:  # type: ignore[no-untyped-def]
    reference = _submit(engine, 1, HIGH)
    anna = add_staff(engine, 561, "Anna")
    removed = add_staff(engine, 562, "Rut")
    assert _run("staff", "remove", "562", INTAKE_DATABASE_URL=database_url)[0] == 0
    db = {"INTAKE_DATABASE_URL": database_url}
    code, _, err = _run("queue", "claim", reference, **db)
    assert code == 2 and "--as" in err, "a named staff member, always"
    unknown = _run("queue", "claim", reference, "--as", "999999", **db)
    assert unknown[0] == 2 and unknown[2].strip() == "Okänt kommando."
    assert _run("queue", "claim", reference, "--as", str(removed.telegram_user_id), **db) == unknown
    missing = _run("queue", "claim", "SOL-2026-9999", "--as", str(anna.id), **db)
    assert missing == (1, "", "Inget ärende SOL-2026-9999.\n")
    assert _run("queue", "claim", reference, "--as", str(anna.id), **db) == (0, f"Du har tagit {reference}.\n", "")
    assert _run("queue", "claim", reference, **db, INTAKE_AS="561")[0] == 0, "INTAKE_AS names the staff member too"
    code, out, err = _run("queue", "step", reference, "brev", "--date", "2026-13-01", "--as", "561", **db)
    assert (code, out) == (1, "") and "2026-13-01 finns inte i kalendern" in err
    code, out, _ = _run("queue", "step", reference, "begäran om överflyttning", "--date", "2026-11-03", "-f",
                        "mottagen=2026-11-05", "--as", "561", **db)
    assert code == 0 and "begäran om överflyttning skickad" in out
    code, out, _ = _run("queue", "close", reference, "stannar med stöd", "--as", "561", **db)
    assert code == 0 and "stannar med stöd" in out
    code, out, _ = _run("queue", "show", reference, "--as", "561", **db)
    assert code == 0 and "avslutad (stannar med stöd)" in out and "mottagen av kommunen: 2026-11-05" in out.lower()


def test_the_export_is_written_as_it_is_read(engine, database_url: str) -> None:  # type: ignore[no-untyped-def]
    import json

    from casework import queue
    from storage.db import transaction

    references = [_submit(engine, 600 + n, HIGH) for n in range(5)]
    with transaction(engine) as db:
        whole = queue.export(db)
        in_batches_of_two = list(queue.export_items(db, batch=2))
    assert in_batches_of_two == whole and sorted(i["reference"] for i in whole) == sorted(references)
    code, out, err = _run("queue", "export", "--format", "json", INTAKE_DATABASE_URL=database_url)
    assert (code, err) == (0, "")
    assert json.loads(out) == whole
    lines = out.strip().split("\n")
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(whole) + 2, "one referral per line"
    code, out, _ = _run("queue", "export", "--format", "text", INTAKE_DATABASE_URL=database_url)
    assert code == 0 and [line.split()[0] for line in out.strip().split("\n")] == [i["reference"] for i in whole]

"""The console's command line: `intake staff add --email`, `intake staff password` (standard input),
`intake staff totp` (an otpauth URI, once), the first admin's link, and a port already in use."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings
from storage import web as store
from storage.db import make_engine, transaction
from web import accounts
from web.serve import bind

runner = CliRunner()


@pytest.fixture
def database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("INTAKE_DATABASE_URL", sqlite_url)
    monkeypatch.chdir(tmp_path)
    return sqlite_url


def test_a_local_account_from_the_command_line(database: str) -> None:
    added = runner.invoke(app, ["staff", "add", "4711", "Karin Handläggare", "--role", "caseworker",
                                "--email", "Karin@Solleftea.se"])
    assert added.exit_code == 0, added.output
    short = runner.invoke(app, ["staff", "password", "karin@solleftea.se"], input="kort\n")
    assert short.exit_code == 1 and "minst 12 tecken" in short.output
    unknown = runner.invoke(app, ["staff", "password", "nobody@solleftea.se"], input="ett långt lösenord\n")
    assert unknown.exit_code == 1
    done = runner.invoke(app, ["staff", "password", "karin@solleftea.se"], input="ett långt lösenord\n")
    assert done.exit_code == 0, done.output
    totp = runner.invoke(app, ["staff", "totp", "karin@solleftea.se"])
    assert totp.exit_code == 0
    uri = totp.output.strip()
    assert uri.startswith("otpauth://totp/")
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    engine = make_engine(database)
    now = datetime.now(UTC)
    with transaction(engine) as db:
        staff = accounts.sign_in_local(db, email="karin@solleftea.se", password="ett långt lösenord",
                                       code=pyotp.TOTP(secret).at(now), address="127.0.0.1", now=now)
        assert staff.name == "Karin Handläggare"
    with transaction(engine) as db:  # the same code does not work twice
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in_local(db, email="karin@solleftea.se", password="ett långt lösenord",
                                   code=pyotp.TOTP(secret).at(now), address="127.0.0.1", now=now)
    # a second e-mail the same as hers is refused
    other = runner.invoke(app, ["staff", "add", "4712", "Eva", "--role", "caseworker", "--email", "karin@solleftea.se"])
    assert other.exit_code == 1 and "används redan" in other.output
    listing = runner.invoke(app, ["staff", "list"])
    assert "Karin Handläggare" in listing.output


def test_first_admin_link_only_while_nobody_can_sign_in(database: str) -> None:
    engine = make_engine(database)
    with transaction(engine) as db:
        first = accounts.first_admin_link(db, now=datetime.now(UTC))
        second = accounts.first_admin_link(db, now=datetime.now(UTC))
    assert first and second and first != second
    with transaction(engine) as db:  # only the newest works
        from web import security

        assert store.peek_link(db, token_sha256=security.digest(first), now=datetime.now(UTC)) is None
        assert store.peek_link(db, token_sha256=security.digest(second), now=datetime.now(UTC)) is not None
    runner.invoke(app, ["staff", "add", "1", "Anna Admin", "--role", "admin"])
    with transaction(engine) as db:
        assert accounts.first_admin_link(db, now=datetime.now(UTC)) is None


def test_a_port_in_use_is_said_plainly_and_the_bot_runs_on(database: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        said = bind(Settings(database_url=database, web_port=port))
        assert isinstance(said, str) and f"port {port}" in said and "already in use" in said
        result = runner.invoke(app, ["run"], input="", env={"INTAKE_WEB_PORT": str(port)})
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
    assert "the bot runs on without it" in result.output
    assert "Which language" in result.output  # the console chat started all the same

"""The rules of signing in without a browser: when cookies are Secure, what a password must be, TOTP
codes once only and within one step of drift, and the headers every answer carries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from bot.settings import Settings
from web import security
from web.app import CSP, create_app
from web.pages import secure_cookies, session_cookie


def _request(scheme: str, host: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "scheme": scheme, "query_string": b"",
                    "headers": [(b"host", host.encode())], "server": (host.split(":")[0], 80)})


@pytest.mark.parametrize("scheme, host, secure", [
    ("http", "127.0.0.1:8000", False),
    ("http", "localhost:8000", False),
    ("http", "[::1]:8000", False),
    ("https", "127.0.0.1:8000", True),
    ("https", "intake.solleftea.se", True),
    ("http", "intake.solleftea.se", True),  # plain HTTP from elsewhere: Secure, so sign-in does not work
    ("http", "10.1.2.3:8000", True),
], ids=["loopback", "localhost", "ipv6 loopback", "https on loopback", "behind the proxy", "plain http name",
        "plain http address"])
def test_cookies_are_secure_unless_plain_http_on_loopback(scheme: str, host: str, secure: bool) -> None:
    request = _request(scheme, host)
    assert secure_cookies(request) is secure
    assert session_cookie(request) == ("__Host-intake" if secure else "intake")


@pytest.mark.parametrize("password, ok", [("kort", False), ("x" * 11, False), ("tolv tecken!", True),
                                          (" börjar med mellanslag", False), ("x" * 257, False)])
def test_password_rules(password: str, ok: bool) -> None:
    assert (security.password_problem(password) is None) is ok


def test_a_totp_code_works_once_and_within_one_step() -> None:
    secret = security.new_totp_secret()
    now = datetime.now(UTC)
    totp = pyotp.TOTP(secret)
    step = security.check_totp(secret, totp.at(now), now=now, last_step=None)
    assert step is not None
    assert security.check_totp(secret, totp.at(now), now=now, last_step=step) is None  # replayed
    assert security.check_totp(secret, totp.at(now - timedelta(seconds=30)), now=now, last_step=None) is not None
    assert security.check_totp(secret, totp.at(now - timedelta(seconds=90)), now=now, last_step=None) is None
    assert security.check_totp(secret, "12345", now=now, last_step=None) is None
    assert security.check_totp(None, totp.at(now), now=now, last_step=None) is None


def test_argon2id_hashes() -> None:
    stored = security.hash_password("ett långt lösenord")
    assert stored.startswith("$argon2id$")
    assert security.check_password(stored, "ett långt lösenord")
    assert not security.check_password(stored, "ett annat lösenord")
    assert not security.check_password(None, "ett långt lösenord")


def test_every_answer_carries_the_security_headers(sqlite_url: str) -> None:
    client = TestClient(create_app(Settings(database_url=sqlite_url)))
    for path in ("/healthz", "/login", "/queue", "/finns-inte"):
        response = client.get(path, follow_redirects=False)
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert client.get("/healthz").json() == {"ok": True}
    assert client.get("/queue", follow_redirects=False).headers["location"] == "/login?next=/queue"
    assert client.get("/finns-inte").status_code == 404


def test_failed_attempts_are_limited_per_account_and_per_address(engine) -> None:  # type: ignore[no-untyped-def]
    """Five failures lock one account for a quarter of an hour; twenty from one address lock that address
    for every account (someone guessing across the staff list), while others still sign in."""
    from urllib.parse import parse_qs, urlparse

    from sqlmodel import select

    from storage.db import transaction
    from storage.models import Staff
    from tests.staff import add_staff
    from web import accounts

    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    secrets = {}
    for n in range(2):
        staff = add_staff(engine, 900 + n, f"Person {n}")
        email = f"person{n}@solleftea.se"
        with transaction(engine) as db:
            member = db.exec(select(Staff).where(Staff.id == staff.id)).one()
            accounts.set_email(db, staff=member, email=email, now=now)
            accounts.set_password(db, email=email, password="ett långt lösenord 42", now=now)
            uri = accounts.set_totp(db, email=email, now=now)
        secrets[email] = parse_qs(urlparse(uri).query)["secret"][0]

    def attempt(email: str, address: str, at: datetime, *, right: bool) -> str:
        code = pyotp.TOTP(secrets[email]).at(at) if right and email in secrets else "000000"
        with transaction(engine) as db:  # the attempt is kept even when refused, as the route keeps it
            try:
                accounts.sign_in_local(db, email=email, password="ett långt lösenord 42" if right else "fel",
                                       code=code, address=address, now=at)
            except accounts.SignInRefused as refused:
                return str(refused)
        return "ok"

    at = now + timedelta(minutes=1)
    for _ in range(accounts.ACCOUNT_LIMIT):
        assert attempt("person0@solleftea.se", "10.0.0.1", at, right=False) == accounts.WRONG
    assert attempt("person0@solleftea.se", "10.0.0.2", at, right=True) == accounts.TOO_MANY, "the account is locked"
    assert attempt("person1@solleftea.se", "10.0.0.1", at, right=True) == "ok", "not the others"
    later = now + timedelta(minutes=20)
    assert attempt("person0@solleftea.se", "10.0.0.2", later, right=True) == "ok", "unlocked after the window"
    for n in range(accounts.ADDRESS_LIMIT):
        assert attempt(f"guess{n}@solleftea.se", "10.0.0.9", later, right=False) == accounts.WRONG
    assert attempt("person1@solleftea.se", "10.0.0.9", later + timedelta(seconds=31), right=True) == accounts.TOO_MANY
    assert attempt("person1@solleftea.se", "10.0.0.3", later + timedelta(seconds=31), right=True) == "ok"

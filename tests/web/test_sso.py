"""Single sign-on against a real OpenID Connect provider (the certified `oidc-provider` for Node,
installed from tests/web/package-lock.json), started by the test: staff are matched by verified
e-mail; an unknown or unverified e-mail is refused; the handshake cannot be replayed."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from storage import web as store
from tests.web.conftest import HERE, NODE_MODULES, Console, add_member, check_accessibility, free_port

CLIENT_ID, CLIENT_SECRET = "intake-console", "a-client-secret-for-the-browser-tests-only"


@pytest.fixture
def provider_and_console(console_factory: Callable[..., Console]) -> Iterator[tuple[str, Console]]:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "oidc-provider").exists():
        pytest.skip("single sign-on test: needs Node and oidc-provider (make browser-deps runs npm ci in tests/web)")
    port, web_port = free_port(), free_port()
    redirect = f"http://127.0.0.1:{web_port}/auth/callback"
    process = subprocess.Popen([node, str(HERE / "oidc_provider.mjs"), str(port), CLIENT_ID, CLIENT_SECRET, redirect],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=HERE)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready "), line
        issuer = line.split()[1]
        console = console_factory(oidc_issuer=issuer, oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET,
                                  web_port=web_port)
        yield issuer, console
    finally:
        process.terminate()
        process.wait(timeout=10)


def _sso(page: Any, console: Console, login: str) -> None:
    page.goto(console.url + "/login")
    page.get_by_role("link", name="Logga in med kommunens inloggning").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if page.locator("button", has_text="Continue").count():
        page.locator("button", has_text="Continue").click()
    page.wait_for_load_state()


def _sessions(console: Console) -> int:
    with console.db() as db:
        return int(db.exec(select(func.count()).select_from(store.WebSession)).one())


def test_staff_sign_in_with_the_municipality_account(provider_and_console: tuple[str, Console], new_page: Any) -> None:
    _, console = provider_and_console
    add_member(console, "Karin Handläggare", "caseworker", email="karin@solleftea.se")
    page = new_page()
    page.goto(console.url + "/login")
    check_accessibility(page)
    _sso(page, console, "Karin@solleftea.se")
    page.wait_for_url("**/queue")
    page.goto(console.url + "/admin/report")
    assert page.url.endswith("/admin/report"), page.url
    assert "Karin Handläggare" in page.locator("header").inner_text()
    with console.db() as db:
        session = db.exec(select(store.WebSession)).one()
    assert session.method == "oidc"


@pytest.mark.parametrize("login, why", [
    ("okand@solleftea.se", "ingen personal"),
    ("unverified:karin@solleftea.se", "inte verifierat"),
], ids=["unknown e-mail", "e-mail not verified"])
def test_refused_without_a_verified_staff_e_mail(provider_and_console: tuple[str, Console], new_page: Any,
                                                 login: str, why: str) -> None:
    _, console = provider_and_console
    add_member(console, "Karin Handläggare", "caseworker", email="karin@solleftea.se")
    page = new_page()
    _sso(page, console, login)
    assert why in page.locator("[role=alert]").inner_text().lower()
    assert _sessions(console) == 0


def test_the_callback_cannot_be_replayed_or_forged(provider_and_console: tuple[str, Console], new_page: Any) -> None:
    _, console = provider_and_console
    add_member(console, "Karin Handläggare", "caseworker", email="karin@solleftea.se")
    page = new_page()
    callbacks: list[str] = []
    page.on("request", lambda r: callbacks.append(r.url) if "/auth/callback" in r.url else None)
    _sso(page, console, "karin@solleftea.se")
    page.wait_for_url("**/queue")  # the callback's page moves on by itself
    assert callbacks and _sessions(console) == 1
    # the same code and state again, in the same browser: the handshake was used up
    response = page.goto(callbacks[0])
    assert response.status == 400 and "Försök igen" in page.content()
    # in another browser (no handshake cookie): refused too
    other = new_page()
    response = other.goto(callbacks[0])
    assert response.status == 400
    assert _sessions(console) == 1

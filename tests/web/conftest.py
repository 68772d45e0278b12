"""The browser tests' world: the console served by uvicorn on a free port over a fresh SQLite
database, Debian's Chromium driven by Playwright (launched by path: Playwright's own browser download
is not used), staff with real passwords and TOTP secrets, axe-core for accessibility.

Without Chromium these tests skip and say why; every other test of `make test` still runs.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from sqlalchemy import Engine

from bot.settings import Settings
from storage import repo
from storage import web as store
from storage.db import make_engine, migrate, transaction
from web import accounts, security

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
HERE = Path(__file__).parent
NODE_MODULES = HERE / "node_modules"
PASSWORD = "rätt häst batteri häftklammer"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Clock:
    """The console's clock: real time plus an offset a test may move forward (idle timeouts)."""

    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class Console:
    url: str
    engine: Engine
    settings: Settings
    clock: Clock

    def db(self) -> Any:
        return transaction(self.engine)


def serve(settings: Settings, engine: Engine, clock: Clock) -> tuple[Any, threading.Thread]:
    import uvicorn

    from web.app import create_app
    from web.serve import bind

    sock = bind(settings)
    assert not isinstance(sock, str), sock
    config = uvicorn.Config(create_app(settings, engine=engine, clock=clock), log_config=None, access_log=False,
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the console did not start")
        time.sleep(0.05)
    return server, thread


@pytest.fixture
def console_factory(tmp_path: Path) -> Iterator[Callable[..., Console]]:
    running: list[tuple[Any, threading.Thread, Engine]] = []

    def start(**overrides: Any) -> Console:
        url = f"sqlite:///{tmp_path / 'intake.db'}"
        migrate(url)
        port = overrides.pop("web_port", None) or free_port()
        settings = Settings(database_url=url, web_listen="127.0.0.1", web_port=port, **overrides)
        engine = make_engine(url)
        clock = Clock()
        server, thread = serve(settings, engine, clock)
        running.append((server, thread, engine))
        return Console(f"http://127.0.0.1:{port}", engine, settings, clock)

    yield start
    for server, thread, engine in running:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture
def console(console_factory: Callable[..., Console]) -> Console:
    return console_factory()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("browser test: Debian's Chromium is not installed (apt-get install -y chromium; .ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test: the playwright package is not installed (make test installs it)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Pages in fresh browser contexts (each its own cookies). Scripts injected by the tests (axe)
    need the CSP bypassed; the CSP itself is tested in a context without the bypass."""
    contexts: list[Any] = []

    def make(*, bypass_csp: bool = True) -> Any:
        context = browser.new_context(bypass_csp=bypass_csp, locale="sv-SE", accept_downloads=True)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# ------------------------------------------------------------------------ staff
@dataclass(frozen=True)
class Member:
    staff_id: int
    name: str
    email: str
    secret: str
    role: str


def add_member(console: Console, name: str, role: str, *, email: str | None = None, languages: tuple[str, ...] = (),
               telegram_id: int | None = None) -> Member:
    email = email or f"{name.split()[0].lower()}@solleftea.se"
    now = datetime.now(UTC)
    with console.db() as db:
        if telegram_id is not None:
            staff = repo.add_staff(db, telegram_user_id=telegram_id, name=name, role=role, languages=list(languages),
                                   now=now)
        else:
            staff = store.add_web_staff(db, name=name, role=role, languages=list(languages), now=now)
        account = accounts.set_email(db, staff=staff, email=email, now=now)
        account.password_hash = security.hash_password(PASSWORD)
        account.totp_secret = security.new_totp_secret()
        store.save_account(db, account=account)
        assert staff.id is not None and account.totp_secret
        return Member(staff.id, name, email, account.totp_secret, role)


def code_for(console: Console, member: Member) -> str:
    """A TOTP code the console will take now: codes work once, so after the last one used."""
    totp = pyotp.TOTP(member.secret)
    step = int(console.clock().timestamp()) // totp.interval
    with console.db() as db:
        account = store.account_of(db, staff_id=member.staff_id)
        last = account.totp_last_step if account else None
    if last is not None and last >= step:
        step = last + 1
    assert last is None or step <= int(console.clock().timestamp()) // totp.interval + 1, "wait for the next code"
    return totp.generate_otp(step)


def sign_in(page: Any, console: Console, member: Member, *, target: str = "") -> None:
    page.goto(console.url + "/login" + (f"?next={target}" if target else ""))
    page.get_by_label("E-postadress").fill(member.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_label("Kod från appen").fill(code_for(console, member))
    submit(page.get_by_role("button", name="Logga in"))
    assert "/login" not in page.url, page.content()


def submit(control: Any) -> None:
    """Press a button that sends a form (or a link) and wait until the page it leads to is there: a click
    returns once the press is made, so a check right after it could still read the page before."""
    with control.page.expect_navigation():
        control.click()


def without_browser_checks(page: Any) -> None:
    """Turn off the browser's own form checks (required, maxlength ...), so the server's are tested."""
    page.evaluate("""() => { for (const f of document.forms) f.noValidate = true;
        for (const e of document.querySelectorAll('[maxlength]')) e.removeAttribute('maxlength'); }""")


def check_accessibility(page: Any) -> None:
    """axe-core in the page: no serious or critical violation of WCAG 2.1 A/AA."""
    axe = NODE_MODULES / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.skip("accessibility check: axe-core is not installed (make browser-deps runs npm ci in tests/web)")
    page.add_script_tag(path=str(axe))
    result = page.evaluate("""async () => {
        const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.html)}));
    }""")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}: {bad}"

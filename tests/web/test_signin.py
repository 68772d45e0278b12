"""Signing in, in a real browser: the first admin's one-time link, password and TOTP, attempt limits,
sessions (cookie flags, logout, idle timeout, removal), the form token and the Content-Security-Policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
from sqlalchemy import func
from sqlmodel import select

from storage import web as store
from storage.models import Staff
from tests.web.conftest import (
    PASSWORD,
    Console,
    add_member,
    check_accessibility,
    code_for,
    sign_in,
    submit,
    without_browser_checks,
)
from web import accounts


def _count(console: Console, table: Any) -> int:
    with console.db() as db:
        return int(db.exec(select(func.count()).select_from(table)).one())


def test_first_admin_from_the_one_time_link(console: Console, new_page: Any) -> None:
    with console.db() as db:
        token = accounts.first_admin_link(db, now=datetime.now(UTC))
    assert token
    page = new_page()
    page.goto(f"{console.url}/setup/{token}")
    check_accessibility(page)
    page.get_by_label("Ditt namn").fill("Anna Admin")
    page.get_by_label("E-postadress").fill("Anna.Admin@Solleftea.se")
    without_browser_checks(page)
    page.get_by_label("Nytt lösenord").fill("kort")
    page.get_by_label("Samma lösenord igen").fill("kort")
    page.get_by_label("Koden som appen visar nu").fill("000000")
    submit(page.get_by_role("button", name="Spara och logga in"))
    assert "minst 12 tecken" in page.locator(".error").inner_text()
    assert _count(console, Staff) == 0  # nothing was made

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Nytt lösenord").fill(PASSWORD)
    page.get_by_label("Samma lösenord igen").fill(PASSWORD)
    page.get_by_label("Koden som appen visar nu").fill(pyotp.TOTP(secret).now())
    submit(page.get_by_role("button", name="Spara och logga in"))
    page.wait_for_load_state()
    assert "/setup/" not in page.url
    page.goto(console.url + "/admin/staff")
    assert "Anna Admin" in page.locator("table").inner_text()
    assert "anna.admin@solleftea.se" in page.locator("table").inner_text()

    # the link works once; and the database now has someone who can sign in: no new link
    other = new_page()
    other.goto(f"{console.url}/setup/{token}")
    assert "Länken gäller inte" in other.content()
    with console.db() as db:
        assert accounts.first_admin_link(db, now=datetime.now(UTC)) is None


def test_password_and_code_are_both_required_and_attempts_are_limited(console: Console, new_page: Any) -> None:
    member = add_member(console, "Karin Handläggare", "caseworker")
    page = new_page()
    page.goto(console.url + "/login")
    check_accessibility(page)
    for password, code in [(PASSWORD, "123456"), ("fel lösenord här", code_for(console, member)), (PASSWORD, "")]:
        page.get_by_label("E-postadress").fill(member.email)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_label("Kod från appen").fill(code)
        without_browser_checks(page)
        submit(page.get_by_role("button", name="Logga in"))
        assert "stämmer inte" in page.locator("#login-error").inner_text()
    assert _count(console, store.WebSession) == 0
    for _ in range(2):
        page.get_by_label("Lösenord").fill("fel lösenord igen")
        page.get_by_label("Kod från appen").fill("111111")
        submit(page.get_by_role("button", name="Logga in"))
    # five failures: now even the right password and code are refused for a quarter of an hour
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_label("Kod från appen").fill(code_for(console, member))
    submit(page.get_by_role("button", name="Logga in"))
    assert "För många" in page.locator("#login-error").inner_text()
    assert _count(console, store.WebSession) == 0
    console.clock.offset = timedelta(minutes=16)
    sign_in(page, console, member)
    assert _count(console, store.WebSession) == 1


def test_session_cookie_logout_and_idle_timeout(console: Console, new_page: Any) -> None:
    member = add_member(console, "Karin Handläggare", "caseworker")
    page = new_page()
    sign_in(page, console, member, target="/admin/report")
    cookie = next(c for c in page.context.cookies() if c["name"] == "intake")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert not cookie["secure"]  # plain HTTP on loopback only
    with console.db() as db:
        session = db.exec(select(store.WebSession)).one()
    assert session.token_sha256 != cookie["value"]  # only the hash is stored

    # idle for 31 minutes: signed out
    console.clock.offset = timedelta(minutes=31)
    page.goto(console.url + "/admin/report")
    assert "/login" in page.url
    sign_in(page, console, member)
    page.goto(console.url + "/admin/report")
    submit(page.get_by_role("button", name="Logga ut"))
    assert "/login" in page.url
    with console.db() as db:
        sessions = db.exec(select(store.WebSession).order_by(store.WebSession.id)).all()
    assert len(sessions) == 2 and sessions[-1].revoked_at is not None  # the first one ended by idling
    # the old cookie does not work again
    page.context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": console.url}])
    page.goto(console.url + "/admin/report")
    assert "/login" in page.url


def test_a_session_ends_after_ten_hours_even_when_used(console: Console, new_page: Any) -> None:
    member = add_member(console, "Karin Handläggare", "caseworker")
    page = new_page()
    sign_in(page, console, member)
    for minutes in range(25, 10 * 60, 25):
        console.clock.offset = timedelta(minutes=minutes)
        page.goto(console.url + "/admin/report")
        assert "/login" not in page.url
    console.clock.offset = timedelta(hours=10, minutes=1)
    page.goto(console.url + "/admin/report")
    assert "/login" in page.url


def test_removed_staff_are_signed_out_at_once(console: Console, new_page: Any) -> None:
    admin = add_member(console, "Anna Admin", "admin")
    worker = add_member(console, "Karin Handläggare", "caseworker")
    admin_page, worker_page = new_page(), new_page()
    sign_in(admin_page, console, admin)
    sign_in(worker_page, console, worker)
    admin_page.goto(f"{console.url}/admin/staff/{worker.staff_id}")
    check_accessibility(admin_page)
    submit(admin_page.get_by_role("button", name="Ta bort behörigheten"))
    assert "inte längre någon behörighet" in admin_page.content()
    worker_page.goto(console.url + "/admin/report")
    assert "/login" in worker_page.url
    worker_page.get_by_label("E-postadress").fill(worker.email)
    worker_page.get_by_label("Lösenord").fill(PASSWORD)
    worker_page.get_by_label("Kod från appen").fill(code_for(console, worker))
    submit(worker_page.get_by_role("button", name="Logga in"))
    assert "stämmer inte" in worker_page.locator("#login-error").inner_text()


def test_forged_or_missing_form_token_changes_nothing(console: Console, new_page: Any) -> None:
    admin = add_member(console, "Anna Admin", "admin")
    page = new_page()
    sign_in(page, console, admin)
    before = _count(console, Staff)
    for token in ("forged", None):
        form = {"name": "Mallory", "email": "mallory@example.org", "role": "admin"}
        if token:
            form["csrf"] = token
        response = page.request.post(console.url + "/admin/staff", form=form)
        assert response.status == 400
        assert "säkerhetskoden" in response.text()
    assert _count(console, Staff) == before
    # a form posted from another site does not even carry the session (SameSite=Strict)
    page.goto(console.url + "/admin/staff")
    without_browser_checks(page)
    page.get_by_label("Namn", exact=True).fill("x" * 101)
    page.get_by_label("E-postadress (för inloggning)").fill("x@solleftea.se")
    submit(page.get_by_role("button", name="Lägg till"))
    assert "för långt" in page.locator(".error").inner_text()
    assert _count(console, Staff) == before


def test_admin_adds_staff_who_enrol_with_their_link(console: Console, new_page: Any) -> None:
    admin = add_member(console, "Anna Admin", "admin")
    page = new_page()
    sign_in(page, console, admin)
    page.goto(console.url + "/admin/staff")
    check_accessibility(page)
    page.get_by_label("Namn", exact=True).fill("Tarik Tolk")
    page.get_by_label("E-postadress (för inloggning)").fill("tarik@solleftea.se")
    page.get_by_label("Roll").select_option("interpreter")
    page.get_by_label("arabiska").check()
    submit(page.get_by_role("button", name="Lägg till"))
    link = page.locator("#enrol-link").inner_text()
    assert "/setup/" in link
    tolk = new_page()
    tolk.goto(link)
    check_accessibility(tolk)
    secret = tolk.locator("#totp-secret").inner_text()
    tolk.get_by_label("Nytt lösenord").fill(PASSWORD)
    tolk.get_by_label("Samma lösenord igen").fill(PASSWORD)
    tolk.get_by_label("Koden som appen visar nu").fill(pyotp.TOTP(secret).now())
    submit(tolk.get_by_role("button", name="Spara och logga in"))
    tolk.wait_for_load_state()
    assert "/setup/" not in tolk.url
    # an interpreter has no admin pages: the same answer as a page that does not exist
    response = tolk.goto(console.url + "/admin/staff")
    assert response.status == 404 and "Hittades inte" in tolk.content()


def test_admin_pages_are_accessible(console: Console, new_page: Any) -> None:
    admin = add_member(console, "Anna Admin", "admin")
    page = new_page()
    sign_in(page, console, admin)
    for path in ("/admin/signin", "/admin/languages", "/admin/access", "/admin/report?month=2026-11"):
        response = page.goto(console.url + path)
        assert response.status == 200, path
        check_accessibility(page)
    response = page.goto(console.url + "/admin/report?month=2026-13")
    assert response.status == 400 and "ÅÅÅÅ-MM" in page.content()


def test_content_security_policy_blocks_script(console: Console, new_page: Any) -> None:
    page = new_page(bypass_csp=False)
    response = page.goto(console.url + "/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                              document.body.appendChild(s); }""")
    assert page.evaluate("() => window.ran") is None
    assert response.headers["cache-control"] == "no-store"

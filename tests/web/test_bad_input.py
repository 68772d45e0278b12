"""Bad input in the browser: each answered with a clear Swedish message, and nothing changed in the
database: an unknown reference, a stale form, a forged or missing CSRF token, a field too long, a
filter that does not exist, and an action the role does not allow (the same "not found" page)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import select

from storage.models import CaseRead, Referral, ReferralEvent
from tests.web.conftest import Console, Member, add_member, check_accessibility, sign_in, submit, without_browser_checks
from tests.web.story import arabic_intake


def _state(console: Console) -> tuple[Any, ...]:
    """Everything an action could change: the referrals, their events (reads are logged, not changes)."""
    with console.db() as db:
        referrals = tuple((r.reference, r.status, r.caseworker_id, r.interpreter_id, r.version, r.answers)
                          for r in db.exec(select(Referral).order_by(Referral.id)).all())
        events = int(db.exec(select(func.count()).select_from(ReferralEvent)).one())
    return referrals, events


@pytest.fixture
def case(console: Console) -> tuple[str, Member]:
    return arabic_intake(console.engine), add_member(console, "Karin Handläggare", "caseworker")


def test_an_unknown_reference_and_a_case_out_of_reach_look_the_same(console: Console, new_page: Any,
                                                                      case: tuple[str, Member]) -> None:
    reference, karin = case
    tarik = add_member(console, "Tarik Tolk", "interpreter", languages=("ar",))
    page = new_page()
    sign_in(page, console, karin)
    unknown = page.goto(console.url + "/cases/SOL-2099-9999")
    unknown_text = page.locator("main").inner_text()
    assert unknown.status == 404 and "finns inte" in unknown_text
    check_accessibility(page)
    tolk = new_page()
    sign_in(tolk, console, tarik)
    before = _state(console)
    refused = tolk.goto(f"{console.url}/cases/{reference}")  # not assigned to him
    assert refused.status == 404 and tolk.locator("main").inner_text() == unknown_text
    for path in (f"/cases/{reference}/files/54", f"/cases/{reference}/letters/ivo", f"/tolk/{reference}"):
        assert tolk.goto(console.url + path).status == 404
    assert _state(console) == before
    with console.db() as db:  # a refused read is not logged as a read
        assert db.exec(select(func.count()).select_from(CaseRead)).one() == 0


def test_a_stale_form_is_refused(console: Console, new_page: Any, case: tuple[str, Member]) -> None:
    reference, karin = case
    first, second = new_page(), new_page()
    sign_in(first, console, karin, target=f"/cases/{reference}")
    second.context.add_cookies(first.context.cookies())
    second.goto(f"{console.url}/cases/{reference}")
    submit(first.get_by_role("button", name="Ta ärendet", exact=True))
    assert "Du har tagit" in first.locator(".notice").inner_text()
    before = _state(console)
    second.get_by_label("Anteckning").fill("Skriven på en gammal sida")
    submit(second.get_by_role("button", name="Spara anteckningen"))
    assert "har ändrats sedan du öppnade det" in second.locator(".error").inner_text()
    assert _state(console) == before


@pytest.mark.parametrize("token", ["forged", None], ids=["forged token", "missing token"])
def test_a_forged_or_missing_csrf_token_changes_nothing(console: Console, new_page: Any, case: tuple[str, Member],
                                                        token: str | None) -> None:
    reference, karin = case
    page = new_page()
    sign_in(page, console, karin, target=f"/cases/{reference}")
    version = page.locator("input[name=version]").first.get_attribute("value")
    before = _state(console)
    form = {"version": version or "0"} | ({"csrf": token} if token else {})
    for action in ("claim", "close", "note"):
        response = page.request.post(f"{console.url}/cases/{reference}/{action}",
                                     form=form | {"reason": "returned", "text": "x"})
        assert response.status == 400 and "säkerhetskoden" in response.text()
    assert _state(console) == before


def test_too_long_fields_and_bad_dates_are_refused(console: Console, new_page: Any, case: tuple[str, Member]) -> None:
    reference, karin = case
    page = new_page()
    sign_in(page, console, karin, target=f"/cases/{reference}")
    before = _state(console)
    without_browser_checks(page)
    page.get_by_label("Anteckning").fill("x" * 4001)
    submit(page.get_by_role("button", name="Spara anteckningen"))
    assert "för långt" in page.locator(".error").inner_text()
    page.goto(f"{console.url}/cases/{reference}")
    details = page.locator("#steg-municipality_contacted")
    details.locator("summary").click()
    without_browser_checks(page)
    details.locator("input[name=on]").evaluate("e => { e.type = 'text'; e.value = '2026-13-01'; }")
    submit(details.get_by_role("button"))
    assert page.locator(".error").count() == 1 and "2026-13-01" in page.locator(".error").inner_text()
    assert _state(console) == before


def test_a_filter_that_does_not_exist(console: Console, new_page: Any, case: tuple[str, Member]) -> None:
    _, karin = case
    page = new_page()
    sign_in(page, console, karin)
    response = page.goto(console.url + "/queue?priority=extreme")
    assert response.status == 400 and "Välj i listan" in page.content()
    response = page.goto(console.url + "/queue?received_from=2026-02-30")
    assert response.status == 400 and "Inkom från: skriv ett riktigt datum" in page.content()
    response = page.goto(console.url + "/queue?received_from=2026-11-02&received_to=2026-11-01")
    assert response.status == 400 and "före Inkom till" in page.content()


def test_the_received_filter_in_the_page(console: Console, new_page: Any, case: tuple[str, Member]) -> None:
    reference, karin = case
    page = new_page()
    sign_in(page, console, karin)
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Stockholm")).date()
    page.get_by_label("Inkom från").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Inkom till").fill(today.isoformat())
    submit(page.get_by_role("button", name="Filtrera"))
    assert page.locator("tbody tr", has_text=reference).count() == 1
    assert page.get_by_label("Inkom från").input_value() == (today - timedelta(days=1)).isoformat()
    page.get_by_label("Inkom från").fill((today + timedelta(days=1)).isoformat())
    page.get_by_label("Inkom till").fill((today + timedelta(days=2)).isoformat())
    submit(page.get_by_role("button", name="Filtrera"))
    assert page.locator("tbody tr", has_text=reference).count() == 0


def test_an_action_the_role_does_not_allow(console: Console, new_page: Any, case: tuple[str, Member]) -> None:
    reference, karin = case
    tarik = add_member(console, "Tarik Tolk", "interpreter", languages=("ar",))
    page = new_page()
    sign_in(page, console, karin, target=f"/cases/{reference}")
    page.get_by_label("Tolk (arabiska)").select_option(label="Tarik Tolk")
    submit(page.get_by_role("button", name="Tilldela tolk"))
    tolk = new_page()
    sign_in(tolk, console, tarik, target=f"/cases/{reference}")
    assert tolk.locator("#atgarder").count() == 0  # he reads the case, and has no casework forms
    csrf = tolk.locator("header input[name=csrf]").get_attribute("value")
    with console.db() as db:
        version = str(db.exec(select(Referral.version).where(Referral.reference == reference)).one())
    before = _state(console)
    for action in ("claim", "close", "step", "correct"):
        response = tolk.request.post(f"{console.url}/cases/{reference}/{action}",
                                     form={"csrf": csrf or "", "version": version, "reason": "returned",
                                           "kind": "note", "note.text": "x", "question": "wish", "value": "return"})
        assert response.status == 404 and "finns inte" in response.text()
    assert _state(console) == before

"""A new caseworker's day in the browser, as the issue's "done when" says: sign in, find the new
referral, claim it, get an interpreter, read the person's account with the interpreter's verified
translation, hear the voice message and see the photo, record the steps with dates, strike a wrong
one through, download the three letters, close the case; and the interpreter translates and verifies
every line of the Arabic intake in the browser. Every page is checked with axe-core on the way."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any

from sqlmodel import select

from storage.interpreting import CatalogReport, Translation
from storage.models import Referral, ReferralEvent
from tests.web.conftest import Console, add_member, check_accessibility, sign_in, submit, without_browser_checks
from tests.web.story import STORY
from tests.web.story import arabic_intake as story

RAW_IDS = ("terminated_by_municipality", "addiction_care", "support_denied", "municipal_sublet", "gt_5y")


def _flash(page: Any) -> str:
    return page.locator(".notice").inner_text()


def _step(page: Any, kind: str, on: str, **fields: str) -> None:
    details = page.locator(f"#steg-{kind}")
    details.locator("summary").click()
    details.locator("input[name=on]").fill(on)
    for key, value in fields.items():
        control = details.locator(f"[name='{kind}.{key}']")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    submit(details.get_by_role("button"))


def test_a_caseworker_and_an_interpreter_work_an_arabic_case(console: Console, new_page: Any) -> None:
    reference = story(console.engine)
    karin = add_member(console, "Karin Handläggare", "caseworker")
    tarik = add_member(console, "Tarik Tolk", "interpreter", languages=("ar",))
    page = new_page()
    sign_in(page, console, karin)
    assert page.url.endswith("/queue")
    check_accessibility(page)
    headings = page.locator("thead th").all_inner_texts()
    assert headings == ["Referens", "Prioritet", "Nivå", "Former", "Status", "IVO-frist", "Avsändande kommun",
                        "Språk", "Handläggare", "Inkom"]
    row = page.locator("tbody tr", has_text=reference)
    assert "Ljusdal" in row.inner_text() and "arabiska" in row.inner_text() and "ny" in row.inner_text()
    page.get_by_label("Referens").fill(reference)
    submit(page.get_by_role("button", name="Filtrera"))
    submit(page.get_by_role("link", name=reference))
    check_accessibility(page)

    answers = page.locator("#svar table").inner_text()
    assert "Flyttade från" in answers and "Ljusdal" in answers and STORY in answers
    assert not any(raw in answers for raw in RAW_IDS), answers
    assert "S_support" in page.locator("table", has_text="Signal").inner_text()  # reasons: signal, answer, section
    submit(page.get_by_role("button", name="Ta ärendet", exact=True))
    assert "Du har tagit" in _flash(page)
    page.get_by_label("Tolk (arabiska)").select_option(label="Tarik Tolk")
    submit(page.get_by_role("button", name="Tilldela tolk"))
    assert "Tarik Tolk" in _flash(page)

    # the interpreter: a badge, the case, every line translated and verified
    tolk = new_page()
    sign_in(tolk, console, tarik)
    assert tolk.url.endswith("/tolk")
    badge = int(tolk.locator("header .badge").inner_text().split()[0])
    check_accessibility(tolk)
    submit(tolk.get_by_role("link", name=reference))
    check_accessibility(tolk)
    forms = tolk.locator("form[action$='/translate']")
    count = forms.count()
    assert count == badge >= 4  # the typed name, the story, the voice message, the photo, the message after
    for i in range(count):
        form = tolk.locator("form[action$='/translate']").nth(i)
        form.locator("textarea").fill(f"Svensk översättning {i + 1}")
        submit(form.get_by_role("button", name="Spara utkast"))
        assert "/tolk/" in tolk.url
    submit(tolk.get_by_role("button", name="Verifiera alla mina utkast"))
    with console.db() as db:
        translations = db.exec(select(Translation)).all()
    assert len(translations) == count and all(t.status == "verified" for t in translations)
    tolk.goto(console.url + "/tolk")
    assert tolk.locator("header .badge").count() == 0  # nothing left to translate

    # the caseworker reads the account with its verified Swedish, hears the voice message, sees the photo
    page.reload()
    messages = page.locator("#meddelanden").inner_text()
    assert STORY in messages and "Svensk översättning 1" in messages and "Verifierad av Tarik Tolk" in messages
    audio = page.locator("#meddelanden audio").first
    playable = audio.evaluate("""a => new Promise(done => {
        a.addEventListener('loadedmetadata', () => done(a.duration), {once: true});
        a.addEventListener('error', () => done(-1), {once: true}); a.preload = 'auto'; a.load(); })""")
    assert playable > 0.5
    assert page.locator("#meddelanden img.photo").evaluate("i => i.complete && i.naturalWidth") > 0

    # steps with dates; a date in the future is refused and changes nothing
    today = datetime.now(UTC).date()
    _step(page, "coordination_checked", (today - timedelta(days=3)).isoformat(), result="no_contact_found")
    assert "samordning" in _flash(page).lower() or "registrerat" in _flash(page).lower()
    _step(page, "municipality_contacted", (today - timedelta(days=2)).isoformat(), text="Ringde Ljusdals socialtjänst")
    _step(page, "decision_recorded", (today - timedelta(days=1)).isoformat(),
          decided_on=(today - timedelta(days=1)).isoformat(), intervention="Boendestöd",
          legal_basis="4 kap. 1 § SoL", period_from=today.isoformat())
    with console.db() as db:
        events_before = len(db.exec(select(ReferralEvent)).all())
    details = page.locator("#steg-letter_sent")
    details.locator("summary").click()
    without_browser_checks(page)
    details.locator("input[name=on]").evaluate("e => e.removeAttribute('max')")
    details.locator("input[name=on]").fill((today + timedelta(days=5)).isoformat())
    submit(details.get_by_role("button"))
    assert "framtiden" in page.locator(".error").inner_text().lower()
    with console.db() as db:
        assert len(db.exec(select(ReferralEvent)).all()) == events_before
    submit(page.get_by_role("link", name="Tillbaka"))
    timeline = page.locator("#tidslinje").inner_text()
    assert "samordning kontrollerad" in timeline and "Karin Handläggare" in timeline and "Boendestöd" in timeline
    checklist = page.locator("ul.checklist").inner_text()
    assert "utförd" in checklist

    # a wrong step is struck through with a reason, and stays
    entry = page.locator("ol.timeline li", has_text="kontakt tagen med kommunen")
    entry.locator("summary").click()
    entry.get_by_label("Varför är steget fel?").fill("Fel kommun, det var Hudiksvall")
    submit(entry.get_by_role("button", name="Stryk"))
    struck = page.locator("ol.timeline li", has_text="kontakt tagen med kommunen").first
    assert struck.locator("del").count() == 1 and "Fel kommun" in struck.inner_text()

    # the three letters, as Word documents
    for name in ("Skrivelse till kommunen (policy 2.1)", "Begäran om överflyttning (2.2)", "Ansökan till IVO (2.2)"):
        with page.expect_download() as info:
            page.get_by_role("link", name=name, exact=True).click()
        download = info.value
        assert download.suggested_filename.endswith(".docx")
        with zipfile.ZipFile(BytesIO(_read(download.path()))) as docx:
            assert "word/document.xml" in docx.namelist()
            assert reference in docx.read("word/document.xml").decode()

    page.get_by_label("Avsluta med anledning").select_option("returned")
    submit(page.get_by_role("button", name="Avsluta ärendet"))
    check_accessibility(page)
    with console.db() as db:
        referral = db.exec(select(Referral).where(Referral.reference == reference)).one()
        assert referral.status == "closed" and referral.close_reason == "returned"
        assert referral.caseworker_id == karin.staff_id


def _read(path: Any) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def test_an_interpreter_reports_a_catalog_sentence(console: Console, new_page: Any) -> None:
    reference = story(console.engine)
    karin = add_member(console, "Karin Handläggare", "caseworker")
    tarik = add_member(console, "Tarik Tolk", "interpreter", languages=("ar",))
    page = new_page()
    sign_in(page, console, karin, target=f"/cases/{reference}")
    page.get_by_label("Tolk (arabiska)").select_option(label="Tarik Tolk")
    submit(page.get_by_role("button", name="Tilldela tolk"))
    tolk = new_page()
    sign_in(tolk, console, tarik, target=f"/tolk/{reference}")
    first = tolk.locator("details", has_text="Rapportera fel i meningen").nth(6)  # after the language was chosen
    first.locator("summary").click()
    first.locator("textarea").fill("Ordet för kommun är fel här")
    submit(first.get_by_role("button", name="Skicka rapporten"))
    assert tolk.locator(".notice").count() == 1
    with console.db() as db:
        reports = db.exec(select(CatalogReport)).all()
    assert len(reports) == 1 and reports[0].language == "ar" and reports[0].note == "Ordet för kommun är fel här"

"""Every route of the console for every role, in the browser's own request context (its cookies):
nobody signed in, an interpreter assigned to the case, an interpreter not assigned, a caseworker, an
admin, and a caseworker removed after signing in. What is refused answers like a page that does not
exist (404) or sends the browser to sign in, and changes nothing; what is allowed is not refused.

The expected table below is the web column of spec section 6's permission rule; the command layer
decides every cell (`casework.permissions`), the console only renders the answer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from dialogs.staffside import STAFF_SIDE
from storage import repo
from storage.models import Referral, ReferralEvent, Staff
from tests.web.conftest import Console, add_member, sign_in
from tests.web.story import arabic_intake

ROLES = ("none", "interpreter_assigned", "interpreter_other", "caseworker", "admin", "removed")
L, OK, NF = "login", "ok", "not found"
# route -> (none, interpreter assigned, interpreter not assigned, caseworker, admin, removed)
GETS: dict[str, tuple[str, ...]] = {
    "/healthz": (OK, OK, OK, OK, OK, OK),
    "/login": (OK, OK, OK, OK, OK, OK),
    "/queue": (L, OK, OK, OK, OK, L),
    "/cases/{ref}": (L, OK, NF, OK, OK, L),
    "/cases/{ref}/files/{line}": (L, OK, NF, OK, OK, L),
    "/cases/{ref}/letters/official": (L, NF, NF, OK, OK, L),
    "/tolk": (L, OK, OK, NF, OK, L),
    "/tolk/{ref}": (L, OK, NF, OK, OK, L),
    "/admin/report": (L, NF, NF, OK, OK, L),
    "/admin/report/chart.png": (L, NF, NF, OK, OK, L),
    "/admin/staff": (L, NF, NF, NF, OK, L),
    "/admin/staff/{staff}": (L, NF, NF, NF, OK, L),
    "/admin/signin": (L, NF, NF, NF, OK, L),
    "/admin/languages": (L, NF, NF, NF, OK, L),
    "/admin/access": (L, NF, NF, NF, OK, L),
}
_CASEWORK = (L, NF, NF, OK, OK, L)
_INTERPRETING = (L, OK, NF, NF, OK, L)
_ADMIN = (L, NF, NF, NF, OK, L)
POSTS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "/cases/{ref}/claim": (_CASEWORK, {}),
    "/cases/{ref}/note": (_CASEWORK, {"text": "Ringde"}),
    "/cases/{ref}/step": (_CASEWORK, {"kind": "municipality_contacted", "on": "{today}"}),
    "/cases/{ref}/correct": (_CASEWORK, {"question": "wish", "value": "undecided"}),
    "/cases/{ref}/interpreter": (_CASEWORK, {"interpreter": "{interpreter}"}),
    "/cases/{ref}/reply": (_CASEWORK, {"kind": "received"}),
    "/cases/{ref}/reassign": (_CASEWORK, {"to": "{caseworker}"}),
    "/cases/{ref}/strike": (_CASEWORK, {"event": "{event}", "reason": "Fel"}),
    "/cases/{ref}/release": (_CASEWORK, {}),
    "/cases/{ref}/close": (_CASEWORK, {"reason": "returned"}),
    "/cases/{ref}/reopen": (_CASEWORK, {"reason": "Personen hörde av sig"}),
    "/tolk/{ref}/translate": (_INTERPRETING, {"line": "{line}", "text": "Svensk text"}),
    "/tolk/{ref}/verify": (_INTERPRETING, {}),
    "/tolk/{ref}/report": (_INTERPRETING, {"line": "2", "part": "1", "note": "Oklart"}),
    "/admin/staff": (_ADMIN, {"name": "Ny Person", "email": "ny{n}@solleftea.se", "role": "caseworker"}),
    "/admin/staff/{staff}": (_ADMIN, {"action": "end_sessions"}),
    "/admin/signin": (_ADMIN, {"session": "999999"}),
}


def _state(console: Console) -> tuple[Any, ...]:
    with console.db() as db:
        referrals = tuple((r.status, r.caseworker_id, r.interpreter_id, r.version, r.answers)
                          for r in db.exec(select(Referral).order_by(Referral.id)).all())
        events = int(db.exec(select(func.count()).select_from(ReferralEvent)).one())
        staff = int(db.exec(select(func.count()).select_from(Staff)).one())
    return referrals, events, staff


def _outcome(response: Any) -> str:
    if response.status in (302, 303) and "/login" in response.headers.get("location", ""):
        return L
    if response.status == 404:
        return NF
    return OK if response.status < 500 else f"error {response.status}"


def test_every_route_for_every_role(console: Console, new_page: Any) -> None:
    reference = arabic_intake(console.engine)
    tarik = add_member(console, "Tarik Tolk", "interpreter", languages=("ar",))
    other = add_member(console, "Olga Tolk", "interpreter", languages=("ar",), email="olga@solleftea.se")
    karin = add_member(console, "Karin Handläggare", "caseworker")
    anna = add_member(console, "Anna Admin", "admin")
    gone = add_member(console, "Gustav Borttagen", "caseworker")
    with console.db() as db:
        referral = repo.get_referral(db, reference=reference)
        assert referral is not None
        referral.interpreter_id = tarik.staff_id
        db.add(referral)
        lines = STAFF_SIDE.transcript(db, referral, datetime.now(UTC)).lines
    voice = next(ln.n for ln in lines if ln.kind == "voice")
    story_line = next(ln.n for ln in lines if ln.needs_translation and ln.kind == "text")
    pages: dict[str, Any] = {"none": new_page()}
    for role, member in (("interpreter_assigned", tarik), ("interpreter_other", other), ("caseworker", karin),
                         ("admin", anna), ("removed", gone)):
        pages[role] = new_page()
        sign_in(pages[role], console, member)
    with console.db() as db:  # removed after signing in: the session must stop working at once
        staff = repo.get_staff(db, staff_id=gone.staff_id)
        assert staff is not None
        staff.active = False
        db.add(staff)
    fill = {"ref": reference, "line": str(voice), "staff": str(gone.staff_id), "today": datetime.now(UTC).date()
            .isoformat(), "interpreter": str(tarik.staff_id), "caseworker": str(karin.staff_id)}
    wrong: list[str] = []
    for route, expected in GETS.items():
        url = console.url + route.format(**fill)
        for role, want in zip(ROLES, expected, strict=True):
            got = _outcome(pages[role].request.get(url, max_redirects=0))
            if got != want:
                wrong.append(f"GET {route} as {role}: {got}, expected {want}")
    for n, (route, (expected, form)) in enumerate(POSTS.items()):
        for role, want in zip(ROLES, expected, strict=True):
            page = pages[role]
            with console.db() as db:
                current = repo.get_referral(db, reference=reference)
                assert current is not None and current.id is not None
                events = repo.referral_events(db, referral_id=current.id)
                strikable = [e.id for e in events if e.kind == "municipality_contacted"]
            csrf = page.locator("header input[name=csrf]").get_attribute("value") if role not in ("none",) else ""
            values = {k: v.format(**(fill | {"n": n, "event": strikable[-1] if strikable else 0,
                                             "line": story_line})) for k, v in form.items()}
            before = _state(console)
            response = page.request.post(console.url + route.format(**fill),
                                         form={"csrf": csrf or "", "version": str(current.version), **values},
                                         max_redirects=0)
            got = _outcome(response)
            if got != want:
                wrong.append(f"POST {route} as {role}: {got} ({response.status}), expected {want}")
            if want != OK and _state(console) != before:
                wrong.append(f"POST {route} as {role} was refused but changed the database")
    assert not wrong, "\n".join(wrong)

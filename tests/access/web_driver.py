"""The staff web console as one more shell of the access table: each action as its route and form,
asked through the real application (FastAPI's test client) with a session of the role's staff member.

The console answers a case out of reach and a page out of reach with the same "not found" page, and
someone without a live session (not staff, removed) is sent to sign in: on a case route a 404 is the
table's "not found"; elsewhere a 404 or the sign-in is its "unknown".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from bot.settings import Settings
from storage import repo
from storage.db import transaction
from web import accounts
from web.app import create_app

__all__ = ["WEB", "via_web"]

Route = tuple[str, str, dict[str, str]]  # method, path, form
WEB: dict[str, Callable[[Any], Route]] = {
    "queue": lambda w: ("GET", "/queue", {}),
    "month report": lambda w: ("GET", "/admin/report?month=2026-11", {}),
    "read case": lambda w: ("GET", f"/cases/{w.reference}", {}),
    "read transcript": lambda w: ("GET", f"/tolk/{w.reference}", {}),
    "read file": lambda w: ("GET", f"/cases/{w.reference}/files/{w.file_line}", {}),
    "letter": lambda w: ("GET", f"/cases/{w.reference}/letters/official", {}),
    "claim": lambda w: ("POST", f"/cases/{w.reference}/claim", {}),
    "release": lambda w: ("POST", f"/cases/{w.reference}/release", {}),
    "reassign": lambda w: ("POST", f"/cases/{w.reference}/reassign", {"to": str(w.second_caseworker)}),
    "step": lambda w: ("POST", f"/cases/{w.reference}/step", {"kind": "municipality_contacted", "on": "2026-11-02"}),
    "decision step": lambda w: ("POST", f"/cases/{w.reference}/step", {
        "kind": "decision_recorded", "on": "2026-11-20", "decision_recorded.decided_on": "2026-11-20",
        "decision_recorded.intervention": "boendestöd", "decision_recorded.legal_basis": "4 kap. 1 § SoL",
        "decision_recorded.period_from": "2026-12-01"}),
    "note": lambda w: ("POST", f"/cases/{w.reference}/note", {"text": "Ringde personen"}),
    "strike step": lambda w: ("POST", f"/cases/{w.reference}/strike", {"event": str(w.step_id), "reason": "fel datum"}),
    "correct answer": lambda w: ("POST", f"/cases/{w.reference}/correct", {"question": "moved_when", "value": "3_12m"}),
    "close": lambda w: ("POST", f"/cases/{w.reference}/close", {"reason": "returned"}),
    "reopen": lambda w: ("POST", f"/cases/{w.reference}/reopen", {"reason": "ny uppgift"}),
    "assign interpreter": lambda w: ("POST", f"/cases/{w.reference}/interpreter",
                                     {"interpreter": str(w.telegram["other interpreter"])}),
    "reply": lambda w: ("POST", f"/cases/{w.reference}/reply", {"kind": "received"}),
    "translate": lambda w: ("POST", f"/tolk/{w.reference}/translate",
                            {"line": str(w.story_line), "text": "De sa att jag måste flytta"}),
    "verify": lambda w: ("POST", f"/tolk/{w.reference}/verify", {}),
    "report catalog line": lambda w: ("POST", f"/tolk/{w.reference}/report", {"line": str(w.bot_line),
                                                                              "note": "oklart ord"}),
}


def via_web(world: Any, action: Any, role: str) -> str:
    method, path, form = WEB[action.name](world)
    client = TestClient(create_app(Settings(database_url=world.url), engine=world.engine), follow_redirects=False,
                        base_url="http://127.0.0.1")  # loopback: the plain cookie name
    csrf = ""
    if role in world.staff:  # staff, removed ones too: signed in before the removal
        with transaction(world.engine) as db:
            staff = repo.get_staff(db, staff_id=world.staff[role])
            assert staff is not None
            opened = accounts.open_session(db, staff=staff, method="password", address="testclient",
                                           now=datetime.now(UTC))
        client.cookies.set("intake", opened.token)
        csrf = opened.session.csrf
    if method == "GET":
        response = client.get(path)
    else:
        with transaction(world.engine) as db:
            referral = repo.get_referral(db, reference=world.reference)
            assert referral is not None
            version = referral.version
        response = client.post(path, data={"csrf": csrf, "version": str(version), **form})
    on_case = world.reference in path
    if response.status_code in (302, 303) and response.headers["location"].startswith("/login"):
        return "unknown"
    if response.status_code == 404:
        return "not found" if on_case else "unknown"
    assert response.status_code in (200, 303), (action.name, role, response.status_code, response.text[:400])
    return "ok"

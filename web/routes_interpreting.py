"""The interpreter's pages: the cases assigned to them with their open lines, and one case's transcript
where each of the person's messages is translated and verified in the page, and a wrong sentence of
the bot's own text is reported to its language's catalog review list.

As everywhere in the console, the commands decide: an interpreter reaches only the cases assigned to
them; another case answers "not found", exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from casework import commands as c
from casework.views import QueueFilters
from storage import web as store
from web.commanding import NOT_FOUND, run, version_of
from web.pages import PageError, check_csrf, db_of, field, open_lines, render, signed_in
from web.routes_cases import _day, _flash, _local

__all__ = ["router"]

router = APIRouter(prefix="/tolk")


@router.get("", response_class=HTMLResponse)
def assigned(request: Request) -> Response:
    signed = signed_in(request)
    if not request.app.state.may(signed.staff)["interpret"]:
        raise PageError(NOT_FOUND, 404, title="Hittades inte")
    page = run(request, c.ShowQueue(QueueFilters(status="open", assignee=None, limit=200)), signed=signed).data
    counts = open_lines(request, signed)
    lines = [ln for ln in page.lines if signed.staff.role != "admin" or ln.interpreter]
    return render(request, "interpreting/assigned.html", {"lines": lines, "counts": counts, "local": _local,
                                                          "title": "Tolkning"}, signed=signed)


@router.get("/{reference}", response_class=HTMLResponse)
def transcript(request: Request, reference: str) -> Response:
    signed = signed_in(request)
    result = run(request, c.ShowTranscript(reference[:40], purpose="transcript:web"), signed=signed)
    waiting = None
    if signed.staff.role != "caseworker":  # a caseworker's message waiting for this interpreter's words
        try:
            nxt = run(request, c.OpenLine(reference[:40]), signed=signed).data
            waiting = nxt if nxt.message_id is not None else None
        except PageError:
            waiting = None
    return render(request, "interpreting/transcript.html", {
        "t": result.data, "waiting": waiting, "version": result.version, "reference": result.reference,
        "local": _local, "day": _day,
        "flash": _flash(request, signed), "me": signed.staff.name, "title": f"Tolkning {result.reference}"},
        signed=signed)


def _line(form: Any, name: str = "line") -> int:
    raw = field(form, name, required=True, label="Rad", limit=8)
    if not raw.isdigit():
        raise PageError("Okänd rad.", 400)
    return int(raw)


@router.post("/{reference}/{action}")
async def act(request: Request, reference: str, action: str) -> Response:
    signed = signed_in(request)
    form = await request.form()
    check_csrf(form, signed.csrf)
    version = version_of(form)
    reference = reference[:40].upper()
    back = f"/tolk/{reference}"
    try:
        if action == "translate":
            line = _line(form)
            command: c.Command = c.Translate(reference, field(form, "text", required=True, label="Svensk översättning"),
                                             line=line)
            anchor = f"#rad-{line}"
        elif action == "verify":
            raw = field(form, "line", limit=8)
            if raw and not raw.isdigit():
                raise PageError("Okänd rad.", 400)
            command = c.Verify(reference, int(raw) if raw else None)
            anchor = f"#rad-{raw}" if raw else ""
        elif action == "report":
            line = _line(form)
            part_raw = field(form, "part", limit=4)
            command = c.ReportLine(reference, line, int(part_raw) if part_raw.isdigit() else None,
                                   field(form, "note", required=True, label="Vad är fel", limit=1000))
            anchor = f"#rad-{line}"
        elif action == "message":
            message = _line(form, "message")
            command = c.Translate(reference, field(form, "text", required=True, label="Översättning"),
                                  message=message)
            anchor = ""
        else:
            raise PageError(NOT_FOUND, 404, title="Hittades inte")
        result = run(request, command, expected_version=version, signed=signed)
    except PageError as exc:
        if exc.status != 404:
            exc.back = back
        raise
    with db_of(request) as db:
        store.set_flash(db, session_id=signed.session_id, text=result.message or "Sparat.")
    return RedirectResponse(back + anchor, status_code=303)

"""The caseworker's pages: the queue, one case with its actions, the person's files and the letters.

Every read and every action is one command of `casework.commands` (run by `web.commanding.run`):
the check of role and assignment happens there. Each form carries the session's CSRF token and the
case's version; a form made from an older view of the case is refused and changes nothing. After an
action the browser is sent back to the case (post/redirect/get) with what the action said.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from casework import commands as c
from casework.labels import CLOSE_REASON_NAMES, LANGUAGE_NAMES, LEVEL_NAMES, STATUS_NAMES
from casework.letters import KINDS as LETTER_KINDS
from casework.staff import Role
from casework.steps import STEP_KINDS
from casework.views import QueueFilters
from storage import repo
from storage import web as store
from web.commanding import NOT_FOUND, run, version_of
from web.pages import PageError, Signed, check_csrf, db_of, field, now_of, render, signed_in

__all__ = ["router"]

router = APIRouter()
STOCKHOLM = ZoneInfo("Europe/Stockholm")
LETTER_NAMES = {"official": "Skrivelse till kommunen (policy 2.1)", "transfer": "Begäran om överflyttning (2.2)",
                "ivo": "Ansökan till IVO (2.2)"}
_INLINE = {"image/jpeg", "image/png", "image/webp", "image/gif", "audio/ogg", "audio/mpeg", "audio/mp4", "audio/wav",
           "audio/x-wav", "video/mp4", "audio/webm", "audio/opus"}
_DEFAULT_MIME = {"voice": "audio/ogg", "audio": "audio/mpeg", "photo": "image/jpeg", "video": "video/mp4",
                 "video_note": "video/mp4"}
_FILTERS = ("status", "priority", "level", "form", "clock", "municipality", "language", "assignee", "ref",
            "received_from", "received_to")
_CHOICES = {
    "status": {"open": "öppna (nya och pågående)", "new": STATUS_NAMES["new"],
               "in_progress": STATUS_NAMES["in_progress"], "closed": STATUS_NAMES["closed"], "all": "alla"},
    "priority": {"urgent": "brådskande", **{k: LEVEL_NAMES.get(k, k) for k in ("high", "medium", "low")}},
    "level": {k: LEVEL_NAMES.get(k, k) for k in ("high", "medium", "low")},
    "form": {"1": "form 1", "2": "form 2", "0": "ingen form"},
    "clock": {"overdue": "IVO-frist förfallen", "due_soon": "förfaller inom 7 dagar", "running": "frist löper",
              "none": "ingen frist"},
}


def _local(at: datetime | None) -> str:
    return at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M") if at else "–"


def _day(at: datetime | None) -> str:
    return at.astimezone(STOCKHOLM).strftime("%Y-%m-%d") if at else "–"


def _today(request: Request) -> str:
    return now_of(request).astimezone(STOCKHOLM).date().isoformat()


def _back(reference: str) -> str:
    return f"/cases/{reference}"


def _done(request: Request, signed: Signed, reference: str, message: str, anchor: str = "") -> Response:
    with db_of(request) as db:
        store.set_flash(db, session_id=signed.session_id, text=message)
    return RedirectResponse(f"/cases/{reference}{anchor}", status_code=303)


def _flash(request: Request, signed: Signed) -> str | None:
    with db_of(request) as db:
        return store.take_flash(db, session_id=signed.session_id)


# ------------------------------------------------------------------------ the queue
def _queue_filters(request: Request) -> tuple[QueueFilters, dict[str, str]]:
    q = request.query_params
    raw = {name: field(q, name, limit=60, label=name) for name in _FILTERS}
    raw["mine"] = "1" if q.get("mine") == "1" else ""
    for name, allowed in _CHOICES.items():
        if raw[name] and raw[name] not in allowed:
            raise PageError("Ett filter har ett värde som inte finns. Välj i listan.", 400, back="/queue")
    if raw["language"] and raw["language"] not in LANGUAGE_NAMES:
        raise PageError("Okänt språk i filtret.", 400, back="/queue")
    if raw["assignee"] and raw["assignee"] not in ("none",) and not raw["assignee"].isdigit():
        raise PageError("Okänd handläggare i filtret.", 400, back="/queue")
    after = field(q, "after", limit=80)
    assignee = "mine" if raw["mine"] else (raw["assignee"] or None)
    filters = QueueFilters(status=raw["status"] or "open", priority=raw["priority"] or None,
                           level=raw["level"] or None, form=int(raw["form"]) if raw["form"] else None,
                           clock=raw["clock"] or None, municipality=raw["municipality"] or None,
                           language=raw["language"] or None, assignee=assignee,
                           reference=raw["ref"].upper() or None, received_from=raw["received_from"] or None,
                           received_to=raw["received_to"] or None, after=after or None)
    return filters, raw


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request) -> Response:
    signed = signed_in(request)
    filters, raw = _queue_filters(request)
    result = run(request, c.ShowQueue(filters), signed=signed)
    page = result.data
    with db_of(request) as db:
        caseworkers = [s for s in repo.list_staff(db) if s.active and s.role in (Role.CASEWORKER, Role.ADMIN)]
    kept = {k: v for k, v in raw.items() if v}
    next_url = "/queue?" + urlencode({**kept, "after": page.next}) if page.next else None
    first_url = "/queue?" + urlencode(kept) if filters.after else None
    return render(request, "queue.html", {
        "page": page, "raw": raw, "choices": _CHOICES, "languages": LANGUAGE_NAMES, "caseworkers": caseworkers,
        "next_url": next_url, "first_url": first_url, "local": _local, "day": _day, "flash": _flash(request, signed),
        "title": "Mina ärenden" if raw["mine"] else "Ärendekö"}, signed=signed)


# ------------------------------------------------------------------------ one case
@router.get("/cases/{reference}", response_class=HTMLResponse)
def case(request: Request, reference: str) -> Response:
    signed = signed_in(request)
    result = run(request, c.ShowCase(reference[:40]), signed=signed)
    view = result.data
    with db_of(request) as db:
        everyone = [s for s in repo.list_staff(db) if s.active]
    caseworkers = [s for s in everyone if s.role in (Role.CASEWORKER, Role.ADMIN)]
    interpreters = [s for s in everyone if s.role == Role.INTERPRETER and view.language in s.languages]
    return render(request, "case.html", {
        "v": view, "version": result.version, "steps": STEP_KINDS, "close_reasons": CLOSE_REASON_NAMES,
        "caseworkers": caseworkers, "interpreters": interpreters,
        "letters": [(k, LETTER_NAMES[k]) for k in LETTER_KINDS],
        "today": _today(request), "local": _local, "day": _day, "flash": _flash(request, signed),
        "casework": request.app.state.may(signed.staff)["queue"] and signed.staff.role != Role.INTERPRETER,
        "title": view.reference}, signed=signed)


@router.get("/cases/{reference}/files/{line}")
def case_file(request: Request, reference: str, line: int) -> Response:
    result = run(request, c.ShowFile(reference[:40], line))
    content: c.FileContent = result.data
    mime = (content.mime or _DEFAULT_MIME.get(content.kind, "")).split(";")[0].strip().lower()
    inline = mime in _INLINE
    headers = {"Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{content.name}"',
               "Cache-Control": "no-store"}
    return Response(content.content, media_type=mime if inline else "application/octet-stream", headers=headers)


@router.get("/cases/{reference}/letters/{kind}")
def letter(request: Request, reference: str, kind: str) -> Response:
    if kind not in LETTER_KINDS:
        raise PageError(NOT_FOUND, 404, title="Hittades inte")
    result = run(request, c.DraftLetter(reference[:40], kind))
    draft = result.data
    return Response(draft.docx, headers={"Content-Disposition": f'attachment; filename="{draft.filename}"'},
                    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _step_fields(form: Any, kind: str) -> dict[str, str]:
    spec = next((k for k in STEP_KINDS if k.id == kind), None)
    if spec is None:
        raise PageError("Välj ett steg i listan.", 400)
    out = {}
    for f in spec.fields:
        value = field(form, f"{kind}.{f.key}", label=f.label, limit=f.limit)
        if value:
            out[f.key] = value
    return out


async def _form(request: Request) -> tuple[Signed, Any, int]:
    signed = signed_in(request)
    form = await request.form()
    check_csrf(form, signed.csrf)
    return signed, form, version_of(form)


@router.post("/cases/{reference}/{action}")
async def act(request: Request, reference: str, action: str) -> Response:
    signed, form, version = await _form(request)
    reference = reference[:40].upper()
    back = _back(reference)
    try:
        command = _command(form, reference, action)
    except PageError as exc:
        exc.back = back
        raise
    try:
        result = run(request, command, expected_version=version, signed=signed)
    except PageError as exc:
        if exc.status != 404:
            exc.back = back
        raise
    return _done(request, signed, reference, result.message or "Klart.", _ANCHORS.get(action, ""))


_ANCHORS = {"step": "#tidslinje", "note": "#tidslinje", "strike": "#tidslinje", "correct": "#svar",
            "reply": "#meddelanden", "interpreter": "#atgarder"}


def _command(form: Any, reference: str, action: str) -> c.Command:
    if action == "claim":
        return c.Claim(reference)
    if action == "release":
        return c.Release(reference)
    if action == "reassign":
        return c.Reassign(reference, field(form, "to", required=True, label="Handläggare", limit=20))
    if action == "step":
        kind = field(form, "kind", required=True, label="Steg", limit=40)
        on = field(form, "on", label="Datum", limit=10)
        return c.RecordStep(reference, kind, on or None, _step_fields(form, kind))
    if action == "note":
        return c.AddNote(reference, field(form, "text", required=True, label="Anteckning"))
    if action == "strike":
        event = field(form, "event", required=True, label="Steg", limit=12)
        if not event.isdigit():
            raise PageError("Välj steget som ska strykas.", 400)
        return c.StrikeStep(reference, int(event), field(form, "reason", required=True, label="Anledning", limit=500))
    if action == "correct":
        return c.CorrectAnswer(reference, field(form, "question", required=True, label="Fråga", limit=40),
                               field(form, "value", required=True, label="Nytt svar", limit=500))
    if action == "close":
        return c.CloseCase(reference, field(form, "reason", required=True, label="Anledning", limit=40))
    if action == "reopen":
        return c.ReopenCase(reference, field(form, "reason", required=True, label="Anledning", limit=500))
    if action == "interpreter":
        return c.AssignInterpreter(reference, field(form, "interpreter", required=True, label="Tolk", limit=20))
    if action == "reply":
        kind = field(form, "kind", label="Standardsvar", limit=20)
        details = tuple(v for v in (field(form, name, label=label, limit=100) for name, label in
                                    (("phone", "Telefon"), ("date", "Datum"), ("time", "Tid"), ("place", "Plats")))
                        if v)
        text = field(form, "text", label="Meddelande")
        return c.Reply(reference, kind=kind or None, details=details if kind else (), text=None if kind else text,
                       swedish=form.get("swedish") == "1", force=form.get("force") == "1")
    raise PageError(NOT_FOUND, 404, title="Hittades inte")

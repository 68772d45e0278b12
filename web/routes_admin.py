"""The administrator's pages: staff and their roles, languages and e-mail; sign-in methods and live
sessions; the access log (who read which case, when, from which shell); the month report.

Every page asks `casework.staff.allowed` (the one permission table) first; a role without the
right gets the same "not found" page as an address that does not exist.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from casework import commands as c
from casework import report as month_report
from casework.errors import UnknownCommand
from casework.labels import LANGUAGE_NAMES as LANGUAGE_SV
from casework.labels import ROLE_NAMES as ROLE_SV
from casework.labels import SHELL_NAMES
from casework.permissions import Actor, Shell, authorize
from casework.staff import Role
from dialogs.i18n import LANGUAGES
from storage import repo
from storage import web as store
from storage.models import Staff
from web import accounts
from web.commanding import NOT_FOUND, run
from web.pages import PageError, Signed, check_csrf, db_of, field, now_of, render, settings_of, signed_in

__all__ = ["router"]

router = APIRouter(prefix="/admin")
METHOD_SV = {"password": "lösenord och kod", "oidc": "kommunens inloggning", "link": "engångslänk"}
STOCKHOLM = ZoneInfo("Europe/Stockholm")
PAGE = 50


def _admin(request: Request, action: str = "staff_admin") -> Signed:
    """The signed-in admin, checked by the command layer's one permission check (`casework.permissions`)."""
    signed = signed_in(request)
    try:
        with db_of(request) as db:
            authorize(db, Actor(signed.staff_id, Shell.WEB), action)
    except UnknownCommand as exc:
        raise PageError(NOT_FOUND, 404, title="Hittades inte") from exc
    return signed


def _link_url(request: Request, token: str) -> str:
    settings = settings_of(request)
    base = settings.web_url if settings.web_public_url else str(request.base_url).rstrip("/")
    return f"{base}/setup/{token}"


def _staff_row(staff: Staff, account: store.StaffAccount | None, sessions: int) -> dict[str, Any]:
    return {"staff": staff, "role": ROLE_SV.get(staff.role, staff.role), "email": account.email if account else "",
            "languages": ", ".join(LANGUAGE_SV.get(x, x) for x in staff.languages),
            "local": bool(account and account.password_hash and account.totp_secret), "sessions": sessions}


@router.get("/staff", response_class=HTMLResponse)
def staff_list(request: Request) -> Response:
    signed = _admin(request)
    return _staff_page(request, signed)


def _staff_page(request: Request, signed: Signed, *, error: str | None = None, created: dict[str, str] | None = None,
                values: dict[str, Any] | None = None, status: int = 200) -> Response:
    now = now_of(request)
    with db_of(request) as db:
        staff = repo.list_staff(db)
        accs = store.accounts(db)
        live = store.live_sessions(db, now=now)
    per_staff: dict[int, int] = {}
    for s in live:
        per_staff[s.staff_id] = per_staff.get(s.staff_id, 0) + 1
    rows = [_staff_row(s, accs.get(s.id or 0), per_staff.get(s.id or 0, 0)) for s in staff]
    return render(request, "admin/staff.html", {
        "rows": rows, "roles": ROLE_SV, "languages": [(x, LANGUAGE_SV[x]) for x in LANGUAGES if x != "sv"],
        "error": error, "created": created, "values": values or {}, "sso": settings_of(request).oidc_enabled},
        signed=signed, status=status)


def _staff_fields(form: Any) -> dict[str, Any]:
    role = field(form, "role", required=True, label="Roll", limit=16)
    if role not in {r.value for r in Role}:
        raise PageError("Välj en roll: handläggare, tolk eller administratör.", 400)
    languages = [x for x in form.getlist("languages") if isinstance(x, str)]
    if unknown := [x for x in languages if x not in LANGUAGES]:
        raise PageError(f"Okänt språk: {', '.join(unknown)[:50]}.", 400)
    telegram = field(form, "telegram_id", label="Telegram-id", limit=20)
    if telegram and not telegram.isdigit():
        raise PageError("Telegram-id ska vara ett tal (lämna tomt om personen inte använder Telegram).", 400)
    return {"name": field(form, "name", required=True, label="Namn", limit=100), "role": role,
            "languages": languages, "email": field(form, "email", label="E-postadress", limit=254),
            "telegram_id": int(telegram) if telegram else None}


@router.post("/staff")
async def staff_add(request: Request) -> Response:
    signed = _admin(request)
    form = await request.form()
    check_csrf(form, signed.csrf)
    values = _staff_fields(form)
    if not values["email"]:
        raise PageError("Fyll i e-postadressen: den behövs för att logga in i webbkonsolen.", 400)
    now = now_of(request)
    try:
        with db_of(request) as db:
            if values["telegram_id"] is not None:
                if repo.get_staff(db, telegram_user_id=values["telegram_id"]) is not None:
                    raise accounts.SignInRefused("Det finns redan personal med det Telegram-id:t.")
                staff = repo.add_staff(db, telegram_user_id=values["telegram_id"], name=values["name"],
                                       role=values["role"], languages=values["languages"], now=now)
            else:
                staff = store.add_web_staff(db, name=values["name"], role=values["role"],
                                            languages=values["languages"], now=now)
            accounts.set_email(db, staff=staff, email=values["email"], now=now)
            token = accounts.enrolment_link(db, staff=staff, now=now)
    except accounts.SignInRefused as refused:
        return _staff_page(request, signed, error=str(refused), values=values, status=400)
    return _staff_page(request, signed, created={"name": values["name"], "link": _link_url(request, token)})


def _one(request: Request, staff_id: int) -> tuple[Staff, store.StaffAccount | None]:
    with db_of(request) as db:
        staff = repo.get_staff(db, staff_id=staff_id)
        account = store.account_of(db, staff_id=staff_id) if staff else None
    if staff is None:
        raise PageError("Sidan eller ärendet finns inte.", 404, title="Hittades inte")
    return staff, account


@router.get("/staff/{staff_id}", response_class=HTMLResponse)
def staff_edit_form(request: Request, staff_id: int) -> Response:
    signed = _admin(request)
    return _edit_page(request, signed, staff_id)


def _edit_page(request: Request, signed: Signed, staff_id: int, *, message: str | None = None,
               error: str | None = None, link: str | None = None, status: int = 200) -> Response:
    staff, account = _one(request, staff_id)
    now = now_of(request)
    with db_of(request) as db:
        live = [s for s in store.live_sessions(db, now=now) if s.staff_id == staff_id]
    return render(request, "admin/staff_edit.html", {
        "s": staff, "account": account, "roles": ROLE_SV, "sessions": live, "methods": METHOD_SV,
        "languages": [(x, LANGUAGE_SV[x]) for x in LANGUAGES if x != "sv"], "message": message, "error": error,
        "link": link, "sso": settings_of(request).oidc_enabled}, signed=signed, status=status)


@router.post("/staff/{staff_id}")
async def staff_edit(request: Request, staff_id: int) -> Response:
    signed = _admin(request)
    form = await request.form()
    check_csrf(form, signed.csrf)
    action = field(form, "action", required=True, limit=16)
    staff, _ = _one(request, staff_id)
    now = now_of(request)
    link = None
    try:
        with db_of(request) as db:
            staff = repo.get_staff(db, staff_id=staff_id)
            assert staff is not None
            if action == "save":
                values = _staff_fields(form)
                if staff.id == signed.staff_id and values["role"] != Role.ADMIN.value:
                    raise accounts.SignInRefused("Du kan inte ta bort din egen administratörsroll.")
                if values["telegram_id"] != staff.telegram_user_id and values["telegram_id"] is not None:
                    other = repo.get_staff(db, telegram_user_id=values["telegram_id"])
                    if other is not None and other.id != staff.id:
                        raise accounts.SignInRefused("Det finns redan personal med det Telegram-id:t.")
                staff.name, staff.role, staff.languages = values["name"], values["role"], values["languages"]
                staff.telegram_user_id = values["telegram_id"]
                db.add(staff)
                if values["email"]:
                    accounts.set_email(db, staff=staff, email=values["email"], now=now)
                message = "Ändringarna är sparade."
            elif action == "link":
                if store.account_of(db, staff_id=staff_id) is None:
                    raise accounts.SignInRefused("Ange först en e-postadress.")
                link = _link_url(request, accounts.enrolment_link(db, staff=staff, now=now))
                message = "En ny engångslänk är skapad. Den gäller i 24 timmar och visas bara nu."
            elif action == "end_sessions":
                count = store.revoke_sessions(db, now=now, staff_id=staff_id)
                message = f"{count} inloggning(ar) avslutade."
            elif action == "remove":
                if staff.id == signed.staff_id:
                    raise accounts.SignInRefused("Du kan inte ta bort dig själv.")
                staff.active = False
                db.add(staff)
                store.revoke_sessions(db, now=now, staff_id=staff_id)
                message = "Personen har inte längre någon behörighet (historiken finns kvar)."
            elif action == "restore":
                staff.active = True
                db.add(staff)
                message = "Behörigheten är återställd."
            else:
                raise PageError("Okänd åtgärd.", 400)
    except accounts.SignInRefused as refused:
        return _edit_page(request, signed, staff_id, error=str(refused), status=400)
    return _edit_page(request, signed, staff_id, message=message, link=link)


@router.get("/signin", response_class=HTMLResponse)
def sign_in_methods(request: Request) -> Response:
    signed = _admin(request)
    now = now_of(request)
    with db_of(request) as db:
        live = store.live_sessions(db, now=now)
        names = {s.id: s.name for s in repo.list_staff(db)}
        accs = store.accounts(db)
    settings = settings_of(request)
    return render(request, "admin/signin.html", {
        "settings": settings, "sessions": live, "names": names, "methods": METHOD_SV,
        "local": sum(1 for a in accs.values() if a.password_hash and a.totp_secret), "accounts": len(accs),
        "idle": int(accounts.IDLE.total_seconds() // 60), "longest": int(accounts.LONGEST.total_seconds() // 3600),
        "account_limit": accounts.ACCOUNT_LIMIT, "address_limit": accounts.ADDRESS_LIMIT}, signed=signed)


@router.post("/signin")
async def end_session(request: Request) -> Response:
    signed = _admin(request)
    form = await request.form()
    check_csrf(form, signed.csrf)
    raw = field(form, "session", required=True, limit=12)
    if not raw.isdigit():
        raise PageError("Okänd inloggning.", 400)
    with db_of(request) as db:
        store.revoke_sessions(db, now=now_of(request), session_id=int(raw))
    return sign_in_methods(request)


@router.get("/languages", response_class=HTMLResponse)
def languages(request: Request) -> Response:
    signed = _admin(request)
    from bot.catalogs import status
    from storage import interpreting

    with db_of(request) as db:
        staff = [s for s in repo.list_staff(db) if s.active and s.role == Role.INTERPRETER.value]
        reports = interpreting.catalog_reports(db)
        names = {f"staff:{s.id}": s.name for s in repo.list_staff(db)}
    rows = [{"code": c.language, "name": LANGUAGE_SV.get(c.language, c.language), "entries": c.entries,
             "missing": c.missing, "fuzzy": c.fuzzy, "checked": c.human_checked,
             "interpreters": [s.name for s in staff if c.language in s.languages]} for c in status()]
    return render(request, "admin/languages.html", {"rows": rows, "reports": reports, "names": names,
                                                    "language_sv": LANGUAGE_SV}, signed=signed)


def _shell(read: Any) -> str:
    if read.shell:
        return SHELL_NAMES.get(read.shell, read.shell)
    return "kommandoraden" if read.actor.startswith("cli:") else "Telegram"  # reads logged before shells were


@router.get("/access", response_class=HTMLResponse)
def access_log(request: Request) -> Response:
    signed = _admin(request, "access_log")
    reference = field(request.query_params, "ref", limit=32, label="Ärende").upper()
    page_raw = request.query_params.get("page", "1")
    page = int(page_raw) if page_raw.isdigit() and 0 < int(page_raw) < 100000 else 1
    with db_of(request) as db:
        rows = store.access_log(db, reference=reference or None, limit=PAGE + 1, offset=(page - 1) * PAGE)
        names = {f"staff:{s.id}": s.name for s in repo.list_staff(db)}
    entries = [{"at": read.at.astimezone(STOCKHOLM), "reference": ref,
                "who": names.get(read.actor, read.actor.replace("cli:", "serveranvändare ")),
                "shell": _shell(read), "what": read.command} for read, ref in rows[:PAGE]]
    return render(request, "admin/access.html", {"entries": entries, "reference": reference, "page": page,
                                                 "more": len(rows) > PAGE}, signed=signed)


def _month(request: Request) -> str:
    raw = field(request.query_params, "month", limit=7, label="Månad")
    if not raw:
        return now_of(request).astimezone(STOCKHOLM).strftime("%Y-%m")
    try:
        month_report.month_bounds(raw)
    except month_report.InvalidMonth as exc:
        raise PageError("Ange månaden som ÅÅÅÅ-MM, till exempel 2026-11.", 400) from exc
    return raw


@router.get("/report", response_class=HTMLResponse)
def report(request: Request) -> Response:
    signed = signed_in(request)
    month = _month(request)
    figures = run(request, c.MonthReport(month), signed=signed).data.report
    return render(request, "admin/report.html", {"r": figures, "month": month, "table": figures.table()},
                  signed=signed)


@router.get("/report/chart.png")
def report_chart(request: Request) -> Response:
    month = _month(request)
    return Response(run(request, c.MonthReport(month)).data.chart, media_type="image/png")

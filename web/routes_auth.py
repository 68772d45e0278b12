"""Signing in and out: the local account (e-mail, password and TOTP code), the municipality's single
sign-on, and the one-time link that makes the first admin or lets staff set their own password.

The session cookie is SameSite=Strict, so a browser coming back from the identity provider (a
cross-site redirect) would not send it: the callback answers with a small page that moves on to
the console by itself (a same-site navigation), and the handshake is bound to the browser by a
separate short-lived Lax cookie.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from casework.staff import Role
from storage import repo
from storage import web as store
from storage.models import Staff
from web import accounts, security
from web.pages import (
    NotSignedIn,
    PageError,
    check_csrf,
    client_address,
    db_of,
    field,
    now_of,
    render,
    secure_cookies,
    session_cookie,
    settings_of,
    signed_in,
)

__all__ = ["router"]

router = APIRouter()
FLOW_MINUTES = 10


def _login_cookie(request: Request) -> str:
    return "__Host-intake_login" if secure_cookies(request) else "intake_login"


def _flow_cookie(request: Request) -> str:
    return "__Host-intake_sso" if secure_cookies(request) else "intake_sso"


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target and len(target) < 200:
        return target
    return None


def _landing(request: Request, staff: Staff, target: str | None) -> str:
    """Where a staff member lands after signing in: the page they asked for, else their first page."""
    return _safe_next(target) or ("/queue" if request.app.state.may(staff)["queue"] else "/tolk")


def _pre_form(request: Request) -> str:
    """A form token for a page shown before sign-in: the same random value in a Strict cookie and in
    the form (double submit), so another site cannot post the form in this browser's name."""
    return request.cookies.get(_login_cookie(request)) or security.new_token()


def _with_pre_cookie(request: Request, response: Response, token: str) -> Response:
    response.set_cookie(_login_cookie(request), token, max_age=3600, path="/", httponly=True,
                        samesite="strict", secure=secure_cookies(request))
    return response


def _check_pre_form(request: Request, form: Any) -> None:
    check_csrf(form, request.cookies.get(_login_cookie(request)) or "\0missing")


def _signed_response(request: Request, opened: accounts.Opened, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    _set_session(request, response, opened)
    return response


def _set_session(request: Request, response: Response, opened: accounts.Opened) -> None:
    response.set_cookie(session_cookie(request), opened.token, max_age=int(accounts.LONGEST.total_seconds()), path="/",
                        httponly=True, samesite="strict", secure=secure_cookies(request))
    response.delete_cookie(_login_cookie(request), path="/", secure=secure_cookies(request), httponly=True,
                           samesite="strict")


def _login_page(request: Request, *, error: str | None = None, email: str = "", status: int = 200) -> Response:
    token = _pre_form(request)
    settings = settings_of(request)
    context = {"error": error, "email": email, "pre_csrf": token, "next": _safe_next(request.query_params.get("next")),
               "sso": settings.oidc_enabled, "sso_name": settings.oidc_name,
               "insecure": request.url.scheme != "https" and secure_cookies(request)}
    return _with_pre_cookie(request, render(request, "login.html", context, status=status), token)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    _check_pre_form(request, form)
    email = field(form, "email", limit=254, label="E-postadress")
    password = form.get("password")
    code = field(form, "code", limit=12, label="Kod")
    if not isinstance(password, str) or len(password) > security.MAX_PASSWORD:
        raise PageError("Lösenordet är för långt.", 400)
    now, address = now_of(request), client_address(request)
    opened, error = None, ""
    with db_of(request) as db:  # the attempt is recorded even when it fails
        try:
            staff = accounts.sign_in_local(db, email=email, password=password, code=code, address=address, now=now)
            opened = accounts.open_session(db, staff=staff, method="password", address=address, now=now)
        except accounts.SignInRefused as refused:
            error = str(refused)
    if opened is None:
        return _login_page(request, error=error, email=email, status=401)
    target = form.get("next")
    return _signed_response(request, opened, _landing(request, staff, target if isinstance(target, str) else None))


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    try:
        signed = signed_in(request)
    except NotSignedIn:
        return RedirectResponse("/login", status_code=303)
    check_csrf(form, signed.csrf)
    with db_of(request) as db:
        store.revoke_sessions(db, now=now_of(request), session_id=signed.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(session_cookie(request), path="/", secure=secure_cookies(request), httponly=True,
                           samesite="strict")
    return response


# ------------------------------------------------------------------ single sign-on
@router.get("/login/sso")
async def sso_start(request: Request) -> Response:
    oauth = request.app.state.oauth
    if oauth is None:
        raise PageError("Inloggning med kommunens konto är inte inställd här.", 404, title="Hittades inte")
    settings = settings_of(request)
    redirect_uri = (settings.web_url + "/auth/callback") if settings.web_public_url else str(
        request.url_for("sso_callback"))
    request.scope["session"] = {}
    response = await oauth.authorize_redirect(request, redirect_uri)
    cookie = security.new_token()
    now = now_of(request)
    from datetime import timedelta

    data = {"authlib": request.scope["session"], "next": _safe_next(request.query_params.get("next"))}
    with db_of(request) as db:
        store.add_flow(db, cookie_sha256=security.digest(cookie), data=data,
                       expires_at=now + timedelta(minutes=FLOW_MINUTES), now=now)
    response.set_cookie(_flow_cookie(request), cookie, max_age=FLOW_MINUTES * 60, path="/auth", httponly=True,
                        samesite="lax", secure=secure_cookies(request))
    return response  # type: ignore[no-any-return]


@router.get("/auth/callback", name="sso_callback")
async def sso_callback(request: Request) -> Response:
    from web.oidc import claims_of

    oauth = request.app.state.oauth
    if oauth is None:
        raise PageError("Inloggning med kommunens konto är inte inställd här.", 404, title="Hittades inte")
    cookie = request.cookies.get(_flow_cookie(request)) or ""
    now, address = now_of(request), client_address(request)
    with db_of(request) as db:
        flow = store.take_flow(db, cookie_sha256=security.digest(cookie), now=now) if cookie else None
    if flow is None:
        raise PageError("Inloggningen tog för lång tid eller startades i en annan webbläsare. Försök igen.", 400,
                        title="Inloggningen misslyckades")
    request.scope["session"] = flow["authlib"]
    try:
        claims = await claims_of(oauth, request)
    except Exception as exc:
        import logging

        logging.getLogger(__name__).warning("sso handshake failed", extra={"error": type(exc).__name__})
        raise PageError("Inloggningstjänsten gav inget giltigt svar. Försök igen.", 400,
                        title="Inloggningen misslyckades") from exc
    opened = None
    with db_of(request) as db:
        try:
            staff = accounts.sign_in_sso(db, email=str(claims.get("email") or ""),
                                         verified=claims.get("email_verified") is True, address=address, now=now)
            opened = accounts.open_session(db, staff=staff, method="oidc", address=address, now=now)
        except accounts.SignInRefused as refused:
            error = str(refused)
    if opened is None:
        return _login_page(request, error=error, status=403)
    target = _landing(request, staff, flow.get("next"))
    response = render(request, "moving_on.html", {"target": target})
    _set_session(request, response, opened)
    response.headers["Refresh"] = f"0; url={target}"
    response.delete_cookie(_flow_cookie(request), path="/auth", secure=secure_cookies(request), httponly=True,
                           samesite="lax")
    return response


# ------------------------------------------------------------------ one-time links
def _link(request: Request, token: str) -> store.SignInLink:
    if len(token) > 100:
        raise PageError("Länken är ogiltig, redan använd eller för gammal. Be en administratör om en ny.", 404,
                        title="Länken gäller inte")
    with db_of(request) as db:
        link = store.peek_link(db, token_sha256=security.digest(token), now=now_of(request))
        staff = repo.get_staff(db, staff_id=link.staff_id) if link and link.staff_id else None
        account = store.account_of(db, staff_id=staff.id) if staff and staff.id else None
    if link is None or (link.purpose == "enrol" and (staff is None or not staff.active or account is None)):
        raise PageError("Länken är ogiltig, redan använd eller för gammal. Be en administratör om en ny.", 404,
                        title="Länken gäller inte")
    request.scope["intake.link_staff"] = (staff, account)
    return link


def _setup_page(request: Request, token: str, link: store.SignInLink, *, error: str | None = None,
                values: dict[str, str] | None = None, status: int = 200) -> Response:
    import segno

    staff, account = request.scope["intake.link_staff"]
    email = account.email if account else (values or {}).get("email", "")
    label = email or "ny administratör"
    uri = security.otpauth_uri(link.totp_secret, label)
    qr = segno.make(uri, error="m").svg_inline(scale=4, title="QR-kod för appen för engångskoder")
    pre = _pre_form(request)
    context = {"token": token, "purpose": link.purpose, "staff": staff, "email": email, "uri": uri, "qr": qr,
               "secret": link.totp_secret, "error": error, "values": values or {}, "pre_csrf": pre}
    return _with_pre_cookie(request, render(request, "setup.html", context, status=status), pre)


@router.get("/setup/{token}", response_class=HTMLResponse)
def setup_form(request: Request, token: str) -> Response:
    return _setup_page(request, token, _link(request, token))


@router.post("/setup/{token}")
async def setup(request: Request, token: str) -> Response:
    form = await request.form()
    _check_pre_form(request, form)
    link = _link(request, token)
    staff, account = request.scope["intake.link_staff"]
    values = {"name": field(form, "name", limit=100, label="Namn"), "email": field(form, "email", limit=254,
                                                                                   label="E-postadress")}
    password = form.get("password")
    again = form.get("password_again")
    code = field(form, "code", limit=12, label="Kod")
    now, address = now_of(request), client_address(request)

    def again_with(error: str) -> Response:
        return _setup_page(request, token, link, error=error, values=values, status=400)

    if not isinstance(password, str) or not isinstance(again, str):
        return again_with("Fyll i lösenordet två gånger.")
    if problem := security.password_problem(password):
        return again_with(problem)
    if password != again:
        return again_with("Lösenorden är inte lika.")
    if link.purpose == "first_admin" and not values["name"]:
        return again_with("Fyll i ditt namn.")
    step = security.check_totp(link.totp_secret, code, now=now, last_step=None)
    if step is None:
        return again_with("Koden stämmer inte. Skanna QR-koden i appen och skriv den kod som visas nu.")
    try:
        with db_of(request) as db:
            if store.take_link(db, token_sha256=security.digest(token), now=now) is None:
                raise PageError("Länken är redan använd.", 404, title="Länken gäller inte")
            if link.purpose == "first_admin":
                staff = store.add_web_staff(db, name=values["name"], role=Role.ADMIN.value, languages=[], now=now)
                account = accounts.set_email(db, staff=staff, email=values["email"], now=now)
            assert staff is not None and account is not None
            account.password_hash = security.hash_password(password)
            account.totp_secret, account.totp_last_step, account.updated_at = link.totp_secret, step, now
            store.save_account(db, account=account)
            opened = accounts.open_session(db, staff=staff, method="link", address=address, now=now)
    except accounts.SignInRefused as refused:  # the transaction was rolled back: the link still works
        return again_with(str(refused))
    return _signed_response(request, opened, _landing(request, staff, None))



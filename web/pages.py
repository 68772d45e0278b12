"""What every page of the console shares: the database per request, the signed-in staff member,
the CSRF check, cookies, and rendering a Jinja2 template or a Swedish error page.

A refused request (no session, a forged form, a stale form, an action the role does not allow)
never reaches the command layer with partial effects: the check comes first, the change after.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlmodel import Session

from bot.settings import Settings
from storage.db import transaction
from storage.models import Staff
from web import accounts, security

__all__ = [
    "MAX_FIELD",
    "NotSignedIn",
    "PageError",
    "Signed",
    "check_csrf",
    "client_address",
    "db_of",
    "render",
    "secure_cookies",
    "session_cookie",
    "signed_in",
]

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
MAX_FIELD = 4000  # a free-text field longer than this is refused, not cut
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


class PageError(Exception):
    """A request refused with a Swedish message and an HTTP status; nothing was changed."""

    def __init__(self, message: str, status: int = 400, *, title: str = "Det gick inte",
                 back: str | None = None) -> None:
        super().__init__(message)
        self.message, self.status, self.title, self.back = message, status, title, back


class NotSignedIn(Exception):
    """No live session: the browser is sent to /login."""


@dataclass(frozen=True)
class Signed:
    """The signed-in staff member of this request and their session's form token."""

    staff: Staff
    session_id: int
    csrf: str

    @property
    def staff_id(self) -> int:
        assert self.staff.id is not None
        return self.staff.id


def settings_of(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def engine_of(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


def now_of(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


@contextmanager
def db_of(request: Request) -> Iterator[Session]:
    """One unit of work for this request."""
    with transaction(engine_of(request)) as db:
        yield db


def client_address(request: Request) -> str:
    return (request.client.host if request.client else "") or "-"


def secure_cookies(request: Request) -> bool:
    """Cookies are Secure unless the console is reached over plain HTTP on this machine's loopback."""
    if request.url.scheme == "https":
        return True
    host = (request.url.hostname or "").lower()
    if host in LOOPBACK_NAMES:
        return False
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return True


def session_cookie(request: Request) -> str:
    # The __Host- prefix makes the browser refuse the cookie unless Secure, Path=/ and no Domain.
    return "__Host-intake" if secure_cookies(request) else "intake"


def signed_in(request: Request) -> Signed:
    """The live session of this request, or NotSignedIn."""
    cached = request.scope.get("intake.signed")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    token = request.cookies.get(session_cookie(request))
    with db_of(request) as db:
        found = accounts.session_of(db, token=token, now=now_of(request))
    if found is None:
        raise NotSignedIn
    session, staff = found
    assert session.id is not None
    signed = Signed(staff=staff, session_id=session.id, csrf=session.csrf)
    request.scope["intake.signed"] = signed
    return signed


def check_csrf(form: Any, expected: str) -> None:
    """The form's token must be this session's; otherwise nothing is done."""
    given = form.get("csrf") if form is not None else None
    if not isinstance(given, str) or not given or not security.same(given, expected):
        raise PageError("Formuläret kunde inte tas emot: säkerhetskoden saknas eller stämmer inte. "
                        "Ladda om sidan och försök igen.", 400, title="Formuläret är för gammalt eller ändrat")


def field(form: Any, name: str, *, required: bool = False, label: str = "", limit: int = MAX_FIELD) -> str:
    """A text field of a form, stripped; too long or missing (when required) is a PageError."""
    value = form.get(name)
    value = value.strip() if isinstance(value, str) else ""
    if len(value) > limit:
        raise PageError(f"Fältet ”{label or name}” är för långt (högst {limit} tecken).", 400)
    if required and not value:
        raise PageError(f"Fyll i ”{label or name}”.", 400)
    return value


def render(request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200,
           signed: Signed | None = None) -> HTMLResponse:
    ctx: dict[str, Any] = {"signed": signed, "csrf": signed.csrf if signed else "", "settings": settings_of(request)}
    if signed is not None:
        ctx["may"] = request.app.state.may(signed.staff)
        if signed.staff.role == "interpreter":  # the badge: what waits for this interpreter's translation
            ctx["badge"] = sum(open_lines(request, signed).values()) or None
    ctx.update(context or {})
    return TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)


def open_lines(request: Request, signed: Signed) -> dict[str, int]:
    """Per open case assigned to this interpreter: the person's messages without a translation and the
    caseworkers' messages waiting for one (the same count the interpreter's /translate walks)."""
    from storage import web as store

    conversation = request.app.state.conversation
    with db_of(request) as db:
        return {r.reference: conversation.next_open(db, r).left
                for r in store.assigned_open(db, interpreter_id=signed.staff_id)}


def error_page(request: Request, message: str, status: int, title: str, back: str | None = None) -> Response:
    signed = request.scope.get("intake.signed")
    return render(request, "error.html", {"title": title, "message": message, "back": back}, status=status,
                  signed=signed)


def now_utc() -> datetime:
    return datetime.now(UTC)


"""The staff web console as one FastAPI application: `create_app(settings)` builds it with its
database engine, routes, security headers and Swedish error pages.

Every response carries a strict Content-Security-Policy (no script at all: the console is plain
HTML forms), no caching of pages (they hold case data), and no referrer (a one-time link must not
leak to another site).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.settings import Settings
from casework.conversation import Conversation
from casework.permissions import ACTIONS
from casework.staff import Role, allowed
from storage.db import make_engine
from storage.models import Staff
from web.pages import NotSignedIn, PageError, error_page

__all__ = ["CSP", "create_app"]

CSP = ("default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _may(staff: Staff) -> dict[str, bool]:
    """Which parts of the menu to show; each page still asks the command layer on every request."""
    rules = ACTIONS
    return {
        "queue": staff.role in rules["claim"].roles,
        "interpret": staff.role in rules["translate"].roles or staff.role == Role.INTERPRETER,
        "admin": allowed(staff.role, "staff_admin"),
    }


def create_app(settings: Settings, *, engine: Engine | None = None, clock: Callable[[], datetime] | None = None,
               conversation: Conversation | None = None) -> FastAPI:
    app = FastAPI(title="Sollefteå intake, personalens webbkonsol", docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.clock = clock or (lambda: datetime.now(UTC))
    app.state.may = _may
    if conversation is None:
        from dialogs.staffside import STAFF_SIDE

        conversation = STAFF_SIDE
    app.state.conversation = conversation  # the port through which casework reads the question table
    app.state.oauth = None
    if settings.oidc_enabled:
        from web.oidc import client

        app.state.oauth = client(settings)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        started = time.perf_counter()
        response: Response = await call_next(request)
        # The server's own time for the request (read by bench/web.py; browsers show it in their tools).
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.scheme == "https":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _exc: NotSignedIn) -> Response:
        target = request.url.path if request.method == "GET" and request.url.path.startswith("/") else "/queue"
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        return error_page(request, exc.message, exc.status, exc.title, exc.back)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return error_page(request, "Sidan eller ärendet finns inte.", 404, "Hittades inte")
        if exc.status_code == 405:
            return error_page(request, "Den här sidan tar inte emot det slags anrop.", 405, "Fel sorts anrop")
        return error_page(request, "Begäran kunde inte tas emot.", exc.status_code, "Det gick inte")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, _exc: RequestValidationError) -> Response:
        return error_page(request, "Begäran innehöll ogiltiga värden. Gå tillbaka och försök igen.", 400,
                          "Ogiltiga uppgifter")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"ok": True})

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/queue", status_code=303)

    from web import routes_admin, routes_auth, routes_cases, routes_interpreting

    app.include_router(routes_auth.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_interpreting.router)
    app.include_router(routes_cases.router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    return app

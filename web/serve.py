"""Serving the console with uvicorn: alone (`intake web`) or in a thread beside the bot (`intake run`).

The socket is bound here before uvicorn starts, so a port already in use is said plainly and the
bot keeps running without the console. uvicorn's access log is off: a one-time sign-in link is in
its path, and the console chat shares the terminal.
"""

from __future__ import annotations

import logging
import socket
import threading
from datetime import UTC, datetime

import uvicorn

from bot.settings import Settings
from storage.db import make_engine, transaction
from web import accounts

__all__ = ["announce", "bind", "serve", "start_in_background"]

log = logging.getLogger(__name__)


def bind(settings: Settings) -> socket.socket | str:
    """A listening socket on INTAKE_WEB_LISTEN:INTAKE_WEB_PORT, or why there is none (a sentence)."""
    host = settings.web_listen
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, settings.web_port))
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            return (f"the staff web console did not start: port {settings.web_port} on {host} is already in use "
                    f"(set INTAKE_WEB_PORT to a free port, or stop what uses it)")
        return f"the staff web console did not start: cannot listen on {host}:{settings.web_port} ({exc.strerror})"
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _server(settings: Settings) -> uvicorn.Server:
    from web.app import create_app

    config = uvicorn.Config(create_app(settings), log_config=None, access_log=False, proxy_headers=True,
                            forwarded_allow_ips=settings.web_trusted_proxies, server_header=False,
                            timeout_graceful_shutdown=5, lifespan="off")
    return uvicorn.Server(config)


def announce(settings: Settings, write: object = print) -> None:
    """Print the console's address and, on a database nobody can sign in to yet, the first admin's
    one-time link."""
    assert callable(write)
    write(f"Staff web console: {settings.web_url}/queue")
    with transaction(make_engine(settings.database_url)) as db:
        token = accounts.first_admin_link(db, now=datetime.now(UTC))
    if token:
        write(f"No staff can sign in yet. Open this one-time link (valid 24 hours) to become the first admin:\n"
              f"  {settings.web_url}/setup/{token}")


def serve(settings: Settings) -> int:
    """Run the console in this thread until stopped; 1 when it could not listen."""
    sock = bind(settings)
    if isinstance(sock, str):
        print(sock)
        return 1
    announce(settings)
    _server(settings).run(sockets=[sock])
    return 0


def start_in_background(settings: Settings) -> uvicorn.Server | None:
    """Start the console in a daemon thread beside the bot; None (and a printed reason) when it cannot."""
    sock = bind(settings)
    if isinstance(sock, str):
        print(sock + "; the bot runs on without it")
        return None
    server = _server(settings)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="web-console", daemon=True)
    thread.start()
    announce(settings)
    return server

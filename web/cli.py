"""The console's commands on `intake`: `intake web`, and the staff accounts of spec section 8:
`intake staff password E` (the new password from standard input) and `intake staff totp E` (a new
otpauth:// enrolment URI, printed once). `bot.cli` registers them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime

import typer

from bot.settings import Settings
from storage.db import make_engine, migrate, transaction
from web import accounts

__all__ = ["register"]


def register(app: typer.Typer, staff_app: typer.Typer, settings: Callable[[], Settings]) -> None:
    @app.command()
    def web() -> None:
        """The staff web console alone, on INTAKE_WEB_LISTEN:INTAKE_WEB_PORT (default 127.0.0.1:8000)."""
        from web.serve import serve

        current = settings()
        migrate(current.database_url)
        raise typer.Exit(serve(current))

    @staff_app.command("password")
    def staff_password(email: str) -> None:
        """Set the web console password of the staff member with this e-mail; read from standard input."""
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        current = settings()
        try:
            with transaction(make_engine(current.database_url)) as db:
                staff = accounts.set_password(db, email=email, password=password, now=datetime.now(UTC))
        except accounts.SignInRefused as refused:
            typer.echo(str(refused), err=True)
            raise typer.Exit(1) from refused
        typer.echo(f"password set for {staff.name}; their web sessions were ended")

    @staff_app.command("totp")
    def staff_totp(email: str) -> None:
        """A new TOTP secret for the staff member with this e-mail: prints its otpauth:// URI once."""
        current = settings()
        try:
            with transaction(make_engine(current.database_url)) as db:
                uri = accounts.set_totp(db, email=email, now=datetime.now(UTC))
        except accounts.SignInRefused as refused:
            typer.echo(str(refused), err=True)
            raise typer.Exit(1) from refused
        typer.echo(uri)


def set_email(current: Settings, staff_id: int, email: str) -> None:
    """`intake staff add ... --email E`: the e-mail the staff member signs in to the console with."""
    from storage import repo

    try:
        with transaction(make_engine(current.database_url)) as db:
            staff = repo.get_staff(db, staff_id=staff_id)
            assert staff is not None
            accounts.set_email(db, staff=staff, email=email, now=datetime.now(UTC))
    except accounts.SignInRefused as refused:
        typer.echo(str(refused), err=True)
        raise typer.Exit(1) from refused

"""The `intake` command: run the bot or the console chat, migrate, and read the queue.

Staff use it on the server; `make run` calls `intake db upgrade` and then `intake run`.
"""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum

import typer
from sqlalchemy import Engine

from bot.logs import redact_libraries
from bot.settings import Settings
from casework import queue
from dialogs.i18n import available_languages
from storage import crypto, repo
from storage.db import make_engine, migrate, transaction

__all__ = ["app"]

app = typer.Typer(help="Sollefteå intake: the Telegram bot, the console chat and the caseworkers' queue.",
                  no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
queue_app = typer.Typer(help="The caseworkers' queue (ärendekön).", no_args_is_help=True)
app.add_typer(db_app, name="db")
staff_app = typer.Typer(help="Staff and their roles (caseworker, interpreter, admin).", no_args_is_help=True)
catalog_app = typer.Typer(help="Translations: status, and a sheet for translators out and in.", no_args_is_help=True)
app.add_typer(queue_app, name="queue")
app.add_typer(catalog_app, name="catalog")
app.add_typer(staff_app, name="staff")


class Format(StrEnum):
    json = "json"
    text = "text"


def _database(settings: Settings) -> Engine:
    """An existing, migrated database, or a clear message (never a new empty file elsewhere)."""
    from bot.cli_staff import database

    return database(settings)


def _settings() -> Settings:
    settings = Settings()
    _logging(settings.log_level)
    crypto.configure(settings.encryption_key)
    return settings


def _logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s %(extra_fields)s",
        stream=sys.stderr,
    )
    # python-telegram-bot logs every Bot API call with its parameters (message texts) at DEBUG, and
    # httpx every URL (it holds the token) at INFO: they never go below these levels.
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLevelName(level.upper())))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("transitions").setLevel(logging.WARNING)
    redact_libraries()  # and whatever their level, their lines never carry arguments (texts, updates, the token)
    factory = logging.getLogRecordFactory()
    if getattr(factory, "intake_extra", False):
        return

    def record_factory(*args, **kwargs):  # type: ignore[no-untyped-def]
        record = factory(*args, **kwargs)
        standard = _STANDARD
        extra = {k: v for k, v in record.__dict__.items() if k not in standard}
        record.extra_fields = json.dumps(extra, default=str) if extra else ""
        return record

    record_factory.intake_extra = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(record_factory)


_STANDARD = set(logging.LogRecord("x", 0, "x", 0, "x", None, None).__dict__) | {"message", "asctime", "extra_fields"}


@app.command()
def run() -> None:
    """Start the bot on Telegram when INTAKE_TELEGRAM_TOKEN is set, else the console chat."""
    settings = _settings()
    migrate(settings.database_url)
    from web.serve import start_in_background

    start_in_background(settings)  # the staff web console beside the bot (says so when it cannot start)
    if settings.telegram_token:
        from bot.telegram.app import run as run_telegram

        run_telegram(settings)
    else:
        console()


@app.command()
def console() -> None:
    """Take an intake in this terminal."""
    from bot.console import ConsoleChat

    settings = _settings()
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    ConsoleChat(engine, settings.dialog_config(available_languages()), sys.stdin, sys.stdout).run()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the current schema."""
    migrate(_settings().database_url)


@db_app.command("generate-key")
def db_generate_key() -> None:
    """Print a new key for INTAKE_ENCRYPTION_KEY (keep it apart from the database's backups)."""
    typer.echo(crypto.generate_key())


@db_app.command("rotate-key")
def db_rotate_key() -> None:
    """Re-encrypt every sealed value with the first key of INTAKE_ENCRYPTION_KEY."""
    from storage.rotate import reseal

    settings = _settings()
    if not crypto.is_configured():
        raise typer.BadParameter("set INTAKE_ENCRYPTION_KEY first (the new key first, then the old ones)")
    with transaction(_database(settings)) as db:
        count = reseal(db)
    typer.echo(f"re-encrypted {count} rows; the old keys can be removed from INTAKE_ENCRYPTION_KEY now")


@app.command()
def purge(dry_run: bool = typer.Option(False, "--dry-run", help="count what would be erased, erase nothing")) -> None:
    """Erase unfinished intakes idle too long and closed cases past their retention (counts only)."""
    from datetime import UTC, datetime

    from casework.retention import purge as run_purge

    settings = _settings()
    with transaction(_database(settings)) as db:
        report = run_purge(db, now=datetime.now(UTC), unfinished_days=settings.retention_unfinished_days,
                           closed_years=settings.retention_closed_years, dry_run=dry_run)
    verb = "would erase" if dry_run else "erased"
    typer.echo(f"{verb}: {report.unfinished_intakes} unfinished intakes, {report.closed_referrals} closed cases, "
               f"{report.processed_update_ids} processed update ids")


@queue_app.command("export")
def queue_export(format: Format = Format.json) -> None:  # noqa: A002 - the option is called --format
    """Every referral with its answers, consents and assessment (INTAKE_SPEC section 8), written as it is
    read: a JSON array with one referral per line, so 100,000 referrals never sit in memory at once."""
    settings = _settings()
    engine = _database(settings)
    out = sys.stdout
    with transaction(engine) as db:
        first = True
        if format is Format.json:
            out.write("[")
        for item in queue.export_items(db):
            if format is Format.json:
                out.write(("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False))
            else:
                a = item["assessment"]
                out.write(f"{item['reference']}  {item['priority']:<7} {item['status']:<11} {item['language']:<5} "
                          f"forms={a.get('forms')} actions={','.join(a.get('actions', []))}\n")
            first = False
        if format is Format.json:
            out.write("\n]\n")
    out.flush()


@staff_app.command("add")
def staff_add(telegram_user_id: int, name: str,
              role: str = typer.Option(..., "--role", help="caseworker, interpreter or admin"),
              languages: str = typer.Option("", "--languages", help="an interpreter's languages, e.g. ar,ti"),
              email: str = typer.Option("", "--email", help="the e-mail they sign in to the web console with")) -> None:
    """Add staff (or change their name, role, languages, e-mail)."""
    from datetime import UTC, datetime

    from casework.staff import Role
    from dialogs.i18n import LANGUAGES

    if role not in {r.value for r in Role}:
        raise typer.BadParameter("caseworker, interpreter or admin", param_hint="--role")
    langs = [x.strip() for x in languages.split(",") if x.strip()]
    if unknown := [x for x in langs if x not in LANGUAGES]:
        raise typer.BadParameter(f"unknown languages {unknown}", param_hint="--languages")
    settings = _settings()
    with transaction(_database(settings)) as db:
        staff = repo.add_staff(db, telegram_user_id=telegram_user_id, name=name, role=role, languages=langs,
                               now=datetime.now(UTC))
        staff_id = staff.id
        typer.echo(f"staff {staff.id}: {staff.name} ({staff.role})")
    if email:
        from web.cli import set_email

        assert staff_id is not None
        set_email(settings, staff_id, email)
        typer.echo(f"e-mail {email.strip().lower()}: set a password with `intake staff password`, "
                   "then a code with `intake staff totp`")


@staff_app.command("remove")
def staff_remove(telegram_user_id: int) -> None:
    """Take away all staff rights (the person's history stays in the events)."""
    settings = _settings()
    with transaction(_database(settings)) as db:
        staff = repo.get_staff(db, telegram_user_id=telegram_user_id)
        if staff is None:
            raise typer.BadParameter(f"no staff with Telegram id {telegram_user_id}")
        staff.active = False
        db.add(staff)
    typer.echo(f"removed {staff.name}")


@staff_app.command("list")
def staff_list() -> None:
    settings = _settings()
    with transaction(_database(settings)) as db:
        for s in repo.list_staff(db):
            state = "" if s.active else " (removed)"
            telegram = s.telegram_user_id or "-"
            typer.echo(f"{s.id:>4}  {telegram:>12}  {s.role:<11} {s.name}  {','.join(s.languages)}{state}")


@catalog_app.command("status")
def catalog_status() -> None:
    """Per language: entries, missing, fuzzy, and whether a human translator has checked it."""
    from bot.catalogs import status

    typer.echo(f"{'language':<9} {'entries':>7} {'missing':>7} {'fuzzy':>5}  human-checked")
    for s in status():
        checked = {True: "yes", False: "no", None: "not stated"}[s.human_checked]
        typer.echo(f"{s.language:<9} {s.entries:>7} {s.missing:>7} {s.fuzzy:>5}  {checked}")


@catalog_app.command("export")
def catalog_export(
    lang: str = typer.Option(..., "--lang", help="language id, e.g. ar"),
    format: str = typer.Option("csv", "--format", help="csv"),  # noqa: A002 - the option is called --format
    output: typer.FileTextWrite = typer.Option("-", "--output", "-o", help="file (default: standard output)"),
) -> None:
    """Write a sheet: msgid, Swedish, English, the language, translator's comment."""
    from bot.catalogs import export_sheet

    if format != "csv":
        raise typer.BadParameter("only csv is supported", param_hint="--format")
    _known_language(lang)
    rows = export_sheet(lang, output)
    typer.echo(f"{rows} rows", err=True)


@catalog_app.command("import")
def catalog_import(
    sheet: typer.FileText = typer.Argument(..., help="the filled CSV sheet"),
    lang: str = typer.Option(..., "--lang", help="language id, e.g. ar"),
    checked_by: str = typer.Option(None, "--checked-by", help="mark the catalog as checked by this translator"),
) -> None:
    """Read a filled sheet back; rows whose placeholders do not match are refused and listed."""
    from bot.catalogs import import_sheet

    _known_language(lang)
    result = import_sheet(lang, sheet, human_checked=checked_by is not None, translator=checked_by)
    typer.echo(f"updated {result.updated}, unchanged {result.unchanged}, refused {len(result.refused or [])}")
    for line in result.refused or []:
        typer.echo(f"  refused {line}", err=True)
    if result.updated:
        typer.echo("run `make compile` (or `make run`) to use the new translations", err=True)
    if result.refused:
        raise typer.Exit(1)


@catalog_app.command("reports")
def catalog_reports(lang: str = typer.Option(None, "--lang", help="only this language")) -> None:
    """Sentences of the catalogs that interpreters reported as wrong or unclear, per language."""
    from casework.interpreting import staff_name
    from storage import interpreting

    if lang is not None:
        _known_language(lang)
    settings = _settings()
    with transaction(_database(settings)) as db:
        reports = interpreting.catalog_reports(db, language=lang)
        if not reports:
            typer.echo("no reports")
        for r in reports:
            context = f" [{r.context}]" if r.context else ""
            typer.echo(f"{r.language:<6} {r.at:%Y-%m-%d %H:%M}  {staff_name(db, r.reporter)}  ({r.source or '-'})")
            typer.echo(f"  msgid{context}: {r.msgid}")
            if r.translation:
                typer.echo(f"  text:  {r.translation}")
            typer.echo(f"  note:  {r.note}")


def _known_language(lang: str) -> None:
    from dialogs.i18n import LANGUAGES

    if lang not in LANGUAGES:
        raise typer.BadParameter(f"not a language of the spec: {', '.join(LANGUAGES)}", param_hint="--lang")


@app.command()
def diagram() -> None:
    """Print the intake's flow as a mermaid chart, generated from the question table."""
    from dialogs.machine import diagram as make_diagram

    typer.echo(make_diagram(), nl=False)


from bot.cli_staff import register as _register_staff  # noqa: E402  (queue, letter, report, transcript …)
from web.cli import register as _register_web  # noqa: E402  (intake web, intake staff password|totp)

_register_staff(app, queue_app, _settings)
_register_web(app, staff_app, _settings)

if __name__ == "__main__":
    app()

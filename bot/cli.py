"""The `intake` command: run the bot or the console chat, migrate, and read the queue.

Staff use it on the server; `make run` calls `intake db upgrade` and then `intake run`.
"""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum

import typer

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


class TranscriptFormat(StrEnum):
    json = "json"
    html = "html"


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
    with transaction(make_engine(settings.database_url)) as db:
        count = reseal(db)
    typer.echo(f"re-encrypted {count} rows; the old keys can be removed from INTAKE_ENCRYPTION_KEY now")


@app.command()
def purge(dry_run: bool = typer.Option(False, "--dry-run", help="count what would be erased, erase nothing")) -> None:
    """Erase unfinished intakes idle too long and closed cases past their retention (counts only)."""
    from datetime import UTC, datetime

    from casework.retention import purge as run_purge

    settings = _settings()
    with transaction(make_engine(settings.database_url)) as db:
        report = run_purge(db, now=datetime.now(UTC), unfinished_days=settings.retention_unfinished_days,
                           closed_years=settings.retention_closed_years, dry_run=dry_run)
    verb = "would erase" if dry_run else "erased"
    typer.echo(f"{verb}: {report.unfinished_intakes} unfinished intakes, {report.closed_referrals} closed cases, "
               f"{report.processed_update_ids} processed update ids")


@queue_app.command("export")
def queue_export(format: Format = Format.json) -> None:  # noqa: A002 - the option is called --format
    """Every referral with its answers, consents and assessment (INTAKE_SPEC section 8)."""
    settings = _settings()
    engine = make_engine(settings.database_url)
    with transaction(engine) as db:
        data = queue.export(db)
    if format is Format.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        for item in data:
            a = item["assessment"]
            typer.echo(f"{item['reference']}  {item['priority']:<7} {item['status']:<11} {item['language']:<5} "
                       f"forms={a.get('forms')} actions={','.join(a.get('actions', []))}")


def _staffcmd(command: str, args: str, staff_id: int | None = None) -> None:
    """Run a staff command as the CLI user (an administrator on the server) and print the answer."""
    import getpass
    from datetime import UTC, datetime

    from bot import staffcmd

    settings = _settings()
    with transaction(make_engine(settings.database_url)) as db:
        staff = None
        if staff_id is not None:
            staff = repo.get_staff(db, staff_id=staff_id) or repo.get_staff(db, telegram_user_id=staff_id)
            if staff is None:
                raise typer.BadParameter(f"no staff with id {staff_id}", param_hint="--staff")
        actor = f"staff:{staff.id}" if staff else f"cli:{getpass.getuser()}"
        reply = staffcmd.run(db, staff=staff, actor=actor, command=command, args=args, now=datetime.now(UTC))
    typer.echo(reply.text)
    for filename, content in [*reply.documents, *((name, content) for name, content, _ in reply.media)]:
        with open(filename, "wb") as fh:
            fh.write(content)
        typer.echo(f"wrote {filename}")


@queue_app.command("list")
def queue_list(all_: bool = typer.Option(False, "--all", help="closed cases too")) -> None:
    """The queue: running IVO deadlines first, then urgent, high, medium, low, then oldest first."""
    _staffcmd("queue", "all" if all_ else "")


@queue_app.command("due")
def queue_due() -> None:
    """Cases whose IVO deadline is overdue or within 7 days (as announced in the staff chat)."""
    _staffcmd("due", "")


@queue_app.command("show")
def queue_show(reference: str) -> None:
    """One case: answers, reasons (signal, answer, policy section), actions, events. The read is logged."""
    _staffcmd("case", reference)


@queue_app.command("claim")
def queue_claim(reference: str, staff: int = typer.Option(..., "--staff", help="staff id or Telegram id")) -> None:
    """Take a case for a caseworker; only one can have it."""
    _staffcmd("claim", reference, staff)


@queue_app.command("step")
def queue_step(reference: str, step: str, when: str = typer.Option("", "--date", help="YYYY-MM-DD, default today"),
               text: str = typer.Option("", "--text")) -> None:
    """Record a dated step: municipality_contacted, letter_sent, transfer_requested, transfer_accepted,
    transfer_refused, ivo_applied, home_visit_booked, home_visit_done, housing_offered."""
    import shlex

    _staffcmd("step", " ".join(shlex.quote(w) for w in (reference, step, when, text) if w))


@queue_app.command("note")
def queue_note(reference: str, text: str) -> None:
    """Add a note to a case."""
    _staffcmd("note", f"{reference} {text}")


@queue_app.command("assign")
def queue_assign(reference: str, interpreter: int = typer.Argument(..., help="staff id or Telegram id")) -> None:
    """Assign an interpreter who has the case's language."""
    _staffcmd("assign", f"{reference} {interpreter}")


@queue_app.command("edit")
def queue_edit(reference: str, question: str, value: str) -> None:
    """Correct an answer: both values are kept, the assessment is recomputed."""
    import shlex

    _staffcmd("edit", " ".join(shlex.quote(w) for w in (reference, question, value)))


@queue_app.command("close")
def queue_close(reference: str, reason: str) -> None:
    """Close a case: returned, stays_with_support, not_dumping, no_contact, withdrawn."""
    _staffcmd("close", f"{reference} {reason}")


@app.command()
def letter(reference: str, kind: str = typer.Option(..., "--kind", help="official, transfer or ivo")) -> None:
    """Write a letter draft (Word and text) for a case into the current folder."""
    _staffcmd("letter", f"{reference} {kind}")


@app.command()
def report(month: str = typer.Option(..., "--month", help="YYYY-MM")) -> None:
    """The month's figures (no personal data), as a table and a PNG chart."""
    _staffcmd("stats", month)


@app.command()
def transcript(reference: str, format: TranscriptFormat = TranscriptFormat.json,  # noqa: A002 - called --format
               staff: int = typer.Option(None, "--staff", help="read as this staff member (staff id or Telegram id)"),
               files: str = typer.Option(None, "--files", help="also write the person's stored files to this folder"),
               ) -> None:
    """The conversation in order: the person's language and Swedish, files, translations (the read is logged)."""
    import getpass
    from datetime import UTC, datetime
    from pathlib import Path

    from bot.transcript import read, to_json
    from bot.transcript_html import to_html
    from casework.interpreting import may_use
    from casework.steps import CaseError
    from storage import interpreting

    settings = _settings()
    with transaction(make_engine(settings.database_url)) as db:
        who = None
        if staff is not None:
            who = repo.get_staff(db, staff_id=staff) or repo.get_staff(db, telegram_user_id=staff)
            if who is None or not may_use(db, staff=who, command="transcript", args=reference):
                raise typer.BadParameter(f"staff {staff} may not read {reference}", param_hint="--staff")
        actor = f"staff:{who.id}" if who else f"cli:{getpass.getuser()}"
        try:
            record = read(db, reference=reference, actor=actor, command=f"transcript:{format.value}",
                          now=datetime.now(UTC))
        except CaseError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from exc
        written = []
        if files:
            folder = Path(files)
            folder.mkdir(parents=True, exist_ok=True)
            for ln in record.lines:
                for f in ln.files:
                    if f.status != "stored":
                        continue
                    content = interpreting.file_content(db, entry_id=ln.entry_id) if ln.entry_id else None
                    if content is not None:
                        path = folder / f"{record.reference}-rad{ln.n}-{f.kind}"
                        path.write_bytes(content)
                        written.append(path)
    if format is TranscriptFormat.json:
        typer.echo(json.dumps(to_json(record), ensure_ascii=False, indent=1))
    else:
        typer.echo(to_html(record), nl=False)
    for path in written:
        typer.echo(f"wrote {path}", err=True)


@app.command()
def translate(reference: str,
              entry: int = typer.Option(None, "--entry", help="the transcript's line number"),
              text: str = typer.Option(None, "--text", help="the Swedish translation (or of --reply: the person's "
                                                            "language)"),
              reply: int = typer.Option(None, "--reply", help="a caseworker's message waiting for translation"),
              verify: bool = typer.Option(False, "--verify", help="mark the drafts (or --entry's) verified"),
              staff: int = typer.Option(None, "--staff", help="translate as this interpreter (staff or Telegram id)"),
              ) -> None:
    """Translate a line of the person's into Swedish (a draft), verify drafts, or show the next open line."""
    if verify:
        _staffcmd("verify", f"{reference} {entry}" if entry is not None else reference, staff)
    elif reply is not None:
        if not text:
            raise typer.BadParameter("the translation is missing", param_hint="--text")
        _staffcmd("translate", f"{reference} r{reply} {text}", staff)
    elif entry is not None:
        _staffcmd("translate", f"{reference} {entry} {text}" if text else f"{reference} {entry}", staff)
    else:
        _staffcmd("translate", reference, staff)


@app.command("reply")
def reply_command(
    reference: str,
    standard: str = typer.Argument(None, help="received, call, meeting or lease; leave out for free text"),
    phone: str = typer.Option(None, "--phone", help="call: the number to call"),
    day: str = typer.Option(None, "--date", help="meeting: YYYY-MM-DD"),
    at: str = typer.Option(None, "--time", help="meeting: HH:MM"),
    place: str = typer.Option(None, "--place", help="meeting: where"),
    text: str = typer.Option(None, "--text", help="free text in Swedish (sent once an interpreter translated it)"),
    swedish: bool = typer.Option(False, "--swedish", help="send the free text now, in Swedish"),
    force: bool = typer.Option(False, "--force", help="send although the person used the quick exit"),
    staff: int = typer.Option(None, "--staff", help="send as this caseworker (staff id or Telegram id)"),
) -> None:
    """Send the person a message in their language: a standard message, or free text."""
    import shlex

    flags = [f for f, on in (("--swedish", swedish), ("--force", force)) if on]
    if standard:
        details = {"call": [phone], "meeting": [day, at, place]}.get(standard, [])
        if any(d is None for d in details):
            raise typer.BadParameter("call needs --phone; meeting needs --date, --time and --place")
        words = [reference, standard, *[d for d in details if d], *flags]
        _staffcmd("reply", " ".join(shlex.quote(w) for w in words), staff)
    elif text:
        _staffcmd("reply", " ".join([reference, *flags, text]), staff)
    else:
        raise typer.BadParameter("give a standard message (received, call, meeting, lease) or --text")


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
    with transaction(make_engine(settings.database_url)) as db:
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
    with transaction(make_engine(settings.database_url)) as db:
        staff = repo.get_staff(db, telegram_user_id=telegram_user_id)
        if staff is None:
            raise typer.BadParameter(f"no staff with Telegram id {telegram_user_id}")
        staff.active = False
        db.add(staff)
    typer.echo(f"removed {staff.name}")


@staff_app.command("list")
def staff_list() -> None:
    settings = _settings()
    with transaction(make_engine(settings.database_url)) as db:
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
    with transaction(make_engine(settings.database_url)) as db:
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


from web.cli import register as _register_web  # noqa: E402  (intake web, intake staff password|totp)

_register_web(app, staff_app, _settings)

if __name__ == "__main__":
    app()

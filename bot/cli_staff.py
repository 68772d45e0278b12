"""The staff actions on the command line: `intake queue …`, `intake letter`, `intake report`,
`intake transcript`, `intake translate`, `intake reply`.

Each one acts as a named staff member (`--as` staff id, Telegram id or e-mail, or `INTAKE_AS`), checked
like any other by `casework.commands.execute`; this module only turns options into a typed command and
prints the result. A refusal prints its Swedish message on standard error and exits non-zero: 1 when the
action was refused or the input was wrong, 2 when the command is unknown to the one asking (not staff,
removed, or not their role), as for a mistyped command. Nothing is changed by a refused command.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import typer
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import OperationalError

from bot.settings import PROJECT_ROOT, Settings, sqlite_path
from bot.staffcmd import parse_filters
from casework import commands as c
from casework.errors import CaseError, UnknownCommand
from casework.files import safe_name
from casework.permissions import Actor, Shell
from storage import casework as store
from storage.db import make_engine, transaction

__all__ = ["database", "register"]

AS_HELP = "act as this staff member: staff id, Telegram id or e-mail (or set INTAKE_AS)"


def _as(default: Any = None) -> Any:
    return typer.Option(default, "--as", "--staff", envvar="INTAKE_AS", help=AS_HELP, show_envvar=True)


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def database(settings: Settings) -> Engine:
    """The engine of an existing, migrated database; a clear message and exit 2 instead of a new empty
    file or a traceback."""
    path = sqlite_path(settings.database_url)
    if path is not None and not path.exists():
        fail(f"Ingen databas finns på {path}. Starta med `make run` (eller `intake db upgrade`) i projektmappen "
             f"{PROJECT_ROOT}, eller sätt INTAKE_DATABASE_URL.", 2)
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            ready = inspect(conn).has_table("referral")
    except OperationalError as exc:
        fail(f"Databasen går inte att nå ({type(exc.orig).__name__ if exc.orig else 'fel'}). "
             f"Kontrollera INTAKE_DATABASE_URL.", 2)
    if not ready:
        fail("Databasen är inte uppgraderad: kör `intake db upgrade` först.", 2)
    return engine


def _run(settings_of: Callable[[], Settings], command: c.Command, who: str | None,
         show: Callable[[c.Result], None]) -> None:
    """Run one command as `who` in one transaction, print it; a refusal exits non-zero."""
    from dialogs.staffside import STAFF_SIDE

    if not who or not who.strip():
        fail("Ange vem du är: --as PERSONAL-ID, Telegram-id eller e-post (eller INTAKE_AS).", 2)
    engine = database(settings_of())
    try:
        with transaction(engine) as db:
            staff = store.find_staff(db, who=who)
            actor = Actor(staff.id if staff else None, Shell.CLI)
            result = c.execute(db, command, actor=actor, now=datetime.now(UTC), conversation=STAFF_SIDE)
    except UnknownCommand as exc:
        fail(str(exc), 2)
    except CaseError as exc:
        fail(str(exc), 1)
    show(result)


def _say(result: c.Result) -> None:
    typer.echo(result.message)


def _write(folder: str | None, name: str, content: bytes) -> Path:
    """Write a file whose name the program made (never a name someone sent: casework.files.stored_file_name)
    into `folder` and nowhere else; anything that is not a plain file name is refused all the same."""
    target = Path(folder or ".")
    target.mkdir(parents=True, exist_ok=True)
    path = target / safe_name(name)
    if path.resolve().parent != target.resolve():
        fail(f"vägrade skriva utanför {target}: {name!r}", 1)
    path.write_bytes(content)
    typer.echo(f"skrev {path}", err=True)
    return path


def register(app: typer.Typer, queue_app: typer.Typer, settings_of: Callable[[], Settings]) -> None:
    """Add the staff actions to the `intake` command."""
    from bot import staffview
    from bot.transcript_html import to_html
    from casework.transcript import to_json

    def run(command: c.Command, who: str | None, show: Callable[[c.Result], None] = _say) -> None:
        _run(settings_of, command, who, show)

    @queue_app.command("list")
    def queue_list(
        all_: bool = typer.Option(False, "--all", help="closed cases too"),
        status: str = typer.Option(None, "--status", help="open, new, in_progress, closed, all (or in Swedish)"),
        priority: str = typer.Option(None, "--priority", help="urgent, high, medium, low (brådskande, hög …)"),
        level: str = typer.Option(None, "--level", help="high, medium, low"),
        form: str = typer.Option(None, "--form", help="1, 2 or none"),
        deadline: str = typer.Option(None, "--deadline", help="running, due_soon, overdue, none"),
        municipality: str = typer.Option(None, "--from", help="the sending municipality, by name or kommunkod"),
        language: str = typer.Option(None, "--language", help="e.g. ar"),
        mine: bool = typer.Option(False, "--mine", help="only the cases I have"),
        assignee: str = typer.Option(None, "--assignee", help="a caseworker's staff id, or none"),
        search: str = typer.Option(None, "--search", help="a part of the reference, e.g. 0042"),
        received_from: str = typer.Option(None, "--received-from", help="received (inkom) on or after YYYY-MM-DD"),
        received_to: str = typer.Option(None, "--received-to", help="received on or before YYYY-MM-DD"),
        after: str = typer.Option(None, "--after", help="the page marker printed under the previous page"),
        limit: int = typer.Option(50, "--limit", min=1, max=200),
        who: str = _as(),
    ) -> None:
        """The queue with headings: running IVO deadlines first, then urgent, high, medium, low, then oldest."""
        try:
            filters = parse_filters({"status": "all" if all_ else status, "priority": priority, "level": level,
                                     "form": form, "clock": deadline, "municipality": municipality,
                                     "language": language, "assignee": "mine" if mine else assignee,
                                     "reference": search, "received_from": received_from,
                                     "received_to": received_to, "after": after})
        except CaseError as exc:
            fail(str(exc))
        filters = c.QueueFilters(**{**filters.__dict__, "limit": limit})

        def show(result: c.Result) -> None:
            typer.echo(staffview.queue_text(result.data))
            if result.data.next:
                typer.echo(f"Nästa sida: --after {result.data.next}")

        run(c.ShowQueue(filters), who, show)

    @queue_app.command("due")
    def queue_due(who: str = _as()) -> None:
        """Cases whose IVO deadline is overdue or within 7 days (as announced in the staff chat)."""
        run(c.ShowDue(), who, lambda r: typer.echo(staffview.queue_text(r.data, empty=r.message)))

    @queue_app.command("show")
    def queue_show(reference: str, who: str = _as()) -> None:
        """One case: answers in Swedish, reasons, actions with their steps, consents, the timeline (read logged)."""
        run(c.ShowCase(reference), who, lambda r: typer.echo(staffview.case_text(r.data)))

    @queue_app.command("claim")
    def queue_claim(reference: str, who: str = _as()) -> None:
        """Take a case; only one caseworker can have it."""
        run(c.Claim(reference), who)

    @queue_app.command("release")
    def queue_release(reference: str, who: str = _as()) -> None:
        """Give a case back to the queue."""
        run(c.Release(reference), who)

    @queue_app.command("reassign")
    def queue_reassign(reference: str, to: str = typer.Argument(..., help="staff id, Telegram id or e-mail"),
                       who: str = _as()) -> None:
        """Hand a case over to another caseworker."""
        run(c.Reassign(reference, to), who)

    @queue_app.command("step")
    def queue_step(reference: str, step: str = typer.Argument(..., help="the step's id or Swedish name"),
                   when: str = typer.Option(None, "--date", help="YYYY-MM-DD (a real date, not in the future); "
                                                                  "default today"),
                   text: str = typer.Option(None, "--text"),
                   field: list[str] = typer.Option([], "--field", "-f", help="key=value, e.g. insats=boendestöd, "
                                                   "lagrum=…, från=2026-12-01, resultat=…, mottagen=2026-11-05"),
                   who: str = _as()) -> None:
        """Record a dated step: municipality_contacted, coordination_checked, letter_sent, decision_recorded,
        transfer_requested, transfer_accepted, transfer_refused, ivo_applied, home_visit_booked,
        home_visit_done, housing_offered (or their Swedish names)."""
        fields: dict[str, str] = {}
        for pair in field:
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                fail(f"--field {pair!r}: skriv nyckel=värde.")
            fields[key.strip()] = value
        if text:
            fields["text"] = text
        run(c.RecordStep(reference, step, when, fields), who)

    @queue_app.command("strike")
    def queue_strike(reference: str, event: int = typer.Argument(..., help="the step's number in the timeline"),
                     reason: str = typer.Option(..., "--reason", help="why it was wrong"), who: str = _as()) -> None:
        """Strike a wrong step through (it stays in the timeline, marked, with the reason)."""
        run(c.StrikeStep(reference, event, reason), who)

    @queue_app.command("note")
    def queue_note(reference: str, text: str, who: str = _as()) -> None:
        """Add a note to a case."""
        run(c.AddNote(reference, text), who)

    @queue_app.command("assign")
    def queue_assign(reference: str, interpreter: str = typer.Argument(..., help="staff id, Telegram id or e-mail"),
                     who: str = _as()) -> None:
        """Assign an interpreter who has the case's language (they are told in their private chat)."""
        run(c.AssignInterpreter(reference, interpreter), who)

    @queue_app.command("edit")
    def queue_edit(reference: str, question: str, value: str, who: str = _as()) -> None:
        """Correct an answer: both values are kept, the assessment is recomputed; consents are never edited."""
        run(c.CorrectAnswer(reference, question, value), who)

    @queue_app.command("close")
    def queue_close(reference: str, reason: str = typer.Argument(..., help="returned (återvänt), stays_with_support "
                                                                           "(stannar), not_dumping, no_contact, "
                                                                           "withdrawn"),
                    who: str = _as()) -> None:
        """Close a case with its reason."""
        run(c.CloseCase(reference, reason), who)

    @queue_app.command("reopen")
    def queue_reopen(reference: str, reason: str = typer.Option(..., "--reason"), who: str = _as()) -> None:
        """Open a closed case again."""
        run(c.ReopenCase(reference, reason), who)

    @queue_app.command("file")
    def queue_file(reference: str, line: int = typer.Argument(..., help="the transcript's line number"),
                   output: str = typer.Option(".", "--output", "-o", help="folder to write it to"),
                   who: str = _as()) -> None:
        """Write a file the person sent (voice message, photo, document); the read is logged."""
        run(c.ShowFile(reference, line), who, lambda r: _write(output, r.data.name, r.data.content) and None)

    @app.command()
    def letter(reference: str, kind: str = typer.Option(..., "--kind", help="official, transfer or ivo"),
               output: str = typer.Option(".", "--output", "-o", help="folder to write the drafts to"),
               who: str = _as()) -> None:
        """Write a letter draft (Word and text) for a case."""
        def show(result: c.Result) -> None:
            typer.echo(result.message)
            _write(output, result.data.filename, result.data.docx)
            _write(output, result.data.filename.replace(".docx", ".txt"), result.data.text.encode())

        settings = settings_of()  # what only the municipality knows: its committee, who signs
        run(c.DraftLetter(reference, kind, settings.committee, settings.signatory_role), who, show)

    @app.command()
    def report(month: str = typer.Option(..., "--month", help="YYYY-MM"),
               output: str = typer.Option(".", "--output", "-o", help="folder for the chart"),
               who: str = _as()) -> None:
        """The month's figures (no personal data), as a table and a PNG chart."""
        def show(result: c.Result) -> None:
            typer.echo(result.message)
            _write(output, f"social-dumpning-{result.data.report.month}.png", result.data.chart)

        run(c.MonthReport(month), who, show)

    @app.command()
    def transcript(reference: str,
                   format: str = typer.Option("json", "--format", help="json or html"),  # noqa: A002
                   files: str = typer.Option(None, "--files", help="also write the person's stored files here"),
                   who: str = _as()) -> None:
        """The conversation in order, in the person's language and Swedish, with files and translations."""
        if format not in ("json", "html"):
            fail("--format: json eller html.", 2)

        def show(result: c.Result) -> None:
            t = result.data
            typer.echo(json.dumps(to_json(t), ensure_ascii=False, indent=1) if format == "json" else to_html(t),
                       nl=format == "json")
            for ln in t.lines:
                if files and any(f.status == "stored" for f in ln.files):
                    run(c.ShowFile(reference, ln.n), who, lambda r: _write(files, r.data.name, r.data.content) and None)

        run(c.ShowTranscript(reference, purpose=f"transcript:{format}"), who, show)

    @app.command()
    def translate(reference: str,
                  entry: int = typer.Option(None, "--entry", help="the transcript's line number"),
                  text: str = typer.Option(None, "--text", help="the Swedish translation (with --reply: in the "
                                                                "person's language)"),
                  reply: int = typer.Option(None, "--reply", help="a caseworker's message waiting for translation"),
                  verify: bool = typer.Option(False, "--verify", help="mark your drafts (or --entry's) verified"),
                  who: str = _as()) -> None:
        """Translate a line of the person's into Swedish (a draft), verify drafts, or show the next open line."""
        from bot.interpreting import render_line

        def line(result: c.Result) -> None:
            shown = render_line(result, result.data, shell_hint="cli")
            typer.echo(shown.text)
            for name, content, _ in shown.media:
                _write(".", name, content)

        if verify:
            run(c.Verify(reference, entry), who)
        elif reply is not None:
            if not text:
                fail("--text: översättningen saknas.", 2)
            run(c.Translate(reference, text, message=reply), who)
        elif entry is not None and text:
            run(c.Translate(reference, text, line=entry), who)
        else:
            run(c.OpenLine(reference, line=entry), who, line)

    @app.command("reportline")
    def report_line(reference: str, line: str = typer.Argument(..., help="the transcript's line, LINE or LINE.PART"),
                    note: str = typer.Argument(..., help="what is wrong or unclear"), who: str = _as()) -> None:
        """Report a wrong or unclear sentence of the bot's own text to its language's catalog review list."""
        n, _, part = line.partition(".")
        if not n.isdigit() or (part and not part.isdigit()):
            fail("RAD: ett radnummer, eller RAD.DEL (t.ex. 12.2).", 2)
        run(c.ReportLine(reference, int(n), int(part) if part else None, note), who)

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
        who: str = _as(),
    ) -> None:
        """Send the person a message in their language: a standard message, or free text."""
        if standard:
            details = {"call": (phone,), "meeting": (day, at, place)}.get(standard, ())
            if any(d is None for d in details):
                fail("call behöver --phone; meeting behöver --date, --time och --place.", 2)
            run(c.Reply(reference, kind=standard, details=tuple(d for d in details if d), force=force), who)
        elif text:
            run(c.Reply(reference, text=text, swedish=swedish, force=force), who)
        else:
            fail("Ange ett standardsvar (received, call, meeting, lease) eller --text.", 2)

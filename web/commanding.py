"""Running one command of the command layer for a web request, and turning its refusals into pages.

The web console never decides who may do what: it parses a form into a command of
`casework.commands`, and `execute` checks and runs it in one transaction. Its named errors become
Swedish pages: an unknown case and a case (or page) the role may not reach get the same "not found";
a form older than the case is refused as stale; anything else the command refused is shown as it is.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from casework.commands import Command, Result, execute
from casework.errors import AlreadyClaimed, CaseError, StaleCase, UnknownCase, UnknownCommand
from casework.permissions import Actor, Shell
from web.pages import PageError, Signed, db_of, now_of, signed_in

__all__ = ["NOT_FOUND", "run", "version_of"]

NOT_FOUND = "Sidan eller ärendet finns inte."


def version_of(form: Any) -> int:
    """The case version the form was made from (the optimistic check); a form without one is refused."""
    raw = form.get("version")
    if not isinstance(raw, str) or not raw.isdigit() or len(raw) > 12:
        raise PageError("Formuläret saknar ärendets version. Ladda om sidan och försök igen.", 400,
                        title="Formuläret är för gammalt eller ändrat")
    return int(raw)


def run(request: Request, command: Command, *, expected_version: int | None = None,
        signed: Signed | None = None) -> Result[Any]:
    """Check and run `command` as the signed-in staff member, from the web shell."""
    signed = signed or signed_in(request)
    actor = Actor(signed.staff_id, Shell.WEB)
    try:
        with db_of(request) as db:
            return execute(db, command, actor=actor, now=now_of(request), conversation=request.app.state.conversation,
                           expected_version=expected_version)
    except (UnknownCase, UnknownCommand) as exc:
        raise PageError(NOT_FOUND, 404, title="Hittades inte") from exc
    except StaleCase as exc:
        raise PageError(str(exc), 409, title="Ärendet har ändrats") from exc
    except AlreadyClaimed as exc:
        raise PageError(str(exc), 409, title="Redan taget") from exc
    except CaseError as exc:
        raise PageError(str(exc), 400) from exc

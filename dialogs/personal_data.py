"""The stored-data side of the person's rights: what /mydata shows, and what /exit deletes.

The dialog (`dialogs.rights`) decides what is said; this module gathers what is stored, inside the
same transaction as the event, and queues it for the shell.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from dialogs import prompts
from dialogs.events import Reply
from dialogs.i18n import N_, NN_, Msg
from dialogs.questions import QUESTIONS
from storage import repo
from storage.models import Intake, Person

if TYPE_CHECKING:
    from dialogs.service import Outbox

__all__ = ["DELETABLE_FOR", "my_data", "quick_exit"]

# Telegram lets a bot delete messages of a private chat for 48 hours.
DELETABLE_FOR = timedelta(hours=48)
_BATCH = 100  # deleteMessages takes at most 100 ids


def quick_exit(db: Session, writer: Outbox, *, intake: Intake | None, message_id: int | None, now: datetime) -> None:
    """Delete this conversation from the chat as far as Telegram allows; keep everything stored."""
    incoming = writer.incoming
    ids = repo.recent_message_ids(db, channel=incoming.channel, chat_id=incoming.chat_id,
                                  person_id=intake.person_id if intake else None, since=now - DELETABLE_FOR)
    if message_id is not None:
        ids = sorted({*ids, message_id})
    for start in range(0, len(ids), _BATCH):
        writer._add("delete", {"message_ids": ids[start : start + _BATCH]})
    if intake is not None:
        intake.reminders_stopped = True  # a watched phone must not light up with reminders
        intake.live_outbox_id = None  # its message is gone; /start shows the open question again
        intake.live_texts = None


def my_data(db: Session, writer: Outbox, *, person: Person, intake: Intake, language: str, now: datetime) -> None:
    """What is stored about the person: readable in their language, and as a JSON document."""
    assert person.id is not None and intake.id is not None
    consents = repo.consent_records(db, person_id=person.id)
    transcript = repo.transcript(db, person_id=person.id)
    lines: list[Msg] = [N_("Here is what we have stored about you.")]
    if intake.reference:
        lines.append(N_("Your case number is {reference}.", reference=intake.reference))
    state = writer.state_of(intake)
    for q in QUESTIONS:
        if q.title is not None and q.id in state.answers:
            lines.append(N_("• {title}: {answer}", title=q.title,
                            answer=prompts.answer_label(q.id, state.answers[q.id], state)))
    lines.append(NN_("We have {n} message from this chat.", "We have {n} messages from this chat.",
                     len(transcript)))
    lines.append(N_("The file has all of it, also in a form other programs can read."))
    writer.send(Reply(tuple(lines)), language, person_id=person.id, prompt=False)
    document = {
        "person": {"id": person.id, "channel": person.channel, "language": person.language,
                   "first_contact": person.created_at.isoformat()},
        "case": {"reference": intake.reference, "state": intake.state,
                 "submitted_at": intake.submitted_at.isoformat() if intake.submitted_at else None},
        "answers": state.answers,
        "typed": state.texts,
        "answer_history": [{"question": r.question_id, "value": r.value, "at": r.at.isoformat()}
                           for r in repo.answer_history(db, intake_id=intake.id)],
        "consents": [{"consent": c.consent, "value": c.value, "at": c.at.isoformat(), "language": c.language,
                      "text_version": c.text_version} for c in consents],
        "messages": [_message(e) for e in transcript],
        "created": now.isoformat(),
    }
    writer._add("send_document", {
        "filename": "my-data.json",
        "content": json.dumps(document, ensure_ascii=False, indent=1, default=str),
    })


def _message(entry: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"at": entry.at.isoformat(), "direction": entry.direction, "kind": entry.kind}
    if entry.text is not None:
        out["text"] = entry.text
    if entry.data:
        out["data"] = entry.data
    return out

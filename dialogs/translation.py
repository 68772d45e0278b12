"""The lines of a transcript, and which of them an interpreter translates into Swedish: the person's own
messages that the intake took (their account, and what they wrote or sent after submitting), not a
typed municipality name or phone number. Drafts, and their verification.

Lines are numbered as the transcript shows them: line N is the person's N-th transcript entry (1-based),
so a line keeps its number for good. Each call runs in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from casework.steps import CaseError
from dialogs import prompts
from dialogs.events import IntakeState
from storage import interpreting as store
from storage.interpreting import FILE_KINDS, CaseworkerMessage, Translation
from storage.models import Referral, TranscriptEntry

__all__ = ["TRANSLATABLE", "Line", "NextLine", "add_translation", "line", "next_open", "numbered", "taken_msgids",
           "verify"]

# The person's messages that get a Swedish translation: what they wrote, and the files they sent.
TRANSLATABLE = ("text", *FILE_KINDS)


def taken_msgids() -> frozenset[str]:
    """The dialog's answers that mean "this message was taken": into the account, or into the case."""
    ack = prompts.account_ack(1, IntakeState()).texts[0].msgid
    added = prompts.added_to_case("x").texts[0].msgid
    return frozenset({ack, added})


@dataclass(frozen=True)
class Line:
    n: int
    entry: TranscriptEntry
    translatable: bool = False  # the person's message, taken by the intake, in another language than Swedish


@dataclass(frozen=True)
class NextLine:
    """What /translate shows next: a line of the person's, or a caseworker's message to translate."""

    line: Line | None = None
    message: CaseworkerMessage | None = None
    left: int = 0  # how many are open, this one included


def numbered(db: Session, referral: Referral) -> list[Line]:
    entries = list(store.lines(db, person_id=referral.person_id))
    taken = taken_msgids()
    out = []
    for i, entry in enumerate(entries):
        translatable = False
        if entry.direction == "in" and entry.kind in TRANSLATABLE and referral.language != "sv":
            answer = next((e for e in entries[i + 1 :] if e.direction == "out"), None)
            msgs = (answer.data or {}).get("msgs", []) if answer is not None else []
            translatable = bool(msgs) and msgs[0].get("id") in taken
        out.append(Line(i + 1, entry, translatable))
    return out


def line(db: Session, referral: Referral, n: int) -> Line:
    lines = numbered(db, referral)
    if not 1 <= n <= len(lines):
        raise CaseError(f"{referral.reference} har rad 1–{len(lines)}.")
    return lines[n - 1]


def _translatable_line(db: Session, referral: Referral, n: int) -> Line:
    found = line(db, referral, n)
    if not found.translatable:
        raise CaseError(f"Rad {n} är inte ett meddelande från personen som översätts.")
    return found


def next_open(db: Session, referral: Referral, *, after: int = 0) -> NextLine:
    """The caseworker's messages waiting for a translation come first, then the person's lines that have
    no translation yet (from line `after` on, then from the start)."""
    assert referral.id is not None
    waiting = [m for m in store.messages_of(db, referral_id=referral.id, status="waiting") if m.translation is None]
    lines = [ln for ln in numbered(db, referral) if ln.translatable]
    done = store.current_translations(db, entry_ids=[ln.entry.id for ln in lines if ln.entry.id is not None])
    open_lines = [ln for ln in lines if ln.entry.id not in done]
    left = len(waiting) + len(open_lines)
    if waiting:
        return NextLine(message=waiting[0], left=left)
    later = [ln for ln in open_lines if ln.n > after] or open_lines
    return NextLine(line=later[0], left=left) if later else NextLine()


def add_translation(db: Session, *, referral: Referral, n: int, text: str, actor: str, now: datetime) -> Translation:
    """A draft translation of line `n` (a new draft replaces the line's verified one until verified again)."""
    text = text.strip()
    if not text:
        raise CaseError("Översättningen är tom.")
    found = _translatable_line(db, referral, n)
    assert found.entry.id is not None
    return store.add_translation(db, entry_id=found.entry.id, text=text[:8000], translator=actor, now=now)


def verify(db: Session, *, referral: Referral, actor: str, now: datetime, n: int | None = None,
           only_by: str | None = None) -> int:
    """Mark drafts verified: line `n`'s, or every draft on the referral (only `only_by`'s when given)."""
    if n is not None:
        found = _translatable_line(db, referral, n)
        assert found.entry.id is not None
        current = store.current_translations(db, entry_ids=[found.entry.id]).get(found.entry.id)
        if current is None:
            raise CaseError(f"Rad {n} har ingen översättning än.")
        if current.status == "verified" or current.id is None:
            return 0
        return store.verify_translations(db, translation_ids=[current.id], by=actor, now=now)
    entries = [ln.entry.id for ln in numbered(db, referral) if ln.entry.id is not None]
    drafts = [t.id for t in store.current_translations(db, entry_ids=entries).values()
              if t.status == "draft" and t.id is not None and (only_by is None or t.translator == only_by)]
    return store.verify_translations(db, translation_ids=drafts, by=actor, now=now)

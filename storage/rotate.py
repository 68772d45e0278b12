"""Key rotation: read every sealed value (any configured key opens it) and write it with the current key."""

from __future__ import annotations

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from storage.crypto import SealedJSON, SealedText
from storage.models import AnswerRecord, InboxUpdate, Intake, OutboxMessage, Referral, TranscriptEntry

__all__ = ["reseal"]

_MODELS = (Intake, AnswerRecord, TranscriptEntry, InboxUpdate, OutboxMessage, Referral)


def reseal(db: Session) -> int:
    rows = 0
    for model in _MODELS:
        sealed = [c.name for c in model.__table__.columns if isinstance(c.type, SealedJSON | SealedText)]  # type: ignore[attr-defined]
        for row in db.exec(select(model)).all():
            for name in sealed:
                if getattr(row, name) is not None:
                    flag_modified(row, name)
            db.add(row)
            rows += 1
    db.flush()
    return rows

"""Key rotation: read every sealed value (any configured key opens it) and write it with the current key.

Every table is searched for columns of a sealed type (`sealed = True` on the type), so a new
table with personal data is rotated without this module knowing it.
"""

from __future__ import annotations

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, SQLModel, select

import storage.models  # noqa: F401  (registers every table, the interpreters' too)

__all__ = ["reseal"]


def reseal(db: Session) -> int:
    rows = 0
    for mapper in sorted(SQLModel._sa_registry.mappers, key=lambda m: m.class_.__name__):
        sealed = [c.key for c in mapper.columns if getattr(c.type, "sealed", False)]
        if not sealed:
            continue
        for row in db.exec(select(mapper.class_)).all():
            for name in sealed:
                if getattr(row, name) is not None:
                    flag_modified(row, name)
            db.add(row)
            rows += 1
    db.flush()
    return rows

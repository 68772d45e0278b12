"""Optional encryption at rest of what people wrote: answers, transcript text, in/outbox content.

With `INTAKE_ENCRYPTION_KEY` set (one or more Fernet keys, comma-separated, the first one current),
the sealed columns are written encrypted and read back transparently; without it they are written
as they are, and the database must be protected by other means. Rows written before a key was set,
or under an older key, stay readable, so a key is added or rotated without downtime:
`intake db rotate-key` re-encrypts every sealed value with the current key.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import JSON
from sqlalchemy.types import TypeDecorator
from sqlmodel.sql.sqltypes import AutoString

__all__ = ["EncryptionKeyMissing", "SealedJSON", "SealedText", "configure", "generate_key", "is_configured"]

_PREFIX = "enc1:"
_KEY = "enc1"
_fernet: MultiFernet | None = None


class EncryptionKeyMissing(RuntimeError):
    """A sealed value was read, but no key (or not the right one) is configured."""


def configure(keys: str | None) -> None:
    """Set the process's keys (from settings); None or empty turns encryption off for writing."""
    global _fernet
    parts = [k.strip() for k in (keys or "").split(",") if k.strip()]
    _fernet = MultiFernet([Fernet(k.encode()) for k in parts]) if parts else None


def is_configured() -> bool:
    return _fernet is not None


def generate_key() -> str:
    return Fernet.generate_key().decode()


def _seal(plain: str) -> str:
    assert _fernet is not None
    return _fernet.encrypt(plain.encode()).decode()


def _open(token: str) -> str:
    if _fernet is None:
        raise EncryptionKeyMissing("this value is encrypted: set INTAKE_ENCRYPTION_KEY")
    try:
        return _fernet.decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise EncryptionKeyMissing("no configured key opens this value (an old key missing?)") from exc


class SealedText(TypeDecorator[str]):
    """A text column whose value is encrypted when a key is configured."""

    impl = AutoString
    cache_ok = True
    sealed = True  # storage.rotate re-encrypts every column of a type so marked

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None or _fernet is None:
            return value
        return _PREFIX + _seal(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        if value is not None and value.startswith(_PREFIX):
            return _open(value[len(_PREFIX) :])
        return value


class SealedJSON(TypeDecorator[Any]):
    """A JSON column whose value is encrypted (as `{"enc1": token}`) when a key is configured."""

    impl = JSON
    cache_ok = True
    sealed = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None or _fernet is None:
            return value
        return {_KEY: _seal(json.dumps(value, ensure_ascii=False))}

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if isinstance(value, dict) and set(value) == {_KEY}:
            return json.loads(_open(value[_KEY]))
        return value

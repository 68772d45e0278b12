"""What a person typed or sent, read as an answer: a count, a phone number, an entry of the account. Pure.

Shared by the dialog (the person's own answers) and the caseworker's corrections, so both read a
typed value the same way.
"""

from __future__ import annotations

from typing import Any

import phonenumbers

from dialogs.events import Event, Media, Text
from dialogs.i18n import clean_text

__all__ = ["entry_of", "parse_count", "parse_phone"]

_MAX_COUNT = 15


def entry_of(event: Event) -> dict[str, Any]:
    """A message as an entry of the account (or of the case, after submission): text, or a file reference."""
    if isinstance(event, Text):
        return {"text": clean_text(event.text)}
    if isinstance(event, Media):
        entry: dict[str, Any] = {"file": event.kind, "file_id": event.file_id}
        for key in ("file_unique_id", "file_name", "mime_type", "size"):
            if getattr(event, key) is not None:
                entry[key] = getattr(event, key)
        if event.caption:
            entry["caption"] = clean_text(event.caption)
        return entry
    return {}



def parse_count(text: str) -> int | None:
    digits = text.strip()
    if not digits.isdecimal():  # int() would also take "1_0" or " +3"
        return None
    try:
        n = int(digits)  # int() reads every script's decimal digits (Arabic-Indic, Persian ...)
    except ValueError:
        return None
    return n if 1 <= n <= _MAX_COUNT else None


def parse_phone(text: str) -> str | None:
    if len(text) > 40:
        return None
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

"""Telegram's text limits, counted as Telegram counts them: in UTF-16 code units, not Python characters.

A message holds 4,096 units, a button's answer (a toast) 200. An emoji, and any character outside the
Basic Multilingual Plane, is two units, so a text cut at 4,096 Python characters could be refused as too
long, and the message was lost. Cutting never splits a surrogate pair.
"""

from __future__ import annotations

__all__ = ["MESSAGE", "TOAST", "cut", "split", "utf16_len"]

MESSAGE = 4096
TOAST = 200


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def cut(text: str, limit: int = MESSAGE) -> str:
    """The longest start of `text` that fits in `limit` UTF-16 units."""
    if len(text) <= limit // 2 or utf16_len(text) <= limit:
        return text
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return text[:i]
    return text


def split(text: str, limit: int = MESSAGE) -> list[str]:
    """`text` in pieces of at most `limit` UTF-16 units each, broken after a line where one is near the end."""
    pieces = []
    while utf16_len(text) > limit:
        head = cut(text, limit) or text[0]  # a limit under one character's units: one character per piece
        newline = head.rfind("\n")
        if newline > len(head) // 2:
            head = head[: newline + 1]
        pieces.append(head)
        text = text[len(head) :]
    if text or not pieces:
        pieces.append(text)
    return pieces

"""Telegram's limits in UTF-16 units (issue 15, point 7): cut and split, pure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.limits import MESSAGE, cut, split, utf16_len


@pytest.mark.parametrize(
    ("text", "units"),
    [("abc", 3), ("😀", 2), ("قصة", 3), ("𝐀b", 3), ("", 0)],
)
def test_units_are_counted_as_telegram_counts_them(text: str, units: int) -> None:
    assert utf16_len(text) == units == len(text.encode("utf-16-le")) // 2


def test_an_emoji_text_is_cut_in_units_not_characters() -> None:
    text = "😀" * 3000
    assert len(text[:MESSAGE]) == 3000, "cutting characters would keep all of it: 6,000 units"
    assert cut(text) == "😀" * 2048
    assert cut("a" + "😀" * 3000, 4) == "a😀", "a pair is never split"


@given(st.text(min_size=0, max_size=300), st.integers(min_value=2, max_value=50))
def test_split_pieces_fit_and_join_back(text: str, limit: int) -> None:
    pieces = split(text, limit)
    assert "".join(pieces) == text
    assert all(utf16_len(p) <= limit for p in pieces)
    assert all(p for p in pieces) or pieces == [""]

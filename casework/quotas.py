"""How much one person may leave with us per day, and how often a caseworker hears of new messages.

After submission a person can go on sending files and messages to their case; without a limit forty
1 MB documents were all stored and a hundred messages gave the caseworker a hundred notices. Files
beyond a day's quota (a count and a size) are not downloaded, and the person is told once a day, in
their language, to send the rest later or bring the papers; the caseworker gets one new-message notice
per case per quiet period, however many messages come in it. Pure rules; the shells ask storage.
"""

from __future__ import annotations

from datetime import timedelta

__all__ = ["FILES_PER_DAY", "FILE_BYTES_PER_DAY", "FILE_MB_PER_DAY", "NOTICE_QUIET", "QUOTA_DAY", "file_fits"]

FILES_PER_DAY = 20
FILE_MB_PER_DAY = 50
FILE_BYTES_PER_DAY = FILE_MB_PER_DAY * 1024 * 1024
QUOTA_DAY = timedelta(hours=24)  # a sliding day: the files of the last 24 hours count
NOTICE_QUIET = timedelta(hours=1)  # at most one new-message notice per case in this period


def file_fits(*, files_today: int, bytes_today: int, size: int | None) -> bool:
    """Whether one more file (of `size` bytes, when known) fits in the person's day."""
    if files_today >= FILES_PER_DAY:
        return False
    return bytes_today + (size or 0) <= FILE_BYTES_PER_DAY

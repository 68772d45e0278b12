"""Names of the person's files as staff get them, made by the system and never taken from the person.

A document's own name is the sender's choice (`.env`, `../../x.sh`, an absolute path, `intake.db`), so
every shell that writes or sends a stored file names it with `stored_file_name`: the case's reference,
the transcript line, the kind, and an extension from the MIME type (a short list of harmless ones;
anything else is `.bin`). `safe_name` is the last check before a shell writes a file. The person's own
name is still shown to staff, as information, through `shown_name`, which makes bidi and control
characters visible, so `report\u202efdp.exe` cannot pass for `reportexe.pdf`.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["UnsafeName", "safe_name", "shown_name", "stored_file_name"]

# What the file is, as far as opening it goes; a type outside this list is kept as plain bytes.
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "audio/ogg": ".ogg",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/x-m4a": ".m4a",
    "audio/aac": ".aac",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "text/plain": ".txt",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/rtf": ".rtf",
}
# Telegram says what a voice message or photo is even when the MIME type is missing.
_BY_KIND = {"voice": ".ogg", "audio": ".mp3", "photo": ".jpg", "video": ".mp4", "video_note": ".mp4"}
_KINDS = frozenset({"voice", "audio", "photo", "document", "video", "video_note"})
_REFERENCE = re.compile(r"[^A-Za-z0-9-]")
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_SHOWN_LIMIT = 200


class UnsafeName(ValueError):
    """A file name that could leave the folder or hide itself; never written."""


def stored_file_name(reference: str, line: int, kind: str, mime: str | None) -> str:
    """`SOL-2026-0042-rad12-document.pdf`: the name under which a stored file is written or sent."""
    ref = _REFERENCE.sub("", reference)[:32] or "arende"
    what = kind if kind in _KINDS else "file"
    extension = _EXTENSIONS.get((mime or "").split(";")[0].strip().lower()) or _BY_KIND.get(kind, ".bin")
    return safe_name(f"{ref}-rad{int(line)}-{what}{extension}")


def safe_name(name: str) -> str:
    """The name itself when it is a plain file name (letters, digits, `.`, `_`, `-`; no leading dot, no
    `..`, no folder); else `UnsafeName`."""
    if not _SAFE.fullmatch(name) or ".." in name:
        raise UnsafeName(f"not a plain file name: {shown_name(name)!r}")
    return name


def shown_name(name: str) -> str:
    """A person's file name for staff to read: format and control characters (bidi overrides and
    isolates, marks, NUL, line breaks) shown as `[U+202E]`, the rest as it is."""
    out = []
    for ch in name[:_SHOWN_LIMIT]:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"[U+{ord(ch):04X}]")
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(name) > _SHOWN_LIMIT else "")

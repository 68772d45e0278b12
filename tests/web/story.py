"""A real referral for the console's tests and benchmark: an Arabic-speaking person goes through the
whole intake in the real dialog service (their account as text, a voice message and a photo of a
letter), and the files are stored as the bot stores them after downloading.

The voice message is a short WAV tone (no Opus encoder is needed to make it) and the photo a small PNG,
both real files a browser can play and show.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import wave
import zlib
from datetime import UTC, datetime

from sqlalchemy import Engine

from dialogs.events import Config, Media, Text
from storage import interpreting, repo
from storage.db import transaction
from tests.storage import test_service
from tests.unit.conversation import FORM1_SV

__all__ = ["STORY", "arabic_intake", "png", "wav"]

STORY = "قالوا لي إنني يجب أن أنتقل فورًا، وإلا سيتوقف الدعم"
SECOND = "لقد دفعوا ثمن الشاحنة"
ARABIC = FORM1_SV | {"language": "ar", "interpreter": "yes", "support_types": ["addiction_care"],
                     "pushed_how": ["support_denied", "move_paid"], "understood": "forced",
                     "receiving_contacted": "no"}


def wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                               for i in range(int(seconds * rate))))
    return out.getvalue()


def png(width: int = 24, height: int = 16) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes((40, 90, 160)) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def arabic_intake(engine: Engine, user: str = "31") -> str:
    """Submit the intake and store its files; returns the referral's reference."""
    test_service.CONFIG = Config(languages=("sv", "en", "ar"))
    person = test_service.Person_(engine, user)
    person.answer(ARABIC, account=[
        Text(STORY),
        Media("voice", f"VOICE-{user}", f"U-VOICE-{user}", None, "audio/ogg", 2048),
        Media("photo", f"PHOTO-{user}", f"U-PHOTO-{user}", None, "image/jpeg", 4096)])
    person.send(Text(SECOND))  # the person writes again after submitting
    now = datetime.now(UTC)
    files = {"voice": (wav(), "audio/wav"), "photo": (png(), "image/png")}
    with transaction(engine) as db:
        found = repo.get_person(db, channel="telegram", external_id=user)
        assert found is not None and found.id is not None
        intake = repo.get_intake(db, person_id=found.id)
        assert intake is not None and intake.reference, "the intake was not submitted"
        for _row, entry, _answer in interpreting.new_files(db, limit=100):
            if entry.person_id != found.id or entry.id is None or entry.kind not in files:
                continue
            content, mime = files[entry.kind]
            interpreting.note_file(db, entry_id=entry.id, kind=entry.kind, status="stored", now=now, mime=mime,
                                   size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content)
        return intake.reference

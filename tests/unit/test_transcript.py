"""A transcript line as staff read it: a bot message in the person's language and in Swedish, a press as
its label, the person's words verbatim; and the printable record around it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.transcript_html import to_html
from casework.transcript import Transcript, TranslationInfo, to_json
from dialogs import prompts
from dialogs.events import Config
from dialogs.i18n import render
from dialogs.transcript import render_entry
from storage.models import Referral, TranscriptEntry

AT = datetime(2026, 11, 26, 14, 2, tzinfo=UTC)
REFERRAL = Referral(reference="SOL-2026-0042", person_id=1, intake_id=1, language="ar", priority="high",
                    priority_rank=1, level="high", likely_dumping=True, assessment={}, rules_version="x", answers={},
                    consents={}, created_at=AT, updated_at=AT)


def _out(language: str) -> TranscriptEntry:
    reply = prompts.submitted("SOL-2026-0042", Config())
    return TranscriptEntry(id=7, person_id=1, direction="out", kind="message", language=language, at=AT,
                           data={"msgs": [m.to_json() for m in reply.texts]})


@pytest.mark.parametrize("language", ["ar", "ti", "uk", "sv"])
def test_a_bot_message_is_shown_as_the_person_saw_it_and_in_swedish(language: str) -> None:
    msgs = prompts.submitted("SOL-2026-0042", Config()).texts
    line = render_entry(5, _out(language), REFERRAL, None, None, False)
    assert line.sender == "bot" and line.language == language
    assert line.text == "\n\n".join(render(m, language) for m in msgs)
    assert line.text_sv == "\n\n".join(render(m, "sv") for m in msgs)
    assert [p.msgid for p in line.parts] == [m.msgid for m in msgs]
    if language == "ar":
        assert "\u2068SOL-2026-0042\u2069" in line.text and "\u2068" not in line.text_sv


def test_a_press_shows_its_label_and_a_persons_message_its_translation() -> None:
    press = TranscriptEntry(person_id=1, direction="in", kind="press", language="ar", at=AT,
                            data={"press": "q:had_support:yes"})
    line = render_entry(3, press, REFERRAL, None, None, False)
    assert (line.text, line.text_sv) == ("نعم", "Ja")
    said = TranscriptEntry(id=9, person_id=1, direction="in", kind="text", language="ar", at=AT, text="مرحبا")
    info = TranslationInfo("verified", "Hej", "Omar", AT, "Omar", AT)
    line = render_entry(4, said, REFERRAL, None, info, True)
    assert (line.text, line.text_sv) == ("مرحبا", "Hej")
    [item] = to_json(Transcript("SOL-2026-0042", "ar", "new", AT, AT, "Omar", [line]))
    when = "2026-11-26T14:02:00Z"
    assert item["translation"] == {"status": "verified", "translated_by": "Omar", "translated_at": when,
                                   "verified_by": "Omar", "verified_at": when}
    html = to_html(Transcript("SOL-2026-0042", "ar", "new", AT, AT, "Omar", [line]))
    assert '<td lang="ar" dir="rtl">' in html and "Verifierad av Omar 2026-11-26 15:02" in html


def test_a_summary_group_press_shows_the_groups_heading() -> None:
    press = TranscriptEntry(person_id=1, direction="in", kind="press", language="uk", at=AT,
                            data={"press": "q:summary:group_story"})
    line = render_entry(5, press, REFERRAL, None, None, False)
    assert (line.text, line.text_sv) == ("Ваше бажання і Ваша розповідь", "Ditt önskemål och din berättelse")

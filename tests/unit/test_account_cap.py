"""The unfinished account has a size cap (issue 15, point 7): past it the person is told politely, in
their language, to press Done (what they write after sending is added to their case); the draft stops
growing, and nothing already in it is lost."""

from __future__ import annotations

import pytest

from dialogs import engine
from dialogs.events import Media, Send
from dialogs.i18n import LANGUAGES, render
from dialogs.prompts import NOTICE
from tests.unit.conversation import FORM1_SV, Conversation


def _at_account() -> Conversation:
    c = Conversation()
    c.command("start")
    for _ in range(60):
        qid = c.open_question
        if qid == "account":
            return c
        want = FORM1_SV[qid]
        if isinstance(want, list):
            for choice in want:
                c.press(f"q:{qid}:{choice}")
            c.press(f"q:{qid}:done")
        elif isinstance(want, dict):
            c.type(want["text"])
            c.press(f"q:{qid}:{want['pick']}")
        else:
            c.press(f"q:{qid}:{want}")
    raise AssertionError("the account question never came")


@pytest.mark.parametrize(
    ("entry", "count"),
    [
        pytest.param("kort", engine.MAX_ACCOUNT_ENTRIES, id="many short messages"),
        pytest.param("x" * 4000, engine.MAX_ACCOUNT_CHARS // 4000 + 1, id="long messages"),
    ],
)
def test_the_account_draft_stops_growing_with_a_polite_notice(entry: str, count: int) -> None:
    c = _at_account()
    for _ in range(count):
        c.type(entry)
    kept = list(c.state.draft["entries"])
    assert len(kept) <= engine.MAX_ACCOUNT_ENTRIES
    assert sum(len(e.get("text", "")) for e in kept) <= engine.MAX_ACCOUNT_CHARS + 4096
    for extra in (c.type("one more"), c.send(Media("voice", "V", "UV", None, "audio/ogg", 10))):
        assert c.state.draft["entries"] == kept, "the draft stops growing, nothing in it is lost"
        shown = [m for e in extra.effects if isinstance(e, Send) for m in e.reply.texts]
        assert NOTICE["account_full"] in shown
    assert c.open_question == "account"
    c.press("q:account:done")
    assert c.state.answers["account"] == kept


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_notice_is_in_every_language(lang: str) -> None:
    text = render(NOTICE["account_full"], lang)
    assert text and (lang == "en" or text != NOTICE["account_full"].msgid)

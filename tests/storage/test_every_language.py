"""Every ending and interruption of the conversation, in each of the 14 languages, through the real service.

A person who chose a language reads everything in it: declining at the privacy notice, refusing to
go on, /delete before and after submission, /exit, /restart, a message in a group, an old button,
a flood, an error on our side, and finishing. Every text the bot puts in the outbox (messages,
buttons, edits, notices on presses) must be made of that language's catalog; the English source
text showing through fails outside `en`. Each answered question or confirmation is edited to show
the answer in the same language.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from casework import municipalities
from dialogs import service
from dialogs.events import Command, Config, Event, Media, Press, Text
from dialogs.i18n import LANGUAGES, language_name
from storage import repo
from storage.db import make_engine, transaction
from tests.storage.catalog_text import CatalogText
from tests.unit.conversation import FORM1_SV

CONFIG = Config(languages=LANGUAGES)
# What Telegram would say as the language_code of someone who reads the language
TELEGRAM_CODE = {"fa_AF": "prs", "kmr": "ku"}
_IDS = itertools.count(1)
_NAMES = [language_name(lang) for lang in LANGUAGES] + [m.name for m in municipalities.match_municipality("Ljusdal")]


class Chat:
    """One Telegram user, with every row the bot queued for their chat rendered as the person sees it."""

    def __init__(self, engine: Engine, lang: str, user: str | None = None) -> None:
        self.engine, self.lang = engine, lang
        self.user = user or f"u{next(_IDS)}"
        self.hint = TELEGRAM_CODE.get(lang, lang)
        self.buttons: list[str] = []
        self.seen: list[tuple[str, str]] = []  # (what, text): every text and label that reached the chat

    def send(self, event: Event) -> None:
        now = datetime.now(UTC)
        update_id = next(_IDS)
        with transaction(self.engine) as db:
            repo.add_inbox_updates(db, updates=[(update_id, self.user, {"update_id": update_id})], now=now)
        incoming = service.Incoming("telegram", self.user, self.user, event, self.hint, update_id,
                                    "cb" if isinstance(event, Press) else None, 1)
        with transaction(self.engine) as db:
            service.handle(db, incoming, CONFIG, now)
        self.read()

    def read(self) -> None:
        with transaction(self.engine) as db:
            now = datetime.now(UTC)
            for row in repo.pending_outbox(db, channel="telegram", now=now, chat_id=self.user):
                payload = row.payload or {}
                keyboard = payload.get("keyboard") or []
                if row.action in ("send", "edit_text") or (row.action == "answer_callback" and "text" in payload):
                    self.seen.append((row.action, payload["text"]))
                for line in keyboard:
                    self.seen += [("button", b["text"]) for b in line]
                if row.action == "send" and keyboard:
                    self.buttons = [b["data"] for line in keyboard for b in line]
                elif row.action == "edit_markup":
                    self.buttons = [b["data"] for line in keyboard for b in line]
                elif row.action == "edit_text":
                    self.buttons = []
                repo.mark_outbox(db, outbox_id=row.id, status="sent", now=now, message_id=row.id)  # type: ignore[arg-type]

    def press(self, data: str) -> None:
        self.send(Press(data))

    def command(self, name: str) -> None:
        self.send(Command(name))

    @property
    def open_question(self) -> str | None:
        return next((b.split(":")[1] for b in self.buttons if b.startswith("q:")), None)

    def begin(self) -> None:
        self.command("start")
        self.press(f"q:language:{self.lang}")

    def answer(self, persona: dict[str, Any], until: str | None = None) -> None:
        for _ in range(150):
            qid = self.open_question
            if qid is None or qid == until:
                return
            want = persona[qid]
            if qid == "summary":
                self.press("q:summary:submit")
            elif isinstance(want, dict):
                self.send(Text(want["text"]))
                self.press(f"q:{qid}:{want['pick']}")
            elif isinstance(want, list):
                for choice in want:
                    self.press(f"q:{qid}:{choice}")
                self.press(f"q:{qid}:done")
            elif isinstance(want, str) and want.startswith("text:"):
                self.send(Text(want[5:]))
                if qid == "account":
                    self.press("q:account:done")
            else:
                self.press(f"q:{qid}:{want}")
        raise AssertionError("too many steps")


def _persona(lang: str) -> dict[str, Any]:
    return FORM1_SV | {"language": lang, "interpreter": "yes", "consent_home_visit": "yes", "summary": None}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from storage.db import migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('langs') / 'intake.db'}"
    migrate(url)
    eng = make_engine(url)
    yield eng
    eng.dispose()


def _walk_every_path(engine: Engine, lang: str) -> list[Chat]:
    chats = []

    # declining at the privacy notice; then an old button of the erased conversation
    c = Chat(engine, lang)
    c.begin()
    c.press("q:privacy:stop")
    c.press("q:privacy:continue")
    chats.append(c)

    # refusing to go on
    c = Chat(engine, lang)
    c.begin()
    c.press("q:privacy:continue")
    c.press("q:consent_store:no")
    chats.append(c)

    # interruptions in the middle: bad input, an old and a forged button, commands, /restart, /delete
    c = Chat(engine, lang)
    c.command("exit")  # before anything: nothing stored, one neutral word
    c.begin()
    c.press("q:privacy:more")
    c.press("q:privacy:continue")
    c.press("q:consent_store:yes")
    c.press("q:urgent_needs:food")
    c.press("q:urgent_needs:done")  # the emergency contacts
    c.send(Text("Ljusdal"))
    c.press("q:moved_from:2161")
    c.send(Text("what do I press?"))  # words where a button is expected
    c.send(Media("sticker", "s1", "s1"))
    c.press("q:consent_store:yes")  # an old button
    c.press("q:moved_when:tomorrow")  # a forged choice
    for name in ("help", "consents", "mydata", "nonsense", "start"):
        c.command(name)
    c.command("language")
    c.press(f"q:language:{lang}")
    c.command("restart")
    c.press("c:restart:no")
    c.command("delete")
    c.press("c:delete:no")
    c.command("exit")
    c.command("start")
    c.command("restart")
    c.press("c:restart:yes")
    c.press(f"q:language:{lang}")
    c.press("q:privacy:continue")
    c.press("q:consent_store:yes")
    c.command("delete")
    c.press("c:delete:yes")
    c.press("q:urgent_needs:none")  # an old button after the erasure
    chats.append(c)

    # finishing, and what comes after: more messages, /start, /restart, /delete (an erasure request)
    c = Chat(engine, lang)
    c.begin()
    c.answer(_persona(lang), until="summary")
    c.press("q:summary:group_story")  # the group's questions, with a notice on the press
    c.press("q:summary:back")
    c.press("q:summary:group_story")
    c.press("q:summary:edit_account")  # adding to the account
    c.send(Text("And this."))
    c.press("q:account:done")
    c.press("q:summary:submit")
    c.send(Text("One more thing"))
    c.command("start")
    c.command("restart")
    c.command("delete")
    c.press("c:delete:yes")
    c.command("consents")
    chats.append(c)

    # a group chat, a flood, an error on our side: in the language this person chose
    with transaction(engine) as db:
        now = datetime.now(UTC)
        service.handle_group(db, chat_id=c.user, update_id=None, language_hint="en", answer=True, now=now,
                             external_id=c.user)
        service.slow_down(db, channel="telegram", external_id=c.user, chat_id=c.user, now=now, language_hint="en")
        service.apologise(db, channel="telegram", external_id=c.user, chat_id=c.user, now=now, cfg=CONFIG,
                          language_hint="en")
    c.read()

    # ... and for someone the bot does not know yet: Telegram's language_code
    stranger = Chat(engine, lang)
    with transaction(engine) as db:
        now = datetime.now(UTC)
        service.handle_group(db, chat_id=stranger.user, update_id=None, language_hint=stranger.hint, answer=True,
                             now=now, external_id=stranger.user)
        service.slow_down(db, channel="telegram", external_id=stranger.user, chat_id=stranger.user, now=now,
                          language_hint=stranger.hint)
    stranger.read()
    stranger.press("q:privacy:continue")  # an old button before anything
    stranger.command("mydata")
    stranger.command("delete")
    chats.append(stranger)
    return chats


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_ending_and_interruption_is_in_the_persons_language(engine: Engine, lang: str) -> None:
    check = CatalogText(lang, _NAMES)
    chats = _walk_every_path(engine, lang)
    problems = []
    for chat in chats:
        for what, text in chat.seen:
            problem = check.label_problem(text) if what == "button" else check.text_problem(text)
            if problem:
                problems.append(f"{what}: {problem}")
    assert not problems, "\n".join(problems[:15])
    declined, refused, interrupted, finished, stranger = chats
    # each ending is said, after the answered question was edited to show the answer
    for ended in (declined, refused):
        kinds = [what for what, _ in ended.seen if what != "button"]
        assert kinds[-3:] == ["edit_text", "send", "answer_callback"][-len(kinds[-3:]):] or kinds[-2:] == [
            "edit_text", "send"], kinds[-4:]
        edit = [text for what, text in ended.seen if what == "edit_text"][-1]
        assert edit.rsplit("\n\n", 1)[-1].startswith("✓ ")
    assert sum(what == "edit_text" and "✓" in text for what, text in interrupted.seen) >= 10
    assert any("SOL-" in text for what, text in finished.seen if what == "send")
    assert len(stranger.seen) >= 4

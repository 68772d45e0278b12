"""One incoming event -> load, step, store, queue the replies: all in the caller's one transaction.

This is where the pure dialog meets storage. The caller opens the transaction (`storage.db.transaction`)
and, after it commits, lets the shell send what was put in the outbox. When the event came from
Telegram, its inbox row is claimed in the same transaction, so a redelivered update changes nothing
and sends nothing again, and a crash before the commit leaves it to be processed again.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from casework import interpreting, notices, queue
from dialogs import engine, limits, personal_data, prompts
from dialogs.events import (
    CloseLive,
    Command,
    Config,
    Effect,
    Erase,
    Event,
    IntakeState,
    Media,
    NoteOnCase,
    Outcome,
    Press,
    QuickExit,
    Reassess,
    RecordAnswer,
    RecordConsent,
    Reply,
    Restart,
    Send,
    ShowMyData,
    Submit,
    Text,
    Toast,
    UpdateLiveKeyboard,
)
from dialogs.i18n import Msg, render, show
from dialogs.machine import ENDED, NEW
from storage import repo
from storage.models import Intake, Person

__all__ = ["Handled", "Incoming", "OutOfOrder", "Outbox", "apologise", "handle", "handle_group", "render_reply",
           "slow_down"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Incoming:
    """An event with who sent it and where from, as the shell saw it."""

    channel: str  # telegram | console
    external_id: str  # the user's id in that channel
    chat_id: str
    event: Event
    language_hint: str | None = None  # Telegram's language_code
    update_id: int | None = None  # the inbox row to claim (Telegram)
    callback_id: str | None = None  # the press to answer
    message_id: int | None = None  # the person's message in the chat (for /exit)


@dataclass(frozen=True)
class Handled:
    duplicate: bool = False
    person_id: int | None = None
    state: str | None = None
    reference: str | None = None  # set when this event submitted the intake


class OutOfOrder(Exception):
    """An earlier update of the same chat is not processed yet: try this one again after it."""


def handle(db: Session, incoming: Incoming, cfg: Config, now: datetime) -> Handled:
    """Process one event inside the caller's transaction."""
    repo.lock_chat(db, channel=incoming.channel, chat_id=incoming.chat_id)
    if incoming.update_id is not None:
        claim = repo.claim_inbox_in_order(db, update_id=incoming.update_id, chat_id=incoming.chat_id, now=now)
        if claim == "out_of_order":
            raise OutOfOrder(incoming.update_id)
        if claim == "duplicate":
            return Handled(duplicate=True)
    person, intake = repo.get_person_and_intake(db, channel=incoming.channel, external_id=incoming.external_id)
    before = _state_of(intake) if intake else IntakeState(suggested=_hint(incoming.language_hint))
    outcome = engine.step(before, incoming.event, cfg)
    # Every reply, endings included, in the language the person chose (or Telegram's, before that).
    language = outcome.state.shown_language
    writer = Outbox(db, incoming, now, intake)
    if intake is None and outcome.state.state in (NEW, ENDED):
        # Nothing to keep (a press on an old button, /help before starting): answer, store nothing.
        writer.apply(outcome, language)
        if outcome.has(QuickExit):
            personal_data.quick_exit(db, writer, intake=None, message_id=incoming.message_id, now=now)
        return Handled(state=outcome.state.state)
    if person is None:
        person = repo.get_or_add_person(db, channel=incoming.channel, external_id=incoming.external_id,
                                        chat_id=incoming.chat_id, now=now)
    assert person.id is not None
    if intake is None:
        intake = Intake(person_id=person.id, state=NEW, answers={}, texts={}, path=[], draft={}, started_at=now,
                        updated_at=now)
        db.add(intake)
        db.flush()
        writer.intake = intake
    assert intake.id is not None
    _record_inbound(db, person.id, incoming.event, before.shown_language, now, incoming.message_id)
    writer.forget = outcome.has(Erase)
    writer.apply(outcome, language, person_id=person.id)
    if outcome.has(Erase):
        repo.erase_person(db, person_id=person.id)
        repo.forget_chat(db, channel=incoming.channel, chat_id=incoming.chat_id)
        log.info("intake erased at the person's request", extra={"person": person.id})
        return Handled(person_id=None, state=ENDED)
    work = _Work(db, cfg, now, person, intake, writer, language)
    state = _stamped(outcome.state, now)
    for effect in outcome.effects:
        state = _record(effect, state, work)
    _store_state(intake, state, now)
    intake.reminders_sent = 0  # the person is here: the reminders count again from now
    intake.reminders_stopped = False
    for effect in outcome.effects:
        if isinstance(effect, QuickExit):
            personal_data.quick_exit(db, writer, intake=intake, message_id=incoming.message_id, now=now)
        elif isinstance(effect, ShowMyData):
            personal_data.my_data(db, writer, person=person, intake=intake, language=language, now=now)
    person.language = state.language or person.language
    person.chat_id = incoming.chat_id
    person.updated_at = now
    db.add(intake)
    db.add(person)
    return Handled(person_id=person.id, state=state.state, reference=work.submitted)


@dataclass
class _Work:
    """What carrying out the record effects of one update needs."""

    db: Session
    cfg: Config
    now: datetime
    person: Person
    intake: Intake
    writer: Outbox
    language: str
    submitted: str | None = None  # the reference, when this update submitted the intake


def _record(effect: Effect, state: IntakeState, w: _Work) -> IntakeState:
    """Carry out one effect on the record, in the update's transaction; the state it leaves."""
    assert w.intake.id is not None and w.person.id is not None
    match effect:
        case RecordAnswer(question, value):
            repo.add_answer_records(w.db, intake_id=w.intake.id, answered=[(question, value)], now=w.now)
        case RecordConsent(consent, value, shown):
            text = render(shown, w.language)
            repo.add_consent(w.db, person_id=w.person.id, consent=consent, value=value, language=w.language,
                             text_sha256=hashlib.sha256(text.encode()).hexdigest(), now=w.now)
        case Restart():
            repo.clear_answer_records(w.db, intake_id=w.intake.id)
        case Submit():
            referral = queue.submit(w.db, person_id=w.person.id, intake_id=w.intake.id, language=w.language,
                                    answers=state.answers, now=w.now)
            w.submitted = referral.reference
            if w.cfg.staff_chat_id:
                _notify_staff(w.db, w.cfg.staff_chat_id, referral, w.now)
            w.writer.send(prompts.submitted(referral.reference, w.cfg), w.language, person_id=w.person.id,
                          prompt=False)
            w.intake.submitted_at = w.now
            return state.but(reference=referral.reference)
        case NoteOnCase() if state.reference:
            queue.note_person_message(w.db, reference=state.reference, now=w.now)
            interpreting.announce_person_message(w.db, reference=state.reference, now=w.now)
        case Reassess(why) if state.reference:
            queue.reassess(w.db, reference=state.reference, answers=state.answers, now=w.now, actor="person",
                           event=why)
    return state


def _stamped(s: IntakeState, now: datetime) -> IntakeState:
    """Each new entry of the account gets its time: the caseworker sees when each part was told."""
    at = now.isoformat()
    entries = s.draft.get("entries")
    account = s.answers.get("account")
    if isinstance(entries, list) and any("at" not in e for e in entries):
        s = s.but(draft=s.draft | {"entries": [e if "at" in e else e | {"at": at} for e in entries]})
    if isinstance(account, list) and any(isinstance(e, dict) and "at" not in e for e in account):
        s = s.but(answers=s.answers | {"account": [e if "at" in e else e | {"at": at} for e in account]})
    return s


def slow_down(db: Session, *, channel: str, external_id: str, chat_id: str, now: datetime,
              language_hint: str | None = None) -> None:
    """Ask a person who floods the chat to wait a moment (nothing they sent is dropped)."""
    person = repo.get_person(db, channel=channel, external_id=external_id)
    language = _language_of(person, language_hint)
    reply = Reply((prompts.NOTICE["slow_down"],))
    repo.add_outbox(db, channel=channel, chat_id=chat_id, action="send", payload=render_reply(reply, language),
                    now=now)
    if person is not None and person.id is not None:
        repo.add_transcript(db, person_id=person.id, direction="out", kind="message",
                            data={"msgs": [m.to_json() for m in reply.texts]}, language=language, now=now)


def apologise(db: Session, *, channel: str, external_id: str, chat_id: str, now: datetime, cfg: Config,
              language_hint: str | None = None) -> None:
    """An update failed again and again and is given up: say so, in the person's language, so that they
    send it again rather than wait (the shell logs only the kind of error)."""
    person = repo.get_person(db, channel=channel, external_id=external_id)
    language = _language_of(person, language_hint)
    reply = Reply((prompts.failed(cfg),))
    repo.add_outbox(db, channel=channel, chat_id=chat_id, action="send", payload=render_reply(reply, language),
                    now=now)
    if person is not None and person.id is not None:
        repo.add_transcript(db, person_id=person.id, direction="out", kind="message",
                            data={"msgs": [m.to_json() for m in reply.texts]}, language=language, now=now)


def handle_group(db: Session, *, chat_id: str, update_id: int | None, language_hint: str | None, answer: bool,
                 now: datetime, external_id: str | None = None) -> bool:
    """A message in a group: say once that the bot works in private chats; record nothing from it.

    The answer is in the language the writer chose in their private chat with the bot, if they have one.
    """
    if update_id is not None and not repo.claim_inbox_update(db, update_id=update_id, now=now):
        return False
    if answer:
        person = repo.get_person(db, channel="telegram", external_id=external_id) if external_id else None
        language = _language_of(person, language_hint)
        repo.add_outbox(db, channel="telegram", chat_id=chat_id, action="send",
                        payload={"text": render(prompts.NOTICE["private_only"], language)}, now=now)
    return True


def _language_of(person: Person | None, language_hint: str | None) -> str:
    return (person.language if person else None) or _hint(language_hint) or "en"


def _notify_staff(db: Session, chat_id: str, referral: Any, now: datetime) -> None:
    text = notices.new_referral_notice(reference=referral.reference, priority=referral.priority,
                                       assessment=referral.assessment, language=referral.language)
    keyboard = [[{"text": "Ta ärendet", "data": f"s:claim:{referral.reference}"}]]
    repo.add_outbox(db, channel="telegram", chat_id=chat_id, action="send",
                    payload={"text": text, "keyboard": keyboard}, now=now)


# ------------------------------------------------------------------------------ state <-> row
def _state_of(intake: Intake) -> IntakeState:
    return IntakeState(
        state=intake.state,
        language=intake.language,
        suggested=intake.suggested,
        answers=dict(intake.answers or {}),
        texts=dict(intake.texts or {}),
        path=tuple(intake.path or ()),
        reviewing=intake.reviewing,
        resume=intake.resume,
        draft=dict(intake.draft or {}),
        reference=intake.reference,
    )


def _store_state(intake: Intake, s: IntakeState, now: datetime) -> None:
    intake.state = s.state
    intake.language = s.language
    intake.suggested = s.suggested
    intake.answers = dict(s.answers)
    intake.texts = dict(s.texts)
    intake.path = list(s.path)
    intake.reviewing = s.reviewing
    intake.resume = s.resume
    intake.draft = dict(s.draft)
    intake.reference = s.reference
    intake.updated_at = now


def _hint(code: str | None) -> str | None:
    if not code:
        return None
    code = code.replace("-", "_")
    return {"ku": "kmr", "prs": "fa_AF", "fa_af": "fa_AF"}.get(code.lower(), code.split("_")[0].lower())


def _record_inbound(db: Session, person_id: int, event: Event, language: str, now: datetime,
                    message_id: int | None) -> None:
    if isinstance(event, Text):
        repo.add_transcript(db, person_id=person_id, direction="in", kind="text", text=event.text.replace("\x00", ""),
                            language=language, now=now, message_id=message_id)
    elif isinstance(event, Press):
        repo.add_transcript(db, person_id=person_id, direction="in", kind="press", data={"press": event.data[:64]},
                            language=language, now=now)
    elif isinstance(event, Command):
        name = event.name.replace("\x00", "")  # PostgreSQL refuses NUL in text
        repo.add_transcript(db, person_id=person_id, direction="in", kind="command", text=f"/{name}",
                            language=language, now=now, message_id=message_id)
    elif isinstance(event, Media):
        data = {k: (v.replace("\x00", "") if isinstance(v, str) else v) for k, v in vars(event).items()
                if v is not None and k not in ("kind", "caption")}
        caption = event.caption.replace("\x00", "") if event.caption else None
        repo.add_transcript(db, person_id=person_id, direction="in", kind=event.kind[:16], data=data,
                            text=caption, language=language, now=now, message_id=message_id)


# ------------------------------------------------------------------------------ effects -> outbox
def render_reply(reply: Reply, language: str) -> dict[str, Any]:
    """The payload of a message: its text and its inline keyboard, rendered in one language."""
    payload: dict[str, Any] = {"text": _text(reply.texts, language)}
    if reply.buttons:
        payload["keyboard"] = _keyboard(reply.buttons, language)
    return payload


def _text(texts: tuple[Msg, ...] | list[Msg], language: str) -> str:
    return limits.cut("\n\n".join(render(m, language) for m in texts))


def _keyboard(buttons: Any, language: str) -> list[list[dict[str, str]]]:
    return [
        [{"text": b.text(language), "data": b.data} for b in row]
        for row in buttons
    ]


class Outbox:
    """Turns the dialog's effects into outbox rows and transcript entries."""

    def __init__(self, db: Session, incoming: Incoming, now: datetime, intake: Intake | None) -> None:
        self.db, self.incoming, self.now, self.intake = db, incoming, now, intake
        self.forget = False  # the person is being erased: their chat id goes once these are sent

    @staticmethod
    def state_of(intake: Intake) -> IntakeState:
        return _state_of(intake)

    def _add(self, action: str, payload: dict[str, Any], target: int | None = None) -> int:
        if self.forget:
            payload = payload | {"forget": True}
        return repo.add_outbox(self.db, channel=self.incoming.channel, chat_id=self.incoming.chat_id, action=action,
                               payload=payload, now=self.now, target_outbox_id=target)

    def apply(self, outcome: Outcome, language: str, person_id: int | None = None) -> None:
        toast = next((e for e in outcome.effects if isinstance(e, Toast)), None)
        if self.incoming.callback_id is not None:
            # The press is answered first, so the person's button stops spinning at once.
            payload: dict[str, Any] = {"callback_id": self.incoming.callback_id}
            if toast is not None:
                payload["text"] = limits.cut(render(toast.msg, language), limits.TOAST)
            self._add("answer_callback", payload)
        for effect in outcome.effects:
            if isinstance(effect, Send):
                self.send(effect.reply, language, person_id=person_id, prompt=effect.prompt)
            elif isinstance(effect, CloseLive):
                self.close_live(effect.answer, language)
            elif isinstance(effect, UpdateLiveKeyboard) and self.intake and self.intake.live_outbox_id:
                self._add("edit_markup", {"keyboard": _keyboard(effect.buttons, language)},
                          target=self.intake.live_outbox_id)

    def send(self, reply: Reply, language: str, *, person_id: int | None, prompt: bool) -> None:
        if prompt:
            self.close_live(None, language)
        outbox_id = self._add("send", render_reply(reply, language))
        if person_id is not None:
            repo.add_transcript(self.db, person_id=person_id, direction="out", kind="message",
                                data={"msgs": [m.to_json() for m in reply.texts]}, language=language, now=self.now)
        if prompt and self.intake is not None:
            self.intake.live_outbox_id = outbox_id
            self.intake.live_texts = [m.to_json() for m in reply.texts]

    def close_live(self, answer: Msg | str | None, language: str) -> None:
        intake = self.intake
        if intake is None or intake.live_outbox_id is None:
            return
        if answer is None:
            self._add("edit_markup", {"keyboard": None}, target=intake.live_outbox_id)
        else:
            shown = show(answer, language)
            texts = [Msg.from_json(m) for m in intake.live_texts or []]
            self._add("edit_text", {"text": limits.cut(f"{_text(texts, language)}\n\n✓ {shown}")},
                      target=intake.live_outbox_id)
        intake.live_outbox_id = None
        intake.live_texts = None

"""One step of the conversation: (intake state, event) -> (new state, effects). Pure.

No I/O and no clock: the service loads the state, calls `step`, stores what comes out and lets the
shell send the effects. Bad input never raises: it gets a short notice in the person's language and
the open question again, and nothing already given is lost.
"""

from __future__ import annotations

import re
from typing import Any

from casework import municipalities
from dialogs import prompts, rights, summary
from dialogs.events import (
    CloseLive,
    Command,
    Config,
    Erase,
    Event,
    IntakeState,
    Media,
    NoteOnCase,
    Outcome,
    Press,
    RecordAnswer,
    RecordConsent,
    Reply,
    Restart,
    Send,
    Submit,
    Text,
    Toast,
    UpdateLiveKeyboard,
)
from dialogs.i18n import Msg, clean_text, language_name
from dialogs.machine import DONE, ENDED, NEW, Move, move
from dialogs.parsing import entry_of, parse_count, parse_phone
from dialogs.questions import DONT_KNOW, QUESTIONS, SKIPPED, Kind, Question, applicable, by_id, prune

__all__ = ["CONSENT_QUESTIONS", "ended", "parse_count", "parse_phone", "step"]

CONSENT_QUESTIONS = tuple(q.id for q in QUESTIONS if q.consent is not None)
_PRESS = re.compile(r"^([qc]):([a-z_]{1,30}):([A-Za-z0-9_]{1,30})$")
_MAX_NAME = 100


def step(s: IntakeState, event: Event, cfg: Config) -> Outcome:
    """The dialog's answer to one event."""
    if isinstance(event, Command):
        if event.name in rights.COMMANDS:
            return rights.command(s, event.name, cfg)
        return _command(s, event.name, cfg)
    if isinstance(event, Press) and event.data.startswith("c:"):
        return _press(s, event.data, cfg)
    if s.state in (NEW, ENDED):
        if isinstance(event, Press):
            return Outcome(s, [Toast(prompts.NOTICE["start_first"])])
        return _begin(s, cfg)
    if s.state == DONE:
        return _after_submission(s, event)
    if isinstance(event, Press):
        return _press(s, event.data, cfg)
    q = by_id(s.state)
    assert q is not None, s.state
    if isinstance(event, Text):
        return _text(s, q, clean_text(event.text), cfg)
    return _media(s, q, event, cfg)


def ended(s: IntakeState) -> IntakeState:
    """The state after the person declined or deleted: nothing kept but the language to say goodbye in
    (the service stores none of it: the person is erased in the same transaction)."""
    return IntakeState(state=ENDED, language=s.language, suggested=s.suggested)


# ------------------------------------------------------------------------------ commands
def _command(s: IntakeState, name: str, cfg: Config) -> Outcome:
    if name == "help":
        out = Outcome(s, [Send(prompts.help_reply(cfg))])
        return _reask(out, s, cfg) if s.state not in (NEW, ENDED, DONE) else out
    if s.state in (NEW, ENDED):
        if name in ("start", "language", "restart"):
            return _begin(s, cfg)
        return Outcome(s, [Send(prompts.help_reply(cfg))])
    if s.submitted:
        if name == "language":
            return _ask(Outcome(s.but(state="language", resume=DONE, draft={})), cfg)
        if name == "start":
            back = s.but(state=DONE, resume=None)
            return Outcome(back, [CloseLive(), Send(prompts.submitted(s.reference or "", cfg))])
        key = "already_submitted" if name == "restart" else "unknown_command"
        return Outcome(s, [Send(Reply((prompts.NOTICE[key],)))])
    if name == "start":
        return _reask(Outcome(s), s, cfg, prompts.NOTICE["welcome_back"])
    if name == "language":
        resume = s.resume if s.state == "language" else s.state
        return _ask(Outcome(s.but(state="language", resume=resume, draft=_without(s.draft, "confirm"))), cfg)
    if name == "restart":
        # the confirmation is the live message until it is answered
        return Outcome(s.but(draft=s.draft | {"confirm": "restart"}), [Send(prompts.confirm_restart(), prompt=True)])
    return _reask(Outcome(s), s, cfg, prompts.NOTICE["unknown_command"])


def _begin(s: IntakeState, cfg: Config) -> Outcome:
    fresh = IntakeState(state=move(NEW, "begin", Move({})), suggested=s.suggested)
    return _ask(Outcome(fresh), cfg)


def _after_submission(s: IntakeState, event: Event) -> Outcome:
    assert s.reference is not None
    if isinstance(event, Press):
        return Outcome(s, [Toast(prompts.NOTICE["closed_question"])])
    entry = entry_of(event)
    if entry == {"text": ""}:
        return Outcome(s, [Send(Reply((prompts.NOTICE["text_only"],)))])
    return Outcome(s, [Send(prompts.added_to_case(s.reference)), NoteOnCase(entry)])


# ------------------------------------------------------------------------------ asking
def _ask(out: Outcome, cfg: Config, notice: Msg | None = None) -> Outcome:
    """Show the open question as the new live message."""
    q = by_id(out.state.state)
    assert q is not None
    out.effects.append(Send(prompts.question(q, out.state, cfg, notice), prompt=True))
    return out


def _reask(out: Outcome, s: IntakeState, cfg: Config, notice: Msg | None = None) -> Outcome:
    if "candidates" in s.draft and s.state == "moved_from":
        reply = prompts.candidates(s.draft["candidates"], s.draft.get("typed", ""), s, notice)
        out.effects.append(Send(reply, prompt=True))
        return out
    if s.state == "account" and s.draft.get("entries"):
        reply = prompts.account_ack(len(_account_entries(s)), s)
        if notice:
            reply = type(reply)((notice, *reply.texts), reply.buttons)
        out.effects.append(Send(reply, prompt=True))
        return out
    return _ask(out, cfg, notice)


# ------------------------------------------------------------------------------ presses
def _press(s: IntakeState, data: str, cfg: Config) -> Outcome:
    m = _PRESS.fullmatch(data or "")
    if not m:
        return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
    kind, qid, choice = m.groups()
    if kind == "c":
        return _confirm(s, qid, choice, cfg)
    if qid != s.state:
        return Outcome(s, [Toast(prompts.NOTICE["closed_question"])])
    q = by_id(qid)
    assert q is not None
    if choice == "back":
        return _back_press(s, q, cfg)
    if q.kind is Kind.ACCOUNT:
        return _account_press(s, q, choice, cfg)
    if choice == "skip" and q.skippable:
        return _answer(s, q, SKIPPED, cfg)
    if q.kind is Kind.LANGUAGE:
        if choice not in cfg.languages:
            return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
        return _choose_language(s, q, choice, cfg)
    if q.kind is Kind.SUMMARY:
        return _summary_press(s, choice, cfg)
    if q.kind is Kind.MULTI:
        return _toggle(s, q, choice, cfg)
    if q.kind is Kind.MUNICIPALITY:
        if choice in s.draft.get("candidates", ()) or choice in ("other", DONT_KNOW):
            if choice == "other" and not s.draft.get("typed"):
                return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
            texts = {"moved_from": s.draft["typed"]} if choice == "other" else {}
            return _answer(s.but(texts=_without(s.texts, "moved_from") | texts), q, choice, cfg)
        return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
    if q.kind is Kind.COUNT:
        return _answer(s, q, int(choice), cfg) if choice in q.choices else Outcome(
            s, [Toast(prompts.NOTICE["bad_button"])]
        )
    if choice == "more" and q.more is not None:
        # the full text with the question's buttons under it, instead of the short notice again
        return Outcome(s, [Send(prompts.more(q, s, cfg), prompt=True)])
    if choice in q.all_choices:
        return _answer(s, q, choice, cfg)
    return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])


def _back_press(s: IntakeState, q: Question, cfg: Config) -> Outcome:
    if q.kind is Kind.SUMMARY and s.draft.get("group"):
        # from a group's questions back to all groups: the same message, its keyboard changed
        shown = s.but(draft=_without(s.draft, "group"))
        return Outcome(shown, [UpdateLiveKeyboard(summary.keyboard(shown))])
    if q.kind is Kind.MUNICIPALITY and "candidates" in s.draft:
        # from the candidates back to typing the name again
        again = s.but(draft={})
        return _ask(Outcome(again, [CloseLive()]), cfg)
    if q.kind is Kind.ACCOUNT and s.draft.get("entries"):
        # what was sent here is kept (added to the account) before going back
        s, kept = _keep_account(s, q)
        out = _back(s, cfg)
        out.effects.insert(0, kept)
        return out
    if (s.path or s.reviewing) and q.kind is not Kind.LANGUAGE:
        return _back(s, cfg)
    return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])


def _account_entries(s: IntakeState) -> list[dict[str, Any]]:
    """The whole account: what was given before (never replaced) and what was sent since."""
    return [*prompts.account_so_far(s), *s.draft.get("entries", ())]


def _keep_account(s: IntakeState, q: Question) -> tuple[IntakeState, RecordAnswer]:
    entries = _account_entries(s)
    return s.but(answers=s.answers | {q.id: entries}, draft=_without(s.draft, "entries")), RecordAnswer(q.id, entries)


def _account_press(s: IntakeState, q: Question, choice: str, cfg: Config) -> Outcome:
    entries = _account_entries(s)
    if choice in ("done", "skip") and entries:
        return _answer(s, q, entries, cfg)  # skipping after some messages keeps them all
    if choice == "skip" and q.skippable:
        return _answer(s, q, SKIPPED, cfg)
    if choice == "done":
        return Outcome(s, [Toast(prompts.NOTICE["account_empty"])])
    return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])


def _without(d: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != key}


def _confirm(s: IntakeState, what: str, choice: str, cfg: Config) -> Outcome:
    out = rights.confirm(s, what, choice, cfg, go_on=lambda o, notice: _go_on(o, cfg, notice))
    if out is not None:
        return out
    if what != "restart" or s.draft.get("confirm") != "restart" or choice not in ("yes", "no") or s.submitted:
        return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
    if choice == "no":
        kept = s.but(draft=_without(s.draft, "confirm"))
        return _reask(Outcome(kept, [CloseLive(prompts.RESTART_NO)]), kept, cfg, prompts.NOTICE["restart_kept"])
    fresh = IntakeState(state=move(s.state, "restart", Move({})), suggested=s.suggested, language=s.language)
    out = Outcome(fresh, [CloseLive(prompts.RESTART_YES), Restart()])
    return _ask(out, cfg, prompts.NOTICE["restarted"])


def _go_on(out: Outcome, cfg: Config, notice: Msg) -> Outcome:
    """After an interruption that changed nothing: the open question again, with `notice` on top."""
    if out.state.state in (NEW, ENDED, DONE):
        out.effects.append(Send(Reply((notice,))))
        return out
    return _reask(out, out.state, cfg, notice)


def _choose_language(s: IntakeState, q: Question, lang: str, cfg: Config) -> Outcome:
    if not s.resume:
        return _answer(s.but(language=lang), q, lang, cfg)
    # /language in the middle: the open question again, in the new language
    if s.resume == DONE:
        out = Outcome(s.but(language=lang, state=DONE, resume=None), [CloseLive(language_name(lang))])
        out.effects.append(Send(prompts.submitted(s.reference or "", cfg)))
        return out
    answers = prune(s.answers | {"language": lang})
    dest = s.resume
    if dest == "summary":
        dest = move("language", "review", Move(answers))  # e.g. `interpreter` when Swedish was left
    elif not applicable(by_id(dest), answers):  # type: ignore[arg-type]
        dest = move(dest, "forward", Move(answers))
    reviewing = s.reviewing or (s.resume == "summary" and dest != "summary")
    draft = s.draft if dest == s.resume else _draft_for(dest, s)
    nxt = s.but(language=lang, answers=answers, state=dest, resume=None, reviewing=reviewing, draft=draft)
    out = Outcome(nxt, [CloseLive(language_name(lang)), RecordAnswer("language", lang)])
    return _reask(out, nxt, cfg)


def _summary_press(s: IntakeState, choice: str, cfg: Config) -> Outcome:
    if choice == "submit":
        missing = move("language", "review", Move(s.answers))
        if missing != "summary":
            # a question that became due by an edit is still open: ask it before sending
            ask = s.but(state=missing, reviewing=True, draft=_draft_for(missing, s))
            return _ask(Outcome(ask, [CloseLive()]), cfg, prompts.NOTICE["answer_first"])
        done = s.but(state=move(s.state, "submit", Move(s.answers)), draft={})
        return Outcome(done, [CloseLive(summary.SUBMIT), Submit()])
    if choice.startswith("edit_"):
        # the spec's edit button: works whichever keyboard of the summary is showing
        target = by_id(choice.removeprefix("edit_"))
        if target is not None and target.editable and target.id in s.answers:
            dest = move(s.state, "edit", Move(s.answers, target=target.id))
            out = Outcome(s.but(state=dest, reviewing=True, draft=_draft_for(dest, s)), [CloseLive()])
            return _ask(out, cfg)
    if choice.startswith("group_"):
        # a group's questions, each with its own edit button, in place of the groups
        groups = dict((g.id, qs) for g, qs in summary.editable_groups(s))
        group = choice.removeprefix("group_")
        if group in groups:
            shown = s.but(draft=s.draft | {"group": group})
            return Outcome(shown, [UpdateLiveKeyboard(summary.keyboard(shown)),
                                   Toast(prompts.NOTICE["choose_answer"])])
    return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])


def _draft_for(qid: str, s: IntakeState) -> dict[str, Any]:
    """What a question starts with: a multi-select shows the current choices ticked."""
    q = by_id(qid)
    if q is not None and q.kind is Kind.MULTI and isinstance(s.answers.get(qid), list):
        return {"selected": [c for c in s.answers[qid] if c in q.all_choices]}
    return {}


def _toggle(s: IntakeState, q: Question, choice: str, cfg: Config) -> Outcome:
    selected: list[str] = list(s.draft.get("selected", ()))
    if choice == "done":
        if not selected:
            return Outcome(s, [Toast(prompts.NOTICE["choose_one"])])
        ordered = [c for c in q.all_choices if c in selected]
        out = _answer(s, q, ordered, cfg)
        if q.urgent and any(c not in ("none", DONT_KNOW) for c in ordered):
            # the emergency contacts come at once, before the next question
            ask_next = out.effects.pop()
            out.effects.append(Send(prompts.emergency(ordered, cfg)))
            out.effects.append(ask_next)
        return out
    if choice not in q.all_choices:
        return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
    exclusive = {"none", DONT_KNOW}
    if choice in selected:
        selected.remove(choice)
    elif choice in exclusive:
        selected = [choice]
    else:
        selected = [c for c in selected if c not in exclusive] + [choice]
    toggled = s.but(draft=s.draft | {"selected": selected})
    keyboard = prompts.question(q, toggled, cfg).buttons
    return Outcome(toggled, [UpdateLiveKeyboard(keyboard)])


def _back(s: IntakeState, cfg: Config) -> Outcome:
    if s.reviewing:
        dest, path = "summary", s.path
    else:
        dest = move(s.state, "back", Move(s.answers, came_from=s.path[-1]))
        path = s.path[:-1]
    back = s.but(state=dest, path=path, reviewing=False if dest == "summary" else s.reviewing)
    back = back.but(draft=_draft_for(dest, back))
    return _ask(Outcome(back, [CloseLive()]), cfg)


# ------------------------------------------------------------------------------ answering
def _answer(s: IntakeState, q: Question, value: Any, cfg: Config) -> Outcome:
    answers = prune(s.answers | {q.id: value})
    texts = {k: v for k, v in s.texts.items() if k in answers}
    answered = s.but(answers=answers, texts=texts, draft={})
    out = Outcome(answered, [CloseLive(prompts.answer_label(q.id, value, answered)), RecordAnswer(q.id, value)])
    if q.consent is not None:
        out.effects.append(RecordConsent(q.id, str(value), q.prompt))
    if isinstance(value, str) and value in q.ends_on:
        # Nothing is kept; the goodbye is still said in the language the person chose.
        out.state = ended(s)
        out.effects += [Send(prompts.goodbye(q.id, cfg)), Erase()]
        return out
    if s.reviewing:
        dest = move(q.id, "review", Move(answers))
        path = s.path
    else:
        dest = move(q.id, "forward", Move(answers))
        path = (*s.path, q.id)
    out.state = answered.but(state=dest, path=path, reviewing=s.reviewing and dest != "summary")
    out.state = out.state.but(draft=_draft_for(dest, out.state))
    return _ask(out, cfg)


def _text(s: IntakeState, q: Question, text: str, cfg: Config) -> Outcome:
    if not text:
        return _reask(Outcome(s), s, cfg, prompts.NOTICE["text_only"])
    if q.kind is Kind.MUNICIPALITY:
        if len(text) > _MAX_NAME:
            return _reask(Outcome(s), s, cfg, prompts.NOTICE["too_long"])
        found = [m.code for m in municipalities.match_municipality(text, limit=3)]
        drafted = s.but(draft={"typed": text, "candidates": found})
        return Outcome(drafted, [Send(prompts.candidates(found, text, drafted), prompt=True)])
    if q.kind is Kind.COUNT:
        n = parse_count(text)
        if n is None:
            return _reask(Outcome(s), s, cfg, prompts.NOTICE["bad_count"])
        return _answer(s, q, n, cfg)
    if q.kind is Kind.PHONE:
        phone = parse_phone(text)
        if phone is None:
            return _reask(Outcome(s), s, cfg, prompts.NOTICE["bad_phone"])
        return _answer(s, q, phone, cfg)
    if q.kind is Kind.ACCOUNT:
        return _add_entry(s, {"text": text})
    return _reask(Outcome(s), s, cfg, prompts.NOTICE["use_buttons"])


def _media(s: IntakeState, q: Question, m: Media, cfg: Config) -> Outcome:
    if q.kind is Kind.ACCOUNT and m.kind in ("voice", "audio", "photo", "document", "video", "video_note"):
        return _add_entry(s, entry_of(m))
    key = "text_only" if q.kind in (Kind.MUNICIPALITY, Kind.COUNT, Kind.PHONE) else "no_media_here"
    return _reask(Outcome(s), s, cfg, prompts.NOTICE[key])


def _add_entry(s: IntakeState, entry: dict[str, Any]) -> Outcome:
    drafted = s.but(draft=s.draft | {"entries": [*s.draft.get("entries", ()), entry]})
    return Outcome(drafted, [Send(prompts.account_ack(len(_account_entries(drafted)), drafted), prompt=True)])

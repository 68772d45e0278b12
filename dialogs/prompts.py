"""Question + state -> the message to show: its text (as msgids) and its inline buttons.

The only place that decides what a message contains. Callback data follows INTAKE_SPEC section 2:
`q:<question>:<choice>`, `q:<question>:back`, `q:<question>:skip`, `q:<question>:done`; the
confirmation of /restart uses `c:restart:yes|no`, which no outside driver mistakes for a question.
"""

from __future__ import annotations

from typing import Any

from casework import municipalities
from dialogs.events import Button, Config, IntakeState, Reply
from dialogs.i18n import N_, NN_, P_, Msg, language_name
from dialogs.questions import DONT_KNOW, QUESTIONS, Kind, Question, by_id
from dialogs.summary import answer_label, summary

__all__ = [
    "EDITABLE",
    "FILE_LIMIT_MB",
    "FILE_TOO_LARGE",
    "NOTICE",
    "STANDARD_REPLIES",
    "TITLES",
    "account_ack",
    "account_so_far",
    "answer_label",
    "candidates",
    "caseworker_header",
    "emergency",
    "failed",
    "help_reply",
    "more",
    "privacy_more",
    "question",
    "submitted",
    "summary",
]

CHECK = "✓"

NOTICE: dict[str, Msg] = {
    "use_buttons": N_("Please answer with one of the buttons below."),
    "text_only": N_("I can only read text here. Please write your answer."),
    "no_media_here": N_("I cannot use a sticker, photo or voice message for this question."),
    "closed_question": N_("That question is already answered. Please answer the latest question."),
    "bad_button": N_("This button does not work any more."),
    "choose_one": N_("Please choose at least one, then press Done."),
    "unknown_command": N_("I do not know that command. Write /help to see what I can do."),
    "too_long": N_("That is too long. Please write only the name."),
    "bad_count": N_("Please write a number from 1 to 15, or press a button."),
    "bad_phone": N_(
        "That does not look like a phone number. Write it like {local} or {international}.",
        local="070 123 45 67",
        international="+46 70 123 45 67",
    ),
    "account_empty": N_("Please send your story first, or press Skip."),
    "welcome_back": N_("Welcome back. Here is where you stopped."),
    "slow_down": N_("You are sending many messages very fast. Please wait a moment, then go on."),
    "answer_first": N_("Please answer this question too, then you can send your answers."),
    "restart_kept": N_("Good, we go on where you were."),
    "restarted": N_("We start again from the beginning."),
    "already_submitted": N_("Your answers are already sent. You can still write to us here."),
    "start_first": N_("This conversation has ended. Write /start to begin again."),
    "choose_answer": N_("Choose the answer you want to change."),
    "private_only": N_(
        "I work only in private chats. Please write to me directly, not in a group."
    ),
}

# The questions' short names and which may be changed from the summary: both are fields of the
# question table; these mappings are kept for the shells that look them up by id.
TITLES: dict[str, Msg] = {q.id: q.title for q in QUESTIONS if q.title is not None}
EDITABLE = tuple(q.id for q in QUESTIONS if q.editable)


def _b(qid: str, choice: str, label: Msg | str) -> Button:
    return Button(f"q:{qid}:{choice}", label)


def _back(qid: str) -> Button:
    # the arrow is drawn when the button is rendered, pointing the person's reading direction
    return Button(f"q:{qid}:back", P_("button", "Back"), nav="back")


def _nav(q: Question, s: IntakeState, *, done: bool = False, skip: bool | None = None) -> tuple[Button, ...]:
    row: list[Button] = []
    if done:
        row.append(_b(q.id, "done", P_("button", "Done ✓")))
    if q.skippable if skip is None else skip:
        row.append(_b(q.id, "skip", P_("button", "Skip")))
    if s.path or s.reviewing:
        row.append(_back(q.id))
    return tuple(row)


def _rows(*rows: tuple[Button, ...]) -> tuple[tuple[Button, ...], ...]:
    return tuple(r for r in rows if r)


def question(q: Question, s: IntakeState, cfg: Config, notice: Msg | None = None) -> Reply:
    """The message that asks `q`, with its keyboard; `notice` goes first (e.g. after bad input)."""
    texts: tuple[Msg, ...] = (notice,) if notice else ()
    if q.kind is Kind.LANGUAGE:
        langs = list(cfg.languages)
        hinted = [lang for lang in langs if s.suggested and lang.split("_")[0] == s.suggested.split("_")[0]]
        ordered = hinted + [lang for lang in langs if lang not in hinted]
        buttons = [_b(q.id, lang, language_name(lang)) for lang in ordered]
        rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
        # the social services' number is in the very first message, for everyone
        greeting = () if s.language else (
            N_("Hello! This is the social services of {town} municipality, phone {phone}.",
               phone=cfg.social_services_phone),)
        return Reply((*texts, *greeting, q.prompt), rows)
    if q.kind is Kind.SUMMARY:
        return summary(s, notice)
    if q.kind is Kind.MULTI:
        chosen = set(s.draft.get("selected", ()))
        buttons = [
            (_b(q.id, c, _ticked(q.label(c)) if c in chosen else q.label(c)),) for c in q.all_choices
        ]
        return Reply((*texts, q.prompt), _rows(*buttons, _nav(q, s, done=True)))
    if q.kind is Kind.COUNT:
        return Reply((*texts, q.prompt), _rows(tuple(_b(q.id, c, c) for c in q.choices), _nav(q, s)))
    if q.kind in (Kind.MUNICIPALITY, Kind.PHONE):
        extra = (_b(q.id, DONT_KNOW, q.label(DONT_KNOW)),) if q.dont_know else ()
        return Reply((*texts, q.prompt), _rows(extra, _nav(q, s)))
    if q.kind is Kind.ACCOUNT:
        told = account_so_far(s)
        if told:  # never replaced: what comes now is added to it
            more = NN_(
                "Your story so far: {n} message. Send more to add to it, then press Done.",
                "Your story so far: {n} messages. Send more to add to it, then press Done.",
                len(told),
            )
            return Reply((*texts, more), _rows(_nav(q, s, done=True, skip=False)))
        return Reply((*texts, q.prompt), _rows(_nav(q, s)))
    choices = [(_b(q.id, c, q.label(c)),) for c in q.all_choices]
    if q.more is not None:
        choices.insert(1, (_b(q.id, "more", P_("privacy", "Read more")),))
    body = q.body(cfg) if q.body is not None else (q.prompt,)
    return Reply((*texts, *body), _rows(*choices, _nav(q, s)))


def _ticked(label: Msg | str) -> Msg:
    return N_("✓ {label}", label=label)


def candidates(codes: list[str], typed: str, s: IntakeState, notice: Msg | None = None) -> Reply:
    """The municipalities that match what was typed, as buttons (choice id = kommunkod)."""
    q = by_id("moved_from")
    assert q is not None
    rows = [(_b(q.id, code, municipalities.by_code(code).name),) for code in codes]  # type: ignore[union-attr]
    rows.append((_b(q.id, "other", P_("moved_from", "Another place")), _b(q.id, DONT_KNOW, q.label(DONT_KNOW))))
    if codes:
        text = N_("Did you mean one of these? You wrote: {typed}", typed=typed)
    else:
        text = N_("I did not find “{typed}”. Write the name again, or choose below.", typed=typed)
    texts = (notice, text) if notice else (text,)
    return Reply(texts, _rows(*rows, _nav(q, s)))


def account_so_far(s: IntakeState) -> list[dict[str, Any]]:
    """The entries of the account already given (an edit from the summary adds to them)."""
    told = s.answers.get("account")
    return list(told) if isinstance(told, list) else []


def account_ack(count: int, s: IntakeState) -> Reply:
    q = by_id("account")
    assert q is not None
    text = NN_(
        "Saved ({n} message). Send more, or press Done.",
        "Saved ({n} messages). Send more, or press Done.",
        count,
    )
    return Reply((text,), _rows(_nav(q, s, done=True, skip=False)))


def privacy_more(cfg: Config) -> Reply:
    """The "Read more" text of the privacy notice alone (dialogs/privacy.py)."""
    q = by_id("privacy")
    assert q is not None and q.more is not None
    return Reply(q.more(cfg))


def more(q: Question, s: IntakeState, cfg: Config) -> Reply:
    """ "Read more": the full text, and the question's own buttons again below it (no second Read more)."""
    assert q.more is not None
    choices = [(_b(q.id, c, q.label(c)),) for c in q.all_choices]
    return Reply(q.more(cfg), _rows(*choices, _nav(q, s)))


def emergency(needs: list[str], cfg: Config) -> Reply:
    texts: list[Msg] = [
        N_(
            "If you are in danger or someone is badly hurt, call {emergency} now.",
            emergency=cfg.emergency_number,
        ),
        N_(
            "For help today with food, a place to sleep or safety, call social services in {town}: "
            "{phone} (weekdays). Evenings and weekends, call {emergency} and ask for the social "
            "services on duty (socialjouren).",
            phone=cfg.social_services_phone,
            emergency=cfg.emergency_number,
        ),
    ]
    if "health" in needs:
        texts.append(N_("For health advice, call {number} (healthcare advice, day and night).", number="1177"))
    if "safety" in needs:
        texts.append(
            N_(
                "If someone threatens or hurts you, you can also call Kvinnofridslinjen, {number}, "
                "free and open all hours.",
                number="020-50 50 50",
            )
        )
    texts.append(N_("We will go on with the questions now, so that we can help you."))
    return Reply(tuple(texts))


def goodbye(declined: str, cfg: Config) -> Reply:
    if declined == "privacy":
        text = N_("Thank you. We have not saved anything about you. Write /start if you change your mind.")
    else:
        text = N_(
            "Thank you. We have deleted your answers. You can call social services in {town} on "
            "{phone}, or visit us. Tell us if you need an interpreter. Write /start if you change your mind.",
            phone=cfg.social_services_phone,
        )
    return Reply((text,))


def submitted(reference: str, cfg: Config) -> Reply:
    return Reply(
        (
            N_("Thank you. Your answers are sent. Your case number is {reference}.", reference=reference),
            N_(
                "A caseworker will read your case within {days} working days and contact you the way "
                "you chose. If you need help today, call {phone}, or {emergency} in an emergency.",
                days=cfg.response_days,
                phone=cfg.social_services_phone,
                emergency=cfg.emergency_number,
            ),
            N_(
                "You can add more at any time: just write here, or send a photo or voice message. "
                "Write /delete if you want to withdraw your consent."
            ),
        )
    )


def failed(cfg: Config) -> Msg:
    """When a message could not be processed even after several tries (an error on our side)."""
    return N_(
        "Sorry, something went wrong on our side and we could not take your last message. Please send it "
        "again. If it happens again, call social services in {town}: {phone}.",
        phone=cfg.social_services_phone,
    )


def added_to_case(reference: str) -> Reply:
    return Reply((N_("Thank you. We have added this to your case {reference}.", reference=reference),))


def help_reply(cfg: Config) -> Reply:
    return Reply(
        (
            N_(
                "I ask you some questions about your move to {town}, so that social services can help you.\n"
                "/start – go on where you stopped\n"
                "/language – change language\n"
                "/restart – start again from the beginning\n"
                "/consents – see or withdraw your consents\n"
                "/mydata – see what we have stored about you\n"
                "/delete – delete your answers\n"
                "/exit – quickly remove this chat from the screen\n"
                "/help – this help"
            ),
            N_("You can also call social services in {town}: {phone}.", phone=cfg.social_services_phone),
        )
    )


RESTART_YES, RESTART_NO = P_("restart", "Yes, start again"), P_("restart", "No, go on")


def confirm_restart() -> Reply:
    return Reply(
        (N_("Do you want to delete your answers and start again from the beginning?"),),
        ((Button("c:restart:yes", RESTART_YES), Button("c:restart:no", RESTART_NO)),),
    )


# ------------------------------------------------------------------------------ after the intake
# Files larger than this are not downloaded (a Telegram bot can download at most 20 MB).
FILE_LIMIT_MB = 20
FILE_TOO_LARGE = N_(
    "This file is too large for us to receive: the limit is {limit} MB. Please send a smaller file, or photos "
    "of the pages. You can also bring the paper to us.",
    limit=FILE_LIMIT_MB,
)

# What a caseworker can send in the person's language (/reply); the details are filled in by the caseworker.
STANDARD_REPLIES: dict[str, Msg] = {
    "received": N_("We have received your case. A caseworker is working on it."),
    "call": N_("Please call us on {phone}."),
    # Translators: {date} is a date such as "3 December 2026", {time} a time such as 14:00, {place} an address.
    "meeting": N_("A meeting is booked for you on {date} at {time}, at {place}. An interpreter will be there."),
    "lease": N_("We need a copy of your lease (hyreskontrakt). You can send a photo of it here."),
}


def caseworker_header(reference: str) -> Msg:
    """The first line of a caseworker's message to the person: who it is from."""
    return N_("A message from social services about your case {reference}:", reference=reference)

"""The person's rights in the chat: /consents (and withdrawal), /mydata, /delete and /exit. Pure.

What needs stored data (the consent ledger's times, the transcript, deleting messages in the chat)
is asked of the service through typed effects (`QuickExit`, `ShowMyData`, `Reassess`, `Erase`); what the
person is told is decided here, always in their language. Confirmations use `c:<what>:<choice>`
callback data, which never looks like a question to a client; a confirmation is the live message until
it is answered, and then shows the answer like any answered question.
"""

from __future__ import annotations

from collections.abc import Callable

from dialogs import prompts
from dialogs.events import (
    Button,
    CloseLive,
    Config,
    Erase,
    IntakeState,
    Outcome,
    QuickExit,
    Reassess,
    RecordAnswer,
    RecordConsent,
    Reply,
    Send,
    ShowMyData,
    Toast,
)
from dialogs.i18n import N_, P_, Msg
from dialogs.machine import ENDED, NEW
from dialogs.questions import QUESTIONS

__all__ = ["COMMANDS", "CONSENTS", "command", "confirm"]

COMMANDS = frozenset({"consents", "mydata", "delete", "exit"})
# The consents (samtycken) and what each is to: fields of the question table.
CONSENTS: dict[str, Msg] = {q.id: q.consent for q in QUESTIONS if q.consent is not None}
_STATE = {"yes": P_("consent", "given"), "no": P_("consent", "not given")}
_DELETE_YES, _DELETE_NO = P_("delete", "Yes, delete"), P_("delete", "No, keep it")


def command(s: IntakeState, name: str, cfg: Config) -> Outcome:
    started = s.state not in (NEW, ENDED)
    if name == "exit":
        # One neutral word; the service deletes the conversation from the chat.
        return Outcome(s, [Send(Reply((P_("exit", "OK"),))), QuickExit()])
    if name == "mydata":
        if not started:
            return Outcome(s, [Send(Reply((N_("Nothing is stored about you."),)))])
        return Outcome(s, [ShowMyData()])
    if name == "consents":
        return Outcome(s, [Send(_consents(s))])
    # /delete
    if not started:
        return Outcome(s, [Send(Reply((N_("Nothing is stored about you."),)))])
    drafted = s.but(draft=s.draft | {"confirm": "delete"})
    if s.submitted:
        text = N_(
            "Your case {reference} is with social services. A social services case cannot simply be deleted: "
            "the law says it is documentation that must be kept (archiving rules). If you go on, we withdraw "
            "your consents, stop using what you told us here for anything else, and a caseworker decides "
            "about deleting it and tells you. Do you want that?",
            reference=s.reference or "",
        )
    else:
        text = N_("Do you want to delete everything you have told us here? This cannot be undone.")
    buttons = ((Button("c:delete:yes", _DELETE_YES), Button("c:delete:no", _DELETE_NO)),)
    return Outcome(drafted, [Send(Reply((text,), buttons), prompt=True)])


def _consents(s: IntakeState) -> Reply:
    lines: list[Msg] = []
    buttons: list[tuple[Button, ...]] = []
    for consent, label in CONSENTS.items():
        value = s.answers.get(consent)
        if value not in ("yes", "no"):
            continue
        lines.append(N_("• {title}: {answer}", title=label, answer=_STATE[value]))
        if value == "yes":
            buttons.append((Button(f"c:withdraw:{consent}", N_("Withdraw: {consent}", consent=label)),))
    if not lines:
        return Reply((N_("You have not given any consent here."),))
    head = N_("Your consents. You can withdraw a consent at any time:")
    return Reply((head, *lines), tuple(buttons))


def confirm(s: IntakeState, what: str, choice: str, cfg: Config,
            go_on: Callable[[Outcome, Msg], Outcome]) -> Outcome | None:
    """A press on a confirmation of this module; None when it is not one of ours.

    `go_on` shows the open question again with a notice on top (the engine knows how).
    """
    if what == "withdraw":
        return _withdraw(s, choice)
    if what != "delete":
        return None
    if s.draft.get("confirm") != "delete" or choice not in ("yes", "no"):
        return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
    kept = s.but(draft={k: v for k, v in s.draft.items() if k != "confirm"})
    if choice == "no":
        return go_on(Outcome(kept, [CloseLive(_DELETE_NO)]), N_("Good, nothing is deleted."))
    if s.submitted:
        out = Outcome(kept, [CloseLive(_DELETE_YES)])
        out.effects.append(Send(Reply((N_(
            "We have withdrawn your consents and asked a caseworker to decide about deleting your case "
            "{reference}. We will tell you the decision. You can still write to us here.",
            reference=s.reference or "",
        ),))))
        withdrawn = {c: "no" for c in CONSENTS if kept.answers.get(c) == "yes"}
        out.state = kept.but(answers=kept.answers | withdrawn)
        out.effects += [RecordConsent(c, "no", CONSENTS[c]) for c in withdrawn]
        out.effects.append(Reassess("erasure_requested"))
        return out
    # Nothing is kept; the person is told so in the language they chose.
    gone = N_("Everything you told us here is deleted. Write /start if you want to begin again.")
    ended = IntakeState(state=ENDED, language=s.language, suggested=s.suggested)
    return Outcome(ended, [CloseLive(_DELETE_YES), Send(Reply((gone,))), Erase()])


def _withdraw(s: IntakeState, consent: str) -> Outcome:
    if consent not in CONSENTS or s.answers.get(consent) != "yes":
        return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
    if consent == "consent_store":
        # Taking back the choice to go on is deleting what was given: the same confirmation.
        return command(s, "delete", Config())
    done = N_("Your consent is withdrawn: {consent}.", consent=CONSENTS[consent])
    return Outcome(s.but(answers=s.answers | {consent: "no"}), [
        RecordConsent(consent, "no", CONSENTS[consent]), RecordAnswer(consent, "no"), Send(Reply((done,))),
        Reassess("consent_withdrawn"),
    ])

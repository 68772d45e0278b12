"""The person's rights in the chat: /consents (and withdrawal), /mydata, /delete and /exit. Pure.

What needs stored data (the consent ledger's times, the transcript, deleting messages in the chat)
is asked of the service through `Outcome.action`; what the person is told is decided here.
Confirmations use `c:<what>:<choice>` callback data, which never looks like a question to a client.
"""

from __future__ import annotations

import re

from dialogs import prompts
from dialogs.events import Button, Config, IntakeState, Outcome, Reply, Send, Toast
from dialogs.i18n import N_, P_, Msg
from dialogs.machine import ENDED, NEW

__all__ = ["COMMANDS", "CONSENTS", "command", "confirm"]

COMMANDS = frozenset({"consents", "mydata", "delete", "exit"})
CONSENTS: dict[str, Msg] = {
    "consent_store": P_("consent", "To go on and tell us what happened"),
    "consent_contact": P_("consent", "To contact the municipality you came from"),
    "consent_home_visit": P_("consent", "A home visit"),
}
_STATE = {"yes": P_("consent", "given"), "no": P_("consent", "not given")}
_WITHDRAW = re.compile(r"^consent_(contact|home_visit|store)$")


def command(s: IntakeState, name: str, cfg: Config) -> Outcome:
    started = s.state not in (NEW, ENDED)
    if name == "exit":
        # One neutral word; the service deletes the conversation from the chat.
        return Outcome(s, [Send(Reply((P_("exit", "OK"),)))], action="exit")
    if name == "mydata":
        return Outcome(s, action="mydata" if started else "mydata_empty")
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
    buttons = (
        (Button("c:delete:yes", P_("delete", "Yes, delete")), Button("c:delete:no", P_("delete", "No, keep it"))),
    )
    return Outcome(drafted, [Send(Reply((text,), buttons))])


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


def confirm(s: IntakeState, what: str, choice: str, cfg: Config) -> Outcome | None:
    """A press on a confirmation of this module; None when it is not one of ours."""
    if what == "withdraw":
        return _withdraw(s, choice)
    if what != "delete":
        return None
    if s.draft.get("confirm") != "delete" or choice not in ("yes", "no"):
        return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
    kept = s.but(draft={k: v for k, v in s.draft.items() if k != "confirm"})
    if choice == "no":
        return Outcome(kept, [Send(Reply((N_("Good, nothing is deleted."),)))], action="reask")
    if s.submitted:
        out = Outcome(kept, action="erasure_request")
        out.effects.append(Send(Reply((N_(
            "We have withdrawn your consents and asked a caseworker to decide about deleting your case "
            "{reference}. We will tell you the decision. You can still write to us here.",
            reference=s.reference or "",
        ),))))
        withdrawn = {c: "no" for c in CONSENTS if kept.answers.get(c) == "yes"}
        out.state = kept.but(answers=kept.answers | withdrawn)
        out.consents.extend((c, "no", CONSENTS[c]) for c in withdrawn)
        return out
    out = Outcome(IntakeState(state=ENDED), erase=True)
    gone = N_("Everything you told us here is deleted. Write /start if you want to begin again.")
    out.effects.append(Send(Reply((gone,))))
    return out


def _withdraw(s: IntakeState, consent: str) -> Outcome:
    if not _WITHDRAW.match(consent) or s.answers.get(consent) != "yes":
        return Outcome(s, [Toast(prompts.NOTICE["bad_button"])])
    if consent == "consent_store":
        # Taking back the choice to go on is deleting what was given: the same confirmation.
        return command(s, "delete", Config())
    out = Outcome(s.but(answers=s.answers | {consent: "no"}), action="reassess")
    out.consents.append((consent, "no", CONSENTS[consent]))
    out.answered.append((consent, "no"))
    out.effects.append(Send(Reply((N_("Your consent is withdrawn: {consent}.", consent=CONSENTS[consent]),))))
    return out

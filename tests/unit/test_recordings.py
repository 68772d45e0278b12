"""One recorded conversation per language, replayed through the dialog: a changed reply fails.

The recordings in `tests/unit/recordings/` hold the person's inputs and every reply the bot gave,
rendered in that language. After an intended change to a text or a flow, record them again with
`RECORD_CONVERSATIONS=1 make test` and review the diff like any other change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from dialogs import engine
from dialogs.events import (
    CloseLive,
    Command,
    Config,
    Event,
    IntakeState,
    Media,
    Press,
    Send,
    Text,
    Toast,
    UpdateLiveKeyboard,
)
from dialogs.i18n import LANGUAGES, render, show

HERE = Path(__file__).resolve().parent / "recordings"
CONFIG = Config(languages=LANGUAGES)
TYPED_MUNICIPALITY = {"ar": "ستوكهولم", "fa": "استکهلم", "fa_AF": "استکهلم", "ru": "Стокгольм", "uk": "Стокгольм",
                      "ti": "ስቶክሆልም", "am": "ስቶክሆልም"}


def _script(lang: str) -> list[Event]:
    typed = TYPED_MUNICIPALITY.get(lang, "Stockholm")
    presses = [
        f"q:language:{lang}", "q:privacy:more", "q:privacy:continue", "q:consent_store:yes",
        "q:urgent_needs:shelter", "q:urgent_needs:food", "q:urgent_needs:done",
    ]
    events: list[Event] = [Command("start"), *(Press(p) for p in presses), Text(typed), Press("q:moved_from:0180")]
    events += [Text("I don't know"), Press("q:wish:return")]  # a word and a stale press at a choice
    events += [Press(p) for p in (
        "q:moved_when:lt_1m", "q:years_there:2_5y", "q:had_support:yes", "q:support_types:economic",
        "q:support_types:home_help", "q:support_types:done", "q:establishment:ended", "q:lease_type:municipal_sublet",
        "q:lease_ended:terminated_by_municipality", "q:pushed_how:support_denied", "q:pushed_how:done",
        "q:understood:not_understood", "q:receiving_contacted:no", "q:household:partner_children",
    )]
    events += [Text("3"), Press("q:housing_now:own_lease"), Press("q:housing_problems:damp_broken"),
               Press("q:housing_problems:done"), Press("q:rent_ability:no"), Press("q:landlord_checked:no"),
               Press("q:wish:return"), Text("They told me to go."), Media("voice", "f1", "u1"), Press("q:account:done"),
               Press("q:consent_contact:yes"), Press("q:consent_home_visit:yes"), Press("q:contact:phone"),
               Text("070-123 45 67"), Press("q:guardian:no")]
    if lang != "sv":
        events.append(Press("q:interpreter:yes"))
    events += [Press("q:summary:submit")]
    return events


def _event_json(event: Event) -> dict[str, Any]:
    return {"type": type(event).__name__, **{k: v for k, v in vars(event).items() if v is not None}}


def _replay(lang: str) -> list[dict[str, Any]]:
    state = IntakeState(suggested=lang.split("_")[0])
    turns = []
    for event in _script(lang):
        out = engine.step(state, event, CONFIG)
        state = out.state
        shown = state.shown_language
        replies: list[Any] = []
        for effect in out.effects:
            if isinstance(effect, Send):
                replies.append({
                    "text": "\n\n".join(render(m, shown) for m in effect.reply.texts),
                    "buttons": [[b.text(shown) for b in row]
                                for row in effect.reply.buttons],
                })
            elif isinstance(effect, Toast):
                replies.append({"notice": render(effect.msg, shown)})
            elif isinstance(effect, CloseLive) and effect.answer is not None:
                replies.append({"answered": show(effect.answer, shown)})
            elif isinstance(effect, UpdateLiveKeyboard):
                replies.append({"keyboard": [[b.data for b in row] for row in effect.buttons]})
        turns.append({"in": _event_json(event), "out": replies, "state": state.state})
    assert state.state == "done", f"{lang}: the recorded conversation did not finish"
    return turns


@pytest.mark.parametrize("lang", LANGUAGES)
def test_recorded_conversation_replays_unchanged(lang: str) -> None:
    path = HERE / f"{lang}.json"
    turns = _replay(lang)
    if os.environ.get("RECORD_CONVERSATIONS") == "1":
        HERE.mkdir(exist_ok=True)
        path.write_text(json.dumps(turns, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    assert len(turns) == len(recorded)
    for i, (got, want) in enumerate(zip(turns, recorded, strict=True)):
        assert got == want, f"{lang}: turn {i} ({want['in']}) changed"

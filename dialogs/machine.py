"""The intake as a state machine, built once from the question table.

Each question is a state. The transitions are generated from the table, so the branching of
INTAKE_SPEC section 3 lives in one place (each question's `when`):

- `forward`: to the first later question that is asked, given the answers;
- `review`: after an edit from the summary, to the first later question that is asked and not yet
  answered (e.g. `support_types` after `had_support` changed to yes), else back to the summary;
- `back`: to the question the person came from;
- `edit`: from the summary to the question being corrected;
- `submit`, `end` and `restart`.

The machine is shared; each step fires the trigger's event on a light model of its own (without
attaching it to the machine, which would bind every trigger and state helper to it each time), under
a lock because updates of different people are handled in parallel threads.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from transitions import Machine

from dialogs.questions import QUESTIONS, Question, applicable

__all__ = ["FINAL_STATES", "STATES", "Move", "diagram", "move"]

NEW, DONE, ENDED = "new", "done", "ended"
STATES: tuple[str, ...] = (NEW, *(q.id for q in QUESTIONS), DONE, ENDED)
FINAL_STATES = frozenset({DONE, ENDED})


@dataclass
class Move:
    """What one step needs to know to pick a destination."""

    answers: Mapping[str, Any]
    came_from: str | None = None  # the previous question on the person's path, for `back`
    target: str | None = None  # the question to correct, for `edit`


class _Step:
    """The light per-step model (a SQLModel row cannot be a transitions model)."""

    def __init__(self, state: str) -> None:
        self.state = state


def _asked(q: Question):
    return lambda move: applicable(q, move.answers)


def _pending(q: Question):
    return lambda move: applicable(q, move.answers) and q.id not in move.answers


def _came_from(qid: str):
    return lambda move: move.came_from == qid


def _targets(qid: str):
    return lambda move: move.target == qid


def _transitions() -> list[dict[str, Any]]:
    asked = [q for q in QUESTIONS if q.id != "summary"]
    editable = [q for q in asked if q.editable]
    out: list[dict[str, Any]] = [{"trigger": "begin", "source": NEW, "dest": "language"}]
    for i, q in enumerate(QUESTIONS):
        later = QUESTIONS[i + 1 :]
        # transitions tries the transitions of one trigger in the order they were added: the first
        # later question whose condition holds wins, and the summary is always last.
        for d in later:
            if d.id == "summary":
                out.append({"trigger": "forward", "source": q.id, "dest": "summary"})
                out.append({"trigger": "review", "source": q.id, "dest": "summary"})
            else:
                out.append({"trigger": "forward", "source": q.id, "dest": d.id, "conditions": [_asked(d)]})
                out.append({"trigger": "review", "source": q.id, "dest": d.id, "conditions": [_pending(d)]})
        for d in QUESTIONS[:i]:
            out.append({"trigger": "back", "source": q.id, "dest": d.id, "conditions": [_came_from(d.id)]})
    for d in editable:
        out.append({"trigger": "edit", "source": "summary", "dest": d.id, "conditions": [_targets(d.id)]})
    out.append({"trigger": "submit", "source": "summary", "dest": DONE})
    out.append({"trigger": "end", "source": "*", "dest": ENDED})
    out.append({"trigger": "restart", "source": "*", "dest": "language"})
    return out


_MACHINE = Machine(
    model=None,
    states=list(STATES),
    transitions=_transitions(),
    initial=NEW,
    auto_transitions=False,
    ignore_invalid_triggers=True,
)
_LOCK = threading.Lock()


def move(state: str, trigger: str, context: Move) -> str:
    """The state after `trigger` from `state`; the same state when no transition applies."""
    step = _Step(state)
    with _LOCK:
        # The event fired on the light model directly: attaching it (`add_model`) would bind every
        # trigger and every state's helpers to it, and detach them again, on every update.
        _MACHINE.events[trigger].trigger(step, context)
    return step.state


def diagram() -> str:
    """The intake as a mermaid flowchart derived from the table; docs/intake.md must match it."""
    lines = ["flowchart TD"]
    for i, q in enumerate(QUESTIONS[:-1]):
        lines.append(f"    {q.id} --> {QUESTIONS[i + 1].id}")
    for i, q in enumerate(QUESTIONS):
        if q.when.reads() and 0 < i < len(QUESTIONS) - 1:
            lines.append(f'    {QUESTIONS[i - 1].id} -. "{q.id} not asked" .-> {QUESTIONS[i + 1].id}')
    for q in QUESTIONS:
        for answer in sorted(q.ends_on):
            lines.append(f'    {q.id} -- "{answer}" --> ended')
    lines.append("    summary -- submit --> done")
    return "\n".join(lines) + "\n"

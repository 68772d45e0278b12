"""The summary (INTAKE_SPEC section 3, row 24): every answer in the person's language, before sending.

Why this module exists: with one edit button per answer the summary had 23-27 buttons, more than a
phone shows. The answers are listed under a few headings (the question table's groups), the keyboard
has one edit button per group, and pressing it turns the same keyboard into that group's questions,
each with the spec's own button `q:summary:edit_<question_id>`. So every answer still has its edit
button, one tap deeper; `q:summary:edit_<question_id>` works from either keyboard (it is a choice of
the open question `summary`), and the group buttons are choices of the same question,
`q:summary:group_<group>`, in the `q:<question_id>:<choice_id>` form of section 2.
"""

from __future__ import annotations

from typing import Any

from casework import municipalities
from dialogs.events import Button, IntakeState, Reply
from dialogs.i18n import N_, NN_, P_, Msg, language_name
from dialogs.questions import DONT_KNOW, GROUPS, QUESTIONS, SKIPPED, Group, Kind, Question, by_id

__all__ = ["SUBMIT", "answer_label", "editable_groups", "keyboard", "lines", "summary"]

SUBMIT = P_("button", "Send my answers ✓")
BACK = P_("button", "Back")


def answer_label(qid: str, value: Any, s: IntakeState) -> Msg | str:
    """An answer as the person sees it in the summary and under an answered question."""
    q = by_id(qid)
    if q is None:
        return str(value)
    if value == SKIPPED:
        return q.label(SKIPPED)
    if value == DONT_KNOW:
        return q.label(DONT_KNOW)
    if q.kind is Kind.LANGUAGE:
        return language_name(str(value))
    if q.kind is Kind.MULTI and isinstance(value, list):
        return _join([q.label(c) for c in value if c in q.all_choices])
    if q.kind is Kind.MUNICIPALITY:
        if value == "other":
            return N_("Another place: {typed}", typed=s.texts.get(qid, ""))
        found = municipalities.by_code(str(value))
        return found.name if found else str(value)
    if q.kind is Kind.COUNT:
        return NN_("{n} child", "{n} children", int(value))
    if q.kind is Kind.ACCOUNT and isinstance(value, list):
        return NN_("{n} message", "{n} messages", len(value))  # every entry counts: none is ever replaced
    if q.kind is Kind.PHONE:
        return N_("{phone}", phone=str(value))
    if value in q.labels:
        return q.labels[value]
    return str(value)


def _join(labels: list[Msg]) -> Msg:
    out: Msg = labels[0] if labels else P_("choice", "Nothing chosen")
    for more in labels[1:]:
        out = N_("{first}, {second}", first=out, second=more)
    return out


def lines(msgs: list[Msg]) -> Msg:
    """Several lines as one message, one under the other."""
    out = msgs[0]
    for more in msgs[1:]:
        # Translators: two lines, one under the other; keep it exactly as it is.
        out = N_("{first}\n{second}", first=out, second=more)
    return out


def editable_groups(s: IntakeState) -> list[tuple[Group, list[Question]]]:
    """The groups that hold answers the person may change, each with those questions, in table order."""
    out = []
    for group in GROUPS:
        asked = [q for q in QUESTIONS if q.group == group.id and q.editable and q.id in s.answers]
        if asked:
            out.append((group, asked))
    return out


def _edit(q: Question) -> Button:
    assert q.title is not None
    return Button(f"q:summary:edit_{q.id}", N_("✏️ {title}", title=q.title))


def keyboard(s: IntakeState) -> tuple[tuple[Button, ...], ...]:
    """The groups (and send), or the questions of the group the person opened."""
    groups = editable_groups(s)
    opened = next((qs for g, qs in groups if g.id == s.draft.get("group")), None)
    if opened is not None:
        return (*((_edit(q),) for q in opened), (Button("q:summary:back", BACK, nav="back"),))
    rows: list[tuple[Button, ...]] = [(Button("q:summary:submit", SUBMIT),)]
    for group, asked in groups:
        # a group of one answer edits it at once: the spec's own button
        rows.append((_edit(asked[0]) if len(asked) == 1 else
                     Button(f"q:summary:group_{group.id}", N_("✏️ {title}", title=group.heading)),))
    rows.append((Button("q:summary:back", BACK, nav="back"),))
    return tuple(rows)


def summary(s: IntakeState, notice: Msg | None = None) -> Reply:
    """Every answer under its group's heading, then the keyboard."""
    head = by_id("summary").prompt  # type: ignore[union-attr]
    blocks = []
    for group, asked in editable_groups(s):
        rows = [N_("• {title}: {answer}", title=q.title, answer=answer_label(q.id, s.answers[q.id], s))
                for q in asked]
        blocks.append(lines([group.heading, *rows]))
    texts = (notice, head, *blocks) if notice else (head, *blocks)
    return Reply(texts, keyboard(s))

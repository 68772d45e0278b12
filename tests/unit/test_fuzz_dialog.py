"""Property-based tests of the pure dialog: random sequences of events through `engine.step`.

A sequence mixes moves that go on through the intake (pressing what a person going on would press,
read from the live prompt's buttons as a client would, see tests/unit/conversation.py) with noise:
any text, stale, forged, malformed and overlong callback data, commands and media. After every step
(`check_step`):

- no exception escapes `engine.step`, and the state is one of `dialogs.machine.STATES`;
- every stored answer is valid for its question (`answer_problem`), and `prune(answers) == answers`;
- every keyboard's callback data has at most 64 bytes and matches `(q|c):[a-z_]+:[A-Za-z0-9_]+`;
- a press on a question that is not the open one, or with malformed data, changes nothing and gets
  exactly one Toast;
- at the summary, the answers can be assessed (`casework.rules.assess`) into a known priority;
- once submitted, the intake stays submitted: never restarted, resubmitted, erased or reopened.

The strategies and the `Player` are shared with tests/storage/test_fuzz_service.py, which plays the
same moves through `service.handle`. The bugs it found are fixed; their examples stay at the end as
regression tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from casework import municipalities
from casework.rules import PRIORITY_ORDER, assess
from dialogs import engine
from dialogs.events import (
    CloseLive,
    Command,
    Config,
    Erase,
    Event,
    IntakeState,
    Media,
    Outcome,
    Press,
    Restart,
    Send,
    Submit,
    Text,
    Toast,
    UpdateLiveKeyboard,
)
from dialogs.i18n import LANGUAGES
from dialogs.machine import DONE, NEW, STATES
from dialogs.prompts import EDITABLE
from dialogs.questions import DONT_KNOW, GROUPS, QUESTIONS, SKIPPED, Kind, by_id, prune

CONFIG = Config(languages=LANGUAGES)

# The callback grammar of INTAKE_SPEC section 2, and Telegram's limit on callback data.
CALLBACK = re.compile(r"(q|c):[a-z_]+:[A-Za-z0-9_]+")
MAX_CALLBACK_BYTES = 64
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
QUESTION_PRESS = re.compile(r"q:([a-z_]+):")
EXCLUSIVE = frozenset({"none", DONT_KNOW})
SUBMIT = "q:summary:submit"
DECLINE = frozenset({"q:privacy:stop", "q:consent_store:no"})  # a person going on does not press these


# ------------------------------------------------------------------------------ moves
@dataclass(frozen=True)
class Forward:
    """Answer the open question as a person going on would (the `pick`-th sensible button)."""

    pick: int = 0


@dataclass(frozen=True)
class Run:
    """`steps` forward moves in a row: gets deep into the intake quickly, and shrinks well."""

    steps: int
    pick: int = 0


@dataclass(frozen=True)
class Live:
    """Press any button of the live prompt, back, Read more and Stop included."""

    pick: int = 0


@dataclass(frozen=True)
class Confirm:
    """Press a button of the last confirmation message (c:...), or c:restart:yes when there is none."""

    pick: int = 0


@dataclass(frozen=True)
class Forged:
    """`q:<the open question>:<choice>`: a made-up choice of the open question."""

    choice: str


@dataclass(frozen=True)
class Mangled:
    """A button of the live prompt with something put before and after its data."""

    pick: int
    before: str
    after: str


@dataclass(frozen=True)
class Ask:
    """A command, then the `pick`-th button of the confirmation it asks for, if it asks for one."""

    command: str
    pick: int = 0


Move = Forward | Run | Live | Confirm | Forged | Mangled | Ask | Text | Press | Command | Media


@dataclass(frozen=True)
class Seen:
    """What a move is resolved against, besides the buttons: the state, the selection, /language's resume."""

    state: str = NEW
    selected: tuple[str, ...] = ()
    resume: str | None = None


PHONES = ("070-123 45 67", "+46 70 123 45 67", "0046701234567", "+358 40 1234567", "08-123 456 78")


class Player:
    """Plays moves, resolving the symbolic ones against what the client shows: the live prompt's buttons."""

    avoid_known_bugs = True  # step around known bugs (see `known_bug`; none open now)

    def __init__(self) -> None:
        self.live: list[str] = []  # callback data of the live prompt
        self.confirms: list[str] = []  # callback data of the last confirmation message
        self.summaries = 0  # times a forward move found the summary open

    # what the subclass provides
    def current(self) -> Seen:
        raise NotImplementedError

    def send(self, event: Event) -> None:
        raise NotImplementedError

    def known_bug(self, event: Event) -> str | None:
        return known_bug(event, self.current())

    # shared
    def play(self, moves: Iterable[Move]) -> None:
        for move in moves:
            for event in self.expand(move):
                if self.avoid_known_bugs and self.known_bug(event):
                    continue
                self.send(event)

    def expand(self, move: Move) -> Iterator[Event]:
        """The events of one move, each resolved after the one before has been handled."""
        if isinstance(move, Run):
            for k in range(move.steps):
                yield self.forward(move.pick + k)
        elif isinstance(move, Ask):
            self.confirms = []
            yield Command(move.command)
            if self.confirms:
                yield Press(self.confirms[move.pick % len(self.confirms)])
        else:
            yield self.resolve(move)

    def resolve(self, move: Move) -> Event:
        if isinstance(move, Forward):
            return self.forward(move.pick)
        if isinstance(move, Live):
            return Press(self.live[move.pick % len(self.live)]) if self.live else Command("start")
        if isinstance(move, Confirm):
            return Press(self.confirms[move.pick % len(self.confirms)]) if self.confirms else Press("c:restart:yes")
        if isinstance(move, Forged):
            qid = next((d.split(":")[1] for d in self.live if d.startswith("q:")), self.current().state)
            return Press(f"q:{qid}:{move.choice}")
        if isinstance(move, Mangled):
            data = self.live[move.pick % len(self.live)] if self.live else SUBMIT
            return Press(move.before + data + move.after)
        assert isinstance(move, Text | Press | Command | Media)
        return move

    def forward(self, i: int) -> Event:
        seen = self.current()
        state, selected = seen.state, seen.selected
        live = [d for d in self.live if d.startswith("q:")]
        if not live:
            return Text("Jag vill lägga till en sak.") if state == DONE else Command("start")
        qid = live[0].split(":")[1]
        go_on = [d for d in live if not d.endswith((":back", ":more")) and d not in DECLINE]
        if qid == "summary":  # submit, or correct an answer first (then submit the next time here)
            self.summaries += 1
            edits = [d for d in go_on if d != SUBMIT]
            return Press(SUBMIT if i % 2 == 0 or self.summaries % 2 == 0 or not edits else edits[i % len(edits)])
        done = f"q:{qid}:done"
        if done in go_on and qid != "account":  # a multi-select: tick something, then Done
            choices = [d for d in go_on if d != done]
            return Press(done if selected and i % 2 else choices[i % len(choices)])
        if not go_on:  # the phone number is typed
            return Text(PHONES[i % len(PHONES)])
        return Press(go_on[i % len(go_on)])

    def read_keyboard(self, buttons: list[str]) -> None:
        if any(b.startswith("q:") for b in buttons):
            self.live = buttons
        elif buttons:
            self.confirms = buttons


# ------------------------------------------------------------------------------ strategies
def _in_digits(n: int, zero: int) -> str:
    return "".join(chr(zero + int(d)) for d in str(n))


def _long(piece: str, extra: int) -> str:
    return (piece * (4000 // len(piece) + 1))[: 4000 + extra]


def _as_command(raw: str) -> str:
    """A command's name as bot/telegram/translate.py cuts it from `/<raw>`."""
    parts = raw.split(maxsplit=1)
    return parts[0].split("@", 1)[0].lower()[:32] if parts else ""


def _valid_data() -> list[str]:
    """The callback data of every question's buttons: valid somewhere, stale everywhere else."""
    out: list[str] = []
    for q in QUESTIONS:
        choices = [*q.all_choices, "back"]
        if q.kind is Kind.LANGUAGE:
            choices += LANGUAGES
        if q.kind in (Kind.MULTI, Kind.ACCOUNT):
            choices.append("done")
        if q.skippable:
            choices.append("skip")
        if q.id == "privacy":
            choices.append("more")
        if q.kind is Kind.MUNICIPALITY:
            choices += ["other", DONT_KNOW, "0180", "2161", "1480", "2283"]
        if q.kind is Kind.SUMMARY:
            choices += ["submit", *(f"edit_{t}" for t in EDITABLE), *(f"group_{g.id}" for g in GROUPS)]
        out += [f"q:{q.id}:{c}" for c in dict.fromkeys(choices)]
    return out


VALID_DATA = _valid_data()
CONFIRM_DATA = ["c:restart:yes", "c:restart:no", "c:restart:maybe", "c:delete:yes", "c:delete:no",
                "c:withdraw:consent_contact", "c:withdraw:consent_store", "c:withdraw:consent_home_visit"]
QUESTION_IDS = [q.id for q in QUESTIONS]
MUNICIPALITY_NAMES = [m.name for m in municipalities.all_municipalities()]
SPECIAL_TEXTS = [
    "", " ", "\x00", "\x00\x00", "a\x00b", "\u200f\u202e", "\u200fستوكهولم\u200f", "😀🙈", "👨‍👩‍👧‍👦", "\ufeff",
    "Stockhlom", "Göteborgs Stad", "gothenburg", "يوتيبوري", "Гётеборг", "ዮተቦሪ", "Sollefteå kommun", "Atlantis",
    "0180", "9999", "Salam", "Jag vet inte", "{town}", "{0}", "%s", "<b>hi</b>", "\n\n\n", "\t1\t", "1_0", "+3",
    "٣", "۷", "१२", "፫", "²", "16", "0", "-1", "99999999999999999999", "15", "1", "0701234567", "112",
]
DIGIT_ZEROS = (0x30, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0xFF10, 0x1040)
AFFIXES = ["", " ", "\n", "\x00", "\u200f", ":", ":x", "\t", "q:", "é"]

any_text = st.one_of(
    st.text(),  # any unicode
    st.sampled_from(SPECIAL_TEXTS),
    st.text(st.characters(categories=["Cc", "Cf"]), min_size=1, max_size=5),  # NUL, RTL marks, BOM ...
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=5), st.sampled_from(["\x00", "\u200f", "\u202e"]),
              st.text(max_size=5)),
)
texts = st.one_of(
    any_text,
    st.builds(_in_digits, st.integers(0, 30), st.sampled_from(DIGIT_ZEROS)),  # digits of other scripts
    st.builds(_long, st.text(min_size=1, max_size=6), st.integers(0, 200)),  # 4,000+ characters
    st.builds(lambda a, name, b: a + name + b, st.sampled_from(["", " ", "\u200f", "kommun ", "I lived in "]),
              st.sampled_from(MUNICIPALITY_NAMES), st.sampled_from(["", " kommun", "s", "\x00", "  ", "!"])),
    st.sampled_from(PHONES),
).map(Text)

presses = st.one_of(
    st.sampled_from(VALID_DATA),  # valid somewhere, stale unless it is the open question
    st.sampled_from(CONFIRM_DATA),
    st.builds(lambda q, c: f"q:{q}:{c}", st.sampled_from(QUESTION_IDS),
              st.from_regex(r"[A-Za-z0-9_]{1,30}", fullmatch=True)),  # forged choice
    st.from_regex(r"(q|c):[a-z_]{1,40}:[A-Za-z0-9_]{1,40}", fullmatch=True),  # forged question
    st.text(max_size=80),  # anything
    st.builds(lambda d, pad, n: d + pad * n, st.sampled_from(VALID_DATA), st.sampled_from(["x", "_", "0", "é"]),
              st.integers(40, 120)),  # overlong
    st.builds(lambda a, d, b: a + d + b, st.sampled_from(AFFIXES), st.sampled_from(VALID_DATA),
              st.sampled_from(AFFIXES)).filter(lambda d: d not in VALID_DATA),  # valid data, mangled
    st.sampled_from(VALID_DATA).map(str.upper),
).map(Press)

commands = st.one_of(
    st.sampled_from(["start", "language", "restart", "help"]),
    st.sampled_from(["", "stop", "cancel", "settings", "delete", "mydata", "consents", "exit", "start@bot"]),
    any_text.map(_as_command),
).map(Command)

FILE_KINDS = ("voice", "audio", "photo", "document", "video", "video_note", "animation", "sticker")
BARE_KINDS = ("location", "contact", "poll", "venue", "dice", "game", "story", "other")
media = st.one_of(
    st.builds(
        Media,
        kind=st.sampled_from(FILE_KINDS),
        file_id=st.text(max_size=20),
        file_unique_id=st.none() | st.text(max_size=12),
        file_name=st.none() | any_text,
        mime_type=st.none() | st.sampled_from(["audio/ogg", "image/jpeg", "application/pdf", "x/\x00"]),
        size=st.none() | st.integers(0, 2**40),
        caption=st.none() | any_text,
    ),
    st.builds(Media, kind=st.sampled_from(BARE_KINDS)),
)

open_presses = st.one_of(
    st.builds(Live, st.integers(0, 40)),  # valid data of the open question (back, Read more, Stop too)
    st.builds(Forged, st.from_regex(r"[A-Za-z0-9_]{1,30}", fullmatch=True) | st.text(max_size=40)),
    st.builds(Mangled, st.integers(0, 40), st.sampled_from(["", " ", "\x00", "q:", "\u200f"]),
              st.sampled_from(["\n", " ", "\x00", ":", ":x", "\t", "\r\n", "é", "\u200f"])),
    st.builds(Confirm, st.integers(0, 3)),
)

asks = st.builds(Ask, st.sampled_from(["restart", "delete", "consents"]), st.integers(0, 2))
moves = st.one_of(
    st.builds(Forward, st.integers(0, 20)),
    asks,
    st.builds(Run, st.integers(1, 40), st.integers(0, 20)),
    texts,
    presses,
    commands,
    media,
    open_presses,
)
noise = st.one_of(texts, presses, commands, media, open_presses)


# ------------------------------------------------------------------------------ invariants
def answer_problem(qid: str, value: Any, cfg: Config) -> str | None:
    """Why `value` is not a valid stored answer to `qid`, or None when it is."""
    q = by_id(qid)
    if q is None or q.kind is Kind.SUMMARY:
        return "not a question"
    if value == SKIPPED:
        return None if q.skippable else "skipped, but the question cannot be skipped"
    if q.kind is Kind.LANGUAGE:
        return None if value in cfg.languages else "not an offered language"
    if q.kind is Kind.CHOICE:
        return None if isinstance(value, str) and value in q.all_choices else "not a choice of the question"
    if q.kind is Kind.MULTI:
        if not isinstance(value, list) or not value:
            return "not a non-empty list"
        if any(c not in q.all_choices for c in value) or len(set(value)) != len(value):
            return "a choice that is not the question's, or twice"
        return "none/dont_know together with another choice" if EXCLUSIVE & set(value) and len(value) > 1 else None
    if q.kind is Kind.COUNT:
        return None if type(value) is int and 1 <= value <= 15 else "not a whole number 1-15"
    if q.kind is Kind.PHONE:
        return None if isinstance(value, str) and E164.fullmatch(value) else "not E.164"
    if q.kind is Kind.MUNICIPALITY:
        if value in ("other", DONT_KNOW):
            return None
        ok = isinstance(value, str) and re.fullmatch(r"[0-9]{4}", value) and municipalities.by_code(value)
        return None if ok else "not a kommunkod"
    if q.kind is Kind.ACCOUNT:
        if not isinstance(value, list) or not value:
            return "not a non-empty list of entries"
        for entry in value:
            if not isinstance(entry, dict) or not ((isinstance(entry.get("text"), str) and entry["text"])
                                                   or isinstance(entry.get("file"), str)):
                return f"not an entry: {entry!r}"
        return None
    return f"unknown kind {q.kind}"


def keyboards(out: Outcome) -> list[tuple[str, list[str]]]:
    """Every keyboard of an outcome, with what carries it."""
    found = []
    for e in out.effects:
        if isinstance(e, Send) and e.reply.buttons:
            found.append(("prompt" if e.prompt else "message", [b.data for row in e.reply.buttons for b in row]))
        elif isinstance(e, UpdateLiveKeyboard):
            found.append(("keyboard update", [b.data for row in e.buttons for b in row]))
    return found


def is_malformed(data: str) -> bool:
    return len(data.encode()) > MAX_CALLBACK_BYTES or not CALLBACK.fullmatch(data)


def known_bug(event: Event, seen: Seen) -> str | None:
    """Whether `event` triggers a known, not yet fixed bug; the properties step around it.

    Add a case here with a strict-xfail test of its example when a bug is found; remove both when fixed.
    """
    return None  # every bug found so far is fixed; its example stays as a regression test below


def check_step(before: IntakeState, event: Event, out: Outcome, cfg: Config) -> None:
    """The invariants of one step."""
    s = out.state
    assert s.state in STATES, f"unknown state {s.state!r}"
    for qid, value in s.answers.items():
        problem = answer_problem(qid, value, cfg)
        assert problem is None, f"answer {qid}={value!r}: {problem}"
    assert prune(s.answers) == s.answers, f"answers to questions no longer asked: {s.answers}"
    for carrier, data in keyboards(out):
        for d in data:
            assert len(d.encode()) <= MAX_CALLBACK_BYTES and CALLBACK.fullmatch(d), f"{carrier} has bad data {d!r}"
    if isinstance(event, Press):
        m = QUESTION_PRESS.match(event.data)
        stale = m is not None and m.group(1) != before.state
        if stale or is_malformed(event.data):
            why = "a press on a question that is not open" if stale else "a malformed press"
            assert s == before, f"{why} changed the state"
            assert len(out.effects) == 1 and isinstance(out.effects[0], Toast), f"{why}: {out.effects}"
            changes = [e for e in out.effects if not isinstance(e, Toast)]
            assert not changes, f"{why} did something: {changes}"
    if s.state == "summary":
        assert assess(s.answers).priority in PRIORITY_ORDER


class Dialog(Player):
    """The pure dialog, with the service's part of a submission (the reference) done here."""

    def __init__(self, cfg: Config = CONFIG) -> None:
        super().__init__()
        self.cfg = cfg
        self.state = IntakeState()
        self.reference: str | None = None  # set once submitted
        self.submissions = 0

    def current(self) -> Seen:
        s = self.state
        return Seen(s.state, tuple(s.draft.get("selected", ())), s.resume)

    def send(self, event: Event) -> None:
        before = self.state
        out = engine.step(before, event, self.cfg)
        check_step(before, event, out, self.cfg)
        if self.reference is not None:
            self.check_still_submitted(event, out)
        if out.has(Submit):
            self.submissions += 1
            self.reference = f"SOL-2026-{self.submissions:04d}"
            out.state = out.state.but(reference=self.reference)  # as the service does
        self.state = out.state
        for effect in out.effects:
            if isinstance(effect, Send) and effect.prompt:
                self.live = [b.data for row in effect.reply.buttons for b in row]
            elif isinstance(effect, Send) and effect.reply.buttons:
                self.read_keyboard([b.data for row in effect.reply.buttons for b in row])
            elif isinstance(effect, CloseLive):
                self.live = []
            elif isinstance(effect, UpdateLiveKeyboard):
                self.live = [b.data for row in effect.buttons for b in row]

    def check_still_submitted(self, event: Event, out: Outcome) -> None:
        """A submitted intake is a case now: it is never reopened, restarted, submitted again or erased."""
        where = f"after submission, {event!r}"
        assert not (out.has(Restart) or out.has(Submit) or out.has(Erase)), (
            f"{where} restarted/resubmitted/erased the case")
        assert out.state.reference == self.reference, f"{where} lost the case number"
        assert out.state.state == DONE or (out.state.state == "language" and out.state.resume == DONE), (
            f"{where} reopened the intake at {out.state.state!r}"
        )


def submitted(pick: int) -> Dialog:
    """A dialog gone forward up to the submission."""
    d = Dialog()
    for k in range(120):
        if d.reference is not None:
            return d
        d.send(d.forward(pick + k))
    raise AssertionError(f"forward moves ({pick}) did not submit")


def play(moves: Iterable[Move], *, guard: bool = True) -> Dialog:
    d = Dialog()
    d.avoid_known_bugs = guard
    d.play(moves)
    return d


# ------------------------------------------------------------------------------ the properties
FUZZ = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


@settings(FUZZ, max_examples=500)
@given(st.lists(moves, min_size=5, max_size=60))
def test_random_event_sequences_keep_the_dialog_invariants(sequence: list[Move]) -> None:
    play(sequence)


@settings(FUZZ, max_examples=150)
@given(st.integers(0, 60), st.integers(0, 20), st.lists(noise, max_size=25))
def test_noise_at_any_depth_keeps_the_dialog_invariants(depth: int, pick: int, sequence: list[Move]) -> None:
    """Only noise, after going `depth` steps into the intake; then on to the end, and noise again."""
    play([Run(depth, pick), *sequence, Run(60, pick), *sequence])


CONTROL: list[Move] = [
    *(Command(name) for name in ("language", "restart", "start", "help", "delete", "consents")),
    *(Ask(name, pick) for name in ("restart", "delete", "consents") for pick in (0, 1)),
    Confirm(0), Confirm(1), Forward(0), Forward(1), Live(0), Live(1),
]
# about half the moves from CONTROL, half noise (one_of would draw noise's many branches far more often)
after_submission = st.booleans().flatmap(lambda control: st.sampled_from(CONTROL) if control else noise)


@settings(FUZZ, max_examples=150)
@given(st.integers(0, 20), st.lists(after_submission, min_size=5, max_size=30))
def test_after_submission_the_case_stays_submitted(pick: int, sequence: list[Move]) -> None:
    d = submitted(pick)
    d.play(sequence)


def test_forward_moves_alone_reach_the_summary_and_submit() -> None:
    """The strategies get deep: going on from the start submits, whatever is picked."""
    for pick in range(21):
        assert play([Run(80, pick)]).submissions == 1, pick


def test_the_checks_catch_what_they_should() -> None:
    assert answer_problem("children_count", True, CONFIG)
    assert answer_problem("children_count", 16, CONFIG)
    assert answer_problem("urgent_needs", ["none", "food"], CONFIG)
    assert answer_problem("urgent_needs", [], CONFIG)
    assert answer_problem("moved_from", "9999", CONFIG)
    assert answer_problem("contact_phone", "0701234567", CONFIG)
    assert answer_problem("privacy", DONT_KNOW, CONFIG)
    assert answer_problem("account", [{"text": ""}], CONFIG)
    assert answer_problem("summary", "submit", CONFIG)
    assert answer_problem("moved_from", "2283", CONFIG) is None
    assert answer_problem("account", SKIPPED, CONFIG) is None
    assert is_malformed("q:moved_when:lt_1m\n") and is_malformed("q:x:" + "y" * 70) and not is_malformed(SUBMIT)


# ------------------------------------------------------------------------------ bugs found, fixed: regression tests
# Each test runs only its explicit example, without the guard of `known_bug`: the example that showed the bug.
SHORTEST_INTAKE: list[Move] = [
    Command("start"), Press("q:language:sv"), Press("q:privacy:continue"), Press("q:consent_store:yes"),
    Press("q:urgent_needs:none"), Press("q:urgent_needs:done"), Press("q:moved_from:dont_know"),
    Press("q:moved_when:dont_know"), Press("q:years_there:dont_know"), Press("q:had_support:no"),
    Press("q:establishment:no"), Press("q:lease_type:none"), Press("q:lease_ended:other"),
    Press("q:pushed_how:none"), Press("q:pushed_how:done"), Press("q:understood:partly"),
    Press("q:receiving_contacted:no"), Press("q:household:alone"), Press("q:housing_now:no_place"),
    Press("q:rent_ability:no"), Press("q:landlord_checked:no"), Press("q:wish:undecided"), Press("q:account:skip"),
    Press("q:consent_contact:no"), Press("q:contact:telegram"), Press("q:guardian:no"), Press(SUBMIT),
]
ONLY_THE_EXAMPLE = settings(phases=[Phase.explicit], deadline=None, database=None)


def test_the_shortest_intake_submits() -> None:
    d = play(SHORTEST_INTAKE, guard=False)
    assert d.submissions == 1 and d.state.state == DONE


@ONLY_THE_EXAMPLE
@example([Command("start"), Press("q:language:sv\n")])
@given(st.lists(moves))
def test_bug_press_with_trailing_newline(sequence: list[Move]) -> None:
    play(sequence, guard=False)


@ONLY_THE_EXAMPLE
@example([*SHORTEST_INTAKE, Command("language"), Command("restart"), Press("c:restart:yes")])
@given(st.lists(moves))
def test_bug_language_after_submission_allows_restart(sequence: list[Move]) -> None:
    play(sequence, guard=False)


@ONLY_THE_EXAMPLE
@example([*SHORTEST_INTAKE, Command("language"), Command("delete"), Press("c:delete:yes")])
@given(st.lists(moves))
def test_bug_language_after_submission_allows_delete(sequence: list[Move]) -> None:
    play(sequence, guard=False)

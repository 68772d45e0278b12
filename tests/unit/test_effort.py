"""How long an intake is for the person, per public persona: computed here and kept in the README.

The README's table (between the `effort` markers) must be what this test computes; after an intended
change, write it again with `RECORD_EFFORT=1 .venv/bin/pytest tests/unit/test_effort.py` and review
the diff. "Before" is main at ebb6535 measured with this same harness (tests/unit/effort.py), kept
here as numbers because that code is gone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from dialogs.i18n import LANGUAGES
from tests.unit.effort import Effort, measure_events, measure_persona
from tests.unit.personas import PUBLIC_PERSONAS
from tests.unit.test_recordings import _script

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- effort:start -->", "<!-- effort:end -->"
SUMMARY_BUTTONS_GOAL = 8

# main at ebb6535: (screens, taps, words in messages, words on buttons, summary buttons)
BEFORE: dict[str, tuple[int, int, int, int, int]] = {
    "public-form1-sv": (29, 30, 639, 529, 24),
    "public-low-en": (30, 30, 655, 528, 26),
    "recorded en": (38, 36, 1078, 613, 28), "recorded sv": (37, 35, 1080, 589, 27),
    "recorded ar": (38, 36, 936, 551, 28), "recorded ti": (38, 36, 907, 496, 28),
    "recorded so": (38, 36, 1112, 657, 28), "recorded fa_AF": (38, 36, 1233, 562, 28),
    "recorded fa": (38, 36, 1194, 550, 28), "recorded uk": (38, 36, 1009, 541, 28),
    "recorded ckb": (38, 36, 977, 509, 28), "recorded kmr": (38, 36, 1215, 580, 28),
    "recorded ps": (38, 36, 1319, 661, 28), "recorded am": (38, 36, 843, 510, 28),
    "recorded ru": (38, 36, 1012, 538, 28), "recorded tr": (38, 36, 905, 488, 28),
}


def _measured() -> dict[str, Effort]:
    out = {name: measure_persona(answers, lang) for name, (lang, answers) in PUBLIC_PERSONAS.items()}
    for lang in LANGUAGES:
        out[f"recorded {lang}"] = measure_events(_script(lang), lang.split("_")[0])
    return out


def _table(measured: dict[str, Effort]) -> str:
    rows = ["| persona | screens | taps | typed | words in messages | words on buttons | summary buttons |",
            "|---|---|---|---|---|---|---|"]
    for name, e in measured.items():
        b = BEFORE[name]
        rows.append(f"| {name} | {b[0]} → {e.screens} | {b[1]} → {e.taps} | {e.typed} | {b[2]} → {e.words} | "
                    f"{b[3]} → {e.button_words} | {b[4]} → {e.summary_buttons} |")
    return "\n".join(rows)


def test_the_summary_has_at_most_eight_buttons_for_every_persona() -> None:
    for name, e in _measured().items():
        assert 0 < e.summary_buttons <= SUMMARY_BUTTONS_GOAL, name


def test_the_readme_says_how_long_an_intake_is() -> None:
    table = _table(_measured())
    text = README.read_text(encoding="utf-8")
    block = re.compile(re.escape(START) + r"\n(?:.*?\n)?" + re.escape(END), re.DOTALL)
    if os.environ.get("RECORD_EFFORT") == "1":
        text = block.sub(f"{START}\n{table}\n{END}", text)
        README.write_text(text, encoding="utf-8")
    found = block.search(text)
    if found is None:
        pytest.fail(f"README.md has no {START} ... {END} block")
    assert found.group(0) == f"{START}\n{table}\n{END}", "README.md is stale: RECORD_EFFORT=1 to write it"

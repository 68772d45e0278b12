"""The console chat, driven through its stdin and stdout as a person at a terminal would."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from bot.console import PROMPT

ROOT = Path(__file__).resolve().parents[2]
INTAKE = [sys.executable, "-m", "bot.cli"]


def _run(args: list[str], url: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*INTAKE, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=_env(url),
                          timeout=120, check=False)


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    env["INTAKE_DATABASE_URL"] = url
    return env


class Terminal:
    """The console in a child process: write a line, read what it prints until it waits again."""

    def __init__(self, url: str) -> None:
        self.proc = subprocess.Popen([*INTAKE, "console"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=ROOT, env=_env(url))
        self.screen = self._read()

    def _read(self, timeout: float = 30.0) -> str:
        assert self.proc.stdout is not None
        out = b""
        deadline = time.monotonic() + timeout
        while not out.endswith(PROMPT.encode()):
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"the console stopped answering:\n{out.decode()[-1500:]}")
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
        return out.decode()

    def line(self, text: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()
        self.screen = self._read()
        return self.screen

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _button(screen: str, label: str) -> str:
    """The number the console shows in front of a button label, from the latest keyboard with it."""
    for line in reversed(screen.splitlines()):
        for cell in line.split("   "):
            cell = cell.strip()
            if cell.startswith("[") and cell.split("] ", 1)[-1] == label:
                return cell[1 : cell.index("]")]
    raise AssertionError(f"no button {label!r} in:\n{screen[-2000:]}")


def test_console_intake_ends_in_the_queue(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'console.db'}"
    labels = [
        "English", "Continue", "Yes, go on", "None of these", "Done ✓", None, "Sundsvall", "Less than 1 month ago",
        "More than 5 years", "Yes", "Help at home (hemtjänst)", "Done ✓", "No", "My own contract",
        "The municipality told me to leave", "They gave me the phone number of social services here", "Done ✓",
        # a hostel: no rent of one's own (no rent questions), bad housing (the home visit is asked)
        "No, I was forced", "No", "I moved alone", "Hostel, hotel or shelter", "No problems", "Done ✓",
        "Go back to the municipality I came from", "Skip", "Yes", "No", "Here in Telegram", "No", "Yes",
        "Send my answers ✓",
    ]
    term = Terminal(url)
    try:
        for label in labels:
            if label is None:
                term.line("sundsval")  # a typo: the candidates come as buttons
            else:
                term.line(_button(term.screen, label))
            if label == "More than 5 years":
                # the program stops in the middle and starts again: same question, nothing lost
                term.close()
                term = Terminal(url)
                assert "How long did you live in that municipality?" not in term.screen.rsplit("Welcome back", 1)[-1]
        screen = term.screen
    finally:
        term.close()
    assert "SOL-" in screen, screen[-1500:]
    exported = json.loads(_run(["queue", "export", "--format", "json"], url).stdout)
    [item] = exported
    assert item["language"] == "en"
    assert item["answers"]["moved_from"] == "2281"
    assert item["answers"]["support_types"] == ["home_help"]
    assert item["assessment"]["level"] == "high"
    assert item["priority"] == "high"
    assert "S_housing_bad" in item["assessment"]["signals"]


def test_console_bad_input_gets_a_polite_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'console.db'}"
    out = _run(["console"], url, stdin="hello there\n99\n/whatever\n").stdout
    assert out.count("Which language do you want to use?") >= 3
    assert "I do not know that command" in out

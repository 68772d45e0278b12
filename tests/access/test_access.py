"""Every staff action, every role, every shell: what is allowed and what is refused, from the one
permission layer (`tests/access/table.py` holds the table and the shells' drivers).

A refused action leaves the database exactly as it was: not a row written, not a read logged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.access.table import ACTIONS, AVAILABLE, DRIVERS, EXPECTED, OK, ROLES, build_template, snapshot, world_from


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return build_template(tmp_path_factory.mktemp("access"))


def test_the_table_covers_every_command_and_role() -> None:
    from types import SimpleNamespace

    from casework.commands import AnswerOpenLine, _registry

    stub = SimpleNamespace(reference="SOL-2026-0001", second_caseworker=2, story_line=3, file_line=4, bot_line=5,
                           step_id=6, telegram={"other interpreter": 7})
    assert [a.name for a in ACTIONS] == list(EXPECTED)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())
    covered = {type(a.layer(stub)) for a in ACTIONS}  # type: ignore[arg-type]
    # the plain message that answers an open line is Telegram's own (tests/e2e/test_interpreting.py)
    assert set(_registry()) - covered == {AnswerOpenLine}


_CASES = [pytest.param(shell, action, role, id=f"{shell}-{action.name}-{role}")
          for shell in DRIVERS for action in ACTIONS if AVAILABLE[shell](action) for role in ROLES]


@pytest.mark.parametrize(("shell", "action", "role"), _CASES)
def test_who_may_do_what(template: dict[str, Any], tmp_path: Path, shell: str, action: Any, role: str) -> None:
    world = world_from(template, tmp_path)
    try:
        if action.setup is not None:
            action.setup(world)
        asker = str(world.telegram[role]) if shell == "telegram" else None
        before = snapshot(world.engine, asker)
        expected = EXPECTED[action.name][ROLES.index(role)]
        got = DRIVERS[shell](world, action, role)
        assert got == expected, f"{action.name} as {role} in {shell}: {got}, expected {expected}"
        if expected != OK:
            assert snapshot(world.engine, asker) == before, "a refusal changes nothing"
    finally:
        world.engine.dispose()

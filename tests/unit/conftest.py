"""Fixtures of the unit tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dialogs.i18n import LOCALES_DIR


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A copy of the catalogs (without compiled files) that a test may change."""
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy

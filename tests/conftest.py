"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when CI provides one.

`INTAKE_TEST_POSTGRES_URL` names a server where tests may create and drop databases (`.ci/run` sets
it to the local server); without it the PostgreSQL variants skip and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from storage import crypto
from storage.db import make_engine, migrate, normalize_url

POSTGRES_ENV = "INTAKE_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _no_stray_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests build their own settings: a developer's INTAKE_* variables must not leak in."""
    for key in list(os.environ):
        if key.startswith("INTAKE_") and key != POSTGRES_ENV:
            monkeypatch.delenv(key)
    crypto.configure(None)
    yield
    crypto.configure(None)


def _postgres_database() -> Iterator[str]:
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} (CI sets it) to run it")
    name = f"intake_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalize_url(server)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'intake.db'}"
        migrate(url)
        yield url
    else:
        for url in _postgres_database():
            migrate(url)
            yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    migrate(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database (the test skips without one)."""
    for url in _postgres_database():
        migrate(url)
        yield url

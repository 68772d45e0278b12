"""The Alembic migrations create exactly the tables the models describe, on both databases."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables)
from storage.db import alembic_config, migrate


def test_models_and_migrations_agree(engine: Engine, database_url: str) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], "write a migration for the model change (see README)"
    command.downgrade(alembic_config(database_url), "base")  # and they can be undone (migrate only goes up)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == ["alembic_version"]
    migrate(database_url)

"""hardening: an inbox update that cannot be read or handled is marked failed (with its count of attempts)

An update python-telegram-bot cannot parse is stored, acknowledged, and marked failed instead of stopping
the poller; `failed_at` says when it was given up, `attempts` how often it was tried.

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-05 23:50:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inbox_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inbox_update', schema=None) as batch_op:
        batch_op.drop_column('failed_at')

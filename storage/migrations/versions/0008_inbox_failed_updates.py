"""hardening: an inbox update that cannot be read or handled is marked failed; a web flash is sealed

An update python-telegram-bot cannot parse is stored, acknowledged, and marked failed instead of stopping
the poller; `failed_at` says when it was given up, `attempts` how often it was tried. The web console's
one-time message (`web_session.flash`) may quote what was sent to a person, so it is sealed like other
personal text: an encrypted value is longer than the 500 characters the column had.

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-05 23:50:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inbox_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.alter_column('flash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=500),
                              type_=sqlmodel.sql.sqltypes.AutoString(), existing_nullable=True)


def downgrade() -> None:
    op.execute("UPDATE web_session SET flash = NULL")  # sealed values do not fit the old width
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.alter_column('flash', existing_type=sqlmodel.sql.sqltypes.AutoString(),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=500), existing_nullable=True)
    with op.batch_alter_table('inbox_update', schema=None) as batch_op:
        batch_op.drop_column('failed_at')

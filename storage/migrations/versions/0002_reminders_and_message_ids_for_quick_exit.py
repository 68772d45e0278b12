"""reminders, and message ids for quick exit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 15:19:12.716354
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel types)
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('intake', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders_sent', sa.Integer(), nullable=False, server_default=sa.text('0')))
        batch_op.add_column(sa.Column('reminders_stopped', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('transcript_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.BigInteger(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('transcript_entry', schema=None) as batch_op:
        batch_op.drop_column('message_id')

    with op.batch_alter_table('intake', schema=None) as batch_op:
        batch_op.drop_column('reminders_stopped')
        batch_op.drop_column('reminders_sent')


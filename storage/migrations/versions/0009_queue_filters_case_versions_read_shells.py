"""the queue's filters and order, case versions, the shell of every read

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-30 09:00:00.000000

The sending municipality and the forms are copied out of the referral's answers and assessment into
plain columns so that the staff queue can filter on them at 100,000 referrals; existing referrals get
them here (answers are sealed: `intake db upgrade` configures the key before migrating).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from storage.crypto import SealedJSON

revision: str = '0009'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moved_from', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('forms_mask', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_referral_moved_from'), ['moved_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_language'), ['language'], unique=False)
        batch_op.drop_index('ix_referral_status')
        batch_op.drop_index('ix_referral_ivo_due_at')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.alter_column('forms_mask', server_default=None)
        batch_op.alter_column('version', server_default=None)
    with op.batch_alter_table('case_read', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shell', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('case_read', schema=None) as batch_op:
        batch_op.alter_column('shell', server_default=None)
    # The queue's two orders (after the batch operations above, which copy the table on SQLite).
    for name, columns, where in (('ix_referral_clock', ['ivo_due_at', 'priority_rank', 'created_at', 'id'],
                                  'ivo_due_at IS NOT NULL'),
                                 ('ix_referral_queue', ['priority_rank', 'created_at', 'id'], 'ivo_due_at IS NULL')):
        op.create_index(name, 'referral', columns, unique=False, sqlite_where=sa.text(where),
                        postgresql_where=sa.text(where))

    referral = sa.table('referral', sa.column('id', sa.Integer), sa.column('answers', SealedJSON),
                        sa.column('assessment', sa.JSON), sa.column('moved_from', sa.String),
                        sa.column('forms_mask', sa.Integer))
    conn = op.get_bind()
    for row in conn.execute(sa.select(referral.c.id, referral.c.answers, referral.c.assessment)).all():
        moved = (row.answers or {}).get('moved_from')
        mask = sum(1 << (int(f) - 1) for f in (row.assessment or {}).get('forms', []) if f in (1, 2))
        conn.execute(referral.update().where(referral.c.id == row.id)
                     .values(moved_from=str(moved)[:16] if moved is not None else None, forms_mask=mask))


def downgrade() -> None:
    with op.batch_alter_table('case_read', schema=None) as batch_op:
        batch_op.drop_column('shell')
    op.drop_index('ix_referral_queue', table_name='referral')
    op.drop_index('ix_referral_clock', table_name='referral')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index('ix_referral_ivo_due_at', ['ivo_due_at'], unique=False)
        batch_op.create_index('ix_referral_status', ['status'], unique=False)
        batch_op.drop_index(batch_op.f('ix_referral_language'))
        batch_op.drop_index(batch_op.f('ix_referral_moved_from'))
        batch_op.drop_column('version')
        batch_op.drop_column('forms_mask')
        batch_op.drop_column('moved_from')

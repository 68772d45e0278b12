"""staff, claims, the legal clock and case reads

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:34:32.225395
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('telegram_user_id')
    )
    op.create_table('case_read',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('command', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_read_referral_id'), ['referral_id'], unique=False)

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caseworker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('interpreter_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ivo_due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_referral_caseworker_id'), ['caseworker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_interpreter_id'), ['interpreter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_ivo_due_at'), ['ivo_due_at'], unique=False)
        batch_op.create_foreign_key('fk_referral_caseworker_id_staff', 'staff', ['caseworker_id'], ['id'])
        batch_op.create_foreign_key('fk_referral_interpreter_id_staff', 'staff', ['interpreter_id'], ['id'])
        batch_op.drop_column('assignee')



def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignee', sa.VARCHAR(length=64), nullable=True))
        batch_op.drop_constraint('fk_referral_interpreter_id_staff', type_='foreignkey')
        batch_op.drop_constraint('fk_referral_caseworker_id_staff', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_referral_ivo_due_at'))
        batch_op.drop_index(batch_op.f('ix_referral_interpreter_id'))
        batch_op.drop_index(batch_op.f('ix_referral_caseworker_id'))
        batch_op.drop_column('closed_at')
        batch_op.drop_column('ivo_due_at')
        batch_op.drop_column('interpreter_id')
        batch_op.drop_column('caseworker_id')

    with op.batch_alter_table('case_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_read_referral_id'))

    op.drop_table('case_read')
    op.drop_table('staff')

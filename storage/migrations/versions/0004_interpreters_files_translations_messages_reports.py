"""interpreters: stored files, translations, caseworker messages, catalog reports

Sealed columns (file content, file names, translations, messages, notes) are stored as their plain
types: text and binary; the encryption happens in the application.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 16:12:49.328496
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('catalog_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('msgid', sa.Text(), nullable=False),
    sa.Column('context', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('translation', sa.Text(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('reporter', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('catalog_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_report_language'), ['language'], unique=False)

    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transcript_entry_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('mime', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('stored_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['transcript_entry_id'], ['transcript_entry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('transcript_entry_id')
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_status'), ['status'], unique=False)

    op.create_table('translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transcript_entry_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('translator', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('verified_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('verified_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['transcript_entry_id'], ['transcript_entry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translation_transcript_entry_id'), ['transcript_entry_id'], unique=False)

    op.create_table('caseworker_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('text_sv', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('translation', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('translator', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('translated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('caseworker_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caseworker_message_referral_id'), ['referral_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_caseworker_message_status'), ['status'], unique=False)

    op.create_table('translating',
    sa.Column('staff_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('transcript_entry_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['caseworker_message.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['transcript_entry_id'], ['transcript_entry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id')
    )


def downgrade() -> None:
    op.drop_table('translating')
    with op.batch_alter_table('caseworker_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caseworker_message_status'))
        batch_op.drop_index(batch_op.f('ix_caseworker_message_referral_id'))

    op.drop_table('caseworker_message')
    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_translation_transcript_entry_id'))

    op.drop_table('translation')
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_status'))

    op.drop_table('stored_file')
    with op.batch_alter_table('catalog_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_report_language'))

    op.drop_table('catalog_report')

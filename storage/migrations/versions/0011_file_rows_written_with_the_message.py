"""files: a file message's row is written with the message (`new`), found by an index; sent outbox rows go

The processing round used to find new file messages by searching the whole transcript for incoming file
entries without a `stored_file` row, every round: its cost grew with every stored intake (issue 14). Now
the update's transaction writes the row as `new`, and the round reads the rows due through an index on
(status, next_attempt_at), which replaces the index on status alone.

Housekeeping deletes outbox rows sent days ago instead of keeping them nulled (a row shrunk in place
leaves its SQLite page part empty for good); it keeps a row an intake still shows (`live_outbox_id`) or
an edit still waits for (`target_outbox_id`), both looked up by new partial indexes, and finds the rows due
by `sent_at` (a partial index: rows not yet sent have none).

Upgrade backfill: a file message that no round has looked at yet gets its `new` row, so nothing sent
before the upgrade is lost. Downgrade: the `new` rows go again (the old code finds those messages by
their missing row).

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-06 03:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# storage.interpreting.FILE_KINDS as it is at this revision (a migration does not follow later changes)
_FILE_KINDS = ("voice", "audio", "photo", "document", "video", "video_note")


def upgrade() -> None:
    op.drop_index('ix_stored_file_status', table_name='stored_file')
    op.create_index('ix_stored_file_due', 'stored_file', ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_intake_live_outbox', 'intake', ['live_outbox_id'], unique=False,
                    sqlite_where=sa.text('live_outbox_id IS NOT NULL'),
                    postgresql_where=sa.text('live_outbox_id IS NOT NULL'))
    op.create_index('ix_outbox_sent', 'outbox_message', ['sent_at'], unique=False,
                    sqlite_where=sa.text('sent_at IS NOT NULL'), postgresql_where=sa.text('sent_at IS NOT NULL'))
    op.create_index('ix_outbox_target', 'outbox_message', ['target_outbox_id'], unique=False,
                    sqlite_where=sa.text('target_outbox_id IS NOT NULL'),
                    postgresql_where=sa.text('target_outbox_id IS NOT NULL'))
    op.execute(sa.text(
        "INSERT INTO stored_file (transcript_entry_id, kind, status, attempts, created_at) "
        "SELECT t.id, t.kind, 'new', 0, t.at FROM transcript_entry t "
        "WHERE t.direction = 'in' AND t.kind IN :kinds "
        "AND NOT EXISTS (SELECT 1 FROM stored_file f WHERE f.transcript_entry_id = t.id)"
    ).bindparams(sa.bindparam('kinds', value=list(_FILE_KINDS), expanding=True)))


def downgrade() -> None:
    op.execute("DELETE FROM stored_file WHERE status = 'new'")
    op.drop_index('ix_outbox_target', table_name='outbox_message')
    op.drop_index('ix_outbox_sent', table_name='outbox_message')
    op.drop_index('ix_intake_live_outbox', table_name='intake')
    op.drop_index('ix_stored_file_due', table_name='stored_file')
    op.create_index('ix_stored_file_status', 'stored_file', ['status'], unique=False)

"""change log compaction

Revision ID: 0009
Revises: 0014
Create Date: 2026-12-02

The change log keeps only the last entry of each row: an index by row finds the older
entries a new write replaces, and the entries already superseded go now.
"""

from alembic import op

revision = '0009'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_change_log_row', 'change_log', ['table_name', 'row_key'])
    op.execute(
        "DELETE FROM change_log WHERE seq < "
        "(SELECT MAX(newer.seq) FROM change_log AS newer "
        "WHERE newer.table_name = change_log.table_name AND newer.row_key = change_log.row_key)"
    )


def downgrade() -> None:
    op.drop_index('ix_change_log_row', table_name='change_log')

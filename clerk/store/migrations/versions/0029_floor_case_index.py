"""the live floor's cases at their limits: an index on case (centre_code, status, due_date, id)

Revision ID: 0029_floordue
Revises: 0025_firstnote
Create Date: 2026-12-05

The floor counts the open cases whose deadline is near or past and lists the most pressing.
A hall keeps tens of thousands of cases open; the index counts those promised before the
end of "near" without reading them, and picks the first few by date (and id, for ties)
before any case is read (clerk.floor.cases).
"""

from alembic import op

revision = '0029_floordue'
down_revision = '0025_firstnote'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_centre_status_due', 'case', ['centre_code', 'status', 'due_date', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_centre_status_due', table_name='case')

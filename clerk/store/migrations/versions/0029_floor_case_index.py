"""the live floor's cases at their limits: an index on case (centre_code, status, due_date)

Revision ID: 0029_floordue
Revises: 0025_firstnote
Create Date: 2026-12-05

The floor shows the open cases whose deadline is near or past. A hall keeps tens of
thousands of cases open; the index lets it read only those promised before the end of
"near" instead of every open case (clerk.floor.cases).
"""

from alembic import op

revision = '0029_floordue'
down_revision = '0025_firstnote'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_centre_status_due', 'case', ['centre_code', 'status', 'due_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_centre_status_due', table_name='case')

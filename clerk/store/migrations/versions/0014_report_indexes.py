"""indexes for the supervisor's ledger

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-02

The ledger (clerk.reports) counts events of one kind over a period and reads the tickets a
centre issued in a period; a year of a 30-window hall is half a million tickets.
"""

from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_ticket_event_kind_at', 'ticket_event', ['kind', 'at'], unique=False)
    op.create_index('ix_ticket_centre_issued', 'ticket', ['centre_code', 'issued_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ticket_centre_issued', table_name='ticket')
    op.drop_index('ix_ticket_event_kind_at', table_name='ticket_event')

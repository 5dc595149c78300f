"""indexes for a year's ledger and the live floor's held tickets

Revision ID: 0030_ledgeryear
Revises: 0029_floordue
Create Date: 2026-12-05

With a year of a 30-window hall (half a million tickets, a million and a half events):
- ``ticket_event (at)``: the ledger counts every kind of event in a period; without it the
  count read every ticket of the centre and each one's events;
- ``ticket_event (ticket_id, kind, at)``: a ticket's first call and the call before each
  办结 are one index step, not a search among all calls up to that time;
- ``ticket (status, centre_code, window_id)``: the floor's tickets called or serving at a
  window; the planner otherwise read the centre's tickets by ``centre_code``.
"""

from alembic import op

revision = '0030_ledgeryear'
down_revision = '0029_floordue'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_ticket_event_at', 'ticket_event', ['at'], unique=False)
    op.create_index('ix_ticket_event_ticket_kind_at', 'ticket_event', ['ticket_id', 'kind', 'at'], unique=False)
    op.create_index('ix_ticket_status_centre', 'ticket', ['status', 'centre_code', 'window_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ticket_status_centre', table_name='ticket')
    op.drop_index('ix_ticket_event_ticket_kind_at', table_name='ticket_event')
    op.drop_index('ix_ticket_event_at', table_name='ticket_event')

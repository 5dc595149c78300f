"""indexes for the ledger's cases of a period

Revision ID: 0031_ledgercases
Revises: 0030_ledgeryear
Create Date: 2026-12-05

The ledger counts the cases received, accepted, told to supplement, decided and delivered
in its period, and the open cases whose date owed fell in it (clerk.reports.cases_section,
results_section); with only the centre's index each of those read every case the centre
ever had (a hundred thousand a year).
"""

from alembic import op

revision = '0031_ledgercases'
down_revision = '0030_ledgeryear'
branch_labels = None
depends_on = None

_INDEXES = {
    'ix_case_centre_received': 'received_at',
    'ix_case_centre_accepted': 'accepted_at',
    'ix_case_centre_notified': 'supplement_notified_on',
    'ix_case_centre_decided': 'decided_on',
    'ix_case_centre_delivered': 'delivered_at',
}


def upgrade() -> None:
    for name, column in _INDEXES.items():
        op.create_index(name, 'case', ['centre_code', column], unique=False)
    op.create_index('ix_case_centre_status_owed', 'case', ['centre_code', 'status', 'owed_due'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_centre_status_owed', table_name='case')
    for name in reversed(_INDEXES):
        op.drop_index(name, table_name='case')

"""ledger screen indexes

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02

The ledger screen filters 10,000 entries by 在办 / 超期 / 已办结. A NOT IN on status could
not use an index in time order, so the entry carries is_open (kept with its status) and two
indexes serve the page and its count.
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ledger_entry') as batch:
        batch.add_column(sa.Column('is_open', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute("UPDATE ledger_entry SET is_open = (status NOT IN ('closed', 'referred_out'))")
    op.create_index('ix_ledger_entry_open', 'ledger_entry',
                    ['centre_code', 'is_open', 'registered_at', 'due_date'], unique=False)
    op.create_index('ix_ledger_entry_kind_open', 'ledger_entry',
                    ['centre_code', 'kind', 'is_open', 'registered_at', 'due_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ledger_entry_kind_open', table_name='ledger_entry')
    op.drop_index('ix_ledger_entry_open', table_name='ledger_entry')
    with op.batch_alter_table('ledger_entry') as batch:
        batch.drop_column('is_open')

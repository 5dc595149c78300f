"""作废登记: the numbers of papers printed offline whose actions were refused

Revision ID: 0027_voided
Revises: 0025_rate_code
Create Date: 2026-12-07

A refused action's paper was printed and may be in the applicant's hands: its number is
recorded here by the central store, synced to the counters, and never given again.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from clerk.store.types import UTCDateTime

revision = '0027_voided'
down_revision = '0025_rate_code'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'voided_number',
        sa.Column('id', _S(), nullable=False),
        sa.Column('case_id', _S(), nullable=True),
        sa.Column('kind', _S(), nullable=False),
        sa.Column('doc_no', _S(), nullable=False),
        sa.Column('centre_code', _S(), nullable=False),
        sa.Column('type_code', _S(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('series', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('client_id', _S(), nullable=False),
        sa.Column('mutation_id', sa.Integer(), nullable=False),
        sa.Column('voided_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.ForeignKeyConstraint(['centre_code'], ['centre.code']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_voided_number', 'voided_number', ['centre_code', 'type_code', 'year', 'series', 'seq'])
    op.create_index('ix_voided_number_case_id', 'voided_number', ['case_id'])


def downgrade() -> None:
    op.drop_index('ix_voided_number_case_id', table_name='voided_number')
    op.drop_index('ix_voided_number', table_name='voided_number')
    op.drop_table('voided_number')

"""reference data for cases

Revision ID: 0015
Revises: 0008
Create Date: 2026-12-02

What intake and its papers read from the catalogue: per item the fee basis, 告知承诺
exclusions, 复议前置, the guide version, aliases and the centre levels; per material the
ways it may be 免提交; per department its document code, review organ and court; per
centre its document code. Rows from before get empty values until reference data is
published again.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0015'
down_revision = '0008'
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.add_column(sa.Column('doc_code', _TEXT(), nullable=False, server_default=''))

    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.add_column(sa.Column('doc_code', _TEXT(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('review_organ', _TEXT(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('court', _TEXT(), nullable=False, server_default=''))

    with op.batch_alter_table('service_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_basis', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('commitment_exclusions', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('review_first', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('guide_version', _TEXT(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('aliases', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('levels', sa.JSON(), nullable=False, server_default='["county"]'))

    with op.batch_alter_table('item_material', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exempt_ways', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('item_material', schema=None) as batch_op:
        batch_op.drop_column('exempt_ways')

    with op.batch_alter_table('service_item', schema=None) as batch_op:
        for name in ('levels', 'aliases', 'guide_version', 'review_first', 'commitment_exclusions', 'fee_basis'):
            batch_op.drop_column(name)

    with op.batch_alter_table('department', schema=None) as batch_op:
        for name in ('court', 'review_organ', 'doc_code'):
            batch_op.drop_column(name)

    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.drop_column('doc_code')

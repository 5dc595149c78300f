"""opening hours and overtime

Revision ID: 0019_hours
Revises: 0009
Create Date: 2026-12-03

A centre's opening hours are reference data (clerk.hours): one row per rule, its days,
times, lunch break with the windows on lunch duty, and the lines it is limited to. A
ticket records the seconds it was served after closing (延时服务, 当日号当日办结).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0019_hours'
down_revision = '0009'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'opening_hours',
        sa.Column('id', _S(), nullable=False),
        sa.Column('centre_code', _S(), nullable=False),
        sa.Column('days', sa.JSON(), nullable=False),
        sa.Column('opens', _S(), nullable=False),
        sa.Column('closes', _S(), nullable=False),
        sa.Column('lunch_from', _S(), nullable=False),
        sa.Column('lunch_to', _S(), nullable=False),
        sa.Column('lunch_windows', sa.JSON(), nullable=False),
        sa.Column('lines', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['centre_code'], ['centre.code']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_opening_hours_centre_code', 'opening_hours', ['centre_code'])
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overtime_s', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('overtime_s')
    op.drop_index('ix_opening_hours_centre_code', table_name='opening_hours')
    op.drop_table('opening_hours')

"""先批后报: the report a chief owes after approving an urgent case first

Revision ID: 0025_urgent
Revises: 0024_township
Create Date: 2026-12-06

A sign-off of kind ``urgent_report`` that the chief approved carries the date its report
to the department is due, and once written the report, who wrote it and when.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from clerk.store.types import UTCDateTime

revision = '0025_urgent'
down_revision = '0024_township'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('sign_off', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('report', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reported_by', _S(), nullable=True))
        batch_op.add_column(sa.Column('reported_at', UTCDateTime(), nullable=True))
        batch_op.create_foreign_key('fk_sign_off_reported_by_staff', 'staff', ['reported_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('sign_off', schema=None) as batch_op:
        batch_op.drop_constraint('fk_sign_off_reported_by_staff', type_='foreignkey')
        batch_op.drop_column('reported_at')
        batch_op.drop_column('reported_by')
        batch_op.drop_column('report')
        batch_op.drop_column('report_due')

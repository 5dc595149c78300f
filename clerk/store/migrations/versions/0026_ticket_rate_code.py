"""the ticket's 评价码 and the kiosk's wrong tries

Revision ID: 0025_rate_code
Revises: 0025_urgent
Create Date: 2026-12-04

A ticket's number is short and public: the kiosk asks the 评价码 printed on the slip too
(clerk.ledgers.rate_code). Tickets issued before this have none (empty) and are rated at
the kiosk by their number alone, as before: their slips carry no code to type.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0025_rate_code'
down_revision = '0025_urgent'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rate_code', _S(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('rate_code_misses', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('rate_code_misses')
        batch_op.drop_column('rate_code')

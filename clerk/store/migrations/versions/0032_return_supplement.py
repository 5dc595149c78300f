"""退回补正: the materials a back office asks the applicant to supply after acceptance

Revision ID: 0032_return
Revises: 0031_ledgercases
Create Date: 2026-12-06

A sign-off of kind ``return_supplement`` names the materials (JSON) and the working days
the applicant gets to supply them once the chief representative approves.
"""

import sqlalchemy as sa
from alembic import op

revision = '0032_return'
down_revision = '0031_ledgercases'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sign_off', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplement', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('supplement_days', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('sign_off', schema=None) as batch_op:
        batch_op.drop_column('supplement_days')
        batch_op.drop_column('supplement')

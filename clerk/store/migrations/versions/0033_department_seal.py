"""The seal a department's decision papers carry

Revision ID: 0033_deptseal
Revises: 0032_return
Create Date: 2026-12-06

Above a township a decision (不予受理, 不予许可, 延期, 退回补正 …) carries the department's
行政审批专用章, not the centre's (NOTICES.md, Which seal); reference data names it.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0033_deptseal'
down_revision = '0032_return'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.drop_column('seal_name')

"""township front desk, county back office (县事乡办)

Revision ID: 0024_township
Revises: 0023_notify
Create Date: 2026-12-05

A township centre names the county centre whose departments decide what it takes in
(``centre.parent_code``); an accepted case records whose back office has it
(``case.back_office_centre``): its own centre, or the county's for a township case.
Cases accepted before this stay with their own centre.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0024_township'
down_revision = '0023_notify'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_code', _S(), nullable=False, server_default=''))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('back_office_centre', _S(), nullable=False, server_default=''))
        batch_op.create_index('ix_case_back_office_centre', ['back_office_centre'])
    op.execute("UPDATE \"case\" SET back_office_centre = centre_code WHERE accepted_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_back_office_centre')
        batch_op.drop_column('back_office_centre')
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.drop_column('parent_code')

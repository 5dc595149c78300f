"""sign-off: chief representatives' authorisations, the signed decision on a sign-off row

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-02

An authorisation (003 首席代表授权委托书) is reference data: the items a chief signs with
final effect, those only pre-reviewed, its dates and a deputy. A decision on a sign-off
row keeps the chief's signature and the counter it was made at (clerk.signoff.rules).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0018'
down_revision = '0014'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'authorisation',
        sa.Column('id', _S(), nullable=False),
        sa.Column('chief_id', _S(), nullable=False),
        sa.Column('department_code', _S(), nullable=False),
        sa.Column('final_items', sa.JSON(), nullable=False),
        sa.Column('review_items', sa.JSON(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('expires', sa.Date(), nullable=False),
        sa.Column('deputy_id', _S(), nullable=True),
        sa.Column('document', _S(), nullable=False),
        sa.ForeignKeyConstraint(['chief_id'], ['staff.id']),
        sa.ForeignKeyConstraint(['deputy_id'], ['staff.id']),
        sa.ForeignKeyConstraint(['department_code'], ['department.code']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_authorisation_chief_id', 'authorisation', ['chief_id'], unique=False)
    with op.batch_alter_table('sign_off') as batch_op:
        for name in ('signed_at', 'signature', 'decided_client'):
            batch_op.add_column(sa.Column(name, _S(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('sign_off') as batch_op:
        for name in ('decided_client', 'signature', 'signed_at'):
            batch_op.drop_column(name)
    op.drop_index('ix_authorisation_chief_id', table_name='authorisation')
    op.drop_table('authorisation')

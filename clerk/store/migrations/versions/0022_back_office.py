"""back office: 一审一核, the clock's extension and pauses, the result and its delivery

Revision ID: 0022_backoffice
Revises: 0021_shiftsign
Create Date: 2026-12-03

A case goes on after acceptance (clerk.backoffice): reviewed by one person, checked and
decided by another, extended once with the head's approval, paused by special
procedures, ready at 出件 and delivered. The columns live on ``case``; existing cases get
empty values (none of them has gone past acceptance yet).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import clerk.store.types

revision = '0022_backoffice'
down_revision = '0021_shiftsign'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = clerk.store.types.UTCDateTime
_STAFF_COLUMNS = ('reviewed_by', 'decided_by', 'extended_by', 'delivered_by')
_TEXT = ('review_proposal', 'result', 'suspended_from', 'suspend_procedure')
_LONG_TEXT = ('review_opinion', 'decision_basis', 'extension_reason', 'delivery_detail')


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        for name in _TEXT:
            batch_op.add_column(sa.Column(name, _S(), nullable=False, server_default=''))
        for name in _LONG_TEXT:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=''))
        for name in _STAFF_COLUMNS:
            batch_op.add_column(sa.Column(name, _S(), nullable=True))
            batch_op.create_foreign_key(f'fk_case_{name}', 'staff', [name], ['id'])
        for name in ('reviewed_at', 'decided_at', 'ready_at', 'delivered_at'):
            batch_op.add_column(sa.Column(name, _T(), nullable=True))
        batch_op.add_column(sa.Column('decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('suspended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('suspend_expected_days', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('suspended_days', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        for name in _STAFF_COLUMNS:
            batch_op.drop_constraint(f'fk_case_{name}', type_='foreignkey')
        for name in (*_TEXT, *_LONG_TEXT, *_STAFF_COLUMNS, 'reviewed_at', 'decided_at', 'ready_at', 'delivered_at',
                     'decided_on', 'suspended_on', 'suspend_expected_days', 'suspended_days'):
            batch_op.drop_column(name)

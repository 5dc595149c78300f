"""notifications: the applicant's consent and e-mail, the central store's message outbox

Revision ID: 0023_notify
Revises: 0022_backoffice
Create Date: 2026-12-04

The applicant is told at acceptance and at the decision, by SMS and / or e-mail, if they
agreed at intake (clerk.notify). Existing cases get no consent: nobody asked them.
``notification`` is filled only on the central store; on a counter it stays empty.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import clerk.store.types

revision = '0023_notify'
down_revision = '0022_backoffice'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = clerk.store.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_email', _S(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('notify_consent', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'notification',
        sa.Column('id', _S(), nullable=False),
        sa.Column('case_id', _S(), nullable=False),
        sa.Column('event', _S(), nullable=False),
        sa.Column('channel', _S(), nullable=False),
        sa.Column('recipient', _S(), nullable=False),
        sa.Column('subject', _S(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', _T(), nullable=False),
        sa.Column('state', _S(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', _T(), nullable=False),
        sa.Column('claim', _S(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('sent_at', _T(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'event', 'channel', name='uq_notification_case_event_channel'),
    )
    op.create_index('ix_notification_case_id', 'notification', ['case_id'], unique=False)
    op.create_index('ix_notification_due', 'notification', ['state', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_notification_due', table_name='notification')
    op.drop_index('ix_notification_case_id', table_name='notification')
    op.drop_table('notification')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('notify_consent')
        batch_op.drop_column('applicant_email')

"""shift signing: signed shift notes, account unlocks, the start of a counter's lockout

Revision ID: 0021_shiftsign
Revises: 0020
Create Date: 2026-12-03

The supervisor annotates and signs a shift (clerk.shifts); the placeholder ``shift_note``
table of the first schema was never written, so it is replaced whole. ``account_unlock``
carries a supervisor's unlock to every counter; ``sign_in_guard.locked_at`` says which
locks an unlock lifts.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import clerk.store.types

revision = '0021_shiftsign'
down_revision = '0020'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = clerk.store.types.UTCDateTime


def upgrade() -> None:
    op.drop_table('shift_note')
    op.create_table(
        'shift_note',
        sa.Column('id', _S(), nullable=False),
        sa.Column('centre_code', _S(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('shift', _S(), nullable=False),
        sa.Column('scope_kind', _S(), nullable=False),
        sa.Column('scope_key', _S(), nullable=False),
        sa.Column('corrects', _S(), nullable=True),
        sa.Column('supervisor_id', _S(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('written_at', _T(), nullable=False),
        sa.Column('figures_digest', _S(), nullable=False),
        sa.Column('signed_at', _S(), nullable=False),
        sa.Column('signature', _S(), nullable=False),
        sa.Column('signed_client', _S(), nullable=False),
        sa.ForeignKeyConstraint(['centre_code'], ['centre.code']),
        sa.ForeignKeyConstraint(['corrects'], ['shift_note.id']),
        sa.ForeignKeyConstraint(['supervisor_id'], ['staff.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_shift_note_shift', 'shift_note', ['centre_code', 'day', 'shift', 'scope_kind', 'scope_key'])
    op.create_table(
        'account_unlock',
        sa.Column('id', _S(), nullable=False),
        sa.Column('username', _S(), nullable=False),
        sa.Column('staff_id', _S(), nullable=False),
        sa.Column('unlocked_by', _S(), nullable=False),
        sa.Column('at', _T(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.ForeignKeyConstraint(['unlocked_by'], ['staff.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_account_unlock_username', 'account_unlock', ['username'])
    with op.batch_alter_table('sign_in_guard', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_at', _T(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sign_in_guard', schema=None) as batch_op:
        batch_op.drop_column('locked_at')
    op.drop_index('ix_account_unlock_username', table_name='account_unlock')
    op.drop_table('account_unlock')
    op.drop_index('ix_shift_note_shift', table_name='shift_note')
    op.drop_table('shift_note')
    op.create_table(
        'shift_note',
        sa.Column('id', _S(), nullable=False),
        sa.Column('centre_code', _S(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('shift', _S(), nullable=False),
        sa.Column('supervisor_id', _S(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('signed_at', _T(), nullable=True),
        sa.ForeignKeyConstraint(['centre_code'], ['centre.code']),
        sa.ForeignKeyConstraint(['supervisor_id'], ['staff.id']),
        sa.PrimaryKeyConstraint('id'),
    )

"""installation history: a hash chain per counter, and devices flagged for a forked history

Revision ID: 0010
Revises: 0014
Create Date: 2026-12-02

Each outbox row carries the hash chain of the counter's actions up to it; each push receipt
keeps the chain at its last mutation. A push whose chain does not continue the one the
central store holds comes from a copy of the installation (disk image, restored backup):
it is refused and the device flagged. Rows written before keep NULL: nothing to compare.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import clerk.store.types

revision = '0010'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table('push_receipt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conflict_at', clerk.store.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('conflict_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_column('conflict_reason')
        batch_op.drop_column('conflict_at')
    with op.batch_alter_table('push_receipt', schema=None) as batch_op:
        batch_op.drop_column('chain')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('chain')

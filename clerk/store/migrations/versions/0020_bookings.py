"""bookings: slot plans per line, booked slots, bookings with hashed check-in codes, platforms

Revision ID: 0020
Revises: 0019_hours
Create Date: 2026-12-02

The booking table of the central store (clerk.booking): appointments booked at the
counter, by phone or by an online platform, checked in at the kiosk with a random code.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import clerk.store.types

revision = '0020'
down_revision = '0019_hours'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = clerk.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        'slot_plan',
        sa.Column('id', _S(), nullable=False),
        sa.Column('line_id', _S(), nullable=False),
        sa.Column('weekday', sa.Integer(), nullable=False),
        sa.Column('start', sa.Time(), nullable=False),
        sa.Column('end', sa.Time(), nullable=False),
        sa.Column('slot_minutes', sa.Integer(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['line_id'], ['service_line.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_slot_plan_line_id', 'slot_plan', ['line_id'], unique=False)
    op.create_table(
        'booking_slot',
        sa.Column('line_id', _S(), nullable=False),
        sa.Column('start', _T(), nullable=False),
        sa.Column('end', _T(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('booked', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['line_id'], ['service_line.id']),
        sa.PrimaryKeyConstraint('line_id', 'start'),
    )
    op.create_table(
        'booking_platform',
        sa.Column('id', _S(), nullable=False),
        sa.Column('name', _S(), nullable=False),
        sa.Column('centre_code', _S(), nullable=False),
        sa.Column('token_hash', _S(), nullable=False),
        sa.Column('created_at', _T(), nullable=False),
        sa.Column('revoked_at', _T(), nullable=True),
        sa.ForeignKeyConstraint(['centre_code'], ['centre.code']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'booking',
        sa.Column('id', _S(), nullable=False),
        sa.Column('centre_code', _S(), nullable=False),
        sa.Column('line_id', _S(), nullable=False),
        sa.Column('slot_start', _T(), nullable=False),
        sa.Column('slot_end', _T(), nullable=False),
        sa.Column('code_hash', _S(), nullable=False),
        sa.Column('channel', _S(), nullable=False),
        sa.Column('platform_id', _S(), nullable=True),
        sa.Column('staff_id', _S(), nullable=True),
        sa.Column('booker_name', _S(), nullable=False),
        sa.Column('booker_phone', _S(), nullable=False),
        sa.Column('status', _S(), nullable=False),
        sa.Column('created_at', _T(), nullable=False),
        sa.Column('cancelled_at', _T(), nullable=True),
        sa.Column('checked_in_at', _T(), nullable=True),
        sa.Column('ticket_id', _S(), nullable=True),
        sa.ForeignKeyConstraint(['centre_code'], ['centre.code']),
        sa.ForeignKeyConstraint(['line_id'], ['service_line.id']),
        sa.ForeignKeyConstraint(['platform_id'], ['booking_platform.id']),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'),
    )
    op.create_index('ix_booking_centre_code', 'booking', ['centre_code'], unique=False)
    op.create_index('ix_booking_line_start', 'booking', ['line_id', 'slot_start'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_booking_line_start', table_name='booking')
    op.drop_index('ix_booking_centre_code', table_name='booking')
    op.drop_table('booking')
    op.drop_table('booking_platform')
    op.drop_table('booking_slot')
    op.drop_index('ix_slot_plan_line_id', table_name='slot_plan')
    op.drop_table('slot_plan')

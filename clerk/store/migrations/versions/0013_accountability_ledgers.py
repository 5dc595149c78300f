"""accountability ledgers

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-02

The 首问负责 log, the 办不成事 ledger and 差评整改 share one table (ledger_entry) with its
handling log (ledger_step); ratings (好差评) get theirs. The placeholder tables of the first
schema (first_contact, complaint, complaint_log, review, rectification) were never written
by any action and are replaced. A ledger's papers (指路单, 交办单, 督办单) are notices of an
entry, not of a case: notice.case_id becomes optional and notice.entry_id names the entry.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import clerk.store.types


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    for table in ('rectification', 'review', 'complaint_log', 'complaint', 'first_contact'):
        op.drop_table(table)
    op.create_table('rating',
    sa.Column('id', S(), nullable=False),
    sa.Column('centre_code', S(), nullable=False),
    sa.Column('ticket_id', S(), nullable=True),
    sa.Column('case_ref', S(), nullable=True),
    sa.Column('source', S(), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('reasons', S(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', clerk.store.types.UTCDateTime(), nullable=False),
    sa.Column('rated_staff_id', S(), nullable=True),
    sa.Column('window_id', S(), nullable=True),
    sa.Column('department_code', S(), nullable=True),
    sa.Column('recorded_by', S(), nullable=True),
    sa.Column('rater_name', S(), nullable=False),
    sa.Column('rater_phone', S(), nullable=False),
    sa.Column('real_name', sa.Boolean(), nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['centre_code'], ['centre.code'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.ForeignKeyConstraint(['rated_staff_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], ),
    sa.ForeignKeyConstraint(['department_code'], ['department.code'], ),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ticket_id'),
    sa.UniqueConstraint('case_ref'),
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index('ix_rating_centre_at', ['centre_code', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_rated_staff_id'), ['rated_staff_id'], unique=False)

    op.create_table('ledger_entry',
    sa.Column('id', S(), nullable=False),
    sa.Column('kind', S(), nullable=False),
    sa.Column('entry_no', S(), nullable=False),
    sa.Column('centre_code', S(), nullable=False),
    sa.Column('status', S(), nullable=False),
    sa.Column('registered_at', clerk.store.types.UTCDateTime(), nullable=False),
    sa.Column('registered_by', S(), nullable=False),
    sa.Column('owner_id', S(), nullable=False),
    sa.Column('window_id', S(), nullable=True),
    sa.Column('ticket_id', S(), nullable=True),
    sa.Column('case_ref', S(), nullable=False),
    sa.Column('rating_id', S(), nullable=True),
    sa.Column('channel', S(), nullable=False),
    sa.Column('person', S(), nullable=False),
    sa.Column('contact', S(), nullable=False),
    sa.Column('matter', sa.Text(), nullable=False),
    sa.Column('item_code', S(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('class_code', S(), nullable=False),
    sa.Column('legal', sa.Boolean(), nullable=False),
    sa.Column('department_code', S(), nullable=True),
    sa.Column('unit', S(), nullable=False),
    sa.Column('assignee_id', S(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('due_provisional', sa.Boolean(), nullable=False),
    sa.Column('result_kind', S(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('fed_back_at', clerk.store.types.UTCDateTime(), nullable=True),
    sa.Column('follow_up_due', sa.Date(), nullable=True),
    sa.Column('followed_up_on', sa.Date(), nullable=True),
    sa.Column('follow_up_method', S(), nullable=False),
    sa.Column('satisfaction', S(), nullable=False),
    sa.Column('supervised_at', clerk.store.types.UTCDateTime(), nullable=True),
    sa.Column('closed_at', clerk.store.types.UTCDateTime(), nullable=True),
    sa.Column('updated_at', clerk.store.types.UTCDateTime(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['centre_code'], ['centre.code'], ),
    sa.ForeignKeyConstraint(['registered_by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], ),
    sa.ForeignKeyConstraint(['department_code'], ['department.code'], ),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entry_list', ['centre_code', 'kind', 'registered_at'], unique=False)
        batch_op.create_index('ix_ledger_entry_centre_at', ['centre_code', 'registered_at'], unique=False)
        batch_op.create_index('ix_ledger_entry_owner', ['owner_id', 'status'], unique=False)
        batch_op.create_index('ix_ledger_entry_department', ['department_code', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_entry_no'), ['entry_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_rating_id'), ['rating_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_assignee_id'), ['assignee_id'], unique=False)

    op.create_table('ledger_step',
    sa.Column('id', S(), nullable=False),
    sa.Column('entry_id', S(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', clerk.store.types.UTCDateTime(), nullable=False),
    sa.Column('staff_id', S(), nullable=True),
    sa.Column('action', S(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', S(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entry.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('ledger_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_step_entry_id'), ['entry_id'], unique=False)

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.alter_column('case_id', existing_type=S(), nullable=True)
        batch_op.add_column(sa.Column('entry_id', S(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notice_entry_id'), ['entry_id'], unique=False)
        batch_op.create_foreign_key('fk_notice_entry_id_ledger_entry', 'ledger_entry', ['entry_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint('fk_notice_entry_id_ledger_entry', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notice_entry_id'))
        batch_op.drop_column('entry_id')
        batch_op.alter_column('case_id', existing_type=S(), nullable=False)
    op.drop_table('ledger_step')
    op.drop_table('ledger_entry')
    op.drop_table('rating')
    # The placeholders of 0001, as they were.
    op.create_table('complaint',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', clerk.store.types.UTCDateTime(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('person', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('contact', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('matter', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('owner_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=True),
    sa.Column('visit_method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('satisfaction', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('closed_at', clerk.store.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_status'), ['status'], unique=False)

    op.create_table('first_contact',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', clerk.store.types.UTCDateTime(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('visitor_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('visitor_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('visitor_phone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('matter', sa.Text(), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('officer_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('handler_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('referred_to', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('follow_up_due', sa.Date(), nullable=True),
    sa.Column('closed_at', clerk.store.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['handler_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('first_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_first_contact_officer_id'), ['officer_id'], unique=False)

    op.create_table('complaint_log',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('complaint_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', clerk.store.types.UTCDateTime(), nullable=False),
    sa.Column('staff_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entry', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('complaint_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_log_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('ticket_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('at', clerk.store.types.UTCDateTime(), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('handler_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['handler_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_case_id'), ['case_id'], unique=False)

    op.create_table('rectification',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('review_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('owner_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('verify_due', sa.Date(), nullable=True),
    sa.Column('rectify_due', sa.Date(), nullable=True),
    sa.Column('log', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_review_id'), ['review_id'], unique=False)


"""cases: intake fields, the checklist per material, document-number parts

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-02

A case records its ticket, channel, guide version and clocks; each checklist row keeps the
guide's material as it stood when the case was opened (the case keeps its version) and its
state; a notice keeps the parts of its document number, unique together (clerk.cases.numbers).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0012'
down_revision = '0015'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString

_CASE = (
    ('ticket_line_id', _S(), None),
    ('ticket_number', _S(), ''),
    ('channel', _S(), 'window'),
    ('guide_version', _S(), ''),
    ('applicant_legal_rep', _S(), ''),
    ('applicant_id_warning', _S(), ''),
    ('agent_id_kind', _S(), ''),
    ('power_of_attorney', sa.Boolean(), False),
    ('received_on', sa.Date(), None),
    ('supplement_notified_on', sa.Date(), None),
    ('complete_on', sa.Date(), None),
    ('statutory_due', sa.Date(), None),
    ('owed_due', sa.Date(), None),
    ('accepted_via', _S(), ''),
    ('referred_to', _S(), ''),
    ('closed_reason', sa.Text(), ''),
    ('version', sa.Integer(), 0),
)
_MATERIAL = (
    ('seq', sa.Integer(), 0),
    ('name', _S(), ''),
    ('form', _S(), ''),
    ('copies', sa.Integer(), 1),
    ('required', sa.Boolean(), True),
    ('deferrable', sa.Boolean(), False),
    ('source', _S(), ''),
    ('standard', sa.Text(), ''),
    ('state', _S(), 'pending'),
    ('received_form', _S(), ''),
    ('received_copies', sa.Integer(), 0),
    ('exempt_way', _S(), ''),
    ('licence_no', _S(), ''),
    ('owed', sa.Boolean(), False),
    ('received_on', sa.Date(), None),
)
_NOTICE = (
    ('centre_code', _S(), None),
    ('type_code', _S(), ''),
    ('year', sa.Integer(), 0),
    ('series', sa.Integer(), 0),
    ('seq', sa.Integer(), 0),
)


def _add(batch_op, columns) -> None:
    for name, type_, default in columns:
        if default is None:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        else:
            batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=sa.literal(default)))


def _create_case_material(columns, *extra) -> None:
    op.create_table(
        'case_material',
        sa.Column('case_id', _S(), nullable=False),
        sa.Column('material_id', _S(), nullable=False),
        sa.Column('received', sa.Boolean(), nullable=False),
        sa.Column('defect', _S(), nullable=False),
        *(sa.Column(name, type_, nullable=default is None,
                    server_default=None if default is None else sa.literal(default))
          for name, type_, default in columns),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        *extra,
        sa.PrimaryKeyConstraint('case_id', 'material_id'),
    )


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        _add(batch_op, _CASE)
        batch_op.create_foreign_key('fk_case_ticket_line', 'service_line', ['ticket_line_id'], ['id'])
        batch_op.create_index('ix_case_handler_status', ['handler_id', 'status'], unique=False)
        batch_op.create_index('ix_case_applicant', ['applicant_id_number'], unique=False)
    # No case existed before this revision, so the checklist table is made afresh: without
    # the foreign key to item_material (a row is a snapshot of the guide, which may be
    # republished while the case is open) and with the snapshot and state columns.
    op.drop_table('case_material')
    _create_case_material(_MATERIAL)
    with op.batch_alter_table('notice', schema=None) as batch_op:
        _add(batch_op, _NOTICE)
        batch_op.create_foreign_key('fk_notice_centre', 'centre', ['centre_code'], ['code'])
        batch_op.create_index('ux_notice_number', ['centre_code', 'type_code', 'year', 'series', 'seq'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ux_notice_number')
        batch_op.drop_constraint('fk_notice_centre', type_='foreignkey')
        for name, _, _ in _NOTICE:
            batch_op.drop_column(name)
    op.drop_table('case_material')
    _create_case_material((), sa.ForeignKeyConstraint(['material_id'], ['item_material.id']))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_applicant')
        batch_op.drop_index('ix_case_handler_status')
        batch_op.drop_constraint('fk_case_ticket_line', type_='foreignkey')
        for name, _, _ in _CASE:
            batch_op.drop_column(name)

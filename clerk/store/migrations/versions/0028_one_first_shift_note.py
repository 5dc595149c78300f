"""one first note per shift: a unique index on the shift notes without ``corrects``

Revision ID: 0025_firstnote
Revises: 0027_voided
Create Date: 2026-12-05

Two supervisors' counters pushing the first note of one shift at the same moment both
passed the handler's check (neither saw the other's uncommitted row) and both were stored.
The partial unique index makes the database refuse the second (clerk.shifts.handlers turns
that into a refusal the counter shows).

A store that already holds such a pair keeps every word: the note signed (else the earliest)
stays the shift's note and the others become notes linked to it (``corrects``). Two signed
first notes cannot be linked without voiding a signature: the upgrade stops and names them.
"""

import sqlalchemy as sa
from alembic import op

revision = '0025_firstnote'
down_revision = '0027_voided'
branch_labels = None
depends_on = None

_COLUMNS = ['centre_code', 'day', 'shift', 'scope_kind', 'scope_key']
_FIRST = sa.text("corrects IS NULL")


def _link_duplicates(conn) -> None:
    rows = conn.execute(sa.text(
        "SELECT id, centre_code, day, shift, scope_kind, scope_key, signature FROM shift_note"
        " WHERE corrects IS NULL ORDER BY written_at, id")).all()
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault(tuple(row[1:6]), []).append(row)
    for notes in groups.values():
        signed = [n for n in notes if n.signature]
        if len(signed) > 1:
            raise RuntimeError("同一班次有两份已签名的班次说明，无法自动合并，请人工处理：" + "、".join(n.id for n in signed))
        keep = (signed or notes)[0]
        for note in notes:
            if note.id != keep.id:
                conn.execute(sa.text("UPDATE shift_note SET corrects = :keep WHERE id = :id"),
                             {"keep": keep.id, "id": note.id})


def upgrade() -> None:
    _link_duplicates(op.get_bind())
    op.create_index('uq_shift_note_first', 'shift_note', _COLUMNS, unique=True,
                    sqlite_where=_FIRST, postgresql_where=_FIRST)


def downgrade() -> None:
    op.drop_index('uq_shift_note_first', table_name='shift_note')

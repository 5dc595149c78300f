"""Document numbers in the ledger: papers issued per kind, and the register of voided numbers.

A number is spent when its paper is printed. Papers stored in the period (``notice``, case
papers only: the ledgers' slips are numbered per entry) are counted by kind; the voided
register (``voided_number``, 作废登记: papers printed offline whose action the central store
refused, clerk.central.voided) lists each voided number with its reason, so that every gap a
reader finds in a series of the centre is explained. The centre's whole register: numbers
belong to the centre, not to a window or a person.
"""

from __future__ import annotations

from clerk.clock import local_time
from clerk.papers.kinds import kind as paper_kind
from clerk.reports.query import aware, rows
from clerk.reports.registry import Context, Section, Table, section


def _title(kind: str) -> str:
    try:
        return paper_kind(kind).title
    except ValueError:  # a kind of a later version: named as it is stored
        return kind


@section("numbers", order=70)
def build(ctx: Context) -> Section:
    issued = rows(ctx, """SELECT kind, COUNT(*) AS n FROM notice
        WHERE centre_code = :centre AND created_at >= :start AND created_at < :end GROUP BY kind""")
    voided = rows(ctx, """SELECT kind, doc_no, voided_at, reason FROM voided_number
        WHERE centre_code = :centre AND voided_at >= :start AND voided_at < :end ORDER BY voided_at, doc_no""")
    per_kind: dict[str, list[int]] = {}
    for r in issued:
        per_kind.setdefault(r.kind, [0, 0])[0] = r.n
    for r in voided:
        per_kind.setdefault(r.kind, [0, 0])[1] += 1
    counts = tuple((_title(k), n, v) for k, (n, v) in sorted(per_kind.items(), key=lambda kv: _title(kv[0])))
    register = tuple((r.doc_no, _title(r.kind), f"{local_time(aware(r.voided_at)):%m-%d %H:%M}", r.reason)
                     for r in voided)
    tables = [Table("文书出具", ("文书", "出具", "作废"), counts,
                    note="作废：离线时已打印、其操作被中心库拒收的文书，其编号不再使用")]
    if register:
        tables.append(Table("作废登记", ("文书编号", "文书", "登记时间", "原因"), register))
    return Section("numbers", "文书编号", tuple(tables),
                   figures={"issued": sum(c[1] for c in counts), "voided": len(register)})

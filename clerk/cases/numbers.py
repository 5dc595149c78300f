"""Document numbers: never repeated, never skipped, per type and year — even offline.

Shape: ``示范县政服受〔2026〕2-37号`` — office code, type code, 〔year〕, **series**, a
hyphen, the sequence, 号 (GB/T 9704 §7.2.5: no leading zeros, no 第).

Why a series inside the number. Two counters of one centre may print while cut off from
each other and from the central store, and every printed paper is real: its number can
never be taken back or given again. A single running sequence cannot be kept gap-free by
two writers that cannot talk, and blocks handed down by the central store run out exactly
when the link is down for long. So each counter numbers in its own series — the offline
band its enrolment gave it (``local_meta`` ``queue_band``, 1–4, unique within the centre;
series 0 for a counter working alone, never enrolled, as the central store itself never
prints). Within (centre, type, year, series) the sequence is written by one store only, so
it runs 1, 2, 3 … with no hole and no repeat however long the counter is offline, and the
register of a type is the union of the counters' series, each complete.

How a number is taken. The counter reads the next sequence of its series and puts it into
the mutation's arguments (so the central store replays the very number that was printed);
the handler refuses a sequence that is not above every one of the series (checked inside
the write transaction: a second writer on the same store is refused, nothing stored, and
the desk simply retries). The unique index (centre, type, year, series, seq) makes a
repeat impossible on either store. On the counter the number is always max + 1, so the
series has no gap; the only way the central store can see a gap is an action it refused
(e.g. another clerk settled the case first) after its paper was printed offline, and that
paper's number goes into the register of voided numbers (``VoidedNumber``, written by the
central store as it refuses, clerk.central.voided) — accounted for, and never reused: the
next number is above those too, even after the refusal's resync dropped the paper's row.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from clerk.mutation import MutationRefused
from clerk.papers.kinds import kind as paper_kind
from clerk.queue.numbering import OFFLINE_BANDS
from clerk.store.engine import Store
from clerk.store.operations import Notice, VoidedNumber
from clerk.store.reference import Centre, Department
from clerk.sync import meta

SERIES = (0, *OFFLINE_BANDS)


def issuer_code(centre: Centre, department: Department | None, kind: str) -> str:
    """What opens a paper's number: above a township a decision is the department's
    (``示范县市监不许〔2026〕3号``, its doc_code), everything else the centre's; the sequence
    is the centre's either way, so no two papers of a kind share a number."""
    if paper_kind(kind).decision and department is not None and department.doc_code and centre.level != "township":
        return department.doc_code
    return office_code(centre)


def office_code(centre: Centre) -> str:
    """The centre's short code in document numbers (``示范县政服``): reference data when
    given (``doc_code``), else made from the name the way such codes are made."""
    code = getattr(centre, "doc_code", "") or ""
    if code:
        return code
    name = centre.name
    for long, short in (("政务服务中心", "政服"), ("便民服务中心", "便服"), ("便民服务站", "便站")):
        if name.endswith(long):
            return name.removesuffix(long) + short
    return name


def format_doc_no(office: str, type_code: str, year: int, series: int, seq: int) -> str:
    return f"{office}{type_code}〔{year}〕{series}-{seq}号"


def store_series(store: Store) -> int:
    """This installation's series: its enrolment band, 0 when never enrolled."""
    with store.session() as session:
        band, enrolled = meta.get(session, meta.BAND), meta.get(session, meta.DEVICE_ID)
    if not band:
        if enrolled:
            raise MutationRefused("本机没有文书编号段，不能出具通知书，请联系管理员", "enrolled without a band")
        return 0
    return int(band)


def last_seq(session: Session, centre_code: str, type_code: str, year: int, series: int) -> int:
    """The highest number spent in the series: on a stored paper, or on a paper whose action
    was refused after it was printed (作废登记, kept when a resync drops the paper's row)."""
    spent = [
        session.execute(select(func.max(table.seq)).where(
            table.centre_code == centre_code, table.type_code == type_code, table.year == year,
            table.series == series)).scalar_one() or 0
        for table in (Notice, VoidedNumber)
    ]
    return max(spent)


def next_seq(session: Session, centre_code: str, kind_code: str, year: int, series: int) -> int:
    return last_seq(session, centre_code, paper_kind(kind_code).type_code, year, series) + 1


def check_seq(session: Session, centre_code: str, type_code: str, year: int, series: int, seq: int) -> None:
    """Refuse a sequence that is not above every one already in its series."""
    if series not in SERIES:
        raise MutationRefused("文书编号段不正确", f"series {series}")
    last = last_seq(session, centre_code, type_code, year, series)
    if seq <= last:
        raise MutationRefused(
            "文书编号已被占用（可能有另一操作同时出具了文书），请重试",
            f"seq {seq} not above {last} in {centre_code}/{type_code}/{year}/{series}",
        )

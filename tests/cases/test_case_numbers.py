"""Document numbers: two counters of one centre, cut off from each other and from the central
store, each print N papers of every kind; replayed on the central store (through the same
handlers, in any interleaving) no number is there twice and none is skipped.

CI runs 5 of each kind (the numbering logic is the same at any count); the issue's full proof
is ``CLERK_TEST_PAPERS_PER_KIND=50 ./test tests/cases/test_case_numbers.py``."""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from datetime import date

import pytest
from case_helpers import checked, open_case, without_fsync
from sqlmodel import col, select

from clerk import mutation
from clerk.cases.desk import CaseDesk
from clerk.clock import FrozenClock
from clerk.mutation import MutationContext, MutationRefused
from clerk.outbox import Workbench
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.operations import Case, Notice
from clerk.sync import meta

PER_KIND = int(os.environ.get("CLERK_TEST_PAPERS_PER_KIND", "5"))


class Counter:
    def __init__(self, template: str, path, band: int | None, clock: FrozenClock) -> None:
        shutil.copy(template, path)
        self.store = Store.sqlite(path)
        without_fsync(self.store)  # numbering, not durability, is under test
        if band is not None:
            with self.store.write() as s:
                meta.put(s, meta.BAND, str(band))
                meta.put(s, meta.DEVICE_ID, f"device-{band}")
        self.bench = Workbench(self.store, clock)
        self.desk = CaseDesk(self.bench, self.store, clock, "tc", None)

    def outbox(self) -> list[Outbox]:
        with self.store.session() as s:
            return list(s.exec(select(Outbox).order_by(col(Outbox.mutation_id))).all())

    def doc_nos(self) -> list[str]:
        with self.store.session() as s:
            return list(s.exec(select(Notice.doc_no)).all())


def _replay(central: Store, rows: list[Outbox]) -> list[str]:
    """Apply pushed rows on the central store with the handlers it runs; the refusals' reasons."""
    refused = []
    for row in rows:
        ctx = MutationContext(row.client_id, row.mutation_id, row.hlc, row.created_at, row.actor_id)
        try:
            with central.write() as s:
                mutation.run(s, row.name, json.loads(row.args), ctx)
        except MutationRefused as exc:
            refused.append(exc.message)
    return refused


def _interleave(a: list, b: list) -> list:
    out = []
    for i in range(max(len(a), len(b))):
        out += a[i:i + 1] + b[i:i + 1]
    return out


def _every_kind(desk: CaseDesk, clock: FrozenClock, staff: str, n: int) -> None:
    """n papers of each kind this issue prints, through the real outcomes."""
    def go(case, action, **kw):
        return desk.decide(staff, case.id, case.version, action, print_papers=False, **kw).case

    for _ in range(n):
        go(checked(desk), "accept", receipt=True)                                   # 受 收
        go(checked(desk, "T-COM", s3="missing"), "accept_committed", deadline=date(2026, 3, 6))  # 诺 受
        go(open_case(desk), "refer", referred_to="市不动产登记中心")                 # 指
        sup = go(checked(desk, s3="missing"), "notify_supplement", deadline=date(2026, 3, 3))  # 补
        dfr = go(checked(desk, s3="missing"), "accept_deferred", deadline=date(2026, 3, 3))    # 容诺 容
        clock.advance(days=2)
        go(sup, "withdraw")                                                           # 撤
        go(dfr, "deny_deferred")                                                      # 不批
        clock.advance(days=-2)


@pytest.fixture
def counters(case_template, tmp_path, clock):
    made = [Counter(case_template, tmp_path / f"counter{b}.sqlite3", b, clock) for b in (1, 2)]
    central = Counter(case_template, tmp_path / "central.sqlite3", None, clock)
    yield made, central.store
    for c in (*made, central):
        c.store.dispose()


def test_two_partitioned_counters_never_repeat_and_never_skip(counters, clock):
    (a, b), central = counters
    for counter, staff in ((a, "c1"), (b, "c2")):
        _every_kind(counter.desk, clock, staff, PER_KIND)
    assert _replay(central, _interleave(a.outbox(), b.outbox())) == []
    with central.session() as s:
        rows = s.exec(select(Notice.type_code, Notice.series, Notice.seq, Notice.doc_no)).all()
    by = defaultdict(list)
    for type_code, series, seq, _ in rows:
        by[(type_code, series)].append(seq)
    kinds = {"受": 2, "收": 1, "诺": 1, "指": 1, "补": 1, "撤": 1, "容诺": 1, "容": 1, "不批": 1}
    for type_code, per_case in kinds.items():
        for series in (1, 2):
            assert sorted(by[(type_code, series)]) == list(range(1, PER_KIND * per_case + 1)), (type_code, series)
    doc_nos = [r[3] for r in rows]
    assert len(doc_nos) == len(set(doc_nos)) == sum(kinds.values()) * PER_KIND * 2
    assert set(doc_nos) == set(a.doc_nos()) | set(b.doc_nos())  # the central store has what was printed
    assert "测试县政服受〔2026〕1-1号" in doc_nos and "测试县政服受〔2026〕2-1号" in doc_nos


def test_two_clerks_on_one_case_from_two_counters_the_central_store_keeps_the_first(counters):
    (a, b), central = counters
    case = checked(a.desk)
    _replay(central, a.outbox())
    _replay(b.store, a.outbox())  # counter b pulled the case before the link went down
    a.desk.decide("c1", case.id, case.version, "accept", print_papers=False)
    b.desk.decide("c2", case.id, case.version, "accept", print_papers=False)  # offline, printed too
    pushed = len(a.outbox())
    assert _replay(central, a.outbox()[pushed - 1:]) == []
    refused = _replay(central, b.outbox()[-1:])
    assert refused == ["该办件已被其他工作人员更新（可能在另一窗口），请刷新后再办理"]
    # b's printed number stays in its refused action; b's next paper never takes it again.
    later = checked(b.desk)
    out = b.desk.decide("c2", later.id, later.version, "accept", print_papers=False)
    assert out.notices[0].doc_no == "测试县政服受〔2026〕2-2号"


def test_a_sequence_not_above_the_series_is_refused_and_nothing_is_stored(counters):
    (a, _), _ = counters
    case = checked(a.desk)
    a.desk.decide("c1", case.id, case.version, "accept", print_papers=False)
    [row] = [r for r in a.outbox() if r.name == "case.accept"]
    other = checked(a.desk)
    args = json.loads(row.args) | {"case_id": other.id, "version": other.version}
    with pytest.raises(MutationRefused) as refused:
        a.bench.apply("case.accept", args, "c1")
    assert refused.value.message.startswith("文书编号已被占用")
    assert a.desk.case(other.id).state == "received" and len(a.doc_nos()) == 1


def test_an_enrolled_counter_without_a_band_prints_no_notice(case_template, tmp_path, clock):
    c = Counter(case_template, tmp_path / "c.sqlite3", None, clock)
    with c.store.write() as s:
        meta.put(s, meta.DEVICE_ID, "device-x")
    case = checked(c.desk)
    with pytest.raises(MutationRefused) as refused:
        c.desk.decide("c1", case.id, case.version, "accept", print_papers=False)
    assert refused.value.message.startswith("本机没有文书编号段")
    assert c.desk.case(case.id).state == "received"
    c.store.dispose()


def test_the_central_store_on_postgresql_replays_both_counters_to_the_same_numbers(counters, clock,
                                                                                  pg_database_url):
    (a, b), _ = counters
    from case_centre import install

    from clerk.store.migrate import upgrade

    central = Store.url(pg_database_url)
    try:
        upgrade(central)
        install(central)
        for counter, staff in ((a, "c1"), (b, "c2")):
            _every_kind(counter.desk, clock, staff, 2)
        assert _replay(central, _interleave(a.outbox(), b.outbox())) == []
        with central.session() as s:
            doc_nos = set(s.exec(select(Notice.doc_no)).all())
            states_ = sorted(s.exec(select(Case.status)).all())
        assert doc_nos == set(a.doc_nos()) | set(b.doc_nos()) and len(doc_nos) == 10 * 2 * 2
        with a.store.session() as s1, b.store.session() as s2:
            assert states_ == sorted([*s1.exec(select(Case.status)).all(), *s2.exec(select(Case.status)).all()])
    finally:
        central.dispose()


def test_a_forged_huge_number_is_refused_and_does_not_move_the_series(counters):
    """A pushed paper numbered 2**31 (a forged or corrupt push): refused as bad arguments on
    the central store — on PostgreSQL it was a server error that blocked the counter's pushes
    for ever, on SQLite it was stored and the series jumped past it."""
    (a, _), central = counters
    case = checked(a.desk)
    a.desk.decide("c1", case.id, case.version, "accept", print_papers=False)
    rows = a.outbox()
    assert _replay(central, rows[:-1]) == []
    forged = json.loads(rows[-1].args)
    paper = forged["notices"][0]
    paper["seq"] = 2**31
    paper["paper"]["doc_no"] = paper["paper"]["doc_no"].replace("-1号", f"-{2**31}号")
    rows[-1].args = json.dumps(forged, ensure_ascii=False)
    assert _replay(central, rows[-1:]) == ["操作 case.accept 的参数不正确"]
    with central.session() as s:
        assert s.exec(select(Notice)).all() == []

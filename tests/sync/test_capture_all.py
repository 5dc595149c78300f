"""Every write a handler makes reaches the change log: one counter works through each
workflow (queue, staff, papers, cases and their back office, sign-offs, shift notes, ledgers), a second counter of the same centre pulls,
and every synced table ends equal on both. A write the central store made but did not log
(an ORM bulk UPDATE, a Core DELETE) would leave the second counter with a stale row."""

from __future__ import annotations

from datetime import date, time

from harness import enrolled_counter, password_of
from sqlalchemy import select

from clerk import mutation
from clerk.backoffice.service import BackOfficeDesk
from clerk.cases.desk import CaseDesk
from clerk.central import reference
from clerk.central.changes import ChangeRecorder
from clerk.clock import local_time
from clerk.ids import new_id
from clerk.shifts.service import Shift, ShiftDesk
from clerk.signoff.service import SignOffDesk
from clerk.store.reference import ItemMaterial, ServiceItem, Staff, WindowLine
from clerk.store.signoff_tables import Authorisation
from clerk.sync import meta
from clerk.sync.rows import synced_tables

PERSON = {"kind": "person", "name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}


def _publish_item(central) -> None:
    def write(session):
        session.add(ServiceItem(code="I-1", name="测试事项", kind="行政许可", case_type="承诺件", department_code="d1",
                                legal_limit_days=20, promised_limit_days=5, basis="《测试条例》第三条",
                                conditions="具备经营场所"))
        session.flush()
        for seq, name in enumerate(("申请表", "居民身份证"), 1):
            session.add(ItemMaterial(id=f"I-1:{seq}", item_code="I-1", seq=seq, name=name, form="原件", copies=1,
                                     required=True, source="申请人自备", standard=f"{name}须真实有效"))

    reference.publish(central, write)


def _tables(store, skip=("staff_session",)) -> dict[str, set]:
    out = {}
    with store.session() as s:
        for table in synced_tables():
            if table.name not in skip:
                out[table.name] = {repr(tuple(r)) for r in s.execute(select(table))}
    return out


def _queue(a) -> str:
    with a.store.session() as s:
        band = int(meta.get(s, meta.BAND) or 0)
    ids = [new_id() for _ in range(4)]
    for tid in ids:
        a.bench.apply("ticket.issue", {"id": tid, "line_id": "c1:A", "band": band, "rate_code": "4719"})
    w, c = "c1:1", "clerk1"
    a.bench.apply("seat.take", {"id": new_id(), "staff_id": c, "window_id": w}, actor_id=c)
    for name in ("ticket.call", "ticket.start", "ticket.finish"):
        a.bench.apply(name, {"ticket_id": ids[0], "window_id": w}, actor_id=c)
    a.bench.apply("ticket.call", {"ticket_id": ids[1], "window_id": w}, actor_id=c)
    a.bench.apply("ticket.no_show", {"ticket_id": ids[1], "window_id": w}, actor_id=c)
    a.bench.apply("window.pause", {"window_id": w, "reason": "暂离"}, actor_id=c)
    a.bench.apply("window.resume", {"window_id": w}, actor_id=c)
    a.bench.apply("window.assign_lines", {"window_id": "c1:3", "line_ids": []}, actor_id="sup1")
    a.bench.apply("rating.give", {"id": new_id(), "ticket_id": ids[0], "grade": 5}, actor_id=c)
    # The supervisor's floor: a ticket left at the window finished, then the window freed.
    a.bench.apply("ticket.call", {"ticket_id": ids[2], "window_id": w}, actor_id=c)
    a.bench.apply("floor.finish_ticket", {"ticket_id": ids[2], "reason": "窗口人员离开"}, actor_id="sup1")
    a.bench.apply("floor.free_window", {"window_id": w, "reason": "窗口人员离开"}, actor_id="sup1")
    # The kiosk: a wrong 评价码 counted on the ticket, then the visitor's own rating with the right one.
    a.bench.apply("rating.code_miss", {"ticket_id": ids[2]})
    a.bench.apply("rating.give", {"id": new_id(), "ticket_id": ids[2], "grade": 4, "source": "kiosk",
                                  "rate_code": "4719"})
    return ids[0]


def _cases(a) -> None:
    desk = CaseDesk(a.bench, a.store, a.clock, "c1", None)
    case = desk.open_case("clerk1", "I-1", PERSON, window_id="c1:1")
    for m in case.materials:
        case = desk.mark("clerk1", case.id, case.version, m.material_id, "received", received_form="original", copies=1)
    # The rest of its way: accepted, 一审一核 in the back office, extended, handed out.
    case = desk.decide("clerk1", case.id, case.version, "accept", print_papers=False).case
    back = BackOfficeDesk(desk)
    for sid in ("rev1", "rev2"):
        a.sign_in(sid)
    back.review("rev1", case.id, case.version, "grant", "符合法定条件")
    back.suspend("rev2", case.id, desk.case(case.id).version, "专家评审", 5, print_papers=False)
    back.resume("rev2", case.id, desk.case(case.id).version)
    back.check("rev2", case.id, desk.case(case.id).version, "同意")
    back.deliver("clerk1", case.id, desk.case(case.id).version, "electronic", e_address="zhang@example.cn")


def _publish_authorisation(central) -> None:
    """chief1 becomes d1's chief representative, authorised for I-1 (先批后报 below)."""
    def write(session):
        session.get(Staff, "chief1").department_code = "d1"
        session.add(Authorisation(id="chief1:2026", chief_id="chief1", department_code="d1", final_items=["I-1"],
                                  review_items=[], valid_from=date(2026, 1, 1), expires=date(2026, 12, 31)))

    reference.publish(central, write)


def _signoff(a) -> None:
    """An urgent case approved first by the chief with their key, then reported (先批后报)."""
    desk = CaseDesk(a.bench, a.store, a.clock, "c1", None)
    case = desk.open_case("clerk1", "I-1", PERSON, window_id="c1:1")
    for m in case.materials:
        case = desk.mark("clerk1", case.id, case.version, m.material_id, "received", received_form="original", copies=1)
    case = desk.decide("clerk1", case.id, case.version, "accept", print_papers=False).case
    BackOfficeDesk(desk).request_urgent("clerk1", case.id, case.version, "申请人次日须参加招标")
    a.sign_in("chief1")
    chief = SignOffDesk(a.bench, a.store, a.clock, "c1", None)
    [line] = chief.queue("chief1").lines
    chief.decide("chief1", password_of("chief1"), line.id, "approved", "情况紧急，同意先行批准")
    chief.report("chief1", line.id, "因申请人次日须参加招标，依授权先行批准，特此报告")


def _return(a) -> None:
    """退回补正: the reviewer asks, the chief approves (its notice and the owed material), the
    window takes the material in and the clock restarts."""
    desk = CaseDesk(a.bench, a.store, a.clock, "c1", None)
    case = desk.open_case("clerk1", "I-1", PERSON, window_id="c1:1")
    for m in case.materials:
        case = desk.mark("clerk1", case.id, case.version, m.material_id, "received", received_form="original", copies=1)
    case = desk.decide("clerk1", case.id, case.version, "accept", print_papers=False).case
    material = case.materials[1].material_id
    BackOfficeDesk(desk).request_return("rev1", case.id, case.version, "身份证复印件不清晰",
                                        [(material, "复印件不清晰，请出示原件")], 5)
    chief = SignOffDesk(a.bench, a.store, a.clock, "c1", None)
    [line] = [ln for ln in chief.queue("chief1").lines if ln.case_id == case.id]
    chief.decide("chief1", password_of("chief1"), line.id, "approved", "同意退回补正")
    case = desk.mark("clerk1", case.id, desk.case(case.id).version, material, "received", received_form="original",
                     copies=1)
    desk.decide("clerk1", case.id, case.version, "settle_owed", print_papers=False)


def _shift(a) -> None:
    """The supervisor's note on the day's shift, signed over the shift's figures."""
    a.sign_in("sup1")
    shifts = ShiftDesk(a.bench, a.store, a.clock, "c1", (time(8, 30), time(17, 30)))
    shifts.sign("sup1", password_of("sup1"), Shift(local_time(a.clock.now()).date()), "上午窗口运行正常")


def _ledgers(a) -> None:
    entry = new_id()
    a.bench.apply("complaint.register", {"id": entry, "person": "周先生", "description": "多次往返未办成",
                                         "class_code": "policy"}, "clerk1")
    a.bench.apply("ledger.resolve", {"entry_id": entry, "result": "当场解释政策"}, "clerk1")


def test_every_workflows_writes_reach_the_other_counter(central, api, template, tmp_path):
    _publish_item(central)
    _publish_authorisation(central)
    a = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    b = enrolled_counter(tmp_path, "w2", central, template, api, "http://central")
    a.sign_in("sup1")
    a.agent.sync_once()
    b.agent.sync_once()
    _queue(a)
    _cases(a)
    _signoff(a)
    _return(a)
    _shift(a)
    _ledgers(a)
    a.note()
    a.agent.sync_once()
    assert a.pending() == 0
    b.agent.sync_once()
    a.agent.sync_once()
    with b.store.session() as s:
        assert s.get(WindowLine, ("c1:3", "c1:A")) is None  # a Core DELETE on the central store reached it
    mine, theirs = _tables(a.store), _tables(b.store)
    for name in mine:
        assert mine[name] == theirs[name], f"table {name} differs between the two counters"
    assert theirs["case"] and theirs["case_material"] and theirs["ledger_entry"] and theirs["rating"]
    assert any("'k1'" not in r and "先行批准" in r for r in theirs["sign_off"]), "the sign-off did not cross"
    assert any("特此报告" in r for r in theirs["sign_off"]), "the 先批后报 report did not cross"
    assert any("同意退回补正" in r for r in theirs["sign_off"]), "the 退回补正 decision did not cross"
    assert any("'return_supplement'" in r for r in theirs["notice"]), "the 退回补正通知书 did not cross"
    assert any("上午窗口运行正常" in r for r in theirs["shift_note"]), "the signed shift note did not cross"
    assert any("'finished'" in r for r in theirs["case"]), "the back office's moves did not reach the other counter"
    assert any("'4719', 1" in r for r in theirs["ticket"]), "the 评价码 and its wrong try did not reach the other counter"


def test_core_statements_on_synced_tables_are_recorded(central):
    """UPDATE, DELETE and INSERT statements through the session land in the recorder."""
    from sqlalchemy import delete, insert, update

    with central.write() as s:
        recorder = ChangeRecorder(s)
        s.execute(update(ServiceItem).where(ServiceItem.code == "none").values(name="x"))  # touches nothing
        s.execute(delete(WindowLine).where(WindowLine.window_id == "c1:2"))
        s.execute(insert(ServiceItem.__table__), [{"code": "I-9", "name": "新事项", "kind": "行政许可",
                                                  "case_type": "即办件", "department_code": "d1",
                                                  "legal_limit_days": 1, "promised_limit_days": 1}])
        s.execute(update(ServiceItem.__table__).where(ServiceItem.code == "I-9").values(name="改名"))
        recorder.close()
    got = [(t, k, None if r is None else r.get("name")) for t, k, r in recorder.entries]
    assert got == [("window_line", ["c1:2", "c1:A"], None), ("service_item", ["I-9"], "新事项"),
                   ("service_item", ["I-9"], "改名")]


def test_every_workflow_is_exercised():
    """The replay above covers each workflow's package (a new one must join it)."""
    from clerk import workflows

    workflows.install()
    modules = {mut.handler.__module__.split(".")[1] for mut in mutation.REGISTRY.values()
               if mut.handler.__module__.startswith("clerk.")}
    assert modules <= {"queue", "staff", "papers", "cases", "backoffice", "signoff", "shifts", "ledgers", "floor",
                       "audit", "mutation"}, modules

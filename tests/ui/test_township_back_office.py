"""县事乡办 through a real `clerk serve`: a township counter, offline, takes in a county
item; back online, the case reaches the county department's back office, is reviewed and
checked there by two people, and its result comes back to the township's 出件 window,
where it is handed out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clerk.backoffice.service import BackOfficeDesk
from clerk.cases import states
from clerk.cases.desk import CaseDesk
from clerk.central.devices import make_enrol_code
from clerk.clock import SystemClock
from clerk.outbox import Workbench
from clerk.staff.auth import sign_in
from clerk.staff.sessions import open_session
from clerk.store.engine import Store
from clerk.store.operations import Case
from clerk.sync.agent import AgentSettings, SyncAgent
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol

PERSON = {"kind": "person", "name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}
ITEM = "SCJG-XK-002"  # 食品经营许可, decided by the county's 市场监管 back office


class Counter:
    """One counter PC of ``centre``: its own SQLite file, desks and sync agent."""

    def __init__(self, root: Path, template: Path, central: Store, url: str, centre: str) -> None:
        shutil.copy(template, root / f"{centre}.sqlite3")
        self.store = Store.sqlite(root / f"{centre}.sqlite3")
        self.clock = SystemClock()
        self.client = CentralClient(url)
        enrol(self.store, self.client, make_enrol_code(central, self.clock, centre), centre)
        self.bench = Workbench(self.store, self.clock)
        self.agent = SyncAgent(self.store, self.clock, self.client, AgentSettings(listen_s=0))
        self.cases = CaseDesk(self.bench, self.store, self.clock, centre, None)
        self.back = BackOfficeDesk(self.cases)

    def sign_in(self, *staff_ids: str) -> None:
        for staff_id in staff_ids:
            open_session(self.bench, sign_in(self.store, self.clock, staff_id, "demo1234", 5, 15))

    def sync(self) -> None:
        self.agent.sync_once()
        self.agent.sync_once()  # the pull after the push

    def close(self) -> None:
        self.client.close()
        self.store.dispose()


@pytest.fixture
def hall(tmp_path, template_db, central):
    store, url = central
    counters = [Counter(tmp_path, template_db, store, url, c) for c in ("demo-township", "demo-county")]
    yield counters
    for c in counters:
        c.close()


def _status(counter: Counter, case_id: str) -> str | None:
    with counter.store.session() as s:
        case = s.get(Case, case_id)
        return case.status if case else None


def test_taken_in_at_the_township_decided_at_the_county_handed_out_at_the_township(hall, central):
    town, county = hall
    town.sign_in("town01")
    county.sign_in("review_scjg1", "review_scjg2")
    town.sync(), county.sync()

    # The township line is down for the intake: the case is accepted on the counter alone.
    case = town.cases.open_case("town01", ITEM, PERSON)
    for m in case.materials:
        state = {"state": "received", "received_form": "original", "copies": 1} if m.required else {"state": "missing"}
        case = town.cases.mark("town01", case.id, case.version, m.material_id, **state)
    town.cases.decide("town01", case.id, case.version, "accept", print_papers=False)
    county.sync()
    assert county.back.queue("review_scjg1").lines == ()  # nothing crossed yet

    town.sync()  # the line is back
    county.sync()
    queue = county.back.queue("review_scjg1").lines
    assert [ln.case_id for ln in queue] == [case.id]
    assert "示范镇便民服务中心受理" in queue[0].item_name  # the reviewer sees where it was taken in

    version = county.cases.case(case.id).version
    county.back.review("review_scjg1", case.id, version, "grant", "材料齐全，经营场所符合要求")
    county.back.check("review_scjg2", case.id, county.cases.case(case.id).version, "同意", print_papers=False)
    county.sync()
    assert county.back.ready() == []  # the result goes back to the township's 出件, not the county's

    town.sync()
    ready = town.back.ready()
    assert [ln.case_id for ln in ready] == [case.id] and _status(town, case.id) == states.READY
    town.back.deliver("town01", case.id, ready[0].version, "window", notice_checked=True, id_checked=True)
    town.sync()
    county.sync()
    assert _status(county, case.id) == _status(town, case.id) == states.FINISHED
    with central[0].session() as s:
        done = s.get(Case, case.id)
        assert (done.centre_code, done.back_office_centre) == ("demo-township", "demo-county")
        assert (done.reviewed_by, done.decided_by, done.delivered_by) == ("review_scjg1", "review_scjg2", "town01")


def test_a_county_window_clerk_cannot_act_on_a_township_case_before_its_acceptance(hall):
    town, county = hall
    town.sign_in("town01")
    county.sign_in("clerk01")
    case = town.cases.open_case("town01", ITEM, PERSON)
    town.sync()
    county.sync()
    from clerk.mutation import MutationRefused

    with pytest.raises(MutationRefused) as refused:
        county.cases.mark("clerk01", case.id, county.cases.case(case.id).version,
                          case.materials[0].material_id, state="missing")
    assert refused.value.message == "这不是本中心的办件，不能办理"



def test_a_township_instant_case_is_signed_by_the_county_chief_and_handed_out_at_the_township(hall, central):
    """即办件 of a county item taken in at the township: the county department's chief signs it
    (their queue lists township cases their back office decides), the result is ready at the
    township window that took it in."""
    from clerk.signoff.service import SignOffDesk

    town, county = hall
    town.sign_in("town01")
    county.sign_in("chief_scjg")
    town.sync(), county.sync()
    chief = SignOffDesk(county.bench, county.store, county.clock, "demo-county", None)

    case = town.cases.open_case("town01", "SCJG-XK-001", PERSON)  # 个体工商户设立登记, 即办件
    for m in case.materials:
        case = town.cases.mark("town01", case.id, case.version, m.material_id, state="received",
                               received_form="original", copies=1)
    case = town.cases.decide("town01", case.id, case.version, "accept", print_papers=False).case
    town.back.request_instant("town01", case.id, case.version, "申请人在窗口等候")
    town.sync()
    county.sync()
    [line] = chief.queue("chief_scjg").lines
    assert (line.case_id, line.kind_label) == (case.id, "即办件审批")
    chief.decide("chief_scjg", "demo1234", line.id, "approved", "同意即办")
    county.sync()
    town.sync()
    ready = town.back.ready()
    assert [ln.case_id for ln in ready] == [case.id]
    town.back.deliver("town01", case.id, ready[0].version, "window", notice_checked=True, id_checked=True)
    town.sync()
    with central[0].session() as s:
        done = s.get(Case, case.id)
        assert (done.status, done.decided_by, done.delivered_by) == (states.FINISHED, "chief_scjg", "town01")


def test_a_township_refusal_request_is_decided_and_numbered_by_the_county(hall, central):
    """不予受理 of a county item at the township: the county department's chief decides it
    (the case is known to be the county's from the start), and the notice is numbered in the
    county chief's counter's series, never in a township series a township counter writes."""
    from clerk.papers.content import Paper
    from clerk.signoff.service import SignOffDesk
    from clerk.store.operations import Notice
    from clerk.store.reference import Centre

    town, county = hall
    town.sign_in("town01")
    county.sign_in("chief_scjg")
    town.sync(), county.sync()
    chief = SignOffDesk(county.bench, county.store, county.clock, "demo-county", None)
    case = town.cases.open_case("town01", ITEM, PERSON)
    town.cases.decide("town01", case.id, case.version, "request_refusal", reason="经营场所位于禁止经营区域",
                      legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（三）项", print_papers=False)
    town.sync()
    county.sync()
    [line] = chief.queue("chief_scjg").lines
    decided = chief.decide("chief_scjg", "demo1234", line.id, "approved", "同意不予受理", print_papers=False)
    [(_id, _title, doc_no)] = decided.notices
    assert doc_no.startswith("示范县市监不受〔"), doc_no  # the county department's decision
    county.sync()
    town.sync()
    assert _status(town, case.id) == states.REFUSED
    with town.store.session() as s:
        notice = s.get(Notice, _id)
        assert (notice.doc_no, notice.centre_code) == (doc_no, "demo-county")
        county_centre = s.get(Centre, "demo-county")
    # Issued by the county that decided it: its name and seal on the paper, as in its number,
    # and the rights paragraph not naming a township government as the review organ.
    paper = Paper.model_validate_json(notice.body)
    assert paper.office.centre_name == county_centre.name
    assert paper.office.seal_line == "示范县市场监督管理局行政审批专用章"
    assert "示范镇" not in paper.body.rights.review_organ


def test_a_township_item_stays_with_the_township_back_office(hall, central):
    """宅基地审批 is the township's own item (its levels: township): accepted there, it is
    decided there (“县乡两级后台分类办理”), not sent to the county."""
    town, county = hall
    town.sign_in("town01")
    town.sync()
    case = town.cases.open_case("town01", "XZF-XK-001", PERSON)
    for m in case.materials:
        case = town.cases.mark("town01", case.id, case.version, m.material_id, state="received",
                               received_form="original", copies=1)
    town.cases.decide("town01", case.id, case.version, "accept", print_papers=False)
    town.sync()
    with central[0].session() as s:
        assert s.get(Case, case.id).back_office_centre == "demo-township"

"""A case opened at an enrolled counter and synced, for the tests of its public page."""

from __future__ import annotations

from sqlmodel import select

from clerk.cases.desk import CaseDesk, CaseView
from clerk.store.operations import Case
from clerk.store.reference import ItemMaterial, ServiceItem

NAME, ID, PHONE = "郑秀英", "11010519491231002X", "13912345678"


def add_item(store) -> None:
    """An item of centre c1's department, on the central store and the counter alike."""
    with store.write() as s:
        s.add(ServiceItem(code="T-PUB", name="食品经营许可（新办）", kind="行政许可", case_type="承诺件",
                          department_code="d1", legal_limit_days=20, promised_limit_days=5,
                          basis="《食品经营许可和备案管理办法》", conditions="有经营场所"))
        s.flush()
        s.add(ItemMaterial(id="T-PUB:1", item_code="T-PUB", seq=1, name="申请书", form="原件", copies=1,
                           required=True, deferrable=False, source="申请人自备", standard="签字"))


def synced_case(counter, central, base_url: str, accept: bool = True) -> tuple[CaseView, str]:
    """clerk1 opens a case of T-PUB (and accepts it) at ``counter``; it is synced. The case and its token."""
    with counter.store.session() as s:
        pulled = s.get(ServiceItem, "T-PUB") is not None
    if not pulled:  # the harness's pull does not bring items written straight to the central file
        add_item(counter.store)
    desk = CaseDesk(counter.bench, counter.store, counter.clock, "c1", None, public_base=base_url)
    case = desk.open_case("clerk1", "T-PUB", {"kind": "person", "name": NAME, "id_number": ID, "phone": PHONE})
    if accept:
        case = desk.mark("clerk1", case.id, case.version, "T-PUB:1", "received", received_form="original", copies=1)
        case = desk.decide("clerk1", case.id, case.version, "accept", print_papers=False).case
    counter.agent.sync_once()
    with central.session() as s:
        token = s.exec(select(Case.public_token).where(Case.id == case.id)).one()
    return case, token


def personal_data(case: CaseView) -> tuple[str, ...]:
    """What no public page may hold: who applied, and the ids that lead to them."""
    return (NAME, NAME[0], ID, ID[-4:], ID[:6], PHONE, PHONE[-4:], case.acceptance_no or NAME, case.id)

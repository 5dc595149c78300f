"""退回补正 of a county item taken in at a township (县事乡办), through a real `clerk serve`:
the county reviewer asks, the county chief approves, the township window takes the material
in and settles; the 退回补正通知书 reaches a printer the applicant can be handed it from."""

from __future__ import annotations

from sqlmodel import select
from test_township_back_office import ITEM, PERSON, _status, hall  # noqa: F401

from clerk.cases import states
from clerk.store.operations import Case, Notice


def test_a_township_case_is_returned_by_the_county_and_settled_at_the_township(hall, central):  # noqa: F811
    from clerk.signoff.service import SignOffDesk

    town, county = hall
    town.sign_in("town01")
    county.sign_in("review_scjg1", "chief_scjg")
    town.sync(), county.sync()
    chief = SignOffDesk(county.bench, county.store, county.clock, "demo-county", None)
    case = town.cases.open_case("town01", ITEM, PERSON)
    for m in case.materials:
        state = {"state": "received", "received_form": "original", "copies": 1} if m.required else {"state": "missing"}
        case = town.cases.mark("town01", case.id, case.version, m.material_id, **state)
    town.cases.decide("town01", case.id, case.version, "accept", print_papers=False)
    town.sync(), county.sync()
    owed = case.materials[0].material_id
    county.back.request_return("review_scjg1", case.id, county.cases.case(case.id).version,
                               "经营场所证明与申请书地址不一致", [(owed, "请提交与申请书一致的场所证明")], 5)
    [line] = chief.queue("chief_scjg").lines
    chief.decide("chief_scjg", "demo1234", line.id, "approved", "同意退回补正", print_papers=False)
    county.sync(), town.sync()
    assert _status(town, case.id) == states.RETURNED
    town_desk = SignOffDesk(town.bench, town.store, town.clock, "demo-township", None)
    # The applicant comes to the township window: the paper is there, printed for the clerk who serves them.
    with town.store.session() as s:
        notice = s.exec(select(Notice).where(Notice.case_id == case.id, Notice.kind == "return_supplement")).one()
    assert town_desk.print_arrived("town01"), "the 退回补正通知书 printed nowhere at the township"
    county_desk = SignOffDesk(county.bench, county.store, county.clock, "demo-county", None)
    assert county_desk.print_arrived("review_scjg1") == ()  # not in the county back office

    view = town.cases.case(case.id)
    view = town.cases.mark("town01", case.id, view.version, owed, state="received", received_form="original",
                           copies=1)
    town.cases.decide("town01", case.id, view.version, "settle_owed", print_papers=False)
    town.sync(), county.sync()
    assert _status(town, case.id) == _status(county, case.id) == states.ACCEPTED
    with central[0].session() as s:
        assert s.get(Case, case.id).status == states.ACCEPTED
    assert notice.centre_code == "demo-county"

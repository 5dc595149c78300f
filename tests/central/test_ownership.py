"""The central store checks centre, number band and ownership of every pushed mutation:
a forged push is refused, recorded as a visible refusal, and poisons nobody's pull."""

from __future__ import annotations

from harness import enrolled_counter
from queue_helpers import enrol_device, issue, push
from sqlalchemy import select

from clerk.ids import new_id
from clerk.store.central_tables import RefusedMutation
from clerk.store.operations import Ticket


def _refusals(central) -> dict[str, str]:
    with central.session() as s:
        return {r.name + ":" + str(r.mutation_id): r.reason for r in s.execute(select(RefusedMutation)).scalars()}


def _ticket(central, tid):
    with central.session() as s:
        return s.get(Ticket, tid)


def test_forged_pushes_are_refused_and_visible_and_pulls_still_land(central, api, template, tmp_path):
    near, far = enrolled_counter(tmp_path, "w1", central, template, api, "http://central"), None
    far = enrolled_counter(tmp_path, "f1", central, template, api, "http://central", centre="c2")
    forger = enrol_device(api, central, "forger")  # a c1 device
    other = enrol_device(api, central, "other")
    assert forger.band != other.band

    foreign_line = new_id()
    body = push(api, forger, "ticket.issue", {"id": foreign_line, "line_id": "c2:A", "band": forger.band}, "clerk1")
    assert [c["name"] for c in body["conflicts"]] == ["ticket.issue"] and "其他中心" in body["conflicts"][0]["reason"]
    stolen_band = new_id()
    body = push(api, forger, "ticket.issue", {"id": stolen_band, "line_id": "c1:A", "band": other.band}, "clerk1")
    assert "号段" in body["conflicts"][0]["reason"]
    central_band = new_id()
    body = push(api, forger, "ticket.issue", {"id": central_band, "line_id": "c1:A", "band": 0}, "clerk1")
    assert "号段" in body["conflicts"][0]["reason"]
    far_ticket = issue(api, enrol_device(api, central, "far-kiosk", centre="c2"), line="c2:A")["ticket"]["id"]
    body = push(api, forger, "ticket.call", {"ticket_id": far_ticket, "window_id": "c2:1"}, "clerk1")
    assert body["conflicts"] and "其他中心" in body["conflicts"][0]["reason"]
    honest = new_id()
    body = push(api, forger, "ticket.issue", {"id": honest, "line_id": "c1:A", "band": forger.band}, "clerk1")
    assert body["conflicts"] == []

    for tid in (foreign_line, stolen_band, central_band):
        assert _ticket(central, tid) is None
    assert _ticket(central, far_ticket).status == "waiting"
    assert _ticket(central, honest).number == f"A{5 + forger.band}01"
    assert len(_refusals(central)) == 4  # every refusal is recorded, visible to the supervisor

    for counter in (near, far):  # nobody's pull is poisoned
        counter.agent.sync_once()
        with counter.store.session() as s:
            mine = {t.id for t in s.execute(select(Ticket)).scalars()}
        assert foreign_line not in mine and stolen_band not in mine
    with near.store.session() as s:
        assert s.get(Ticket, honest) is not None
    with far.store.session() as s:
        assert s.get(Ticket, far_ticket).status == "waiting" and s.get(Ticket, honest) is None


def test_rows_that_reach_their_centre_through_another_row_are_checked_too(central, api, template, tmp_path):
    """A ledger step names its centre only through its entry, a case material or notice
    through its case: another centre's entry or case is refused all the same."""
    from clerk.central.ownership import Owners
    from clerk.store.central_tables import Device as DeviceRow

    far = enrolled_counter(tmp_path, "f1", central, template, api, "http://central", centre="c2")
    entry_id = new_id()
    far.bench.apply("complaint.register", {"id": entry_id, "person": "周先生", "description": "多次往返未办成",
                                           "class_code": "policy"}, "far1")
    far.agent.sync_once()
    forger = enrol_device(api, central, "forger")
    with central.session() as s:
        device = s.execute(select(DeviceRow).where(DeviceRow.client_id == forger.client_id)).scalar_one()
        owners = Owners(s, device)
        step = ("ledger_step", [new_id()], {"id": new_id(), "entry_id": entry_id, "action": "log"})
        assert "台账记录" in owners.refusal([step])
        mine = ("ledger_entry", [new_id()], {"id": "e-mine", "centre_code": "c1"})
        own_step = ("ledger_step", [new_id()], {"id": new_id(), "entry_id": "e-mine", "action": "log"})
        assert owners.refusal([mine, own_step]) == ""  # an entry made in the same batch is known
        material = ("case_material", ["k", 1], {"case_id": "k-far", "material_id": "m"})
        case = ("case", ["k-far"], {"id": "k-far", "centre_code": "c2"})
        assert "其他中心" in owners.refusal([case, material])

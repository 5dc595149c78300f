"""退回补正 probed from outside: what a window, a forged push or a second return can do to it."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "cases"))

import pytest  # noqa: E402
from signoff_centre import PASSWORDS  # noqa: E402
from signoff_helpers import apply_pushed, outbox_rows, refused  # noqa: E402
from sqlmodel import select  # noqa: E402
from test_return_supplement import DEFECT, later, return_request  # noqa: E402

from clerk import credentials  # noqa: E402
from clerk.backoffice.service import BackOfficeDesk  # noqa: E402
from clerk.cases import states  # noqa: E402
from clerk.mutation import MutationRefused  # noqa: E402
from clerk.signoff import rules  # noqa: E402
from clerk.store.engine import Store  # noqa: E402
from clerk.store.operations import Case, CaseMaterial, SignOff  # noqa: E402


def test_no_denial_the_day_after_the_return_when_the_applicant_brought_nothing_yet(cases, signoff, store):
    """The returned rows are 有误 as the reviewer found them: that is why they went back, not a
    second submission still wrong. Before the deadline, nothing brought, no 不予批准."""
    back = BackOfficeDesk(cases)
    case, so = return_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意退回补正")
    tomorrow = later(cases, 1)
    view = tomorrow.case(case.id)
    with refused(MutationRefused, "补正材料补齐期限未到"):
        tomorrow.decide("c1", case.id, view.version, "deny_deferred", print_papers=False)
    with store.session() as s:
        assert s.get(Case, case.id).status == states.RETURNED


def test_brought_again_and_still_wrong_the_denial_may_come_before_the_deadline(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case, so = return_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意退回补正")
    tomorrow = later(cases, 1)
    view = tomorrow.case(case.id)
    view = tomorrow.mark("c1", case.id, view.version, view.materials[1].material_id, "defective",
                         defect="补交的复印件仍不清晰")
    out = tomorrow.decide("c1", case.id, view.version, "deny_deferred", print_papers=False)
    assert out.case.state_label == states.LABELS[states.DEFERRAL_DENIED]


def _central(signoff_template, tmp_path) -> Store:
    shutil.copy(signoff_template, tmp_path / "central.sqlite3")
    return Store.sqlite(tmp_path / "central.sqlite3")


def _resigned(store: Store, row, args: dict, chief: str = "k1") -> dict:
    """The decision's args signed again by the chief's own key: a tampered chief's counter."""
    with store.session() as s:
        from clerk.store.reference import Staff

        key = credentials.unlock(s.get(Staff, chief).signing_key, PASSWORDS[chief])
    message = rules.statement(row.client_id, args["sign_off_id"], chief, args["decision"], args["opinion"],
                              rules.digest(args["notices"]), args["signed_at"])
    return {**args, "signature": key.sign(message)}


def _forge(cases, signoff, store, tmp_path, signoff_template, alter):
    back = BackOfficeDesk(cases)
    case, so = return_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意退回补正")
    central = _central(signoff_template, tmp_path)
    *before, decision = outbox_rows(store)
    for row in before:
        apply_pushed(central, row)
    args = json.loads(decision.args)
    alter(args["notices"][0]["paper"]["body"], case)
    return central, decision, _resigned(store, decision, args), case


def _other_material(body, case):
    body["materials"][0]["name"] = case.materials[0].name


def _other_defect(body, case):
    body["materials"][0]["defect_detail"] = "另写的补正要求"


def _more_materials(body, case):
    body["materials"].append({**body["materials"][0], "name": case.materials[2].name})


def _other_reasons(body, case):
    body["reasons"] = "另写的理由"


def _other_pause(body, case):
    body["paused_from"] = "2026-02-20"


def _other_consequence(body, case):
    body["consequence"] = "逾期未补正的，视为放弃申请。"


@pytest.mark.parametrize("alter", [_other_material, _other_defect, _more_materials, _other_reasons, _other_pause,
                                   _other_consequence])
def test_a_notice_signed_but_saying_other_than_the_request_is_refused(cases, signoff, store, tmp_path,
                                                                      signoff_template, alter):
    """The paper the applicant gets must name what the case now owes: the central store checks
    it against the sign-off row, as it checks the deadline."""
    central, decision, forged, case = _forge(cases, signoff, store, tmp_path, signoff_template, alter)
    with refused(MutationRefused, "退回补正通知书"):
        apply_pushed(central, decision, args=forged)
    apply_pushed(central, decision)  # the genuine one still goes through
    with central.session() as s:
        assert s.get(Case, case.id).status == states.RETURNED
    central.dispose()


def test_a_second_return_after_the_first_was_settled_is_its_own_sign_off(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case, so = return_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意退回补正")
    thursday = later(cases, 3)
    view = thursday.case(case.id)
    view = thursday.mark("c1", case.id, view.version, view.materials[1].material_id, "received",
                         received_form="original", copies=1)
    view = thursday.decide("c1", case.id, view.version, "settle_owed", print_papers=False).case
    back.request_return("r1", case.id, view.version, "申请表签字不全", [(view.materials[0].material_id, DEFECT)], 5)
    with store.session() as s:
        both = s.exec(select(SignOff).where(SignOff.case_id == case.id)).all()
        assert len(both) == 2
        second = next(b for b in both if b.decision is None)
    signoff.decide("k1", PASSWORDS["k1"], second.id, "approved", "同意再次退回补正")
    with store.session() as s:
        owed = s.exec(select(CaseMaterial).where(CaseMaterial.case_id == case.id, CaseMaterial.owed)).all()
        assert [m.seq for m in owed] == [1]
        assert s.get(Case, case.id).suspended_days == 3

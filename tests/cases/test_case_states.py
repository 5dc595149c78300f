"""The case's state machine: every allowed transition, every forbidden one refused in Chinese."""

from __future__ import annotations

from datetime import date

import pytest
from case_helpers import PERSON, checked, mark, open_case
from sqlmodel import select

from clerk.cases import states
from clerk.mutation import MutationRefused
from clerk.store.operations import Case, Notice, SignOff


def _decide(desk, case, action, **kw):
    return desk.decide("c1", case.id, case.version, action, **kw)


def _count(store, model):
    with store.session() as s:
        return len(s.exec(select(model)).all())


def test_accept_a_complete_case_numbers_and_dates_it(desk, store):
    case = checked(desk)
    out = _decide(desk, case, "accept", receipt=True)
    v = out.case
    assert v.state == states.ACCEPTED and v.acceptance_no == "测试县政服受〔2026〕0-1号"
    # Monday 2 March + 5 working days = Monday 9 March; statutory 20 working days = 30 March.
    assert (v.due_date, v.statutory_due) == (date(2026, 3, 9), date(2026, 3, 30))
    assert sorted(n.kind for n in out.notices) == ["acceptance", "receipt"]
    assert v.allowed == ()


def test_acceptance_with_a_required_material_missing_is_refused(desk, store):
    case = checked(desk, s2="missing")
    with pytest.raises(MutationRefused, match="材料“居民身份证”缺失，不能受理"):
        _decide(desk, case, "accept")
    assert desk.case(case.id).state == states.RECEIVED and _count(store, Notice) == 0


def test_acceptance_with_a_row_not_checked_is_refused(desk):
    case = mark(desk, open_case(desk), 1, "received")
    with pytest.raises(MutationRefused, match="还有材料未核对"):
        _decide(desk, case, "accept")


def test_a_defect_fixed_on_the_spot_makes_the_row_received(desk):
    case = checked(desk, s1="defective")
    with pytest.raises(MutationRefused, match="有误"):
        _decide(desk, case, "accept")
    case = desk.correct("c1", case.id, case.version, case.materials[0].material_id)
    assert case.materials[0].state == "received"
    assert _decide(desk, case, "accept").case.state == states.ACCEPTED


def test_correcting_a_row_that_was_not_defective_is_refused(desk):
    case = checked(desk)
    with pytest.raises(MutationRefused, match="只有登记为“有误”的材料才能当场更正"):
        desk.correct("c1", case.id, case.version, case.materials[0].material_id)


def test_supplement_then_return_then_acceptance_dated_the_day_complete(desk, clock):
    case = checked(desk, s2="missing", s3="defective")
    out = _decide(desk, case, "notify_supplement", deadline=date(2026, 3, 20))
    assert out.case.state == states.SUPPLEMENT and out.case.supplement_due == date(2026, 3, 20)
    [paper] = out.notices
    assert paper.kind == "supplement" and paper.doc_no == "测试县政服补〔2026〕0-1号"
    clock.advance(days=2)  # Wednesday 4 March: the applicant returns, the same case resumes
    case = mark(desk, out.case, 2, "received")
    case = mark(desk, case, 3, "received")
    clock.advance(days=1)
    v = _decide(desk, case, "accept").case
    # Accepted on the day it became complete (4 March), not on the day of acceptance.
    assert v.state == states.ACCEPTED and v.due_date == date(2026, 3, 11)


def test_no_supplement_notice_after_five_working_days_the_case_counts_as_accepted(desk, clock):
    case = checked(desk, s3="missing")
    clock.advance(days=8)  # Tuesday 10 March: past Monday 9 March, the 5th working day
    with pytest.raises(MutationRefused, match="依法自收件之日起视为受理"):
        _decide(desk, case, "notify_supplement")
    case = mark(desk, case, 3, "received")
    v = _decide(desk, case, "accept").case
    assert v.due_date == date(2026, 3, 9)  # counted from 2 March, the day received


def test_supplement_without_anything_to_supply_is_refused(desk):
    with pytest.raises(MutationRefused, match="无需一次性告知"):
        _decide(desk, checked(desk), "notify_supplement")


def test_a_passed_supplement_deadline_withdraws_with_a_notice(desk, clock):
    case = checked(desk, s3="missing")
    case = _decide(desk, case, "notify_supplement", deadline=date(2026, 3, 6)).case
    with pytest.raises(MutationRefused, match="补正期限尚未届满"):
        _decide(desk, case, "withdraw")
    clock.advance(days=5)
    out = _decide(desk, case, "withdraw")
    assert out.case.state == states.WITHDRAWN and [n.kind for n in out.notices] == ["withdrawal"]


def test_deferral_on_an_item_that_does_not_allow_it_is_refused(desk):
    case = checked(desk, "T-PLAIN", s3="missing")
    with pytest.raises(MutationRefused, match="不适用容缺受理"):
        _decide(desk, case, "accept_deferred", deadline=date(2026, 3, 6))


def test_deferral_with_a_material_that_is_not_deferrable_missing_is_refused(desk):
    case = checked(desk, s2="missing", s3="missing")
    with pytest.raises(MutationRefused, match="材料“居民身份证”不属于可容缺材料"):
        _decide(desk, case, "accept_deferred", deadline=date(2026, 3, 6))


def test_deferral_deadline_past_the_promised_limit_is_refused(desk):
    case = checked(desk, s3="missing")
    with pytest.raises(MutationRefused, match="补齐期限不能晚于承诺办结期限（2026年3月9日）"):
        _decide(desk, case, "accept_deferred", deadline=date(2026, 3, 10))


def test_deferral_prints_pledge_and_notice_and_then_settles(desk, clock):
    case = checked(desk, s3="missing")
    out = _decide(desk, case, "accept_deferred", deadline=date(2026, 3, 6))
    assert out.case.state == states.DEFERRED and out.case.owed_due == date(2026, 3, 6)
    assert sorted(n.kind for n in out.notices) == ["deferral_notice", "deferral_pledge"]
    assert out.case.acceptance_no == "测试县政服容〔2026〕0-1号"
    with pytest.raises(MutationRefused, match="只能登记尚欠的容缺"):
        mark(desk, out.case, 1, "missing")
    with pytest.raises(MutationRefused, match="还有容缺（承诺）材料未补齐"):
        _decide(desk, out.case, "settle_owed")
    case = mark(desk, out.case, 3, "received")
    assert _decide(desk, case, "settle_owed").case.state == states.ACCEPTED


def test_deferral_deadline_passing_leads_to_a_printed_denial(desk, clock):
    case = _decide(desk, checked(desk, s3="missing"), "accept_deferred", deadline=date(2026, 3, 6)).case
    with pytest.raises(MutationRefused, match="补齐期限未到"):
        _decide(desk, case, "deny_deferred")
    clock.advance(days=5)
    out = _decide(desk, case, "deny_deferred")
    assert out.case.state == states.DEFERRAL_DENIED and [n.kind for n in out.notices] == ["deferral_denial"]


def test_a_supplement_still_defective_leads_to_a_denial_before_the_deadline(desk):
    case = _decide(desk, checked(desk, s3="missing"), "accept_deferred", deadline=date(2026, 3, 6)).case
    case = mark(desk, case, 3, "defective", defect="证明已过期")
    assert _decide(desk, case, "deny_deferred").case.state == states.DEFERRAL_DENIED


def test_commitment_accepts_and_tracks_what_is_owed(desk):
    case = checked(desk, "T-COM", s3="missing")
    out = _decide(desk, case, "accept_committed", deadline=date(2026, 3, 6))
    assert out.case.state == states.COMMITTED and out.case.owed_due == date(2026, 3, 6)
    assert sorted(n.kind for n in out.notices) == ["acceptance", "commitment"]


def test_commitment_on_an_item_not_under_it_is_refused(desk):
    with pytest.raises(MutationRefused, match="未实行告知承诺制"):
        _decide(desk, checked(desk, "T-PLAIN"), "accept_committed")


def test_commitment_on_an_excluded_item_is_refused(desk):
    with pytest.raises(MutationRefused, match="不适用告知承诺的情形（涉及公共安全）"):
        _decide(desk, checked(desk, "T-EXC"), "accept_committed")


def test_commitment_refused_when_an_excluded_matter_applies_to_the_application(desk):
    with pytest.raises(MutationRefused, match="不适用告知承诺的情形（涉及生态环境安全）"):
        _decide(desk, checked(desk, "T-COM"), "accept_committed", exclusion="涉及生态环境安全")


def test_not_required_closes_at_once(desk):
    out = _decide(desk, open_case(desk), "not_required")
    assert out.case.state == states.NOT_REQUIRED and out.notices == ()


def test_out_of_competence_prints_a_guidance_slip_naming_the_office(desk):
    case = open_case(desk)
    with pytest.raises(MutationRefused, match="请写明应当前往的有权机关"):
        _decide(desk, case, "refer")
    out = _decide(desk, case, "refer", referred_to="市不动产登记中心（市民中心二楼）")
    assert out.case.state == states.REFERRED and [n.kind for n in out.notices] == ["guidance_slip"]


def test_a_refusal_request_waits_for_the_chief(desk, store):
    case = open_case(desk)
    with pytest.raises(MutationRefused, match="理由和法律依据"):
        _decide(desk, case, "request_refusal")
    out = _decide(desk, case, "request_refusal", reason="申请人不具备主体资格", legal_basis="《测试条例》第三条")
    assert out.case.state == states.REFUSAL_REQUESTED
    with store.session() as s:
        [req] = s.exec(select(SignOff)).all()
    assert (req.kind, req.decision, req.requested_by) == ("refusal", None, "c1")


FORBIDDEN = [
    (state, action)
    for state in states.LABELS
    for action in states.INTAKE_ACTIONS
    if state not in states.TRANSITIONS[action][0]
]


@pytest.mark.parametrize(("state", "action"), FORBIDDEN)
def test_every_transition_outside_the_table_is_refused(desk, store, state, action):
    case = checked(desk)
    with store.write() as s:
        row = s.get(Case, case.id)
        row.status = state
        s.add(row)
    with pytest.raises(MutationRefused) as refused:
        desk.decide("c1", case.id, case.version, action, deadline=date(2026, 3, 6), reason="r", legal_basis="b",
                    referred_to="x", print_papers=False)
    assert refused.value.message == f"办件当前为“{states.LABELS[state]}”，不能{states.ACTION_LABELS[action]}"


def test_the_table_allows_exactly_what_the_tests_above_walk():
    walked = {("received", "accept"), ("supplement", "accept"), ("received", "notify_supplement"),
              ("supplement", "withdraw"), ("received", "accept_deferred"), ("deferred", "settle_owed"),
              ("deferred", "deny_deferred"), ("received", "accept_committed"), ("received", "not_required"),
              ("received", "refer"), ("received", "request_refusal")}
    table = {(s, a) for a in states.INTAKE_ACTIONS for s in states.TRANSITIONS[a][0]}
    # The rest of the table: the same rules from the other starting state.
    assert walked <= table
    assert table - walked == {("supplement", "request_refusal"), ("supplement", "accept_deferred"),
                              ("supplement", "accept_committed"), ("committed", "deny_deferred"),
                              ("committed", "settle_owed"),
                              # walked from a 退回补正 in tests/signoff/test_return_supplement.py
                              ("returned", "deny_deferred"), ("returned", "settle_owed")}


def test_two_clerks_on_one_case_the_second_is_refused(desk):
    case = checked(desk)
    _decide(desk, case, "accept")
    with pytest.raises(MutationRefused, match="已被其他工作人员更新"):
        desk.decide("c2", case.id, case.version, "not_required")


def test_a_clerk_of_another_centre_cannot_act_on_the_case(desk):
    case = checked(desk)
    with pytest.raises(MutationRefused, match="不是本中心的办件"):
        desk.bench.apply("case.not_required", {"case_id": case.id, "version": case.version}, "other")


def test_a_guide_republished_while_the_case_is_open_keeps_the_case_on_its_version(desk, store):
    case = checked(desk, "T-PLAIN")
    from clerk.store.reference import ItemMaterial

    with store.write() as s:  # as publishing the reference data does: the rows replaced
        [first] = s.exec(select(ItemMaterial).where(ItemMaterial.id == "T-PLAIN:1")).all()
        s.delete(first)
        s.flush()
        s.add(ItemMaterial(id="T-PLAIN:1", item_code="T-PLAIN", seq=1, name="新版申请表", form="原件"))
    view = desk.case(case.id)
    assert "办事指南已更新" in " ".join(view.warnings) and view.materials[0].name == "申请表"
    assert _decide(desk, view, "accept").case.state == states.ACCEPTED


def test_a_case_of_an_item_gone_from_the_catalogue_is_refused_in_chinese(desk, store):
    with pytest.raises(MutationRefused, match="已从事项目录中撤销"):
        open_case(desk, "T-NONE")
    assert _count(store, Case) == 0
    _ = PERSON

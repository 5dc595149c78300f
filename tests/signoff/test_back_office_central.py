"""The central store re-runs every back-office move and decides it again from its own rows,
on SQLite and on PostgreSQL: the counter's outbox replays to the same end; a check in the
reviewer's name, a denial without its paper, a move on a version another counter already
moved, or a reviewer of another department is refused, and nothing of it is stored."""

from __future__ import annotations

import json

import pytest
from case_helpers import checked
from signoff_helpers import apply_pushed, outbox_rows, refused
from sqlmodel import select

from clerk.backoffice.service import BackOfficeDesk
from clerk.cases import states
from clerk.mutation import MutationRefused
from clerk.store.operations import Case, Notice


def _through_the_back_office(cases, proposal: str) -> str:
    back = BackOfficeDesk(cases)
    case = checked(cases, "T-PLAIN")
    case = cases.decide("c1", case.id, case.version, "accept", print_papers=False).case
    basis = "《测试条例》第九条" if proposal == "deny" else ""
    back.review("r1", case.id, case.version, proposal, "经现场核查，经营场所与申请材料不符", basis)
    back.check("r2", case.id, cases.case(case.id).version, "同意", print_papers=False)
    back.deliver("c2", case.id, cases.case(case.id).version, "window", notice_checked=True, id_checked=True)
    return case.id


def _replay_until(central, rows, name: str):
    """Apply every row before the first ``name`` row; return that row."""
    for row in rows:
        if row.name == name:
            return row
        apply_pushed(central, row)
    raise AssertionError(f"no {name} in the outbox")


def _case(central, case_id) -> tuple[str, list[str]]:
    with central.session() as s:
        case = s.get(Case, case_id)
        kinds = sorted(n.kind for n in s.exec(select(Notice).where(Notice.case_id == case_id)))
        return (case.status if case else ""), kinds


@pytest.mark.parametrize("proposal", ["grant", "deny"])
def test_the_counters_moves_replay_to_the_same_end(cases, central, proposal):
    case_id = _through_the_back_office(cases, proposal)
    for row in outbox_rows(cases.store):
        apply_pushed(central, row)
    status, kinds = _case(central, case_id)
    assert status == states.FINISHED
    assert ("denial" in kinds) == (proposal == "deny")
    with central.session() as s:
        case = s.get(Case, case_id)
        assert (case.reviewed_by, case.decided_by, case.delivered_by) == ("r1", "r2", "c2")


def test_a_check_in_the_reviewers_name_is_refused(cases, central):
    case_id = _through_the_back_office(cases, "grant")
    check = _replay_until(central, outbox_rows(cases.store), "case.check")
    with refused(MutationRefused, "一审一核"):
        apply_pushed(central, check, actor="r1")
    assert _case(central, case_id) == (states.REVIEWED, ["acceptance"])


def test_a_denial_without_its_paper_is_refused(cases, central):
    case_id = _through_the_back_office(cases, "deny")
    check = _replay_until(central, outbox_rows(cases.store), "case.check")
    args = json.loads(check.args)
    args["notices"] = []
    with refused(MutationRefused, "文书与办理结论不符"):
        apply_pushed(central, check, args=args)
    assert _case(central, case_id)[0] == states.REVIEWED


def test_a_move_on_a_version_another_counter_moved_is_refused(cases, central):
    case_id = _through_the_back_office(cases, "grant")
    rows = outbox_rows(cases.store)
    review = _replay_until(central, rows, "case.review")
    apply_pushed(central, review)
    with refused(MutationRefused, "已被其他工作人员更新"):
        apply_pushed(central, review, client_id="another-counter")  # the same review, seen on an old version
    assert _case(central, case_id)[0] == states.REVIEWED


def test_a_reviewer_of_another_department_is_refused(cases, central):
    case_id = _through_the_back_office(cases, "grant")
    review = _replay_until(central, outbox_rows(cases.store), "case.review")
    with refused(MutationRefused, "其他部门"):
        apply_pushed(central, review, actor="rx")
    assert _case(central, case_id)[0] == states.ACCEPTED

"""The chief's decision on a 不予受理 request: approve prints the notice, send back returns
the case; every refusal of the decision leaves the case and the request as they were."""

from __future__ import annotations

import pytest
from signoff_centre import COURT, PASSWORDS, REVIEW_ORGAN
from signoff_helpers import BASIS, REASON, case_of, refusal_request, refused
from sqlmodel import select

from clerk.cases import states
from clerk.mutation import MutationRefused
from clerk.papers.content import Paper
from clerk.staff.auth import SignInError
from clerk.store.operations import Case, Notice, SignOff

OPINION = "经核，申请人确不具备经营场所，同意不予受理"


def _state(store, case_id: str) -> str:
    with store.session() as s:
        return s.get(Case, case_id).status


def _notices(store, case_id: str) -> list[Notice]:
    with store.session() as s:
        return list(s.exec(select(Notice).where(Notice.case_id == case_id)).all())


def test_an_approved_refusal_prints_the_notice_with_reasons_and_rights(cases, signoff, store):
    so = refusal_request(cases, "T-DEF", referred_to="测试县自然资源局")
    case_id = case_of(signoff, so)
    assert _notices(store, case_id) == []  # nothing is printed before the chief approves
    done = signoff.decide("k1", PASSWORDS["k1"], so, "approved", OPINION)
    assert _state(store, case_id) == states.REFUSED
    assert [title for _i, title, _d in done.notices] == ["不予受理通知书"]
    [notice] = _notices(store, case_id)
    paper = Paper.model_validate_json(notice.body)
    body = paper.body
    assert body.reasons == REASON and body.clause == BASIS and body.approved_by == "赵首席"
    assert body.competent_office is not None and body.competent_office.place == "测试县自然资源局"
    assert (body.rights.review_organ, body.rights.court, body.rights.review_first) == (REVIEW_ORGAN, COURT, False)
    assert paper.handler.name == "窗口1"  # the clerk who took the case in signs it out
    assert done.entry.decision == "approved" and done.entry.comment == OPINION
    with store.session() as s:
        row = s.get(SignOff, so)
        assert row.decided_by == "k1" and row.signature and row.decided_client


def test_an_item_under_review_first_gets_the_review_first_wording(cases, signoff, store):
    so = refusal_request(cases, "T-PLAIN")
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", OPINION)
    [notice] = _notices(store, case_of(signoff, so))
    assert Paper.model_validate_json(notice.body).body.rights.review_first is True


def test_sent_back_the_case_returns_to_the_clerk_with_the_opinion(cases, signoff, store):
    so = refusal_request(cases)
    case_id = case_of(signoff, so)
    signoff.decide("k1", PASSWORDS["k1"], so, "sent_back", "经营场所证明可容缺受理")
    assert _state(store, case_id) == states.RECEIVED
    assert _notices(store, case_id) == []
    [mine] = signoff.requests_of("c1")
    assert (mine.decision, mine.comment, mine.decided_by) == ("sent_back", "经营场所证明可容缺受理", "赵首席")
    view = cases.case(case_id)
    assert "accept_deferred" in view.allowed  # the clerk carries on with the intake


def test_the_deputy_signs_under_the_chiefs_authorisation(cases, signoff, store):
    so = refusal_request(cases)
    signoff.decide("k2", PASSWORDS["k2"], so, "approved", OPINION)
    assert _state(store, case_of(signoff, so)) == states.REFUSED


def _unchanged(store, signoff, so: str) -> None:
    case_id = case_of(signoff, so)
    assert _state(store, case_id) == states.REFUSAL_REQUESTED
    assert _notices(store, case_id) == []
    with store.session() as s:
        assert s.get(SignOff, so).decision is None


def test_a_wrong_password_counts_toward_the_lockout_and_stores_nothing(cases, signoff, store):
    so = refusal_request(cases)
    with refused(SignInError, "还可以再试2次"):
        signoff.decide("k1", "wrong-one", so, "approved", OPINION)
    with refused(SignInError, "还可以再试1次"):
        signoff.decide("k1", "wrong-two", so, "approved", OPINION)
    with refused(SignInError, "已锁定"):
        signoff.decide("k1", "wrong-three", so, "approved", OPINION)
    with refused(SignInError, "锁定至"):  # even the right password, while locked
        signoff.decide("k1", PASSWORDS["k1"], so, "approved", OPINION)
    _unchanged(store, signoff, so)


@pytest.mark.parametrize("opinion", ["", "  ", "赵首席", "k1", "赵首席。"])
def test_an_opinion_must_be_more_than_a_name(cases, signoff, store, opinion):
    so = refusal_request(cases)
    with refused(MutationRefused, "请填写审批意见"):
        signoff.decide("k1", PASSWORDS["k1"], so, "approved", opinion)
    _unchanged(store, signoff, so)


def test_outside_the_authorisation_or_after_expiry_is_refused(cases, signoff, store):
    review_only = refusal_request(cases, "T-COM")
    with refused(MutationRefused, "只有预审、协调权限"):
        signoff.decide("k1", PASSWORDS["k1"], review_only, "approved", OPINION)
    _unchanged(store, signoff, review_only)
    not_listed = refusal_request(cases, "T-EXC")
    with refused(MutationRefused, "不在您的授权范围内"):
        signoff.decide("k1", PASSWORDS["k1"], not_listed, "approved", OPINION)
    expired = refusal_request(cases, "T-DEF")
    with refused(MutationRefused, "授权已于2026年2月27日到期"):
        signoff.decide("k3", PASSWORDS["k3"], expired, "approved", OPINION)
    _unchanged(store, signoff, expired)


def test_a_decision_on_a_request_another_chief_decided_is_refused(cases, signoff, store):
    so = refusal_request(cases)
    signoff.decide("k1", PASSWORDS["k1"], so, "sent_back", "可容缺受理，请按容缺办理")
    with refused(MutationRefused, "该申请已由赵首席.*退回，不能再次签批"):
        signoff.decide("k2", PASSWORDS["k2"], so, "approved", OPINION)
    with store.session() as s:
        assert s.get(SignOff, so).decided_by == "k1"
    assert _notices(store, case_of(signoff, so)) == []


def test_the_queue_shows_the_oldest_first_with_counts(cases, signoff, clock):
    first = refusal_request(cases)
    clock.advance(minutes=5)
    second = refusal_request(cases, "T-PLAIN")
    q = signoff.queue("k1")
    assert [ln.id for ln in q.lines] == [first, second]
    assert dict(q.counts)["不予受理审批"] == 2 and q.total == 2
    assert q.lines[0].applicant == "张*"  # masked
    signoff.decide("k1", PASSWORDS["k1"], first, "approved", OPINION)
    assert [ln.id for ln in signoff.queue("k1").lines] == [second]
    entry = signoff.entry(second)
    assert entry.reason == REASON and entry.applicant_id.count("*") >= 8 and len(entry.materials) == 4

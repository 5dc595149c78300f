"""The state table of each ledger kind, walked exhaustively: every (state, action) pair is
either a listed transition or a refusal in Chinese; closing needs the whole shape."""

from __future__ import annotations

import pytest

from clerk.ledgers.classes import COMPLAINT, FIRST_CONTACT, RECTIFICATION, STATUS_LABELS
from clerk.ledgers.rules import ACTION_LABELS, ANYTIME, BACK, TRANSITIONS, actions_from, next_state
from clerk.mutation import MutationRefused

STATES = sorted(STATUS_LABELS)
ACTIONS = sorted(a for a in ACTION_LABELS if a != "register")


@pytest.mark.parametrize("kind", sorted(TRANSITIONS))
def test_every_pair_is_a_transition_or_a_refusal(kind):
    for state in STATES:
        for action in ACTIONS:
            listed = TRANSITIONS[kind].get((state, action))
            if action in ANYTIME:
                if state in ("closed", "referred_out"):
                    with pytest.raises(MutationRefused):
                        next_state(kind, state, action)
                else:
                    assert next_state(kind, state, action) == state
            elif listed is None:
                with pytest.raises(MutationRefused) as refused:
                    next_state(kind, state, action)
                assert refused.value.message  # a message the clerk can read
            else:
                assert next_state(kind, state, action) == listed


@pytest.mark.parametrize("kind", [COMPLAINT, RECTIFICATION])
def test_close_is_reached_only_through_result_feedback_and_follow_up(kind):
    closing = [s for (s, a), new in TRANSITIONS[kind].items() if new == "closed"]
    assert closing == ["followed_up"]
    # Walk back: followed_up only from fed_back, fed_back only from resolved.
    assert [s for (s, a), n in TRANSITIONS[kind].items() if n == "followed_up"] == ["fed_back"]
    assert [s for (s, a), n in TRANSITIONS[kind].items() if n == "fed_back"] == ["resolved"]


def test_close_refusal_names_what_is_missing():
    with pytest.raises(MutationRefused) as refused:
        next_state(COMPLAINT, "assigned", "close")
    assert refused.value.message == "尚缺办理结果、反馈情况、回访记录，不能办结"
    with pytest.raises(MutationRefused) as refused:
        next_state(COMPLAINT, "fed_back", "close")
    assert refused.value.message == "尚缺回访记录，不能办结"
    with pytest.raises(MutationRefused) as refused:
        next_state(RECTIFICATION, "registered", "close")
    assert "核实情况" in refused.value.message


def test_a_rectification_cannot_be_resolved_before_its_verification():
    with pytest.raises(MutationRefused):
        next_state(RECTIFICATION, "registered", "resolve")
    assert next_state(RECTIFICATION, "verified", "resolve") == "resolved"


def test_a_referral_keeps_a_first_contact_open_and_an_answer_closes_it():
    assert next_state(FIRST_CONTACT, "registered", "refer") == "referred"
    assert next_state(FIRST_CONTACT, "referred", "refer") == "referred"
    assert next_state(FIRST_CONTACT, "registered", "answer") == "closed"
    with pytest.raises(MutationRefused):
        next_state(FIRST_CONTACT, "referred", "close")


def test_an_appeal_ruling_goes_back_where_it_came_from():
    assert next_state(RECTIFICATION, "appealed", "rule_appeal") == BACK


def test_closed_entries_offer_no_actions():
    assert actions_from(COMPLAINT, "closed") == []
    assert "assign" in actions_from(COMPLAINT, "registered")

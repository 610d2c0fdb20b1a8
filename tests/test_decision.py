"""Decisions: frozen values; the fast constructor of ``Policy.decide`` builds the same value."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

import policykit
from policykit.core.decision import Decision, plain_decision
from policykit.core.values import FrozenInstanceError, astuple


@pytest.fixture(scope="module")
def decision() -> Decision:
    policy = policykit.load_policy()
    return policy.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
                          "audience": ["student"], "purpose": "personal"}, as_of=date(2026, 1, 5))


def test_plain_decision_is_the_decision_the_constructor_builds(decision):
    built = plain_decision(decision.verdict, decision.policy, "id-1")
    expected = Decision(decision.verdict, decision.policy, "id-1")
    assert type(built) is Decision
    assert built == expected and hash(built.policy) == hash(expected.policy)
    assert astuple(built) == astuple(expected)
    assert built.to_dict() == expected.to_dict()
    assert pickle.loads(pickle.dumps(built)) == expected
    assert repr(built) == repr(expected)


def test_a_decision_cannot_be_changed(decision):
    built = plain_decision(decision.verdict, decision.policy, "id-1")
    with pytest.raises(FrozenInstanceError):
        built.decision_id = "id-2"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del built.verdict  # type: ignore[misc]


def test_decide_returns_plain_decisions(decision):
    assert type(decision) is Decision and decision.alternatives is None and decision.questions is None

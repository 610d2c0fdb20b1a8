"""The engine against SPEC §4: a plain reference reading, and the properties the issue names."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policykit
from policykit import engine
from policykit.model import OUTCOMES
from policykit.schemaerrors import validator
from reference import observed, reference_decision
from strategies import VOCABULARY, valid_requests

AS_OF = date(2026, 1, 5)
PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def policy() -> policykit.Policy:
    return policykit.load_policy()


def strength(decision: policykit.Decision) -> int:
    """The strongest outcome known to hold: the outcome, or for undetermined the weakest possible."""
    outcome = decision.possible_outcomes[0] if decision.outcome == "undetermined" else decision.outcome
    return OUTCOMES.index(outcome)


@PROPERTY
@given(request=valid_requests())
def test_engine_agrees_with_the_reference_reading(policy, request):
    decision = policy.decide(request, as_of=AS_OF)
    day = date.fromisoformat(request["as_of"]) if "as_of" in request else AS_OF
    assert observed(decision) == reference_decision(policy.document, request, day)


@PROPERTY
@given(request=valid_requests())
def test_every_decision_matches_the_decision_schema(policy, request):
    decision = policy.decide(request, as_of=AS_OF)
    assert list(validator("decision").iter_errors(decision.to_dict())) == []
    assert decision.allowed is {"permitted": True, "discouraged": True, "requires_approval": False,
                                "prohibited": False, "undetermined": None}[decision.outcome]


@PROPERTY
@given(request=valid_requests(), data=st.data())
def test_adding_a_content_or_effects_flag_never_weakens_the_outcome(policy, request, data):
    fact = data.draw(st.sampled_from(["content", "effects"]))
    flag = data.draw(st.sampled_from(VOCABULARY[fact].value_names))
    before = policy.decide(request, as_of=AS_OF)
    more = dict(request, **{fact: sorted(set(request.get(fact, [])) | {flag})})
    after = policy.decide(more, as_of=AS_OF)
    assert strength(after) >= strength(before)


def _fill(request: dict, path: str, value: object) -> dict:
    filled = dict(request)
    if "." in path:
        parent, leaf = path.split(".")
        filled[parent] = dict(filled.get(parent, {}), **{leaf: value})
    else:
        filled[path] = value
    return filled


@PROPERTY
@given(request=valid_requests(), data=st.data())
def test_filling_a_missing_fact_stays_within_the_possible_outcomes(policy, request, data):
    decision = policy.decide(request, as_of=AS_OF)
    if decision.outcome != "undetermined":
        assert decision.missing_facts == () and decision.possible_outcomes == ()
        return
    assert len(decision.possible_outcomes) >= 2 and decision.missing_facts
    path = data.draw(st.sampled_from(decision.missing_facts))
    fact = VOCABULARY[path]
    if fact.kind == "list":
        value: object = data.draw(st.lists(st.sampled_from(fact.value_names), unique=True))
    else:
        value = data.draw(st.sampled_from(fact.value_names))
    filled = policy.decide(_fill(request, path, value), as_of=AS_OF)
    if filled.outcome == "undetermined":
        assert set(filled.possible_outcomes) <= set(decision.possible_outcomes)
    else:
        assert filled.outcome in decision.possible_outcomes


@given(request=valid_requests())
@settings(max_examples=100, deadline=None)
def test_decisions_are_pure_functions_of_the_request(policy, request):
    first = policy.decide(request, as_of=AS_OF, decision_id="a")
    fresh = policykit.Policy(policy.document)
    fresh.cache_size = 0
    assert fresh.decide(request, as_of=AS_OF, decision_id="a") == first


def test_a_fault_inside_the_engine_is_an_error_never_a_permission(policy, monkeypatch):
    fresh = policykit.Policy(policy.document)

    def broken(*args, **kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(engine, "evaluate", broken)
    with pytest.raises(RuntimeError, match="simulated fault"):
        fresh.decide({"actor": {"role": "teacher"}, "action": "browse"}, as_of=AS_OF)


def test_a_request_no_clause_restricts_is_permitted_with_no_reasons(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "converse", "channel": "in_person",
                              "audience": ["staff"], "purpose": "school_business"}, as_of=AS_OF)
    assert (decision.outcome, decision.reasons, decision.notices) == ("permitted", (), ())
    assert decision.explanation == "Nothing in the policy restricts this, so it is permitted."


def test_an_undetermined_decision_names_what_is_missing(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
                              "audience": ["student"]}, as_of=AS_OF)
    assert decision.outcome == "undetermined"
    assert decision.allowed is None
    assert decision.missing_facts == ("purpose",)
    assert decision.possible_outcomes == ("discouraged", "prohibited")
    assert [r.id for r in decision.reasons] == ["relationships.peer-communication",
                                                "relationships.texting-and-calling"]
    assert "purpose" in decision.explanation

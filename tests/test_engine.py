"""The engine against docs/semantics.md: a plain reference reading, and the properties the issue names."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policykit
from policykit.core import engine
from policykit.core.model import OUTCOMES
from policykit.core.schemaerrors import validator
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


@given(request=valid_requests())
@settings(max_examples=300, deadline=None)
def test_a_known_pattern_gives_the_verdict_assembled_afresh(policy, request):
    """The program's table of determined verdicts (filled by every example before this one) never
    answers a request with another pattern's verdict."""
    day = date.fromisoformat(request["as_of"]) if "as_of" in request else AS_OF
    program = policy.program(day)
    true, unknown, reread = policy.encode(request)
    empty = dataclasses.replace(program, verdicts={})
    assert engine.evaluate(program, true, unknown, reread) == engine.evaluate(empty, true, unknown, reread)


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
    assert decision.missing_facts == ("account", "purpose")
    assert decision.possible_outcomes == ("permitted", "discouraged", "prohibited")
    assert [r.id for r in decision.reasons] == ["relationships.peer-communication",
                                                "relationships.texting-and-calling",
                                                "communications.school-business-only",
                                                "communications.district-email"]
    assert "purpose" in decision.explanation


# --- docs/semantics.md#obligations and #readings: what is known, readings travel with answers ---------------------

APPROVED_POST = {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media", "account": "district",
                 "audience": ["student"], "purpose": "school_business"}


def test_an_open_obligation_fact_left_out_is_listed_with_met_null_and_changes_nothing(policy):
    decision = policy.decide({**APPROVED_POST, "site": {"approved": True}}, as_of=AS_OF)
    assert decision.outcome == "permitted"
    assert decision.missing_facts == ()
    assert [(o.clause, o.met) for o in decision.obligations] == [
        ("approved-sites.parent-notification", None), ("approved-sites.content-monitoring", None),
        ("approved-sites.policy-compliance", None)]
    assert "This holds provided you notify the parents" in decision.explanation


def test_a_mandatory_obligation_known_unmet_makes_the_action_not_allowed_and_says_what_first(policy):
    decision = policy.decide({**APPROVED_POST, "site": {"approved": True, "parents_notified": True,
                                                        "monitored": False}}, as_of=AS_OF)
    assert (decision.outcome, decision.allowed) == ("requires_approval", False)
    assert [r.id for r in decision.reasons] == ["approved-sites.content-monitoring"]
    assert [(o.clause, o.met) for o in decision.obligations] == [
        ("approved-sites.parent-notification", True), ("approved-sites.content-monitoring", False),
        ("approved-sites.policy-compliance", None)]
    assert decision.explanation.startswith("This is not allowed yet under")
    assert "Not yet: first monitor the site's content regularly" in decision.explanation


def test_an_obligation_met_lifts_the_escalation(policy):
    decision = policy.decide({**APPROVED_POST, "site": {"approved": True, "parents_notified": True,
                                                        "monitored": True}}, as_of=AS_OF)
    assert decision.outcome == "permitted"
    assert [o.met for o in decision.obligations] == [True, True, None]


def test_approval_is_pending_even_when_the_supervisor_was_informed(policy):
    decision = policy.decide({"actor": {"role": "coach"}, "action": "create_site", "channel": "social_media",
                              "purpose": "extracurricular", "site": {"supervisor_informed": True}}, as_of=AS_OF)
    assert decision.outcome == "requires_approval"
    assert [(o.clause, o.met) for o in decision.obligations] == [("approved-sites.prior-notice", True)]
    assert "approval is still pending" in decision.explanation


def test_counseling_by_another_role_is_read_as_personal_and_the_explanation_says_so(policy):
    request = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
               "audience": ["student"], "purpose": "counseling"}
    teacher = policy.decide(request, as_of=AS_OF)
    personal = policy.decide({**request, "purpose": "personal"}, as_of=AS_OF)
    assert teacher.outcome == personal.outcome == "prohibited"
    assert [r.id for r in teacher.reasons] == [r.id for r in personal.reasons]
    assert "read as a personal purpose" in teacher.explanation
    assert "read as a personal purpose" not in personal.explanation
    counselor = policy.decide({**request, "actor": {"role": "school_counselor"}}, as_of=AS_OF)
    assert counselor.outcome == "discouraged"
    assert "read as a personal purpose" not in counselor.explanation


def test_every_reason_obligation_and_notice_carries_its_clauses_interpretation(policy):
    decision = policy.decide({**APPROVED_POST, "site": {"approved": True, "monitored": False}}, as_of=AS_OF)
    for item, clause_id in [*((r, r.id) for r in decision.reasons), *((o, o.clause) for o in decision.obligations),
                            *((n, n.clause) for n in decision.notices)]:
        assert item.interpretation == policy.document.clause(clause_id).interpretation
    assert "not yet confirmed (approved-sites.content-monitoring)" in decision.explanation
    data = decision.to_dict()
    assert data["reasons"][0]["interpretation"]["status"] == "proposed"


def test_a_clause_without_interpretation_gives_no_interpretation_field(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "email",
                              "account": "district", "audience": ["student"], "purpose": "school_business",
                              "content": ["inappropriate_image"]}, as_of=AS_OF)
    reasons = decision.to_dict()["reasons"]
    assert "relationships.inappropriate-images" in [r["id"] for r in reasons]
    assert all("interpretation" not in r for r in reasons if r["id"] == "relationships.inappropriate-images")
    assert list(validator("decision").iter_errors(decision.to_dict())) == []


def test_the_digest_covers_interpretations(policy):
    from dataclasses import replace

    from policykit.core.api import Policy
    from policykit.core.model import Interpretation

    clauses = tuple(replace(c, interpretation=Interpretation(c.interpretation.text, "confirmed"))
                    if c.id == "communications.respectful-speech" else c for c in policy.document.clauses)
    confirmed = Policy(replace(policy.document, clauses=clauses))
    assert confirmed.program(AS_OF).digest != policy.program(AS_OF).digest

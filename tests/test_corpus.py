"""The SPEC-derived corpus (tests/corpus/decisions.yaml) through the Python API: every case's
whole expected decision, or its exact request-error pointers; every decision valid against
schema/decision.schema.json; the corpus covering every clause with a rule and every outcome."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpus_cases import CASES, OUTCOMES, Case, assert_matches, error_pointers
from jsonschema import Draft202012Validator

import policykit

SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "decision.schema.json"


@pytest.fixture(scope="module")
def policy() -> policykit.Policy:
    return policykit.load_policy()


@pytest.fixture(scope="module")
def decision_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_case(case: Case, policy: policykit.Policy, decision_validator: Draft202012Validator) -> None:
    if case.xfail_reason:
        try:
            _check(case, policy, decision_validator)
        except Exception:  # noqa: BLE001 - any disagreement with the SPEC
            pytest.xfail(case.xfail_reason)
        pytest.fail(f"marked xfail ({case.xfail_reason}) but now matches the SPEC: remove xfail_reason")
    _check(case, policy, decision_validator)


def _check(case: Case, policy: policykit.Policy, decision_validator: Draft202012Validator) -> None:
    if case.is_error:
        with pytest.raises(policykit.RequestError) as caught:
            policy.decide(case.request)
        assert error_pointers(caught.value.errors) == case.expect["error"]
        return
    decision = policy.decide(case.request)
    data = decision.to_dict()
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in decision_validator.iter_errors(data)]
    assert problems == []
    assert decision.outcome == data["outcome"]
    assert decision.allowed is data["allowed"]
    assert data["explanation"].strip()
    assert data["policy"]["as_of"] == case.request["as_of"]  # the corpus always gives as_of
    assert data["policy"]["revision"] == "2015-11-18"
    assert_matches(data, case.expect)


def _clauses_with_rules() -> set[str]:
    document = policykit.load_policy().document
    return {clause.id for clause in document.clauses if any(version.rule for version in clause.versions)}


def _cited(case: Case) -> set[str]:
    expect = case.expect
    return {*expect["reasons"], *expect["notices"], *(o["clause"] for o in expect["obligations"])}


def test_corpus_covers_every_clause_with_a_rule() -> None:
    cited = set().union(*(_cited(case) for case in CASES if not case.is_error))
    assert sorted(_clauses_with_rules() - cited) == []


def test_corpus_covers_every_outcome() -> None:
    assert {case.expect["outcome"] for case in CASES if not case.is_error} == set(OUTCOMES)


def test_corpus_size() -> None:
    assert len([c for c in CASES if not c.is_error]) >= 60
    assert len([c for c in CASES if c.is_error]) >= 12

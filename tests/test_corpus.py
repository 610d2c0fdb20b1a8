"""The corpus (tests/corpus/decisions.yaml, written from docs/semantics.md) through the Python API,
and through the browser's evaluator (``policykit.js`` of ``policykit.publishing.browser``, in
Debian's Chromium): every case's whole expected decision, or its exact request-error pointers and
the words its messages must name; every decision valid against schema/decision.schema.json; every
reason, obligation and notice carrying exactly its clause's interpretation, and the explanation
saying so when a reason rests on a reading the board has not confirmed; the corpus covering every
clause with a rule, every outcome and every reading of questions/readings.yaml."""

from __future__ import annotations

from datetime import date

import json
from pathlib import Path

import pytest
import yaml
from corpus_cases import (CASES, OUTCOMES, Case, assert_matches, cited_items, error_mentions_missing,
                          error_pointers)
from jsonschema import Draft202012Validator

import policykit

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "decision.schema.json"
READINGS = ROOT / "questions" / "readings.yaml"
# docs/semantics.md, "Readings": the explanation says when a reading awaits the board.
AWAITING = "has not yet confirmed"


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
        except Exception:  # noqa: BLE001 - any disagreement with the corpus
            pytest.xfail(case.xfail_reason)
        pytest.fail(f"marked xfail ({case.xfail_reason}) but now matches the corpus: remove xfail_reason")
    _check(case, policy, decision_validator)


def _check(case: Case, policy: policykit.Policy, decision_validator: Draft202012Validator) -> None:
    if case.is_error:
        with pytest.raises(policykit.RequestError) as caught:
            policy.decide(case.request)
        assert error_pointers(caught.value.errors) == case.expect["error"]
        assert error_mentions_missing(caught.value.errors, case.expect) == []
        return
    decision = policy.decide(case.request)
    data = decision.to_dict()
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in decision_validator.iter_errors(data)]
    assert problems == []
    assert decision.outcome == data["outcome"]
    assert decision.allowed is data["allowed"]
    assert data["explanation"].strip()
    assert data["policy"]["as_of"] == case.request["as_of"]  # the corpus always gives as_of
    day = date.fromisoformat(case.request["as_of"])
    assert data["policy"]["revision"] == policy.document.revision_on(day).isoformat()
    assert _reading_problems(policy, data) == []
    assert_matches(data, case.expect)


def _reading_problems(policy: policykit.Policy, data: dict) -> list[str]:
    """docs/semantics.md#readings, readings travel with answers: each item carries its clause's interpretation, or
    none when the clause has none; the explanation names the reasons whose reading is proposed."""
    problems = []
    day = date.fromisoformat(data["policy"]["as_of"])
    for where, clause_id, item in cited_items(data):
        clause = policy.document.clause(clause_id)
        reading = clause.interpretation_of(clause.version_on(day))
        want = reading.to_dict() if reading is not None else None
        if item.get("interpretation") != want:
            problems.append(f"{where} {clause_id}: interpretation {item.get('interpretation')!r}, clause has {want!r}")
    # Once, the unconfirmed readings the outcome rests on: the deciding clauses', those of the
    # obligations the explanation states (unmet, or a proviso where the answer is allowed or needs
    # approval), then for an allowed answer readings of questions/readings.yaml (tagged conditions).
    proposed = [r["id"] for r in data["reasons"] if (r.get("interpretation") or {}).get("status") == "proposed"]
    proposed += [o["clause"] for o in data["obligations"]
                 if (o.get("interpretation") or {}).get("status") == "proposed"
                 and (o["met"] is False
                      or (o["met"] is None and data["outcome"] not in ("prohibited", "undetermined")))]
    deciding = list(dict.fromkeys(proposed))
    text = data["explanation"]
    if text.count(AWAITING) > 1:
        problems.append(f"explanation says twice that a reading awaits the board: {text!r}")
    named = text.split(AWAITING + " (", 1)[1].rsplit(").", 1)[0].split(", ") if AWAITING in text else []
    probed = named[len(deciding):]
    if named[:len(deciding)] != deciding or len(set(named)) != len(named):
        problems.append(f"explanation names {named}, the deciding readings are {deciding}: {text!r}")
    if probed and (data["outcome"] not in ("permitted", "discouraged")
                   or not set(probed) <= {r["id"] for r in yaml.safe_load(
                       READINGS.read_text(encoding="utf-8"))["readings"]}):
        problems.append(f"explanation names readings {probed} an answer {data['outcome']} cannot rest on: {text!r}")
    return problems


CORPUS_DAY = date(2026, 1, 5)  # the date the corpus's questions are about (all but the date probes)


def _clauses_with_rules() -> set[str]:
    """The clauses with a rule on the corpus's own date (a later amendment brings its own scenarios)."""
    document = policykit.load_policy().document
    return {clause.id for clause in document.clauses
            if (version := clause.version_on(CORPUS_DAY)) is not None and version.rule}


def _cited(case: Case) -> set[str]:
    expect = case.expect
    return {*expect["reasons"], *expect["notices"], *(o["clause"] for o in expect["obligations"])}


def test_corpus_covers_every_clause_with_a_rule() -> None:
    cited = set().union(*(_cited(case) for case in CASES if not case.is_error))
    assert sorted(_clauses_with_rules() - cited) == []


def test_corpus_covers_every_outcome() -> None:
    assert {case.expect["outcome"] for case in CASES if not case.is_error} == set(OUTCOMES)


def test_corpus_pins_every_reading() -> None:
    known = {reading["id"] for reading in yaml.safe_load(READINGS.read_text(encoding="utf-8"))["readings"]}
    named = {reading for case in CASES for reading in case.readings}
    assert sorted(named - known) == []  # a case names only readings that exist
    assert sorted(known - named) == []  # and every reading is pinned by some case
    for reading in sorted(known):  # by a decision that pins more than the outcome
        assert any(reading in case.readings and not case.is_error for case in CASES), reading


def test_corpus_checks_interpretations_both_ways() -> None:
    statuses = [status for case in CASES if not case.is_error for status in case.expect["interpretations"].values()]
    assert "proposed" in statuses and None in statuses


def test_corpus_size() -> None:
    assert len([c for c in CASES if not c.is_error]) >= 120
    assert len([c for c in CASES if c.is_error]) >= 14


CHROMIUM = Path("/usr/bin/chromium")
BROWSER_BATCH = """(requests) => requests.map((request) => {
  try {
    return window.policykit.decide(request);
  } catch (error) {
    return {error: (error.problems || []).map(p => p.pointer), name: error.name};
  }
})"""


def test_every_case_through_the_browser(policy: policykit.Policy, tmp_path: Path) -> None:
    """The browser's evaluator, given the policy's generated data, answers every case as the
    corpus expects (a refused request: refused, naming one of the expected fields)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    from evaluatorpage import write_evaluator_page

    index = write_evaluator_page(policy, tmp_path)
    cases = [case for case in CASES if not case.xfail_reason]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto(index.as_uri())
            answers = page.evaluate(BROWSER_BATCH, [case.request for case in cases])
        finally:
            browser.close()
    assert len(answers) == len(cases)
    wrong = []
    for case, answer in zip(cases, answers):
        if case.is_error:
            named = answer.get("error") or []
            if answer.get("name") != "RequestError" or not any(
                    n == p or n.startswith(p + "/") for n in named for p in case.expect["error"]):
                wrong.append((case.name, answer))
            continue
        try:
            assert_matches(answer, case.expect)
        except AssertionError as error:
            wrong.append((case.name, str(error)[:400]))
    assert wrong == []

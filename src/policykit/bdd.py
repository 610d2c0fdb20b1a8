"""The pytest-bdd binding of the scenario language, as a pytest plugin.

Use it from a conftest with ``pytest_plugins = ["policykit.bdd"]`` and bind features with
``pytest_bdd.scenarios(...)``. Every ``Given`` is a phrasebook phrase, the ``When`` is
``I ask the policy``, every ``Then`` a check (see ``policykit.scenarios``), so a board editor
writes new scenarios without touching Python. ``@clause:<id>`` tags become ``clause`` markers;
an unknown phrase, check or clause id fails the scenario with the closest valid words."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from .api import Policy, load_policy
from .errors import did_you_mean
from .phrases import PhraseError
from .scenarios import ASK, ScenarioRun

_TAG = "clause:"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "clause(id): the policy clause a scenario illustrates (@clause:<id> tag)")


def pytest_bdd_apply_tag(tag: str, function) -> bool | None:
    """``@clause:<id>`` (a tag with a colon cannot be a registered marker name) -> ``clause(id)``."""
    if tag.startswith(_TAG):
        pytest.mark.clause(tag[len(_TAG):])(function)
        return True
    return None


@pytest.fixture(scope="session")
def policykit_policy() -> Policy:
    """The policy the scenarios are checked against (override to test another)."""
    return load_policy()


@pytest.fixture
def scenario_run(request: pytest.FixtureRequest, policykit_policy: Policy) -> ScenarioRun:
    known = {clause.id for clause in policykit_policy.document.clauses}
    for marker in request.node.iter_markers("clause"):
        clause_id = marker.args[0]
        if clause_id not in known:
            pytest.fail(f"the tag @clause:{clause_id} names an unknown clause{did_you_mean(clause_id, known)}",
                        pytrace=False)
    return ScenarioRun()


@given(parsers.re(r"(?P<text>.+)"))
def _state(scenario_run: ScenarioRun, text: str) -> None:
    try:
        scenario_run.state(text)
    except PhraseError as error:
        pytest.fail(str(error), pytrace=False)


@when(parsers.re(r"(?P<text>.+)"))
def _ask(scenario_run: ScenarioRun, policykit_policy: Policy, text: str) -> None:
    if text != ASK:
        pytest.fail(f"unknown action '{text}'; write '{ASK}'", pytrace=False)
    scenario_run.ask(policykit_policy)


@then(parsers.re(r"(?P<text>.+)"))
def _check(scenario_run: ScenarioRun, text: str) -> None:
    try:
        failures = scenario_run.check(text)
    except PhraseError as error:
        pytest.fail(str(error), pytrace=False)
    if failures:
        pytest.fail("; ".join(failures), pytrace=False)

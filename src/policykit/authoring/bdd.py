"""The pytest-bdd binding of the scenario language, as a pytest plugin.

Use it from a conftest with ``pytest_plugins = ["policykit.authoring.bdd"]`` and bind features with
``pytest_bdd.scenarios(...)``. Every ``Given`` is a phrasebook phrase, the ``When`` is
``I ask the policy``, every ``Then`` a check (see ``policykit.authoring.scenarios``), so a board editor
writes new scenarios without touching Python. ``@clause:<id>`` tags become ``clause`` markers and
``@reading:<id>`` tags (the readings of ``questions/readings.yaml``) ``reading`` markers; an unknown
phrase, check, clause id or reading id fails the scenario with the closest valid words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_bdd import given, parsers, then, when

from policykit.core.api import Policy, load_policy
from policykit.core.errors import PolicyError, did_you_mean
from policykit.authoring.phrases import PhraseError
from policykit.authoring.scenarios import ASK, CLAUSE_TAG, READING_TAG, ScenarioRun, load_reading_ids

# pytest-bdd hands tags over without their "@".
_MARKERS = {CLAUSE_TAG.removeprefix("@"): "clause", READING_TAG.removeprefix("@"): "reading"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "clause(id): the policy clause a scenario illustrates (@clause:<id> tag)")
    config.addinivalue_line("markers", "reading(id): the reading of the policy a scenario pins (@reading:<id> tag)")


def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> bool | None:
    """``@clause:<id>`` and ``@reading:<id>`` (a tag with a colon cannot be a registered marker
    name) -> ``clause(id)`` and ``reading(id)``."""
    for prefix, marker in _MARKERS.items():
        if tag.startswith(prefix):
            getattr(pytest.mark, marker)(tag[len(prefix):])(function)
            return True
    return None


@pytest.fixture(scope="session")
def policykit_policy() -> Policy:
    """The policy the scenarios are checked against (override to test another)."""
    return load_policy()


@pytest.fixture(scope="session")
def policykit_readings() -> tuple[str, ...]:
    """The reading ids that ``@reading:`` tags may name (override to test another list)."""
    try:
        return load_reading_ids()
    except PolicyError as error:
        pytest.fail(f"the readings list cannot be read:\n{error}", pytrace=False)


@pytest.fixture
def scenario_run(request: pytest.FixtureRequest, policykit_policy: Policy) -> ScenarioRun:
    known = {clause.id for clause in policykit_policy.document.clauses}
    for marker in request.node.iter_markers("clause"):
        clause_id = marker.args[0]
        if clause_id not in known:
            pytest.fail(f"the tag @clause:{clause_id} names an unknown clause{did_you_mean(clause_id, known)}",
                        pytrace=False)
    tagged = [marker.args[0] for marker in request.node.iter_markers("reading")]
    if tagged:
        readings = request.getfixturevalue("policykit_readings")
        for reading_id in tagged:
            if reading_id not in readings:
                pytest.fail(f"the tag @reading:{reading_id} names an unknown reading (not in questions/readings.yaml)"
                            f"{did_you_mean(reading_id, readings)}", pytrace=False)
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

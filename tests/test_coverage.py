"""Coverage of clauses by scenarios: deciding, notice, near miss."""

from __future__ import annotations

from pathlib import Path

import pytest

import policykit
from policykit.authoring.coverage import measure
from policykit.authoring.scenarios import read_features

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def decider() -> policykit.Policy:
    return policykit.load_policy()


def test_tagged_clauses_are_sorted_into_deciding_and_near_miss(decider):
    scenarios, _ = read_features(FIXTURES / "features-texting")
    report = measure(decider, scenarios)
    texting = next(c for c in report.clauses if c.clause == "relationships.texting-and-calling")
    prefix = "Texting students, pinned down: "
    assert texting.to_dict() == {
        "clause": "relationships.texting-and-calling", "has_rule": True,
        "deciding": [prefix + "Can I text a student about something personal?"], "notice": [],
        "near_miss": [prefix + "Can I text a student about homework from my own phone?",
                      prefix + "Can I text a colleague about the weekend?",
                      prefix + "Is e-mailing a student about the weekend covered by the texting rule?",
                      prefix + "Is a personal post in a messaging-app channel my students follow covered by the texting rule?",
                      prefix + "Can I text my own child, who is a student here, about dinner?"],
        "complete": True}
    assert report.failures == ()
    assert not report.complete  # the other clauses have no scenarios here
    scope = next(c for c in report.clauses if c.clause == "scope.purpose")
    assert (scope.has_rule, scope.complete) == (False, True)


def test_failing_scenarios_are_reported_and_make_coverage_incomplete(decider):
    scenarios, _ = read_features(FIXTURES / "features")
    report = measure(decider, scenarios)
    assert [title for title, _ in report.failures] == ["Texting students: Can I text a student about something personal?"]


def test_the_project_scenarios_cover_every_clause_section_and_outcome(decider):
    scenarios, issues = read_features(Path(__file__).parent.parent / "features",
                                      [c.id for c in decider.document.clauses])
    assert issues == []
    assert sorted({Path(s.path).stem for s in scenarios}) == sorted(s.id for s in decider.document.sections)
    report = measure(decider, scenarios)
    assert report.failures == ()
    assert [c.clause for c in report.clauses if not c.complete] == []
    # Every scenario names the date it is about, so that it keeps illustrating the revision it was
    # written for when a later amendment takes effect.
    assert [s.title for s in scenarios if "as_of" not in s.request()] == []
    outcomes = {decider.decide(s.request()).outcome for s in scenarios}
    assert outcomes == {"permitted", "discouraged", "requires_approval", "prohibited", "undetermined"}

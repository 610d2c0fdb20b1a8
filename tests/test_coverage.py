"""Coverage of clauses by scenarios: deciding, notice, near miss."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import policykit
from amend import amend
from policykit.authoring.coverage import measure
from policykit.authoring.scenarios import read_features

FIXTURES = Path(__file__).parent / "fixtures"
FUTURE = FIXTURES / "future-version"
TEXTING = "relationships.texting-and-calling"


@pytest.fixture(scope="module")
def decider() -> policykit.Policy:
    return policykit.load_policy()


def test_tagged_clauses_are_sorted_into_deciding_and_near_miss(decider):
    scenarios, _ = read_features(FIXTURES / "features-texting")
    report = measure(decider, scenarios)
    texting = next(c for c in report.versions if c.clause == "relationships.texting-and-calling")
    prefix = "Texting students, pinned down: "
    versions = decider.document.clause(TEXTING).versions
    effective = versions[0].effective.isoformat()
    until = versions[1].effective.isoformat() if len(versions) > 1 else None  # a later amendment, if any
    assert texting.to_dict() == {
        "clause": "relationships.texting-and-calling", "effective": effective, "until": until, "has_rule": True,
        "examples": 6, "deciding": [prefix + "Can I text a student about something personal?"], "notice": [],
        "near_miss": [prefix + "Can I text a student about homework from my own phone?",
                      prefix + "Can I text a colleague about the weekend?",
                      prefix + "Is e-mailing a student about the weekend covered by the texting rule?",
                      prefix + "Is a personal post in a messaging-app channel my students follow covered by the "
                               "texting rule?",
                      prefix + "Can I text my own child, who is a student here, about dinner?"],
        "complete": True, "needs": []}
    assert report.failures == ()
    assert not report.complete  # the other clauses have no scenarios here
    scope = next(c for c in report.versions if c.clause == "scope.purpose")
    assert (scope.has_rule, scope.complete) == (False, True)


def test_failing_scenarios_are_reported_and_make_coverage_incomplete(decider):
    scenarios, _ = read_features(FIXTURES / "features")
    report = measure(decider, scenarios)
    assert [title for title, _ in report.failures] == [
        "Texting students: Can I text a student about something personal?"]


def test_the_project_scenarios_cover_every_clause_section_and_outcome(decider):
    scenarios, issues = read_features(Path(__file__).parent.parent / "features",
                                      [c.id for c in decider.document.clauses])
    assert issues == []
    # one feature file per section (an amendment's examples may add files of their own)
    assert {s.id for s in decider.document.sections} <= {Path(s.path).stem for s in scenarios}
    report = measure(decider, scenarios)
    assert report.failures == ()
    assert [(v.clause, v.effective) for v in report.versions if not v.complete] == []
    # every version of every clause is reported, future ones included
    assert [(v.clause, v.effective) for v in report.versions] == [
        (c.id, v.effective) for c in decider.document.clauses for v in c.versions]
    # Every scenario names the date it is about, so that it keeps illustrating the revision it was
    # written for when a later amendment takes effect.
    assert [s.title for s in scenarios if "as_of" not in s.request()] == []
    outcomes = {decider.decide(s.request()).outcome for s in scenarios}
    assert outcomes == {"permitted", "discouraged", "requires_approval", "prohibited", "undetermined"}


def future_policy(root: Path) -> Path:
    """A copy of the shipped policy with relationships.texting-and-calling amended from 2027-07-01."""
    shutil.copytree(Path(policykit.load_policy().document.root), root)
    amend(root, TEXTING, (FUTURE / f"{TEXTING}.version.yaml").read_text(encoding="utf-8"))
    return root


@pytest.fixture(scope="module")
def amended(tmp_path_factory) -> policykit.Policy:
    return policykit.load_policy(future_policy(tmp_path_factory.mktemp("future") / "policy"))


FUTURE_DAY = date(2027, 7, 1)  # the fixture version's date (tests/fixtures/future-version)


def next_version(policy: policykit.Policy, clause: str, day: date) -> date | None:
    """The effective date of the clause's first version after ``day`` (a later amendment), if any."""
    return next((v.effective for v in policy.document.clause(clause).versions if v.effective > day), None)


def test_a_future_version_without_scenarios_in_its_range_is_named(amended):
    """Scenarios dated 2026 illustrate the version in force then; the 2027 version has none."""
    scenarios, issues = read_features(FIXTURES / "features-texting")
    assert issues == []
    report = measure(amended, scenarios)
    texting = [v for v in report.versions if v.clause == TEXTING and v.effective <= FUTURE_DAY]
    first = texting[0].effective
    later = next_version(amended, TEXTING, FUTURE_DAY)
    assert [(v.effective, v.until, v.examples, len(v.deciding), len(v.near_miss), v.complete) for v in texting] == [
        (first, FUTURE_DAY, 6, 1, 5, True), (FUTURE_DAY, later, 0, 0, 0, False)]
    assert texting[0].range_words == f"{first.isoformat()} to 2027-06-30"
    assert texting[1].needs() == (f"a scenario dated {texting[1].range_words} (no scenario is dated in this "
                                  "version's range)",)


def test_each_version_is_checked_against_the_scenarios_dated_in_its_range(amended):
    scenarios = read_features(FIXTURES / "features-texting")[0] + read_features(FUTURE / "features")[0]
    report = measure(amended, scenarios)
    assert report.failures == ()
    old, new = [v for v in report.versions if v.clause == TEXTING and v.effective <= FUTURE_DAY]
    later = next_version(amended, TEXTING, FUTURE_DAY)
    prefix = "Texting students after the 2027-07-01 amendment: "
    assert (old.examples, len(old.deciding), len(old.near_miss)) == (6, 1, 5)
    assert new.to_dict() == {
        "clause": TEXTING, "effective": "2027-07-01", "until": later and later.isoformat(), "has_rule": True,
        "examples": 5,
        "deciding": [prefix + "Can I text a student about homework from my own phone, once the amendment is in force?",
                     prefix + "Can I call a student about the weekend, once the amendment is in force?"],
        "notice": [],
        "near_miss": [prefix + "Can I call a student about homework on my cell phone, once the amendment is in force?",
                      prefix + "Can I text my own child about dinner, once the amendment is in force?",
                      prefix + "Can I text a colleague, once the amendment is in force?"],
        "complete": True, "needs": []}
    # --as-of restricts the report to the versions in force on one date
    assert [(v.clause, v.effective) for v in measure(amended, scenarios, as_of=date(2026, 1, 5)).versions
            if v.clause == TEXTING] == [(TEXTING, old.effective)]
    assert [v.effective for v in measure(amended, scenarios, as_of=date(2027, 7, 1)).versions
            if v.clause == TEXTING] == [date(2027, 7, 1)]


def test_an_undated_scenario_fails_coverage(tmp_path, decider):
    (tmp_path / "undated.feature").write_text(
        "Feature: Undated\n\n  Scenario: Browsing\n    Given I am a teacher\n    And I browse or read online\n"
        "    When I ask the policy\n    Then it is permitted\n", encoding="utf-8")
    scenarios, _ = read_features(tmp_path)
    report = measure(decider, scenarios)
    assert report.failures == (("Undated: Browsing", ("the scenario names no date; add 'Given the date is "
                                                      "YYYY-MM-DD' to its Background",)),)

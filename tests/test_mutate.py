"""Mutation testing of the scenarios: every version of every clause, each against its own
examples, with the work that cannot change an answer skipped by reasoning (checked here against
running everything)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import policykit
from policykit.authoring import mutate
from policykit.authoring.coverage import in_range
from policykit.authoring.scenarios import read_features
from policykit.core.api import Policy
from policykit.core.paths import default_features_dir
from test_coverage import FUTURE, FUTURE_DAY, future_policy, next_version

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 1, 5)
TEXTING = ["relationships.texting-and-calling"]


@pytest.fixture(scope="module")
def document():
    return policykit.load_policy().document


def test_mutants_of_a_clause(document):
    assert [m.description for m in mutate.mutants(document, TODAY, TEXTING)] == [
        "drop the rule",
        "case 1: prohibited -> requires_approval",
        "case 1: drop the condition 'action is one of message, call'",
        "case 1: drop the condition 'audience includes student'",
        "case 1: drop the condition 'channel is one of text_message, messaging_app, phone, video_call'",
        "case 1: drop the condition 'purpose is personal'",
        "case 1: drop the condition 'not (audience_is_family is true)'",
    ]
    # An obligation's case has no outcome to weaken or strengthen: its "not allowed yet while unmet"
    # comes from the clause's kind, so its mutants drop the case or one of its conditions.
    assert [m.description for m in mutate.mutants(document, TODAY, ["social-media.confidentiality"])] == [
        "drop the rule", "drop case 1", "case 1: prohibited -> requires_approval",
        "case 1: drop the condition 'action is post'",
        "case 1: drop the condition 'content includes breaches_confidentiality'",
        "drop case 2", "case 2: drop the condition 'action is post'",
        "case 2: drop the condition 'confidentiality_uncertain is true'",
    ]


def test_a_mutant_changes_only_its_clause(document):
    first = next(mutate.mutants(document, TODAY, TEXTING))
    changed = [(a.id, b.id) for a, b in zip(document.clauses, first.document.clauses) if a != b]
    assert changed == [(TEXTING[0], TEXTING[0])]
    assert first.document.clause(TEXTING[0]).version_on(TODAY).rule == ()
    assert document.clause(TEXTING[0]).version_on(TODAY).rule  # the original is untouched


def test_near_misses_kill_every_mutant(document):
    scenarios, _ = read_features(FIXTURES / "features-texting")
    seen = []
    results = mutate.run(document, scenarios, today=TODAY, day=TODAY, only=TEXTING,
                         progress=lambda done, total, result: seen.append((done, total)))
    assert [r.survived for r in results] == [False] * 7
    assert seen == [(n, 7) for n in range(1, 8)]


def test_without_near_misses_the_broadening_mutants_survive(document):
    scenarios, _ = read_features(FIXTURES / "features-texting")
    results = mutate.run(document, scenarios[:1], today=TODAY, day=TODAY, only=TEXTING)
    assert [r.mutant.description for r in results if r.survived] == [
        "case 1: drop the condition 'action is one of message, call'",
        "case 1: drop the condition 'audience includes student'",
        "case 1: drop the condition 'channel is one of text_message, messaging_app, phone, video_call'",
        "case 1: drop the condition 'purpose is personal'",
        "case 1: drop the condition 'not (audience_is_family is true)'",
    ]


@pytest.fixture(scope="module")
def amended(tmp_path_factory) -> policykit.Policy:
    return policykit.load_policy(future_policy(tmp_path_factory.mktemp("future") / "policy"))


def test_every_version_is_mutated_future_ones_included(amended):
    texting = [m for m in mutate.mutants(amended.document, only=TEXTING) if m.effective <= FUTURE_DAY]
    first = amended.document.clause(TEXTING[0]).versions[0].effective
    later = next_version(amended, TEXTING[0], FUTURE_DAY)
    assert [(m.effective, m.until) for m in texting] == [(first, FUTURE_DAY)] * 7 + [(FUTURE_DAY, later)] * 14
    assert texting[7].label == f"{TEXTING[0]} (version of 2027-07-01): drop the rule"
    # with a day, only the versions in force on it
    assert {m.effective for m in mutate.mutants(amended.document, FUTURE_DAY, TEXTING)} == {FUTURE_DAY}
    # a mutant changes its own version only
    changed = texting[7].document.clause(TEXTING[0])
    original = amended.document.clause(TEXTING[0])
    assert changed.versions[0] == original.versions[0] and changed.versions[2:] == original.versions[2:]
    assert changed.versions[1].rule == ()


def test_each_version_is_checked_against_its_own_examples(amended):
    """The 2026 scenarios kill the old version's mutants but cannot reach the 2027 version: its
    mutants survive until scenarios dated in its range exist, then those kill them."""
    old_only = read_features(FIXTURES / "features-texting")[0]
    results = [r for r in mutate.run(amended.document, old_only, today=TODAY, only=TEXTING)
               if r.mutant.effective <= FUTURE_DAY]
    assert [(r.mutant.effective, r.survived, r.examples) for r in results] == (
        [(results[0].mutant.effective, False, 6)] * 7 + [(date(2027, 7, 1), True, 0)] * 14)
    both = old_only + read_features(FUTURE / "features")[0]
    results = [r for r in mutate.run(amended.document, both, today=TODAY, only=TEXTING)
               if r.mutant.effective <= FUTURE_DAY]
    # the 2027 scenarios kill the new version's mutants that their questions can tell apart; the
    # rest survive and are named (the fixture has no near miss for them)
    new = f"{TEXTING[0]} (version of 2027-07-01): "
    assert [r.mutant.label for r in results if r.survived] == [
        new + "case 1: drop the condition 'action is one of message, call'",
        new + "case 2: drop the condition 'action is one of message, call'",
        new + "case 2: drop the condition 'audience includes student'",
        new + "case 2: drop the condition 'channel is one of phone, video_call'",
        new + "case 2: drop the condition 'not (audience_is_family is true)'"]
    assert all(r.killed_by.startswith("Texting students after the 2027-07-01 amendment")
               for r in results if r.mutant.effective == date(2027, 7, 1) and not r.survived)


def test_an_undated_scenario_is_about_today(document, tmp_path):
    (tmp_path / "undated.feature").write_text(
        "Feature: Undated\n\n  @clause:relationships.texting-and-calling\n  Scenario: Texting about the weekend\n"
        "    Given I am a teacher\n    And I send a message\n    And it goes by text message\n"
        "    And it reaches a student\n    And it is personal\n    When I ask the policy\n"
        "    Then it is prohibited\n    And it cites relationships.texting-and-calling\n", encoding="utf-8")
    scenarios, _ = read_features(tmp_path)
    assert scenarios[0].day() is None
    results = mutate.run(document, scenarios, today=TODAY, day=TODAY, only=TEXTING)
    assert results[0].killed_by == "Undated: Texting about the weekend"


def test_a_narrowed_policy_decides_every_scenario_as_the_whole_policy_does():
    policy = policykit.load_policy(today=lambda: TODAY)
    scenarios, _ = read_features(default_features_dir())
    examples = mutate._Examples(policy, scenarios, TODAY)
    assert examples.unindexed == 0
    for scenario, clauses in zip(examples.scenarios, examples.taking_part):
        assert len(clauses) < len(policy.document.clauses)
        narrowed = mutate.narrowed_decider(policy, clauses)
        request = scenario.request()
        whole, part = policy.decide(request), narrowed.decide(request)
        assert (part.outcome, part.reasons, part.obligations, part.notices, part.missing_facts,
                part.possible_outcomes, part.explanation) == (
            whole.outcome, whole.reasons, whole.obligations, whole.notices, whole.missing_facts,
            whole.possible_outcomes, whole.explanation), scenario.title


def _brute_force(document, scenarios, today):
    """Every mutant against every scenario dated in its version's range, on the whole policy:
    the whole policy with the mutant in place, and whether some dated scenario notices it."""
    outcome = []
    for mutant in mutate.mutants(document):
        whole = Policy(mutant.document, today=lambda: today)
        dated = [s for s in scenarios if in_range(s.day() or today, mutant.effective, mutant.until)]
        outcome.append((mutant.label, whole, mutate.first_failure(whole, dated) is not None))
    return outcome


def test_reasoned_skipping_finds_what_running_everything_finds(amended):
    """On the shipped scenarios (and the 2027 amendment's), the mutants killed and the survivors
    are those that running every mutant against every dated scenario finds, and each killer
    named does fail on the whole policy with that mutant."""
    scenarios = read_features(default_features_dir())[0] + read_features(FUTURE / "features")[0]
    by_title = {s.title: s for s in scenarios}
    assert mutate.first_failure(amended, scenarios) is None
    found = mutate.run(amended.document, scenarios, today=TODAY)
    expected = _brute_force(amended.document, scenarios, TODAY)
    assert [(r.mutant.label, not r.survived) for r in found] == [(label, killed) for label, _, killed in expected]
    for result, (_, whole, _) in zip(found, expected):
        if result.killed_by is not None:
            assert by_title[result.killed_by].run(whole), result.mutant.label
    assert len(found) > 100


def test_a_prepared_scenario_reports_what_running_it_reports():
    policy = policykit.load_policy(today=lambda: TODAY)
    scenarios, _ = read_features(default_features_dir())
    prepared = [s.prepare() for s in scenarios]
    assert all(p is not None for p in prepared)
    for scenario, ready in zip(scenarios, prepared):
        assert ready.failures(policy) == scenario.run(policy) == []
    weaker = mutate.narrowed_decider(policy, frozenset({"scope.purpose"}))  # one clause only: most checks fail
    for scenario, ready in zip(scenarios, prepared):
        assert bool(ready.failures(weaker)) == bool(scenario.run(weaker)), scenario.title

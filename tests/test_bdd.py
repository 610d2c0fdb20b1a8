"""The pytest-bdd binding, run in a throw-away pytest session (pytester)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

GOOD_AND_BAD = """\
Feature: Texting

  Background:
    Given the date is 2026-01-05

  @clause:relationships.texting-and-calling
  Scenario: Can I text a student about something personal?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.texting-and-calling

  @clause:relationships.texting-and-calling
  Scenario: A phrase outside the phrasebook
    Given I am a teachr
    When I ask the policy
    Then it is prohibited

  @clause:relationships.texting
  Scenario: A tag naming no clause
    Given I am a teacher
    And I browse or read online
    When I ask the policy
    Then it is permitted

  Scenario: A check that does not hold
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a staff member
    And it is about school business
    When I ask the policy
    Then it is prohibited

  @clause:relationships.texting-and-calling @reading:family
  Scenario: Can I text my own child about dinner?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And it reaches a student
    And everyone it reaches is my own family
    And it is personal
    When I ask the policy
    Then it is permitted

  @reading:famly
  Scenario: A tag naming no reading
    Given I am a teacher
    And I browse or read online
    When I ask the policy
    Then it is permitted
"""


@pytest.fixture
def session(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest('pytest_plugins = ["policykit.authoring.bdd"]\n')
    pytester.makefile(".feature", texting=GOOD_AND_BAD)
    pytester.makepyfile(test_texting="from pytest_bdd import scenarios\nscenarios('texting.feature')\n")
    return pytester


def test_scenarios_pass_and_fail_with_clear_messages(session: pytest.Pytester) -> None:
    result = session.runpytest("-p", "no:cacheprovider", "-q", "-rf")
    result.assert_outcomes(passed=2, failed=4)
    result.stdout.fnmatch_lines_random([
        "*the tag @reading:famly names an unknown reading (not in questions/readings.yaml) (did you mean 'family'?)*",
        "*unknown phrase 'I am a teachr'; closest: 'I am a teacher'; 'I am a coach'; 'I am a substitute'*",
        "*the tag @clause:relationships.texting names an unknown clause "
        "(did you mean 'relationships.texting-and-calling'?)*",
        "*expected prohibited, got permitted (Nothing in the policy restricts this, so it is permitted.)*",
    ])


def test_clause_tags_become_markers(session: pytest.Pytester) -> None:
    result = session.runpytest("-p", "no:cacheprovider", "-q", "-m", "clause", "--strict-markers")
    result.assert_outcomes(passed=2, failed=2)


def test_reading_tags_become_markers(session: pytest.Pytester) -> None:
    result = session.runpytest("-p", "no:cacheprovider", "-q", "-m", "reading", "--strict-markers")
    result.assert_outcomes(passed=1, failed=1)

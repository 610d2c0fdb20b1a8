"""Reading and running scenarios without pytest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import policykit
from policykit.authoring.phrases import PhraseError
from policykit.authoring.scenarios import UNDATED, Check, parse_check, read_features

FIXTURE = Path(__file__).parent / "fixtures" / "features"


@pytest.fixture(scope="module")
def decider() -> policykit.Policy:
    return policykit.load_policy()


@pytest.fixture(scope="module")
def clause_ids(decider) -> list[str]:
    return [c.id for c in decider.document.clauses]


def test_reading_expands_backgrounds_and_outlines(clause_ids):
    scenarios, issues = read_features(FIXTURE, clause_ids)
    assert issues == []
    assert [(s.name, s.line, s.clause_ids) for s in scenarios] == [
        ("Can I text a student about something personal?", 19, ("relationships.texting-and-calling",)),
        ("Can I text a student about something personal?", 20, ("relationships.texting-and-calling",)),
        ("Can I text a student about homework from my own phone?", 23, ("relationships.texting-and-calling",)),
        ("What if I don't say why I am texting from my own phone?", 38, ()),
    ]
    assert scenarios[1].request() == {"as_of": "2026-01-05", "actor": {"role": "teacher"}, "action": "message",
                                      "channel": "email", "audience": ["student"], "purpose": "personal"}


def test_running_reports_each_failed_check_with_its_line(decider, clause_ids):
    scenarios, _ = read_features(FIXTURE, clause_ids)
    assert [s.run(decider) for s in scenarios] == [
        [], ["line 15: expected it to cite relationships.texting-and-calling; it cites "
             "relationships.peer-communication"], [], []]


def test_problems_are_located_and_suggest_the_closest_words(tmp_path, clause_ids):
    (tmp_path / "bad.feature").write_text(
        "Feature: Bad\n\n  @clause:relationships.textin\n  Scenario: Typos\n    Given I am a teachr\n"
        "    When I ask the policy\n    Then it is forbidden\n\n  Scenario: Never asks\n    Given I am a teacher\n"
        "    Then it is permitted\n", encoding="utf-8")
    _, issues = read_features(tmp_path, clause_ids)
    shown = [str(i).split(":", 1)[1] for i in issues]
    assert shown == [
        "4:1: scenario 'Typos' is tagged with unknown clause 'relationships.textin' (did you mean "
        "'relationships.texting-and-calling'?)",
        "4:1: " + UNDATED.format(name="Typos"),
        "5:11: unknown phrase 'I am a teachr'; closest: 'I am a teacher'; 'I am a coach'; 'I am a substitute'",
        "7:10: unknown check 'it is forbidden'; closest: 'it is prohibited'; 'it is discouraged'; 'it is permitted'",
        "9:1: " + UNDATED.format(name="Never asks"),
        "9:1: scenario 'Never asks' never says 'I ask the policy'",
        "11:10: the check 'it is permitted' comes before 'I ask the policy'",
    ]


def test_gherkin_syntax_errors_are_located(tmp_path):
    (tmp_path / "broken.feature").write_text("Feature: X\n  Scenario: Y\n    Given I am a teacher\n  Nonsense here\n",
                                             encoding="utf-8")
    _, issues = read_features(tmp_path)
    assert [(i.line, i.code) for i in issues] == [(4, "gherkin")]
    assert issues[0].message.startswith("not valid Gherkin: ")


@pytest.mark.parametrize(("text", "check"), [
    ("it needs approval first", Check("outcome", "requires_approval", "it needs approval first")),
    ("it could be permitted, needing approval or prohibited",
     Check("could_be", ("permitted", "requires_approval", "prohibited"),
           "it could be permitted, needing approval or prohibited")),
    ("the policy needs to know the channel and the purpose",
     Check("needs", ("channel", "purpose"), "the policy needs to know the channel and the purpose")),
    ("my obligation under approved-sites.content-monitoring is not known yet",
     Check("obligation", ("approved-sites.content-monitoring", None),
           "my obligation under approved-sites.content-monitoring is not known yet")),
    ('the explanation says "provided you  monitor"',
     Check("says", "provided you monitor", 'the explanation says "provided you monitor"')),
    ('the explanation does not say "Not yet"', Check("not_says", "Not yet", 'the explanation does not say "Not yet"')),
])
def test_checks_parse(text, check):
    assert parse_check(text) == check


def test_an_unknown_outcome_word_is_named():
    with pytest.raises(PhraseError, match="'forbidden' is not an outcome"):
        parse_check("it could be permitted or forbidden")


def test_the_old_words_for_an_unknown_obligation_point_to_the_new_ones():
    with pytest.raises(PhraseError, match="closest: 'my obligation under <clause-id> is met / is not yet met / "
                                          "is not known yet'"):
        parse_check("my obligation under approved-sites.policy-compliance cannot be checked")


SITE_NOT_MONITORED_KNOWN = """\
Feature: Site
  Background:
    Given the date is 2026-01-05

  @clause:approved-sites.content-monitoring
  Scenario: Can I post the schedule on the approved team page?
    Given I am a coach
    And I post something
    And it is on social media
    And a school social media site is involved
    And the site has been approved
    And it reaches the public
    When I ask the policy
    Then it is permitted
    And my obligation under approved-sites.content-monitoring is not known yet
    And my obligation under approved-sites.policy-compliance is not yet met
    And the explanation says "provided you monitor the site's content regularly"
    And the explanation says "Not yet"
    And the explanation does not say "provided you monitor"
"""


def test_obligation_and_explanation_checks_report_what_the_answer_says(tmp_path, decider, clause_ids):
    (tmp_path / "site.feature").write_text(SITE_NOT_MONITORED_KNOWN, encoding="utf-8")
    scenarios, issues = read_features(tmp_path, clause_ids)
    assert issues == []
    failures = scenarios[0].run(decider)
    said = decider.decide(scenarios[0].request()).explanation
    assert "provided you monitor the site's content regularly" in said
    assert failures == [
        "line 16: expected the obligation under approved-sites.policy-compliance to be not yet met, "
        "it is not known yet",
        f'line 18: expected the explanation to say "Not yet"; it says: {said}',
        f'line 19: expected the explanation not to say "provided you monitor"; it says: {said}',
    ]


def test_reading_tags_are_read_and_unknown_ones_are_named(tmp_path, clause_ids):
    (tmp_path / "readings.feature").write_text(
        "Feature: Readings\n\n  @clause:relationships.texting-and-calling @reading:family @reading:famly\n"
        "  Scenario: Tagged\n    Given the date is 2026-01-05\n    And I am a teacher\n"
        "    And I browse or read online\n    When I ask the policy\n    Then it is permitted\n", encoding="utf-8")
    scenarios, issues = read_features(tmp_path, clause_ids)
    assert scenarios[0].reading_ids == ("family", "famly")
    assert [str(i).split(":", 1)[1] for i in issues] == [
        "4:1: scenario 'Tagged' is tagged with unknown reading 'famly' (did you mean 'family'?)"]
    _, issues = read_features(tmp_path, clause_ids, reading_ids=["famly"])
    assert [i.message for i in issues] == ["scenario 'Tagged' is tagged with unknown reading 'family' "
                                           "(did you mean 'famly'?)"]


def test_a_broken_readings_list_is_reported_once(tmp_path):
    from policykit.authoring.scenarios import read_readings

    (tmp_path / "readings.yaml").write_text("readings:\n  - id: family\n  - title: no id\n  - id: family\n",
                                            encoding="utf-8")
    ids, issues = read_readings(tmp_path / "readings.yaml")
    assert ids == ("family",)
    assert [(i.line, i.message) for i in issues] == [(3, "each reading needs an 'id'"),
                                                     (4, "the reading 'family' is listed twice")]
    (tmp_path / "other.yaml").write_text("- family\n", encoding="utf-8")
    assert read_readings(tmp_path / "other.yaml")[1][0].message == (
        "a readings list is a mapping whose 'readings' is a list")


def test_the_project_readings_list_is_read(decider):
    from policykit.authoring.scenarios import load_reading_ids

    ids = load_reading_ids()
    assert "family" in ids and len(ids) == len(set(ids))


def test_an_undated_scenario_is_a_problem_that_says_where_the_date_goes(tmp_path, clause_ids):
    """Asked as of the day it runs, an undated scenario would change meaning the morning a later
    version takes effect; the problem says to date it in its Background."""
    (tmp_path / "undated.feature").write_text(
        "Feature: Undated\n\n  Scenario: Browsing\n    Given I am a teacher\n    And I browse or read online\n"
        "    When I ask the policy\n    Then it is permitted\n", encoding="utf-8")
    scenarios, issues = read_features(tmp_path, clause_ids)
    assert [(i.line, i.column, i.code, i.message) for i in issues] == [
        (3, 1, "undated", UNDATED.format(name="Browsing"))]
    assert "add 'Given the date is YYYY-MM-DD' to the feature's Background" in issues[0].message
    assert scenarios[0].day() is None
    dated, _ = read_features(FIXTURE, clause_ids)
    assert {s.day() for s in dated} == {date(2026, 1, 5)}

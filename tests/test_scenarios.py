"""Reading and running scenarios without pytest."""

from __future__ import annotations

from pathlib import Path

import pytest

import policykit
from policykit.phrases import PhraseError
from policykit.scenarios import Check, parse_check, read_features

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
        ("Can I text a student about something personal?", 18, ("relationships.texting-and-calling",)),
        ("Can I text a student about something personal?", 19, ("relationships.texting-and-calling",)),
        ("Can I text a student about homework?", 22, ("relationships.texting-and-calling",)),
        ("What if I don't say why I am texting?", 35, ()),
    ]
    assert scenarios[1].request() == {"actor": {"role": "teacher"}, "action": "message", "channel": "email",
                                      "audience": ["student"], "purpose": "personal"}


def test_running_reports_each_failed_check_with_its_line(decider, clause_ids):
    scenarios, _ = read_features(FIXTURE, clause_ids)
    assert [s.run(decider) for s in scenarios] == [
        [], ["line 14: expected it to cite relationships.texting-and-calling; it cites "
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
        "5:11: unknown phrase 'I am a teachr'; closest: 'I am a teacher'; 'I am a coach'; 'I am a substitute'",
        "7:10: unknown check 'it is forbidden'; closest: 'it is prohibited'; 'it is discouraged'; 'it is permitted'",
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
    ("my obligation under social-media.confidentiality cannot be checked",
     Check("obligation", ("social-media.confidentiality", None),
           "my obligation under social-media.confidentiality cannot be checked")),
])
def test_checks_parse(text, check):
    assert parse_check(text) == check


def test_an_unknown_outcome_word_is_named():
    with pytest.raises(PhraseError, match="'forbidden' is not an outcome"):
        parse_check("it could be permitted or forbidden")

"""The readings of the second and third editions (questions/readings.yaml,
docs/semantics.md#readings) are each pinned by at least one scenario (tag @reading:<id>) and by at
least one question of the corpus (its ``readings:`` list)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_ROOT
from policykit.authoring.scenarios import load_reading_ids, read_features

QUESTIONS = PROJECT_ROOT / "questions"
READINGS_FILE = QUESTIONS / "readings.yaml"


@pytest.fixture(scope="module")
def readings() -> dict[str, dict]:
    """Every reading of the list, by id."""
    entries = yaml.safe_load(READINGS_FILE.read_text(encoding="utf-8"))["readings"]
    assert [entry["id"] for entry in entries] == list(load_reading_ids(READINGS_FILE))
    return {entry["id"]: entry for entry in entries}


@pytest.fixture(scope="module")
def scenarios(policy):
    found, issues = read_features(PROJECT_ROOT / "features", [c.id for c in policy.clauses],
                                  reading_ids=load_reading_ids(READINGS_FILE))
    assert issues == []
    return found


def test_every_reading_names_known_clauses(readings, policy):
    known = {clause.id for clause in policy.clauses}
    assert {rid: [c for c in r["clauses"] if c not in known] for rid, r in readings.items()
            if any(c not in known for c in r["clauses"])} == {}


def test_every_reading_is_pinned_by_a_scenario(readings, scenarios):
    pinned = {reading_id for scenario in scenarios for reading_id in scenario.reading_ids}
    assert [reading_id for reading_id in readings if reading_id not in pinned] == []


def test_a_scenario_pinning_a_reading_illustrates_one_of_its_clauses(readings, scenarios):
    """A @reading tag goes with a @clause tag of a clause the reading is about, so that coverage
    counts the scenario for that clause (deciding or near miss)."""
    stray = [(scenario.title, reading_id) for scenario in scenarios for reading_id in scenario.reading_ids
             if not set(readings[reading_id]["clauses"]) & set(scenario.clause_ids)]
    assert stray == []


def _question_files() -> list[Path]:
    return sorted(path for path in QUESTIONS.glob("*.yaml") if path != READINGS_FILE)


def _questions() -> list[tuple[str, dict]]:
    """(file name, question) for every question of every questions/*.yaml except readings.yaml;
    each file is a mapping whose ``questions`` is a list."""
    found = []
    for path in _question_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and isinstance(data.get("questions"), list), (
            f"{path.name}: expected a mapping with a 'questions' list")
        found += [(path.name, question) for question in data["questions"]]
    return found


def test_questions_name_only_known_readings(readings):
    unknown = [(name, question.get("id"), reading_id) for name, question in _questions()
               for reading_id in question.get("readings") or () if reading_id not in readings]
    assert unknown == []


def test_every_reading_is_pinned_by_a_question(readings):
    assert _question_files(), "no question files in questions/ besides readings.yaml"
    asked = {reading_id for _, question in _questions() for reading_id in question.get("readings") or ()}
    assert [reading_id for reading_id in readings if reading_id not in asked] == []

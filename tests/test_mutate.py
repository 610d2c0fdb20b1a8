"""Mutation testing of the scenarios."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import policykit
from policykit.authoring import mutate
from policykit.authoring.scenarios import read_features

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
    results = mutate.run(document, scenarios, day=TODAY, only=TEXTING,
                         progress=lambda done, total, result: seen.append((done, total)))
    assert [r.survived for r in results] == [False] * 7
    assert seen == [(n, 7) for n in range(1, 8)]


def test_without_near_misses_the_broadening_mutants_survive(document):
    scenarios, _ = read_features(FIXTURES / "features-texting")
    results = mutate.run(document, scenarios[:1], day=TODAY, only=TEXTING)
    assert [r.mutant.description for r in results if r.survived] == [
        "case 1: drop the condition 'action is one of message, call'",
        "case 1: drop the condition 'audience includes student'",
        "case 1: drop the condition 'channel is one of text_message, messaging_app, phone, video_call'",
        "case 1: drop the condition 'purpose is personal'",
        "case 1: drop the condition 'not (audience_is_family is true)'",
    ]

"""The condition language: parsing, plain-words descriptions, and three-valued evaluation."""

from __future__ import annotations

import pytest

from policykit.core.conditions import UNKNOWN, All, Any, Not, describe, evaluate, facts_read, parse_condition, to_data
from policykit.core.conditions import Test as FactTest

TEXTING = {"all": [{"fact": "audience", "has": "student"},
                   {"fact": "channel", "in": ["text_message", "phone"]},
                   {"not": {"fact": "purpose", "is": "school_business"}}]}


def test_parsing_builds_the_tree_and_to_data_inverts_it():
    condition = parse_condition(TEXTING)
    assert condition == All((FactTest("audience", "has", "student"),
                             FactTest("channel", "in", ("text_message", "phone")),
                             Not(FactTest("purpose", "is", "school_business"))))
    assert to_data(condition) == TEXTING
    assert facts_read(condition) == {"audience", "channel", "purpose"}


def test_describe_says_the_condition_in_words():
    condition = parse_condition({"any": [TEXTING, {"fact": "site", "given": True},
                                         {"fact": "content", "has_any": ["harassing", "abusive"]},
                                         {"fact": "supervisor_consulted", "is": False}]})
    assert describe(condition) == (
        "(audience includes student and channel is one of text_message, phone and not (purpose is "
        "school_business)) or site is given or content includes any of harassing, abusive or "
        "supervisor_consulted is false")


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"audience": ["student"], "channel": "phone", "purpose": "personal"}, True),
        ({"audience": ["student"], "channel": "phone", "purpose": "school_business"}, False),
        ({"audience": ["staff"], "channel": "phone"}, False),  # a false item settles all, unknowns or not
        ({"audience": ["student"], "channel": "phone"}, None),
        ({"channel": "phone", "purpose": "personal"}, None),
    ],
)
def test_evaluation_is_three_valued(facts, expected):
    assert evaluate(parse_condition(TEXTING), lambda fact: facts.get(fact, UNKNOWN)) is expected


def test_any_is_settled_by_one_true_item_and_unknown_otherwise():
    condition = Any((FactTest("channel", "is", "email"), FactTest("account", "is", "district")))
    assert evaluate(condition, {"channel": "email"}.get) is True
    assert evaluate(condition, lambda fact: {"channel": "phone"}.get(fact, UNKNOWN)) is None
    assert evaluate(condition, {"channel": "phone", "account": "personal"}.get) is False


def test_a_boolean_test_does_not_match_a_number():
    assert evaluate(FactTest("interferes_with_duties", "is", True), lambda fact: 1) is False

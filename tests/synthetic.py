"""Small synthetic policies built in memory: the minimal fixture's metadata and outcome notice,
with rules given as (condition, outcome) cases; and wide conditions (many values of one fact in one term)."""

from __future__ import annotations

from datetime import date

from policykit.core.api import Policy
from policykit.core.conditions import All, Condition
from policykit.core.conditions import Test as FactTest
from policykit.core.model import Case, Clause, ClauseVersion, PolicyDocument
from policykit.core.values import replace
from strategies import VOCABULARY

EFFECTIVE = date(2015, 11, 18)


def clause(number: int, cases: list[tuple[Condition, str]]) -> Clause:
    """Clause ``synthetic.rule-<number>`` with one version whose rule has these cases."""
    rule = tuple(Case(when, (), outcome, None, None) for when, outcome in cases)
    return Clause(f"synthetic.rule-{number}", f"Rule {number}", "relationships", "prohibition",
                  (ClauseVersion(EFFECTIVE, f"Rule {number}.", "synthetic", rule),))


def synthetic(minimal: PolicyDocument, rules: list[list[tuple[Condition, str]]]) -> Policy:
    """The minimal policy's outcome notice (on prohibited decisions), and these rules, each a list
    of (condition, outcome) cases, as clauses synthetic.rule-1, -2, …"""
    notice = minimal.clause("communications.consequences")
    return Policy(replace(minimal, clauses=tuple(clause(i + 1, cases) for i, cases in enumerate(rules))
                          + (notice,)))


EMAIL = FactTest("channel", "is", "email")
ALL_CHANNELS = VOCABULARY["channel"].value_names
WIDE = All((FactTest("channel", "in", ALL_CHANNELS[:5]), FactTest("purpose", "in", ("personal", "extracurricular")),
            FactTest("audience", "has_any", VOCABULARY["audience"].value_names),
            FactTest("account", "in", ("personal",)), FactTest("device", "in", ("personal",)),
            FactTest("network", "in", ("other",)), FactTest("location", "in", ("elsewhere",)),
            FactTest("content", "has_any", ("sexualized", "harassing")),
            FactTest("actor.role", "in", ("teacher", "coach")), FactTest("action", "in", ("message", "post"))))
"""One conjunction of membership tests over ten facts: 480 terms, and more combinations of the
values its facts mention than the old per-case enumeration limit (4096) allowed."""
NARROW = All((FactTest("channel", "in", ALL_CHANNELS[:5]), FactTest("purpose", "in", ("personal", "extracurricular"))))
"""Two of ``WIDE``'s tests: a case with it makes the other eight facts of ``WIDE`` irrelevant."""

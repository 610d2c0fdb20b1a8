"""The compiled program against the reference interpreter, case by case."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings

import policykit
from policykit.core.compiler import AtomLayout, to_terms
from policykit.core.conditions import UNKNOWN, All, Any, Not, evaluate
from policykit.core.conditions import Test as FactTest
from policykit.core.engine import term_states
from reference import lookup_in, read_as
from strategies import VOCABULARY, valid_requests

AS_OF = date(2026, 1, 5)
LAYOUT = AtomLayout.from_vocabulary(VOCABULARY)


@pytest.fixture(scope="module")
def policy() -> policykit.Policy:
    return policykit.load_policy()


def _term_kleene(terms, true: int, unknown: int) -> bool | None:
    """The terms' disjunction evaluated one term at a time, straight from the definition."""
    result: bool | None = False
    for positive, negative in terms:
        bits_p = [1 << i for i in range(positive.bit_length()) if positive >> i & 1]
        bits_n = [1 << i for i in range(negative.bit_length()) if negative >> i & 1]
        states = [True if true & b else None if unknown & b else False for b in bits_p]
        states += [False if true & b else None if unknown & b else True for b in bits_n]
        if False in states:
            continue
        if None in states:
            result = None
            continue
        return True
    return result


@settings(max_examples=300, deadline=None)
@given(request=valid_requests())
def test_every_case_of_the_compiled_program_agrees_with_the_interpreter(policy, request):
    program = policy.program(AS_OF)
    true, unknown, _, _ = policy._encode(request)
    true_terms, unknown_terms = term_states(program, true, unknown)
    by_case: dict[int, list[bool | None]] = {}
    for term, case in enumerate(program.term_case):
        state = True if true_terms >> term & 1 else None if unknown_terms >> term & 1 else False
        by_case.setdefault(case, []).append(state)
    lookup = lookup_in(read_as(request)[0])
    conditions = [case.when for clause in policy.document.clauses for case in clause.version_on(AS_OF).rule
                  if case.when is not None]
    own = [index for index, case in enumerate(program.cases) if not case.unmet]  # unmet cases: tests/test_engine
    assert len(conditions) == len(own)
    for index, condition in zip(own, conditions):
        states = by_case[index]
        compiled = True if True in states else None if None in states else False
        assert compiled == evaluate(condition, lookup), (program.cases[index], request)
        assert _term_kleene(to_terms(condition, LAYOUT), true, unknown) == compiled


CHANNEL_EMAIL = FactTest("channel", "is", "email")
AUDIENCE_STUDENT = FactTest("audience", "has", "student")


@pytest.mark.parametrize(
    ("condition", "expected_terms"),
    [
        (CHANNEL_EMAIL, [("channel", "email", "+")]),
        (Not(CHANNEL_EMAIL), [("channel", "email", "-")]),
        (FactTest("channel", "in", ("email", "phone")), [("channel", "email", "+"), ("channel", "phone", "+")]),
        (Not(Any((CHANNEL_EMAIL, AUDIENCE_STUDENT))), [("channel", "email", "-"), ("audience", "student", "-")]),
        (FactTest("supervisor_consulted", "is", False), [("supervisor_consulted", True, "-")]),
    ],
)
def test_conditions_become_terms_by_de_morgan(condition, expected_terms):
    terms = to_terms(condition, LAYOUT)
    flat = [(positive, negative) for positive, negative in terms]
    if isinstance(condition, Not) and isinstance(condition.item, Any):
        assert len(flat) == 1  # one conjunction of two negated atoms
        negative = flat[0][1]
        assert negative == LAYOUT.bits["channel"]["email"] | LAYOUT.bits["audience"]["student"]
        return
    expected = [(LAYOUT.bits[f][v], 0) if sign == "+" else (0, LAYOUT.bits[f][v]) for f, v, sign in expected_terms]
    assert flat == expected


def test_a_conjunction_distributes_over_a_disjunction():
    condition = All((AUDIENCE_STUDENT, FactTest("channel", "in", ("email", "phone"))))
    student = LAYOUT.bits["audience"]["student"]
    assert to_terms(condition, LAYOUT) == ((student | LAYOUT.bits["channel"]["email"], 0),
                                           (student | LAYOUT.bits["channel"]["phone"], 0))


def test_unknown_facts_give_unknown_not_false():
    condition = All((AUDIENCE_STUDENT, FactTest("purpose", "is", "personal")))
    request = {"actor": {"role": "teacher"}, "action": "message", "audience": ["student"]}
    assert evaluate(condition, lookup_in(request)) is None
    assert evaluate(FactTest("purpose", "is", "personal"), lambda fact: UNKNOWN) is None


def test_a_period_digest_covers_only_what_is_in_force(policy, tmp_path) -> None:
    """Adopting an amendment for a later date (the worked fixture: three clauses amended and a new
    clause listed in its section) leaves the digest of the periods before it as it was; the
    period it starts, and the whole policy's digest, change."""
    import shutil

    from amend import amend_worked
    from conftest import PROJECT_ROOT
    from policykit.core.compiler import policy_digest

    shutil.copytree(PROJECT_ROOT / "policy", tmp_path / "policy")
    effective = date.fromisoformat(amend_worked(tmp_path / "policy"))
    amended = policykit.load_policy(tmp_path / "policy")
    before, after = amended.program(AS_OF), amended.program(effective)
    assert (before.revision, before.digest) == (policy.program(AS_OF).revision, policy.program(AS_OF).digest)
    assert after.revision == effective.isoformat() and after.digest != before.digest
    assert policy_digest(amended.document) != policy_digest(policy.document)

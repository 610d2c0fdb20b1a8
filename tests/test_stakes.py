"""Exact undetermined answers against brute force over every completion.

A completion gives each missing open fact that a rule reads a value: a single-valued fact each of
its values, a list every subset, a yes/no fact both. Each completed request has nothing left to
guess, so its decision is exact; the outcomes they give are the possible ones, and a missing fact
matters when two completions differing only in it give different outcomes. Facts that only settle
an obligation (``met_by``) are not completed: an obligation whose state is unknown never changes
the outcome (docs/semantics.md#unknown-facts). Values no condition of the policy names behave
alike, so one of them stands for all (and a list ranges over the subsets of its named items);
values ``x-read-as`` reads as others are kept."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policykit
from conftest import MINIMAL
from policykit.core.api import Policy
from policykit.core.conditions import All, Any, Condition, Not
from policykit.core import conditions as condition_language
from policykit.core.conditions import Test as FactTest
from policykit.core.engine import outcome_rank
from policykit.core.loader import load_policy_dir
from policykit.core.model import OUTCOMES, PolicyDocument
from policykit.core.stakes import Stakes, analyse
from reference import observed, reference_decision
from strategies import VOCABULARY, valid_requests
from synthetic import ALL_CHANNELS, EMAIL, NARROW, WIDE, synthetic

DAY = date(2026, 1, 5)
MOST_COMPLETIONS = 1500  # requests with more are partly filled in before the brute force
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policykit.load_policy()


@pytest.fixture(scope="module")
def minimal() -> PolicyDocument:
    return load_policy_dir(MINIMAL)


# ------------------------------------------------------------------------------ brute force

def _conditions(document: PolicyDocument) -> list[Condition]:
    return [case.when for clause in document.clauses for version in clause.versions for case in version.rule
            if case.when is not None]


def _domains(document: PolicyDocument, request: dict) -> dict[str, list]:
    """Each missing open fact a condition reads, with the values its completions try."""
    named: dict[str, set] = {}
    for condition in _conditions(document):
        for test in condition_language.tests(condition):
            values = test.value if isinstance(test.value, tuple) else (test.value,)
            named.setdefault(test.fact, set()).update(values)
    domains: dict[str, list] = {}
    for fact in VOCABULARY.facts:
        parent, _, leaf = fact.path.rpartition(".")
        holder = request.get(parent) if parent else request
        if not fact.open or fact.path not in named or not isinstance(holder, dict) or leaf in holder:
            continue  # given, closed, read by no condition, or inside an object not given
        if fact.kind == "boolean":
            domains[fact.path] = [False, True]
        elif fact.kind == "list":
            items = [v for v in fact.value_names if v in named[fact.path]]
            domains[fact.path] = [list(c) for size in range(len(items) + 1)
                                  for c in itertools.combinations(items, size)]
        else:
            kept = [v.name for v in fact.values if v.name in named[fact.path] or v.read_as is not None]
            others = [v for v in fact.value_names if v not in kept]
            domains[fact.path] = kept + others[:1]
    return domains


def _fill(request: dict, values: dict) -> dict:
    filled = dict(request)
    for path, value in values.items():
        parent, _, leaf = path.rpartition(".")
        if parent:
            filled[parent] = dict(filled[parent], **{leaf: value})
        else:
            filled[path] = value
    return filled


def _size(domains: dict[str, list]) -> int:
    size = 1
    for values in domains.values():
        size *= len(values)
    return size


def bounded(document: PolicyDocument, request: dict, data) -> dict:
    """The request, with its largest missing facts filled in (drawn) until brute force is cheap."""
    while _size(domains := _domains(document, request)) > MOST_COMPLETIONS:
        path = max(domains, key=lambda p: len(domains[p]))
        request = _fill(request, {path: data.draw(st.sampled_from(domains[path]), label=path)})
    return request


def brute_force(policy: Policy, request: dict) -> dict:
    """Outcome, possible outcomes and missing facts, from the decisions of every completion; and
    the clauses that some completion's decision gives as reasons."""
    domains = _domains(policy.document, request)
    paths = list(domains)
    outcomes: dict[tuple[int, ...], int] = {}
    cited: set[str] = set()
    for choice in itertools.product(*(range(len(domains[p])) for p in paths)):
        completed = _fill(request, {p: domains[p][i] for p, i in zip(paths, choice)})
        decision = policy.decide(completed, as_of=DAY)
        assert decision.outcome != "undetermined", completed
        outcomes[choice] = OUTCOMES.index(decision.outcome)
        cited.update(r.id for r in decision.reasons)
    possible = sorted(set(outcomes.values()))

    def matters(index: int) -> bool:
        seen: dict[tuple[int, ...], int] = {}
        return any(seen.setdefault(c[:index] + c[index + 1:], o) != o for c, o in outcomes.items())

    if len(possible) == 1:
        return {"outcome": OUTCOMES[possible[0]], "possible_outcomes": (), "missing_facts": (), "cited": cited}
    return {"outcome": "undetermined", "possible_outcomes": tuple(OUTCOMES[r] for r in possible),
            "missing_facts": tuple(p for i, p in enumerate(paths) if matters(i)), "cited": cited}


def assert_exact(policy: Policy, request: dict) -> None:
    """decide() against the brute force, and engine.outcome_rank against decide(); its reasons
    against the reference reading (a case yields the outcome when it is true, or by exhaustion
    when it is at stake and some completion makes it true: the interpreter reads that case by
    case), which are reasons some completion cites when the decision is determined."""
    decision = policy.decide(request, as_of=DAY)
    expected = brute_force(policy, request)  # outcome, possible outcomes and missing facts
    cited = expected.pop("cited")
    got = {"outcome": decision.outcome, "possible_outcomes": decision.possible_outcomes,
           "missing_facts": decision.missing_facts}
    assert got == expected
    true, unknown, _, _ = policy._encode(request)
    rank = -1 if decision.outcome == "undetermined" else OUTCOMES.index(decision.outcome)
    assert outcome_rank(policy.program(DAY), true, unknown) == rank  # what diff and alternatives read
    reference = reference_decision(policy.document, request, DAY)
    assert observed(decision) == reference
    if decision.outcome != "undetermined":
        assert set(reference.reasons) <= cited


# ------------------------------------------------------------------------- (a) the shipped policy

@PROPERTY
@given(request=valid_requests(), data=st.data())
def test_the_shipped_policy_answers_as_brute_force_over_completions(shipped, request, data):
    request = bounded(shipped.document, {k: v for k, v in request.items() if k != "as_of"}, data)
    assert_exact(shipped, request)


# ----------------------------------------------------------------------- (b) synthetic policies

CHOICES = ("channel", "account", "device", "network", "location", "purpose", "action")
LISTS = ("audience", "content")


def _test(fact: str) -> st.SearchStrategy[Condition]:
    values = VOCABULARY[fact].value_names
    subset = st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True).map(tuple)
    if fact in LISTS:
        return st.one_of(st.sampled_from(values).map(lambda v: FactTest(fact, "has", v)),
                         subset.map(lambda vs: FactTest(fact, "has_any", vs)))
    return st.one_of(st.sampled_from(values).map(lambda v: FactTest(fact, "is", v)),
                     subset.map(lambda vs: FactTest(fact, "in", vs)))


def conditions() -> st.SearchStrategy[Condition]:
    leaf = st.sampled_from(CHOICES + LISTS).flatmap(_test)
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda items: All(tuple(items))),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: Any(tuple(items))),
        inner.map(Not)), max_leaves=5)


def wide_condition() -> st.SearchStrategy[Condition]:
    """One conjunction of membership tests over ten facts: up to 2^10 terms, and far more
    combinations of the facts' values than the old per-case enumeration limit (4096)."""
    facts = ("actor.role", "action", "channel", "account", "device", "network", "location", "purpose",
             "audience", "content")
    return st.tuples(*(st.lists(st.sampled_from(VOCABULARY[f].value_names), min_size=1, max_size=2, unique=True)
                       for f in facts)).map(lambda picks: All(tuple(
                           FactTest(f, "has_any" if f in LISTS else "in", tuple(vs)) for f, vs in zip(facts, picks))))


OUTCOME = st.sampled_from(OUTCOMES[1:])
CASES = st.lists(st.tuples(conditions(), OUTCOME), min_size=1, max_size=2)


@PROPERTY
@given(rules=st.lists(CASES, min_size=1, max_size=4), wide=st.lists(st.tuples(wide_condition(), OUTCOME),
                                                                       max_size=2),
       request=valid_requests(), data=st.data())
def test_synthetic_policies_answer_as_brute_force_over_completions(minimal, rules, wide, request, data):
    policy = synthetic(minimal, rules + ([wide] if wide else []))
    request = bounded(policy.document, {k: v for k, v in request.items() if k != "as_of"}, data)
    assert_exact(policy, request)


def _covering(fact: str, parts: list[tuple[str, ...]], outcome: str = "prohibited") -> list[list]:
    """Cases whose conditions, each over ``fact``, together cover every value of it."""
    return [[(FactTest(fact, "in", values), outcome)] for values in parts]


@PROPERTY
@given(data=st.data(), request=valid_requests())
def test_cases_that_cover_each_other_decide_by_exhaustion(minimal, data, request):
    fact = data.draw(st.sampled_from(CHOICES[:-1]))
    values = list(VOCABULARY[fact].value_names)
    cut = data.draw(st.integers(1, len(values) - 1))
    outcome = data.draw(OUTCOME)
    policy = synthetic(minimal, _covering(fact, [tuple(values[:cut]), tuple(values[cut:])], outcome))
    request = {k: v for k, v in request.items() if k not in ("as_of", fact)}
    decision = policy.decide(request, as_of=DAY)
    assert (decision.outcome, decision.missing_facts, decision.possible_outcomes) == (outcome, (), ())
    assert [r.id for r in decision.reasons] == ["synthetic.rule-1", "synthetic.rule-2"]
    assert_exact(policy, request)


# ------------------------------------------------------------------------------ the A/B example

TEXT_A_STUDENT = {"actor": {"role": "teacher"}, "action": "message", "audience": ["student"]}


def test_a_and_b_together_cover_every_channel_so_a_missing_channel_cannot_matter(minimal):
    policy = synthetic(minimal, [[(EMAIL, "prohibited")], [(Not(EMAIL), "prohibited")]])
    decision = policy.decide(TEXT_A_STUDENT, as_of=DAY)
    assert (decision.outcome, decision.allowed, decision.missing_facts, decision.possible_outcomes) == (
        "prohibited", False, (), ())
    assert [r.id for r in decision.reasons] == ["synthetic.rule-1", "synthetic.rule-2"]
    assert [n.clause for n in decision.notices] == ["communications.consequences"]  # on_outcome cases fire
    assert decision.explanation == ("This is prohibited under “Rule 1” (synthetic.rule-1) and “Rule 2” "
                                    "(synthetic.rule-2).")


def test_stakes_reads_the_a_b_example_over_the_compiled_program(minimal):
    policy = synthetic(minimal, [[(EMAIL, "prohibited")], [(Not(EMAIL), "prohibited")],
                                 [(FactTest("account", "is", "personal"), "discouraged")]])
    program = policy.program(DAY)
    true, unknown, _, _ = policy._encode(TEXT_A_STUDENT)
    everything = program.all_terms
    assert analyse(program, true, unknown, 0, everything) == Stakes((3,), (), (0, 1, 2))
    assert analyse(program, true, unknown, 0, everything).rank == 3


def test_one_of_a_and_b_left_open_makes_the_channel_matter(minimal):
    policy = synthetic(minimal, [[(EMAIL, "prohibited")],
                                 [(All((Not(EMAIL), FactTest("purpose", "is", "personal"))), "prohibited")]])
    decision = policy.decide(TEXT_A_STUDENT, as_of=DAY)
    assert (decision.outcome, decision.missing_facts, decision.possible_outcomes) == (
        "undetermined", ("channel", "purpose"), ("permitted", "prohibited"))
    assert [r.id for r in decision.reasons] == ["synthetic.rule-1", "synthetic.rule-2"]
    assert decision.notices == ()  # the outcome is not known: no on_outcome case fires
    settled = policy.decide({**TEXT_A_STUDENT, "purpose": "personal"}, as_of=DAY)
    assert (settled.outcome, settled.missing_facts) == ("prohibited", ())


def test_a_fact_another_case_makes_irrelevant_is_not_missing(minimal):
    personal = FactTest("account", "is", "personal")
    policy = synthetic(minimal, [[(All((FactTest("channel", "in", ("email", "phone")), personal)), "prohibited")],
                                 [(FactTest("channel", "in", ("email", "phone")), "prohibited")]])
    decision = policy.decide(TEXT_A_STUDENT, as_of=DAY)
    assert (decision.outcome, decision.missing_facts, decision.possible_outcomes) == (
        "undetermined", ("channel",), ("permitted", "prohibited"))
    assert_exact(policy, TEXT_A_STUDENT)


def test_a_stronger_outcome_by_exhaustion_above_a_true_one(minimal):
    policy = synthetic(minimal, [[(FactTest("audience", "has", "student"), "discouraged")],
                                 [(EMAIL, "requires_approval")], [(Not(EMAIL), "requires_approval")]])
    decision = policy.decide(TEXT_A_STUDENT, as_of=DAY)
    assert (decision.outcome, decision.missing_facts) == ("requires_approval", ())
    assert [r.id for r in decision.reasons] == ["synthetic.rule-2", "synthetic.rule-3"]
    assert decision.notices == ()  # the minimal policy's notice is for prohibited decisions only


# ---------------------------------------------------------------------------------- wide rules

BARE = {"actor": {"role": "teacher"}, "action": "message", "content": ["harassing"]}


def test_a_wide_clause_decides_exactly_and_in_reasonable_time(minimal):
    policy = synthetic(minimal, [[(WIDE, "prohibited")]])
    assert len(policy.program(DAY).term_pairs) == 5 * 2 * 6 * 2 * 2 * 2
    decision = policy.decide(BARE, as_of=DAY)
    assert (decision.outcome, decision.possible_outcomes) == ("undetermined", ("permitted", "prohibited"))
    assert decision.missing_facts == ("channel", "account", "device", "network", "location", "audience", "purpose")


def test_a_wide_clause_another_covers_needs_only_the_facts_of_the_other(minimal):
    policy = synthetic(minimal, [[(WIDE, "prohibited")], [(NARROW, "prohibited")]])
    decision = policy.decide(BARE, as_of=DAY)
    assert (decision.outcome, decision.missing_facts, decision.possible_outcomes) == (
        "undetermined", ("channel", "purpose"), ("permitted", "prohibited"))
    assert [r.id for r in decision.reasons] == ["synthetic.rule-1", "synthetic.rule-2"]
    assert_exact(policy, {**BARE, "account": "personal", "device": "district", "location": "school",
                          "network": "other"})


def test_wide_cases_covering_each_other_decide_by_exhaustion(minimal):
    halves = [ALL_CHANNELS[:4], ALL_CHANNELS[4:]]
    rules = [[(All((FactTest("channel", "in", half), *WIDE.items[1:])), "prohibited")] for half in halves]
    policy = synthetic(minimal, rules + [[(All(WIDE.items[1:]), "discouraged")]])
    full = {**BARE, "purpose": "personal", "audience": ["public"], "account": "personal", "device": "personal",
            "network": "other", "location": "elsewhere"}
    decision = policy.decide(full, as_of=DAY)
    assert (decision.outcome, decision.missing_facts, decision.possible_outcomes) == ("prohibited", (), ())
    assert [r.id for r in decision.reasons] == ["synthetic.rule-1", "synthetic.rule-2"]
    open_purpose = {k: v for k, v in full.items() if k != "purpose"}
    decision = policy.decide(open_purpose, as_of=DAY)
    assert (decision.outcome, decision.missing_facts, decision.possible_outcomes) == (
        "undetermined", ("purpose",), ("permitted", "prohibited"))
    assert_exact(policy, open_purpose)


def test_a_value_read_as_another_is_not_a_value_the_rules_can_see(minimal):
    counseling = FactTest("purpose", "is", "counseling")
    policy = synthetic(minimal, [[(Not(counseling), "prohibited")], [(counseling, "discouraged")]])
    teacher = {"actor": {"role": "teacher"}, "action": "message"}
    decision = policy.decide(teacher, as_of=DAY)  # a teacher's counseling is read as personal
    assert (decision.outcome, decision.missing_facts, [r.id for r in decision.reasons]) == (
        "prohibited", (), ["synthetic.rule-1"])
    assert_exact(policy, teacher)
    counselor = {"actor": {"role": "school_counselor"}, "action": "message"}
    decision = policy.decide(counselor, as_of=DAY)
    assert (decision.outcome, decision.missing_facts, decision.possible_outcomes) == (
        "undetermined", ("purpose",), ("discouraged", "prohibited"))
    assert_exact(policy, counselor)

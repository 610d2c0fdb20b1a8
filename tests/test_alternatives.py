"""Ways to do it within the policy, against an independent oracle written here by plain
enumeration of every combination of changes to the facts the employee controls (read straight
from the request schema file), deciding each changed request through the public API."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

import policykit
from policykit.core.model import OUTCOMES
from policykit.core.alternatives import SearchBudget, search_budget
from policykit.core.request import fact_value
from strategies import valid_requests

AS_OF = date(2026, 1, 5)
SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schema" / "request.schema.json")
                    .read_text(encoding="utf-8"))
DEFS = SCHEMA["$defs"]
DECISION_SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schema" / "decision.schema.json")
                             .read_text(encoding="utf-8"))
ORACLE_LIMIT = 3000  # change sets the oracle may try for one request (hypothesis discards larger spaces)
RELEVANT_LIMIT = 12  # at most this many facts the employee could change: the oracle always finishes


@pytest.fixture(scope="module")
def policy() -> policykit.Policy:
    return policykit.load_policy()


def _values(ref: str) -> list[dict]:
    return DEFS[ref.rsplit("/", 1)[-1]]["oneOf"]


def _controllable() -> list[tuple[str, str, dict]]:
    """(path, kind, schema node) of every x-controllable fact, in schema order."""
    found = []

    def walk(properties: dict, prefix: str) -> None:
        for name, node in properties.items():
            path = prefix + name
            if node.get("type") == "object":
                walk(node["properties"], path + ".")
            elif node.get("x-controllable"):
                kind = {"array": "list", "boolean": "boolean"}.get(node.get("type"), "choice")
                found.append((path, kind, node))

    walk(SCHEMA["properties"], "")
    return found


CONTROLLABLE = _controllable()


def _vocabulary_order() -> dict[str, int]:
    order: list[str] = []

    def walk(properties: dict, prefix: str) -> None:
        for name, node in properties.items():
            order.append(prefix + name)
            if node.get("type") == "object" and "properties" in node:
                walk(node["properties"], prefix + name + ".")

    walk(SCHEMA["properties"], "")
    return {path: i for i, path in enumerate(order)}


ORDER = _vocabulary_order()


def _set(request: dict, path: str, value: object) -> None:
    *parents, leaf = path.split(".")
    node = request
    for parent in parents:
        node = node.setdefault(parent, {})
    node[leaf] = value


def atoms(request: dict) -> list[tuple[str, object, bool, tuple[int, int], bool]]:
    """(fact, value or removed item, is a removal, (fact order, value order), District route)."""
    found = []
    channels = {b["const"]: b["x-channels"] for b in DEFS["action"]["oneOf"]}[request["action"]]
    for path, kind, node in CONTROLLABLE:
        if path.startswith("site.") and "site" not in request:
            continue  # the search never adds a site
        current = fact_value(request, path)
        if kind == "choice":
            for index, value in enumerate(_values(node["$ref"])):
                name = value["const"]
                if name != current and (path != "channel" or name in channels):
                    found.append((path, name, False, (ORDER[path], index), bool(value.get("x-district-route"))))
        elif kind == "list":
            for index, value in enumerate(_values(node["items"]["$ref"])):
                if value["const"] in (current or []):
                    found.append((path, value["const"], True, (ORDER[path], index), False))
        elif current is not True:
            found.append((path, True, False, (ORDER[path], 0), False))
    return found


def changed(request: dict, combo) -> dict:
    new = json.loads(json.dumps(request))
    for path, value, removal, _, _ in combo:
        if removal:
            _set(new, path, [v for v in fact_value(new, path) if v != value])
        else:
            _set(new, path, value)
    return new


def relevant_facts(request: dict) -> int:
    """How many facts of the request the employee could change: each controllable choice, each
    yes/no not yet taken, each content item or site use that could be left out."""
    return len({(a[0], a[1]) if a[2] else a[0] for a in atoms(request)})


def oracle(policy: policykit.Policy, request: dict, limit: int | None = ORACLE_LIMIT) -> list[tuple[tuple, str]] | None:
    """The expected alternatives as ((fact, value or removed items) ..., outcome), or None when the
    space is larger than ``limit`` change sets (None: no limit)."""
    decision = policy.decide(request, as_of=AS_OF)
    if decision.outcome in ("permitted", "undetermined"):
        return []
    current = OUTCOMES.index(decision.outcome)
    expected: list[tuple[tuple, str]] = []
    for reason in decision.reasons:  # the clauses' own remedies first, in the reasons' order
        remedy = policy.document.clause(reason.id).remedy
        if remedy is None:
            continue
        new = json.loads(json.dumps(request))
        changes = []
        for path, value in remedy.set:
            if fact_value(new, path) != value:
                _set(new, path, value)
                changes.append((path, value))
        for path, items in remedy.remove:
            present = tuple(i for i in items if i in (fact_value(new, path) or []))
            if present:
                _set(new, path, [v for v in fact_value(new, path) if v not in present])
                changes.append((path, present))
        if changes:
            outcome = policy.decide(new, as_of=AS_OF).outcome
            if outcome != "undetermined" and OUTCOMES.index(outcome) < current:
                expected.append((OUTCOMES.index(outcome), tuple(changes), outcome))
    expected.sort(key=lambda item: item[0])
    remedies = [(changes, outcome) for _, changes, outcome in expected]
    pool = atoms(request)
    facts = [(a[0], a[1]) if a[2] else a[0] for a in pool]
    never = len(OUTCOMES)  # the rank of an undetermined outcome: never as good as any other
    rank: dict[tuple[int, ...], int] = {}  # change set (indices into pool) -> its outcome's rank
    below: dict[tuple[int, ...], int] = {}  # change set -> the best rank of any non-empty proper subset
    ranked = []
    tried = 0
    for size in range(1, len(pool) + 1):
        for combo in itertools.combinations(range(len(pool)), size):
            if len({facts[i] for i in combo}) < size:
                continue
            tried += 1
            if limit is not None and tried > limit:
                return None
            outcome = policy.decide(changed(request, [pool[i] for i in combo]), as_of=AS_OF).outcome
            rank[combo] = never if outcome == "undetermined" else OUTCOMES.index(outcome)
            subsets = [combo[:j] + combo[j + 1:] for j in range(size)] if size > 1 else []
            below[combo] = min((min(rank[sub], below[sub]) for sub in subsets), default=never)
            if rank[combo] >= current or below[combo] <= rank[combo]:
                continue  # not better, or fewer of its changes do as well
            chosen = sorted((pool[i] for i in combo), key=lambda a: a[3])
            ranked.append(((rank[combo], size, not any(a[4] for a in chosen),
                            tuple(a[3] for a in chosen)), chosen, outcome))
        ranked.sort(key=lambda item: item[0])
        if len(ranked) >= 3 and ranked[2][0][0] == 0:
            break
    found = list(remedies)
    for _, chosen, outcome in ranked:
        changes = []
        for path, value, removal, _, _ in chosen:
            if removal and changes and changes[-1][0] == path and isinstance(changes[-1][1], tuple):
                changes[-1] = (path, changes[-1][1] + (value,))
            else:
                changes.append((path, (value,) if removal else value))
        if tuple(changes) not in [c for c, _ in found]:
            found.append((tuple(changes), outcome))
    return found[:3]


def observed(decision: policykit.Decision) -> list[tuple[tuple, str]]:
    return [(tuple((c.fact, c.removed if c.removed else c.value) for c in a.changes), a.outcome)
            for a in decision.alternatives]


def small_requests() -> st.SearchStrategy[dict]:
    """Valid requests, with a few content items and site uses so the oracle's space stays small."""
    return valid_requests().map(_trim)


def _trim(request: dict) -> dict:
    request = dict(request)
    request.pop("as_of", None)
    if "content" in request:
        request["content"] = request["content"][:3]
    if "site" in request and "uses" in request["site"]:
        request["site"] = dict(request["site"], uses=request["site"]["uses"][:2])
    return request


UNKNOWN_TERM_REQUEST = {"action": "message", "actor": {"role": "teacher"},
                        "content": ["reflects_negatively_on_district"], "purpose": "school_business"}
"""A request whose better outcome needs a removal while a stronger case's term is unknown but false
in every completion: that term neither blocks the outcome nor forces an item."""


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(request=small_requests())
@example(request=UNKNOWN_TERM_REQUEST)
def test_the_alternatives_are_the_oracles(policy, request):
    expected = oracle(policy, request)
    assume(expected is not None)
    decision = policy.decide(request, as_of=AS_OF, alternatives=True)
    assert observed(decision) == expected


def _as_atoms(alternative) -> frozenset:
    """An alternative's changes as single changes: (fact, value) or (fact, item left out)."""
    return frozenset(item for change in alternative.changes
                     for item in ([(change.fact, ("out", v)) for v in change.removed] if change.removed
                                  else [(change.fact, change.value)]))


def _corpus() -> list:
    from policykit.authoring.questions import all_questions, load_questions

    return [q for q in all_questions(load_questions()) if not q.is_refused]


CONTENT = [value["const"] for value in _values(SCHEMA["properties"]["content"]["items"]["$ref"])]


def many_content_requests() -> st.SearchStrategy[dict]:
    """The corpus's questions that have a way within the policy, or any valid request (every
    controllable fact may be given), with 0 to every content item: the number drawn first, half
    the time from 0 to all (so that long lists are as likely as short ones), half the time from 0
    to 5 (so that the oracle can follow)."""
    def with_content(request: dict, order: list[str], count: int) -> dict:
        request = json.loads(json.dumps(request))
        request.pop("as_of", None)
        request["content"] = order[:count]
        return request

    corpus = st.sampled_from([q.request for q in _corpus() if q.instead is not None])
    bases = st.one_of(corpus, valid_requests())
    counts = st.one_of(st.integers(0, len(CONTENT)), st.integers(0, 5))
    return st.builds(with_content, bases, st.permutations(CONTENT), counts)


class _Work:
    """Counts the policy work an alternatives search does, independently of its own budget: every
    outcome decided (``outcome_rank``) and every term-state reading (``term_states``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from policykit.core import engine

        self.ranks = self.states = 0
        outcome_rank, term_states = engine.outcome_rank, engine.term_states

        def counted_rank(*args):
            self.ranks += 1
            return outcome_rank(*args)

        def counted_states(*args):
            self.states += 1
            return term_states(*args)

        monkeypatch.setattr(engine, "outcome_rank", counted_rank)
        monkeypatch.setattr(engine, "term_states", counted_states)


def _subsets_do_as_well(policy: policykit.Policy, request: dict, alternative) -> list:
    """Every non-empty proper subset of an alternative's single changes whose determined outcome is
    as good as the alternative's or better (empty for a minimal alternative)."""
    single = sorted(_as_atoms(alternative), key=repr)
    rank = OUTCOMES.index(alternative.outcome)
    found = []
    for size in range(1, len(single)):
        for subset in itertools.combinations(single, size):
            new = json.loads(json.dumps(request))
            for fact, value in subset:
                if isinstance(value, tuple):  # ("out", item)
                    _set(new, fact, [v for v in fact_value(new, fact) if v != value[1]])
                else:
                    _set(new, fact, value)
            outcome = policy.decide(new, as_of=AS_OF).outcome
            if outcome != "undetermined" and OUTCOMES.index(outcome) <= rank:
                found.append((subset, outcome))
    return found


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(request=many_content_requests(), limit=st.one_of(st.none(), st.integers(1, 120)))
def test_alternatives_stay_within_the_budget_verified_and_minimal_with_any_number_of_content_items(policy, request,
                                                                                                  limit):
    """Requests with 0 to every content item and any controllable fact, searched with the declared
    budget or a small one: the search decides at most the budget's number of change sets (counted
    here, not by the budget itself), each alternative is verified by deciding it, strictly better
    and determined, none is a superset of another that does as well, and no proper subset of a
    searched one does as well; a search that finished within a small budget answers as with the
    declared one, and where the request has at most 12 facts the employee could change and the
    search finished, the answer is the plain-enumeration oracle's."""
    declared = search_budget()
    assert declared == DECISION_SCHEMA["properties"]["alternatives"]["x-search-budget"]
    cap = declared if limit is None else limit
    budget = SearchBudget(cap)
    with pytest.MonkeyPatch.context() as monkeypatch:
        work = _Work(monkeypatch)
        decision = policy.decide(request, as_of=AS_OF, alternatives=True, budget=budget)
    # The outcomes decided, and the term states read besides (one for the request itself), counted
    # here: never more than the steps the budget allowed.
    assert work.ranks <= budget.spent <= cap and work.states - work.ranks <= budget.spent + 1, (work.ranks, work.states)
    assert decision.to_dict()["alternatives_complete"] is decision.alternatives_complete
    if decision.alternatives_complete is False:
        assert budget.left == 0
        event("the search reached its budget")
    event(f"{decision.outcome}, {len(decision.alternatives or ())} alternatives")
    for alternative in decision.alternatives:
        assert _decide_changed(policy, request, alternative).outcome == alternative.outcome != "undetermined"
        assert OUTCOMES.index(alternative.outcome) < OUTCOMES.index(decision.outcome)
    searched = [a for a in decision.alternatives if a.remedy_of is None]
    shapes = [(_as_atoms(a), OUTCOMES.index(a.outcome)) for a in searched]
    assert not any(a < b and rank_a <= rank_b for a, rank_a in shapes for b, rank_b in shapes), \
        "an alternative contains another that does as well"
    for alternative in searched:
        if len(_as_atoms(alternative)) <= 8:
            assert _subsets_do_as_well(policy, request, alternative) == [], alternative.text
    if limit is not None and decision.alternatives_complete:
        full = policy.decide(request, as_of=AS_OF, alternatives=True)
        assert (full.alternatives, full.alternatives_complete) == (decision.alternatives, True)
    if relevant_facts(request) <= RELEVANT_LIMIT and decision.alternatives_complete:
        expected = oracle(policy, request, limit=None)
        event("compared with the oracle" + (", alternatives found" if expected else ""))
        assert observed(decision) == expected


def test_corpus_questions_with_added_content_items_get_the_oracles_alternatives(policy):
    """Seeded, so that the comparison cannot come out empty: 40 of the corpus's questions that have
    a way within the policy, each with 0-4 content items added (at most 12 facts the employee could
    change): the search finishes and its answer is the plain-enumeration oracle's."""
    import random

    rng = random.Random(22)
    corpus = [q.request for q in _corpus() if q.instead is not None]
    found = 0
    for _ in range(40):
        request = json.loads(json.dumps(rng.choice(corpus)))
        request.pop("as_of", None)
        request["content"] = rng.sample(CONTENT, rng.randint(0, 4))
        assert relevant_facts(request) <= RELEVANT_LIMIT
        decision = policy.decide(request, as_of=AS_OF, alternatives=True)
        assert decision.alternatives_complete in (True, None)
        expected = oracle(policy, request, limit=None)
        assert observed(decision) == expected, request
        found += bool(expected)
    assert found >= 15


def test_a_search_cut_short_says_so_and_what_it_gives_is_still_verified(policy):
    request = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
               "device": "personal", "audience": ["student"], "purpose": "school_business",
               "content": ["profane_or_obscene", "harassing"]}
    full = policy.decide(request, as_of=AS_OF, alternatives=True)
    assert full.alternatives_complete is True and full.to_dict()["alternatives_complete"] is True
    assert [(a.text, a.outcome) for a in full.alternatives] == [
        ("Use your District account instead of your personal account; leave out the profanity; and leave out "
         "the harassment.", "permitted"),
        ("Write a letter on paper instead of a text message; leave out the profanity; and leave out the "
         "harassment.", "permitted"),
        ("Leave out the profanity; and leave out the harassment.", "discouraged")]
    short = policy.decide(request, as_of=AS_OF, alternatives=True, budget=SearchBudget(2))
    assert short.alternatives_complete is False and short.to_dict()["alternatives_complete"] is False
    # Two steps: the empty change set, and one decision of it with the removal worked out directly.
    assert [(a.text, a.outcome) for a in short.alternatives] == [
        ("Leave out the profanity; and leave out the harassment.", "discouraged")]
    for alternative in short.alternatives:
        assert _decide_changed(policy, request, alternative).outcome == alternative.outcome
    gone = policy.decide(request, as_of=AS_OF, alternatives=True, budget=SearchBudget(10**6, lambda: True))
    assert gone.alternatives_complete is False
    assert [a for a in gone.alternatives if a.remedy_of is None] == []


def _decide_changed(policy: policykit.Policy, request: dict, alternative) -> policykit.Decision:
    new = json.loads(json.dumps(request))
    for change in alternative.changes:
        if change.removed:
            _set(new, change.fact, [v for v in fact_value(new, change.fact) if v not in change.removed])
        else:
            _set(new, change.fact, change.value)
    return policy.decide(new, as_of=AS_OF)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=small_requests())
def test_alternatives_touch_only_what_the_employee_controls_and_each_is_verified(policy, request):
    decision = policy.decide(request, as_of=AS_OF, alternatives=True)
    controllable = {path for path, _, _ in CONTROLLABLE}
    current = decision.outcome
    for alternative in decision.alternatives:
        assert {c.fact for c in alternative.changes} <= controllable
        if alternative.remedy_of is None:
            assert "site" in request or not any(c.fact.startswith("site.") for c in alternative.changes)
        new = json.loads(json.dumps(request))
        for change in alternative.changes:
            if change.removed:
                _set(new, change.fact, [v for v in fact_value(new, change.fact) if v not in change.removed])
            else:
                _set(new, change.fact, change.value)
        again = policy.decide(new, as_of=AS_OF)
        assert again.outcome == alternative.outcome != "undetermined"
        assert OUTCOMES.index(alternative.outcome) < OUTCOMES.index(current)
    if current in ("permitted", "undetermined"):
        assert decision.alternatives == ()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=small_requests())
def test_questions_name_every_missing_fact_with_the_outcome_of_each_answer(policy, request):
    decision = policy.decide(request, as_of=AS_OF, alternatives=True)
    if decision.outcome != "undetermined":
        assert decision.questions == ()
        return
    assert sorted(q.fact for q in decision.questions) == sorted(decision.missing_facts)
    remaining = []
    for question in decision.questions:
        counts = []
        for answer in question.answers:
            value = list(answer.value) if isinstance(answer.value, tuple) else answer.value
            new = json.loads(json.dumps(request))
            _set(new, question.fact, value)
            result = policy.decide(new, as_of=AS_OF)
            assert result.outcome == answer.outcome
            counts.append(1 if result.outcome != "undetermined" else len(result.possible_outcomes))
        remaining.append((max(counts), sum(counts), ORDER[question.fact]))
    assert remaining == sorted(remaining)


def test_plain_decide_does_no_alternative_work(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
                              "account": "personal", "audience": ["student"], "purpose": "school_business"},
                             as_of=AS_OF)
    assert decision.alternatives is None and "alternatives" not in decision.to_dict()


@pytest.mark.parametrize(("request_", "first"), [
    ({"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
      "device": "personal", "audience": ["student"], "purpose": "school_business"},
     ((("account", "district"),), "permitted", "communications.district-email")),
    ({"actor": {"role": "teacher"}, "action": "post", "channel": "social_media", "account": "personal",
      "audience": ["public"], "purpose": "personal", "confidentiality_uncertain": True},
     ((("supervisor_consulted", True),), "permitted", "social-media.confidentiality")),
    ({"actor": {"role": "coach"}, "action": "create_site", "channel": "social_media", "account": "personal",
      "purpose": "extracurricular"},
     ((("site.supervisor_informed", True), ("site.approved", True)), "permitted", "approved-sites.prior-notice")),
], ids=["texting-homework", "unsure-confidential", "team-instagram"])
def test_the_first_alternative_is_the_clauses_own_remedy(policy, request_, first):
    decision = policy.decide(request_, as_of=AS_OF, alternatives=True)
    alternative = decision.alternatives[0]
    assert (tuple((c.fact, c.value) for c in alternative.changes), alternative.outcome, alternative.remedy_of) == first
    assert decision.to_dict()["alternatives"][0]["remedy_of"] == first[2]


def test_a_search_alternative_says_what_to_do_instead_in_words(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
                              "account": "personal", "audience": ["student"], "purpose": "school_business"},
                             as_of=AS_OF, alternatives=True)
    texts = [a.text for a in decision.alternatives]
    assert texts[0] == "Use a District-managed account."
    assert "Write a letter on paper instead of a text message." in texts


def test_an_unknown_term_false_in_every_completion_does_not_block_a_smaller_change(policy):
    decision = policy.decide(UNKNOWN_TERM_REQUEST, as_of=AS_OF, alternatives=True)
    assert decision.outcome == "discouraged"
    assert [(observed_one, a.text) for observed_one, a in zip(observed(decision), decision.alternatives)] == [
        (((("account", "district"), ("content", ("reflects_negatively_on_district",))), "permitted"),
         "Use your District account; and leave out what reflects badly on the District."),
        (((("channel", "letter"), ("content", ("reflects_negatively_on_district",))), "permitted"),
         "Write a letter on paper; and leave out what reflects badly on the District."),
    ]
    assert decision.alternatives_complete is True
    assert observed(decision) == oracle(policy, UNKNOWN_TERM_REQUEST)


def test_removing_content_is_the_smallest_removal(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "email",
                              "account": "district", "audience": ["student"], "purpose": "school_business",
                              "content": ["profane_or_obscene", "harassing", "illegal_drug_use"]},
                             as_of=AS_OF, alternatives=True)
    assert [(a.changes[0].removed, a.outcome) for a in decision.alternatives] == [
        (("profane_or_obscene", "harassing"), "permitted")]
    assert decision.alternatives[0].text == "Leave out the profanity; and leave out the harassment."


@pytest.mark.parametrize("question", _corpus(), ids=lambda q: q.id)
def test_the_question_corpus_states_the_first_way_or_the_first_question(policy, question):
    decision = policy.decide(question.request, alternatives=True)
    if decision.outcome == "permitted":
        assert question.instead is None and question.ask_first is None
    elif decision.outcome == "undetermined":
        assert question.instead is None
        assert decision.questions[0].fact == question.ask_first
    else:
        assert question.ask_first is None
        assert question.instead is not None, "a question that is not permitted states its first alternative"
        first = decision.alternatives[0] if decision.alternatives else None
        assert ((first.text, first.outcome) if first else ("", "")) == question.instead

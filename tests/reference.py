"""A deliberately plain reading of SPEC §4 and §6 over the model, with the reference interpreter
of ``policykit.core.conditions``: no bitsets, no tables, no caches. Tests compare the engine to it.

What a missing fact means, which values are read as others and which clause kinds make an
unmet obligation escalate are read straight from the schema files' annotations
(``x-when-missing``, ``x-read-as``, ``x-unmet-obligation``), the one declaration every
evaluator shares."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from policykit.core.conditions import UNKNOWN, evaluate, facts_read, tests
from policykit.core.model import OUTCOMES, PolicyDocument
from policykit.core.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary()
SCHEMA = Path(__file__).resolve().parent.parent / "schema"
_KINDS = json.loads((SCHEMA / "clause.schema.json").read_text(encoding="utf-8"))["properties"]["kind"]["oneOf"]
ESCALATES = {entry["const"]: entry["x-unmet-obligation"] for entry in _KINDS if "x-unmet-obligation" in entry}


def read_as(request: dict) -> tuple[dict, tuple[str, ...]]:
    """The request as the rules read it (x-read-as applied) and the explanations of what was reread."""
    request = dict(request)
    said = []
    for fact in VOCABULARY.facts:
        for value in fact.values:
            rule = value.read_as
            if rule is None or "." in fact.path or request.get(fact.path) != value.name:
                continue
            holder, _, name = rule.unless_fact.partition(".")
            unless = request.get(holder, {}).get(name) if name else request.get(holder)
            if unless != rule.unless_value:
                request[fact.path] = rule.value
                said.append(rule.explanation)
    return request, tuple(said)


@dataclass(frozen=True)
class Expected:
    outcome: str
    reasons: tuple[str, ...]
    obligations: tuple[tuple[str, str, bool | None], ...]
    notices: tuple[tuple[str, str], ...]
    missing_facts: tuple[str, ...]
    possible_outcomes: tuple[str, ...]


def lookup_in(request: dict):
    """Fact values with the schema's defaults: x-when-missing unknown is open, false and empty closed."""

    def lookup(path: str) -> object:
        node: object = request
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                fact = VOCABULARY[path]
                if fact.kind == "object":
                    return None  # not given: known, never unknown
                if fact.open:
                    return UNKNOWN
                if fact.kind == "boolean":
                    return False
                if fact.kind == "list":
                    return []
                return UNKNOWN
            node = node[part]
        return node

    return lookup


def reference_decision(document: PolicyDocument, request: dict, day: date) -> Expected:
    request, _ = read_as(request)
    lookup = lookup_in(request)
    true_cases, unknown_cases, outcome_cases, effect_cases = [], [], [], []
    for clause in document.clauses:
        version = clause.version_on(day)
        if version is None:
            continue
        for case in version.rule:
            if case.when is None:
                outcome_cases.append((clause, case))
                continue
            state = evaluate(case.when, lookup)
            if state is True:
                true_cases.append((clause, case))
                effect_cases.append((clause, case))
            elif state is None and case.outcome:
                unknown_cases.append((clause, case))
            # SPEC §6: a mandatory obligation known to be unmet makes the action not allowed.
            obligation = case.obligation
            if obligation and obligation.met_by and clause.kind in ESCALATES and lookup(obligation.met_by) is False:
                unmet = replace(case, outcome=ESCALATES[clause.kind], obligation=None, notice=None)
                if state is True:
                    true_cases.append((clause, unmet))
                elif state is None:
                    unknown_cases.append((clause, unmet))
    rank = {o: i for i, o in enumerate(OUTCOMES)}
    best = max((rank[c.outcome] for _, c in true_cases if c.outcome), default=0)
    stake = [(cl, c) for cl, c in unknown_cases if rank[c.outcome] > best]
    fired = list(effect_cases)

    def ids(pairs):
        seen: list[str] = []
        for clause, _ in pairs:
            if clause.id not in seen:
                seen.append(clause.id)
        return tuple(seen)

    if stake:
        outcome = "undetermined"
        reasons = ids(stake)
        order = [f.path for f in VOCABULARY.facts]
        missing = {fact for _, c in stake for fact in relevant_unknowns(c.when, request)}
        missing_facts = tuple(sorted(missing, key=order.index))
        possible = tuple(OUTCOMES[r] for r in sorted({best, *(rank[c.outcome] for _, c in stake)}))
    else:
        outcome = OUTCOMES[best]
        reasons = ids([(cl, c) for cl, c in true_cases if c.outcome and rank[c.outcome] == best])
        missing_facts = possible = ()
        fired += [(cl, c) for cl, c in outcome_cases if outcome in c.on_outcome]
    clause_order = [c.id for c in document.clauses]
    fired.sort(key=lambda pair: clause_order.index(pair[0].id))  # stable: case order within a clause
    obligations = tuple(
        (cl.id, c.obligation.text, _met(lookup, c.obligation.met_by)) for cl, c in fired if c.obligation)
    notices = tuple((cl.id, c.notice) for cl, c in fired if c.notice)
    return Expected(outcome, reasons, obligations, notices, missing_facts, possible)


def _met(lookup, met_by: str | None) -> bool | None:
    if met_by is None:
        return None
    value = lookup(met_by)
    return None if value is UNKNOWN else value is True


def _mentioned(condition, fact: str) -> list[str]:
    return sorted({v for t in tests(condition) if t.fact == fact
                   for v in (t.value if isinstance(t.value, tuple) else (t.value,))})


def relevant_unknowns(condition, request: dict) -> set[str]:
    """The unknown facts that are not dummies of the condition, by brute force with the
    interpreter: a fact counts if, for some values of the other unknown facts, two of its
    values give different answers. Values the condition never names behave alike, so each
    fact ranges over the values it names (plus one it does not, or for a list every subset)."""
    lookup = lookup_in(request)
    unknown = sorted(f for f in facts_read(condition) if lookup(f) is UNKNOWN)
    domains = {}
    for fact in unknown:
        named = _mentioned(condition, fact)
        values = VOCABULARY[fact].value_names
        if VOCABULARY[fact].kind == "list":
            domains[fact] = [[v for i, v in enumerate(named) if mask >> i & 1] for mask in range(1 << len(named))]
        else:
            domains[fact] = named + [v for v in values if v not in named][:1]
    found = set()
    for fact in unknown:
        others = [f for f in unknown if f != fact]
        for combo in itertools.product(*(domains[f] for f in others)):
            fixed = dict(zip(others, combo))
            answers = {evaluate(condition, _with(lookup, {**fixed, fact: value})) for value in domains[fact]}
            if len(answers) > 1:
                found.add(fact)
                break
    return found


def _with(lookup, values: dict):
    return lambda path: values[path] if path in values else lookup(path)


def observed(decision) -> Expected:
    return Expected(
        decision.outcome,
        tuple(r.id for r in decision.reasons),
        tuple((o.clause, o.text, o.met) for o in decision.obligations),
        tuple((n.clause, n.text) for n in decision.notices),
        decision.missing_facts,
        decision.possible_outcomes,
    )

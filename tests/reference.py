"""A deliberately plain reading of docs/semantics.md over the model, with the reference interpreter
of ``policykit.core.conditions``: no bitsets, no tables, no caches. Tests compare the engine to it.
An undetermined reading is settled by brute force: every completion of the missing facts the
cases at stake read is decided, and the outcomes they give are the possible ones (one outcome:
that is the decision).

What a missing fact means, which values are read as others and which clause kinds make an
unmet obligation escalate are read straight from the schema files' annotations
(``x-when-missing``, ``x-read-as``, ``x-unmet-obligation``), the one declaration every
evaluator shares."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from policykit.core.conditions import UNKNOWN, evaluate, facts_read
from policykit.core.model import OUTCOMES, PolicyDocument
from policykit.core.values import replace
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
    original = request
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
            # docs/semantics.md#obligations: a mandatory obligation known to be unmet makes the action not allowed.
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

    outcomes, made_true, missing_facts = completions(original, lookup, stake, best)
    possible = tuple(OUTCOMES[r] for r in sorted(set(outcomes.values())))
    if len(possible) > 1:
        outcome = "undetermined"
        reasons = ids([pair for pair in stake if pair in made_true])
    else:
        outcome = possible[0]
        reasons = ids([(cl, c) for cl, c in true_cases + made_true if c.outcome == outcome])
        missing_facts = possible = ()
        fired += [(cl, c) for cl, c in outcome_cases if outcome in c.on_outcome]
    clause_order = [c.id for c in document.clauses]
    fired.sort(key=lambda pair: clause_order.index(pair[0].id))  # stable: case order within a clause
    obligations = tuple(
        (cl.id, c.obligation.text, _met(lookup, c.obligation.met_by)) for cl, c in fired if c.obligation)
    notices = tuple((cl.id, c.notice) for cl, c in fired if c.notice)
    return Expected(outcome, reasons, obligations, notices, missing_facts, possible)


def completions(request: dict, lookup, stake: list, best: int) -> tuple[dict, list, tuple[str, ...]]:
    """Brute force over every completion of the unknown facts the ``stake`` cases read: each takes
    every value it can take (a single value each, a list every subset, a yes/no fact both), as the
    request's rules read it (x-read-as). Returns each completion's outcome rank (the strongest of
    ``best`` and the stake cases it makes true), the stake cases some completion makes true, and the
    facts whose value alone changes the outcome for some values of the others (schema order)."""
    rank = {o: i for i, o in enumerate(OUTCOMES)}
    order = [f.path for f in VOCABULARY.facts]
    unknown = sorted({f for _, c in stake for f in facts_read(c.when) if lookup(f) is UNKNOWN}, key=order.index)
    domains = []
    for path in unknown:
        fact = VOCABULARY[path]
        if fact.kind == "list":
            values = [list(combo) for size in range(len(fact.value_names) + 1)
                      for combo in itertools.combinations(fact.value_names, size)]
        elif fact.kind == "boolean":
            values = [False, True]
        else:  # a single value, as the rules read it: counseling may be read as personal
            values = list(dict.fromkeys(read_as({**request, path: v})[0][path] if "." not in path else v
                                        for v in fact.value_names))
        domains.append(values)
    memo: list[dict] = [{} for _ in stake]
    reads = [sorted(facts_read(c.when)) for _, c in stake]
    outcomes: dict[tuple[int, ...], int] = {}
    made_true: set[int] = set()
    for choice in itertools.product(*(range(len(d)) for d in domains)):
        values = {path: domains[i][pick] for i, (path, pick) in enumerate(zip(unknown, choice))}
        result = best
        for index, (_, case) in enumerate(stake):
            key = tuple(repr(values[f]) if f in values else None for f in reads[index])
            holds = memo[index].get(key)
            if holds is None:
                holds = memo[index][key] = evaluate(case.when, _with(lookup, values)) is True
            if holds:
                made_true.add(index)
                result = max(result, rank[case.outcome])
        outcomes[choice] = result
    missing = tuple(path for i, path in enumerate(unknown) if _depends_on(outcomes, i))
    return outcomes, [pair for i, pair in enumerate(stake) if i in made_true], missing


def _depends_on(outcomes: dict[tuple[int, ...], int], index: int) -> bool:
    """Whether two completions differing only in the ``index``-th fact have different outcomes."""
    seen: dict[tuple[int, ...], int] = {}
    for choice, outcome in outcomes.items():
        if seen.setdefault(choice[:index] + choice[index + 1:], outcome) != outcome:
            return True
    return False


def _met(lookup, met_by: str | None) -> bool | None:
    if met_by is None:
        return None
    value = lookup(met_by)
    return None if value is UNKNOWN else value is True


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

"""Warnings about a valid policy that a board editor should look at: rules that can never decide
(their condition can never hold, or a stronger rule always holds with them), clauses that always
decide together, request values no rule reads, and readings awaiting board confirmation. Each is
located as ``file:line:col``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from policykit.core.compiler import RANK, AtomLayout, Terms, bits_of, to_terms
from policykit.core.conditions import tests
from policykit.core.errors import PolicyIssue
from policykit.core.loader import check_policy_dir, display_path
from policykit.core.model import Case, Clause, PolicyDocument
from policykit.core.paths import schema_dir
from policykit.core.vocabulary import Vocabulary, load_vocabulary
from policykit.core.yamlfile import JsonPath, read_yaml

_Locate = Callable[[Clause, JsonPath, str, str], PolicyIssue]
"""A warning about a clause, located at a path of its file."""

CODES = {
    "never-applies": "a rule case whose condition can never hold",
    "always-outranked": "a rule case whose outcome is always overridden by a stronger one",
    "decide-together": "two clauses whose rules always decide together",
    "unread-value": "a request value no rule reads",
    "awaiting-board": "an interpretation awaiting board confirmation",
}


@dataclass(frozen=True)
class _Ruled:
    clause: Clause
    version_index: int
    case_index: int
    case: Case
    terms: Terms


def lint_policy_dir(root: Path | str, ignore: frozenset[str] = frozenset()) -> list[PolicyIssue]:
    """Validation errors if the policy is not valid; otherwise the lint warnings (minus ``ignore``)."""
    document, errors = check_policy_dir(root)
    if document is None:
        return errors
    vocabulary = load_vocabulary()
    layout = AtomLayout.from_vocabulary(vocabulary)
    positions = {clause.id: read_yaml(Path(clause.source), clause.source)[0] for clause in document.clauses}

    def at(clause: Clause, path: JsonPath, message: str, code: str) -> PolicyIssue:
        doc = positions[clause.id]
        pos = doc.position(path) if doc else None
        return PolicyIssue(clause.source, pos.line if pos else 1, pos.column if pos else 1, message, code, "warning")

    found: list[PolicyIssue] = []
    for day in document.effective_dates():
        ruled = [_Ruled(clause, clause.versions.index(version), j, case, to_terms(case.when, layout))
                 for clause in document.clauses if (version := clause.version_on(day)) is not None
                 for j, case in enumerate(version.rule) if case.when is not None]
        found += _never_and_outranked(ruled, layout, at)
        found += _together(ruled, layout, at)
    found += _unread_values(document, vocabulary)
    for clause in document.clauses:
        if clause.interpretation and clause.interpretation.status == "proposed":
            found.append(at(clause, ("interpretation", "status"),
                            f"the reading of '{clause.id}' awaits board confirmation (status: proposed)",
                            "awaiting-board"))
    return sorted({issue for issue in found if issue.code not in ignore})


def _satisfiable(positive: int, negative: int, layout: AtomLayout) -> bool:
    if positive & negative:
        return False
    for fact in layout.choice_facts:
        mask = layout.masks[fact]
        if bin(positive & mask).count("1") > 1 or (negative & mask) == mask:
            return False
    return True


def _implied_false(positive: int, layout: AtomLayout) -> int:
    """Bits a term's positive part makes false: the other values of each single-valued fact."""
    implied = 0
    for fact in layout.choice_facts:
        mask = layout.masks[fact]
        if positive & mask:
            implied |= mask & ~positive
    return implied


def _implies(term: tuple[int, int], other: tuple[int, int], layout: AtomLayout) -> bool:
    """Whether ``term`` holding means ``other`` holds."""
    positive, negative = term
    return not other[0] & ~positive and not other[1] & ~(negative | _implied_false(positive, layout))


def _case_path(item: _Ruled) -> JsonPath:
    return ("versions", item.version_index, "rule", item.case_index)


class _TermIndex:
    """Terms indexed by their positive mask, to find every term implied by a given one without
    comparing it with all of them: ``u`` is implied by ``t`` only if ``u``'s positive bits are a
    subset of ``t``'s, and a term has few positive bits, so the subsets of ``t``'s are few."""

    def __init__(self, layout: AtomLayout) -> None:
        self.layout = layout
        self.by_positive: dict[int, list[tuple[int, _Ruled]]] = {}

    def add(self, term: tuple[int, int], item: _Ruled) -> None:
        self.by_positive.setdefault(term[0], []).append((term[1], item))

    def implied_by(self, term: tuple[int, int]) -> Iterator[_Ruled]:
        """The indexed cases with a term that ``term`` implies (each case at most once per subset)."""
        positive, negative = term
        allowed = negative | _implied_false(positive, self.layout)
        bits = bits_of(positive)
        for choice in range(1 << len(bits)):
            subset = 0
            for i, bit in enumerate(bits):
                if choice >> i & 1:
                    subset |= bit
            for other_negative, item in self.by_positive.get(subset, ()):
                if not other_negative & ~allowed:
                    yield item


def _live_terms(item: _Ruled, layout: AtomLayout) -> list[tuple[int, int]]:
    return [t for t in item.terms if _satisfiable(*t, layout)]


def _never_and_outranked(ruled: list[_Ruled], layout: AtomLayout, at: _Locate) -> Iterator[PolicyIssue]:
    by_rank = {rank: _TermIndex(layout) for rank in RANK.values()}
    for item in ruled:
        if item.case.outcome:
            for term in _live_terms(item, layout):
                by_rank[RANK[item.case.outcome]].add(term, item)
    for item in ruled:
        live = _live_terms(item, layout)
        if not live:
            yield at(item.clause, _case_path(item) + ("when",),
                     f"case {item.case_index + 1} of '{item.clause.id}' can never apply: its condition "
                     "contradicts itself", "never-applies")
            continue
        if item.case.outcome is None:
            continue
        rank = RANK[item.case.outcome]
        stronger = [by_rank[r] for r in by_rank if r > rank]
        beaten_by = set()
        for term in live:
            winners = {o.clause.id for index in stronger for o in index.implied_by(term)}
            if not winners:
                break
            beaten_by |= winners
        else:
            yield at(item.clause, _case_path(item) + ("outcome",),
                     f"case {item.case_index + 1} of '{item.clause.id}' never decides: whenever it applies, "
                     f"{', '.join(sorted(beaten_by))} gives a stronger outcome", "always-outranked")


def _together(ruled: list[_Ruled], layout: AtomLayout, at: _Locate) -> Iterator[PolicyIssue]:
    """Pairs of cases of different clauses with the same outcome whose conditions hold for exactly
    the same requests. Candidates come from the index: a partner must have a term implied by
    this case's first term; only those are compared in full."""
    deciding = [r for r in ruled if r.case.outcome]
    order = {id(item): i for i, item in enumerate(deciding)}
    live = {id(item): _live_terms(item, layout) for item in deciding}
    index = _TermIndex(layout)
    for item in deciding:
        for term in live[id(item)]:
            index.add(term, item)
    for first in deciding:
        a = live[id(first)]
        if not a:
            continue
        candidates = {id(c): c for c in index.implied_by(a[0])
                      if order[id(c)] > order[id(first)] and c.clause.id != first.clause.id
                      and c.case.outcome == first.case.outcome}
        for second in sorted(candidates.values(), key=lambda c: order[id(c)]):
            b = live[id(second)]
            if b and all(any(_implies(t, u, layout) for u in b) for t in a) and \
                    all(any(_implies(u, t, layout) for t in a) for u in b):
                yield at(second.clause, _case_path(second) + ("when",),
                         f"'{second.clause.id}' always decides together with '{first.clause.id}': their conditions "
                         "hold for exactly the same requests", "decide-together")


def _unread_values(document: PolicyDocument, vocabulary: Vocabulary) -> Iterator[PolicyIssue]:
    read: set[tuple[str, object]] = set()
    for clause in document.clauses:
        for version in clause.versions:
            for case in version.rule:
                if case.when is None:
                    continue
                for test in tests(case.when):
                    values = test.value if isinstance(test.value, tuple) else (test.value,)
                    read.update((test.fact, v) for v in values)
    path = schema_dir() / "request.schema.json"
    text = path.read_text(encoding="utf-8")
    shown = display_path(path)
    for fact in vocabulary.facts:
        for value in fact.values:
            if (fact.path, value.name) in read:
                continue
            line, column = _locate(text, fact.definition, value.name)
            yield PolicyIssue(shown, line, column, f"no rule reads {fact.path} = '{value.name}'", "unread-value",
                              "warning")


def _locate(text: str, definition: str, value: str) -> tuple[int, int]:
    """Line and column of a value's ``"const"`` inside a $defs entry of the schema text."""
    start = text.find(f'"{definition}": {{') if definition else 0
    match = re.compile(r'"const":\s*' + re.escape(json.dumps(value))).search(text, max(start, 0))
    offset = match.start() if match else 0
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

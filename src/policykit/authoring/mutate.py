"""Mutation testing of the scenarios: change one clause version's rule at a time (drop it, drop a
case, make an outcome one step weaker or stronger, drop one condition of a case's ``all``) and
run the scenarios against the changed policy. A mutant no scenario notices is a hole in the
examples: the scenarios would not catch that mistake in the encoding.

Every version of every clause is mutated, future ones included, and each mutant is checked
against its own version's examples: the scenarios dated in the range in which that version is in
force (``coverage.version_ranges``). A scenario that names no date is about ``today``.

The work grows about linearly with the policy, not with its square, because two kinds of work
are skipped by reasoning rather than by running:

* a scenario can notice a mutant only if the mutated clause can take part in its decision: some
  case of the clause (as written or as mutated) is not *false* on the scenario's request. Which
  scenarios those are is read off an index of the scenarios' requests (per fact value, the set
  of scenarios stating it, as one integer) with a few bitwise operations per term;
* a clause whose cases are all false on a request takes no part in its decision (no reason, no
  duty, no notice, nothing at stake), so a scenario is run against a *narrowed* policy: only the
  clauses that can take part in its decision, with the mutated one in place. Building it costs
  what those few clauses cost, not what the whole policy costs. ``narrowed_decider`` is public
  so a test can check that a narrowed policy decides every scenario as the whole policy does.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from policykit.core.api import Policy
from policykit.core.compiler import to_terms
from policykit.core.conditions import All, describe
from policykit.core.engine import term_states
from policykit.core.model import OUTCOMES, Case, Clause, PolicyDocument
from policykit.core.values import replace
from policykit.authoring.coverage import version_ranges
from policykit.authoring.scenarios import Scenario


@dataclass(frozen=True)
class Mutant:
    """One changed version of one clause."""

    clause: str
    description: str
    version: int  # index of the mutated version in the clause's versions
    effective: date  # the mutated version's effective date
    until: date | None  # the next version's effective date (exclusive), None for the last
    changed: Clause = field(repr=False)  # the clause with the mutated version in place
    base: PolicyDocument = field(repr=False, compare=False)

    @property
    def document(self) -> PolicyDocument:
        """The whole policy with the mutant in place."""
        clauses = tuple(self.changed if c.id == self.clause else c for c in self.base.clauses)
        return replace(self.base, clauses=clauses)

    @property
    def label(self) -> str:
        """The mutant in words: the clause, the version's date when it has several, the change."""
        several = len(self.changed.versions) > 1
        where = f"{self.clause} (version of {self.effective.isoformat()})" if several else self.clause
        return f"{where}: {self.description}"


@dataclass(frozen=True)
class MutantResult:
    mutant: Mutant
    killed_by: str | None  # a scenario that noticed (its own examples are tried first), None if it survived
    examples: int = 0  # how many scenarios are dated in the mutated version's range

    @property
    def survived(self) -> bool:
        return self.killed_by is None


def _with_rule(clause: Clause, index: int, rule: tuple[Case, ...]) -> Clause:
    versions = tuple(replace(v, rule=rule) if i == index else v for i, v in enumerate(clause.versions))
    return replace(clause, versions=versions)


def _rule_mutants(rule: tuple[Case, ...]) -> Iterator[tuple[str, tuple[Case, ...]]]:
    """(description, mutated rule) for every mutant of one rule, in a fixed order."""
    yield "drop the rule", ()
    for i, case in enumerate(rule):
        label = f"case {i + 1}"
        if len(rule) > 1:
            yield f"drop {label}", rule[:i] + rule[i + 1:]
        if case.outcome:
            rank = OUTCOMES.index(case.outcome)
            for other in (rank - 1, rank + 1):
                if 0 <= other < len(OUTCOMES):
                    yield (f"{label}: {case.outcome} -> {OUTCOMES[other]}",
                           rule[:i] + (replace(case, outcome=OUTCOMES[other]),) + rule[i + 1:])
        if isinstance(case.when, All) and len(case.when.items) > 1:
            for j, item in enumerate(case.when.items):
                rest = case.when.items[:j] + case.when.items[j + 1:]
                when = rest[0] if len(rest) == 1 else All(rest)
                dropped = rule[:i] + (replace(case, when=when),) + rule[i + 1:]
                yield f"{label}: drop the condition '{describe(item)}'", dropped


def mutants(document: PolicyDocument, day: date | None = None, only: Sequence[str] = ()) -> Iterator[Mutant]:
    """Every mutant of every clause version with a rule (of the clauses in ``only``, if given);
    with ``day``, only of the versions in force on that day."""
    for clause in document.clauses:
        if only and clause.id not in only:
            continue
        for index, start, until in version_ranges(clause):
            version = clause.versions[index]
            if not version.rule or (day is not None and not (start <= day and (until is None or day < until))):
                continue
            for description, rule in _rule_mutants(version.rule):
                yield Mutant(clause.id, description, index, start, until, _with_rule(clause, index, rule), document)


def first_failure(policy: Policy, scenarios: Sequence[Scenario]) -> str | None:
    """The title of the first scenario that fails against ``policy``, or None."""
    for scenario in scenarios:
        if scenario.run(policy):
            return scenario.title
    return None


class _Examples:
    """The scenarios, indexed for the question "which of them can a change to this clause reach?".

    Scenarios are numbered in date order, so the scenarios of a date range are a run of bits.
    For every bit of the request layout, ``stated[b]`` has bit ``i`` set when scenario ``i``'s
    request states that value and ``open[b]`` when its request leaves it unknown."""

    def __init__(self, policy: Policy, scenarios: Sequence[Scenario], today: date) -> None:
        self.policy = policy
        dated = []
        for position, scenario in enumerate(scenarios):
            request = scenario.request()
            day = scenario.day() or today
            encoded = policy.encode(request)
            dated.append((day, position, scenario, encoded))
        dated.sort(key=lambda item: (item[0], item[1]))
        self.days = [day for day, *_ in dated]
        self.positions = [position for _, position, _, _ in dated]
        self.scenarios = [scenario for _, _, scenario, _ in dated]
        self.prepared = [scenario.prepare() for scenario in self.scenarios]
        self.tagged: dict[str, int] = {}  # clause id -> the scenarios tagged with it, as bits
        for number, scenario in enumerate(self.scenarios):
            for clause_id in scenario.clause_ids:
                self.tagged[clause_id] = self.tagged.get(clause_id, 0) | 1 << number
        self.all = (1 << len(dated)) - 1
        self.unindexed = 0  # scenarios whose request does not encode: every mutant tries them
        self.stated: dict[int, int] = {}
        self.open: dict[int, int] = {}
        self.taking_part: list[frozenset[str]] = []  # per scenario: the clauses that can take part
        for number, (day, _, _, encoded) in enumerate(dated):
            if encoded is None or day < policy.first_date:
                self.unindexed |= 1 << number
                self.taking_part.append(frozenset(c.id for c in policy.document.clauses))
                continue
            true, unknown, _ = encoded
            for mask, table in ((true, self.stated), (unknown, self.open)):
                while mask:
                    low = mask & -mask
                    table[low] = table.get(low, 0) | 1 << number
                    mask ^= low
            self.taking_part.append(self._taking_part(day, true, unknown))

    def _taking_part(self, day: date, true: int, unknown: int) -> frozenset[str]:
        program = self.policy.program(day)
        true_terms, unknown_terms = term_states(program, true, unknown)
        live = true_terms | unknown_terms
        clauses = {program.outcome_cases[i].clause for i in range(len(program.outcome_cases))}
        # A case that a reading's condition kept from deciding still names that reading.
        clauses.update(program.cases[probe.case].clause for probe in program.probes
                       if any(not positive & ~(true | unknown) and not negative & true
                              for positive, negative in probe.terms))
        while live:
            low = live & -live
            clauses.add(program.cases[program.term_case[low.bit_length() - 1]].clause)
            live ^= low
        return frozenset(program.reasons[i].id for i in clauses)

    def in_range(self, start: date, until: date | None) -> int:
        """The scenarios dated in ``[start, until)``, as bits."""
        low = bisect.bisect_left(self.days, start)
        high = len(self.days) if until is None else bisect.bisect_left(self.days, until)
        return ((1 << high) - 1) ^ ((1 << low) - 1)

    def reachable(self, rule: tuple[Case, ...]) -> int:
        """The scenarios on whose request some case of ``rule`` is not false (true or unknown)."""
        found = self.unindexed
        layout = self.policy.layout
        for case in rule:
            if case.when is None:  # triggered by the outcome: any scenario may see it
                return self.all
            for positive, negative in to_terms(case.when, layout):
                reach = self.all
                while positive and reach:
                    low = positive & -positive
                    reach &= self.stated.get(low, 0) | self.open.get(low, 0)
                    positive ^= low
                while negative and reach:
                    low = negative & -negative
                    reach &= ~self.stated.get(low, 0)
                    negative ^= low
                found |= reach
        return found & self.all


def narrowed_decider(policy: Policy, clauses: frozenset[str], replacement: Clause | None = None) -> Policy:
    """The policy narrowed to ``clauses`` (in printed order), with ``replacement`` in place of the
    clause of the same id (added if absent). It decides a request exactly as the whole policy
    (with the replacement) does, provided every clause left out has all its cases false on it."""
    document = policy.document
    position = _positions(document)
    keep = set(clauses) | ({replacement.id} if replacement is not None else set())
    chosen = tuple(replacement if replacement is not None and document.clauses[i].id == replacement.id
                   else document.clauses[i] for i in sorted(position[c] for c in keep))
    return Policy(replace(document, clauses=chosen), today=policy.clock, template=policy)


_POSITIONS: dict[int, tuple[PolicyDocument, dict[str, int]]] = {}


def _positions(document: PolicyDocument) -> dict[str, int]:
    """Each clause's position in ``document`` (remembered for the last few documents)."""
    known = _POSITIONS.get(id(document))
    if known is None or known[0] is not document:
        if len(_POSITIONS) > 8:
            _POSITIONS.clear()
        known = _POSITIONS[id(document)] = (document, {c.id: i for i, c in enumerate(document.clauses)})
    return known[1]


def run(document: PolicyDocument, scenarios: Sequence[Scenario], *, today: date, day: date | None = None,
        only: Sequence[str] = (), progress: Callable[[int, int, MutantResult], None] | None = None
        ) -> list[MutantResult]:
    """Check every mutant against the scenarios dated in its version's range (``today`` dates
    the scenarios that name no date); ``day`` limits the mutants to the versions in force on it.
    ``progress(done, total, result)`` is called after each mutant."""
    policy = Policy(document, today=lambda: today)
    examples = _Examples(policy, scenarios, today)
    every = list(mutants(document, day, only))
    results = []
    for number, mutant in enumerate(every, start=1):
        original = document.clauses[_positions(document)[mutant.clause]].versions[mutant.version].rule
        in_range = examples.in_range(mutant.effective, mutant.until)
        changed_rule = mutant.changed.versions[mutant.version].rule
        reach = in_range & (examples.reachable(original) | examples.reachable(changed_rule))
        # The clause's own examples first (they are the likeliest to notice), each group in file order.
        own = reach & examples.tagged.get(mutant.clause, 0)
        candidates = []
        for group in (own, reach & ~own):
            found = []
            while group:
                low = group & -group
                found.append(low.bit_length() - 1)
                group ^= low
            candidates += sorted(found, key=lambda i: examples.positions[i])
        killed_by = None
        narrowed: dict[frozenset[str], Policy] = {}  # scenarios with the same clauses taking part share one
        for i in candidates:
            clauses = examples.taking_part[i]
            decider = narrowed.get(clauses)
            if decider is None:
                decider = narrowed[clauses] = narrowed_decider(policy, clauses, mutant.changed)
            prepared = examples.prepared[i]
            if prepared.failures(decider) if prepared is not None else examples.scenarios[i].run(decider):
                killed_by = examples.scenarios[i].title
                break
        result = MutantResult(mutant, killed_by, bin(in_range).count("1"))
        results.append(result)
        if progress:
            progress(number, len(every), result)
    return results

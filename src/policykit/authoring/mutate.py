"""Mutation testing of the scenarios: change one clause's rule at a time (drop it, drop a case,
make an outcome one step weaker or stronger, drop one condition of a case's ``all``) and run every
scenario in-process against the changed policy. A mutant no scenario notices is a hole in the
examples: the scenarios would not catch that mistake in the encoding."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from policykit.core.api import Policy
from policykit.core.conditions import All, describe
from policykit.core.model import OUTCOMES, Case, Clause, PolicyDocument
from policykit.authoring.scenarios import Scenario


@dataclass(frozen=True)
class Mutant:
    clause: str
    description: str
    document: PolicyDocument


@dataclass(frozen=True)
class MutantResult:
    mutant: Mutant
    killed_by: str | None  # the first scenario that noticed, or None when it survived

    @property
    def survived(self) -> bool:
        return self.killed_by is None


def _with_rule(document: PolicyDocument, clause: Clause, day: date, rule: tuple[Case, ...]) -> PolicyDocument:
    current = clause.version_on(day)
    versions = tuple(replace(v, rule=rule) if v is current else v for v in clause.versions)
    clauses = tuple(replace(c, versions=versions) if c is clause else c for c in document.clauses)
    return replace(document, clauses=clauses)


def mutants(document: PolicyDocument, day: date, only: Sequence[str] = ()) -> Iterator[Mutant]:
    """Every mutant of the clause versions in force on ``day`` (of the clauses in ``only``, if given)."""
    for clause in document.clauses:
        version = clause.version_on(day)
        if version is None or not version.rule or (only and clause.id not in only):
            continue
        rule = version.rule

        def make(description: str, new_rule: tuple[Case, ...], clause: Clause = clause) -> Mutant:
            return Mutant(clause.id, description, _with_rule(document, clause, day, new_rule))

        yield make("drop the rule", ())
        for i, case in enumerate(rule):
            label = f"case {i + 1}"
            others = rule[:i] + rule[i + 1:]
            if len(rule) > 1:
                yield make(f"drop {label}", others)
            if case.outcome:
                rank = OUTCOMES.index(case.outcome)
                if rank > 0:
                    yield make(f"{label}: {case.outcome} -> {OUTCOMES[rank - 1]}",
                               rule[:i] + (replace(case, outcome=OUTCOMES[rank - 1]),) + rule[i + 1:])
                if rank < len(OUTCOMES) - 1:
                    yield make(f"{label}: {case.outcome} -> {OUTCOMES[rank + 1]}",
                               rule[:i] + (replace(case, outcome=OUTCOMES[rank + 1]),) + rule[i + 1:])
            if isinstance(case.when, All) and len(case.when.items) > 1:
                for j, item in enumerate(case.when.items):
                    rest = case.when.items[:j] + case.when.items[j + 1:]
                    when = rest[0] if len(rest) == 1 else All(rest)
                    yield make(f"{label}: drop the condition '{describe(item)}'",
                               rule[:i] + (replace(case, when=when),) + rule[i + 1:])


def first_failure(policy: Policy, scenarios: Sequence[Scenario]) -> str | None:
    """The title of the first scenario that fails against ``policy``, or None."""
    for scenario in scenarios:
        if scenario.run(policy):
            return scenario.title
    return None


def run(document: PolicyDocument, scenarios: Sequence[Scenario], *, day: date, only: Sequence[str] = (),
        progress: Callable[[int, int, MutantResult], None] | None = None) -> list[MutantResult]:
    """Run every scenario against every mutant; ``progress(done, total, result)`` after each."""
    every = list(mutants(document, day, only))
    results = []
    for number, mutant in enumerate(every, start=1):
        result = MutantResult(mutant, first_failure(Policy(mutant.document), scenarios))
        results.append(result)
        if progress:
            progress(number, len(every), result)
    return results

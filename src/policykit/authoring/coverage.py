"""Which clauses the scenarios illustrate, and how: a clause *decides* in a scenario when it is
among the reasons, gives a *notice* (or obligation) when only those appear, and is a *near miss*
when the scenario is tagged with it but it plays no part. Every clause with a rule needs a
scenario where it decides (or gives its notice) and a near miss."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from policykit.core.api import Policy
from policykit.authoring.scenarios import Scenario


@dataclass(frozen=True)
class ClauseCoverage:
    clause: str
    has_rule: bool
    deciding: tuple[str, ...]
    notice: tuple[str, ...]
    near_miss: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """A clause without a rule is always complete; one with a rule needs both kinds."""
        return not self.has_rule or (bool(self.deciding or self.notice) and bool(self.near_miss))

    def to_dict(self) -> dict[str, object]:
        return {"clause": self.clause, "has_rule": self.has_rule, "deciding": list(self.deciding),
                "notice": list(self.notice), "near_miss": list(self.near_miss), "complete": self.complete}


@dataclass(frozen=True)
class CoverageReport:
    clauses: tuple[ClauseCoverage, ...]
    failures: tuple[tuple[str, tuple[str, ...]], ...]  # (scenario title, what failed)

    @property
    def complete(self) -> bool:
        return not self.failures and all(c.complete for c in self.clauses)

    def to_dict(self) -> dict[str, object]:
        return {"complete": self.complete, "clauses": [c.to_dict() for c in self.clauses],
                "failing_scenarios": [{"scenario": title, "failures": list(f)} for title, f in self.failures]}


def measure(policy: Policy, scenarios: Sequence[Scenario]) -> CoverageReport:
    """Run every scenario and sort each tagged clause into deciding, notice or near miss."""
    found: dict[str, dict[str, list[str]]] = {
        c.id: {"deciding": [], "notice": [], "near_miss": []} for c in policy.document.clauses}
    failures: list[tuple[str, tuple[str, ...]]] = []
    for scenario in scenarios:
        problems, decision = scenario.execute(policy)
        if problems or decision is None:
            failures.append((scenario.title, tuple(problems)))
            continue
        reasons = {r.id for r in decision.reasons}
        told = {n.clause for n in decision.notices} | {o.clause for o in decision.obligations}
        for clause_id in scenario.clause_ids:
            if clause_id not in found:
                continue
            kind = "deciding" if clause_id in reasons else "notice" if clause_id in told else "near_miss"
            found[clause_id][kind].append(scenario.title)
    clauses = tuple(
        ClauseCoverage(c.id, any(v.rule for v in c.versions), tuple(found[c.id]["deciding"]),
                       tuple(found[c.id]["notice"]), tuple(found[c.id]["near_miss"]))
        for c in policy.document.clauses)
    return CoverageReport(clauses, tuple(failures))

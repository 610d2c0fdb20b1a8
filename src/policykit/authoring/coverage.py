"""Which clause versions the scenarios illustrate, and how. Every version of every clause is
checked against its own examples: the scenarios whose date ("Given the date is YYYY-MM-DD",
usually in the Background) falls in the range in which that version is in force, from its
effective date to the next version's. Within a version's examples, a clause *decides* in a
scenario when it is among the reasons, gives a *notice* (or obligation) when only those appear,
and is a *near miss* when the scenario is tagged with it but it plays no part. Every version with
a rule needs a scenario where it decides (or gives its notice) and a near miss; a future version
is no exception, so an adopted amendment is pinned down before the day it takes effect."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from policykit.core.api import Policy
from policykit.core.model import Clause
from policykit.authoring.scenarios import Scenario


@dataclass(frozen=True)
class VersionCoverage:
    """How the scenarios dated in one version's range illustrate that version."""

    clause: str
    effective: date
    until: date | None  # the next version's effective date (exclusive), None for the last version
    has_rule: bool
    deciding: tuple[str, ...]
    notice: tuple[str, ...]
    near_miss: tuple[str, ...]
    examples: int  # how many scenarios are dated in the range (tagged with the clause or not)

    @property
    def complete(self) -> bool:
        """A version without a rule is always complete; one with a rule needs both kinds."""
        return not self.has_rule or (bool(self.deciding or self.notice) and bool(self.near_miss))

    @property
    def range_words(self) -> str:
        """The range in words: ``2015-11-18 to 2027-01-14`` or ``2027-01-15 onward``."""
        if self.until is None:
            return f"{self.effective.isoformat()} onward"
        return f"{self.effective.isoformat()} to {date.fromordinal(self.until.toordinal() - 1).isoformat()}"

    def needs(self) -> tuple[str, ...]:
        """What a version with a rule still lacks, in words (empty when complete)."""
        if not self.has_rule:
            return ()
        if not self.examples:
            return (f"a scenario dated {self.range_words} (no scenario is dated in this version's range)",)
        return tuple(word for word, missing in (("a deciding scenario", not (self.deciding or self.notice)),
                                                ("a near miss", not self.near_miss)) if missing)

    def to_dict(self) -> dict[str, object]:
        return {"clause": self.clause, "effective": self.effective.isoformat(),
                "until": self.until.isoformat() if self.until else None, "has_rule": self.has_rule,
                "examples": self.examples, "deciding": list(self.deciding), "notice": list(self.notice),
                "near_miss": list(self.near_miss), "complete": self.complete, "needs": list(self.needs())}


@dataclass(frozen=True)
class CoverageReport:
    versions: tuple[VersionCoverage, ...]
    failures: tuple[tuple[str, tuple[str, ...]], ...]  # (scenario title, what failed)

    @property
    def complete(self) -> bool:
        return not self.failures and all(v.complete for v in self.versions)

    def to_dict(self) -> dict[str, object]:
        return {"complete": self.complete, "versions": [v.to_dict() for v in self.versions],
                "failing_scenarios": [{"scenario": title, "failures": list(f)} for title, f in self.failures]}


def version_ranges(clause: Clause) -> list[tuple[int, date, date | None]]:
    """(index, effective date, next version's effective date or None) for each version of the clause."""
    dates = [v.effective for v in clause.versions]
    return [(i, day, dates[i + 1] if i + 1 < len(dates) else None) for i, day in enumerate(dates)]


def in_range(day: date, start: date, until: date | None) -> bool:
    """Whether ``day`` falls in the range ``[start, until)``."""
    return start <= day and (until is None or day < until)


def measure(policy: Policy, scenarios: Sequence[Scenario], *, as_of: date | None = None) -> CoverageReport:
    """Run every scenario and sort each tagged clause into deciding, notice or near miss of the
    version in force on the scenario's date. ``as_of`` restricts the report to the versions in
    force on that date (each still checked against every scenario dated in its range). A
    scenario without a date is a failure: it illustrates no version."""
    days = {id(s): s.day() for s in scenarios}
    decided = {}
    failures: list[tuple[str, tuple[str, ...]]] = []
    for scenario in scenarios:
        if days[id(scenario)] is None:
            failures.append((scenario.title, ("the scenario names no date; add 'Given the date is YYYY-MM-DD' "
                                              "to its Background",)))
            continue
        problems, decision = scenario.execute(policy)
        if problems or decision is None:
            failures.append((scenario.title, tuple(problems)))
            continue
        decided[id(scenario)] = ({r.id for r in decision.reasons},
                                 {n.clause for n in decision.notices} | {o.clause for o in decision.obligations})
    # Scenarios sorted by date and indexed by the clauses they are tagged with, so each version
    # looks only at its own: the work grows with the policy, not with its square.
    dated: list[tuple[date, int]] = sorted((day, position) for position, s in enumerate(scenarios)
                                           if (day := days[id(s)]) is not None)
    dated_days = [day for day, _ in dated]
    tagged: dict[str, list[int]] = {}
    for position, scenario in enumerate(scenarios):
        for clause_id in dict.fromkeys(scenario.clause_ids):
            tagged.setdefault(clause_id, []).append(position)
    versions: list[VersionCoverage] = []
    for clause in policy.document.clauses:
        for index, start, until in version_ranges(clause):
            if as_of is not None and not in_range(as_of, start, until):
                continue
            low = bisect.bisect_left(dated_days, start)
            high = len(dated_days) if until is None else bisect.bisect_left(dated_days, until)
            found: dict[str, list[str]] = {"deciding": [], "notice": [], "near_miss": []}
            for position in tagged.get(clause.id, ()):
                scenario = scenarios[position]
                day = days[id(scenario)]
                if day is None or not in_range(day, start, until) or id(scenario) not in decided:
                    continue
                reasons, told = decided[id(scenario)]
                kind = "deciding" if clause.id in reasons else "notice" if clause.id in told else "near_miss"
                found[kind].append(scenario.title)
            versions.append(VersionCoverage(clause.id, start, until, bool(clause.versions[index].rule),
                                            tuple(found["deciding"]), tuple(found["notice"]),
                                            tuple(found["near_miss"]), high - low))
    return CoverageReport(tuple(versions), tuple(failures))

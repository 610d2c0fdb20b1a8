

"""The delta model: what differs between two verdicts of one request (``Delta``), the patterns
of requests that change alike (``Flip``), and the whole report of one date (``PolicyDiff``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from policykit.authoring.diff.clauses import ClauseChange
from policykit.authoring.diff.space import Where
from policykit.core import engine
from policykit.core.compiler import Program

_Item = TypeVar("_Item")


class VerdictKey(NamedTuple):
    """What a diff compares of one verdict: the outcome, its reasons (clause ids), and the
    obligations (clause, text, met) and notices (clause, text) as multisets (sorted)."""

    outcome: str
    reasons: tuple[str, ...]
    obligations: tuple[tuple[str, str, str], ...]
    notices: tuple[tuple[str, str], ...]


def verdict_key(program: Program, true: int, unknown: int) -> VerdictKey:
    """The verdict key of one encoded request on ``program``."""
    verdict = engine.evaluate(program, true, unknown)
    return VerdictKey(verdict.outcome, tuple(r.id for r in verdict.reasons),
                      tuple(sorted((o.clause, o.text, "met" if o.met else "unmet" if o.met is False else "open")
                                   for o in verdict.obligations)),
                      tuple(sorted((n.clause, n.text) for n in verdict.notices)))


@dataclass(frozen=True)
class Delta:
    """How one request's decision differs between the sides: both outcomes; the reasons (clause
    ids) each side names that matter to the change: when the outcome is the same on both sides,
    the reasons only that side has, and when it changes, that side's reasons among the changed
    clauses (the clauses whose rule cases differ: other clauses may stand behind either outcome
    too, varying from request to request); and the obligations (clause, text, met: "met", "unmet"
    or "open") and notices (clause, text) only that side has, as multisets."""

    old_outcome: str
    new_outcome: str
    old_reasons: tuple[str, ...] = ()
    new_reasons: tuple[str, ...] = ()
    old_obligations: tuple[tuple[str, str, str], ...] = ()
    new_obligations: tuple[tuple[str, str, str], ...] = ()
    old_notices: tuple[tuple[str, str], ...] = ()
    new_notices: tuple[tuple[str, str], ...] = ()

    @property
    def outcome_changed(self) -> bool:
        """Whether the outcome itself changes."""
        return self.old_outcome != self.new_outcome

    @property
    def changed(self) -> bool:
        """Whether the decision changes at all: the outcome, or anything only one side has."""
        return self.outcome_changed or any((self.old_reasons, self.new_reasons, self.old_obligations,
                                            self.new_obligations, self.old_notices, self.new_notices))

    def to_dict(self) -> dict[str, object]:
        """The delta as JSON data."""
        return {"old_outcome": self.old_outcome, "new_outcome": self.new_outcome,
                "old_reasons": list(self.old_reasons), "new_reasons": list(self.new_reasons),
                "old_obligations": [list(o) for o in self.old_obligations],
                "new_obligations": [list(o) for o in self.new_obligations],
                "old_notices": [list(n) for n in self.old_notices], "new_notices": [list(n) for n in self.new_notices]}


def delta_of(old_key: VerdictKey, new_key: VerdictKey, changed: frozenset[str]) -> Delta:
    """The difference between two verdict keys (``verdict_key``), ``changed`` being the clauses
    whose rule cases differ between the sides (see ``Delta``)."""
    if old_key.outcome == new_key.outcome:
        old_reasons = tuple(r for r in old_key.reasons if r not in new_key.reasons)
        new_reasons = tuple(r for r in new_key.reasons if r not in old_key.reasons)
    else:
        old_reasons = tuple(r for r in old_key.reasons if r in changed)
        new_reasons = tuple(r for r in new_key.reasons if r in changed)
    return Delta(old_key.outcome, new_key.outcome, old_reasons, new_reasons,
                 _minus(old_key.obligations, new_key.obligations), _minus(new_key.obligations, old_key.obligations),
                 _minus(old_key.notices, new_key.notices), _minus(new_key.notices, old_key.notices))


def _minus(items: tuple[_Item, ...], other: tuple[_Item, ...]) -> tuple[_Item, ...]:
    """``items`` less ``other``, as multisets."""
    rest = list(other)
    found = []
    for item in items:
        if item in rest:
            rest.remove(item)
        else:
            found.append(item)
    return tuple(found)


@dataclass(frozen=True)
class Flip:
    """A cube of requests whose decision changes the same way: every request matching ``where``
    (each fact within its states) has the ``old`` verdict on one side and the ``new`` on the other."""

    pattern: tuple[str, ...]  # the conditions, in the phrasebook's words
    where: tuple[Where, ...]
    old: str  # outcome and reasons, and the obligations and notices only this side has, in words
    new: str
    count: int
    example: dict[str, Any]
    outcome_changed: bool = True
    delta: Delta | None = None  # what differs, for every request of the pattern


@dataclass(frozen=True)
class PolicyDiff:
    """The diff of one date: the clauses that changed, the facts the impact had to settle, the size
    of the request space, the patterns of requests that change, notes and errors."""

    old: str
    new: str
    changes: tuple[ClauseChange, ...]
    facts: tuple[str, ...]  # the facts the impact had to settle
    requests: int  # how many requests the space holds
    flips: tuple[Flip, ...]
    notes: tuple[str, ...] = field(default=())
    errors: tuple[str, ...] = field(default=())

    @property
    def outcome_changes(self) -> int:
        """Requests whose outcome changes."""
        return sum(f.count for f in self.flips if f.outcome_changed)

    @property
    def other_changes(self) -> int:
        """Requests whose outcome stays but whose reasons, obligations or notices change."""
        return sum(f.count for f in self.flips if not f.outcome_changed)

    def to_dict(self) -> dict[str, object]:
        """The report as JSON data (tuples stand for arrays; a delta's data is shared by its patterns)."""
        deltas: dict[Delta, dict[str, object]] = {}
        for flip in self.flips:
            if flip.delta is not None and flip.delta not in deltas:
                deltas[flip.delta] = flip.delta.to_dict()
        return {
            "old": self.old, "new": self.new,
            "clauses": [{"clause": c.clause, "title": c.title, "status": c.status, "redline": c.redline,
                         "effective": c.effective.isoformat() if c.effective else None,
                         "rule_removed": list(c.rule_removed), "rule_added": list(c.rule_added),
                         "corrections": [{"effective": n.effective.isoformat(), "date": n.date.isoformat(),
                                          "kind": n.kind, "reason": n.reason} for n in c.corrections]}
                        for c in self.changes],
            "impact": {"facts": list(self.facts), "requests": self.requests,
                       "outcome_changed": self.outcome_changes, "other_changed": self.other_changes,
                       "patterns": [{"when": f.pattern, "where": f.where,
                                     "old": f.old, "new": f.new, "count": f.count,
                                     "outcome_changed": f.outcome_changed, "example": f.example,
                                     "delta": deltas.get(f.delta) if f.delta else None}
                                    for f in self.flips]},
            "notes": list(self.notes), "errors": list(self.errors),
        }

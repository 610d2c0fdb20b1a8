"""The policy as frozen values: metadata, sections, references and versioned clauses."""

from __future__ import annotations

import bisect
from policykit.core.values import dataclass
from datetime import date

from policykit.core.conditions import Condition

OUTCOMES = ("permitted", "discouraged", "requires_approval", "prohibited")
"""Outcomes from weakest to strongest; the strongest applicable outcome wins."""

KIND_WORDS = {
    "prohibition": "prohibited",
    "obligation": "required",
    "recommendation": "recommended",
    "standard": "expected",
    "permission": "permitted",
    "notice": "for your information",
    "definition": "for your information",
}
"""Each clause kind in the plain words the site and decisions use."""


@dataclass(frozen=True)
class Reference:
    text: str
    citation: str
    jurisdiction: str
    group: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    heading: str | None
    clause_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Interpretation:
    """The reading a clause encodes where its text can be read more than one way, and whether
    the board has confirmed it (``proposed`` or ``confirmed``)."""

    text: str
    status: str

    @property
    def awaiting_board(self) -> bool:
        return self.status == "proposed"

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "status": self.status}


@dataclass(frozen=True)
class Remedy:
    """What a clause's own text says to do instead: words for staff and the facts it changes."""

    text: str
    set: tuple[tuple[str, object], ...] = ()  # (fact, value): a choice's value, or True for a yes/no fact
    remove: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (list fact, items removed)


@dataclass(frozen=True)
class Correction:
    """A correction to an adopted version that does not change its effective date."""

    date: date
    kind: str  # reading (the rule changed) or wording (the text changed)
    reason: str


@dataclass(frozen=True)
class ObligationSpec:
    """An obligation a rule case imposes; ``met_by`` names the yes/no fact that settles it."""

    text: str
    met_by: str | None = None


@dataclass(frozen=True)
class Case:
    """One case of a rule: a condition over facts (``when``) or over the decision's outcome
    (``on_outcome``), and what it yields."""

    when: Condition | None
    on_outcome: tuple[str, ...]
    outcome: str | None
    obligation: ObligationSpec | None
    notice: str | None


@dataclass(frozen=True)
class ClauseVersion:
    effective: date
    text: str
    note: str
    rule: tuple[Case, ...]
    corrections: tuple[Correction, ...] = ()
    kind: str | None = None  # this version's own kind, when it overrides the clause's
    interpretation: Interpretation | None = None  # this version's own reading, when it overrides the clause's


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    section: str
    kind: str
    versions: tuple[ClauseVersion, ...]
    interpretation: Interpretation | None = None
    related: tuple[str, ...] = ()
    source: str = ""
    remedy: Remedy | None = None

    def version_on(self, day: date) -> ClauseVersion | None:
        """The version in force on ``day`` (versions are sorted by effective date)."""
        index = bisect.bisect_right([v.effective for v in self.versions], day)
        return self.versions[index - 1] if index else None

    @property
    def kind_words(self) -> str:
        return KIND_WORDS[self.kind]

    def kind_of(self, version: ClauseVersion) -> str:
        """The kind of one version: its own, else the clause's."""
        return version.kind or self.kind

    def interpretation_of(self, version: ClauseVersion) -> Interpretation | None:
        """The reading one version encodes: its own, else the clause's."""
        return version.interpretation if version.interpretation is not None else self.interpretation

    def upcoming(self, day: date) -> tuple[ClauseVersion, ...]:
        """The versions adopted but not yet in force on ``day``, soonest first."""
        return tuple(v for v in self.versions if v.effective > day)


@dataclass(frozen=True)
class PolicyDocument:
    """Everything in ``policy/``: the metadata of ``policy.yaml`` and the clauses, in printed order."""

    id: str
    title: str
    series: str
    district: str
    adopted: date
    revisions: tuple[date, ...]
    header: tuple[str, ...]
    references_heading: str
    footer: tuple[str, ...]
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]
    clauses: tuple[Clause, ...]
    time_zone: str
    """The district's IANA time zone (``time_zone`` in policy.yaml): a question without a date is
    about the date there (``Policy.today``), so a version takes effect at midnight in that zone."""
    root: str = ""

    def clause(self, clause_id: str) -> Clause:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise KeyError(clause_id)

    def revision_on(self, day: date) -> date | None:
        """The latest revision in force on ``day``, or None before the first encoded one."""
        index = bisect.bisect_right(self.revisions, day)
        return self.revisions[index - 1] if index else None

    def effective_dates(self) -> tuple[date, ...]:
        """Every date on which some clause version takes effect, sorted."""
        return tuple(sorted({v.effective for c in self.clauses for v in c.versions}))

"""Clause changes between the sides: text as a word-level redline, rule cases in the phrasebook's
words, and the corrections made in place checked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from policykit.authoring.diff.sides import Side
from policykit.authoring.words import describe_case, redline
from policykit.core.conditions import to_data, untagged
from policykit.core.model import KIND_WORDS, Clause, ClauseVersion, PolicyDocument


@dataclass(frozen=True)
class CorrectionNote:
    """A correction made to an adopted version (same effective date) between the two sides."""

    clause: str
    effective: date
    date: date
    kind: str  # reading or wording
    reason: str


@dataclass(frozen=True)
class ClauseChange:
    """One clause that differs between the sides: how (added, removed, changed, corrected), its text as a
    redline, the rule cases only each side has, and the corrections made in place."""

    clause: str
    title: str
    status: str  # added, removed, changed, corrected
    redline: str  # Markdown: ~~removed words~~ **added words**
    rule_removed: tuple[str, ...]  # rule cases in the phrasebook's words
    rule_added: tuple[str, ...]
    corrections: tuple[CorrectionNote, ...] = ()
    effective: date | None = None  # when the version in force on the new side (the old, if removed) took effect


def _kind_line(clause: Clause, version: ClauseVersion) -> str:
    return f"the clause {KIND_WORDS.get(clause.kind_of(version), clause.kind_of(version))}"


def _versions(side: Side) -> dict[str, tuple[Clause, ClauseVersion]]:
    found = {}
    for clause in side.policy.document.clauses:
        version = clause.version_on(side.day)
        if version is not None:
            found[clause.id] = (clause, version)
    return found


def _rule_data(clause: Clause, version: ClauseVersion) -> object:
    """What a version decides: its kind, reading and cases. A condition's reading tag is left out:
    it names the reading in explanations and changes no answer, so tagging is no rule change."""
    reading = clause.interpretation_of(version)
    return (clause.kind_of(version), reading.to_dict() if reading else None,
            [(to_data(untagged(c.when)) if c.when else None, c.on_outcome, c.outcome,
              (c.obligation.text, c.obligation.met_by) if c.obligation else None, c.notice) for c in version.rule])


def clause_changes(old: Side, new: Side, corrections: Sequence[CorrectionNote] = ()) -> list[ClauseChange]:
    """The clauses whose text, rule, kind or reading in force differ between the sides."""
    before, after = _versions(old), _versions(new)
    changes = []
    for clause_id in list(before) + [c for c in after if c not in before]:
        if clause_id not in after:
            clause, version = before[clause_id]
            changes.append(ClauseChange(clause_id, clause.title, "removed", f"~~{version.text}~~",
                                        tuple(describe_case(c) for c in version.rule), (), (), version.effective))
            continue
        if clause_id not in before:
            clause, version = after[clause_id]
            changes.append(ClauseChange(clause_id, clause.title, "added", f"**{version.text}**", (),
                                        tuple(describe_case(c) for c in version.rule), (), version.effective))
            continue
        (old_clause, old_version), (clause, new_version) = before[clause_id], after[clause_id]
        old_cases = [describe_case(c) for c in old_version.rule]
        new_cases = [describe_case(c) for c in new_version.rule]
        old_kind, new_kind = _kind_line(old_clause, old_version), _kind_line(clause, new_version)
        if old_kind != new_kind:
            old_cases.insert(0, old_kind)
            new_cases.insert(0, new_kind)
        text_changed = old_version.text.split() != new_version.text.split()
        if text_changed or _rule_data(old_clause, old_version) != _rule_data(clause, new_version):
            notes = tuple(n for n in corrections if n.clause == clause_id and n.effective == new_version.effective)
            same_date = old_version.effective == new_version.effective
            changes.append(ClauseChange(
                clause_id, clause.title, "corrected" if same_date else "changed",
                redline(old_version.text, new_version.text) if text_changed else "",
                tuple(c for c in old_cases if c not in new_cases), tuple(c for c in new_cases if c not in old_cases),
                notes, new_version.effective))
    return changes


def check_corrections(old: PolicyDocument, new: PolicyDocument) -> tuple[list[CorrectionNote], list[str]]:
    """Every version (same clause, same effective date) changed in place between the sides: the
    corrections it adds, and the errors: a change without a new correction, a wording correction
    that changes the rule, a reading correction that changes the text."""
    notes: list[CorrectionNote] = []
    errors: list[str] = []
    before = {c.id: c for c in old.clauses}
    for clause in new.clauses:
        old_clause = before.get(clause.id)
        if old_clause is None:
            continue
        old_versions = {v.effective: v for v in old_clause.versions}
        for version in clause.versions:
            previous = old_versions.get(version.effective)
            if previous is None:
                continue
            where = f"{clause.id}, version of {version.effective.isoformat()}"
            added = [c for c in version.corrections if c not in previous.corrections]
            notes += [CorrectionNote(clause.id, version.effective, c.date, c.kind, c.reason) for c in added]
            text_changed = previous.text.split() != version.text.split()
            rule_changed = _rule_data(old_clause, previous) != _rule_data(clause, version)
            if not (text_changed or rule_changed):
                continue
            kinds = {c.kind for c in added}
            if not added:
                what = " and ".join(w for w, changed in (("text", text_changed), ("rule", rule_changed)) if changed)
                errors.append(f"{where}: its {what} changed in place without a new corrections entry; add one "
                              "(kind: wording for a transcription fix, reading for the rule), or adopt a new "
                              "version with its own effective date")
                continue
            if rule_changed and "reading" not in kinds:
                errors.append(f"{where}: a wording correction may not change the rule; undo the rule change, "
                              "or record it as a reading correction")
            if text_changed and "wording" not in kinds:
                errors.append(f"{where}: a reading correction may not change the text; undo the text change, "
                              "or record it as a wording correction")
    return notes, errors

"""The report: the whole diff of one date or of every compared date, and its Markdown for a pull
request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from policykit.authoring.diff.clauses import check_corrections, clause_changes
from policykit.authoring.diff.delta import Flip, PolicyDiff
from policykit.authoring.diff.impact import NO_IMPACT, impact
from policykit.authoring.diff.sides import Side, comparison_dates


def diff(old: Side, new: Side, fixed: Mapping[str, Sequence[object]] | None = None) -> PolicyDiff:
    """The whole report for one date."""
    notes_c, errors = check_corrections(old.policy.document, new.policy.document)
    changes = clause_changes(old, new, notes_c)
    found = impact(old, new, fixed) if changes else NO_IMPACT
    return PolicyDiff(old.label, new.label, tuple(changes), found.facts, found.requests, found.flips, found.notes,
                      tuple(errors))


def diff_ahead(old: Side, new: Side) -> list[tuple[date, PolicyDiff]]:
    """Both policies compared as they will stand: on the sides' day (today) and on every later date
    at which the versions in force differ on either side, so that an adopted amendment that takes
    effect next term shows its impact now."""
    return [(day, diff(Side(old.label, old.policy, day), Side(new.label, new.policy, day)))
            for day in comparison_dates(old, new)]


#: Patterns listed in a pull request's comment; the rest are counted (all are in --format json).
SHOWN = 40


def _table(rows: Sequence[Flip], shown: int = SHOWN) -> list[str]:
    lines = ["| when | before | after | requests |", "|---|---|---|---|"]
    for flip in rows[:shown]:
        when = "; ".join(flip.pattern) or "(any request)"
        lines.append(f"| {cell(when)} | {cell(flip.old)} | {cell(flip.new)} | {flip.count:,} |")
    if len(rows) > shown:
        lines.append(f"| … and {len(rows) - shown:,} more patterns ({sum(f.count for f in rows[shown:]):,} "
                     "requests; see `policykit diff --format json`) | | | |")
    return lines + [""]


def cell(text: str) -> str:
    """Text for a Markdown table cell."""
    return text.replace("|", "\\|")


def to_markdown(report: PolicyDiff, shown: int = SHOWN) -> str:
    """The report for a pull request (``shown``: the patterns listed of each table; the rest are counted)."""
    lines = [f"## Policy changes: {report.old} → {report.new}", ""]
    lines += errors_markdown(report.errors)
    if not report.changes:
        return "\n".join(lines + ["No clause text or rule changes.", ""])
    lines += [f"### Clauses ({len(report.changes)} changed)", ""]
    for change in report.changes:
        lines += [f"#### {change.title} (`{change.clause}`, {change.status})", ""]
        if change.redline:
            lines += [f"> {change.redline}", ""]
        lines += [f"- rule no longer: {case}" for case in change.rule_removed]
        lines += [f"- rule now: {case}" for case in change.rule_added]
        lines += [f"- {n.kind} correction of {n.date.isoformat()} (version of {n.effective.isoformat()}): {n.reason}"
                  for n in change.corrections]
        lines.append("")
    outcome = [f for f in report.flips if f.outcome_changed]
    other = [f for f in report.flips if not f.outcome_changed]
    lines += ["### Decisions that change", "",
              f"The outcome changes for {report.outcome_changes:,} of {report.requests:,} requests; for "
              f"{report.other_changes:,} more only the reasons, obligations or notices change. Every request "
              f"of the request space was compared (the facts that could matter: {', '.join(report.facts) or 'none'}).",
              ""]
    if outcome:
        lines += ["#### Outcome changes", ""] + _table(outcome, shown)
    if other:
        lines += ["#### Reason, obligation or notice changes only", ""] + _table(other, shown)
    lines += [f"_Note: {note}._" for note in report.notes]
    return "\n".join(lines) + "\n"


def errors_markdown(errors: Sequence[str]) -> list[str]:
    """The errors section of a report (nothing when there are none)."""
    if not errors:
        return []
    return ["### Errors", ""] + [f"- error: {e}" for e in errors] + [""]


def to_markdown_ahead(reports: Sequence[tuple[date, PolicyDiff]]) -> str:
    """The dated reports for a pull request, one section per date compared."""
    first = reports[0][1]
    days = ", ".join(("today, " if i == 0 else "") + day.isoformat() for i, (day, _) in enumerate(reports))
    lines = [f"## Policy changes: {first.old} → {first.new}", "", f"Compared as in force on: {days}.", ""]
    lines += errors_markdown(first.errors)
    if not any(report.changes for _, report in reports):
        return "\n".join(lines + ["No clause text or rule changes on any of these dates.", ""])
    for index, (day, report) in enumerate(reports):
        body = to_markdown(PolicyDiff(report.old, report.new, report.changes, report.facts, report.requests,
                                      report.flips, report.notes)).split("\n", 2)[2]
        lines += [f"## {'Today, ' if index == 0 else 'From '}{day.isoformat()}", "",
                  body.replace("### ", "#### ").rstrip(), ""]
    return "\n".join(lines)

"""What an edit to the policy does: clause text as a word-level redline, rule changes in words,
and every decision that changes, found exhaustively over the facts the changed clauses read.

A side of a diff is a policy and a date: a directory of policy files, a git revision of the
project's own ``policy/``, or a date (the project's policy as in force on that day)."""

from __future__ import annotations

import difflib
import itertools
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from policykit.core.api import Policy, load_policy
from policykit.core.conditions import describe, facts_read, tests
from policykit.core.model import Case, Clause, ClauseVersion
from policykit.authoring.phrases import load_phrasebook
from policykit.core.request import valid_date
from policykit.core.vocabulary import load_vocabulary

#: The most requests an impact analysis will enumerate.
MAX_REQUESTS = 500_000


@dataclass(frozen=True)
class Side:
    """One side of a diff: a policy and the date its clauses are read on."""

    label: str
    policy: Policy
    day: date
    pinned: bool = False  # the date was asked for: compare that date only


@dataclass(frozen=True)
class ClauseChange:
    clause: str
    title: str
    status: str  # added, removed, changed
    redline: str  # Markdown: ~~removed words~~ **added words**
    rule_removed: tuple[str, ...]
    rule_added: tuple[str, ...]


@dataclass(frozen=True)
class Flip:
    """A group of requests whose decision changes the same way."""

    pattern: tuple[str, ...]  # the phrases every request of the group shares
    old: str  # outcome and reasons, in words
    new: str
    count: int
    example: dict


@dataclass(frozen=True)
class PolicyDiff:
    old: str
    new: str
    changes: tuple[ClauseChange, ...]
    facts: tuple[str, ...]  # the fact space enumerated
    requests: int  # how many requests were compared
    flips: tuple[Flip, ...]
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "old": self.old, "new": self.new,
            "clauses": [{"clause": c.clause, "title": c.title, "status": c.status, "redline": c.redline,
                         "rule_removed": list(c.rule_removed), "rule_added": list(c.rule_added)}
                        for c in self.changes],
            "impact": {"facts": list(self.facts), "requests_compared": self.requests,
                       "changed": sum(f.count for f in self.flips),
                       "patterns": [{"when": list(f.pattern), "old": f.old, "new": f.new, "count": f.count,
                                     "example": f.example} for f in self.flips]},
            "notes": list(self.notes),
        }


# --- resolving the sides ----------------------------------------------------------------------


def resolve_side(spec: str, *, project_policy: Path, repo: Path, default_day: date, pinned: bool = False) -> Side:
    """A directory of policy files, a date (the project's policy on that day), or a git revision.
    ``default_day`` is the caller's today: library code never reads the clock."""
    day = default_day
    if valid_date(spec):
        return Side(spec, load_policy(project_policy), date.fromisoformat(spec), True)
    path = Path(spec)
    if path.is_dir():
        return Side(spec, load_policy(path / "policy" if (path / "policy" / "policy.yaml").is_file() else path), day,
                    pinned)
    return Side(spec, load_policy(_checkout(spec, project_policy, repo)), day, pinned)


def _checkout(revision: str, project_policy: Path, repo: Path) -> Path:
    """The project's policy/ directory as it was at a git revision, extracted to a temporary directory."""
    relative = project_policy.resolve().relative_to(repo.resolve())
    target = Path(tempfile.mkdtemp(prefix="policykit-diff-"))
    archive = target / "policy.tar"
    done = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", "-o", str(archive), revision, "--",
                           str(relative)], capture_output=True, text=True)
    if done.returncode != 0:
        raise ValueError(f"'{revision}' is neither a policy directory, a date (YYYY-MM-DD) nor a git revision "
                         f"of {repo}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'git failed'}")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / relative


# --- text and rules ---------------------------------------------------------------------------


def redline(old: str, new: str) -> str:
    """A word-level redline in Markdown: removed words struck through, added words in bold."""
    before, after = old.split(), new.split()
    out: list[str] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(before[a1:a2]))
            continue
        if a2 > a1:
            out.append(f"~~{' '.join(before[a1:a2])}~~")
        if b2 > b1:
            out.append(f"**{' '.join(after[b1:b2])}**")
    return " ".join(out)


def describe_case(case: Case) -> str:
    """One rule case in words."""
    when = describe(case.when) if case.when else "the answer is " + " or ".join(case.on_outcome)
    yields = [y for y in (case.outcome and case.outcome.replace("_", " "),
                          case.obligation and f"obligation: {case.obligation.text}",
                          case.notice and f"notice: {case.notice}") if y]
    return f"when {when}: {'; '.join(yields)}"


def _versions(side: Side) -> dict[str, tuple[Clause, ClauseVersion]]:
    found = {}
    for clause in side.policy.document.clauses:
        version = clause.version_on(side.day)
        if version is not None:
            found[clause.id] = (clause, version)
    return found


def clause_changes(old: Side, new: Side) -> list[ClauseChange]:
    before, after = _versions(old), _versions(new)
    changes = []
    for clause_id in list(before) + [c for c in after if c not in before]:
        if clause_id not in after:
            clause, version = before[clause_id]
            changes.append(ClauseChange(clause_id, clause.title, "removed", f"~~{version.text}~~",
                                        tuple(describe_case(c) for c in version.rule), ()))
            continue
        if clause_id not in before:
            clause, version = after[clause_id]
            changes.append(ClauseChange(clause_id, clause.title, "added", f"**{version.text}**", (),
                                        tuple(describe_case(c) for c in version.rule)))
            continue
        (_, old_version), (clause, new_version) = before[clause_id], after[clause_id]
        old_cases = [describe_case(c) for c in old_version.rule]
        new_cases = [describe_case(c) for c in new_version.rule]
        text_changed = old_version.text.split() != new_version.text.split()
        if text_changed or old_cases != new_cases or before[clause_id][0].kind != clause.kind:
            changes.append(ClauseChange(
                clause_id, clause.title, "changed",
                redline(old_version.text, new_version.text) if text_changed else "",
                tuple(c for c in old_cases if c not in new_cases), tuple(c for c in new_cases if c not in old_cases)))
    return changes


# --- decision impact --------------------------------------------------------------------------


def _fact_space(changed: Sequence[tuple[Clause, ClauseVersion]]) -> dict[str, list[object]]:
    """Each fact the changed rules read, with every state worth trying: every value of a single
    choice and "not given"; for a list, every combination of the values the changed rules name
    (values no changed rule names cannot tell two requests apart for them); both yes and no; and
    "not given" for every open list or yes/no fact (``x-when-missing: unknown``)."""
    vocabulary = load_vocabulary()
    named: dict[str, set[str]] = defaultdict(set)
    for _, version in changed:
        for case in version.rule:
            if case.when is None:
                continue
            for test in tests(case.when):
                values = test.value if isinstance(test.value, tuple) else (test.value,)
                named[test.fact].update(v for v in values if isinstance(v, str))
            for fact in facts_read(case.when):
                named.setdefault(fact, set())
            if case.obligation and case.obligation.met_by:
                named.setdefault(case.obligation.met_by, set())
    named.setdefault("action", set())
    if any(name.startswith("site.") for name in named):
        named.setdefault("site", set())
    space: dict[str, list[object]] = {}
    for fact_name in sorted(named, key=lambda f: [x.path for x in vocabulary.facts].index(f)):
        fact = vocabulary[fact_name]
        if fact.kind == "choice":
            space[fact_name] = [*fact.value_names] + ([] if fact.required else [None])
        elif fact.kind == "list":
            values = [v for v in fact.value_names if v in named[fact_name]]
            subsets = [list(c) for r in range(len(values) + 1) for c in itertools.combinations(values, r)]
            space[fact_name] = subsets + ([None] if fact.open else [])
        elif fact.kind == "boolean":
            space[fact_name] = [False, True] + ([None] if fact.open else [])
        elif fact.kind == "object":
            space[fact_name] = [False, True]
    return space


def requests_over(space: dict[str, list[object]]) -> Iterator[dict]:
    """Every request over the fact space (a fact whose state is None is left out). The role is a
    teacher unless the space varies it; site facts are stated only when a site is."""
    names = list(space)
    vocabulary = load_vocabulary()
    for states in itertools.product(*(space[n] for n in names)):
        values = dict(zip(names, states))
        has_site = bool(values.pop("site", False))
        request: dict = {"actor": {"role": "teacher"}}
        if has_site:
            request["site"] = {}
        duplicate = False
        for name, state in values.items():
            if state is None:
                continue
            *parents, leaf = name.split(".")
            if parents == ["site"] and not has_site:
                # A closed site fact's "no" is what no site means (enumerated already); any other
                # state, and any stated open site fact, cannot be said without a site.
                duplicate = duplicate or vocabulary[name].open or state not in (False, [])
                continue
            target = request
            for parent in parents:
                target = target.setdefault(parent, {})
            target[leaf] = state
        if not duplicate:
            yield request


def _summary(decision) -> str:
    reasons = ", ".join(r.id for r in decision.reasons)
    obligations = "; ".join(f"{o.clause} ({'met' if o.met else 'unmet' if o.met is False else 'open'})"
                            for o in decision.obligations)
    text = decision.outcome.replace("_", " ")
    if reasons:
        text += f" ({reasons})"
    if obligations:
        text += f" [obligations: {obligations}]"
    return text


def _pattern(requests: list[dict], space: dict[str, list[object]]) -> tuple[str, ...]:
    """What the requests of a group have in common, in phrasebook words: for each fact on which
    the group takes at most half of the possible states, those states (joined with "or")."""
    book = load_phrasebook()
    phrase = {(p.fact, p.value): p.text for p in book.phrases}

    def words(fact: str, value: object) -> str:
        if value is None or value is False and fact == "site":
            return f"no {fact} given" if fact != "site" else "no school site involved"
        if fact == "site":
            return phrase.get(("site", None), "a school site is involved")
        if isinstance(value, list):
            return " and ".join(phrase.get((fact, v), f"{fact} includes {v}") for v in value) or f"no {fact}"
        return phrase.get((fact, value), f"{fact} is {value}")

    found: list[str] = []
    for fact, states in space.items():
        taken = []
        for request in requests:
            value = _get(request, fact) if fact != "site" else ("site" in request)
            if value not in taken:
                taken.append(value)
        if len(taken) <= max(1, len(states) // 2):
            found.append(" or ".join(words(fact, value) for value in taken))
    return tuple(found)


def _get(request: dict, fact: str) -> object:
    node: object = request
    for part in fact.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def fact_space(old: Side, new: Side, changes: Sequence[ClauseChange]) -> dict[str, list[object]]:
    """The facts the changed clauses read (before and after), each with the states to try."""
    before, after = _versions(old), _versions(new)
    return _fact_space([pair for c in changes for pair in (before.get(c.clause), after.get(c.clause)) if pair])


def flipped(old: Side, new: Side, space: dict[str, list[object]]) -> Iterator[tuple[dict, str, str]]:
    """Every request over ``space`` whose outcome, reasons or obligations differ, with both in words."""
    for request in requests_over(space):
        a = old.policy.decide(dict(request, as_of=old.day.isoformat()))
        b = new.policy.decide(dict(request, as_of=new.day.isoformat()))
        before_words, after_words = _summary(a), _summary(b)
        if before_words != after_words:
            yield request, before_words, after_words


def impact(old: Side, new: Side, changes: Sequence[ClauseChange]) -> tuple[dict, int, list[Flip], list[str]]:
    """Every request over the changed clauses' facts whose outcome, reasons or obligations differ."""
    before, after = _versions(old), _versions(new)
    changed = [pair for c in changes for pair in (before.get(c.clause), after.get(c.clause)) if pair]
    notes = []
    if any(case.when is None for _, version in changed for case in version.rule):
        notes.append("a changed clause applies to decisions by their outcome (on_outcome); its effect shows on "
                     "every such decision, not only on the requests enumerated here")
    space = _fact_space(changed)
    size = 1
    for states in space.values():
        size *= len(states)
    if size > MAX_REQUESTS:
        raise ValueError(f"the changed clauses read facts with {size:,} combinations, more than {MAX_REQUESTS:,}; "
                         "split the change into smaller pull requests")
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    compared = sum(1 for _ in requests_over(space))
    for request, before_words, after_words in flipped(old, new, space):
        groups[(before_words, after_words)].append(request)
    flips = [Flip(_pattern(requests, space), sa, sb, len(requests), requests[0])
             for (sa, sb), requests in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return space, compared, flips, notes


def diff(old: Side, new: Side) -> PolicyDiff:
    """The whole report."""
    changes = clause_changes(old, new)
    space, compared, flips, notes = impact(old, new, changes) if changes else ({}, 0, [], [])
    return PolicyDiff(old.label, new.label, tuple(changes), tuple(space), compared, tuple(flips), tuple(notes))


def to_markdown(report: PolicyDiff) -> str:
    """The report for a pull request."""
    lines = [f"## Policy changes: {report.old} → {report.new}", ""]
    if not report.changes:
        return "\n".join(lines + ["No clause text or rule changes.", ""])
    lines += [f"### Clauses ({len(report.changes)} changed)", ""]
    for change in report.changes:
        lines += [f"#### `{change.clause}` — {change.title} ({change.status})", ""]
        if change.redline:
            lines += [f"> {change.redline}", ""]
        lines += [f"- rule no longer: {case}" for case in change.rule_removed]
        lines += [f"- rule now: {case}" for case in change.rule_added]
        lines.append("")
    changed = sum(f.count for f in report.flips)
    lines += ["### Decisions that change", "",
              f"{changed:,} of {report.requests:,} requests change (every combination of: "
              f"{', '.join(report.facts)}).", ""]
    if report.flips:
        lines += ["| when | before | after | requests |", "|---|---|---|---|"]
        for flip in report.flips:
            when = "; ".join(flip.pattern) or "(various)"
            lines.append(f"| {when} | {flip.old} | {flip.new} | {flip.count:,} |")
        lines.append("")
    lines += [f"_Note: {note}._" for note in report.notes]
    return "\n".join(lines) + "\n"


# --- the policy as it will stand ----------------------------------------------------------------


def comparison_dates(old: Side, new: Side) -> list[date]:
    """The sides' day, and every later date on which the versions in force change on either side."""
    later = {d for side in (old, new) for d in side.policy.document.effective_dates() if d > old.day}
    return [old.day, *sorted(later)]


def diff_ahead(old: Side, new: Side) -> list[tuple[date, PolicyDiff]]:
    """Both policies compared as they will stand: on the sides' day (today) and on every later date
    at which the versions in force differ on either side, so that an adopted amendment that takes
    effect next term shows its impact now."""
    return [(day, diff(Side(old.label, old.policy, day), Side(new.label, new.policy, day)))
            for day in comparison_dates(old, new)]


def to_markdown_ahead(reports: Sequence[tuple[date, PolicyDiff]]) -> str:
    """The dated reports for a pull request, one section per date compared."""
    first = reports[0][1]
    days = ", ".join(("today, " if i == 0 else "") + day.isoformat() for i, (day, _) in enumerate(reports))
    lines = [f"## Policy changes: {first.old} → {first.new}", "", f"Compared as in force on: {days}.", ""]
    if not any(report.changes for _, report in reports):
        return "\n".join(lines + ["No clause text or rule changes on any of these dates.", ""])
    for index, (day, report) in enumerate(reports):
        body = to_markdown(report).split("\n", 2)[2]
        lines += [f"## {'Today, ' if index == 0 else 'From '}{day.isoformat()}", "",
                  body.replace("### ", "#### ").rstrip(), ""]
    return "\n".join(lines)

"""What an edit to the policy does: clause text as a word-level redline, rule changes in the
phrasebook's words, corrections checked, and every decision that changes, found exhaustively over
the whole request space on the compiled engine.

A side of a diff is a policy and a date: a directory of policy files, a git revision of the
project's own ``policy/``, or a date (the project's policy as in force on that day).

How the impact is exhaustive without deciding every request: a request is encoded as bits
(``core.compiler``), and both sides' compiled programs are evaluated together while the facts
of a request are settled one at a time, each only when some rule still needs it. A rule case
(term) stops needing facts when it is settled, when it yields an outcome weaker than one already
true on that side (outcome precedence: it can neither decide nor be at stake), or when it
yields only an obligation or a notice and its whole case is the same on both sides (it adds the
same to both). Values that no rule of either side names collapse into one state counted with
its weight. Each cube of requests so reached has one verdict per side, decided once by
``engine.evaluate``; counts are exact counts of requests of the full space (by meaning: a closed
fact left out is the same request as its "no"), and each reported pattern is a union of such
cubes merged only where they agree, so every request matching it changes exactly as it says."""

from __future__ import annotations

import difflib
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from policykit.authoring.phrases import load_phrasebook
from policykit.core import engine
from policykit.core.api import Policy, load_policy
from policykit.core.compiler import AtomLayout, Program
from policykit.core.conditions import to_data
from policykit.core.model import Case, Clause, ClauseVersion, PolicyDocument
from policykit.core.request import valid_date
from policykit.core.vocabulary import load_vocabulary

#: The most cubes of requests an impact analysis will look at.
MAX_STEPS = 400_000


@dataclass(frozen=True)
class Side:
    """One side of a diff: a policy and the date its clauses are read on."""

    label: str
    policy: Policy
    day: date
    pinned: bool = False  # the date was asked for: compare that date only


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
    clause: str
    title: str
    status: str  # added, removed, changed, corrected
    redline: str  # Markdown: ~~removed words~~ **added words**
    rule_removed: tuple[str, ...]  # rule cases in the phrasebook's words
    rule_added: tuple[str, ...]
    corrections: tuple[CorrectionNote, ...] = ()


@dataclass(frozen=True)
class Flip:
    """A cube of requests whose decision changes the same way: every request matching ``where``
    (each fact within its states) has the ``old`` verdict on one side and the ``new`` on the other."""

    pattern: tuple[str, ...]  # the conditions, in the phrasebook's words
    where: tuple[tuple[str, str, tuple], ...]  # (fact, list value or "", the states allowed)
    old: str  # outcome and reasons, and the obligations and notices only this side has, in words
    new: str
    count: int
    example: dict
    outcome_changed: bool = True


@dataclass(frozen=True)
class PolicyDiff:
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
        return {
            "old": self.old, "new": self.new,
            "clauses": [{"clause": c.clause, "title": c.title, "status": c.status, "redline": c.redline,
                         "rule_removed": list(c.rule_removed), "rule_added": list(c.rule_added),
                         "corrections": [{"effective": n.effective.isoformat(), "date": n.date.isoformat(),
                                          "kind": n.kind, "reason": n.reason} for n in c.corrections]}
                        for c in self.changes],
            "impact": {"facts": list(self.facts), "requests": self.requests,
                       "outcome_changed": self.outcome_changes, "other_changed": self.other_changes,
                       "patterns": [{"when": list(f.pattern), "where": [[a, b, list(c)] for a, b, c in f.where],
                                     "old": f.old, "new": f.new, "count": f.count,
                                     "outcome_changed": f.outcome_changed, "example": f.example}
                                    for f in self.flips]},
            "notes": list(self.notes), "errors": list(self.errors),
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


def word_runs(old: str, new: str) -> Iterator[tuple[str, str]]:
    """The word-level changes from ``old`` to ``new`` as runs of words, in order: ``("same", words)``,
    ``("removed", words)`` and ``("added", words)``, a replacement being a removed run then an added one."""
    before, after = old.split(), new.split()
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            yield "same", " ".join(before[a1:a2])
            continue
        if a2 > a1:
            yield "removed", " ".join(before[a1:a2])
        if b2 > b1:
            yield "added", " ".join(after[b1:b2])


def redline(old: str, new: str) -> str:
    """A word-level redline in Markdown: removed words struck through, added words in bold."""
    marks = {"same": "{}", "removed": "~~{}~~", "added": "**{}**"}
    return " ".join(marks[kind].format(words) for kind, words in word_runs(old, new))


def describe_case(case: Case) -> str:
    """One rule case in the phrasebook's words, as the site's "When it applies" lines read."""
    from policykit.publishing.site import OUTCOME_WORDS, in_words

    when = (in_words(case.when, load_phrasebook()) if case.when else
            "the answer is " + " or ".join(OUTCOME_WORDS[o].lower() for o in case.on_outcome))
    yields = [y for y in (case.outcome and f"the answer is {OUTCOME_WORDS[case.outcome].lower()}",
                          case.obligation and f"you must {case.obligation.text.rstrip('.')}",
                          case.notice and f"you are told: {case.notice.rstrip('.')}") if y]
    return f"when {when}: {'; '.join(yields)}"


def _kind_line(clause: Clause, version: ClauseVersion) -> str:
    from policykit.core.model import KIND_WORDS

    return f"the clause {KIND_WORDS.get(clause.kind_of(version), clause.kind_of(version))}"


def _versions(side: Side) -> dict[str, tuple[Clause, ClauseVersion]]:
    found = {}
    for clause in side.policy.document.clauses:
        version = clause.version_on(side.day)
        if version is not None:
            found[clause.id] = (clause, version)
    return found


def _rule_data(clause: Clause, version: ClauseVersion) -> object:
    reading = clause.interpretation_of(version)
    return (clause.kind_of(version), reading.to_dict() if reading else None,
            [(to_data(c.when) if c.when else None, c.on_outcome, c.outcome,
              (c.obligation.text, c.obligation.met_by) if c.obligation else None, c.notice) for c in version.rule])


def clause_changes(old: Side, new: Side, corrections: Sequence[CorrectionNote] = ()) -> list[ClauseChange]:
    """The clauses whose text, rule, kind or reading in force differ between the sides."""
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
                notes))
    return changes


# --- corrections ------------------------------------------------------------------------------------


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


# --- the seam onto the compiled engine ----------------------------------------------------------
#
# The impact is computed on compiled programs (``core.compiler.Program``) through the fields and
# functions listed here and nowhere else: the terms' (P, N) and K masks, the case each term
# belongs to, each case's rank, obligation, notice and clause, the outcome-triggered cases, the
# layout's bits and x-read-as rules, and ``engine.evaluate`` for the verdict of one encoded request.


@dataclass(frozen=True)
class _Term:
    positive: int
    negative: int
    known: int
    reads: int  # positive | negative | known
    rank: int  # outcome rank, -1 when the case yields no outcome
    effect: bool  # the case yields an obligation or a notice
    common: bool  # the same case, with the same terms, is in the other program
    clause: str = ""


def _case_signatures(program: Program) -> list[tuple]:
    """Per case of ``program``: what it is, independent of where it sits in the program."""
    grouped: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for term, case in enumerate(program.term_case):
        grouped[case].append((*program.term_pairs[term], program.term_known[term]))
    signatures = []
    for index, case in enumerate(program.cases):
        notice = case.notice.text if case.notice else None
        signatures.append((program.reasons[case.clause].id, tuple(grouped[index]), case.rank, case.obligation_text,
                           case.met_bit, notice, case.unmet, case.interpretation))
    return signatures


def _program_terms(program: Program, other: Program) -> tuple[_Term, ...]:
    """The terms of ``program``, each marked common when its whole case is also in ``other``."""
    mine, theirs = _case_signatures(program), _case_signatures(other)
    left = defaultdict(int)
    for signature in theirs:
        left[signature] += 1
    common = []
    for signature in mine:
        common.append(left[signature] > 0)
        left[signature] -= 1
    effect = program.effect_terms
    terms = []
    for term, case in enumerate(program.term_case):
        positive, negative = program.term_pairs[term]
        known = program.term_known[term]
        terms.append(_Term(positive, negative, known, positive | negative | known, program.cases[case].rank,
                           bool(effect >> term & 1), common[case], program.reasons[program.cases[case].clause].id))
    return tuple(terms)


def _read_as(program: Program, true: int) -> int:
    for value_bit, as_bit, unless_bit, _ in program.layout.read_as:
        if true & value_bit and not true & unless_bit:
            true = (true & ~value_bit) | as_bit
    return true


def _verdict_key(program: Program, true: int, unknown: int) -> tuple:
    """What a diff compares of one verdict: the outcome, its reasons (clause ids), and the
    obligations (clause, text, met) and notices (clause, text) as multisets."""
    verdict = engine.evaluate(program, true, unknown)
    return (verdict.outcome, tuple(r.id for r in verdict.reasons),
            tuple(sorted((o.clause, o.text, "met" if o.met else "unmet" if o.met is False else "open")
                         for o in verdict.obligations)),
            tuple(sorted((n.clause, n.text) for n in verdict.notices)))


# --- the request space as units -------------------------------------------------------------------


@dataclass(frozen=True)
class _State:
    true: int
    unknown: int
    weight: int  # how many requests (by meaning) the state stands for, its children aside
    enables: bool  # the unit's children exist in this state
    value: object  # for patterns: a value name, True/False, None (not given), or a tuple of names
    label: str  # the state in words
    settles: int = -1  # the bits this state settles (-1: the unit's mask)


@dataclass(frozen=True)
class _Unit:
    """One thing a request states: a single-valued fact, a yes/no fact, whether a list is given,
    one value of a list, or whether a site is involved."""

    fact: str
    kind: str  # choice, boolean, list, item, site, enum
    mask: int  # the bits the unit settles
    states: tuple[_State, ...]
    parent: int | None
    disabled: tuple[int, int]  # (true, unknown) bits when the parent does not enable it
    item: str | None = None  # for an item: the list value


def _words_for(fact: str, value: object, book: dict) -> str:
    if value is None:
        return f"the request does not say ({fact.replace('_', ' ')})"
    return book.get((fact, value), f"{fact.replace('_', ' ')} is {value}")


def _units(layout: AtomLayout, mentioned: int, fixed: Mapping[str, Sequence[object]]) -> list[_Unit]:
    """The request space: every fact of the vocabulary, values no rule of either side names
    collapsed into one state (weighted by how many values it stands for)."""
    vocabulary = load_vocabulary()
    book = {(p.fact, p.value): p.text for p in load_phrasebook().phrases}
    units: list[_Unit] = []
    parent_of: dict[str, int] = {}
    for fact in vocabulary.facts:
        if fact.kind == "date" or fact.path == "actor":
            continue
        parent_path = fact.path.rpartition(".")[0]
        parent = parent_of.get(parent_path)
        whole = layout.masks[fact.path]
        missing = (0, whole if fact.open else 0)
        if fact.path in fixed:
            states = []
            for value in fixed[fact.path]:
                if fact.kind == "object":
                    states.append(_State(whole if value else 0, 0, 1, bool(value), bool(value),
                                         book.get((fact.path, None), fact.path) if value else
                                         f"not ({book.get((fact.path, None), fact.path)})"))
                elif value is None:
                    states.append(_State(0, whole if fact.open else 0, 1, False, None, _words_for(fact.path, None, book)))
                elif fact.kind == "list":
                    bits = _union_bits(layout.bits[fact.path][v] for v in value)
                    states.append(_State(bits, 0, 1, False, tuple(value),
                                         " and ".join(_words_for(fact.path, v, book) for v in value)
                                         or f"no {fact.path.replace('_', ' ')}"))
                else:
                    bits = (layout.bits[fact.path][True] if value else 0) if fact.kind == "boolean" else \
                        layout.bits[fact.path][value]
                    states.append(_State(bits, 0, 1, False, value, _words_for(fact.path, value, book)))
            units.append(_Unit(fact.path, "enum", whole, tuple(states), parent, missing))
            if fact.kind == "object":
                parent_of[fact.path] = len(units) - 1
            continue
        if fact.kind == "object":
            words = book.get((fact.path, None), f"{fact.path} is given")
            units.append(_Unit(fact.path, "site", whole, (
                _State(0, 0, 1, False, False, f"not ({words})"), _State(whole, 0, 1, True, True, words)),
                parent, missing))
            parent_of[fact.path] = len(units) - 1
        elif fact.kind == "choice":
            states = []
            rest = [v for v in fact.value_names if not layout.bits[fact.path][v] & mentioned]
            for name in fact.value_names:
                if name not in rest:
                    states.append(_State(layout.bits[fact.path][name], 0, 1, False, name,
                                         _words_for(fact.path, name, book)))
            if rest:
                states.append(_State(layout.bits[fact.path][rest[0]], 0, len(rest), False, tuple(rest),
                                     " or ".join(_words_for(fact.path, v, book) for v in rest)))
            if not fact.required:
                states.append(_State(0, whole if fact.open else 0, 1, False, None, _words_for(fact.path, None, book)))
            units.append(_Unit(fact.path, "choice", whole, tuple(states), parent, missing))
        elif fact.kind == "boolean":
            bit = layout.bits[fact.path][True]
            states = [_State(0, 0, 1, False, False, book.get((fact.path, False), f"not ({_words_for(fact.path, True, book)})")),
                      _State(bit, 0, 1, False, True, _words_for(fact.path, True, book))]
            if fact.open:
                states.append(_State(0, bit, 1, False, None, _words_for(fact.path, None, book)))
            units.append(_Unit(fact.path, "boolean", whole, tuple(states), parent, missing))
        elif fact.kind == "list":
            named = [v for v in fact.value_names if layout.bits[fact.path][v] & mentioned]
            given = _State(0, 0, 2 ** (len(fact.value_names) - len(named)), True, "given",
                           f"the request says ({fact.path.replace('_', ' ')})", settles=0)
            states = [given] + ([_State(0, whole, 1, False, None, _words_for(fact.path, None, book))]
                                if fact.open else [])
            units.append(_Unit(fact.path, "list", whole if fact.open else 0, tuple(states), parent, missing))
            owner = len(units) - 1
            for name in named:
                bit = layout.bits[fact.path][name]
                words = _words_for(fact.path, name, book)
                units.append(_Unit(fact.path, "item", bit, (
                    _State(0, 0, 1, False, False, f"not ({words})"), _State(bit, 0, 1, False, True, words)),
                    owner, (0, bit if fact.open else 0), name))
    return units


def _union_bits(bits: Iterable[int]) -> int:
    total = 0
    for bit in bits:
        total |= bit
    return total


@dataclass
class _Leaf:
    assigned: dict[int, int]  # unit -> state index
    weight: int
    key: tuple  # (old verdict key, new verdict key)


class SpaceTooLarge(ValueError):
    """The impact analysis would have to look at more cases than it allows."""


def _explore(old: Program, new: Program, units: list[_Unit], limit: int) -> list[_Leaf]:
    """Every request of the space, by cubes (some units settled, the rest free) on which both
    programs' verdicts are fixed. A unit is settled only when a term that could still change a
    verdict reads it: a term is inert when it is settled, when it yields only obligations or
    notices and its whole case is on both sides alike (it adds the same to both), or when its
    outcome is weaker than one already true (outcome precedence)."""
    programs = (old, new)
    terms = (_program_terms(old, new), _program_terms(new, old))
    outcome_met = _union_bits(case.met_bit for program in programs for case in program.outcome_cases)
    changed_met = [[0] * len(t) for t in terms]
    for side, program in enumerate(programs):
        common = {i for i, term in enumerate(terms[side]) if term.common}
        for term, case in enumerate(program.term_case):
            if term not in common:
                changed_met[side][term] = program.cases[case].met_bit
    owner: dict[int, int] = {}
    for index, unit in enumerate(units):
        mask = unit.mask
        while mask:
            low = mask & -mask
            owner.setdefault(low, index)
            if unit.kind == "item":
                owner[low] = index
            mask ^= low
    read_as = [(value_bit, unless_bit) for value_bit, _, unless_bit, _ in old.layout.read_as]
    children: dict[int | None, list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        children[unit.parent].append(index)

    def total(index: int) -> int:
        unit = units[index]
        return sum(s.weight * (_product(total(c) for c in children[index]) if s.enables else 1) for s in unit.states)

    totals = [0] * len(units)
    for index in reversed(range(len(units))):
        totals[index] = total(index)
    leaves: list[_Leaf] = []
    visited = [0]

    # The changed cases of each side: (what the case yields, rank, whether it has effects, its terms).
    changed_cases: list[list[tuple[tuple, int, bool, list[int]]]] = []
    for side, program in enumerate(programs):
        signatures = _case_signatures(program)
        by_case: dict[int, list[int]] = defaultdict(list)
        for term, case in enumerate(program.term_case):
            if not terms[side][term].common:
                by_case[case].append(term)
        changed_cases.append([((signatures[case][0], *signatures[case][2:]), program.cases[case].rank,
                               terms[side][found[0]].effect, found) for case, found in by_case.items()])
    same_outcome_cases = ([_outcome_signature(old, c) for c in old.outcome_cases] ==
                          [_outcome_signature(new, c) for c in new.outcome_cases])

    def states(side: int, true: int, unknown: int, assigned_bits: int) -> list[int]:
        """Each term's state so far: 0 false, 1 true, 2 unknown, 3 open (reads a fact not settled)."""
        found = []
        for term in terms[side]:
            if (term.positive & assigned_bits & ~true & ~unknown) or term.negative & true or term.known & unknown:
                found.append(0)
            elif term.reads & ~assigned_bits:
                found.append(3)
            else:
                found.append(2 if (term.positive | term.negative) & unknown else 1)
        return found

    changed_clauses = {t.clause for side in (0, 1) for t in terms[side] if not t.common}

    def blocking(side: int, state: list[int], assigned_bits: int, unknown: int) -> tuple[int, int, bool, list[int]]:
        """(a bit whose unit must be settled next or 0, this side's best true rank, whether it is
        undetermined already, the open terms that can only be at stake)."""
        best = -1
        for index, term in enumerate(terms[side]):
            if state[index] == 1:
                best = max(best, term.rank)
                met = changed_met[side][index]
                if met and met & ~assigned_bits:
                    return met, best, False, []
        at_stake = any(st == 2 and term.rank > max(best, 0) for term, st in zip(terms[side], state))
        wanted = 0
        wanted_rank = -2
        stake_only = []
        for index, term in enumerate(terms[side]):
            if state[index] != 3:
                continue
            if term.rank >= 0 and term.rank >= best or term.effect and not term.common:
                if (term.common and not term.effect and term.positive & unknown and term.rank > max(best, 0)
                        and term.clause not in changed_clauses):
                    stake_only.append(index)  # it can be unknown, never true: it can only add to the stakes
                    continue
                if term.rank > wanted_rank:
                    wanted, wanted_rank = term.reads & ~assigned_bits, term.rank
        if wanted:
            return wanted & -wanted, best, at_stake, stake_only
        met = outcome_met & ~assigned_bits
        return (met & -met, best, at_stake, stake_only) if met else (0, best, at_stake, stake_only)

    def alike(both: tuple[list[int], list[int]], assigned_bits: int) -> tuple[bool, int]:
        """Whether the changed cases add the same to both sides whatever the rest of the request
        (then nothing changes), and else a bit an undecided changed case still reads."""
        best_common = max((term.rank for term, st in zip(terms[0], both[0]) if st == 1 and term.common),
                          default=-1)
        yields: list[dict] = [defaultdict(int), defaultdict(int)]
        for side in (0, 1):
            for signature, rank, effect, found in changed_cases[side]:
                if not effect and rank < best_common:
                    continue  # a weaker outcome than one both sides already give
                seen = {both[side][t] for t in found}
                if 1 in seen:
                    yields[side][(signature, 1)] += 1
                elif 3 in seen:
                    term = next(t for t in found if both[side][t] == 3)
                    open_bits = terms[side][term].reads & ~assigned_bits
                    return False, open_bits & -open_bits
                elif 2 in seen:
                    yields[side][(signature, 2)] += 1
        return same_outcome_cases and yields[0] == yields[1], 0

    def walk(assigned: dict[int, int], true: int, unknown: int, bits: int, free: list[int]) -> None:
        visited[0] += 1
        if visited[0] > limit:
            raise SpaceTooLarge(limit, leaves)
        effective = _read_as(old, true)
        both = (states(0, effective, unknown, bits), states(1, effective, unknown, bits))
        same, need = alike(both, bits)
        if same:
            leaves.append(_Leaf(dict(assigned), _product(totals[i] for i in free), ()))
            return
        if not need:
            need, best_old, stake_old, only_old = blocking(0, both[0], bits, unknown)
            if not need:
                need, best_new, stake_new, only_new = blocking(1, both[1], bits, unknown)
                if not need and (only_old or only_new):
                    # Terms that can only be at stake add their clause to both sides' stakes when both
                    # are undetermined already and the term outranks both sides' best; else settle them.
                    if not (stake_old and stake_new and all(terms[0][t].rank > max(best_new, 0) for t in only_old)
                            and all(terms[1][t].rank > max(best_old, 0) for t in only_new)):
                        term = terms[0][only_old[0]] if only_old else terms[1][only_new[0]]
                        open_bits = term.reads & ~bits
                        need = open_bits & -open_bits
        if not need:
            weight = _product(totals[i] for i in free)
            rest_true, rest_unknown = true, unknown
            for index in free:
                rest_true, rest_unknown = _first(units, children, index, rest_true, rest_unknown)
            rest_true = _read_as(old, rest_true)
            leaves.append(_Leaf(dict(assigned), weight, (_verdict_key(old, rest_true, rest_unknown),
                                                         _verdict_key(new, rest_true, rest_unknown))))
            return
        index = owner[need]
        while units[index].parent is not None and units[index].parent not in assigned:
            index = units[index].parent
        for value_bit, unless_bit in read_as:  # a value read as another needs the fact that decides it
            if units[index].mask & value_bit and unless_bit & ~bits:
                index = owner[unless_bit]
                break
        unit = units[index]
        rest = [i for i in free if i != index]
        for choice, state in enumerate(unit.states):
            assigned[index] = choice
            settles = unit.mask if state.settles < 0 else state.settles
            if state.enables:
                below, t, u, b = children[index], true | state.true, unknown | state.unknown, bits | settles
                walk(assigned, t, u, b, rest + below)
            else:
                t, u, b = true | state.true, unknown | state.unknown, bits | settles
                for child in _descendants(children, index):
                    t |= units[child].disabled[0]
                    u |= units[child].disabled[1]
                    b |= units[child].mask
                walk(assigned, t, u, b, rest)
            del assigned[index]

    walk({}, 0, 0, 0, list(children[None]))
    return leaves


def _outcome_signature(program: Program, case) -> tuple:
    return (program.reasons[case.clause].id, case.rank, case.obligation_text, case.met_bit,
            case.notice.text if case.notice else None, case.on_outcome, case.interpretation)


def _product(numbers: Iterable[int]) -> int:
    result = 1
    for number in numbers:
        result *= number
    return result


def _descendants(children: dict, index: int) -> list[int]:
    found = []
    for child in children[index]:
        found.append(child)
        found += _descendants(children, child)
    return found


def _first(units: list[_Unit], children: dict, index: int, true: int, unknown: int) -> tuple[int, int]:
    """Bits of one representative request for a free unit: its first state, and its children's."""
    state = units[index].states[0]
    true, unknown = true | state.true, unknown | state.unknown
    if state.enables:
        for child in children[index]:
            true, unknown = _first(units, children, child, true, unknown)
    else:
        for child in _descendants(children, index):
            true, unknown = true | units[child].disabled[0], unknown | units[child].disabled[1]
    return true, unknown

# --- decision impact ----------------------------------------------------------------------------


def _mentioned(old: Program, new: Program) -> int:
    """Every bit some rule of either side reads, settles an obligation, or reads a value as another."""
    bits = 0
    for program in (old, new):
        for (positive, negative), known in zip(program.term_pairs, program.term_known):
            bits |= positive | negative | known
        for case in (*program.cases, *program.outcome_cases):
            bits |= case.met_bit
        for value_bit, as_bit, unless_bit, _ in program.layout.read_as:
            bits |= value_bit | as_bit | unless_bit
    return bits


def _side_words(key: tuple, other: tuple) -> str:
    """One side's verdict in words: outcome and reasons, then what it has that the other has not."""
    from policykit.publishing.site import OUTCOME_WORDS

    outcome, reasons, obligations, notices = key
    titles = {c.id: c.title for c in _TITLES}
    text = OUTCOME_WORDS[outcome].lower()
    if reasons:
        text += " (" + ", ".join(f"“{titles.get(r, r)}”" for r in reasons) + ")"
    extra = _minus(obligations, other[2])
    for clause, words, met in extra:
        state = {"met": "done", "unmet": "not done", "open": "provided it is done"}[met]
        text += f"; you must {words.rstrip('.')} ({state})"
    for clause, words in _minus(notices, other[3]):
        text += f"; you are told: {words.rstrip('.')}"
    return text


_TITLES: list[Clause] = []


def _minus(items: tuple, other: tuple) -> list:
    rest = list(other)
    found = []
    for item in items:
        if item in rest:
            rest.remove(item)
        else:
            found.append(item)
    return found


def _merge(cubes: list[dict[int, frozenset[int]]]) -> list[dict[int, frozenset[int]]]:
    """Cubes (unit -> states allowed) of one group merged wherever two differ in one unit only."""
    changed = True
    while changed:
        changed = False
        units = sorted({u for cube in cubes for u in cube})
        for unit in units:
            buckets: dict[tuple, dict[int, frozenset[int]]] = {}
            for cube in cubes:
                if unit not in cube:
                    buckets[("whole", tuple(sorted(cube.items())))] = cube
                    continue
                rest = tuple(sorted((u, s) for u, s in cube.items() if u != unit))
                if rest in buckets:
                    buckets[rest] = {**buckets[rest], unit: buckets[rest][unit] | cube[unit]}
                    changed = True
                else:
                    buckets[rest] = cube
            cubes = list(buckets.values())
    return cubes


def _example(units: list[_Unit], cube: dict[int, frozenset[int]]) -> dict:
    """One request of a cube: each settled unit's first allowed state, every other unit's first."""
    request: dict = {}
    enabled: dict[int | None, bool] = {None: True}
    for index, unit in enumerate(units):
        if not enabled.get(unit.parent, False):
            enabled[index] = False
            continue
        state = unit.states[min(cube[index])] if index in cube else unit.states[0]
        enabled[index] = state.enables
        *parents, leaf = unit.fact.split(".")
        target = request
        for part in (["actor"] if unit.fact == "actor.role" else parents):
            target = target.setdefault(part, {})
        if unit.fact == "actor.role":
            leaf = "role"
        value = state.value[0] if isinstance(state.value, tuple) and unit.kind == "choice" else state.value
        if unit.kind == "site" or (unit.kind == "enum" and isinstance(value, bool) and
                                   load_vocabulary()[unit.fact].kind == "object"):
            if value:
                target.setdefault(leaf, {})
        elif unit.kind == "list":
            if value == "given":
                target[leaf] = []
        elif unit.kind == "item":
            if value:
                target.setdefault(leaf, []).append(unit.item)
        elif value is None:
            continue
        elif unit.kind == "enum" and isinstance(value, tuple):
            if value:
                target[leaf] = list(value)
        elif value is False and not load_vocabulary()[unit.fact].open:
            continue
        else:
            target[leaf] = value
    return request


def _where(units: list[_Unit], cube: dict[int, frozenset[int]]) -> tuple[tuple[str, tuple[str, str, tuple]], ...]:
    found = []
    for index in sorted(cube):
        unit, allowed = units[index], cube[index]
        if len(allowed) == len(unit.states):
            continue
        states = [unit.states[i] for i in sorted(allowed)]
        values: list[object] = []
        for state in states:
            values += list(state.value) if isinstance(state.value, tuple) and unit.kind == "choice" else [state.value]
        words = " or ".join(state.label for state in states)
        found.append((words, (unit.fact, unit.item or "", tuple(values))))
    return tuple(found)


def impact(old: Side, new: Side, fixed: Mapping[str, Sequence[object]] | None = None,
           limit: int = MAX_STEPS) -> tuple[tuple[str, ...], int, list[Flip], list[str]]:
    """Every request of the request space whose outcome, reasons, obligations or notices differ
    between the sides, grouped into exact patterns: (the facts that had to be settled, the size of
    the space, the patterns, notes). ``fixed`` restricts facts to the states listed (JSON values,
    None for "not given", True/False for whether a site is involved)."""
    old_program, new_program = old.policy.program(old.day), new.policy.program(new.day)
    _TITLES[:] = [*old.policy.document.clauses, *new.policy.document.clauses]
    units = _units(old_program.layout, _mentioned(old_program, new_program), fixed or {})
    try:
        leaves = _explore(old_program, new_program, units, limit)
    except SpaceTooLarge:
        raise ValueError(f"the change reaches more than {limit:,} distinct cases of requests; split it into "
                         "smaller pull requests, or compare it on explicit dates") from None
    size = 0
    groups: dict[tuple, list[dict[int, frozenset[int]]]] = defaultdict(list)
    counts: dict[tuple, int] = defaultdict(int)
    settled: set[int] = set()
    for leaf in leaves:
        size += leaf.weight
        settled.update(leaf.assigned)
        if not leaf.key:
            continue
        before, after = leaf.key
        if before == after or (before[:2] == after[:2] and not _minus(before[2], after[2]) and
                               not _minus(after[2], before[2]) and not _minus(before[3], after[3]) and
                               not _minus(after[3], before[3])):
            continue
        key = (before[0], tuple(_minus(before[1], after[1])), tuple(_minus(before[2], after[2])),
               tuple(_minus(before[3], after[3])), after[0], tuple(_minus(after[1], before[1])),
               tuple(_minus(after[2], before[2])), tuple(_minus(after[3], before[3])))
        groups[key].append({u: frozenset([s]) for u, s in leaf.assigned.items()})
        counts[key] += leaf.weight
    flips: list[Flip] = []
    for key, cubes in groups.items():
        before = (key[0], key[1], key[2], key[3])
        after = (key[4], key[5], key[6], key[7])
        words_before = _side_words(before, ((), (), (), ()))
        words_after = _side_words(after, ((), (), (), ()))
        for cube in _merge(cubes):
            where = _where(units, cube)
            weight = _cube_weight(units, cube)
            flips.append(Flip(tuple(w for w, _ in where), tuple(c for _, c in where), words_before, words_after,
                              weight, _example(units, cube), key[0] != key[4]))
    flips.sort(key=lambda f: (not f.outcome_changed, -f.count, f.old, f.new, f.pattern))
    notes = []
    facts = tuple(dict.fromkeys(units[i].fact for i in sorted(settled)))
    return facts, size, flips, notes


def _cube_weight(units: list[_Unit], cube: dict[int, frozenset[int]]) -> int:
    """How many requests of the space a cube holds."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        children[unit.parent].append(index)

    def count(index: int) -> int:
        unit = units[index]
        allowed = cube.get(index, range(len(unit.states)))
        return sum(unit.states[s].weight * (_product(count(c) for c in children[index])
                                            if unit.states[s].enables else 1) for s in allowed)

    return _product(count(i) for i in children[None])


def diff(old: Side, new: Side, fixed: Mapping[str, Sequence[object]] | None = None) -> PolicyDiff:
    """The whole report for one date."""
    notes_c, errors = check_corrections(old.policy.document, new.policy.document)
    changes = clause_changes(old, new, notes_c)
    facts, size, flips, notes = impact(old, new, fixed) if changes else ((), 0, [], [])
    return PolicyDiff(old.label, new.label, tuple(changes), facts, size, tuple(flips), tuple(notes), tuple(errors))


#: Patterns listed in a pull request's comment; the rest are counted (all are in --format json).
SHOWN = 40


def _table(rows: Sequence[Flip]) -> list[str]:
    lines = ["| when | before | after | requests |", "|---|---|---|---|"]
    for flip in rows[:SHOWN]:
        when = "; ".join(flip.pattern) or "(any request)"
        lines.append(f"| {_cell(when)} | {_cell(flip.old)} | {_cell(flip.new)} | {flip.count:,} |")
    if len(rows) > SHOWN:
        lines.append(f"| … and {len(rows) - SHOWN:,} more patterns ({sum(f.count for f in rows[SHOWN:]):,} "
                     "requests; see `policykit diff --format json`) | | | |")
    return lines + [""]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(report: PolicyDiff) -> str:
    """The report for a pull request."""
    lines = [f"## Policy changes: {report.old} → {report.new}", ""]
    lines += _errors(report.errors)
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
        lines += ["#### Outcome changes", ""] + _table(outcome)
    if other:
        lines += ["#### Reason, obligation or notice changes only", ""] + _table(other)
    lines += [f"_Note: {note}._" for note in report.notes]
    return "\n".join(lines) + "\n"


def _errors(errors: Sequence[str]) -> list[str]:
    if not errors:
        return []
    return ["### Errors", ""] + [f"- error: {e}" for e in errors] + [""]


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
    lines += _errors(first.errors)
    if not any(report.changes for _, report in reports):
        return "\n".join(lines + ["No clause text or rule changes on any of these dates.", ""])
    for index, (day, report) in enumerate(reports):
        body = to_markdown(PolicyDiff(report.old, report.new, report.changes, report.facts, report.requests,
                                      report.flips, report.notes)).split("\n", 2)[2]
        lines += [f"## {'Today, ' if index == 0 else 'From '}{day.isoformat()}", "",
                  body.replace("### ", "#### ").rstrip(), ""]
    return "\n".join(lines)

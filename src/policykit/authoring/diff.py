"""What an edit to the policy does: clause text as a word-level redline, rule changes in the
phrasebook's words, corrections checked, and every decision that changes, found exhaustively over
the whole request space on the compiled engine.

A side of a diff is a policy and a date: a directory of policy files, a git revision of the
project's own ``policy/``, or a date (the project's policy as in force on that day).

How the impact is exhaustive without deciding every request: a request is encoded as bits
(``core.compiler``), and both sides' compiled programs are evaluated together while the facts
of a request are settled one at a time, each only when some rule case (term) could still change
the *delta*: what differs between the two verdicts (``Delta``). Each cube of requests so reached
has one delta, taken from one request of it through ``engine.evaluate`` on both sides; counts are
exact counts of requests of the full space (by meaning: a closed fact left out is the same
request as its "no"; values no rule of either side names collapse into one state counted with
its weight), and each reported pattern is a union of cubes with the same delta, merged only
where they agree, so every request matching it changes exactly as it says.

When a term can stop mattering (the rules of ``_alike`` and ``_delta_bit``), with *common* cases
being those on both sides with the same clause, terms and yields, hence the same truth on both
sides for every request:

* a false term never matters again; a changed case (not common) whose outcome is weaker than
  one already true on its side, and which yields no obligation or notice, can neither decide,
  be at stake nor be a reason;
* when the changed cases left are settled and pair off one to one (same yields, both true or
  both unknown), both verdicts are equal: no change, whatever the common terms;
* each side's outcome must be fixed: determined at rank m when every term above m is false,
  undetermined when a term surely unknown outranks every term that could still be true; until
  then the strongest open term is settled (so prohibitions are settled one after another until
  one holds: a chain, not every combination);
* a common term cited the same way on both sides cancels: same determined outcome (true terms
  of that rank), or both undetermined with the same least best rank and only common terms able
  to raise it (the same best on both sides), or its rank above both sides' highest possible best
  (unknown terms of it are at stake on both) or at most both sides' least (never at stake). A
  clause's reason difference is fixed when it is surely a reason through a shared term, or
  its own terms on each side are settled alike, or settled differently with no shared term
  possible. When the outcome changes, only the changed clauses' reasons are kept (the other
  reasons of each outcome vary within a pattern and are not part of its delta);
* obligations and notices of common cases cancel; a changed case that yields one must be
  settled, and so must its settling fact (met, unmet or open) unless an identical item with the
  same settling fact cancels it on the other side; outcome-triggered cases follow each side's
  determined outcome;
* a value read as another (``x-read-as``) is settled only after the fact that decides it.

Subtrees are memoized by their residue (the terms not false, with their possible states and the
bits they still read, the settling facts, and which units those bits belong to are free): the
same residual question reached through values no rule still reads is explored once.

``--format json``: each pattern's ``old`` and ``new`` are its sides in words; ``delta`` holds the
same as data: ``old_outcome``/``new_outcome``; ``old_reasons``/``new_reasons`` (clause ids): when
the outcome stays, the reasons only that side has, when it changes, that side's reasons among
the clauses whose rule cases changed; ``old_obligations``/``new_obligations`` ([clause, text,
met]) and ``old_notices``/``new_notices`` ([clause, text]): what only that side has, as
multisets. ``when``/``where`` are the pattern's conditions, ``count`` its requests, ``example``
one of them."""

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
from policykit.core.compiler import AtomLayout, CaseSignature, Program, case_signatures, union_of
from policykit.core.conditions import to_data, untagged
from policykit.core.engine import VerdictKey
from policykit.core.model import Case, Clause, ClauseVersion, PolicyDocument
from policykit.core.request import valid_date
from policykit.core.vocabulary import load_vocabulary

#: The most cubes of requests an impact analysis will look at.
MAX_STEPS = 400_000
#: Cubes of one delta merged pairwise (beyond the merging of sibling cubes during the walk) when
#: there are at most this many: the pairwise merge is quadratic.
MERGE_LIMIT = 400


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
    effective: date | None = None  # when the version in force on the new side (the old, if removed) took effect


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
    delta: Delta | None = None  # what differs, for every request of the pattern


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

# A term's possible states in a cube of requests, as a set of these flags.
_F, _T, _U = 1, 2, 4


@dataclass(frozen=True)
class _Term:
    positive: int
    negative: int
    known: int
    reads: int  # positive | negative | known
    rank: int  # outcome rank, -1 when the case yields no outcome
    case: int  # index into the side's cases
    common: bool  # the same case, with the same terms, is in the other program
    clause: str = ""


@dataclass(frozen=True)
class _CaseInfo:
    """One case of a side, as the impact needs it."""

    terms: tuple[int, ...]
    rank: int
    clause: str
    common: bool
    yields: tuple  # what it adds, independent of its terms: (clause, rank, obligation, met bit, notice, unmet)
    obligation: str | None
    met_bit: int
    notice: str | None

    @property
    def effect(self) -> bool:
        return self.obligation is not None or self.notice is not None


def _side_parts(program: Program, other: Program) -> tuple[tuple[_Term, ...], tuple[_CaseInfo, ...]]:
    """The terms and cases of ``program``, each case marked common when the very same case (clause,
    terms and what it yields) is also in ``other`` (matched as multisets)."""
    mine, theirs = case_signatures(program), case_signatures(other)
    left: dict[CaseSignature, int] = defaultdict(int)
    for signature in theirs:
        left[signature] += 1
    common = []
    for signature in mine:
        common.append(left[signature] > 0)
        left[signature] -= 1
    by_case: dict[int, list[int]] = defaultdict(list)
    terms = []
    for term, case in enumerate(program.term_case):
        positive, negative = program.term_pairs[term]
        known = program.term_known[term]
        by_case[case].append(term)
        terms.append(_Term(positive, negative, known, positive | negative | known, program.cases[case].rank, case,
                           common[case], program.reasons[program.cases[case].clause].id))
    cases = []
    for index, case in enumerate(program.cases):
        signature = mine[index]
        cases.append(_CaseInfo(tuple(by_case[index]), case.rank, signature.clause, common[index],
                               signature.yields, case.obligation_text, case.met_bit, signature.notice))
    return tuple(terms), tuple(cases)


def _read_as(program: Program, true: int) -> int:
    for value_bit, as_bit, unless_bit, _ in program.layout.read_as:
        if true & value_bit and not true & unless_bit:
            true = (true & ~value_bit) | as_bit
    return true


def _verdict_key(program: Program, true: int, unknown: int) -> VerdictKey:
    """What a diff compares of one verdict (``engine.verdict_key``)."""
    return engine.verdict_key(engine.evaluate(program, true, unknown))


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
        return self.old_outcome != self.new_outcome

    @property
    def changed(self) -> bool:
        """Whether the decision changes at all: the outcome, or anything only one side has."""
        return self.outcome_changed or any((self.old_reasons, self.new_reasons, self.old_obligations,
                                            self.new_obligations, self.old_notices, self.new_notices))

    def to_dict(self) -> dict[str, object]:
        return {"old_outcome": self.old_outcome, "new_outcome": self.new_outcome,
                "old_reasons": list(self.old_reasons), "new_reasons": list(self.new_reasons),
                "old_obligations": [list(o) for o in self.old_obligations],
                "new_obligations": [list(o) for o in self.new_obligations],
                "old_notices": [list(n) for n in self.old_notices], "new_notices": [list(n) for n in self.new_notices]}


def delta_of(old_key: VerdictKey, new_key: VerdictKey, changed: frozenset[str]) -> Delta:
    """The difference between two verdict keys (``_verdict_key``), ``changed`` being the clauses
    whose rule cases differ between the sides (see ``Delta``)."""
    if old_key.outcome == new_key.outcome:
        old_reasons = tuple(r for r in old_key.reasons if r not in new_key.reasons)
        new_reasons = tuple(r for r in new_key.reasons if r not in old_key.reasons)
    else:
        old_reasons = tuple(r for r in old_key.reasons if r in changed)
        new_reasons = tuple(r for r in new_key.reasons if r in changed)
    return Delta(old_key.outcome, new_key.outcome, old_reasons, new_reasons,
                 tuple(_minus(old_key.obligations, new_key.obligations)),
                 tuple(_minus(new_key.obligations, old_key.obligations)),
                 tuple(_minus(old_key.notices, new_key.notices)), tuple(_minus(new_key.notices, old_key.notices)))


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
                    bits = union_of(layout.bits[fact.path][v] for v in value)
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


@dataclass(frozen=True)
class _Leaf:
    cube: dict[int, frozenset[int]]  # unit -> the states allowed (units not in it: any state)
    delta: Delta


class SpaceTooLarge(ValueError):
    """The impact analysis would have to look at more cases than it allows."""


_NO, _YES, _MAYBE = 0, 1, 2


def _either(a: int, b: int) -> int:
    """Three-valued "or" of two contributions."""
    return _YES if _YES in (a, b) else _MAYBE if _MAYBE in (a, b) else _NO


@dataclass(frozen=True)
class _Sides:
    """Both programs, prepared for the walk."""

    programs: tuple[Program, Program]
    terms: tuple[tuple[_Term, ...], tuple[_Term, ...]]
    cases: tuple[tuple[_CaseInfo, ...], tuple[_CaseInfo, ...]]
    outcome_cases: tuple[tuple, tuple]  # per side: (on_outcome ranks mask, clause, obligation, met bit, notice)
    openable: int  # bits that may be unknown (facts missing = unknown)
    changed: frozenset[str]  # the clauses with a case that is not on both sides

    @classmethod
    def of(cls, old: Program, new: Program) -> "_Sides":
        old_terms, old_cases = _side_parts(old, new)
        new_terms, new_cases = _side_parts(new, old)
        outcome = tuple(tuple((c.on_outcome, p.reasons[c.clause].id, c.obligation_text, c.met_bit,
                               c.notice.text if c.notice else None) for c in p.outcome_cases) for p in (old, new))
        changed = frozenset(c.clause for c in (*old_cases, *new_cases) if not c.common)
        return cls((old, new), (old_terms, new_terms), (old_cases, new_cases), outcome,  # type: ignore[arg-type]
                   old.layout.initially_unknown | new.layout.initially_unknown, changed)


def _term_states(terms: Sequence[_Term], alive: Sequence[int], true: int, unknown: int, settled: int,
                 openable: int, before: list[int] | None = None, changed: int = -1) -> tuple[list[int], list[int]]:
    """Each term's possible states over a cube, and the terms not false: the ``settled`` bits are
    as ``true`` and ``unknown`` say, the others free; only the ``alive`` terms can be other than
    false (a false term stays false as more bits are settled). A settled term has one state; an
    open one may be false, may be true unless a settled bit is unknown, and may be unknown if a bit
    it reads is or can be unknown. With the states ``before`` of a cube this one lies in (false
    wherever a term is not alive), only the terms reading a ``changed`` bit are worked out again."""
    found = [_F] * len(terms) if before is None else before.copy()
    living = []
    for index in alive:
        term = terms[index]
        if not term.reads & changed:
            living.append(index)
            continue
        if term.positive & settled & ~true & ~unknown or term.negative & true or term.known & unknown:
            found[index] = _F
            continue
        living.append(index)
        loose = term.reads & ~settled
        stuck = (term.positive | term.negative) & unknown
        if not loose:
            found[index] = _U if stuck else _T
        else:
            found[index] = _F | (0 if stuck else _T) | (_U if stuck or (term.positive | term.negative) & loose & openable
                                                         else 0)
    return found, living


def _relevant(sides: _Sides, side: int, found: list[int], living: list[int]) -> list[int]:
    """The living terms of a side that can still change the delta; the others are set false in
    ``found``. A term whose outcome is weaker than one surely true on its side can no longer
    decide, be at stake or be a reason; unless its case is a changed one with an obligation or a
    notice, it adds nothing either (a common case adds the same to both sides)."""
    terms, cases = sides.terms[side], sides.cases[side]
    low = max((terms[i].rank for i in living if found[i] == _T), default=0)
    kept = []
    for index in living:
        term = terms[index]
        if term.rank >= low or not term.common and cases[term.case].effect:
            kept.append(index)
        else:
            found[index] = _F
    return kept


def _open_bit(term: _Term, settled: int) -> int:
    """A bit of an open term to settle next: one it needs true if any, else any it reads."""
    loose = term.reads & ~settled
    wanted = loose & term.positive or loose
    return wanted & -wanted


def _alike(sides: _Sides, states: tuple[list[int], list[int]], settled: int) -> tuple[bool, int]:
    """Whether the cases that differ between the sides add the same to both for every request of
    the cube (then its decision is the same on both sides), else a bit an open one still reads
    (or 0). A changed case is inert when it is false, or when it yields only an outcome weaker than
    one already true on its side (it can neither decide, be at stake nor be a reason); the others
    must be settled, and match one to one in what they yield and whether true or unknown."""
    yields: list[dict[tuple, int]] = [defaultdict(int), defaultdict(int)]
    for side in (0, 1):
        terms, found = sides.terms[side], states[side]
        best = max((t.rank for t, s in zip(terms, found) if s == _T), default=0)
        for case in sides.cases[side]:
            if case.common:
                continue
            mine = [found[t] for t in case.terms]
            if all(s == _F for s in mine) or not case.effect and case.rank < best:
                continue
            if _T in mine:
                yields[side][(case.yields, _T)] += 1
            elif not any(s & _T for s in mine) and _U in mine:
                yields[side][(case.yields, _U)] += 1
            else:
                term = next(t for t in case.terms if found[t] != _F and found[t] not in (_T, _U))
                return False, _open_bit(terms[term], settled)
    return sides.outcome_cases[0] == sides.outcome_cases[1] and yields[0] == yields[1], 0


def _regime(terms: Sequence[_Term], found: list[int]) -> tuple[tuple[int, int, bool, bool] | None, int]:
    """A side's outcome over the cube: ``(m, h, undetermined, pure)`` when it is the same for every
    request (determined: rank ``m``; undetermined: the best true rank lies in ``m..h``; pure: only
    common terms can raise it above ``m``), else ``None`` and the term to settle next: the
    strongest that could still raise or unsettle it."""
    low = high = 0
    for term, state in zip(terms, found):
        if term.rank > 0 and state & _T:
            high = max(high, term.rank)
            if state == _T:
                low = max(low, term.rank)
    above = [i for i, (term, state) in enumerate(zip(terms, found)) if term.rank > low and state != _F]
    if not above:
        return (low, low, False, True), -1
    if any(found[i] == _U and terms[i].rank > high for i in above):
        pure = all(terms[i].common for i in above if found[i] & _T)
        return (low, high, True, pure), -1
    return None, max(above, key=lambda i: (terms[i].rank, bool(found[i] & _T)))


def _contribution(term: _Term, state: int, regime: tuple[int, int, bool, bool]) -> int:
    """Whether a term makes its clause a reason on its side, for every request of the cube (yes,
    no) or for some only (maybe). Determined at rank m: the true terms of rank m. Undetermined:
    the unknown terms of a rank above the best true one (which lies in m..h)."""
    low, high, undetermined, _ = regime
    if not undetermined:
        if term.rank != low or not state & _T:
            return _NO
        return _YES if state == _T else _MAYBE
    if not state & _U or term.rank <= low:
        return _NO
    if term.rank > high:
        return _YES if state == _U else _MAYBE
    return _MAYBE


def _shared(rank: int, old: tuple[int, int, bool, bool], new: tuple[int, int, bool, bool]) -> bool:
    """Whether a common term (in the same state on both sides) makes its clause a reason on both
    sides alike, for every request of the cube: the same determined outcome; or both undetermined
    and either the best true rank is the same on both sides (the same ``m``, and only common
    terms, the same on both sides, can raise it), or the term's rank is above both sides' highest
    possible best or at most both sides' least."""
    if old[2] != new[2]:
        return False
    if not old[2]:
        return old[0] == new[0]
    return (old[0] == new[0] and old[3] and new[3] or rank > old[1] and rank > new[1]
            or rank <= old[0] and rank <= new[0])


def _met_state(bit: int, true: int, unknown: int, settled: int) -> object:
    if not bit:
        return "open"
    if bit & ~settled:
        return ("bit", bit)  # not settled yet: the same state wherever the same bit settles it
    return "open" if unknown & bit else "met" if true & bit else "unmet"


def _effects_bit(sides: _Sides, states: tuple[list[int], list[int]], regimes: tuple, true: int, unknown: int,
                 settled: int) -> int:
    """0 when the obligations and notices one side has and the other has not are the same for
    every request of the cube, else a bit to settle. Common cases add the same to both sides and
    cancel; the changed ones must be settled, and so must the settling fact of an obligation that
    does not cancel; outcome-triggered cases follow each side's determined outcome."""
    count: dict[tuple, int] = defaultdict(int)
    for side, sign in ((0, 1), (1, -1)):
        terms, found = sides.terms[side], states[side]
        for case in sides.cases[side]:
            if case.common or not case.effect:
                continue
            mine = [found[t] for t in case.terms]
            if _T not in mine:
                if not any(s & _T for s in mine):
                    continue
                term = next(t for t in case.terms if found[t] & _T)
                return _open_bit(terms[term], settled)
            if case.obligation is not None:
                count[("o", case.clause, case.obligation, _met_state(case.met_bit, true, unknown, settled))] += sign
            if case.notice is not None:
                count[("n", case.clause, case.notice)] += sign
        low, _, undetermined, _ = regimes[side]
        if not undetermined:
            for trigger, clause, obligation, met_bit, notice in sides.outcome_cases[side]:
                if trigger >> low & 1:
                    if obligation is not None:
                        count[("o", clause, obligation, _met_state(met_bit, true, unknown, settled))] += sign
                    if notice is not None:
                        count[("n", clause, notice)] += sign
    for item, difference in count.items():
        if difference and item[0] == "o" and isinstance(item[3], tuple):
            return item[3][1]
    return 0


def _delta_bit(sides: _Sides, states: tuple[list[int], list[int]], true: int, unknown: int, settled: int) -> int:
    """0 when the delta (both outcomes, and what only one side has) is the same for every request
    of the cube, else a bit whose settling can change it."""
    regimes = []
    for side in (0, 1):
        regime, strongest = _regime(sides.terms[side], states[side])
        if regime is None:
            return _open_bit(sides.terms[side][strongest], settled)
        regimes.append(regime)
    # Reasons, per clause: [shared, old side's own, new side's own] contributions, and a term to
    # settle for each. With the same outcome on both sides a clause matters only if it is a reason
    # on one side and not the other; with different outcomes only the changed clauses matter.
    same = regimes[0][2] == regimes[1][2] and (regimes[0][2] or regimes[0][0] == regimes[1][0])
    clauses: dict[str, list] = {}
    for side in (0, 1):
        terms, found = sides.terms[side], states[side]
        for term, state in zip(terms, found):
            if state == _F or term.rank < 0 or not same and term.clause not in sides.changed:
                continue
            slot = 0 if same and term.common and _shared(term.rank, regimes[0], regimes[1]) else 1 + side
            if slot == 0 and side == 1:
                continue  # its twin on the old side stands for both
            entry = clauses.setdefault(term.clause, [_NO, _NO, _NO, None, None, None])
            contribution = _contribution(term, state, regimes[side])
            entry[slot] = _either(entry[slot], contribution)
            if contribution == _MAYBE and entry[3 + slot] is None:
                entry[3 + slot] = (side, term)
    for shared, old, new, *maybe in clauses.values():
        if not same:
            if _MAYBE not in (old, new):
                continue
        elif shared == _YES or old == new != _MAYBE or _MAYBE not in (old, new) and shared == _NO:
            continue
        side, term = maybe[1] if old == _MAYBE else maybe[2] if new == _MAYBE else maybe[0]
        bit = _open_bit(term, settled)
        if not bit:  # settled unknown, at stake or not as the best true rank turns out: settle that
            terms, found = sides.terms[side], states[side]
            raising = max((i for i, t in enumerate(terms) if t.rank >= term.rank and found[i] & _T and found[i] != _T),
                          key=lambda i: terms[i].rank)
            bit = _open_bit(terms[raising], settled)
        return bit
    return _effects_bit(sides, states, tuple(regimes), true, unknown, settled)


def _explore(old: Program, new: Program, units: list[_Unit], limit: int) -> tuple[list[_Leaf], set[int]]:
    """Every request of the space whose decision changes, by cubes (some units settled, the rest
    free) on which the delta of the two programs' verdicts is fixed, and the units settled anywhere. A unit is settled only when a term that could
    still change the delta reads it (see ``_alike`` and ``_delta_bit``)."""
    if old.layout.bits != new.layout.bits or old.layout.read_as != new.layout.read_as:
        raise ValueError("the two sides were compiled against different request vocabularies")
    sides = _Sides.of(old, new)
    owner: dict[int, int] = {}
    for index, unit in enumerate(units):
        mask = unit.mask
        while mask:
            low = mask & -mask
            owner.setdefault(low, index)
            if unit.kind == "item":
                owner[low] = index
            mask ^= low
    read_as = [(value_bit | as_bit, unless_bit) for value_bit, as_bit, unless_bit, _ in old.layout.read_as]
    children: dict[int | None, list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        children[unit.parent].append(index)

    def total(index: int) -> int:
        unit = units[index]
        return sum(s.weight * (_product(total(c) for c in children[index]) if s.enables else 1) for s in unit.states)

    totals = [0] * len(units)
    for index in reversed(range(len(units))):
        totals[index] = total(index)
    met_bits = [c.met_bit for side in sides.cases for c in side if not c.common and c.met_bit]
    met_bits += [c[3] for side in sides.outcome_cases for c in side if c[3]]
    met_mask = union_of(met_bits)
    visited = [0]
    memo: dict[tuple, list] = {}
    settled_units: set[int] = set()
    # Cubes below a node are chains of (unit, the states allowed, the rest of the chain), and deltas
    # are numbered: a chain by its number (0: no unit settled), so that entries hash in constant time.
    chains: list[tuple[int, frozenset[int], int]] = [(-1, frozenset(), 0)]
    chain_ids: dict[tuple[int, frozenset[int], int], int] = {}
    deltas: dict[Delta, int] = {}

    def link(index: int, choices: list[int], rest: int) -> int:
        entry = (index, frozenset(choices), rest)
        number = chain_ids.get(entry)
        if number is None:
            number = chain_ids[entry] = len(chains)
            chains.append(entry)
        return number

    def residue(states: tuple[list[int], list[int]], alive: tuple[list[int], list[int]], effective: int,
                unknown: int, bits: int, free: list[int]) -> tuple:
        """What the rest of the walk below a cube depends on: each term that is not false, with its
        possible states and the bits it still reads; the obligations' settling facts; the values
        read as others; and which of the units those bits belong to are free. Two cubes with the same
        residue have the same subtrees, up to the units no term still reads."""
        loose_all = met_mask & ~bits
        parts = []
        for side in (0, 1):
            terms, found = sides.terms[side], states[side]
            for index in alive[side]:
                loose = terms[index].reads & ~bits
                parts.append((side, index, found[index], loose))
                loose_all |= loose
        met = tuple(_met_state(bit, effective, unknown, bits) for bit in met_bits)
        reread = []
        for value_bit, unless_bit in read_as:
            if value_bit & loose_all:
                reread.append((bool(unless_bit & bits), bool(unless_bit & effective)))
                loose_all |= unless_bit & ~bits
        relevant = set()
        while loose_all:
            low = loose_all & -loose_all
            loose_all ^= low
            index: int | None = owner[low]
            while index is not None and index not in relevant:
                relevant.add(index)
                index = units[index].parent
        free_set = set(free)
        return (tuple(parts), met, tuple(reread), tuple(sorted((u, u in free_set) for u in relevant)))

    def walk(true: int, unknown: int, bits: int, free: list[int], alive: tuple[list[int], list[int]],
             parent: tuple | None = None) -> list:
        """The cubes below this one whose decision changes, as (the number of the chain of units
        settled below it, the number of its delta). ``parent`` is the cube above's (effective true
        bits, unknown bits, settled bits, term states): only the terms reading a bit that changed
        since are worked out again."""
        effective = _read_as(old, true)
        if parent is None:
            (old_states, old_alive), (new_states, new_alive) = (
                _term_states(sides.terms[0], alive[0], effective, unknown, bits, sides.openable),
                _term_states(sides.terms[1], alive[1], effective, unknown, bits, sides.openable))
        else:
            changed = (parent[0] ^ effective) | (parent[1] ^ unknown) | (parent[2] ^ bits)
            (old_states, old_alive), (new_states, new_alive) = (
                _term_states(sides.terms[0], alive[0], effective, unknown, bits, sides.openable, parent[3][0], changed),
                _term_states(sides.terms[1], alive[1], effective, unknown, bits, sides.openable, parent[3][1], changed))
        old_alive, new_alive = _relevant(sides, 0, old_states, old_alive), _relevant(sides, 1, new_states, new_alive)
        states, alive = (old_states, new_states), (old_alive, new_alive)
        here = (effective, unknown, bits, states)
        key = residue(states, alive, effective, unknown, bits, free)
        if key in memo:
            return memo[key]
        visited[0] += 1
        if visited[0] > limit:
            raise SpaceTooLarge(limit)
        same, need = _alike(sides, states, bits)
        if same:
            memo[key] = []
            return []
        if not need:
            need = _delta_bit(sides, states, effective, unknown, bits)
        if not need:
            rest_true, rest_unknown = true, unknown
            for index in free:
                rest_true, rest_unknown = _first(units, children, index, rest_true, rest_unknown)
            rest_true = _read_as(old, rest_true)
            delta = delta_of(_verdict_key(old, rest_true, rest_unknown), _verdict_key(new, rest_true, rest_unknown),
                             sides.changed)
            memo[key] = found = [(0, deltas.setdefault(delta, len(deltas)))] if delta.changed else []
            return found
        index = owner[need]
        while index not in free:  # its parent is not settled yet: settle that first
            index = units[index].parent
        for value_bit, unless_bit in read_as:  # a value read as another needs the fact that decides it
            if units[index].mask & value_bit and unless_bit & ~bits:
                index = owner[unless_bit]
                break
        unit = units[index]
        settled_units.add(index)
        rest = [i for i in free if i != index]
        combined: dict[tuple, list[int]] = {}
        for choice, state in enumerate(unit.states):
            settles = unit.mask if state.settles < 0 else state.settles
            t, u, b = true | state.true, unknown | state.unknown, bits | settles
            if state.enables:
                below = walk(t, u, b, rest + children[index], alive, here)
            else:
                for child in _descendants(children, index):
                    t |= units[child].disabled[0]
                    u |= units[child].disabled[1]
                    b |= units[child].mask
                below = walk(t, u, b, rest, alive, here)
            for entry in below:
                combined.setdefault(entry, []).append(choice)
        # Sibling cubes with the same delta and the same units settled below merge into one.
        found = [entry if len(choices) == len(unit.states) else (link(index, choices, entry[0]), entry[1])
                 for entry, choices in combined.items()]
        memo[key] = found
        return found

    leaves = []
    everything = ([i for i, t in enumerate(sides.terms[0]) if _satisfiable(old, t)],
                  [i for i, t in enumerate(sides.terms[1]) if _satisfiable(new, t)])
    found = walk(0, 0, 0, list(children[None]), everything)
    by_id = list(deltas)
    for chain, delta in found:
        cube: dict[int, frozenset[int]] = {}
        while chain:
            index, allowed, chain = chains[chain]
            cube[index] = allowed
        leaves.append(_Leaf(cube, by_id[delta]))
    return leaves, settled_units


def _satisfiable(program: Program, term: _Term) -> bool:
    """Whether some request makes a term true: it neither needs a value both given and not, nor two
    values of a single-valued fact (a term such as "it goes by e-mail and not by e-mail", which a
    rule written with nested "not"s can compile to). The engine never counts such a term at stake
    (``core.stakes``), so the walk must not either: it is false from the start."""
    if term.positive & term.negative:
        return False
    masks = program.layout.masks
    for fact in program.layout.choice_facts:
        needed = term.positive & masks[fact]
        if needed & (needed - 1):
            return False
    return True


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


def _side_words(delta: Delta, titles: Mapping[str, str], old: bool) -> str:
    """One side of a pattern in words: its outcome, then the reasons, obligations and notices only
    it has ("also under" when the outcome is the same on both sides)."""
    from policykit.publishing.site import OUTCOME_WORDS

    outcome = delta.old_outcome if old else delta.new_outcome
    reasons = delta.old_reasons if old else delta.new_reasons
    obligations = delta.old_obligations if old else delta.new_obligations
    notices = delta.old_notices if old else delta.new_notices
    text = OUTCOME_WORDS[outcome].lower()
    if reasons:
        names = ", ".join(f"“{titles.get(r, r)}”" for r in reasons)
        text += f", also under {names}" if not delta.outcome_changed else f" (under {names})"
    for _, words, met in obligations:
        state = {"met": "done", "unmet": "not done", "open": "provided it is done"}[met]
        text += f"; you must {words.rstrip('.')} ({state})"
    for _, words in notices:
        text += f"; you are told: {words.rstrip('.')}"
    return text


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
    """Cubes (unit -> states allowed) of one group merged wherever two differ in one unit only.
    The cubes are disjoint; two with the same other units are found by a hash of those (the sum of
    their items' hashes), then compared."""
    entries = [(cube, sum(hash(item) for item in cube.items())) for cube in cubes]
    changed = True
    while changed:
        changed = False
        for unit in sorted({u for cube, _ in entries for u in cube}):
            buckets: dict[int, list[int]] = {}
            kept: list[tuple[dict[int, frozenset[int]], int] | None] = []
            for cube, total in entries:
                if unit not in cube:
                    kept.append((cube, total))
                    continue
                rest = total - hash((unit, cube[unit]))
                for place in buckets.get(rest, ()):
                    other = kept[place][0]  # type: ignore[index]
                    if len(other) == len(cube) and all(other.get(u) == a for u, a in cube.items() if u != unit):
                        merged = {**other, unit: other[unit] | cube[unit]}
                        kept[place] = (merged, rest + hash((unit, merged[unit])))
                        changed = True
                        break
                else:
                    buckets.setdefault(rest, []).append(len(kept))
                    kept.append((cube, total))
            entries = [entry for entry in kept if entry is not None]
    return [cube for cube, _ in entries]


def _shapes(units: list[_Unit]) -> list[tuple[list[str], str, bool, bool]]:
    """Per unit: the path of objects a request holds it in, its key, whether its fact is an object
    (a site), and whether it is open (missing means unknown)."""
    vocabulary = load_vocabulary()
    found = []
    for unit in units:
        *parents, leaf = unit.fact.split(".")
        if unit.fact == "actor.role":
            parents, leaf = ["actor"], "role"
        fact = vocabulary[unit.fact]
        found.append((parents, leaf, fact.kind == "object", fact.open))
    return found


def _example(units: list[_Unit], cube: dict[int, frozenset[int]],
             shapes: list[tuple[list[str], str, bool, bool]] | None = None) -> dict:
    """One request of a cube: each settled unit's first allowed state, every other unit's first."""
    request: dict = {}
    enabled: dict[int | None, bool] = {None: True}
    shapes = shapes or _shapes(units)
    for index, unit in enumerate(units):
        if not enabled.get(unit.parent, False):
            enabled[index] = False
            continue
        state = unit.states[min(cube[index])] if index in cube else unit.states[0]
        enabled[index] = state.enables
        parents, leaf, is_object, is_open = shapes[index]
        target = request
        for part in parents:
            target = target.setdefault(part, {})
        value = state.value[0] if isinstance(state.value, tuple) and unit.kind == "choice" else state.value
        if unit.kind == "site" or (unit.kind == "enum" and isinstance(value, bool) and is_object):
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
        elif value is False and not is_open:
            continue
        else:
            target[leaf] = value
    return request


def _where(units: list[_Unit], cube: dict[int, frozenset[int]], known: dict | None = None
           ) -> tuple[tuple[str, tuple[str, str, tuple]], ...]:
    """A cube's conditions: per unit it settles, the states allowed in words and as data
    (``known`` keeps the ones already worked out)."""
    known = {} if known is None else known
    found = []
    for index in sorted(cube):
        unit, allowed = units[index], cube[index]
        if len(allowed) == len(unit.states):
            continue
        part = known.get((index, allowed))
        if part is None:
            states = [unit.states[i] for i in sorted(allowed)]
            values: list[object] = []
            for state in states:
                values += list(state.value) if isinstance(state.value, tuple) and unit.kind == "choice" else [state.value]
            words = " or ".join(state.label for state in states)
            part = known[(index, allowed)] = (words, (unit.fact, unit.item or "", tuple(values)))
        found.append(part)
    return tuple(found)


def impact(old: Side, new: Side, fixed: Mapping[str, Sequence[object]] | None = None,
           limit: int = MAX_STEPS) -> tuple[tuple[str, ...], int, list[Flip], list[str]]:
    """Every request of the request space whose outcome, reasons, obligations or notices differ
    between the sides, grouped into exact patterns: (the facts that had to be settled, the size of
    the space, the patterns, notes). ``fixed`` restricts facts to the states listed (JSON values,
    None for "not given", True/False for whether a site is involved)."""
    old_program, new_program = old.policy.program(old.day), new.policy.program(new.day)
    titles = {c.id: c.title for c in (*old.policy.document.clauses, *new.policy.document.clauses)}
    units = _units(old_program.layout, _mentioned(old_program, new_program), fixed or {})
    try:
        leaves, settled = _explore(old_program, new_program, units, limit)
    except SpaceTooLarge:
        raise ValueError(f"the change reaches more than {limit:,} distinct cases of requests; split it into "
                         "smaller pull requests, or compare it on explicit dates") from None
    weigh, shapes, known = _Weigher(units), _shapes(units), {}
    size = weigh({})
    groups: dict[Delta, list[dict[int, frozenset[int]]]] = defaultdict(list)
    for leaf in leaves:
        groups[leaf.delta].append(leaf.cube)
    flips: list[Flip] = []
    for delta, cubes in groups.items():
        words_before, words_after = _side_words(delta, titles, old=True), _side_words(delta, titles, old=False)
        for cube in (_merge(cubes) if len(cubes) <= MERGE_LIMIT else cubes):
            where = _where(units, cube, known)
            flips.append(Flip(tuple(w for w, _ in where), tuple(c for _, c in where), words_before, words_after,
                              weigh(cube), _example(units, cube, shapes), delta.outcome_changed, delta))
    flips.sort(key=lambda f: (not f.outcome_changed, -f.count, f.old, f.new, f.pattern))
    notes = []
    facts = tuple(dict.fromkeys(units[i].fact for i in sorted(settled)))
    return facts, size, flips, notes


class _Weigher:
    """How many requests of the space a cube holds: the units' whole counts are computed once, and
    a cube recounts only the units on the way to the ones it settles."""

    def __init__(self, units: list[_Unit]) -> None:
        self.units = units
        self.children: dict[int | None, list[int]] = defaultdict(list)
        for index, unit in enumerate(units):
            self.children[unit.parent].append(index)
        self.whole: list[int] = [0] * len(units)
        for index in reversed(range(len(units))):
            self.whole[index] = self._count(index, {}, frozenset())

    def _count(self, index: int, cube: Mapping[int, frozenset[int]], touched: frozenset[int]) -> int:
        unit = self.units[index]
        allowed = cube.get(index, range(len(unit.states)))
        below = None
        total = 0
        for s in allowed:
            state = unit.states[s]
            if state.enables:
                if below is None:
                    below = _product(self._count(c, cube, touched) if c in touched else self.whole[c]
                                     for c in self.children[index])
                total += state.weight * below
            else:
                total += state.weight
        return total

    def __call__(self, cube: Mapping[int, frozenset[int]]) -> int:
        touched = set()
        for index in cube:
            while index is not None and index not in touched:
                touched.add(index)
                index = self.units[index].parent
        frozen = frozenset(touched)
        return _product(self._count(i, cube, frozen) if i in frozen else self.whole[i] for i in self.children[None])


def diff(old: Side, new: Side, fixed: Mapping[str, Sequence[object]] | None = None) -> PolicyDiff:
    """The whole report for one date."""
    notes_c, errors = check_corrections(old.policy.document, new.policy.document)
    changes = clause_changes(old, new, notes_c)
    facts, size, flips, notes = impact(old, new, fixed) if changes else ((), 0, [], [])
    return PolicyDiff(old.label, new.label, tuple(changes), facts, size, tuple(flips), tuple(notes), tuple(errors))


#: Patterns listed in a pull request's comment; the rest are counted (all are in --format json).
SHOWN = 40


def _table(rows: Sequence[Flip], shown: int = SHOWN) -> list[str]:
    lines = ["| when | before | after | requests |", "|---|---|---|---|"]
    for flip in rows[:shown]:
        when = "; ".join(flip.pattern) or "(any request)"
        lines.append(f"| {_cell(when)} | {_cell(flip.old)} | {_cell(flip.new)} | {flip.count:,} |")
    if len(rows) > shown:
        lines.append(f"| … and {len(rows) - shown:,} more patterns ({sum(f.count for f in rows[shown:]):,} "
                     "requests; see `policykit diff --format json`) | | | |")
    return lines + [""]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(report: PolicyDiff, shown: int = SHOWN) -> str:
    """The report for a pull request (``shown``: the patterns listed of each table; the rest are counted)."""
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
        lines += ["#### Outcome changes", ""] + _table(outcome, shown)
    if other:
        lines += ["#### Reason, obligation or notice changes only", ""] + _table(other, shown)
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

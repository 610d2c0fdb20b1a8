"""Prepare once, decide many: the clauses in force on a date compiled into a ``Program``.

Every (fact, value) pair of the request vocabulary gets one bit. A request becomes two
integers: ``true`` (the bits of the values it states) and ``unknown`` (every bit of each
single-valued fact it leaves out, and of a missing audience). A condition becomes a
disjunction of terms, each term a pair of masks (all of ``P`` true, none of ``N`` true).
Kleene's three-valued logic survives the conversion (its De Morgan and distributive laws hold,
and no term is simplified away), so a term is
false when a bit of ``P`` is known false or a bit of ``N`` is true, true when every bit of ``P``
is true and no bit of ``N`` is true or unknown, and unknown otherwise. ``tests/test_compiler``
checks this against the reference interpreter in ``conditions``.

Which facts are open (missing = unknown) is read from the request schema's ``x-when-missing``.
An obligation of a mandatory clause (``x-unmet-obligation`` in the clause schema) also compiles
to an *unmet case*: its condition and "the fact that settles it is known to be false". Those
terms carry a third mask ``K`` (bits that must be known: unknown makes the term false, not
unknown), so an obligation whose state is unknown never escalates the outcome, never makes a
decision undetermined and never adds to ``missing_facts``.

A condition that a reading added to a case (``reading:`` on an item of the case's ``all``) also
compiles to a *reading probe*: the case's condition without that item. When a probe holds and
the answer is allowed and weaker than the case's outcome, that reading kept the case from
deciding, and the explanation names it (when the clause's reading still awaits the board).
"""

from __future__ import annotations

import json
from policykit.core.values import dataclass, field
from datetime import date

from policykit.core.conditions import All, Any, Condition, Not, Test, facts_read, reading_tags, to_data
from policykit.core.decision import Notice, Reason
from policykit.core.kinds import unmet_obligation_outcome
from policykit.core.messages import Messages, load_messages
from policykit.core.model import OUTCOMES, Clause, ClauseVersion, Interpretation, PolicyDocument
from policykit.core.vocabulary import Vocabulary

RANK = {name: rank for rank, name in enumerate(OUTCOMES)}


@dataclass(frozen=True)
class AtomLayout:
    """The bit of every (fact, value) pair, and each fact's mask."""

    bits: dict[str, dict[object, int]]  # fact path -> value -> bit (booleans and objects: True -> bit)
    masks: dict[str, int]  # fact path -> all of its bits
    order: dict[str, int]  # fact path -> position in the vocabulary
    initially_unknown: int  # bits unknown when a request leaves every optional fact out
    choice_facts: frozenset[str]  # single-valued facts: exactly one bit true when known
    read_as: tuple[tuple[int, int, int, str], ...] = ()  # x-read-as: (value bit, read as bit, unless bit, words)

    @property
    def read_as_explanations(self) -> tuple[str, ...]:
        return tuple(words for *_, words in self.read_as)

    @classmethod
    def from_vocabulary(cls, vocabulary: Vocabulary) -> "AtomLayout":
        bits: dict[str, dict[object, int]] = {}
        masks: dict[str, int] = {}
        unknown = 0
        next_bit = 0
        for fact in vocabulary.facts:
            if fact.kind == "date":
                continue
            names: tuple[object, ...] = fact.value_names if fact.kind in ("choice", "list") else (True,)
            bits[fact.path] = {name: 1 << (next_bit + i) for i, name in enumerate(names)}
            masks[fact.path] = ((1 << len(names)) - 1) << next_bit
            next_bit += len(names)
            if fact.open:  # x-when-missing: unknown in the request schema
                unknown |= masks[fact.path]
        order = {fact.path: i for i, fact in enumerate(vocabulary.facts)}
        choices = frozenset(f.path for f in vocabulary.facts if f.kind == "choice")
        read_as = tuple((bits[path][value.name], bits[path][value.read_as.value],
                         bits[value.read_as.unless_fact][value.read_as.unless_value], value.read_as.explanation)
                        for path, value in vocabulary.read_as_rules())
        return cls(bits, masks, order, unknown, choices, read_as)

    def test_mask(self, test: Test) -> int:
        """The bits a test reads: it holds when any of them is true."""
        table = self.bits[test.fact]
        if test.op in ("is", "given"):
            value = test.value
            if value is False:  # "is false" is handled by negation in to_terms
                return table[True]
            return table[value]
        if test.op == "has":
            return table[test.value]
        return union_of(table[v] for v in test.value)  # in, has_any


def union_of(masks) -> int:
    """The OR of ``masks``."""
    result = 0
    for mask in masks:
        result |= mask
    return result


def bits_of(mask: int) -> list[int]:
    """Each set bit of ``mask`` as its own mask, lowest first."""
    bits = []
    while mask:
        low = mask & -mask
        bits.append(low)
        mask ^= low
    return bits


Terms = tuple[tuple[int, int], ...]


def to_terms(condition: Condition, layout: AtomLayout, negated: bool = False) -> Terms:
    """The condition as a disjunction of (P, N) terms, pushing negation down (De Morgan)."""
    if isinstance(condition, Not):
        return to_terms(condition.item, layout, not negated)
    if isinstance(condition, (All, Any)):
        conjunctive = isinstance(condition, All) != negated
        parts = [to_terms(item, layout, negated) for item in condition.items]
        if not conjunctive:
            return tuple(term for part in parts for term in part)
        product: list[tuple[int, int]] = [(0, 0)]
        for part in parts:
            product = [(p1 | p2, n1 | n2) for p1, n1 in product for p2, n2 in part]
        return tuple(product)
    mask = layout.test_mask(condition)
    if condition.op in ("is", "given") and condition.value is False:
        negated = not negated
    if negated:
        return ((0, mask),)
    return tuple((bit, 0) for bit in bits_of(mask))


_TABLE_LIMIT = 16777216  # most valid states one slice may have (its table is filled lazily)
_TABLE_BYTES = 4 * 1024 * 1024  # about the most memory one slice table keeps (SliceTable.limit)
_CHUNK = 16  # a long list fact is split into chunks of this many values


@dataclass(frozen=True)
class CompiledCase:
    """One rule case: where it comes from and what it yields."""

    clause: int  # index into Program.reasons
    order: int  # position of the case in printed order
    rank: int  # outcome rank, or -1 when the case yields no outcome
    obligation_text: str | None
    met_bit: int  # 0 when no fact settles the obligation
    notice: Notice | None
    reads: tuple[tuple[int, str, int], ...]  # (vocabulary order, fact, mask) of the facts read
    on_outcome: int  # for outcome-triggered cases: bitmask of outcome ranks; else 0
    unmet: bool = False  # the case of an obligation known to be unmet (it yields the outcome only)
    interpretation: Interpretation | None = None  # the clause's reading, carried by its obligations


@dataclass(frozen=True)
class ReadingProbe:
    """A case as it would read without one condition a reading added (``reading:`` in the clause
    YAML): when it holds, the case would have decided but for that condition. Only clauses whose
    reading awaits the board's confirmation get probes (their interpretation's status is the
    reading's status)."""

    reading: str  # the reading's id (questions/readings.yaml)
    case: int  # index into Program.cases
    rank: int  # the case's outcome rank
    terms: tuple[tuple[int, int], ...]  # (P, N): the case's condition without the tagged item
    needs: int = 0  # the P bits every term has: a request lacking one of them cannot make it hold
    excludes: int = 0  # the N bits every term has: one of them true or unknown, it cannot hold


@dataclass(frozen=True)
class Program:
    """The clauses in force on a range of dates, compiled.

    Evaluation is by slices: the request's bits are cut into a few slices (groups of facts),
    and each slice's state is looked up in a lazily filled table giving two term masks packed in
    one integer, the terms that slice makes false and the terms it keeps from being true. OR-ing
    the slices gives every term's three-valued state at once; see ``engine.evaluate``, which also
    keeps each determined verdict by its pattern in ``verdicts``."""

    policy_id: str
    revision: str
    digest: str
    valid_from: date
    cases: tuple[CompiledCase, ...]  # cases with a condition over facts, in printed order
    outcome_cases: tuple[CompiledCase, ...]  # cases triggered by the decision's outcome
    reasons: tuple[Reason, ...]  # one per clause in force, in printed order
    slices: tuple[tuple[int, "SliceTable"], ...]  # (state mask, state -> packed term masks)
    unknown_shift: int  # a request's state is true | unknown << unknown_shift; a slice's, state & its mask
    term_case: tuple[int, ...]  # term index -> index into cases
    term_reads: tuple[tuple[tuple[int, str, int], ...], ...]  # term index -> (order, fact, mask) it reads
    term_pairs: tuple[tuple[int, int], ...]  # term index -> its (P, N) masks
    term_known: tuple[int, ...]  # term index -> its K mask (bits that must be known; unknown falsifies)
    all_terms: int
    term_count: int  # how many terms (the bits of all_terms)
    rank_terms: tuple[int, ...]  # per outcome rank: the terms of cases yielding it
    above: tuple[int, ...]  # per outcome rank: the terms of cases yielding a stronger outcome
    effect_terms: int  # terms of cases that yield an obligation or a notice
    layout: AtomLayout
    met_mask: int  # every bit that settles an obligation, true and unknown (as in true | unknown << shift)
    shown: tuple[int, ...]  # per outcome rank: the terms a determined verdict of that rank reads
    messages: Messages  # the explanation's sentences and the outcome words (schema/messages.yaml)
    probes: tuple[ReadingProbe, ...] = ()  # the cases without each condition a reading added
    # A determined verdict by its pattern (engine.evaluate), filled as patterns are met.
    verdicts: dict = field(default_factory=dict, compare=False, repr=False)


SECTION_PAGE = "sections/{section}.html"
"""A section's page on the staff site, relative to the site's root: a file (mkdocs.yml sets
``use_directory_urls: false``), so that a link opens the page itself, never a redirect, and works
from disk as on any static host."""


def clause_url(clause: Clause, site_url: str | None = None) -> str:
    """Where a clause lives on the staff site: its section's page and the clause's anchor. With
    ``site_url`` (the site's base URL, ending in "/"), absolute; without, relative to the site's root."""
    return f"{site_url or ''}{SECTION_PAGE.format(section=clause.section)}#{clause.id}"


def site_base_url(text: str | None) -> str | None:
    """A configured site base URL as decisions use it: an absolute http(s) URL ending in "/";
    None when none is configured. ValueError names what is wrong with any other text."""
    if text is None or not text.strip():
        return None
    from urllib.parse import urlsplit

    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"site URL '{url}' must be an absolute http:// or https:// address with no query "
                         "or fragment, e.g. https://policy.example.org/")
    return url if url.endswith("/") else url + "/"


def digest_of(document: PolicyDocument, in_force: list[tuple[Clause, ClauseVersion]]) -> str:
    """sha256 over the policy metadata and the clause versions in force, canonically encoded. A
    section lists only its clauses in force, so a clause adopted for a later date leaves the digest
    of the periods before it as it was."""
    listed = {clause.id for clause, _ in in_force}
    payload = {
        "policy": {"id": document.id, "title": document.title, "adopted": document.adopted.isoformat(),
                   "sections": [[s.id, [c for c in s.clause_ids if c in listed]] for s in document.sections]},
        "clauses": [
            {"id": clause.id, "title": clause.title, "section": clause.section, "kind": clause.kind_of(version),
             "interpretation": (lambda reading: reading.to_dict() if reading else None)(
                 clause.interpretation_of(version)),
             "corrections": [[c.date.isoformat(), c.kind, c.reason] for c in version.corrections],
             "effective": version.effective.isoformat(), "text": version.text,
             "rule": [{"when": to_data(case.when) if case.when else None, "on_outcome": list(case.on_outcome),
                       "outcome": case.outcome,
                       "obligation": [case.obligation.text, case.obligation.met_by] if case.obligation else None,
                       "notice": case.notice} for case in version.rule]}
            for clause, version in in_force
        ],
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    import hashlib  # deferred: loading OpenSSL, 11 M instructions, which a snapshot's reader never needs

    return "sha256:" + hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def policy_digest(document: PolicyDocument) -> str:
    """sha256 over the whole policy: its time zone, its revisions and the digest ``digest_of`` gives
    over every version of every clause (the metadata included). It names what an export carrying
    every period holds, as a program's digest names the clause versions in force in one period."""
    every = [(clause, version) for clause in document.clauses for version in clause.versions]
    payload = {"time_zone": document.time_zone, "revisions": [day.isoformat() for day in document.revisions],
               "versions": digest_of(document, every)}
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    import hashlib  # deferred: loading OpenSSL, 11 M instructions, which a snapshot's reader never needs

    return "sha256:" + hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _state_count(layout: AtomLayout, fact: str, mask: int) -> int:
    """How many (true, unknown) states of the bits ``mask`` of one fact a valid request can give:
    for a single-valued fact each value or unknown; for a list each subset, and unknown for a
    list that may be left out open (audience)."""
    bits = bin(mask).count("1")
    whole = layout.masks[fact]
    if fact in layout.choice_facts:
        return bits + 1
    return (1 << bits) + (1 if layout.initially_unknown & whole and mask == whole else 0)


def _slices(layout: AtomLayout, facts: list[str]) -> list[list[tuple[str, int]]]:
    """Group the facts read (in bit order) into slices whose state tables stay small."""
    pieces: list[tuple[str, int, int]] = []  # (fact, mask, number of states)
    for fact in facts:
        mask = layout.masks[fact]
        bits = bits_of(mask)
        if fact not in layout.choice_facts and len(bits) > _CHUNK and not layout.initially_unknown & mask:
            for i in range(0, len(bits), _CHUNK):
                chunk = union_of(bits[i:i + _CHUNK])
                pieces.append((fact, chunk, _state_count(layout, fact, chunk)))
        else:
            pieces.append((fact, mask, _state_count(layout, fact, mask)))
    groups: list[list[tuple[str, int]]] = []
    size = _TABLE_LIMIT + 1
    for fact, mask, count in pieces:
        if size * count > _TABLE_LIMIT:
            groups.append([])
            size = 1
        groups[-1].append((fact, mask))
        size *= count
    return groups


class SliceTable(dict):
    """The term masks of each state of one slice, filled in as states are met.

    An entry packs two masks into one integer: the terms the state makes false (the low
    ``terms`` bits) and the terms it keeps from being true (the bits above), so that
    ``term_states`` combines slices with one OR each. A state's entry is computed the first time
    a request shows it and kept while the table holds fewer than ``limit`` entries (a bound on its
    memory, set from the number of terms); past that, further states are computed each time. A
    policy is compiled without paying for states no request asks about (most of them)."""

    def __init__(self, mask: int, need_p: dict[int, int], need_n: dict[int, int], need_k: dict[int, int],
                 shift: int, terms: int) -> None:
        super().__init__()
        self.mask = mask
        self.shift = shift
        self.terms = terms
        self.limit = max(1024, _TABLE_BYTES // (terms // 4 + 200))
        bits = bits_of(mask)
        # Per bit of the slice: what it does when true, false or unknown.
        self.effects = tuple((bit, need_n.get(bit, 0), need_p.get(bit, 0),
                              need_p.get(bit, 0) | need_n.get(bit, 0), need_k.get(bit, 0)) for bit in bits)

    def __missing__(self, key: int) -> int:
        true = key & ((1 << self.shift) - 1)
        unknown = key >> self.shift
        false = not_true = 0
        for bit, if_true, if_false, unknown_blocks, unknown_falsifies in self.effects:
            if true & bit:  # a true atom falsifies the terms that need it false
                false |= if_true
            elif unknown & bit:  # an unknown atom keeps every term reading it from being true
                not_true |= unknown_blocks
                false |= unknown_falsifies  # and falsifies the terms that need it known
            else:  # a false atom falsifies the terms that need it true
                false |= if_false
        entry = false | (false | not_true) << self.terms
        if len(self) < self.limit:
            self[key] = entry
        return entry

    def __reduce__(self):  # pickled as its recipe and the entries met so far
        return (_rebuild_table, (self.mask, self.shift, self.terms, self.limit, self.effects, dict(self)))


def _rebuild_table(mask: int, shift: int, terms: int, limit: int, effects: tuple,
                   entries: dict[int, int]) -> SliceTable:
    table = SliceTable.__new__(SliceTable)
    dict.__init__(table, entries)
    table.mask, table.shift, table.terms, table.limit, table.effects = mask, shift, terms, limit, effects
    return table


def _slice_table(layout: AtomLayout, group: list[tuple[str, int]], need_p: dict[int, int],
                 need_n: dict[int, int], need_k: dict[int, int],
                 shift: int, terms: int) -> tuple[int, SliceTable]:
    """One slice: the mask that cuts its state out of ``true | unknown << shift``, and its
    (lazily filled) state table."""
    mask = union_of(m for _, m in group)
    return mask | mask << shift, SliceTable(mask, need_p, need_n, need_k, shift, terms)


def compile_program(document: PolicyDocument, day: date, layout: AtomLayout, *,
                    terms_cache: dict[Condition, Terms] | None = None, digest: bool = True,
                    messages: Messages | None = None, site_url: str | None = None) -> Program:
    """Compile the clause versions in force on ``day``. ``terms_cache`` remembers each condition's
    terms across compilations of variants of one policy (mutation testing); ``digest=False``
    leaves the program's digest empty, for a variant that never stamps a decision anyone reads.
    ``messages``: the words of the explanations (default: the project's ``schema/messages.yaml``).
    ``site_url`` (see ``site_base_url``) makes the reasons' URLs absolute."""
    in_force = [(clause, version) for clause in document.clauses
                if (version := clause.version_on(day)) is not None]
    revision = document.revision_on(day)
    if revision is None:
        raise ValueError(f"no revision of the policy is in force on {day.isoformat()}")
    reasons: list[Reason] = []
    cases: list[CompiledCase] = []
    outcome_cases: list[CompiledCase] = []
    term_case: list[int] = []
    term_reads: list[tuple[tuple[int, str, int], ...]] = []
    term_pairs: list[tuple[int, int]] = []
    term_known: list[int] = []
    need_p: dict[int, int] = {}
    need_n: dict[int, int] = {}
    need_k: dict[int, int] = {}
    rank_terms = [0] * len(OUTCOMES)
    effect_terms = 0
    order = 0
    probes: list[ReadingProbe] = []

    def terms_of(condition: Condition) -> Terms:
        terms = terms_cache.get(condition) if terms_cache is not None else None
        if terms is None:
            terms = to_terms(condition, layout)
            if terms_cache is not None:
                terms_cache[condition] = terms
        return terms

    def add_terms(terms: Terms, known: int, reads: tuple, rank: int, has_effect: bool) -> None:
        nonlocal effect_terms
        for positive, negative in terms:
            term = 1 << len(term_case)
            term_case.append(len(cases))
            term_reads.append(tuple(read for read in reads if read[2] & (positive | negative) & ~known))
            term_pairs.append((positive, negative))
            term_known.append(known)
            for bit in bits_of(positive):
                need_p[bit] = need_p.get(bit, 0) | term
            for bit in bits_of(negative):
                need_n[bit] = need_n.get(bit, 0) | term
            for bit in bits_of(known):
                need_k[bit] = need_k.get(bit, 0) | term
            if rank >= 0:
                rank_terms[rank] |= term
            if has_effect:
                effect_terms |= term

    for index, (clause, version) in enumerate(in_force):
        reading = clause.interpretation_of(version)  # kind and reading are the version's (or the clause's)
        kind = clause.kind_of(version)
        reasons.append(Reason(clause.id, clause.title, kind, version.text, clause_url(clause, site_url), reading))
        unmet_outcome = unmet_obligation_outcome(kind)
        for case in version.rule:
            met_bit = 0
            if case.obligation and case.obligation.met_by:
                met_bit = layout.bits[case.obligation.met_by][True]
            notice = Notice(clause.id, case.notice, reading) if case.notice else None
            rank = RANK[case.outcome] if case.outcome else -1
            text = case.obligation.text if case.obligation else None
            order += 1
            if case.when is None:
                trigger = union_of(1 << RANK[o] for o in case.on_outcome)
                outcome_cases.append(CompiledCase(index, order, rank, text, met_bit, notice, (), trigger,
                                                  interpretation=reading))
                continue
            reads = tuple(sorted((layout.order[f], f, layout.masks[f]) for f in facts_read(case.when)))
            terms = terms_of(case.when)
            if rank > 0 and reading is not None and reading.awaiting_board:
                items = case.when.items if isinstance(case.when, All) else ()
                for i, tag in reading_tags(case.when):
                    rest = items[:i] + items[i + 1:]
                    shadow = terms_of(All(rest)) if rest else ((0, 0),)
                    needs, excludes = -1, -1
                    for positive, negative in shadow:
                        needs &= positive
                        excludes &= negative
                    probes.append(ReadingProbe(tag, len(cases), rank, shadow, needs, excludes))
            add_terms(terms, 0, reads, rank, text is not None or notice is not None)
            cases.append(CompiledCase(index, order, rank, text, met_bit, notice, reads, 0, interpretation=reading))
            if met_bit and unmet_outcome is not None:
                # The obligation known to be unmet: the same condition, and the settling fact known false.
                known = met_bit & layout.initially_unknown  # an open settling fact must be known
                add_terms(tuple((p, n | met_bit) for p, n in terms), known, reads, RANK[unmet_outcome], False)
                cases.append(CompiledCase(index, order, RANK[unmet_outcome], None, 0, None, reads, 0, unmet=True,
                                          interpretation=reading))
    used = union_of(p | n for p, n in term_pairs)
    read_facts = sorted((f for f, m in layout.masks.items() if m & used), key=lambda f: layout.masks[f])
    shift = max(layout.masks.values()).bit_length()
    slices = tuple(_slice_table(layout, group, need_p, need_n, need_k, shift, len(term_case))
                   for group in _slices(layout, read_facts))
    above = tuple(union_of(rank_terms[r + 1:]) for r in range(len(OUTCOMES)))
    met_bits = union_of(case.met_bit for case in (*cases, *outcome_cases))
    met_mask = met_bits | met_bits << shift
    shown = tuple(rank_terms[r] | effect_terms for r in range(len(OUTCOMES)))
    return Program(document.id, revision.isoformat(), digest_of(document, in_force) if digest else "", day,
                   tuple(cases),
                   tuple(outcome_cases), tuple(reasons), slices, shift, tuple(term_case), tuple(term_reads),
                   tuple(term_pairs), tuple(term_known), (1 << len(term_case)) - 1, len(term_case), tuple(rank_terms), above,
                   effect_terms, layout, met_mask, shown, messages if messages is not None else load_messages(),
                   tuple(probes))

"""The seam onto the compiled engine, and the rules by which a term stops mattering.

The impact is computed on compiled programs (``core.compiler.Program``) through the fields and
functions listed here and nowhere else: the terms' (P, N) and K masks, the case each term
belongs to, each case's rank, obligation, notice and clause, the outcome-triggered cases, the
layout's bits and x-read-as rules, and ``engine.evaluate`` (in ``delta.verdict_key``) for the
verdict of one encoded request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from policykit.core.compiler import Program


# A term's possible states in a cube of requests, as a set of these flags.
_F, _T, _U = 1, 2, 4

_Regime = tuple[int, int, bool, bool]
# A side's outcome over a cube: (m, h, undetermined, pure), see ``_regime``.

TermStates = list[int]
"""Each term's possible states over a cube, by index into the side's terms."""


@dataclass(frozen=True)
class Term:
    """One term (a conjunction of bit tests) of a side's compiled rule cases, as the search reads it."""

    positive: int
    negative: int
    known: int
    reads: int  # positive | negative | known
    rank: int  # outcome rank, -1 when the case yields no outcome
    case: int  # index into the side's cases
    common: bool  # the same case, with the same terms, is in the other program
    clause: str = ""


class Yields(NamedTuple):
    """What a case adds, independent of its terms."""

    clause: str
    rank: int
    obligation: str | None
    met_bit: int
    notice: str | None
    unmet: object


class _Signature(NamedTuple):
    """What a case is, independent of where it sits in its program."""

    clause: str
    terms: tuple[tuple[int, int, int], ...]
    rank: int
    obligation: str | None
    met_bit: int
    notice: str | None
    unmet: object
    interpretation: object


class OutcomeCase(NamedTuple):
    """An outcome-triggered case of a side."""

    trigger: int  # the outcome ranks it follows, as a mask
    clause: str
    obligation: str | None
    met_bit: int
    notice: str | None


@dataclass(frozen=True)
class CaseInfo:
    """One case of a side, as the impact needs it."""

    terms: tuple[int, ...]
    rank: int
    clause: str
    common: bool
    yields: Yields
    obligation: str | None
    met_bit: int
    notice: str | None

    @property
    def effect(self) -> bool:
        """Whether the case yields an obligation or a notice."""
        return self.obligation is not None or self.notice is not None


def _case_signatures(program: Program) -> list[_Signature]:
    """Per case of ``program``: what it is, independent of where it sits in the program."""
    grouped: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for term, case in enumerate(program.term_case):
        grouped[case].append((*program.term_pairs[term], program.term_known[term]))
    signatures = []
    for index, compiled in enumerate(program.cases):
        notice = compiled.notice.text if compiled.notice else None
        signatures.append(_Signature(program.reasons[compiled.clause].id, tuple(grouped[index]), compiled.rank,
                                     compiled.obligation_text, compiled.met_bit, notice, compiled.unmet,
                                     compiled.interpretation))
    return signatures


def _side_parts(program: Program, other: Program) -> tuple[tuple[Term, ...], tuple[CaseInfo, ...]]:
    """The terms and cases of ``program``, each case marked common when the very same case (clause,
    terms and what it yields) is also in ``other`` (matched as multisets)."""
    mine, theirs = _case_signatures(program), _case_signatures(other)
    left: dict[_Signature, int] = defaultdict(int)
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
        terms.append(Term(positive, negative, known, positive | negative | known, program.cases[case].rank, case,
                           common[case], program.reasons[program.cases[case].clause].id))
    cases = []
    for index, compiled in enumerate(program.cases):
        signature = mine[index]
        yields = Yields(signature.clause, signature.rank, signature.obligation, signature.met_bit, signature.notice,
                        signature.unmet)
        cases.append(CaseInfo(tuple(by_case[index]), compiled.rank, signature.clause, common[index], yields,
                              compiled.obligation_text, compiled.met_bit, signature.notice))
    return tuple(terms), tuple(cases)


def effective_bits(program: Program, true: int) -> int:
    """The true bits of a request with every value read as another (``x-read-as``) replaced."""
    for value_bit, as_bit, unless_bit, _ in program.layout.read_as:
        if true & value_bit and not true & unless_bit:
            true = (true & ~value_bit) | as_bit
    return true


_NO, _YES, _MAYBE = 0, 1, 2


def _either(a: int, b: int) -> int:
    """Three-valued "or" of two contributions."""
    return _YES if _YES in (a, b) else _MAYBE if _MAYBE in (a, b) else _NO


@dataclass(frozen=True)
class Sides:
    """Both programs, prepared for the walk."""

    programs: tuple[Program, Program]
    terms: tuple[tuple[Term, ...], tuple[Term, ...]]
    cases: tuple[tuple[CaseInfo, ...], tuple[CaseInfo, ...]]
    outcome_cases: tuple[tuple[OutcomeCase, ...], tuple[OutcomeCase, ...]]
    openable: int  # bits that may be unknown (facts missing = unknown)
    changed: frozenset[str]  # the clauses with a case that is not on both sides

    @classmethod
    def of(cls, old: Program, new: Program) -> Sides:
        """Both programs' terms and cases, each case marked common or changed."""
        old_terms, old_cases = _side_parts(old, new)
        new_terms, new_cases = _side_parts(new, old)
        old_outcome, new_outcome = (tuple(OutcomeCase(c.on_outcome, p.reasons[c.clause].id, c.obligation_text,
                                                      c.met_bit, c.notice.text if c.notice else None)
                                          for c in p.outcome_cases) for p in (old, new))
        changed = frozenset(c.clause for c in (*old_cases, *new_cases) if not c.common)
        return cls((old, new), (old_terms, new_terms), (old_cases, new_cases), (old_outcome, new_outcome),
                   old.layout.initially_unknown | new.layout.initially_unknown, changed)


def term_states(terms: Sequence[Term], alive: Sequence[int], true: int, unknown: int, settled: int,
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
            may_be_unknown = stuck or (term.positive | term.negative) & loose & openable
            found[index] = _F | (0 if stuck else _T) | (_U if may_be_unknown else 0)
    return found, living


def relevant_terms(sides: Sides, side: int, found: list[int], living: list[int]) -> list[int]:
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


def _open_bit(term: Term, settled: int) -> int:
    """A bit of an open term to settle next: one it needs true if any, else any it reads."""
    loose = term.reads & ~settled
    wanted = loose & term.positive or loose
    return wanted & -wanted


def alike(sides: Sides, states: tuple[list[int], list[int]], settled: int) -> tuple[bool, int]:
    """Whether the cases that differ between the sides add the same to both for every request of
    the cube (then its decision is the same on both sides), else a bit an open one still reads
    (or 0). A changed case is inert when it is false, or when it yields only an outcome weaker than
    one already true on its side (it can neither decide, be at stake nor be a reason); the others
    must be settled, and match one to one in what they yield and whether true or unknown."""
    yields: list[dict[tuple[Yields, int], int]] = [defaultdict(int), defaultdict(int)]
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


def _regime(terms: Sequence[Term], found: list[int]) -> tuple[_Regime | None, int]:
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


def _contribution(term: Term, state: int, regime: _Regime) -> int:
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


def _shared(rank: int, old: _Regime, new: _Regime) -> bool:
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


def met_state(bit: int, true: int, unknown: int, settled: int) -> object:
    """How an obligation's settling bit stands over a cube: met, unmet, open, or not settled yet
    (then named by its bit, the same wherever the same bit settles it)."""
    if not bit:
        return "open"
    if bit & ~settled:
        return ("bit", bit)  # not settled yet: the same state wherever the same bit settles it
    return "open" if unknown & bit else "met" if true & bit else "unmet"


def _effects_bit(sides: Sides, states: tuple[list[int], list[int]], regimes: tuple[_Regime, ...], true: int,
                 unknown: int, settled: int) -> int:
    """0 when the obligations and notices one side has and the other has not are the same for
    every request of the cube, else a bit to settle. Common cases add the same to both sides and
    cancel; the changed ones must be settled, and so must the settling fact of an obligation that
    does not cancel; outcome-triggered cases follow each side's determined outcome."""
    count: dict[tuple[object, ...], int] = defaultdict(int)
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
                count[("o", case.clause, case.obligation, met_state(case.met_bit, true, unknown, settled))] += sign
            if case.notice is not None:
                count[("n", case.clause, case.notice)] += sign
        low, _, undetermined, _ = regimes[side]
        if not undetermined:
            for trigger, clause, obligation, met_bit, notice in sides.outcome_cases[side]:
                if trigger >> low & 1:
                    if obligation is not None:
                        count[("o", clause, obligation, met_state(met_bit, true, unknown, settled))] += sign
                    if notice is not None:
                        count[("n", clause, notice)] += sign
    for item, difference in count.items():
        if difference and item[0] == "o" and isinstance(item[3], tuple):
            bit: int = item[3][1]
            return bit
    return 0


def delta_bit(sides: Sides, states: tuple[list[int], list[int]], true: int, unknown: int, settled: int) -> int:
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
    clauses: dict[str, list[Any]] = {}
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


def satisfiable(program: Program, term: Term) -> bool:
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

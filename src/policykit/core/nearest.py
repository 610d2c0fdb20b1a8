"""The exhaustive search for the nearest change sets of an encoded request that reach a better
outcome (``NearestSearch``), within a budget counted in work (``SearchBudget``). What a change
is, which changes are searched and how the answers are ranked is ``policykit.core.alternatives``'s
to say; this module only searches.

The change sets tried are kept small without losing any minimal answer:

* items left out of a list that no term reads negatively are never searched one by one: for each
  change set of the other facts and each outcome better than the current one, the true terms of
  cases yielding more than that outcome must be switched off, and an item that is the only one
  such a term reads is forced; an unknown term's items are left out only where the outcome needs
  it (``NearestSearch._plan``);
* the other changes are tried as sets by increasing size, one change per group, never a superset
  of a set already permitted, and never a set that misses every change touching a deciding case."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from policykit.core.values import dataclass

from policykit.core.compiler import Program
from policykit.core.decision import Alternative, Change
from policykit.core.engine import outcome_rank, term_states
from policykit.core.model import OUTCOMES

MAX_ALTERNATIVES = 3
"""The most alternatives one decision offers."""


@dataclass(frozen=True)
class Atom:
    """One elementary change of the encoded request."""

    fact: str
    value: object  # the new value, or the item left out
    removal: bool
    group: str  # at most one atom of a group in a change set (a choice fact, or one list item)
    set_bits: int
    clear_bits: int
    order: tuple[int, int]  # (fact's position in the vocabulary, value's position)
    district: bool
    words: str  # the words for the change, "instead of …" included where a known value is replaced

    @property
    def bits(self) -> int:
        return self.set_bits | self.clear_bits


class SearchBudget:
    """How many change sets one search (or every search of one batch) may still try: the work
    an alternatives search may do, counted in work rather than time. ``withdrawn`` (for example
    "the client has gone") is asked at every step; once it says yes, nothing more is tried."""

    __slots__ = ("left", "withdrawn", "spent")

    def __init__(self, limit: int, withdrawn: Callable[[], bool] | None = None) -> None:
        self.left = limit
        self.spent = 0
        self.withdrawn = withdrawn

    def spend(self) -> bool:
        """Take one change set from the budget: False (and nothing taken) when none is left."""
        if self.left <= 0 or (self.withdrawn is not None and self.withdrawn()):
            return False
        self.left -= 1
        self.spent += 1
        return True


@dataclass(frozen=True)
class ProgramFacts:
    """What the search reads of a program, worked out once per program."""

    program: Program
    case_bits: dict[int, int]  # case index -> every bit its terms read
    negative: int  # bits some term reads negatively (or needs known): leaving them out may switch a term on
    term_rank: tuple[int, ...]  # term index -> the outcome rank of its case (-1: none)

    @classmethod
    def of(cls, program: Program) -> ProgramFacts:
        case_bits: dict[int, int] = {}
        negative = 0
        for term, case in enumerate(program.term_case):
            positive, negative_bits = program.term_pairs[term]
            case_bits[case] = case_bits.get(case, 0) | positive | negative_bits
            negative |= negative_bits | program.term_known[term]
        return cls(program, case_bits, negative, tuple(program.cases[case].rank for case in program.term_case))


SortKey = tuple[int, int, bool, tuple[tuple[int, int], ...]]
"""How an answer ranks: outcome, number of changes, not the District's route, the vocabulary's order."""


class NearestSearch:
    """One search, for one request whose outcome has rank ``current``: ``run`` gives the minimal
    change sets (of ``atoms``) that reach a better outcome, best first."""

    def __init__(self, facts: ProgramFacts, atoms: list[Atom], true: int, unknown: int, current: int,
                 budget: SearchBudget) -> None:
        self.program = program = facts.program
        self.facts = facts
        self.true, self.unknown, self.current, self.budget = true, unknown, current, budget
        true_terms, unknown_terms = term_states(program, true, unknown)
        deciding_cases = {program.term_case[t] for t in range(len(program.term_case)) if true_terms >> t & 1}
        deciding = [facts.case_bits[i] for i in sorted(deciding_cases) if program.cases[i].rank == current]
        relevant = self._relevant(true_terms | unknown_terms, atoms)
        atoms = [atom for atom in atoms if atom.bits & relevant]
        # Items left out of a list that no term reads negatively only ever switch terms off: the
        # fewest of them that reach an outcome are computed directly (see _removals), not searched.
        self.removable = [atom for atom in atoms if atom.removal and not atom.bits & facts.negative]
        self.others = others = [atom for atom in atoms if not (atom.removal and not atom.bits & facts.negative)]
        self.removable_bits = _or(atom.bits for atom in self.removable)
        group_names = sorted({atom.group for atom in others},
                             key=lambda g: min(a.order for a in others if a.group == g))
        self.groups = [[i for i, atom in enumerate(others) if atom.group == name] for name in group_names]
        group_bits = [_or(others[i].bits for i in members) for members in self.groups]
        # For each deciding case no removal can touch, the groups that can (a bitmask over groups).
        self.needs = [_or(1 << g for g, bits in enumerate(group_bits) if bits & case)
                      for case in deciding if not case & self.removable_bits]
        self.tried: dict[int, list[tuple[int, int]]] = {}  # change set (bitmask over others) -> [(removed, rank)]
        self.permitted_sets: list[int] = []  # change sets permitted without removals: no superset can be minimal
        self.plans: dict[tuple[int, int], list[tuple[int, int]]] = {}  # live terms -> what to leave out (see _plan)
        self.results: list[tuple[SortKey, tuple[Atom, ...]]] = []

    def _relevant(self, live: int, atoms: list[Atom]) -> int:
        """Bits a minimal change set can touch: those of live outcome cases, closed over the cases
        that changes to such bits could switch on."""
        program, case_bits = self.program, self.facts.case_bits
        live_cases = {program.term_case[t] for t in range(len(program.term_case)) if live >> t & 1}
        outcome_cases = [i for i in range(len(program.cases)) if program.cases[i].rank > 0]
        relevant = _or(case_bits[i] for i in outcome_cases if i in live_cases)
        while True:
            touched = _or(atom.bits for atom in atoms if atom.bits & relevant)
            grown = relevant | _or(case_bits[i] for i in outcome_cases if case_bits[i] & touched)
            if grown == relevant:
                return relevant
            relevant = grown

    def run(self) -> tuple[list[Alternative], bool]:
        """The nearest other ways, best first, and whether the search was complete (False when
        the budget ran out or was withdrawn before every candidate was tried)."""
        if any(need == 0 for need in self.needs):
            return [], True
        complete = True
        results = self.results
        for size in range(0, len(self.groups) + 1):
            for members, new_true, new_unknown, chosen in self._combos(0, 0, 0, size, self.true, self.unknown, ()):
                if any(found & members == found for found in self.permitted_sets):
                    continue
                if not self._try(members, new_true, new_unknown, chosen):
                    complete = False
                    break
            if not complete:
                break
            results.sort(key=lambda pair: pair[0])
            if len(results) >= MAX_ALTERNATIVES and results[MAX_ALTERNATIVES - 1][0][:2] <= (0, size):
                break  # three permitted ways with at most this many changes: nothing larger ranks higher
        results.sort(key=lambda pair: pair[0])
        return [Alternative(_merge(list(combo)), OUTCOMES[sort_key[0]], None, _sentence([a.words for a in combo]))
                for sort_key, combo in results], complete

    def _combos(self, first: int, picked: int, chosen_groups: int, left: int, t: int, u: int,
                chosen: tuple[Atom, ...]) -> Iterator[tuple[int, int, int, tuple[Atom, ...]]]:
        """Change sets of ``left`` more atoms, one per group, groups in order, each with the
        request it makes (true and unknown bits) and its atoms."""
        if left == 0:
            if all(chosen_groups & need for need in self.needs):
                yield picked, t, u, chosen
            return
        groups = self.groups
        for g in range(first, len(groups) - left + 1):
            for i in groups[g]:
                members = picked | 1 << i
                if any(found & members == found for found in self.permitted_sets):
                    continue  # already contains a permitted change set
                atom = self.others[i]
                yield from self._combos(g + 1, members, chosen_groups | 1 << g, left - 1,
                                        (t & ~atom.clear_bits) | atom.set_bits, u & ~atom.clear_bits & ~atom.set_bits,
                                        (*chosen, atom))

    def _try(self, members: int, true: int, unknown: int, chosen: tuple[Atom, ...]) -> bool:
        """Decide one change set (with the fewest removals for each better outcome) and keep what
        is minimal; False when the budget ran out (each change set tried counts, decided or not)."""
        if not self.budget.spend():
            return False
        outcomes = self.tried.setdefault(members, [])
        if not self._removals(true, unknown, outcomes):
            return False
        if any(removed == 0 and rank == 0 for removed, rank in outcomes):
            self.permitted_sets.append(members)
        subsets: tuple[int, ...] = ()
        for removed, rank in outcomes:
            if rank >= self.current:
                continue
            if not subsets:
                subsets = (members, *_proper_subsets(members), *((0,) if members else ()))
            if any(removed_sub & ~removed == 0 and 0 <= rank_sub <= rank
                   for sub in subsets for removed_sub, rank_sub in self.tried.get(sub, ())
                   if (sub, removed_sub) != (members, removed)):
                continue  # not better, or not minimal: fewer of its changes do as well
            combo = sorted((*chosen, *(a for a in self.removable if a.bits & removed)), key=lambda a: a.order)
            sort_key = (rank, len(combo), not any(a.district for a in combo), tuple(a.order for a in combo))
            self.results.append((sort_key, tuple(combo)))
        return True

    def _rank_of(self, true: int, unknown: int) -> int | None:
        """The outcome rank, or None when the budget is spent."""
        if not self.budget.spend():
            return None
        return outcome_rank(self.program, true, unknown)

    def _removals(self, true: int, unknown: int, outcomes: list[tuple[int, int]]) -> bool:
        """For one change set already applied: the fewest items to leave out (of the removable
        ones) for each outcome better than the current one, each with the outcome it reaches
        (appended to ``outcomes`` as (removed bits, rank), determined outcomes only). A term of a
        case yielding more than the target must be switched off, and only leaving out one of the
        items it reads does that; the items a single term depends on are therefore forced, and the
        rest are kept only when leaving them in would not reach the outcome. False when the budget
        ran out."""
        program = self.program
        true_terms, unknown_terms = term_states(program, true, unknown)
        on = true_terms & program.above[0]
        live = (on, unknown_terms & program.above[0])
        plan = self.plans.get(live)
        if plan is None:
            plan = self.plans[live] = _plan(program, self.facts, *live, self.removable_bits, self.current)
        seen: set[int] = set()
        for removed, forced in plan:
            if removed in seen:
                continue
            seen.add(removed)
            rank = self._rank_of(true & ~removed, unknown)
            if rank is None:
                return False
            for bit in _bits(removed & ~forced):  # an item not forced: left in when that does as well
                if rank < 0:
                    break
                again = self._rank_of(true & ~(removed & ~bit), unknown)
                if again is None:
                    return False
                if again == rank:
                    removed &= ~bit
            if rank >= 0:
                outcomes.append((removed, rank))
        return True


def _plan(program: Program, facts: ProgramFacts, on: int, unknown: int, removable: int,
          current: int) -> list[tuple[int, int]]:
    """For the live terms of outcome cases after a change set (``on``: the true ones,
    ``unknown``: the unknown ones): per outcome better than ``current`` (strongest first, while
    reachable at all), the items to leave out and those of them that are forced (the only item a
    true term reads). An unknown term may be false in every completion of the request (the exact
    analysis of ``outcome_rank`` says), so it neither blocks an outcome nor forces an item: its
    items are left out only where the outcome needs it. The same live terms give the same plan,
    so the search works it out once per pattern (``NearestSearch.plans``)."""
    removed_at = [0] * len(OUTCOMES)
    forced_at = [0] * len(OUTCOMES)
    blocked = -1  # the strongest rank of a true term that no removal switches off
    live = on | unknown
    while live:
        low = live & -live
        live ^= low
        term = low.bit_length() - 1
        rank = facts.term_rank[term]
        items = program.term_pairs[term][0] & removable
        if not low & on:
            removed_at[rank] |= items
        elif not items:
            blocked = max(blocked, rank)
        else:
            removed_at[rank] |= items
            if items & (items - 1) == 0:
                forced_at[rank] |= items
    plan = []
    removed = forced = 0
    for target in range(len(OUTCOMES) - 2, -1, -1):
        removed |= removed_at[target + 1]
        forced |= forced_at[target + 1]
        if target >= current:
            continue
        if blocked > target:
            break  # a term stays on whatever is left out: no outcome this low
        plan.append((removed, forced))
    return plan


def _or(masks: Iterable[int]) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


def _bits(mask: int) -> Iterator[int]:
    """The single bits of a mask, lowest first."""
    while mask:
        low = mask & -mask
        yield low
        mask ^= low


def _proper_subsets(members: int) -> Iterator[int]:
    """Every non-empty proper subset of a bitmask."""
    sub = (members - 1) & members
    while sub:
        yield sub
        sub = (sub - 1) & members


def _merge(atoms: list[Atom]) -> tuple[Change, ...]:
    """Atoms as changes: the items left out of one list become one change."""
    changes: list[Change] = []
    for atom in atoms:
        if atom.removal:
            if changes and changes[-1].fact == atom.fact and changes[-1].removed:
                changes[-1] = Change(atom.fact, None, changes[-1].removed + (str(atom.value),))
            else:
                changes.append(Change(atom.fact, None, (str(atom.value),)))
        else:
            changes.append(Change(atom.fact, atom.value))
    return tuple(changes)


def _sentence(parts: list[str]) -> str:
    text = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
    return text[0].upper() + text[1:] + "."



"""The impact search: every request of the space whose decision changes, by cubes (some units
settled, the rest free) on which the delta of the two programs' verdicts is fixed. A unit is
settled only when a term that could still change the delta reads it (see ``terms.alike`` and
``terms.delta_bit``); subtrees are memoized by their residue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from policykit.authoring.diff.delta import Delta, delta_of, verdict_key
from policykit.authoring.diff.space import Cube, Unit, descendants, first_request_bits
from policykit.authoring.diff.terms import (
    Sides, TermStates, alike, delta_bit, effective_bits, met_state, relevant_terms, satisfiable, term_states,
)
from policykit.core.compiler import Program, union_of

#: The most cubes of requests an impact analysis will look at.
MAX_STEPS = 400_000

@dataclass(frozen=True)
class Leaf:
    """A cube of requests whose decision changes, and how."""

    cube: Cube
    delta: Delta


class SpaceTooLarge(ValueError):
    """The impact analysis would have to look at more cases than it allows."""


class _Above(NamedTuple):
    """The cube a walk step came from: its effective true bits, unknown bits, settled bits and
    term states (only the terms reading a bit that changed since are worked out again)."""

    true: int
    unknown: int
    bits: int
    states: tuple[TermStates, TermStates]


# A cube found below a node: (the number of the chain of units settled below it, the number of its delta).
_Found = tuple[int, int]


class ImpactSearch:
    """One search over the request space of two programs. Cubes below a node are chains of (unit,
    the states allowed, the rest of the chain), and deltas are numbered: a chain by its number (0:
    no unit settled), so that memo entries hash in constant time."""

    def __init__(self, old: Program, new: Program, units: list[Unit], limit: int) -> None:
        if old.layout.bits != new.layout.bits or old.layout.read_as != new.layout.read_as:
            raise ValueError("the two sides were compiled against different request vocabularies")
        self.old, self.new, self.units, self.limit = old, new, units, limit
        self.sides = Sides.of(old, new)
        self.owner: dict[int, int] = {}
        for index, unit in enumerate(units):
            mask = unit.mask
            while mask:
                low = mask & -mask
                self.owner.setdefault(low, index)
                if unit.kind == "item":
                    self.owner[low] = index
                mask ^= low
        self.read_as = [(value_bit | as_bit, unless_bit) for value_bit, as_bit, unless_bit, _ in old.layout.read_as]
        self.children: dict[int | None, list[int]] = defaultdict(list)
        for index, unit in enumerate(units):
            self.children[unit.parent].append(index)
        self.met_bits = [c.met_bit for side in self.sides.cases for c in side if not c.common and c.met_bit]
        self.met_bits += [c.met_bit for side in self.sides.outcome_cases for c in side if c.met_bit]
        self.met_mask = union_of(self.met_bits)
        self.visited = 0
        self.memo: dict[tuple[object, ...], list[_Found]] = {}
        self.settled_units: set[int] = set()
        self.chains: list[tuple[int, frozenset[int], int]] = [(-1, frozenset(), 0)]
        self.chain_ids: dict[tuple[int, frozenset[int], int], int] = {}
        self.deltas: dict[Delta, int] = {}

    def run(self) -> tuple[list[Leaf], set[int]]:
        """The cubes whose decision changes, each with its delta, and the units settled anywhere."""
        everything = ([i for i, t in enumerate(self.sides.terms[0]) if satisfiable(self.old, t)],
                      [i for i, t in enumerate(self.sides.terms[1]) if satisfiable(self.new, t)])
        found = self.walk(0, 0, 0, list(self.children[None]), everything)
        by_id = list(self.deltas)
        leaves = []
        for chain, delta in found:
            cube: Cube = {}
            while chain:
                index, allowed, chain = self.chains[chain]
                cube[index] = allowed
            leaves.append(Leaf(cube, by_id[delta]))
        return leaves, self.settled_units

    def link(self, index: int, choices: list[int], rest: int) -> int:
        """The number of the chain (``index`` settled to ``choices``, then chain ``rest``), made once."""
        entry = (index, frozenset(choices), rest)
        number = self.chain_ids.get(entry)
        if number is None:
            number = self.chain_ids[entry] = len(self.chains)
            self.chains.append(entry)
        return number

    def residue(self, states: tuple[TermStates, TermStates], alive: tuple[list[int], list[int]], effective: int,
                unknown: int, bits: int, free: list[int]) -> tuple[object, ...]:
        """What the rest of the walk below a cube depends on: each term that is not false, with its
        possible states and the bits it still reads; the obligations' settling facts; the values
        read as others; and which of the units those bits belong to are free. Two cubes with the same
        residue have the same subtrees, up to the units no term still reads."""
        loose_all = self.met_mask & ~bits
        parts = []
        for side in (0, 1):
            terms, found = self.sides.terms[side], states[side]
            for index in alive[side]:
                loose = terms[index].reads & ~bits
                parts.append((side, index, found[index], loose))
                loose_all |= loose
        met = tuple(met_state(bit, effective, unknown, bits) for bit in self.met_bits)
        reread = []
        for value_bit, unless_bit in self.read_as:
            if value_bit & loose_all:
                reread.append((bool(unless_bit & bits), bool(unless_bit & effective)))
                loose_all |= unless_bit & ~bits
        relevant = set()
        while loose_all:
            low = loose_all & -loose_all
            loose_all ^= low
            unit: int | None = self.owner[low]
            while unit is not None and unit not in relevant:
                relevant.add(unit)
                unit = self.units[unit].parent
        free_set = set(free)
        return (tuple(parts), met, tuple(reread), tuple(sorted((u, u in free_set) for u in relevant)))

    def _states(self, effective: int, unknown: int, bits: int, alive: tuple[list[int], list[int]],
                above: _Above | None) -> tuple[tuple[TermStates, TermStates], tuple[list[int], list[int]]]:
        """Both sides' term states over a cube, and the terms still relevant."""
        sides = self.sides
        worked = []
        for side in (0, 1):
            if above is None:
                found, living = term_states(sides.terms[side], alive[side], effective, unknown, bits, sides.openable)
            else:
                changed = (above.true ^ effective) | (above.unknown ^ unknown) | (above.bits ^ bits)
                found, living = term_states(sides.terms[side], alive[side], effective, unknown, bits,
                                            sides.openable, above.states[side], changed)
            worked.append((found, relevant_terms(sides, side, found, living)))
        return (worked[0][0], worked[1][0]), (worked[0][1], worked[1][1])

    def _leaf(self, true: int, unknown: int, free: list[int]) -> list[_Found]:
        """The delta of a cube on which it is fixed, taken from one request of it."""
        rest_true, rest_unknown = true, unknown
        for index in free:
            rest_true, rest_unknown = first_request_bits(self.units, self.children, index, rest_true, rest_unknown)
        rest_true = effective_bits(self.old, rest_true)
        delta = delta_of(verdict_key(self.old, rest_true, rest_unknown),
                         verdict_key(self.new, rest_true, rest_unknown), self.sides.changed)
        return [(0, self.deltas.setdefault(delta, len(self.deltas)))] if delta.changed else []

    def _unit_for(self, need: int, bits: int, free: list[int]) -> int:
        """The free unit to settle for a bit: its own, or first the parent not settled yet, or
        first the fact that decides a value read as another."""
        index = self.owner[need]
        while index not in free:
            parent = self.units[index].parent
            assert parent is not None  # the top units are free until settled
            index = parent
        for value_bit, unless_bit in self.read_as:
            if self.units[index].mask & value_bit and unless_bit & ~bits:
                return self.owner[unless_bit]
        return index

    def walk(self, true: int, unknown: int, bits: int, free: list[int], alive: tuple[list[int], list[int]],
             above: _Above | None = None) -> list[_Found]:
        """The cubes below this one whose decision changes, as (the number of the chain of units
        settled below it, the number of its delta)."""
        effective = effective_bits(self.old, true)
        states, alive = self._states(effective, unknown, bits, alive, above)
        key = self.residue(states, alive, effective, unknown, bits, free)
        if key in self.memo:
            return self.memo[key]
        self.visited += 1
        if self.visited > self.limit:
            raise SpaceTooLarge(self.limit)
        same, need = alike(self.sides, states, bits)
        if same:
            self.memo[key] = []
            return []
        if not need:
            need = delta_bit(self.sides, states, effective, unknown, bits)
        if not need:
            found = self.memo[key] = self._leaf(true, unknown, free)
            return found
        index = self._unit_for(need, bits, free)
        unit = self.units[index]
        self.settled_units.add(index)
        rest = [i for i in free if i != index]
        here = _Above(effective, unknown, bits, states)
        combined: dict[_Found, list[int]] = {}
        for choice, state in enumerate(unit.states):
            settles = unit.mask if state.settles < 0 else state.settles
            t, u, b = true | state.true, unknown | state.unknown, bits | settles
            if state.enables:
                below = self.walk(t, u, b, rest + self.children[index], alive, here)
            else:
                for child in descendants(self.children, index):
                    t |= self.units[child].disabled[0]
                    u |= self.units[child].disabled[1]
                    b |= self.units[child].mask
                below = self.walk(t, u, b, rest, alive, here)
            for entry in below:
                combined.setdefault(entry, []).append(choice)
        # Sibling cubes with the same delta and the same units settled below merge into one.
        found = [entry if len(choices) == len(unit.states) else (self.link(index, choices, entry[0]), entry[1])
                 for entry, choices in combined.items()]
        self.memo[key] = found
        return found

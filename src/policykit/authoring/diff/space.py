"""The request space as units: every fact of the vocabulary (values no rule of either side names
collapsed into one weighted state), how many requests a cube of them holds, one request of a
cube, and a cube's conditions in words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import prod
from typing import Any, NamedTuple

from policykit.authoring.phrases import load_phrasebook
from policykit.core.compiler import AtomLayout, Program, union_of
from policykit.core.vocabulary import load_vocabulary

Cube = dict[int, frozenset[int]]
"""Unit -> the states allowed (units not in it: any state)."""


class Where(NamedTuple):
    """One condition of a pattern as data: a fact, the list value it is about ("" for the fact
    itself), and the states allowed (value names, True/False, None for not given, "given")."""

    fact: str
    item: str
    allowed: tuple[object, ...]


class Shape(NamedTuple):
    """Where a unit sits in a request: the objects holding it, its key, whether its fact is an
    object (a site), and whether it is open (missing means unknown)."""

    parents: list[str]
    leaf: str
    is_object: bool
    is_open: bool


WhereWords = dict[tuple[int, frozenset[int]], tuple[str, Where]]
"""The conditions already put in words, by unit and the states allowed."""


@dataclass(frozen=True)
class State:
    """One state of a unit: the bits it sets, its weight in requests, and its words."""

    true: int
    unknown: int
    weight: int  # how many requests (by meaning) the state stands for, its children aside
    enables: bool  # the unit's children exist in this state
    value: object  # for patterns: a value name, True/False, None (not given), or a tuple of names
    label: str  # the state in words
    settles: int = -1  # the bits this state settles (-1: the unit's mask)


@dataclass(frozen=True)
class Unit:
    """One thing a request states: a single-valued fact, a yes/no fact, whether a list is given,
    one value of a list, or whether a site is involved."""

    fact: str
    kind: str  # choice, boolean, list, item, site, enum
    mask: int  # the bits the unit settles
    states: tuple[State, ...]
    parent: int | None
    disabled: tuple[int, int]  # (true, unknown) bits when the parent does not enable it
    item: str | None = None  # for an item: the list value


def _words_for(fact: str, value: object, book: Mapping[tuple[str, object], str]) -> str:
    if value is None:
        return f"the request does not say ({fact.replace('_', ' ')})"
    return book.get((fact, value), f"{fact.replace('_', ' ')} is {value}")


def request_units(layout: AtomLayout, mentioned: int, fixed: Mapping[str, Sequence[object]]) -> list[Unit]:
    """The request space: every fact of the vocabulary, values no rule of either side names
    collapsed into one state (weighted by how many values it stands for)."""
    vocabulary = load_vocabulary()
    book: dict[tuple[str, object], str] = {(p.fact, p.value): p.text for p in load_phrasebook().phrases}
    units: list[Unit] = []
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
                    states.append(State(whole if value else 0, 0, 1, bool(value), bool(value),
                                         book.get((fact.path, None), fact.path) if value else
                                         f"not ({book.get((fact.path, None), fact.path)})"))
                elif value is None:
                    states.append(State(0, whole if fact.open else 0, 1, False, None,
                                        _words_for(fact.path, None, book)))
                elif fact.kind == "list":
                    assert isinstance(value, (list, tuple)), value  # a list fact is fixed to lists of values
                    bits = union_of(layout.bits[fact.path][v] for v in value)
                    states.append(State(bits, 0, 1, False, tuple(value),
                                         " and ".join(_words_for(fact.path, v, book) for v in value)
                                         or f"no {fact.path.replace('_', ' ')}"))
                else:
                    bits = (layout.bits[fact.path][True] if value else 0) if fact.kind == "boolean" else \
                        layout.bits[fact.path][value]
                    states.append(State(bits, 0, 1, False, value, _words_for(fact.path, value, book)))
            units.append(Unit(fact.path, "enum", whole, tuple(states), parent, missing))
            if fact.kind == "object":
                parent_of[fact.path] = len(units) - 1
            continue
        if fact.kind == "object":
            words = book.get((fact.path, None), f"{fact.path} is given")
            units.append(Unit(fact.path, "site", whole, (
                State(0, 0, 1, False, False, f"not ({words})"), State(whole, 0, 1, True, True, words)),
                parent, missing))
            parent_of[fact.path] = len(units) - 1
        elif fact.kind == "choice":
            states = []
            rest = [v for v in fact.value_names if not layout.bits[fact.path][v] & mentioned]
            for name in fact.value_names:
                if name not in rest:
                    states.append(State(layout.bits[fact.path][name], 0, 1, False, name,
                                         _words_for(fact.path, name, book)))
            if rest:
                states.append(State(layout.bits[fact.path][rest[0]], 0, len(rest), False, tuple(rest),
                                     " or ".join(_words_for(fact.path, v, book) for v in rest)))
            if not fact.required:
                states.append(State(0, whole if fact.open else 0, 1, False, None, _words_for(fact.path, None, book)))
            units.append(Unit(fact.path, "choice", whole, tuple(states), parent, missing))
        elif fact.kind == "boolean":
            bit = layout.bits[fact.path][True]
            states = [State(0, 0, 1, False, False,
                            book.get((fact.path, False), f"not ({_words_for(fact.path, True, book)})")),
                      State(bit, 0, 1, False, True, _words_for(fact.path, True, book))]
            if fact.open:
                states.append(State(0, bit, 1, False, None, _words_for(fact.path, None, book)))
            units.append(Unit(fact.path, "boolean", whole, tuple(states), parent, missing))
        elif fact.kind == "list":
            named = [v for v in fact.value_names if layout.bits[fact.path][v] & mentioned]
            given = State(0, 0, 2 ** (len(fact.value_names) - len(named)), True, "given",
                           f"the request says ({fact.path.replace('_', ' ')})", settles=0)
            states = [given] + ([State(0, whole, 1, False, None, _words_for(fact.path, None, book))]
                                if fact.open else [])
            units.append(Unit(fact.path, "list", whole if fact.open else 0, tuple(states), parent, missing))
            owner = len(units) - 1
            for name in named:
                bit = layout.bits[fact.path][name]
                words = _words_for(fact.path, name, book)
                units.append(Unit(fact.path, "item", bit, (
                    State(0, 0, 1, False, False, f"not ({words})"), State(bit, 0, 1, False, True, words)),
                    owner, (0, bit if fact.open else 0), name))
    return units


def mentioned_bits(old: Program, new: Program) -> int:
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


def descendants(children: Mapping[int | None, list[int]], index: int) -> list[int]:
    """Every unit below ``index``, depth first."""
    found: list[int] = []
    for child in children[index]:
        found.append(child)
        found += descendants(children, child)
    return found


def first_request_bits(units: list[Unit], children: Mapping[int | None, list[int]], index: int, true: int,
                       unknown: int) -> tuple[int, int]:
    """Bits of one representative request for a free unit: its first state, and its children's."""
    state = units[index].states[0]
    true, unknown = true | state.true, unknown | state.unknown
    if state.enables:
        for child in children[index]:
            true, unknown = first_request_bits(units, children, child, true, unknown)
    else:
        for child in descendants(children, index):
            true, unknown = true | units[child].disabled[0], unknown | units[child].disabled[1]
    return true, unknown


class Weigher:
    """How many requests of the space a cube holds: the units' whole counts are computed once, and
    a cube recounts only the units on the way to the ones it settles."""

    def __init__(self, units: list[Unit]) -> None:
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
                    below = prod(self._count(c, cube, touched) if c in touched else self.whole[c]
                                 for c in self.children[index])
                total += state.weight * below
            else:
                total += state.weight
        return total

    def __call__(self, cube: Mapping[int, frozenset[int]]) -> int:
        touched = set()
        for start in cube:
            index: int | None = start
            while index is not None and index not in touched:
                touched.add(index)
                index = self.units[index].parent
        frozen = frozenset(touched)
        return prod(self._count(i, cube, frozen) if i in frozen else self.whole[i] for i in self.children[None])


def shapes_of(units: list[Unit]) -> list[Shape]:
    """Per unit: where a request holds it."""
    vocabulary = load_vocabulary()
    found = []
    for unit in units:
        *parents, leaf = unit.fact.split(".")
        if unit.fact == "actor.role":
            parents, leaf = ["actor"], "role"
        fact = vocabulary[unit.fact]
        found.append(Shape(parents, leaf, fact.kind == "object", fact.open))
    return found


def example_of(units: list[Unit], cube: Cube, shapes: list[Shape] | None = None) -> dict[str, Any]:
    """One request of a cube: each settled unit's first allowed state, every other unit's first."""
    request: dict[str, Any] = {}
    enabled: dict[int | None, bool] = {None: True}
    shapes = shapes or shapes_of(units)
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


def where_of(units: list[Unit], cube: Cube, known: WhereWords | None = None) -> tuple[tuple[str, Where], ...]:
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
                if isinstance(state.value, tuple) and unit.kind == "choice":
                    values += list(state.value)
                else:
                    values.append(state.value)
            words = " or ".join(state.label for state in states)
            part = known[(index, allowed)] = (words, Where(unit.fact, unit.item or "", tuple(values)))
        found.append(part)
    return tuple(found)


def merge_cubes(cubes: list[Cube]) -> list[Cube]:
    """Cubes (unit -> states allowed) of one group merged wherever two differ in one unit only.
    The cubes are disjoint; two with the same other units are found by a hash of those (the sum of
    their items' hashes), then compared."""
    entries = [(cube, sum(hash(item) for item in cube.items())) for cube in cubes]
    changed = True
    while changed:
        changed = False
        for unit in sorted({u for cube, _ in entries for u in cube}):
            buckets: dict[int, list[int]] = {}
            kept: list[tuple[Cube, int]] = []
            for cube, total in entries:
                if unit not in cube:
                    kept.append((cube, total))
                    continue
                rest = total - hash((unit, cube[unit]))
                for place in buckets.get(rest, ()):
                    other = kept[place][0]
                    if len(other) == len(cube) and all(other.get(u) == a for u, a in cube.items() if u != unit):
                        merged = {**other, unit: other[unit] | cube[unit]}
                        kept[place] = (merged, rest + hash((unit, merged[unit])))
                        changed = True
                        break
                else:
                    buckets.setdefault(rest, []).append(len(kept))
                    kept.append((cube, total))
            entries = kept
    return [cube for cube, _ in entries]

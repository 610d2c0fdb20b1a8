"""The compiled program in the shape the bundle needs: every case in printed order with its terms
as atoms, the facts read, the ``x-read-as`` rules and the reading probes."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from policykit.core.compiler import CompiledCase, Program, ReadingProbe
from policykit.core.model import Case, Clause
from policykit.core.vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:  # pragma: no cover
    from policykit.core.api import Policy


class Atom(NamedTuple):
    """One fact value a term tests."""

    fact: str
    value: object
    holds: bool
    """False for a value the term excludes."""
    strict: bool
    """The value must be known (a bit of the term's K mask): unknown, the term is false, not unknown."""


class FactShape(NamedTuple):
    """What the rules need to know of a fact the program reads."""

    kind: str
    open: bool
    """A missing value is unknown (``x-when-missing`` as the compiled layout holds it)."""
    required: bool
    """The request schema requires it (and every object it sits in)."""
    may_be_unknown: bool
    """A valid request can leave it unknown: open and not required."""


class ReadAs(NamedTuple):
    """An ``x-read-as`` rule: ``fact``'s ``value`` is read as ``as_value`` unless ``unless_fact``
    is ``unless_value``; ``words`` say so in the explanation."""

    fact: str
    value: object
    as_value: object
    unless_fact: str
    unless_value: object
    words: str


class Probe(NamedTuple):
    """A reading probe (``compiler.ReadingProbe``), the index of its case among ``Model.cases``
    and its terms as atoms."""

    probe: ReadingProbe
    case: int
    terms: list[list[Atom]]


class Written(NamedTuple):
    """A case as the clause YAML writes it, for the comments of the generated Rego."""

    clause: Clause
    case: Case


class Model:
    """The compiled program in the shape the bundle needs: cases in printed order (fact cases,
    their unmet cases and outcome-triggered ones together), each with its terms as atoms, the
    facts read, and the ``x-read-as`` rules."""

    def __init__(self, policy: Policy, program: Program):
        self.program = program
        layout = program.layout
        self.vocabulary: Vocabulary = load_vocabulary()
        self.atom_of: dict[int, tuple[str, object]] = {}
        for fact, table in layout.bits.items():
            for value, bit in table.items():
                self.atom_of[bit] = (fact, value)
        self.cases: list[CompiledCase] = sorted([*program.cases, *program.outcome_cases], key=lambda case: case.order)
        index_of = {id(case): i for i, case in enumerate(self.cases)}
        self.fact_case = [any(case is c for c in program.cases) for case in self.cases]
        self.terms: dict[int, list[list[Atom]]] = {i: [] for i in range(len(self.cases))}
        for term, (positive, negative) in enumerate(program.term_pairs):
            known = program.term_known[term]
            if known & ~(positive | negative):
                raise ValueError("a compiled term needs a fact value known that it does not test; "
                                 "the Rego export cannot write it")
            self.terms[index_of[id(program.cases[program.term_case[term]])]].append(
                self._term(positive, negative, known))
        self.met_by = {i: self.atom_of[case.met_bit][0] if case.met_bit else None for i, case in enumerate(self.cases)}
        # The reading probes (a case without a condition a reading added), each as its terms' atoms.
        self.probes = [Probe(probe, index_of[id(program.cases[probe.case])],
                             [self._term(positive, negative, 0) for positive, negative in probe.terms])
                       for probe in program.probes]
        self.facts = self._facts()
        self.read_as = self._read_as()
        # The Rego term each re-read fact's value is read from: the last rule that re-reads it.
        self.read_refs = {rule.fact: f"read_{i}" for i, rule in enumerate(self.read_as)}
        # What each case was written as, for the comments of the generated Rego.
        in_force = [(clause, version) for clause in policy.document.clauses
                    if (version := clause.version_on(program.valid_from)) is not None]
        written = [Written(clause, case) for clause, version in in_force for case in version.rule]
        self.written = [written[case.order - 1] for case in self.cases]
        assert [w.clause.id for w in self.written] == [program.reasons[c.clause].id for c in self.cases]

    def _atoms(self, mask: int, holds: bool, known: int) -> list[Atom]:
        found = []
        while mask:
            low = mask & -mask
            fact, value = self.atom_of[low]
            found.append(Atom(fact, value, holds, bool(low & known)))
            mask ^= low
        return found

    def _term(self, positive: int, negative: int, known: int) -> list[Atom]:
        """A term's atoms, in the layout's fact order."""
        order = self.program.layout.order
        return sorted(self._atoms(positive, True, known) + self._atoms(negative, False, known),
                      key=lambda atom: (order[atom.fact], str(atom.value)))

    def _facts(self) -> dict[str, FactShape]:
        """The facts the program reads, in vocabulary order."""
        layout = self.program.layout
        facts: dict[str, FactShape] = {}
        for fact in self.vocabulary.facts:
            if fact.path not in layout.masks:
                continue
            is_open = bool(layout.initially_unknown & layout.masks[fact.path])
            if is_open != fact.open:
                raise ValueError(f"{fact.path}: the compiled layout and the request schema disagree on "
                                 "what a missing value means")
            parts = fact.path.split(".")
            required = all(self.vocabulary[".".join(parts[:n])].required for n in range(1, len(parts) + 1))
            facts[fact.path] = FactShape(fact.kind, is_open, required, is_open and not required)
        return facts

    def _read_as(self) -> list[ReadAs]:
        """The ``x-read-as`` rules, in the layout's order."""
        rules = []
        for value_bit, as_bit, unless_bit, words in self.program.layout.read_as:
            (fact, value), (as_fact, as_value) = self.atom_of[value_bit], self.atom_of[as_bit]
            unless_fact, unless_value = self.atom_of[unless_bit]
            if as_fact != fact or self.facts[fact].kind not in ("choice", "list"):
                raise ValueError(f"{fact}: x-read-as must read a value of a choice or list as another value of it")
            rules.append(ReadAs(fact, value, as_value, unless_fact, unless_value, words))
        return rules

"""What is at stake when a request leaves facts out: the exact possible outcomes and missing facts.

A *completion* of an encoded request gives every unknown fact a value (a single-valued fact one
of its values, a list any subset, a yes/no fact true or false). Its outcome is the highest rank
of a term true in it (``permitted`` when none); a term whose must-be-known bits (K) are unknown
is false in every completion (docs/semantics.md#obligations). For a request whose Kleene reading leaves some term of a
stronger outcome than the Kleene best unknown (the terms *at stake*), ``analyse`` answers exactly:

* ``possible``: the outcome of every completion, as ranks in ascending order (one rank: the
  decision is determined, possibly above the Kleene best when every completion makes some
  at-stake term true);
* ``missing``: the unknown facts whose value alone can change the outcome (two completions
  differing only in that fact have different outcomes), in request-schema order;
* ``cases``: the at-stake cases some completion makes true, in printed order.

How: only at-stake terms matter, and only the unknown facts they read. Each unknown single-valued
fact is one variable whose values are the values the terms mention plus, if some value is not
mentioned, "another value"; each mentioned bit of a list or yes/no fact is a two-valued variable.
A reduced ordered decision diagram over these variables (in request-schema order) is built top
down: a state is the best rank reached so far and the *residual* live terms (their masks
restricted to the unassigned variables, terms that cannot beat the best dropped), memoised, so
equivalent states merge and a wide conjunction stays linear in its width. Nodes are hash-consed
and a node whose children are all equal is its child, so the diagram is canonical: the outcomes
possible are its terminals and the facts that matter are those of its variables. There is no
enumeration limit.

A value that the request schema's ``x-read-as`` reads as another (``counseling`` read as
``personal`` unless the role is ``school_counselor``) is not a value a completion can give the
rules when the exception is known not to hold: the request saying it is decided as the other.
"""

from __future__ import annotations

from policykit.core.values import dataclass

from policykit.core.compiler import Program, bits_of

Residual = tuple[int, int, int]
"""A live term: (outcome rank, P, N) restricted to the bits of unassigned variables."""


@dataclass(frozen=True, slots=True)
class Stakes:
    """The exact reading of a request with terms at stake (see the module docstring)."""

    possible: tuple[int, ...]  # outcome ranks of the completions, ascending
    missing: tuple[str, ...]  # facts that can change the outcome, in request-schema order
    cases: tuple[int, ...]  # indexes into Program.cases of the at-stake cases some completion makes true

    @property
    def rank(self) -> int:
        """The outcome's rank when every completion agrees, else -1 (undetermined)."""
        return self.possible[0] if len(self.possible) == 1 else -1


@dataclass(frozen=True, slots=True)
class _Variable:
    fact: str
    mask: int  # the bits it settles: a single-valued fact's every bit, or one bit of a list or yes/no fact
    values: tuple[int, ...]  # per value, the bits of ``mask`` it makes true


def completion_unknown(program: Program, true: int, unknown: int) -> int:
    """The unknown bits a completion can make true: ``unknown`` without the values ``x-read-as``
    reads as others (their exception known not to hold)."""
    for value_bit, _, unless_bit, _ in program.layout.read_as:
        if unknown & value_bit and not (true | unknown) & unless_bit:
            unknown &= ~value_bit
    return unknown


def _live_terms(program: Program, true: int, unknown: int, at_stake: int) -> list[tuple[int, Residual]]:
    """The at-stake terms some completion makes true, each with its case index, restricted to
    their unknown bits (the known ones already agree: the term is unknown, not false)."""
    choices = program.layout.choice_facts
    masks = program.layout.masks
    live: list[tuple[int, Residual]] = []
    mask = at_stake
    while mask:
        low = mask & -mask
        mask ^= low
        term = low.bit_length() - 1
        positive, negative = program.term_pairs[term]
        if positive & ~true & ~unknown or negative & true or program.term_known[term] & unknown:
            continue  # a bit it needs true can no longer be (x-read-as), or it is false
        p, n = positive & unknown, negative & unknown
        if p & n:
            continue
        satisfiable = True
        for _, fact, _ in program.term_reads[term]:
            whole = masks[fact]
            if fact in choices and unknown & whole:
                needed = p & whole
                if needed & (needed - 1) or (not needed and not unknown & whole & ~n):
                    satisfiable = False  # two values of one fact, or every value it can take excluded
                    break
        if satisfiable:
            case = program.term_case[term]
            live.append((case, (program.cases[case].rank, p, n)))
    return live


def _variables(program: Program, unknown: int, mentioned: int) -> list[_Variable]:
    """The variables of the diagram, in request-schema order."""
    layout = program.layout
    facts = sorted((f for f, m in layout.masks.items() if m & mentioned), key=layout.order.__getitem__)
    variables: list[_Variable] = []
    for fact in facts:
        whole = layout.masks[fact]
        named = bits_of(whole & mentioned)
        if fact in layout.choice_facts:
            other = (0,) if unknown & whole & ~mentioned else ()
            variables.append(_Variable(fact, whole, tuple(named) + other))
        else:
            variables.extend(_Variable(fact, bit, (0, bit)) for bit in named)
    return variables


def analyse(program: Program, true: int, unknown: int, best: int, at_stake: int) -> Stakes:
    """The exact outcomes, missing facts and at-stake cases of an encoded request whose Kleene best
    outcome rank is ``best`` and whose terms ``at_stake`` (a mask over the program's terms) are
    unknown and yield a stronger outcome. Pure; no enumeration of completions."""
    unknown = completion_unknown(program, true, unknown)
    live = _live_terms(program, true, unknown, at_stake)
    if not live:
        return Stakes((best,), (), ())
    mentioned = 0
    for _, (_, p, n) in live:
        mentioned |= p | n
    variables = _variables(program, unknown, mentioned)
    terminals = len(program.above)  # node ids below this are terminal outcome ranks
    nodes: dict[tuple[int, tuple[int, ...]], int] = {}  # (variable, children) -> node id
    node_variable: list[int] = []  # node id - terminals -> its variable
    node_children: list[tuple[int, ...]] = []
    memo: dict[tuple[int, frozenset[Residual]], int] = {}

    def build(start: int, reached: int, terms: frozenset[Residual]) -> int:
        key = (reached, terms)
        found = memo.get(key)
        if found is not None:
            return found
        if not terms:
            memo[key] = reached
            return reached
        used = 0
        for _, p, n in terms:
            used |= p | n
        index = start
        while not variables[index].mask & used:
            index += 1  # every term's bits belong to variables from here on
        variable = variables[index]
        settles = variable.mask
        children = []
        for value in variable.values:
            best_now = reached
            rest: list[Residual] = []
            for rank, p, n in terms:
                if (p & settles & ~value) or (n & value):
                    continue  # this value contradicts the term
                p_left, n_left = p & ~settles, n & ~settles
                if p_left or n_left:
                    rest.append((rank, p_left, n_left))
                elif rank > best_now:
                    best_now = rank  # nothing left to satisfy: the term is true
            children.append(build(index + 1, best_now, frozenset(t for t in rest if t[0] > best_now)))
        if all(child == children[0] for child in children):
            node = children[0]  # the variable does not matter here
        else:
            shape = (index, tuple(children))
            node = nodes.get(shape, -1)
            if node < 0:
                node = terminals + len(node_variable)
                nodes[shape] = node
                node_variable.append(index)
                node_children.append(shape[1])
        memo[key] = node
        return node

    floor = best
    for _, (rank, p, n) in live:
        if not p | n and rank > floor:
            floor = rank  # true in every completion: its only unknown value can never be read (x-read-as)
    root = build(0, floor, frozenset(term for _, term in live if term[0] > floor and term[1] | term[2]))
    possible: set[int] = set()
    facts: set[str] = set()
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node < terminals:
            possible.add(node)
            continue
        facts.add(variables[node_variable[node - terminals]].fact)
        stack.extend(node_children[node - terminals])
    order = program.layout.order
    cases = tuple(sorted({case for case, _ in live}))
    return Stakes(tuple(sorted(possible)), tuple(sorted(facts, key=order.__getitem__)), cases)

"""How to do it within the policy: for a decision that is not a plain yes, the nearest ways to do
the same thing that the policy allows, and for an undetermined one, the facts to ask first.

Alternatives (``Searcher.alternatives``):

* first the clause's own remedy: a clause whose text says what to do instead declares it in
  its YAML (``remedy``); it is offered when deciding the changed request gives a strictly
  better, determined outcome;
* then the nearest other ways, found by exhaustive search over the facts the employee controls
  (``x-controllable`` in the request schema): a choice set to another value (a channel only
  among the action's ``x-channels``), an item left out of a list, a yes/no step taken. Never a
  fact the employee does not control, and never a school site added by the search.

The search works on the encoded request, within a budget counted in work, not time: it
decides at most ``x-search-budget`` change sets (declared on ``alternatives`` in the decision
schema, which the browser's search reads too; one ``SearchBudget`` may be shared by a batch, and
withdrawn when the client has gone). When the budget runs out the decision says so
(``alternatives_complete: false``), and what it gives is still verified and minimal among the
change sets tried. The search keeps the change sets that are *minimal*: no proper subset of the
changes gets the same outcome or a better one. It is kept small without losing any answer:

* leaving an item out of a list that no rule reads negatively (content items, site uses) only
  ever switches terms off, so those removals are not searched: for each change set of the other
  facts and each outcome better than the current one, every term of a case yielding more than
  that outcome must be switched off, and an item that is the only one such a term reads is
  forced; the forced items (and of the others only those the outcome needs) are one merged
  removal, decided once. The budget counts each change set tried and each such decision;
* the other changes (a choice, a yes/no, an item of a list read negatively) are tried as sets by
  increasing size, one change per fact, never a superset of a set already permitted;
* every clause case that decides the current outcome stays true unless a change touches one of
  the bits its terms read, so a change set that misses one of them cannot improve the outcome
  and is never decided;
* a change can matter only if it touches a bit read by an outcome-yielding case that is true or
  unknown now, or by a case that such changes could switch on (a closure over shared bits);
  any other change can be dropped from a set without changing its outcome, so it is never part
  of a minimal alternative.

Ranking: outcome (permitted first), then fewest changes, then the District's own route
(``x-district-route``) before others, then the vocabulary's order; at most three.

Questions (``Searcher.questions``): for each missing fact, the outcome each answer leads to,
ordered so that the fact whose worst answer leaves the fewest possible outcomes comes first
(ties: fewest in total, then the vocabulary's order)."""

from __future__ import annotations

from collections.abc import Callable
from policykit.core.values import dataclass
from functools import cache

from policykit.core.compiler import RANK, Program
from policykit.core.decision import Alternative, Answer, Change, Question, Verdict
from policykit.core.model import OUTCOMES, PolicyDocument
from policykit.core.vocabulary import Vocabulary

MAX_ALTERNATIVES = 3


@cache
def search_budget() -> int:
    """The change sets one alternatives search may try, as the decision schema declares it
    (``x-search-budget`` on ``alternatives``): the browser's search reads the same number."""
    from policykit.core.schemaerrors import load_schema

    return int(load_schema("decision")["properties"]["alternatives"]["x-search-budget"])

Evaluate = Callable[[int, int, int], Verdict]
"""Decide encoded bits (true, unknown, reread) with the program in force."""


@dataclass(frozen=True)
class _Atom:
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

    def apply(self, true: int, unknown: int) -> tuple[int, int]:
        return (true & ~self.clear_bits) | self.set_bits, unknown & ~self.clear_bits & ~self.set_bits


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
class _ProgramFacts:
    """What the search reads of a program, worked out once per program."""

    program: Program
    case_bits: dict[int, int]  # case index -> every bit its terms read
    negative: int  # bits some term reads negatively (or needs known): leaving them out may switch a term on
    term_rank: tuple[int, ...]  # term index -> the outcome rank of its case (-1: none)


class Searcher:
    """Prepared once per policy (vocabulary, layout, remedies); then asked per decision."""

    def __init__(self, vocabulary: Vocabulary, document: PolicyDocument, layout, budget: int) -> None:
        """``budget``: the change sets one search may try (the decision schema's
        ``x-search-budget`` on ``alternatives``)."""
        self.budget = budget
        self._facts: dict[int, _ProgramFacts] = {}
        self.vocabulary = vocabulary
        self.layout = layout
        self.document = document
        order = {fact.path: i for i, fact in enumerate(vocabulary.facts)}
        self._order = order
        self._site_bit = layout.bits["site"][True] if "site" in layout.bits else 0
        self._action_channels: dict[int, int] = {}
        for value in vocabulary["action"].values:
            allowed = 0
            for channel in value.channels:
                allowed |= layout.bits["channel"][channel]
            self._action_channels[layout.bits["action"][value.name]] = allowed
        self._choices = [f for f in vocabulary.facts if f.controllable and f.kind == "choice"]
        self._lists = [f for f in vocabulary.facts if f.controllable and f.kind == "list"]
        self._booleans = [f for f in vocabulary.facts if f.controllable and f.kind == "boolean"]

    # -------------------------------------------------------------------------------- atoms

    def _atoms(self, true: int, unknown: int) -> list[_Atom]:
        layout = self.layout
        atoms: list[_Atom] = []
        site_given = bool(true & self._site_bit)
        for fact in self._choices:
            if fact.path.startswith("site.") and not site_given:
                continue
            mask = layout.masks[fact.path]
            allowed = mask
            if fact.path == "channel":
                action = next((bit for bit in self._action_channels if true & bit), 0)
                allowed = self._action_channels.get(action, mask)
            current = next((v for v in fact.values if true & layout.bits[fact.path][v.name]), None)
            for index, value in enumerate(fact.values):
                bit = layout.bits[fact.path][value.name]
                if true & bit or not allowed & bit:
                    continue
                words = value.instead + (f" instead of {current.instead_of}" if current is not None else "")
                atoms.append(_Atom(fact.path, value.name, False, fact.path, bit, mask,
                                   (self._order[fact.path], index), value.district_route, words))
        for fact in self._lists:
            if fact.path.startswith("site.") and not site_given:
                continue
            for index, value in enumerate(fact.values):
                bit = layout.bits[fact.path][value.name]
                if true & bit:
                    atoms.append(_Atom(fact.path, value.name, True, f"{fact.path}:{value.name}", 0, bit,
                                       (self._order[fact.path], index), False, value.instead))
        for fact in self._booleans:
            if fact.path.startswith("site.") and not site_given:
                continue
            bit = layout.bits[fact.path][True]
            if not true & bit:
                atoms.append(_Atom(fact.path, True, False, fact.path, bit, 0, (self._order[fact.path], 0),
                                   False, fact.instead))
        return atoms

    # ------------------------------------------------------------------------- alternatives

    def alternatives(self, program: Program, evaluate: Evaluate, true: int, unknown: int, reread: int,
                     verdict: Verdict, budget: "SearchBudget | None" = None) -> tuple[tuple[Alternative, ...], bool]:
        """The ways to do it within the policy, for a determined decision that is not permitted
        (empty otherwise), and whether the search for them was complete: False when ``budget``
        (by default a fresh one of ``self.budget`` change sets) ran out first, in which case what
        is returned is still verified and minimal among the change sets tried."""
        if verdict.outcome in ("permitted", "undetermined"):
            return (), True
        if budget is None:
            budget = SearchBudget(self.budget)
        current = RANK[verdict.outcome]
        found: list[Alternative] = list(self._remedies(program, evaluate, true, unknown, reread, verdict, current))
        searched, complete = self._search(program, true, unknown, current, budget)
        seen = {a.changes for a in found}
        for alternative in searched:
            if len(found) >= MAX_ALTERNATIVES:
                break
            if alternative.changes not in seen:
                found.append(alternative)
                seen.add(alternative.changes)
        return tuple(found[:MAX_ALTERNATIVES]), complete

    def _program_facts(self, program: Program) -> "_ProgramFacts":
        facts = self._facts.get(id(program))
        if facts is None or facts.program is not program:
            case_bits: dict[int, int] = {}
            negative = 0
            for term, case in enumerate(program.term_case):
                positive, negative_bits = program.term_pairs[term]
                case_bits[case] = case_bits.get(case, 0) | positive | negative_bits
                negative |= negative_bits | program.term_known[term]
            facts = _ProgramFacts(program, case_bits, negative,
                                  tuple(program.cases[case].rank for case in program.term_case))
            self._facts[id(program)] = facts
        return facts

    def _remedies(self, program: Program, evaluate: Evaluate, true: int, unknown: int, reread: int,
                  verdict: Verdict, current: int):
        layout = self.layout
        candidates: list[tuple[int, Alternative]] = []
        for reason in verdict.reasons:
            remedy = self.document.clause(reason.id).remedy
            if remedy is None:
                continue
            new_true, new_unknown = true, unknown
            changes: list[Change] = []
            for fact, value in remedy.set:
                info = self.vocabulary[fact]
                bit = layout.bits[fact][value]
                if true & bit:
                    continue
                clear = layout.masks[fact] if info.kind == "choice" else 0
                new_true = (new_true & ~clear) | bit
                new_unknown &= ~(clear | bit)
                if fact.startswith("site."):
                    new_true |= self._site_bit
                changes.append(Change(fact, value))
            for fact, items in remedy.remove:
                present = tuple(item for item in items if true & layout.bits[fact][item])
                for item in present:
                    new_true &= ~layout.bits[fact][item]
                if present:
                    changes.append(Change(fact, None, present))
            if not changes:
                continue
            result = evaluate(new_true, new_unknown, reread)
            if result.outcome != "undetermined" and RANK[result.outcome] < current:
                text = remedy.text[0].upper() + remedy.text[1:]
                candidates.append((RANK[result.outcome],
                                   Alternative(tuple(changes), result.outcome, reason.id, text.rstrip(".") + ".")))
        candidates.sort(key=lambda pair: pair[0])  # stable: the reasons' order among equals
        return [alternative for _, alternative in candidates]

    def _search(self, program: Program, true: int, unknown: int, current: int,
                budget: "SearchBudget") -> tuple[list[Alternative], bool]:
        """The nearest other ways, best first, and whether the search was complete (False when
        ``budget`` ran out or was withdrawn before every candidate was tried)."""
        from policykit.core.engine import outcome_rank, term_states  # one-way: the engine never imports this module

        facts = self._program_facts(program)
        true_terms, unknown_terms = term_states(program, true, unknown)
        live = true_terms | unknown_terms
        case_bits = facts.case_bits
        live_cases = {program.term_case[t] for t in range(len(program.term_case)) if live >> t & 1}
        true_cases = {program.term_case[t] for t in range(len(program.term_case)) if true_terms >> t & 1}
        cases = program.cases
        deciding = [case_bits[i] for i in sorted(true_cases) if cases[i].rank == current]
        # Bits a minimal change set can touch: those of live outcome cases, closed over the cases
        # that changes to such bits could switch on.
        outcome_cases = [i for i in range(len(cases)) if cases[i].rank > 0]
        relevant = 0
        for i in outcome_cases:
            if i in live_cases:
                relevant |= case_bits[i]
        atoms = self._atoms(true, unknown)
        while True:
            touched = 0
            for atom in atoms:
                if atom.bits & relevant:
                    touched |= atom.bits
            grown = relevant
            for i in outcome_cases:
                if case_bits[i] & touched:
                    grown |= case_bits[i]
            if grown == relevant:
                break
            relevant = grown
        atoms = [atom for atom in atoms if atom.bits & relevant]
        # Items left out of a list that no term reads negatively only ever switch terms off: the
        # fewest of them that reach an outcome are computed directly (see _removal), not searched.
        removable = [atom for atom in atoms if atom.removal and not atom.bits & facts.negative]
        others = [atom for atom in atoms if not (atom.removal and not atom.bits & facts.negative)]
        removable_bits = _or(atom.bits for atom in removable)
        group_names = sorted({atom.group for atom in others}, key=lambda g: min(a.order for a in others if a.group == g))
        groups = [[i for i, atom in enumerate(others) if atom.group == name] for name in group_names]
        group_bits = [_or(others[i].bits for i in members) for members in groups]
        # For each deciding case no removal can touch, the groups that can (a bitmask over groups).
        needs = [_or(1 << g for g, bits in enumerate(group_bits) if bits & case)
                 for case in deciding if not case & removable_bits]
        if any(need == 0 for need in needs):
            return [], True
        tried: dict[int, list[tuple[int, int]]] = {}  # change set (bitmask over others) -> [(removed bits, rank)]
        permitted_sets: list[int] = []  # change sets permitted without removals: no superset can be minimal
        plans: dict[int, list[tuple[int, int]]] = {}  # live terms -> what to leave out (see _plan)
        results: list[tuple[tuple, tuple[_Atom, ...]]] = []

        def combos(first: int, picked: int, chosen_groups: int, left: int, t: int, u: int, chosen: tuple):
            """Change sets of ``left`` more atoms, one per group, groups in order, each with the
            request it makes (true and unknown bits) and its atoms."""
            if left == 0:
                if all(chosen_groups & need for need in needs):
                    yield picked, t, u, chosen
                return
            for g in range(first, len(groups) - left + 1):
                for i in groups[g]:
                    members = picked | 1 << i
                    if any(found & members == found for found in permitted_sets):
                        continue  # already contains a permitted change set
                    atom = others[i]
                    yield from combos(g + 1, members, chosen_groups | 1 << g, left - 1,
                                      (t & ~atom.clear_bits) | atom.set_bits, u & ~atom.clear_bits & ~atom.set_bits,
                                      (*chosen, atom))

        def rank_of(t: int, u: int) -> int | None:
            """The outcome rank, or None when the budget is spent."""
            if not budget.spend():
                return None
            return outcome_rank(program, t, u)

        complete = True
        for size in range(0, len(groups) + 1):
            for members, new_true, new_unknown, chosen in combos(0, 0, 0, size, true, unknown, ()):
                if any(found & members == found for found in permitted_sets):
                    continue
                if not budget.spend():  # each change set tried counts, decided or not
                    complete = False
                    break
                outcomes = tried.setdefault(members, [])
                outcome = self._removals(program, facts, new_true, new_unknown, removable_bits, current,
                                         rank_of, outcomes, plans)
                if outcome is None:
                    complete = False
                    break
                if any(removed == 0 and rank == 0 for removed, rank in outcomes):
                    permitted_sets.append(members)
                subsets: tuple[int, ...] = ()
                for removed, rank in outcomes:
                    if rank >= current:
                        continue
                    if not subsets:
                        subsets = (members, *_proper_subsets(members), *((0,) if members else ()))
                    if any(removed_sub & ~removed == 0 and 0 <= rank_sub <= rank
                           for sub in subsets for removed_sub, rank_sub in tried.get(sub, ())
                           if (sub, removed_sub) != (members, removed)):
                        continue  # not better, or not minimal: fewer of its changes do as well
                    combo = sorted((*chosen, *(a for a in removable if a.bits & removed)), key=lambda a: a.order)
                    sort_key = (rank, len(combo), not any(a.district for a in combo), tuple(a.order for a in combo))
                    results.append((sort_key, tuple(combo)))
            if not complete:
                break
            results.sort(key=lambda pair: pair[0])
            if len(results) >= MAX_ALTERNATIVES and results[MAX_ALTERNATIVES - 1][0][:2] <= (0, size):
                break  # three permitted ways with at most this many changes: nothing larger ranks higher
        results.sort(key=lambda pair: pair[0])
        return [Alternative(_merge(list(combo)), OUTCOMES[sort_key[0]], None, _sentence([a.words for a in combo]))
                for sort_key, combo in results], complete

    def _removals(self, program: Program, facts: "_ProgramFacts", true: int, unknown: int, removable: int,
                  current: int, rank_of: Callable[[int, int], int | None],
                  outcomes: list[tuple[int, int]], plans: dict[int, list[tuple[int, int]]]) -> bool | None:
        """For one change set already applied: the fewest items to leave out (of ``removable``) for
        each outcome better than ``current``, each with the outcome it reaches (appended to
        ``outcomes`` as (removed bits, rank), determined outcomes only). A term of a case yielding
        more than the target must be switched off, and only leaving out one of the items it reads
        does that; the items a single term depends on are therefore forced, and the rest are kept
        only when leaving them in would not reach the outcome. None when the budget ran out."""
        from policykit.core.engine import term_states

        true_terms, unknown_terms = term_states(program, true, unknown)
        live = (true_terms | unknown_terms) & program.above[0]
        plan = plans.get(live)
        if plan is None:
            plan = plans[live] = self._plan(program, facts, live, removable, current)
        seen: set[int] = set()
        for removed, forced in plan:
            if removed in seen:
                continue
            seen.add(removed)
            rank = rank_of(true & ~removed, unknown)
            if rank is None:
                return None
            for bit in _bits(removed & ~forced):  # an item not forced: left in when that does as well
                if rank < 0:
                    break
                again = rank_of(true & ~(removed & ~bit), unknown)
                if again is None:
                    return None
                if again == rank:
                    removed &= ~bit
            if rank >= 0:
                outcomes.append((removed, rank))
        return True

    @staticmethod
    def _plan(program: Program, facts: "_ProgramFacts", live: int, removable: int,
              current: int) -> list[tuple[int, int]]:
        """For the live terms of outcome cases after a change set: per outcome better than
        ``current`` (strongest first, while reachable at all), the items to leave out and those
        of them that are forced (the only item a term reads). The same live terms give the same
        plan, so the search works it out once per pattern (``plans``)."""
        removed_at = [0] * len(OUTCOMES)
        forced_at = [0] * len(OUTCOMES)
        blocked = -1  # the strongest rank of a live term that no removal switches off
        while live:
            low = live & -live
            live ^= low
            term = low.bit_length() - 1
            rank = facts.term_rank[term]
            items = program.term_pairs[term][0] & removable
            if not items:
                blocked = max(blocked, rank)
                continue
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

    # ---------------------------------------------------------------------------- questions

    def questions(self, evaluate: Evaluate, true: int, unknown: int, reread: int,
                  verdict: Verdict) -> tuple[Question, ...]:
        """For an undetermined decision: each missing fact with the outcome each answer leads
        to, the fact that settles most first (empty for a determined decision)."""
        if verdict.outcome != "undetermined":
            return ()
        layout = self.layout
        ranked = []
        for fact_name in verdict.missing_facts:
            fact = self.vocabulary[fact_name]
            mask = layout.masks[fact_name]
            answers: list[tuple[object, int]] = []
            if fact.kind == "choice":
                answers = [(v.name, layout.bits[fact_name][v.name]) for v in fact.values]
            elif fact.kind == "list":
                answers = [((v.name,), layout.bits[fact_name][v.name]) for v in fact.values] + [((), 0)]
            elif fact.kind == "boolean":
                answers = [(True, mask), (False, 0)]
            results = []
            for value, bits in answers:
                new_true, reread_now = _read_as(layout, (true & ~mask) | bits, reread)
                results.append((value, evaluate(new_true, unknown & ~mask, reread_now)))
            counts = [1 if r.outcome != "undetermined" else len(r.possible_outcomes) for _, r in results]
            question = Question(fact_name, tuple(Answer(value, r.outcome) for value, r in results))
            ranked.append(((max(counts), sum(counts), self._order[fact_name]), question))
        ranked.sort(key=lambda pair: pair[0])
        return tuple(question for _, question in ranked)


def _or(masks) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


def _bits(mask: int):
    """The single bits of a mask, lowest first."""
    while mask:
        low = mask & -mask
        yield low
        mask ^= low


def _proper_subsets(members: int):
    """Every non-empty proper subset of a bitmask."""
    sub = (members - 1) & members
    while sub:
        yield sub
        sub = (sub - 1) & members


def _read_as(layout, true: int, reread: int) -> tuple[int, int]:
    """Apply the layout's x-read-as rules to bits an answer has just changed."""
    for index, (value_bit, as_bit, unless_bit, _) in enumerate(layout.read_as):
        if true & value_bit and not true & unless_bit:
            true = (true & ~value_bit) | as_bit
            reread |= 1 << index
    return true, reread


def _merge(atoms: list[_Atom]) -> tuple[Change, ...]:
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

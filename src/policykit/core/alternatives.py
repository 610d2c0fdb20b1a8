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
  facts and each outcome better than the current one, every true term of a case yielding more
  than that outcome must be switched off, and an item that is the only one such a term reads is
  forced; the forced items (and of the others, the unknown terms' items included, only those the
  outcome needs) are one merged removal, decided once. The budget counts each change set tried and each such decision;
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
from functools import cache

from policykit.core.compiler import RANK, AtomLayout, Program
from policykit.core.decision import Alternative, Answer, Change, Question, Verdict
from policykit.core.model import PolicyDocument
from policykit.core.nearest import MAX_ALTERNATIVES, Atom, NearestSearch, ProgramFacts, SearchBudget
from policykit.core.schemaerrors import load_schema
from policykit.core.vocabulary import Vocabulary

__all__ = ["MAX_ALTERNATIVES", "SearchBudget", "Searcher", "search_budget"]


@cache
def search_budget() -> int:
    """The change sets one alternatives search may try, as the decision schema declares it
    (``x-search-budget`` on ``alternatives``): the browser's search reads the same number."""
    return int(load_schema("decision")["properties"]["alternatives"]["x-search-budget"])

Evaluate = Callable[[int, int, int], Verdict]
"""Decide encoded bits (true, unknown, reread) with the program in force."""


class Searcher:
    """Prepared once per policy (vocabulary, layout, remedies); then asked per decision."""

    def __init__(self, vocabulary: Vocabulary, document: PolicyDocument, layout: AtomLayout, budget: int) -> None:
        """``budget``: the change sets one search may try (the decision schema's
        ``x-search-budget`` on ``alternatives``)."""
        self.budget = budget
        self._facts: dict[int, ProgramFacts] = {}
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

    def _atoms(self, true: int, unknown: int) -> list[Atom]:
        layout = self.layout
        atoms: list[Atom] = []
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
                atoms.append(Atom(fact.path, value.name, False, fact.path, bit, mask,
                                   (self._order[fact.path], index), value.district_route, words))
        for fact in self._lists:
            if fact.path.startswith("site.") and not site_given:
                continue
            for index, value in enumerate(fact.values):
                bit = layout.bits[fact.path][value.name]
                if true & bit:
                    atoms.append(Atom(fact.path, value.name, True, f"{fact.path}:{value.name}", 0, bit,
                                       (self._order[fact.path], index), False, value.instead))
        for fact in self._booleans:
            if fact.path.startswith("site.") and not site_given:
                continue
            bit = layout.bits[fact.path][True]
            if not true & bit:
                atoms.append(Atom(fact.path, True, False, fact.path, bit, 0, (self._order[fact.path], 0),
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
        searched, complete = NearestSearch(self._program_facts(program), self._atoms(true, unknown), true, unknown,
                                           current, budget).run()
        seen = {a.changes for a in found}
        for alternative in searched:
            if len(found) >= MAX_ALTERNATIVES:
                break
            if alternative.changes not in seen:
                found.append(alternative)
                seen.add(alternative.changes)
        return tuple(found[:MAX_ALTERNATIVES]), complete

    def _program_facts(self, program: Program) -> ProgramFacts:
        facts = self._facts.get(id(program))
        if facts is None or facts.program is not program:
            facts = self._facts[id(program)] = ProgramFacts.of(program)
        return facts

    def _remedies(self, program: Program, evaluate: Evaluate, true: int, unknown: int, reread: int,
                  verdict: Verdict, current: int) -> list[Alternative]:
        """The remedies the deciding clauses declare that give a strictly better, determined
        outcome, best first."""
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


def _read_as(layout: AtomLayout, true: int, reread: int) -> tuple[int, int]:
    """Apply the layout's x-read-as rules to bits an answer has just changed."""
    for index, (value_bit, as_bit, unless_bit, _) in enumerate(layout.read_as):
        if true & value_bit and not true & unless_bit:
            true = (true & ~value_bit) | as_bit
            reread |= 1 << index
    return true, reread

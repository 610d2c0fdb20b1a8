"""Who is affected by a change, in the words a board member reads: the everyday questions whose
answers change, and a few plain sentences, each with an example and a witness for every condition
it names.

* **Questions.** Every question of the corpus (``questions/``) and every scenario (``features/``)
  is asked of both sides as of a date (a question's own ``as_of`` is replaced by the date); the
  ones whose outcome differs are listed with the answer before and after. This is a plain loop
  over ``Policy.decide``: nothing is inferred.
* **Sentences.** For each kind of change (outcome before → outcome after) the patterns holding a
  changed question, then the largest, are turned into sentences (one per kind first, a second
  only where it covers some of the questions). A pattern's conditions are tried one by
  one on a request of the pattern: a condition's *witnesses* are that request with the one fact
  outside the condition, each decided by ``Policy.decide`` on both sides. A condition stays in
  the sentence when a witness changes differently, or not at all because the changed rule does
  not reach it; it is said once, as "unless another rule already decides it", when its witnesses
  are decided by another rule (unchanged at an outcome at least as strong as the change's, or
  ending as the change does from a stronger one) and always for a content flag ("not (it is
  defamatory)"); it is left out when every witness changes as the sentence says (or none is a
  valid request). "The request says (audience)" is not repeated beside "it reaches a student".
  Each sentence's example is a corpus question or scenario it covers (else a request of the
  pattern), and its size is the number of corpus questions and scenarios that meet its
  conditions and change as it says. A sentence is a summary: the patterns below it are exact,
  the sentence is checked at its example and at its witnesses.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from policykit.authoring.diff import Flip
from policykit.authoring.phrases import load_phrasebook
from policykit.authoring.questions import all_questions, load_questions
from policykit.authoring.scenarios import read_features
from policykit.authoring.words import outcome_words
from policykit.core.api import Policy
from policykit.core.errors import PolicyError, RequestError
from policykit.core.model import OUTCOMES
from policykit.core.paths import default_features_dir
from policykit.core.request import fact_value
from policykit.core.vocabulary import load_vocabulary


#: Sentences written for one kind of change at most; the other patterns of that kind are in the detail.
SENTENCES_PER_KIND = 2


#: Sentences written for one date at most.
SENTENCES = 8


@dataclass(frozen=True)
class Asked:
    """An everyday question: from the corpus or a scenario, in its own words, with its request."""

    source: str  # "question" or "scenario"
    id: str  # the corpus id, or the scenario's file:line
    words: str
    request: dict[str, Any]


@dataclass(frozen=True)
class ChangedQuestion:
    """An everyday question whose outcome differs between the sides."""

    asked: Asked
    old: str  # outcome before
    new: str  # outcome after


@dataclass(frozen=True)
class Condition:
    """One condition of a sentence, in words and as data, with a request that meets the sentence's
    other conditions but not this one and changes differently or not at all."""

    words: str
    fact: str
    item: str
    values: tuple[object, ...]
    witness: dict[str, Any]
    witness_old: str
    witness_new: str


@dataclass(frozen=True)
class Sentence:
    """Who is affected by one kind of change: the conditions that matter, an example, a size."""

    old: str
    new: str
    conditions: tuple[Condition, ...]
    unless: tuple[Condition, ...]  # "unless another rule already decides it"
    example: dict[str, Any]
    example_words: str
    covers: tuple[str, ...]  # ids of the corpus questions and scenarios it covers
    requests: int  # the pattern's count of requests, for the detail
    base: dict[str, Any]  # the request of the pattern each witness varies in one fact

    def words(self) -> str:
        """The sentence in plain words: "When I send a message, and it reaches a student, the answer
        “allowed, but discouraged” becomes “prohibited”, unless another rule already decides it"."""
        said = ", and ".join(c.words for c in self.conditions) or "any request is asked"
        text = f"When {said}, the answer “{outcome_words(self.old)}” becomes “{outcome_words(self.new)}”"
        return text + (", unless another rule already decides it" if self.unless else "")


def everyday_questions(questions: Path | None = None, features: Path | None = None,
                       clause_ids: Sequence[str] = ()) -> list[Asked]:
    """The question corpus and the scenarios, each with its request (its own date removed)."""
    found: list[Asked] = []
    try:
        for question in all_questions(load_questions(questions)):
            if question.accept:
                request = question.request
                request.pop("as_of", None)
                found.append(Asked("question", question.id, question.ask, request))
    except PolicyError:
        pass
    scenarios, _ = read_features(features or default_features_dir(), clause_ids)
    book = load_phrasebook()
    for scenario in scenarios:
        try:
            request = scenario.request(book)
        except ValueError:
            continue
        request.pop("as_of", None)
        found.append(Asked("scenario", f"{scenario.path}:{scenario.line}", scenario.name, request))
    return found


def outcome_of(policy: Policy, request: dict[str, Any], day: date) -> str | None:
    """The outcome of a request as of ``day``, or None when the request is not valid."""
    try:
        return policy.decide(request, as_of=day).outcome
    except RequestError:
        return None


def changed_questions(old: Policy, new: Policy, day: date, asked: Sequence[Asked]) -> list[ChangedQuestion]:
    """The questions whose outcome differs between the sides as of ``day``."""
    found = []
    for question in asked:
        before, after = outcome_of(old, question.request, day), outcome_of(new, question.request, day)
        if before is not None and after is not None and before != after:
            found.append(ChangedQuestion(question, before, after))
    return found


def matches(where: Sequence[tuple[str, str, tuple[object, ...]]], request: Mapping[str, Any]) -> bool:
    """Whether a request meets every condition ``(fact, list item or "", the states allowed)`` of a
    pattern (``Flip.where``) or a sentence."""
    vocabulary = load_vocabulary()
    for fact, item, allowed in where:
        value = fact_value(request, fact)
        kind = vocabulary[fact].kind
        if item:
            if (item in _listed(value)) not in allowed:
                return False
        elif kind == "object":
            if (value is not None) not in allowed:
                return False
        elif kind == "list":
            if ("given" if value is not None else None) not in allowed:
                return False
        elif value not in allowed and not (value is None and False in allowed and not vocabulary[fact].open):
            return False
    return True


def _listed(value: object) -> list[object]:
    """A list fact's values (none when it is not given)."""
    return list(value) if isinstance(value, (list, tuple)) else []


def _set(request: dict[str, Any], path: str, value: object) -> None:
    *parents, leaf = path.split(".")
    target = request
    for part in parents:
        target = target.setdefault(part, {})
    if value is None:
        target.pop(leaf, None)
    else:
        target[leaf] = value


def _neighbours(request: dict[str, Any], fact: str, item: str, allowed: tuple[object, ...]) -> list[dict[str, Any]]:
    """Requests like ``request`` but for one fact, whose state is outside ``allowed``."""
    vocabulary = load_vocabulary()
    definition = vocabulary[fact]
    found = []
    if item:
        for state in (True, False):
            if state in allowed:
                continue
            other = copy.deepcopy(request)
            items = [v for v in _listed(fact_value(other, fact)) if v != item] + ([item] if state else [])
            _set(other, fact, items)
            found.append(other)
        return found
    if definition.kind == "object":
        for state in (True, False):
            if state not in allowed:
                other = copy.deepcopy(request)
                _set(other, fact, {} if state else None)
                found.append(other)
        return found
    if definition.kind == "list":
        for given in ("given", None):
            if given not in allowed:
                other = copy.deepcopy(request)
                _set(other, fact, [] if given == "given" else None)
                found.append(other)
        return found
    if definition.kind == "boolean":
        options: list[object] = [True, False] + ([None] if definition.open else [])
    else:
        options = list(definition.value_names) + ([] if definition.required else [None])
    for value in options:
        if value in allowed or (value is None and False in allowed and not definition.open):
            continue
        other = copy.deepcopy(request)
        _set(other, fact, value)
        found.append(other)
    return found


def plain_example(flip: Flip) -> dict[str, Any]:
    """The pattern's example with every fact the pattern leaves free left out (or, for the role,
    the first one): still a request of the pattern, so it changes as the pattern says."""
    vocabulary = load_vocabulary()
    bound = {fact for fact, _, _ in flip.where}
    items = {(fact, item) for fact, item, _ in flip.where if item}
    request = copy.deepcopy(flip.example)
    for fact in vocabulary.facts:
        if fact.kind == "date" or fact.path in bound:
            continue
        if any(b.startswith(fact.path + ".") for b in bound):
            continue
        value = fact_value(request, fact.path)
        if fact.kind == "list" and value is not None and any(f == fact.path for f, _ in items):
            continue
        if fact.required:
            if fact.kind == "choice":
                _set(request, fact.path, fact.value_names[0])
            continue
        _set(request, fact.path, None)
    for path in {f for f, _ in items}:
        value = fact_value(request, path)
        if isinstance(value, list):
            _set(request, path, [v for v in value if (path, v) in items])
    return request


def _rank(outcome: str) -> int:
    return OUTCOMES.index(outcome) if outcome in OUTCOMES else -1


def _decided_elsewhere(before: str, after: str, kind: tuple[str, str]) -> bool:
    """Whether a witness (``before`` → ``after``) that does not change as ``kind`` says is decided by
    another rule: it does not change and its outcome is at least as strong as both outcomes of the
    change (a prohibition beside a change to "needs approval first") or undetermined on both sides
    where the change is between two answers (it depends on facts other rules read); or it ends as
    the change does from an outcome already stronger (another rule asked more before). Otherwise
    the changed rule does not reach it, or reaches it differently, and the condition it breaks says
    who is affected."""
    if before == after:
        if before == "undetermined":
            return "undetermined" not in kind
        ranks = [_rank(o) for o in kind if _rank(o) >= 0]
        return bool(ranks) and _rank(before) >= max(ranks)
    return after == kind[1] and _rank(kind[0]) >= 0 and _rank(before) > _rank(kind[0])


def _sentence(old: Policy, new: Policy, day: date, flip: Flip, asked: Sequence[Asked]) -> Sentence:
    """The sentence of one pattern: each of its conditions is kept when a witness (the plain example
    with that one fact outside the condition) changes differently; when the only witnesses change
    nothing, the condition is kept if the changed rule does not reach them, and said as "unless
    another rule already decides it" if another rule decides them on both sides; when every request
    without it changes alike (or none is valid), it is left out."""
    kind = (flip.delta.old_outcome, flip.delta.new_outcome) if flip.delta else ("", "")
    kept: list[Condition] = []
    unless: list[Condition] = []
    example = plain_example(flip)
    if (outcome_of(old, example, day), outcome_of(new, example, day)) != kind:
        example = flip.example  # a fact left out was not one the pattern leaves free after all
    base = example
    for words, (fact, item, allowed) in zip(flip.pattern, flip.where):
        matters: list[Condition] = []  # witnesses the changed rule leaves alone or changes differently
        elsewhere: list[Condition] = []  # witnesses another rule decides
        for other in _neighbours(example, fact, item, allowed):
            before, after = outcome_of(old, other, day), outcome_of(new, other, day)
            if before is None or after is None or (before, after) == kind:
                continue
            condition = Condition(words, fact, item, allowed, other, before, after)
            (elsewhere if _decided_elsewhere(before, after, kind) else matters).append(condition)
        if item and allowed == (False,) and (matters or elsewhere):  # "not (it is defamatory)"
            unless.append((elsewhere or matters)[0])
        elif matters:
            kept.append(min(matters, key=lambda c: c.witness_old == c.witness_new))  # a different change first
        elif elsewhere:
            unless.append(elsewhere[0])
    # "the request says (audience)" goes without saying beside "it reaches a student"
    named = {c.fact for c in (*kept, *unless) if c.item and True in c.values}
    kept = [c for c in kept if c.item or c.fact not in named or load_vocabulary()[c.fact].kind != "list"]
    unless = [c for c in unless if c.item or c.fact not in named or load_vocabulary()[c.fact].kind != "list"]
    where = [(c.fact, c.item, c.values) for c in (*kept, *unless)]
    covers = []
    example_words = ""
    for question in asked:
        if matches(where, question.request) and (
                outcome_of(old, question.request, day), outcome_of(new, question.request, day)) == kind:
            covers.append(question.id)
            if not example_words:
                example, example_words = question.request, question.words
    return Sentence(kind[0], kind[1], tuple(kept), tuple(unless), example,
                    example_words or request_words(example), tuple(covers), flip.count, base)


def sentences(old: Policy, new: Policy, day: date, flips: Sequence[Flip], asked: Sequence[Asked],
              changed: Sequence[ChangedQuestion] = ()) -> list[Sentence]:
    """Who is affected, per kind of outcome change: first the patterns that hold a changed
    question, then the largest; at most ``SENTENCES_PER_KIND`` per kind and ``SENTENCES`` in all,
    the ones covering most questions first."""
    kinds: dict[tuple[str, str], list[Flip]] = defaultdict(list)
    for flip in flips:
        if flip.outcome_changed and flip.delta is not None:
            kinds[(flip.delta.old_outcome, flip.delta.new_outcome)].append(flip)
    for group in kinds.values():
        group.sort(key=lambda f: -f.count)
    holding: dict[tuple[str, str], list[Flip]] = defaultdict(list)
    for question in changed:
        for flip in kinds.get((question.old, question.new), ()):
            if matches(flip.where, question.asked.request):
                if flip not in holding[(question.old, question.new)]:
                    holding[(question.old, question.new)].append(flip)
                break
    made: dict[tuple[str, str], list[Sentence]] = defaultdict(list)
    for kind, group in kinds.items():
        for flip in [*holding.get(kind, ()), *group]:
            if len(made[kind]) >= SENTENCES_PER_KIND:
                break
            if any(matches([(c.fact, c.item, c.values) for c in (*s.conditions, *s.unless)], flip.example)
                   for s in made[kind]):
                continue
            sentence = _sentence(old, new, day, flip, asked)
            if made[kind] and not sentence.covers:
                break  # a second sentence of a kind is written only for questions the first leaves out
            made[kind].append(sentence)
    firsts = sorted((group[0] for group in made.values()), key=lambda s: (-len(s.covers), -s.requests))
    seconds = sorted((s for group in made.values() for s in group[1:]), key=lambda s: (-len(s.covers), -s.requests))
    chosen = (firsts + seconds)[:SENTENCES]
    return sorted(chosen, key=lambda s: (-len(s.covers), -s.requests))


def witness_change(base: Mapping[str, Any], witness: Mapping[str, Any]) -> str:
    """How a witness differs from the request it varies, in words: "“it is a phone call” instead of
    “it goes by text message”"."""
    before, after = request_words(base).split("; "), request_words(witness).split("; ")
    added = [w for w in after if w not in before]
    removed = [w for w in before if w not in after]
    if added and removed:
        return f"{' and '.join(f'“{w}”' for w in added)} instead of {' and '.join(f'“{w}”' for w in removed)}"
    if added:
        return " and ".join(f"“{w}”" for w in added)
    return "no " + " and no ".join(f"“{w}”" for w in removed) if removed else "the same words"


def request_words(request: Mapping[str, Any]) -> str:
    """A request in the phrasebook's words: "I am a teacher; I send a message; it goes by text message"."""
    book = {(p.fact, p.value): p.text for p in load_phrasebook().phrases}
    words = []
    for fact in load_vocabulary().facts:
        if fact.kind == "date":
            continue
        value = fact_value(request, fact.path)
        if value is None:
            continue
        if fact.kind == "object":
            if (fact.path, None) in book:
                words.append(book[(fact.path, None)])
        elif fact.kind == "list":
            words += [book.get((fact.path, v), f"{fact.path} has {v}") for v in _listed(value)]
        elif fact.kind == "boolean":
            if value:
                words.append(book.get((fact.path, True), fact.path))
        else:
            words.append(book.get((fact.path, value), f"{fact.path} is {value}"))
    return "; ".join(words)

"""What a change does, in the words a board member reads: the everyday questions whose answers
change, then who is affected as a few plain sentences, each with an example and a witness for
every condition it names; the exhaustive patterns of ``authoring.diff`` follow as the detail.

For every compared date (today and each later effective date on either side):

* **Questions.** Every question of the corpus (``questions/``) and every scenario (``features/``)
  is asked of both sides as of that date (a question's own ``as_of`` is replaced by the date); the
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

from policykit.authoring import diff
from policykit.authoring.phrases import load_phrasebook
from policykit.core.api import Policy
from policykit.core.errors import PolicyError, RequestError
from policykit.core.request import fact_value
from policykit.core.vocabulary import load_vocabulary

#: Sentences written for one kind of change at most; the other patterns of that kind are in the detail.
SENTENCES_PER_KIND = 2
#: Sentences written for one date at most.
SENTENCES = 8
#: Changed questions listed per date in the summary; all of them are in the JSON and the detail.
QUESTIONS_SHOWN = 25
#: The most bytes of Markdown above the folds (fewer questions and sentences are listed there to fit).
SUMMARY_BYTES = 8_000
#: The most characters of the whole Markdown: a pull-request comment holds at most 65,536.
COMMENT_CHARACTERS = 60_000


@dataclass(frozen=True)
class Asked:
    """An everyday question: from the corpus or a scenario, in its own words, with its request."""

    source: str  # "question" or "scenario"
    id: str  # the corpus id, or the scenario's file:line
    words: str
    request: dict


@dataclass(frozen=True)
class ChangedQuestion:
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
    values: tuple
    witness: dict
    witness_old: str
    witness_new: str


@dataclass(frozen=True)
class Sentence:
    """Who is affected by one kind of change: the conditions that matter, an example, a size."""

    old: str
    new: str
    conditions: tuple[Condition, ...]
    unless: tuple[Condition, ...]  # "unless another rule already decides it"
    example: dict
    example_words: str
    covers: tuple[str, ...]  # ids of the corpus questions and scenarios it covers
    requests: int  # the pattern's count of requests, for the detail
    base: dict  # the request of the pattern each witness varies in one fact

    def words(self) -> str:
        """The sentence in plain words: "When I send a message, and it reaches a student, the answer
        “allowed, but discouraged” becomes “prohibited”, unless another rule already decides it"."""
        said = ", and ".join(c.words for c in self.conditions) or "any request is asked"
        text = f"When {said}, the answer “{outcome_words(self.old)}” becomes “{outcome_words(self.new)}”"
        return text + (", unless another rule already decides it" if self.unless else "")


@dataclass(frozen=True)
class DatedReview:
    """Everything about one compared date."""

    day: date
    today: bool
    report: diff.PolicyDiff
    questions: tuple[ChangedQuestion, ...]
    asked: int  # how many questions and scenarios were asked
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Review:
    old: str
    new: str
    dates: tuple[DatedReview, ...]
    errors: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """The whole review as JSON data: every compared date, with the same content as the Markdown."""
        reports = [d.report.to_dict() for d in self.dates]
        return {
            "old": self.old, "new": self.new,
            "dates": [{
                "date": d.day.isoformat(), "today": d.today,
                "clauses": report["clauses"],
                "questions": {"asked": d.asked, "changed": len(d.questions),
                              "list": [{"source": q.asked.source, "id": q.asked.id, "question": q.asked.words,
                                        "request": q.asked.request, "old": q.old, "new": q.new}
                                       for q in d.questions]},
                "sentences": [{"sentence": s.words(), "old": s.old, "new": s.new,
                               "conditions": [_condition_dict(c) for c in s.conditions],
                               "unless": [_condition_dict(c) for c in s.unless],
                               "example": s.example, "example_words": s.example_words,
                               "covers": list(s.covers), "size": len(s.covers), "requests": s.requests,
                               "base": s.base}
                              for s in d.sentences],
                "impact": report["impact"],
            } for d, report in zip(self.dates, reports)],
            "outcome_changed": sum(d.report.outcome_changes for d in self.dates),
            "errors": list(self.errors),
        }


def _condition_dict(condition: Condition) -> dict[str, object]:
    return {"words": condition.words, "fact": condition.fact, "item": condition.item,
            "values": list(condition.values), "witness": condition.witness,
            "witness_old": condition.witness_old, "witness_new": condition.witness_new}


# --- the everyday questions -------------------------------------------------------------------


def everyday_questions(questions: Path | None = None, features: Path | None = None,
                       clause_ids: Sequence[str] = ()) -> list[Asked]:
    """The question corpus and the scenarios, each with its request (its own date removed)."""
    from policykit.authoring.questions import all_questions, load_questions
    from policykit.authoring.scenarios import read_features
    from policykit.core.paths import default_features_dir

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


def _outcome(policy: Policy, request: dict, day: date) -> str | None:
    try:
        return policy.decide(request, as_of=day).outcome
    except RequestError:
        return None


def changed_questions(old: Policy, new: Policy, day: date, asked: Sequence[Asked]) -> list[ChangedQuestion]:
    """The questions whose outcome differs between the sides as of ``day``."""
    found = []
    for question in asked:
        before, after = _outcome(old, question.request, day), _outcome(new, question.request, day)
        if before is not None and after is not None and before != after:
            found.append(ChangedQuestion(question, before, after))
    return found


# --- sentences ----------------------------------------------------------------------------------


def matches(where: Sequence[tuple[str, str, tuple]], request: Mapping) -> bool:
    """Whether a request meets every condition ``(fact, list item or "", the states allowed)`` of a
    pattern (``Flip.where``) or a sentence."""
    vocabulary = load_vocabulary()
    for fact, item, allowed in where:
        value = fact_value(request, fact)
        kind = vocabulary[fact].kind
        if item:
            if (item in (value or [])) not in allowed:
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


def _set(request: dict, path: str, value: object) -> None:
    *parents, leaf = path.split(".")
    target = request
    for part in parents:
        target = target.setdefault(part, {})
    if value is None:
        target.pop(leaf, None)
    else:
        target[leaf] = value


def _neighbours(request: dict, fact: str, item: str, allowed: tuple) -> list[dict]:
    """Requests like ``request`` but for one fact, whose state is outside ``allowed``."""
    vocabulary = load_vocabulary()
    definition = vocabulary[fact]
    found = []
    if item:
        for state in (True, False):
            if state in allowed:
                continue
            other = copy.deepcopy(request)
            items = [v for v in (fact_value(other, fact) or []) if v != item] + ([item] if state else [])
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
        for state in ("given", None):
            if state not in allowed:
                other = copy.deepcopy(request)
                _set(other, fact, [] if state == "given" else None)
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


def plain_example(flip: diff.Flip) -> dict:
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
    for fact in {f for f, _ in items}:
        value = fact_value(request, fact)
        if isinstance(value, list):
            _set(request, fact, [v for v in value if (fact, v) in items])
    return request


def _rank(outcome: str) -> int:
    from policykit.core.model import OUTCOMES

    return OUTCOMES.index(outcome) if outcome in OUTCOMES else -1


def _decided_elsewhere(before: str, after: str, kind: tuple[str, str]) -> bool:
    """Whether a witness (``before`` → ``after``) that does not change as ``kind`` says is decided by
    another rule: it does not change and its outcome is at least as strong as both outcomes of the
    change (a prohibition beside a change to "needs approval first") or undetermined on both sides
    where the change is between two answers (it depends on facts other rules read); or it ends as the change does from an outcome already
    stronger (another rule asked more before). Otherwise the changed rule does not reach it, or
    reaches it differently, and the condition it breaks says who is affected."""
    if before == after:
        if before == "undetermined":
            return "undetermined" not in kind
        ranks = [_rank(o) for o in kind if _rank(o) >= 0]
        return bool(ranks) and _rank(before) >= max(ranks)
    return after == kind[1] and _rank(kind[0]) >= 0 and _rank(before) > _rank(kind[0])


def _sentence(old: Policy, new: Policy, day: date, flip: diff.Flip, asked: Sequence[Asked]) -> Sentence:
    """The sentence of one pattern: each of its conditions is kept when a witness (the plain example
    with that one fact outside the condition) changes differently; when the only witnesses change
    nothing, the condition is kept if the changed rule does not reach them, and said as "unless
    another rule already decides it" if another rule decides them on both sides; when every request
    without it changes alike (or none is valid), it is left out."""
    kind = (flip.delta.old_outcome, flip.delta.new_outcome) if flip.delta else ("", "")
    kept: list[Condition] = []
    unless: list[Condition] = []
    example = plain_example(flip)
    if (_outcome(old, example, day), _outcome(new, example, day)) != kind:
        example = flip.example  # a fact left out was not one the pattern leaves free after all
    base = example
    for words, (fact, item, allowed) in zip(flip.pattern, flip.where):
        matters: list[Condition] = []  # witnesses the changed rule leaves alone or changes differently
        elsewhere: list[Condition] = []  # witnesses another rule decides
        for other in _neighbours(example, fact, item, allowed):
            before, after = _outcome(old, other, day), _outcome(new, other, day)
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
                _outcome(old, question.request, day), _outcome(new, question.request, day)) == kind:
            covers.append(question.id)
            if not example_words:
                example, example_words = question.request, question.words
    return Sentence(kind[0], kind[1], tuple(kept), tuple(unless), example,
                    example_words or request_words(example), tuple(covers), flip.count, base)


def sentences(old: Policy, new: Policy, day: date, flips: Sequence[diff.Flip], asked: Sequence[Asked],
              changed: Sequence[ChangedQuestion] = ()) -> list[Sentence]:
    """Who is affected, per kind of outcome change: first the patterns that hold a changed
    question, then the largest; at most ``SENTENCES_PER_KIND`` per kind and ``SENTENCES`` in all,
    the ones covering most questions first."""
    kinds: dict[tuple[str, str], list[diff.Flip]] = defaultdict(list)
    for flip in flips:
        if flip.outcome_changed and flip.delta is not None:
            kinds[(flip.delta.old_outcome, flip.delta.new_outcome)].append(flip)
    for group in kinds.values():
        group.sort(key=lambda f: -f.count)
    holding: dict[tuple[str, str], list[diff.Flip]] = defaultdict(list)
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


def _changed(base: Mapping, witness: Mapping) -> str:
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


def request_words(request: Mapping) -> str:
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
            words += [book.get((fact.path, v), f"{fact.path} has {v}") for v in value]
        elif fact.kind == "boolean":
            if value:
                words.append(book.get((fact.path, True), fact.path))
        else:
            words.append(book.get((fact.path, value), f"{fact.path} is {value}"))
    return "; ".join(words)


# --- the whole review ---------------------------------------------------------------------------


def review(old: diff.Side, new: diff.Side, *, questions: Path | None = None, features: Path | None = None,
           ahead: bool = True) -> Review:
    """The review of a change: each compared date's diff, changed questions and sentences. With
    ``ahead`` (the default for revisions) today and every later effective date on either side are
    compared; otherwise the sides' own date only."""
    days = diff.comparison_dates(old, new) if ahead else [old.day]
    clause_ids = [c.id for c in new.policy.document.clauses]
    asked = everyday_questions(questions, features, clause_ids)
    dated = []
    errors: tuple[str, ...] = ()
    for index, day in enumerate(days):
        report = diff.diff(diff.Side(old.label, old.policy, day), diff.Side(new.label, new.policy, day))
        errors = errors or report.errors
        changed = changed_questions(old.policy, new.policy, day, asked) if report.changes else []
        said = sentences(old.policy, new.policy, day, report.flips, asked, changed) if report.changes else []
        dated.append(DatedReview(day, index == 0 and ahead, report, tuple(changed), len(asked), tuple(said)))
    return Review(old.label, new.label, tuple(dated), tuple(errors))


# --- Markdown, for a pull request -----------------------------------------------------------------


def outcome_words(outcome: str) -> str:
    from policykit.publishing.site import OUTCOME_WORDS

    return OUTCOME_WORDS[outcome].lower()


def date_heading(dated: DatedReview) -> str:
    return f"Today, {dated.day.isoformat()}" if dated.today else f"From {dated.day.isoformat()}"


def compared(reviewed: Review) -> str:
    """The compared dates in words: "today (2026-06-01), 2027-09-01"."""
    return ", ".join(f"today ({d.day.isoformat()})" if d.today else d.day.isoformat() for d in reviewed.dates)


def question_line(dated: DatedReview) -> str:
    return (f"**{len(dated.questions)} of {dated.asked} questions change** (the question corpus and the scenarios, "
            f"each asked as of {dated.day.isoformat()}).")


def sentence_example(sentence: Sentence) -> str:
    size = len(sentence.covers)
    covered = "none" if not size else f"{size}"
    return f"For example: “{sentence.example_words}” (it covers {covered} of the questions and scenarios asked)."


def to_markdown(reviewed: Review, budget: int = SUMMARY_BYTES, limit: int = COMMENT_CHARACTERS) -> str:
    """The review for a pull request: per compared date, the questions that change and who is
    affected above the fold; the clauses' redlines; the rest folded (``<details>``). The part
    above the folds is kept within ``budget`` bytes by listing fewer questions and sentences
    there (the detail always lists them all), and the whole within ``limit`` characters by listing
    fewer of the exact patterns in the detail (all are counted; ``--format json`` lists every one)."""
    shown = (QUESTIONS_SHOWN, SENTENCES)
    while True:
        parts = _markdown(reviewed, *shown)
        summary = sum(len(part.encode()) for folded, part in parts if not folded)
        if summary <= budget or shown == (0, 1):
            break
        shown = (max(0, shown[0] - 5), shown[1]) if shown[0] > 5 else (0, max(1, shown[1] - 1))
    patterns = diff.SHOWN
    while patterns > 0 and sum(len(part) for _, part in parts) > limit:
        patterns = patterns // 2 if patterns > 4 else 0
        parts = _markdown(reviewed, *shown, patterns)
    return "".join(part for _, part in parts)


def _markdown(reviewed: Review, questions_shown: int, sentences_shown: int,
              patterns_shown: int = diff.SHOWN) -> list[tuple[bool, str]]:
    """The report as parts, each marked folded (inside ``<details>``) or not."""
    lines = [f"## Policy changes: {reviewed.old} → {reviewed.new}", "",
             f"Compared as in force on: {compared(reviewed)}.", ""]
    lines += diff._errors(reviewed.errors)
    if not any(d.report.changes for d in reviewed.dates):
        return [(False, "\n".join(lines + ["No clause text or rule changes on any of these dates.", ""]))]
    parts: list[tuple[bool, str]] = []
    for dated in reviewed.dates:
        report = dated.report
        lines += [f"### {date_heading(dated)}", ""]
        if not report.changes:
            lines += ["No clause text or rule changes.", ""]
            continue
        lines += [question_line(dated), ""]
        if dated.questions and questions_shown:
            lines += ["| question | before | after |", "|---|---|---|"]
            for q in dated.questions[:questions_shown]:
                lines.append(f"| {diff._cell(q.asked.words)} | {outcome_words(q.old)} | {outcome_words(q.new)} |")
            if len(dated.questions) > questions_shown:
                lines.append(f"| … and {len(dated.questions) - questions_shown} more (in the detail below) | | |")
            lines.append("")
        elif dated.questions:
            lines += ["Every changed question is listed in the detail below.", ""]
        if dated.sentences:
            lines += ["**Who is affected**", ""]
            lines += [f"- {s.words()}. {sentence_example(s)}" for s in dated.sentences[:sentences_shown]]
            if len(dated.sentences) > sentences_shown:
                lines.append(f"- … and {len(dated.sentences) - sentences_shown} more (in the detail below).")
            lines.append("")
        lines += [f"**Clauses** ({len(report.changes)} changed)", ""]
        for change in report.changes:
            since = f", in force from {change.effective.isoformat()}" if change.effective else ""
            lines += [f"- **{change.title}** (`{change.clause}`, {change.status}{since})"]
            if change.redline:
                lines += [f"  > {change.redline}"]
        lines += ["", f"Every possible request was compared: {len(report.flips):,} exact patterns, counted in the "
                      "detail.", ""]
        parts.append((False, "\n".join(lines) + "\n"))
        parts.append((True, "\n".join(_detail(dated, patterns_shown)) + "\n"))
        lines = []
    if lines:
        parts.append((False, "\n".join(lines) + "\n"))
    return parts


def impact_line(report: diff.PolicyDiff) -> str:
    """The exhaustive count, in one sentence."""
    return (f"Over every possible request, the outcome changes for {report.outcome_changes:,} of "
            f"{report.requests:,}; for {report.other_changes:,} more only the reasons, duties or notices change "
            f"({len(report.flips):,} exact patterns in the detail).")


def _detail(dated: DatedReview, patterns_shown: int = diff.SHOWN) -> list[str]:
    """The folded part of one date: the rule lines, every changed question, each sentence with the
    witness of each of its conditions, and the exhaustive patterns."""
    report = dated.report
    lines = [f"<details><summary>Detail for {dated.day.isoformat()}: rule changes, every changed question, "
             f"each sentence's conditions and witnesses, and every request that changes</summary>", ""]
    for change in report.changes:
        if change.rule_removed or change.rule_added or change.corrections:
            lines += [f"#### {change.title} (`{change.clause}`)", ""]
            lines += [f"- rule no longer: {case}" for case in change.rule_removed]
            lines += [f"- rule now: {case}" for case in change.rule_added]
            lines += [f"- {n.kind} correction of {n.date.isoformat()} (version of {n.effective.isoformat()}): "
                      f"{n.reason}" for n in change.corrections]
            lines.append("")
    if dated.questions:
        lines += [f"#### Every changed question ({len(dated.questions)})", ""]
        lines += [f"- {q.asked.words} (`{q.asked.id}`): {outcome_words(q.old)} → {outcome_words(q.new)}"
                  for q in dated.questions]
        lines.append("")
    for number, sentence in enumerate(dated.sentences, 1):
        lines += [f"#### Who is affected, sentence {number}", "", f"{sentence.words()}.", "",
                  f"{sentence_example(sentence)} Its exact pattern holds {sentence.requests:,} requests.", ""]
        base = request_words(sentence.base)
        lines.append(f"Each condition's witness is this request of the pattern with one fact changed: {base}.")
        lines.append("")
        for c in sentence.conditions:
            lines.append(f"- {c.words}; without it, with {_changed(sentence.base, c.witness)}: "
                         f"{outcome_words(c.witness_old)} → {outcome_words(c.witness_new)}")
        alike: dict[tuple[str, str], list[Condition]] = defaultdict(list)
        for c in sentence.unless:
            alike[(c.witness_old, c.witness_new)].append(c)
        for (before, after), group in alike.items():
            lines.append(f"- unless another rule already decides it: {'; '.join(c.words for c in group)}; "
                         f"without any one of these, with {' or '.join(_changed(sentence.base, c.witness) for c in group)}"
                         f": {outcome_words(before)} → {outcome_words(after)}")
        if sentence.covers:
            lines.append(f"- it covers: {', '.join(f'`{i}`' for i in sentence.covers)}")
        lines.append("")
    body = diff.to_markdown(diff.PolicyDiff(report.old, report.new, report.changes, report.facts, report.requests,
                                            report.flips, report.notes), patterns_shown)
    decisions = body[body.index("### Decisions that change"):] if "### Decisions that change" in body else ""
    lines += [decisions.replace("### ", "#### ").rstrip(), "", "</details>", ""]
    return lines

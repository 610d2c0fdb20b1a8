"""Every decision that changes, as exact patterns: the search's cubes grouped by delta, merged
where they agree, each with its conditions in words, its count and an example."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from policykit.authoring.diff.delta import Delta, Flip
from policykit.authoring.diff.search import MAX_STEPS, ImpactSearch, SpaceTooLarge
from policykit.authoring.diff.sides import Side
from policykit.authoring.diff.space import (
    Cube, Weigher, WhereWords, example_of, mentioned_bits, merge_cubes, request_units, shapes_of, where_of,
)
from policykit.authoring.words import OUTCOME_WORDS


#: Cubes of one delta merged pairwise (beyond the merging of sibling cubes during the walk) when
#: there are at most this many: the pairwise merge is quadratic.
MERGE_LIMIT = 400


def _side_words(delta: Delta, titles: Mapping[str, str], old: bool) -> str:
    """One side of a pattern in words: its outcome, then the reasons, obligations and notices only
    it has ("also under" when the outcome is the same on both sides)."""
    outcome = delta.old_outcome if old else delta.new_outcome
    reasons = delta.old_reasons if old else delta.new_reasons
    obligations = delta.old_obligations if old else delta.new_obligations
    notices = delta.old_notices if old else delta.new_notices
    text = OUTCOME_WORDS[outcome].lower()
    if reasons:
        names = ", ".join(f"“{titles.get(r, r)}”" for r in reasons)
        text += f", also under {names}" if not delta.outcome_changed else f" (under {names})"
    for _, words, met in obligations:
        state = {"met": "done", "unmet": "not done", "open": "provided it is done"}[met]
        text += f"; you must {words.rstrip('.')} ({state})"
    for _, words in notices:
        text += f"; you are told: {words.rstrip('.')}"
    return text


class Impact(NamedTuple):
    """The decisions that change: the facts that had to be settled, the size of the space, the
    patterns, and notes."""

    facts: tuple[str, ...]
    requests: int
    flips: tuple[Flip, ...]
    notes: tuple[str, ...]


NO_IMPACT = Impact((), 0, (), ())


def impact(old: Side, new: Side, fixed: Mapping[str, Sequence[object]] | None = None,
           limit: int = MAX_STEPS) -> Impact:
    """Every request of the request space whose outcome, reasons, obligations or notices differ
    between the sides, grouped into exact patterns. ``fixed`` restricts facts to the states listed (JSON values,
    None for "not given", True/False for whether a site is involved)."""
    old_program, new_program = old.policy.program(old.day), new.policy.program(new.day)
    titles = {c.id: c.title for c in (*old.policy.document.clauses, *new.policy.document.clauses)}
    units = request_units(old_program.layout, mentioned_bits(old_program, new_program), fixed or {})
    try:
        leaves, settled = ImpactSearch(old_program, new_program, units, limit).run()
    except SpaceTooLarge:
        raise ValueError(f"the change reaches more than {limit:,} distinct cases of requests; split it into "
                         "smaller pull requests, or compare it on explicit dates") from None
    weigh, shapes = Weigher(units), shapes_of(units)
    known: WhereWords = {}
    size = weigh({})
    groups: dict[Delta, list[Cube]] = defaultdict(list)
    for leaf in leaves:
        groups[leaf.delta].append(leaf.cube)
    flips: list[Flip] = []
    for delta, cubes in groups.items():
        words_before, words_after = _side_words(delta, titles, old=True), _side_words(delta, titles, old=False)
        for cube in (merge_cubes(cubes) if len(cubes) <= MERGE_LIMIT else cubes):
            where = where_of(units, cube, known)
            flips.append(Flip(tuple(w for w, _ in where), tuple(c for _, c in where), words_before, words_after,
                              weigh(cube), example_of(units, cube, shapes), delta.outcome_changed, delta))
    flips.sort(key=lambda f: (not f.outcome_changed, -f.count, f.old, f.new, f.pattern))
    facts = tuple(dict.fromkeys(units[i].fact for i in sorted(settled)))
    return Impact(facts, size, tuple(flips), ())

"""What an edit to the policy does: clause text as a word-level redline, rule changes in the
phrasebook's words, corrections checked, and every decision that changes, found exhaustively over
the whole request space on the compiled engine.

A side of a diff is a policy and a date: a directory of policy files, a git revision of the
project's own ``policy/``, or a date (the project's policy as in force on that day).

How the impact is exhaustive without deciding every request: a request is encoded as bits
(``core.compiler``), and both sides' compiled programs are evaluated together while the facts
of a request are settled one at a time, each only when some rule case (term) could still change
the *delta*: what differs between the two verdicts (``Delta``). Each cube of requests so reached
has one delta, taken from one request of it through ``engine.evaluate`` on both sides; counts are
exact counts of requests of the full space (by meaning: a closed fact left out is the same
request as its "no"; values no rule of either side names collapse into one state counted with
its weight), and each reported pattern is a union of cubes with the same delta, merged only
where they agree, so every request matching it changes exactly as it says.

When a term can stop mattering (the rules of ``terms.alike`` and ``terms.delta_bit``), with *common* cases
being those on both sides with the same clause, terms and yields, hence the same truth on both
sides for every request:

* a false term never matters again; a changed case (not common) whose outcome is weaker than
  one already true on its side, and which yields no obligation or notice, can neither decide,
  be at stake nor be a reason;
* when the changed cases left are settled and pair off one to one (same yields, both true or
  both unknown), both verdicts are equal: no change, whatever the common terms;
* each side's outcome must be fixed: determined at rank m when every term above m is false,
  undetermined when a term surely unknown outranks every term that could still be true; until
  then the strongest open term is settled (so prohibitions are settled one after another until
  one holds: a chain, not every combination);
* a common term cited the same way on both sides cancels: same determined outcome (true terms
  of that rank), or both undetermined with the same least best rank and only common terms able
  to raise it (the same best on both sides), or its rank above both sides' highest possible best
  (unknown terms of it are at stake on both) or at most both sides' least (never at stake). A
  clause's reason difference is fixed when it is surely a reason through a shared term, or
  its own terms on each side are settled alike, or settled differently with no shared term
  possible. When the outcome changes, only the changed clauses' reasons are kept (the other
  reasons of each outcome vary within a pattern and are not part of its delta);
* obligations and notices of common cases cancel; a changed case that yields one must be
  settled, and so must its settling fact (met, unmet or open) unless an identical item with the
  same settling fact cancels it on the other side; outcome-triggered cases follow each side's
  determined outcome;
* a value read as another (``x-read-as``) is settled only after the fact that decides it.

Subtrees are memoized by their residue (the terms not false, with their possible states and the
bits they still read, the settling facts, and which units those bits belong to are free): the
same residual question reached through values no rule still reads is explored once.

``--format json``: each pattern's ``old`` and ``new`` are its sides in words; ``delta`` holds the
same as data: ``old_outcome``/``new_outcome``; ``old_reasons``/``new_reasons`` (clause ids): when
the outcome stays, the reasons only that side has, when it changes, that side's reasons among
the clauses whose rule cases changed; ``old_obligations``/``new_obligations`` ([clause, text,
met]) and ``old_notices``/``new_notices`` ([clause, text]): what only that side has, as
multisets. ``when``/``where`` are the pattern's conditions, ``count`` its requests, ``example``
one of them.

The package by job: ``sides`` (a policy directory, a git revision, a date), ``clauses`` (redlines,
rule changes, corrections), ``delta`` (what differs between two verdicts; patterns; the report's
data), ``space`` (the request space as units), ``terms`` (the seam onto the compiled engine and
the rules above), ``search`` (the impact search), ``impact`` (the patterns), ``report`` (the
whole diff and its Markdown)."""

from policykit.authoring.diff.clauses import ClauseChange, CorrectionNote, check_corrections, clause_changes
from policykit.authoring.diff.delta import Delta, Flip, PolicyDiff, VerdictKey, delta_of, verdict_key
from policykit.authoring.diff.impact import MERGE_LIMIT, Impact, impact
from policykit.authoring.diff.report import (
    SHOWN, cell, diff, diff_ahead, errors_markdown, to_markdown, to_markdown_ahead,
)
from policykit.authoring.diff.search import MAX_STEPS, SpaceTooLarge
from policykit.authoring.diff.sides import Side, comparison_dates, resolve_side
from policykit.authoring.diff.space import Where

__all__ = [
    "MAX_STEPS", "MERGE_LIMIT", "SHOWN", "ClauseChange", "CorrectionNote", "Delta", "Flip", "Impact", "PolicyDiff",
    "Side", "SpaceTooLarge", "VerdictKey", "Where", "cell", "check_corrections", "clause_changes",
    "comparison_dates", "delta_of", "diff", "diff_ahead", "errors_markdown", "impact", "resolve_side", "to_markdown",
    "to_markdown_ahead", "verdict_key",
]

"""The pure decision function (docs/semantics.md): no clock, no I/O, no logging.

``evaluate`` takes a compiled program, an encoded request (``true`` and ``unknown`` bitsets),
and returns a ``Verdict``; ``decide`` adds the date the question is about and an id to make a
``Decision``:

* every case whose condition is true contributes its outcome, obligation and notice;
* the outcome is the strongest true outcome (``permitted`` when none);
* if no case whose condition is *unknown* would yield a stronger outcome, that is the answer
  (exact: a true case stays true whatever the missing facts are);
* otherwise ``stakes.analyse`` reads the request exactly over its completions (every value the
  missing facts can take): when they all give one outcome, that is the outcome (possibly
  stronger than any true case's, with the at-stake cases yielding it as reasons); else the
  decision is ``undetermined``, ``possible_outcomes`` are the completions' outcomes,
  ``missing_facts`` exactly the facts whose value alone can change the outcome, and the reasons
  the clauses of the at-stake cases some completion makes true;
* cases triggered by the outcome (``on_outcome``) are added once the outcome is known;
* a determined verdict depends only on its pattern (the deciding and effect terms that are true,
  the settling facts' states, the values read as others), so the program keeps one per pattern
  met (``Program.verdicts``, at most ``VERDICT_TABLE_LIMIT``) and assembles the others;
* an obligation of a mandatory clause known to be unmet (``met: false``) yields
  ``requires_approval`` through its compiled unmet case; one whose state is unknown
  (``met: null``) is listed and never changes the outcome;
* every reason, obligation and notice carries its clause's interpretation, and the explanation
  says what must be done first, what the answer assumes ("provided you …"), when a value was
  read as another (``x-read-as``), and when the answer rests on a reading awaiting the board.
"""

from __future__ import annotations

from policykit.core.compiler import Program
from policykit.core.decision import Decision, Notice, Obligation, PolicyStamp, Reason, Verdict
from policykit.core.model import OUTCOMES
from policykit.core.stakes import Stakes, analyse

VERDICT_TABLE_LIMIT = 4096
"""The most verdict patterns one program remembers (``Program.verdicts``); past it, verdicts are
assembled each time."""

OUTCOME_PHRASES = {
    "permitted": "This is permitted",
    "discouraged": "This is allowed but discouraged",
    "requires_approval": "This is not allowed until approved",
    "prohibited": "This is prohibited",
}


def _members(mask: int, term_case: tuple[int, ...]) -> list[int]:
    """The case indexes of the terms in ``mask``, in order, each once."""
    found: list[int] = []
    while mask:
        low = mask & -mask
        case = term_case[low.bit_length() - 1]
        if not found or found[-1] != case:  # a case's terms are adjacent
            found.append(case)
        mask ^= low
    return found


def packed_states(program: Program, state: int) -> int:
    """Every term's state, packed: the false terms in the low ``term_count`` bits and the terms
    that are not true above them, for a request's ``true | unknown << unknown_shift``."""
    packed = 0
    for mask, table in program.slices:
        packed |= table[state & mask]
    return packed


def term_states(program: Program, true: int, unknown: int) -> tuple[int, int]:
    """Every term's Kleene state at once, as two masks: the true terms and the unknown ones
    (the rest are false). OR-ing the slices' precomputed entries does it."""
    packed = packed_states(program, true | unknown << program.unknown_shift)
    terms = program.all_terms
    not_true = packed >> program.term_count
    return terms & ~not_true, not_true & ~packed & terms


def outcome_rank(program: Program, true: int, unknown: int) -> int:
    """Only the outcome of an encoded request, as its rank in ``OUTCOMES`` (-1: undetermined):
    what ``evaluate`` decides, without building reasons, obligations, notices or words."""
    true_terms, unknown_terms = term_states(program, true, unknown)
    rank_terms = program.rank_terms
    best = 3
    while best and not true_terms & rank_terms[best]:
        best -= 1
    at_stake = unknown_terms & program.above[best]
    if at_stake:
        return analyse(program, true, unknown, best, at_stake).rank
    return best


def decide(program: Program, true: int, unknown: int, as_of: str, decision_id: str, reread: int = 0) -> Decision:
    """Decide an encoded request against ``program``."""
    return Decision(evaluate(program, true, unknown, reread),
                    PolicyStamp(program.policy_id, program.revision, program.digest, as_of), decision_id)


def evaluate(program: Program, true: int, unknown: int, reread: int = 0) -> Verdict:
    """The verdict of ``program`` on an encoded request; ``reread`` has bit ``i`` set when the
    request's value was read as another by the layout's ``i``-th ``x-read-as`` rule."""
    state = true | unknown << program.unknown_shift
    packed = packed_states(program, state)
    not_true = packed >> program.term_count
    true_terms = program.all_terms & ~not_true

    rank_terms = program.rank_terms
    best = 3
    while best and not true_terms & rank_terms[best]:
        best -= 1  # permitted (0) is the default
    above = program.above[best]
    at_stake = above and not_true & ~packed & above  # the unknown terms of stronger outcomes
    if at_stake:
        return _assemble(program, true, unknown, reread, true_terms, best,
                         analyse(program, true, unknown, best, at_stake))
    # Determined by the true terms alone: the verdict is a function of the deciding and effect
    # terms that are true (which also fix the outcome: the strongest rank among them), the
    # settling facts' states and the values read as others, so one verdict serves every request
    # with that pattern (program.verdicts, filled as patterns are met).
    key = (true_terms & program.shown[best], state & program.met_mask, reread)
    table = program.verdicts
    verdict = table.get(key)
    if verdict is None:
        verdict = _assemble(program, true, unknown, reread, true_terms, best, None)
        if len(table) < VERDICT_TABLE_LIMIT:
            table[key] = verdict
    return verdict


def _assemble(program: Program, true: int, unknown: int, reread: int, true_terms: int, best: int,
              stakes: Stakes | None) -> Verdict:
    """The verdict's reasons, obligations, notices and words, once the outcome's reading is known."""
    cases = program.cases
    if stakes is not None and len(stakes.possible) > 1:
        outcome = "undetermined"
        reasons = _reasons(program, [cases[i] for i in stakes.cases])
        missing_facts = stakes.missing
        only_unmet = False
        possible = tuple(OUTCOMES[r] for r in stakes.possible)
        effects = [cases[i] for i in _members(true_terms & program.effect_terms, program.term_case)]
    else:
        if stakes is not None:  # determined by exhaustion: every completion gives this outcome
            best = stakes.possible[0]
        outcome = OUTCOMES[best]
        deciding = [cases[i] for i in _members(true_terms & program.rank_terms[best], program.term_case)]
        if stakes is not None:
            deciding += [cases[i] for i in stakes.cases if cases[i].rank == best]
        reasons = _reasons(program, deciding)
        only_unmet = bool(deciding) and all(case.unmet for case in deciding)
        missing_facts = possible = ()
        effects = [cases[i] for i in _members(true_terms & program.effect_terms, program.term_case)]
        trigger = 1 << best
        extra = [case for case in program.outcome_cases if case.on_outcome & trigger]
        if extra:
            effects = sorted(effects + extra, key=lambda case: case.order)

    obligations = tuple(
        Obligation(program.reasons[case.clause].id, case.obligation_text, _met(case.met_bit, true, unknown),
                   case.interpretation)
        for case in effects if case.obligation_text is not None)
    notices: tuple[Notice, ...] = tuple(case.notice for case in effects if case.notice is not None)
    readings = (tuple(text for i, text in enumerate(program.layout.read_as_explanations) if reread >> i & 1)
                if reread else ())
    explanation = _explain(outcome, reasons, obligations, missing_facts, possible, readings, only_unmet, notices)
    return Verdict(outcome, reasons, obligations, notices, missing_facts, possible, explanation)


def _met(met_bit: int, true: int, unknown: int) -> bool | None:
    """Whether an obligation is met: its settling fact's value, None when no fact settles it or
    the request leaves an open settling fact out."""
    if not met_bit or unknown & met_bit:
        return None
    return bool(true & met_bit)




def _reasons(program: Program, cases: list) -> tuple[Reason, ...]:
    return tuple(program.reasons[index] for index in sorted({case.clause for case in cases}))


def _titles(reasons: tuple[Reason, ...]) -> str:
    names = [f"“{r.title}” ({r.id})" for r in reasons]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _explain(outcome: str, reasons: tuple[Reason, ...], obligations: tuple[Obligation, ...],
             missing: tuple[str, ...], possible: tuple[str, ...], readings: tuple[str, ...] = (),
             only_unmet: bool = False, notices: tuple[Notice, ...] = ()) -> str:
    sentences = list(readings)
    if outcome == "undetermined":
        could = " or ".join(o.replace("_", " ") for o in possible)
        sentences.insert(0, f"The answer depends on facts the question did not give ({', '.join(missing)}): "
                            f"it could be {could}. Clauses at stake: {_titles(reasons)}.")
    elif not reasons and (obligations or notices):
        sentences.insert(0, "This is permitted; no clause restricts it, but the policy has duties or notices "
                            "that apply to it.")
    elif not reasons:
        sentences.insert(0, "Nothing in the policy restricts this, so it is permitted.")
    else:
        phrase = "This is not allowed yet" if only_unmet else OUTCOME_PHRASES[outcome]
        sentences.insert(0, f"{phrase} under {_titles(reasons)}.")
    unmet = [o.text for o in obligations if o.met is False]
    if unmet:
        sentences.append("Not yet: first " + "; and ".join(unmet) + ".")
    assumed = [o.text for o in obligations if o.met is None]
    if assumed:
        sentences.append(("This holds provided you " if outcome != "undetermined" else "In any case, provided you ")
                         + "; and ".join(assumed) + ".")
    if outcome == "requires_approval" and not unmet and any(o.met is True for o in obligations):
        sentences.append("What you had to do first is done, but approval is still pending.")
    awaiting = [r.id for r in reasons if r.interpretation is not None and r.interpretation.awaiting_board]
    if awaiting:
        sentences.append("This rests on a reading of the policy that the Board of Education has not yet "
                         f"confirmed ({', '.join(awaiting)}).")
    return " ".join(sentences)

"""The pure decision function (SPEC §4): no clock, no I/O, no logging.

``evaluate`` takes a compiled program, an encoded request (``true`` and ``unknown`` bitsets),
and returns a ``Verdict``; ``decide`` adds the date the question is about and an id to make a
``Decision``:

* every case whose condition is true contributes its outcome, obligation and notice;
* the outcome is the strongest true outcome (``permitted`` when none);
* if a case whose condition is *unknown* would yield a stronger outcome, the decision is
  ``undetermined``: ``missing_facts`` are the unknown facts those cases read and
  ``possible_outcomes`` what they could yield;
* cases triggered by the outcome (``on_outcome``) are added once the outcome is known;
* an obligation of a mandatory clause known to be unmet (``met: false``) yields
  ``requires_approval`` through its compiled unmet case; one whose state is unknown
  (``met: null``) is listed and never changes the outcome;
* every reason, obligation and notice carries its clause's interpretation, and the explanation
  says what must be done first, what the answer assumes ("provided you …"), when a value was
  read as another (``x-read-as``), and when the answer rests on a reading awaiting the board.
"""

from __future__ import annotations

import itertools

from policykit.core.compiler import Program
from policykit.core.decision import Decision, Notice, Obligation, PolicyStamp, Reason, Verdict
from policykit.core.model import OUTCOMES

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


def term_states(program: Program, true: int, unknown: int) -> tuple[int, int]:
    """Every term's Kleene state at once, as two masks: the true terms and the unknown ones
    (the rest are false). OR-ing the slices' precomputed masks does it."""
    false = not_true = 0
    shift = program.unknown_shift
    for mask, table in program.slices:
        slice_false, slice_not_true = table[(true & mask) | (unknown & mask) << shift]
        false |= slice_false
        not_true |= slice_not_true
    return program.all_terms & ~not_true, not_true & ~false


def outcome_rank(program: Program, true: int, unknown: int) -> int:
    """Only the outcome of an encoded request, as its rank in ``OUTCOMES`` (-1: undetermined):
    what ``evaluate`` decides, without building reasons, obligations, notices or words."""
    true_terms, unknown_terms = term_states(program, true, unknown)
    rank_terms = program.rank_terms
    best = 3
    while best and not true_terms & rank_terms[best]:
        best -= 1
    return -1 if unknown_terms & program.above[best] else best


def decide(program: Program, true: int, unknown: int, as_of: str, decision_id: str, reread: int = 0) -> Decision:
    """Decide an encoded request against ``program``."""
    return Decision(evaluate(program, true, unknown, reread),
                    PolicyStamp(program.policy_id, program.revision, program.digest, as_of), decision_id)


def evaluate(program: Program, true: int, unknown: int, reread: int = 0) -> Verdict:
    """The verdict of ``program`` on an encoded request; ``reread`` has bit ``i`` set when the
    request's value was read as another by the layout's ``i``-th ``x-read-as`` rule."""
    true_terms, unknown_terms = term_states(program, true, unknown)

    rank_terms = program.rank_terms
    best = 3
    while best and not true_terms & rank_terms[best]:
        best -= 1  # permitted (0) is the default
    cases = program.cases
    at_stake = unknown_terms & program.above[best]
    if at_stake:
        outcome = "undetermined"
        stake_cases = [cases[i] for i in _members(at_stake, program.term_case)]
        reasons = _reasons(program, stake_cases)
        missing_facts = _missing_facts(program, at_stake, true, unknown)
        only_unmet = False
        possible = tuple(OUTCOMES[r] for r in sorted({best, *(case.rank for case in stake_cases)}))
        effects = [cases[i] for i in _members(true_terms & program.effect_terms, program.term_case)]
    else:
        outcome = OUTCOMES[best]
        deciding = [cases[i] for i in _members(true_terms & rank_terms[best], program.term_case)]
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


ENUMERATION_LIMIT = 4096


def _missing_facts(program: Program, at_stake: int, true: int, unknown: int) -> tuple[str, ...]:
    """The unknown facts whose values could change an at-stake rule, in request-schema order.

    A fact a rule reads is listed only if it is not a dummy: some values of the other unknown
    facts exist under which changing this one changes the rule's answer. The undecided terms of
    each case are tried over every combination of the unknown facts' relevant states (each
    value a term mentions, plus "any other value"), a small space; past a safety limit every
    unknown fact read is listed instead."""
    by_case: dict[int, list[int]] = {}
    mask = at_stake
    while mask:
        low = mask & -mask
        by_case.setdefault(program.term_case[low.bit_length() - 1], []).append(low.bit_length() - 1)
        mask ^= low
    wanted: dict[int, str] = {}
    for terms in by_case.values():
        reads = {read for term in terms for read in program.term_reads[term] if read[2] & unknown}
        if len(terms) == 1:  # one undecided conjunction: every unknown fact in it can decide it
            wanted.update((order, fact) for order, fact, _ in reads)
            continue
        pairs = [program.term_pairs[term] for term in terms]
        mentioned = 0
        for positive, negative in pairs:
            mentioned |= positive | negative
        facts = sorted(reads)
        domains = [_states(fact_mask & mentioned, fact_mask, fact in program.layout.choice_facts)
                   for _, fact, fact_mask in facts]
        size = 1
        for domain in domains:
            size *= len(domain)
        if size > ENUMERATION_LIMIT:
            wanted.update((order, fact) for order, fact, _ in facts)
            continue
        answers = {}
        for choice in itertools.product(*(range(len(domain)) for domain in domains)):
            bits = true
            for domain, pick in zip(domains, choice):
                bits |= domain[pick]
            answers[choice] = _holds(pairs, bits)
        for index, (order, fact, _) in enumerate(facts):
            if _depends_on(answers, index):
                wanted[order] = fact
    return tuple(wanted[k] for k in sorted(wanted))


def _states(mentioned: int, whole: int, single: bool) -> list[int]:
    """The states of one unknown fact worth trying: for a single-valued fact each mentioned value
    and, if some value is not mentioned, one of those; for a list every subset of the mentioned values."""
    bits = []
    rest = mentioned
    while rest:
        low = rest & -rest
        bits.append(low)
        rest ^= low
    if single:
        return bits + ([0] if mentioned != whole else [])
    states = [0]
    for bit in bits:
        states += [state | bit for state in states]
    return states


def _holds(pairs: list[tuple[int, int]], true: int) -> bool:
    return any(not positive & ~true and not negative & true for positive, negative in pairs)


def _depends_on(answers: dict[tuple[int, ...], bool], index: int) -> bool:
    """Whether changing the ``index``-th fact alone ever changes the answer."""
    seen: dict[tuple[int, ...], bool] = {}
    for choice, answer in answers.items():
        if seen.setdefault(choice[:index] + choice[index + 1:], answer) != answer:
            return True
    return False


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

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
  says what must be done first, what the answer assumes ("provided you …", only when the outcome is
  allowed or needs approval: a proviso cannot change a prohibition, nor settle an undetermined
  answer), when a value was read as another (``x-read-as``), and, once, the unconfirmed readings
  the outcome rests on: those of the deciding clauses and of the obligations it states, and for
  an allowed answer the readings whose conditions kept a stronger case from deciding
  (``Program.probes``); who else can see it (``seen_by``), which no rule reads, is said by
  ``with_seen_by`` after the first sentence, once the verdict is known (``Policy.decide``);
* the words are ``Program.messages`` (``schema/messages.yaml``), never written here.
"""

from __future__ import annotations

from policykit.core.values import replace

from policykit.core.compiler import Program
from policykit.core.decision import Decision, Notice, Obligation, PolicyStamp, Reason, Verdict
from policykit.core.messages import Messages
from policykit.core.model import OUTCOMES
from policykit.core.stakes import Stakes, analyse

VERDICT_TABLE_LIMIT = 4096
"""The most verdict patterns one program remembers (``Program.verdicts``); past it, verdicts are
assembled each time."""

PROVISO_OUTCOMES = frozenset({"permitted", "discouraged", "requires_approval"})
"""The outcomes an answer may state a proviso ("provided you …") on: allowed, or needing approval."""

ALLOWED_RANK = OUTCOMES.index("discouraged")
"""The strongest outcome rank that is allowed: a reading probe is read only up to it."""


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
    probed = _probed(program, true, unknown, best) if program.probes and best <= ALLOWED_RANK else ()
    key = (true_terms & program.shown[best], state & program.met_mask, reread, probed)
    table = program.verdicts
    verdict = table.get(key)
    if verdict is None:
        verdict = _assemble(program, true, unknown, reread, true_terms, best, None, probed)
        if len(table) < VERDICT_TABLE_LIMIT:
            table[key] = verdict
    return verdict


def _probed(program: Program, true: int, unknown: int, final: int) -> tuple[str, ...]:
    """The readings whose conditions kept a case stronger than ``final`` from deciding: the ids of
    the probes that hold (each once, in printed order). A term holds when its P bits are true and
    none of its N bits is true or unknown."""
    known_or_unknown = true | unknown
    found: list[str] = []
    for probe in program.probes:
        if probe.rank <= final or probe.needs & ~true or probe.excludes & known_or_unknown:
            continue
        if probe.reading not in found and any(
                not positive & ~true and not negative & known_or_unknown for positive, negative in probe.terms):
            found.append(probe.reading)
    return tuple(found)


def _assemble(program: Program, true: int, unknown: int, reread: int, true_terms: int, best: int,
              stakes: Stakes | None, probed: tuple[str, ...] | None = None) -> Verdict:
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
    if probed is None:
        probed = _probed(program, true, unknown, OUTCOMES.index(outcome)) \
            if program.probes and outcome in OUTCOMES[:ALLOWED_RANK + 1] else ()
    unconfirmed = rests_on(outcome, reasons, obligations, probed)
    sentences = explain_sentences(program.messages, outcome, reasons, obligations, missing_facts, possible,
                                  readings, only_unmet, notices, unconfirmed)
    return Verdict(outcome, reasons, obligations, notices, missing_facts, possible, " ".join(sentences), unconfirmed,
                   len(" ".join(sentences[:1 + len(readings)])))


def _met(met_bit: int, true: int, unknown: int) -> bool | None:
    """Whether an obligation is met: its settling fact's value, None when no fact settles it or
    the request leaves an open settling fact out."""
    if not met_bit or unknown & met_bit:
        return None
    return bool(true & met_bit)




def _reasons(program: Program, cases: list) -> tuple[Reason, ...]:
    return tuple(program.reasons[index] for index in sorted({case.clause for case in cases}))


def stated_obligations(outcome: str, obligations: tuple[Obligation, ...]) -> list[Obligation]:
    """The obligations the explanation states: those known to be unmet, and those whose state is
    unknown when the outcome is allowed or needs approval (a proviso)."""
    return [o for o in obligations if o.met is False or (o.met is None and outcome in PROVISO_OUTCOMES)]


def rests_on(outcome: str, reasons: tuple[Reason, ...], obligations: tuple[Obligation, ...],
             probed: tuple[str, ...]) -> tuple[str, ...]:
    """The unconfirmed readings the outcome rests on, each once: the deciding clauses' (by clause
    id), those of the obligations the explanation states, then the readings that kept a case from
    deciding an allowed answer (``probed``, by reading id)."""
    names: list[str] = []
    for clause, interpretation in [*((r.id, r.interpretation) for r in reasons),
                                   *((o.clause, o.interpretation) for o in stated_obligations(outcome, obligations))]:
        if interpretation is not None and interpretation.awaiting_board and clause not in names:
            names.append(clause)
    names += [reading for reading in probed if reading not in names]
    return tuple(names)


def _titles(messages: Messages, reasons: tuple[Reason, ...]) -> str:
    return messages.clause_names([messages.fill("clause_name", title=r.title, id=r.id) for r in reasons])


def explain(messages: Messages, outcome: str, reasons: tuple[Reason, ...], obligations: tuple[Obligation, ...],
            missing: tuple[str, ...], possible: tuple[str, ...], readings: tuple[str, ...] = (),
            only_unmet: bool = False, notices: tuple[Notice, ...] = (), unconfirmed: tuple[str, ...] = ()) -> str:
    """The explanation in ``messages``' sentences: the verdict, the values read as others
    (``readings``), what must be done first, the proviso, approval pending, and the unconfirmed
    readings the outcome rests on (``unconfirmed``)."""
    return " ".join(explain_sentences(messages, outcome, reasons, obligations, missing, possible, readings,
                                      only_unmet, notices, unconfirmed))


def seen_by_sentence(messages: Messages, titles: list[str]) -> str:
    """Who else can see it (the titles of the ``seen_by`` values not in the audience), in
    ``messages``' words: "It can also be seen by a student and a parent or guardian, …"."""
    joins = messages.lists["seen_by"]
    who = titles[0] if len(titles) == 1 else joins["separator"].join(titles[:-1]) + joins["last"] + titles[-1]
    return messages.fill("seen_by", who=who)


def with_seen_by(verdict: Verdict, sentence: str) -> Verdict:
    """``verdict`` saying who else can see it: ``sentence`` after the verdict's first sentence and
    the values read as others (at ``verdict.lead``). No rule reads who else can see it, so the
    verdict is otherwise the same."""
    text, lead = verdict.explanation, verdict.lead
    return replace(verdict, explanation=f"{text[:lead]} {sentence}{text[lead:]}", lead=lead + 1 + len(sentence))


def explain_sentences(messages: Messages, outcome: str, reasons: tuple[Reason, ...],
                      obligations: tuple[Obligation, ...], missing: tuple[str, ...], possible: tuple[str, ...],
                      readings: tuple[str, ...] = (), only_unmet: bool = False, notices: tuple[Notice, ...] = (),
                      unconfirmed: tuple[str, ...] = ()) -> list[str]:
    """The sentences of ``explain``, in order (the first, then one per value read as another)."""
    lists = messages.lists
    if outcome == "undetermined":
        first = messages.fill("undetermined", missing=lists["missing"].join(missing),
                              possible=lists["possible"].join(messages.outcomes[o].short for o in possible),
                              clauses=_titles(messages, reasons))
    elif not reasons and (obligations or notices):
        first = messages.fill("unrestricted_with_duties")
    elif not reasons:
        first = messages.fill("unrestricted")
    elif only_unmet:
        first = messages.fill("verdict_not_yet", clauses=_titles(messages, reasons))
    else:
        first = messages.fill("verdict", verdict=messages.outcomes[outcome].verdict or "",
                              clauses=_titles(messages, reasons))
    sentences = [first, *readings]
    unmet = [o.text for o in obligations if o.met is False]
    if unmet:
        sentences.append(messages.fill("not_yet", duties=lists["duties"].join(unmet)))
    assumed = [o.text for o in obligations if o.met is None]
    if assumed and outcome in PROVISO_OUTCOMES:
        sentences.append(messages.fill("proviso", duties=lists["duties"].join(assumed)))
    if outcome == "requires_approval" and not unmet and any(o.met is True for o in obligations):
        sentences.append(messages.fill("approval_pending"))
    if unconfirmed:
        sentences.append(messages.fill("unconfirmed_reading", readings=lists["readings"].join(unconfirmed)))
    return sentences

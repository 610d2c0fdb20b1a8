"""``data.policykit.program`` in data.json: what the rules of one period read besides the request
(the cases, what they yield with their clause's interpretation, the facts they read, the stakes,
the outcomes, the read-as sentences, which clauses rest on a reading awaiting the board, the
policy stamp)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policykit.core.decision import ALLOWED
from policykit.core.engine import ALLOWED_RANK, PROVISO_OUTCOMES
from policykit.core.model import OUTCOMES
from policykit.publishing.rego.model import Model
from policykit.publishing.rego.stakes import stakes

if TYPE_CHECKING:  # pragma: no cover
    from policykit.core.api import Policy


def _cases(model: Model) -> list[dict[str, Any]]:
    """Each case: its clause, rank, obligation (with what settles it), notice and the outcomes
    that trigger it."""
    program = model.program
    cases = []
    for i, case in enumerate(model.cases):
        obligation = None
        if case.obligation_text is not None:
            document: dict[str, Any] = {"clause": program.reasons[case.clause].id, "text": case.obligation_text}
            if case.interpretation is not None:
                document["interpretation"] = case.interpretation.to_dict()
            met_by = model.met_by[i]
            obligation = {"document": document, "met_by": met_by.split(".") if met_by else None,
                          "met_open": met_by is not None and model.facts[met_by].open}
        cases.append({
            "clause": case.clause,
            "rank": case.rank,
            "unmet": case.unmet,
            "obligation": obligation,
            "notice": None if case.notice is None else case.notice.to_dict(),
            "on_outcome": [name for rank, name in enumerate(OUTCOMES) if case.on_outcome >> rank & 1],
        })
    return cases


def tables(policy: Policy, model: Model) -> dict[str, Any]:
    """``data.policykit.program`` of the period of ``model``."""
    program = model.program
    starts = policy.document.effective_dates()
    later = [day for day in starts if day > program.valid_from]
    cases = _cases(model)
    return {
        "policy": {"id": program.policy_id, "revision": program.revision, "digest": program.digest,
                   "valid_from": program.valid_from.isoformat(),
                   "valid_until": later[0].isoformat() if later else None,
                   "first_date": starts[0].isoformat()},
        "outcomes": list(OUTCOMES),
        "allowed": dict(ALLOWED),
        "proviso_outcomes": [outcome for outcome in (*OUTCOMES, "undetermined") if outcome in PROVISO_OUTCOMES],
        "allowed_rank": ALLOWED_RANK,
        "probes": [{"reading": probe.probe.reading, "rank": probe.probe.rank, "case": probe.case}
                   for probe in model.probes],
        "cases": cases,
        "effect_cases": [i for i, entry in enumerate(cases) if entry["obligation"] or entry["notice"]],
        "stakes": stakes(model),
        "names": [program.messages.fill("clause_name", title=reason.title, id=reason.id) for reason in program.reasons],
        "awaiting_board": [reason.interpretation is not None and reason.interpretation.awaiting_board
                           for reason in program.reasons],
        "read_as": [rule.words for rule in model.read_as],
        "ranks": [[i for i, case in enumerate(model.cases) if case.rank == rank and model.fact_case[i]]
                  for rank in range(len(OUTCOMES))],
        "triggered": {outcome: [i for i, case in enumerate(model.cases) if outcome in cases[i]["on_outcome"]]
                      for outcome in (*OUTCOMES, "undetermined")},
        "fact_order": list(model.facts),
    }

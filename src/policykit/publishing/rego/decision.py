"""``decision.rego``: one period's decision (precedence, reasons, obligations, notices, unknown
facts, the explanation), the template ``decision.rego`` of this package with the rules that
gather the cases at stake, one per outcome, generated for the policy's outcomes."""

from __future__ import annotations

from policykit.core.compiler import Program
from policykit.core.model import OUTCOMES
from policykit.publishing.rego.syntax import header
from policykit.publishing.rego.templates import fill


def decision_module(program: Program) -> str:
    """``decision.rego`` for the period of ``program``."""
    stakes = []
    for rank in range(1, len(OUTCOMES)):
        stakes += [
            f"stake_{rank} := [program.ranks[{rank}][j] |",
            f"\tsome j in numbers.range(0, count(program.ranks[{rank}]) - 1)",
            f"\tdata.policykit.cases.open_{rank}[j]",
            f"] if best < {rank}",
            "",
            f"stake_{rank} := [] if best >= {rank}",
            "",
        ]
    chain = "stake_1"
    for rank in range(2, len(OUTCOMES)):
        chain = f"array.concat({chain}, stake_{rank})"
    stakes.append(f"at_stake := {chain}")
    text = fill("decision.rego", stakes)
    return "\n".join(header(program, "The decision: precedence, reasons, unknown facts.")) + "\n" + text

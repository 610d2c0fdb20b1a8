"""Clause kinds and what each may do to an outcome, read from ``schema/clause.schema.json``
(``x-outcomes`` and ``x-unmet-obligation`` on each kind), so that the validator, the compiler
and every exported evaluator share one declaration: strength follows the policy's own verb."""

from __future__ import annotations

from functools import cache
from typing import Any

from policykit.core.schemaerrors import load_schema


@cache
def _kinds() -> dict[str, dict[str, Any]]:
    return {entry["const"]: entry for entry in load_schema("clause")["properties"]["kind"]["oneOf"]}


def allowed_outcomes(kind: str) -> tuple[str, ...]:
    """The outcomes a clause of ``kind`` may yield (a recommendation only ``discouraged``)."""
    return tuple(_kinds()[kind].get("x-outcomes", ()))


def unmet_obligation_outcome(kind: str) -> str | None:
    """The outcome an obligation of a ``kind`` clause yields while it is known to be unmet, or
    None when the kind is advisory (its obligations never change the outcome)."""
    outcome: str | None = _kinds()[kind].get("x-unmet-obligation")
    return outcome

"""The request -> expected decision corpus (tests/corpus/decisions.yaml), written from SPEC §2-§4,
shared by the API, CLI and HTTP tests.

    from corpus_cases import CASES, assert_matches
    for case in CASES: ...  # case.name, case.request, case.expect, case.xfail_reason

``assert_matches(decision_dict, expect)`` checks a decision as JSON (``Decision.to_dict()``, the
CLI's ``--format json`` output, an HTTP response body) against a case's ``expect``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent / "corpus" / "decisions.yaml"

OUTCOMES = ("permitted", "discouraged", "requires_approval", "prohibited", "undetermined")
# SPEC §4: allowed is true for permitted and discouraged, false for requires_approval and
# prohibited, null for undetermined.
ALLOWED = {"permitted": True, "discouraged": True, "requires_approval": False, "prohibited": False,
           "undetermined": None}
LIST_KEYS = ("reasons", "notices", "obligations", "missing_facts", "possible_outcomes")
CASE_KEYS = {"name", "request", "expect", "xfail_reason"}
DECISION_EXPECT_KEYS = {"outcome", *LIST_KEYS}


@dataclass(frozen=True)
class Case:
    """One corpus entry. ``expect`` is normalised: a decision case has every key of
    DECISION_EXPECT_KEYS (missing lists are empty); an error case has only ``error``."""

    name: str
    request: Any
    expect: dict[str, Any]
    xfail_reason: str | None = None

    @property
    def is_error(self) -> bool:
        return "error" in self.expect

    def __str__(self) -> str:  # pytest ids
        return self.name


def _normalise(name: str, expect: dict[str, Any]) -> dict[str, Any]:
    if "error" in expect:
        if set(expect) != {"error"}:
            raise ValueError(f"{name}: an error case expects only 'error'")
        pointers = list(expect["error"])
        if pointers != sorted(set(pointers)):
            raise ValueError(f"{name}: error pointers must be sorted and unique")
        return {"error": pointers}
    unknown = set(expect) - DECISION_EXPECT_KEYS
    if unknown or "outcome" not in expect:
        raise ValueError(f"{name}: bad expect keys {sorted(unknown)} (outcome is required)")
    if expect["outcome"] not in OUTCOMES:
        raise ValueError(f"{name}: unknown outcome {expect['outcome']!r}")
    normal: dict[str, Any] = {"outcome": expect["outcome"]}
    for key in LIST_KEYS:
        normal[key] = list(expect.get(key) or [])
    normal["obligations"] = [{"clause": o["clause"], "met": o["met"]} for o in normal["obligations"]]
    if expect["outcome"] != "undetermined" and (normal["missing_facts"] or normal["possible_outcomes"]):
        raise ValueError(f"{name}: missing_facts/possible_outcomes are only for undetermined")
    return normal


def load_cases(path: Path = CORPUS) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases: list[Case] = []
    seen: set[str] = set()
    for entry in raw:
        extra = set(entry) - CASE_KEYS
        if extra or not {"name", "request", "expect"} <= set(entry):
            raise ValueError(f"corpus entry {entry.get('name')!r}: bad keys {sorted(extra)}")
        name = entry["name"]
        if name in seen:
            raise ValueError(f"duplicate case name {name!r}")
        seen.add(name)
        cases.append(Case(name, entry["request"], _normalise(name, entry["expect"]), entry.get("xfail_reason")))
    return cases


CASES: list[Case] = load_cases()


def summarise(decision: dict[str, Any]) -> dict[str, Any]:
    """The parts of a decision dict (to_dict() / JSON output) that the corpus pins down."""
    return {
        "outcome": decision["outcome"],
        "allowed": decision["allowed"],
        "reasons": [r["id"] for r in decision["reasons"]],
        "notices": [n["clause"] for n in decision["notices"]],
        "obligations": [{"clause": o["clause"], "met": o["met"]} for o in decision["obligations"]],
        "missing_facts": list(decision["missing_facts"]),
        "possible_outcomes": list(decision["possible_outcomes"]),
    }


def expected_summary(expect: dict[str, Any]) -> dict[str, Any]:
    return {"outcome": expect["outcome"], "allowed": ALLOWED[expect["outcome"]],
            **{key: expect[key] for key in LIST_KEYS}}


def assert_matches(decision: dict[str, Any], expect: dict[str, Any]) -> None:
    """Assert the whole expected structure of a (JSON) decision: outcome, allowed, reason ids,
    notice clause ids, obligations {clause, met}, missing_facts, possible_outcomes."""
    assert "error" not in expect, f"expected a request error {expect['error']}, got a decision"
    assert summarise(decision) == expected_summary(expect)


def error_pointers(errors: list[dict[str, Any]]) -> list[str]:
    """The sorted, unique JSON pointers of a list of {pointer, message} errors."""
    return sorted({e["pointer"] for e in errors})

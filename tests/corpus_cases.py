"""The request -> expected decision corpus (tests/corpus/decisions.yaml), written from
docs/semantics.md; shared by the API, CLI, HTTP, Rego and browser tests.

    from corpus_cases import CASES, assert_matches
    for case in CASES: ...  # case.name, case.request, case.expect, case.xfail_reason, case.readings

``assert_matches(decision_dict, expect)`` checks a decision as JSON (``Decision.to_dict()``, the
CLI's ``--format json`` output, an HTTP response body) against a case's ``expect``: the outcome,
allowed, reason ids, notice clause ids, obligations {clause, met}, missing_facts,
possible_outcomes, and, when the case gives them, phrases the explanation must contain
(``explanation_contains``) or must not (``explanation_lacks``) and the interpretation status every
item citing a clause must carry (``interpretations``: clause id -> proposed | confirmed | null,
null meaning the clause has no interpretation, so no item may carry one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent / "corpus" / "decisions.yaml"

OUTCOMES = ("permitted", "discouraged", "requires_approval", "prohibited", "undetermined")
# docs/semantics.md#outcomes: allowed is true for permitted and discouraged, false for requires_approval and
# prohibited, null for undetermined.
ALLOWED = {"permitted": True, "discouraged": True, "requires_approval": False, "prohibited": False,
           "undetermined": None}
LIST_KEYS = ("reasons", "notices", "obligations", "missing_facts", "possible_outcomes")
TEXT_KEYS = ("explanation_contains", "explanation_lacks")
CASE_KEYS = {"name", "request", "expect", "xfail_reason", "readings"}
DECISION_EXPECT_KEYS = {"outcome", *LIST_KEYS, *TEXT_KEYS, "interpretations"}
ERROR_EXPECT_KEYS = {"error", "error_mentions"}
STATUSES = ("proposed", "confirmed", None)


@dataclass(frozen=True)
class Case:
    """One corpus entry. ``expect`` is normalised: a decision case has every key of
    DECISION_EXPECT_KEYS (missing lists are empty, ``interpretations`` an empty mapping); an
    error case has ``error`` and ``error_mentions``. ``readings`` are the ids of
    questions/readings.yaml that the case pins."""

    name: str
    request: Any
    expect: dict[str, Any]
    xfail_reason: str | None = None
    readings: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return "error" in self.expect

    def __str__(self) -> str:  # pytest ids
        return self.name


def _normalise(name: str, expect: dict[str, Any]) -> dict[str, Any]:
    if "error" in expect:
        if set(expect) - ERROR_EXPECT_KEYS:
            raise ValueError(f"{name}: an error case expects only 'error' and 'error_mentions'")
        pointers = list(expect["error"])
        if pointers != sorted(set(pointers)):
            raise ValueError(f"{name}: error pointers must be sorted and unique")
        return {"error": pointers, "error_mentions": list(expect.get("error_mentions") or [])}
    unknown = set(expect) - DECISION_EXPECT_KEYS
    if unknown or "outcome" not in expect:
        raise ValueError(f"{name}: bad expect keys {sorted(unknown)} (outcome is required)")
    if expect["outcome"] not in OUTCOMES:
        raise ValueError(f"{name}: unknown outcome {expect['outcome']!r}")
    normal: dict[str, Any] = {"outcome": expect["outcome"]}
    for key in (*LIST_KEYS, *TEXT_KEYS):
        normal[key] = list(expect.get(key) or [])
    normal["obligations"] = [{"clause": o["clause"], "met": o["met"]} for o in normal["obligations"]]
    if expect["outcome"] != "undetermined" and (normal["missing_facts"] or normal["possible_outcomes"]):
        raise ValueError(f"{name}: missing_facts/possible_outcomes are only for undetermined")
    interpretations = dict(expect.get("interpretations") or {})
    bad = {clause: status for clause, status in interpretations.items() if status not in STATUSES}
    if bad:
        raise ValueError(f"{name}: interpretation statuses must be proposed, confirmed or null: {bad}")
    normal["interpretations"] = interpretations
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
        cases.append(Case(name, entry["request"], _normalise(name, entry["expect"]), entry.get("xfail_reason"),
                          tuple(entry.get("readings") or ())))
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


def cited_items(decision: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every reason, obligation and notice of a decision as (where, clause id, item)."""
    return ([("reasons", r["id"], r) for r in decision["reasons"]]
            + [("obligations", o["clause"], o) for o in decision["obligations"]]
            + [("notices", n["clause"], n) for n in decision["notices"]])


def interpretation_problems(decision: dict[str, Any], expected: dict[str, str | None]) -> list[str]:
    """Where the decision's items disagree with the expected interpretation status of a clause
    (None: the item must carry no interpretation); a clause the decision never cites is a problem too."""
    problems = []
    items = cited_items(decision)
    for clause, status in expected.items():
        citing = [(where, item) for where, cited, item in items if cited == clause]
        if not citing:
            problems.append(f"{clause}: not cited by any reason, obligation or notice")
        for where, item in citing:
            reading = item.get("interpretation")
            found = None if reading is None else reading.get("status")
            if found != status or (reading is not None and not str(reading.get("text", "")).strip()):
                problems.append(f"{clause} in {where}: interpretation {reading!r}, expected status {status!r}")
    return problems


def explanation_problems(explanation: str, expect: dict[str, Any]) -> list[str]:
    return ([f"explanation lacks {phrase!r}" for phrase in expect["explanation_contains"] if phrase not in explanation]
            + [f"explanation has {phrase!r}" for phrase in expect["explanation_lacks"] if phrase in explanation])


def assert_matches(decision: dict[str, Any], expect: dict[str, Any]) -> None:
    """Assert the whole expected structure of a (JSON) decision: outcome, allowed, reason ids,
    notice clause ids, obligations {clause, met}, missing_facts, possible_outcomes, and the
    explanation phrases and interpretation statuses the case names."""
    assert "error" not in expect, f"expected a request error {expect['error']}, got a decision"
    assert summarise(decision) == expected_summary(expect)
    assert explanation_problems(decision["explanation"], expect) == [], decision["explanation"]
    assert interpretation_problems(decision, expect["interpretations"]) == []


def error_pointers(errors: list[dict[str, Any]]) -> list[str]:
    """The sorted, unique JSON pointers of a list of {pointer, message} errors."""
    return sorted({e["pointer"] for e in errors})


def error_mentions_missing(errors: list[dict[str, Any]], expect: dict[str, Any]) -> list[str]:
    """The words an error case expects its messages to name (the field, the allowed values) that
    no message names."""
    text = "\n".join(e["message"] for e in errors)
    return [word for word in expect.get("error_mentions", []) if word not in text]

"""The OPA bundle (`policykit export rego`) against decide(): export is deterministic and
stamped with the policy digest, and on regopy (rego-cpp) `data.policykit.decision` gives the
same decision document as decide() for every scenario's request, every valid corpus request
and thousands of generated valid requests, in every period of the policy: the small fixture
policy's two, and the shipped policy with the worked amendment laid over it, one bundle
answering before and after the amendment's effective date."""

from __future__ import annotations

import copy
import itertools
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import regopy
import regorus
from amend import amend_worked
from conftest import MINIMAL, PROJECT_ROOT
from corpus_cases import CASES
from hypothesis import HealthCheck, assume, given, settings
from strategies import FIRST_DATE, valid_requests

import policykit
import policykit.core.api
import policykit.core.engine
import policykit.publishing.rego.model
from policykit.interfaces.cli import main
from policykit.core.paths import default_features_dir
from policykit.publishing.rego import (ENTRYPOINT, PERIOD_MODULES, QUERY, SELECT_MODULE, bundle_files,
                                       bundle_modules, load_bundle_into, write_bundle)
from policykit.core.compiler import policy_digest
from policykit.core.request import request_problems
from policykit.authoring.scenarios import read_features
from policykit.core.schemaerrors import load_schema
from policykit.core.model import OUTCOMES
from policykit.core.vocabulary import Vocabulary, load_vocabulary, vocabulary_from_schema

AS_OF = date(2026, 1, 5)
GENERATED = 3000
EXPLANATION_SENTENCES = (  # words from each kind of sentence engine.explain writes
    "The answer depends on facts the question did not give", "Nothing in the policy restricts this",
    "This is not allowed yet under", "Not yet: first ", "This holds provided you ",
    "What you had to do first is done, but approval is still pending.",
    "This rests on a reading of the policy that the Board of Education has not yet confirmed",
    *(value.read_as.explanation for _, value in load_vocabulary().read_as_rules()),
)
PERIOD = "v2015_11_18"  # the package of the shipped policy's one period
BUNDLE_FILES = [".manifest", "data.json", SELECT_MODULE, *(f"policykit/{PERIOD}/{name}" for name in PERIOD_MODULES)]


class Rego:
    """A regopy interpreter with a bundle loaded and compiled once; per decision only the input
    is set and the entrypoint queried."""

    def __init__(self, outdir: Path):
        self.interpreter = regopy.Interpreter()
        load_bundle_into(self.interpreter, outdir)
        self.plan = self.interpreter.build(None, [ENTRYPOINT])

    def decision(self, request: dict) -> dict[str, Any]:
        self.interpreter.set_input(request)
        output = self.interpreter.query_bundle_entrypoint(self.plan, ENTRYPOINT)
        results = output.results
        assert results and results[0].expressions, f"no decision for {json.dumps(request)}: {output}"
        return results[0].expressions[0]


class Regorus:
    """The same bundle on regorus, the Rust implementation of Rego (``gordon-to-regorus`` from PyPI):
    loaded once; per decision the input is set and the rule evaluated."""

    def __init__(self, outdir: Path):
        self.engine = regorus.Engine()
        for module in bundle_modules(outdir):
            self.engine.add_policy(module, (outdir / module).read_text(encoding="utf-8"))
        self.engine.add_data_json((outdir / "data.json").read_text(encoding="utf-8"))

    def decision(self, request: dict) -> dict[str, Any]:
        self.engine.set_input_json(json.dumps(request))
        return self.engine.eval_rule(QUERY)


def expected(policy: policykit.Policy, request: dict, default_day: date = AS_OF) -> dict[str, Any]:
    """decide()'s document less decision_id, or {"errors": pointers} when decide() refuses."""
    try:
        document = policy.decide(request, as_of=default_day).to_dict()
    except policykit.RequestError as error:
        return {"errors": sorted(e["pointer"] for e in error.errors)}
    del document["decision_id"]
    return document


def observed(rego: Rego, request: dict) -> dict[str, Any]:
    document = rego.decision(request)
    if "errors" in document:
        return {"errors": sorted(e["pointer"] for e in document["errors"])}
    return document


def dated(request: dict, day: date = AS_OF) -> dict:
    """The request with an as_of, so both engines answer for the same date."""
    return request if "as_of" in request else {**request, "as_of": day.isoformat()}


def differences(policy: policykit.Policy, rego: Rego, requests: list[dict], vocabulary: Vocabulary | None = None,
                default_day: date = AS_OF) -> list[str]:
    """Where the bundle's decision is not decide()'s, key by key (both are exact: the tests below
    also hold each to the brute-force oracle)."""
    found = []
    for request in requests:
        want, got = expected(policy, request, default_day), observed(rego, request)
        if got != want:
            keys = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
            found.append(f"{json.dumps(request)}: " + "; ".join(
                f"{k}: decide()={json.dumps(want.get(k))} rego={json.dumps(got.get(k))}" for k in keys))
    return found


# ----------------------------------------------------------------------- brute-force oracle

EXACT_KEYS = ("outcome", "possible_outcomes", "missing_facts")
ORACLE_BUDGET = 6000
"""A budget of completions for one request: the property test against the oracle skips requests
with more than eight times as many."""


def completions(policy: policykit.Policy, request: dict, vocabulary: Vocabulary | None = None,
                default_day: date = AS_OF) -> tuple[list[str], list[list[object]], Any]:
    """Every completion of a valid request, as fully known requests: (the unknown facts given a
    value, the values each takes, an iterator of the completed requests, one per combination of
    values in itertools.product order). An unknown fact is an open fact the request leaves out that some
    compiled term reads other than as a fact that must be known (an unknown one of those only
    makes its term false, in every completion). A choice fact takes each value a term names and
    one value none names (those behave alike); a list every subset of the values terms name; a
    yes/no fact true and false."""
    vocabulary = vocabulary or load_vocabulary()
    program = policy.program(date.fromisoformat(request.get("as_of", default_day.isoformat())))
    layout = program.layout
    read = named = 0
    for (positive, negative), known in zip(program.term_pairs, program.term_known):
        read |= (positive | negative) & ~known
        named |= positive | negative
    facts, domains = [], []
    for fact in vocabulary.facts:
        if fact.kind in ("date", "object") or not fact.open or not layout.masks[fact.path] & read:
            continue
        *parents, name = fact.path.split(".")
        node = request
        for parent in parents:
            node = node.get(parent) if isinstance(node, dict) else None
        if node is not None and name in node:
            continue
        bits = layout.bits[fact.path]
        if fact.kind == "boolean":
            domain: list[object] = [False, True]
        elif fact.kind == "choice":
            domain = [v for v in fact.value_names if bits[v] & named]
            domain += [v for v in fact.value_names if not bits[v] & named][:1]
        else:
            mentioned = [v for v in fact.value_names if bits[v] & named]
            domain = [[v for j, v in enumerate(mentioned) if n >> j & 1] for n in range(1 << len(mentioned))]
        facts.append(fact.path)
        domains.append(domain)
    return facts, domains, _completed(request, facts, domains)


def completion_count(policy: policykit.Policy, request: dict, vocabulary: Vocabulary | None = None,
                     default_day: date = AS_OF) -> int:
    return math.prod(len(domain) for domain in completions(policy, request, vocabulary, default_day)[1])


def _completed(request: dict, facts: list[str], domains: list[list[object]]):
    for values in itertools.product(*domains):
        filled = dict(request)
        detached = []  # facts of an object the request does not give: set on the encoded request
        for path, value in zip(facts, values):
            *parents, name = path.split(".")
            node = filled
            for parent in parents:
                if not isinstance(node.get(parent), dict):
                    detached.append((path, value))
                    break
                node[parent] = dict(node[parent])
                node = node[parent]
            else:
                node[name] = value
        yield filled, detached


def completion_outcome(policy: policykit.Policy, completion: tuple[dict, list], default_day: date) -> str:
    """decide()'s outcome on a completed request. An open fact of an object the request does not
    give (an open site.approved, say) is unknown to the engine, yet no request can give it a value
    without giving the object: its value is set on the encoded request instead, and the engine
    evaluates that."""
    request, detached = completion
    if not detached:
        return policy.decide(request, as_of=default_day).outcome
    true, unknown, as_of, reread = policy._encode(request)
    program = policy.program(date.fromisoformat(as_of or default_day.isoformat()))
    layout = program.layout
    for path, value in detached:
        for name in (value if isinstance(value, list) else [value] if value is not False else []):
            true |= layout.bits[path][name]
        unknown &= ~layout.masks[path]
    return policykit.core.engine.evaluate(program, true, unknown, reread).outcome


def exhaustive(policy: policykit.Policy, request: dict, vocabulary: Vocabulary | None = None,
               default_day: date = AS_OF) -> dict[str, Any]:
    """outcome, possible_outcomes and missing_facts by brute force (docs/semantics.md#unknown-facts): decide()
    on every completion (fully known, so decide() is exact on it); one outcome: determined;
    else undetermined, the outcomes in rank order, and the facts two completions differing only
    in that fact's value decide differently on, in vocabulary order."""
    facts, domains, completed = completions(policy, request, vocabulary, default_day)
    outcomes = [completion_outcome(policy, completion, default_day) for completion in completed]
    assert "undetermined" not in outcomes, f"a completion of {json.dumps(request)} is not fully known"
    if len(set(outcomes)) == 1:
        return {"outcome": outcomes[0], "possible_outcomes": [], "missing_facts": []}
    picks = list(itertools.product(*(range(len(domain)) for domain in domains)))
    missing = []
    for k, fact in enumerate(facts):
        seen: dict[tuple, str] = {}
        if any(seen.setdefault(pick[:k] + pick[k + 1:], outcome) != outcome for pick, outcome in zip(picks, outcomes)):
            missing.append(fact)
    return {"outcome": "undetermined", "possible_outcomes": [o for o in OUTCOMES if o in outcomes],
            "missing_facts": missing}


@pytest.fixture(scope="module")
def shipped() -> policykit.Policy:
    return policykit.load_policy()


@pytest.fixture(scope="module")
def bundle(shipped: policykit.Policy, tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("bundle")
    write_bundle(shipped, outdir)  # every period
    return outdir


@pytest.fixture(scope="module")
def rego(bundle: Path) -> Rego:
    return Rego(bundle)


# ------------------------------------------------------------------------------------- export


def test_export_writes_the_bundle_files(bundle: Path) -> None:
    files = sorted(str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file())
    assert files == sorted(BUNDLE_FILES)


def test_export_is_deterministic(shipped: policykit.Policy, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    written = write_bundle(shipped, first)
    write_bundle(policykit.load_policy(today=lambda: date(2031, 5, 17)), second)  # another load and clock
    assert [p.relative_to(first).as_posix() for p in written] == sorted(BUNDLE_FILES)
    for name in BUNDLE_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert b"2026" not in (first / "data.json").read_bytes()  # no export date, no timestamp
    # A single-period bundle (--as-of) is the same for any day of its period.
    assert bundle_files(shipped, AS_OF) == bundle_files(shipped, date(2031, 5, 17))


def test_a_new_export_replaces_the_periods_of_an_earlier_one(shipped: policykit.Policy, tmp_path: Path) -> None:
    stale = tmp_path / "policykit" / "v2010_01_01" / "cases.rego"
    stale.parent.mkdir(parents=True)
    stale.write_text("package policykit.v2010_01_01.cases\n", encoding="utf-8")
    (tmp_path / "README").write_text("kept", encoding="utf-8")
    write_bundle(shipped, tmp_path)
    assert not stale.exists() and (tmp_path / "README").exists()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        [*BUNDLE_FILES, "README"])


def test_manifest_revision_is_the_policy_digest(shipped: policykit.Policy, bundle: Path) -> None:
    """The manifest's revision is the digest of the whole policy (every version of every clause,
    the time zone); each period's revision and digest are the ones its decisions carry."""
    manifest = json.loads((bundle / ".manifest").read_text(encoding="utf-8"))
    program = shipped.program(AS_OF)
    assert manifest == {
        "revision": policy_digest(shipped.document), "roots": ["policykit"], "rego_version": 1,
        "metadata": {"policy": shipped.document.id, "time_zone": "America/New_York", "query": "data.policykit.decision",
                     "valid_from": "2015-11-18", "valid_until": None,
                     "periods": [{"valid_from": "2015-11-18", "valid_until": None, "revision": program.revision,
                                  "digest": program.digest}]}}
    assert manifest["revision"] != program.digest
    data = json.loads((bundle / "data.json").read_text(encoding="utf-8"))
    assert list(data) == ["policykit"]
    assert sorted(data["policykit"]) == sorted(["time_zone", "first_date", "messages", "seen_by_titles", "periods",
                                                PERIOD])
    # The words of every answer, once for the whole bundle (not per period): schema/messages.yaml.
    assert data["policykit"]["messages"] == shipped.messages.to_data()
    assert data["policykit"][PERIOD]["clauses"] == [reason.to_dict() for reason in program.reasons]
    assert data["policykit"][PERIOD]["program"]["policy"]["digest"] == program.digest
    single = json.loads(bundle_files(shipped, AS_OF)[".manifest"])
    assert single["revision"] == manifest["revision"]  # the policy's, whichever periods are exported


def test_the_rego_is_generated_from_every_rule_case(shipped: policykit.Policy, bundle: Path) -> None:
    program = shipped.program(AS_OF)
    cases = (bundle / f"policykit/{PERIOD}/cases.rego").read_text(encoding="utf-8")
    assert cases.startswith("# Generated by `policykit export rego`")
    assert f"package policykit.{PERIOD}.cases\n" in cases
    assert program.digest in cases
    bodies = [line for line in cases.splitlines() if re.match(r"case_[0-9]+ if ", line)]
    assert len(bodies) == len(program.term_pairs)  # one body per compiled term
    for reason in program.reasons:
        clause = shipped.document.clause(reason.id)
        if clause.version_on(AS_OF).rule:
            assert f"# {reason.id}: " in cases, reason.id
    decision = (bundle / f"policykit/{PERIOD}/decision.rego").read_text(encoding="utf-8")
    assert f"package policykit.{PERIOD}\n" in decision and "\ndecision := {" in decision
    assert "data.policykit.cases" not in decision + cases  # each period reads its own cases and data
    select = (bundle / SELECT_MODULE).read_text(encoding="utf-8")
    assert "package policykit\n" in select
    assert f"decision := data.policykit.{PERIOD}.decision if {{" in select
    assert "time.date([time.now_ns(), data.policykit.time_zone])" in select
    assert "import rego.v1" not in decision + cases + select  # Rego v1 syntax throughout


def test_cli_exports_the_same_bundle(shipped: policykit.Policy, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    outdir = tmp_path / "out" / "bundle"
    code = main(["export", "rego", str(outdir)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert policy_digest(shipped.document) in out and "data.policykit.decision" in out
    for name, content in bundle_files(shipped).items():
        assert (outdir / name).read_bytes() == content, name
    single = tmp_path / "single"
    assert main(["export", "rego", str(single), "--as-of", AS_OF.isoformat()]) == 0
    assert "from 2015-11-18" in capsys.readouterr().out
    for name, content in bundle_files(shipped, AS_OF).items():
        assert (single / name).read_bytes() == content, name


# --------------------------------------------------------------------------------- differential


def test_every_scenario_decides_alike(shipped: policykit.Policy, rego: Rego) -> None:
    scenarios, issues = read_features(default_features_dir(), [c.id for c in shipped.document.clauses])
    assert issues == []
    requests = [dated(s.request()) for s in scenarios]
    assert len(requests) > 50
    assert differences(shipped, rego, requests) == []


def test_every_valid_corpus_request_decides_alike(shipped: policykit.Policy, rego: Rego) -> None:
    valid = [case.request for case in CASES if isinstance(case.request, dict) and not request_problems(case.request)]
    assert len(valid) > 100
    assert differences(shipped, rego, [dated(r) for r in valid]) == []
    # Schema-valid requests decide() refuses (a date before the first revision): errors, not a decision.
    refused = [r for r in valid if "errors" in expected(shipped, r)]
    assert refused and all(observed(rego, r) == {"errors": ["/as_of"]} for r in refused)


def generated_requests(count: int, seed: int) -> list[dict]:
    """``count`` distinct valid requests drawn from the request vocabulary with a fixed seed: every
    optional fact present or missing (a missing open fact is unknown), lists of any length, a
    school site with any of its facts, dates across the policy's range and a few before it."""
    rng = random.Random(seed)
    facts = load_vocabulary().facts

    def draw(prefix: str, presence: float) -> dict:
        drawn: dict[str, Any] = {}
        for fact in facts:
            parent, _, name = fact.path.rpartition(".")
            if parent != prefix or (not fact.required and rng.random() > presence):
                continue
            if fact.kind == "object":
                drawn[name] = draw(fact.path, 0.5)
            elif fact.kind == "choice":
                drawn[name] = rng.choice(fact.value_names)
            elif fact.kind == "list":
                size = rng.choice([0, 1, 1, 1, 2, 2, 3, len(fact.values)])
                drawn[name] = rng.sample(fact.value_names, k=min(size, len(fact.values)))
            elif fact.kind == "boolean":
                drawn[name] = rng.random() < 0.5
            elif rng.random() < 0.03:  # as_of before the first revision: refused by both
                drawn[name] = (FIRST_DATE - timedelta(days=rng.randint(1, 5000))).isoformat()
            else:
                drawn[name] = (FIRST_DATE + timedelta(days=rng.randint(0, 30000))).isoformat()
        return drawn

    requests: dict[str, dict] = {}
    while len(requests) < count:
        request = draw("", rng.choice([0.2, 0.5, 0.8]))
        if rng.random() > 0.3:
            request.pop("site", None)  # most questions involve no school site
        requests.setdefault(json.dumps(request, sort_keys=True), request)
    return list(requests.values())


def test_generated_requests_decide_alike(shipped: policykit.Policy, rego: Rego) -> None:
    requests = [dated(r) for r in generated_requests(GENERATED, seed=20260105)]
    assert len({json.dumps(r, sort_keys=True) for r in requests}) == GENERATED
    assert not any(request_problems(r) for r in requests[:500])  # valid, as the generator means
    documents = [expected(shipped, r) for r in requests]
    outcomes = Counter(document.get("outcome", "refused") for document in documents)
    assert {"permitted", "discouraged", "requires_approval", "prohibited", "undetermined", "refused"} <= set(outcomes)
    assert min(outcomes.values()) >= 25, outcomes
    # The second edition's vocabulary is drawn too, and every kind of explanation sentence occurs.
    assert sum("former_student" in r.get("audience", ()) for r in requests) > 100
    assert sum(r.get("audience_is_family") is True for r in requests) > 100
    assert sum("student" in r.get("seen_by", ()) for r in requests) > 100  # and the third edition's seen_by
    explanations = [document["explanation"] for document in documents if "explanation" in document]
    for words in EXPLANATION_SENTENCES:
        assert any(words in text for text in explanations), words
    assert differences(shipped, rego, requests)[:5] == []


def test_the_bundle_decides_alike_on_regorus(shipped: policykit.Policy, bundle: Path) -> None:
    """A second engine: the scenarios, the corpus and the generated requests on regorus."""
    scenarios, _ = read_features(default_features_dir(), [c.id for c in shipped.document.clauses])
    corpus = [case.request for case in CASES if isinstance(case.request, dict) and not request_problems(case.request)]
    requests = [dated(r) for r in [*(s.request() for s in scenarios), *corpus,
                                   *generated_requests(GENERATED, seed=20260105)]]
    assert differences(shipped, Regorus(bundle), requests)[:5] == []


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(request=valid_requests())
def test_requests_from_the_shared_strategy_decide_alike(shipped: policykit.Policy, rego: Rego, request: dict) -> None:
    assert differences(shipped, rego, [dated(request)]) == []


ASK_IN_A_CHILD = """
import json, sys
import regopy
from pathlib import Path
from policykit.publishing.rego import QUERY, load_bundle_into
interpreter = regopy.Interpreter()
load_bundle_into(interpreter, Path(sys.argv[1]))
interpreter.set_input(json.loads(sys.argv[2]))
print(json.dumps(interpreter.query("x := " + QUERY).results[0].bindings["x"]))
"""


def test_a_request_without_a_date_is_answered_for_today(shipped: policykit.Policy, bundle: Path) -> None:
    """Today in the policy's time zone (America/New_York), not UTC's (tests/test_clock.py sets the clock).
    rego-cpp reads the time zone database here; it runs in a fresh process, so that the lookup
    depends on nothing an earlier test left in this one (twice, under heavy load, rego-cpp 1.5.2
    aborted the whole test process in it)."""
    request = {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media"}
    before = shipped.date_at(datetime.now(timezone.utc))
    done = subprocess.run([sys.executable, "-c", ASK_IN_A_CHILD, str(bundle), json.dumps(request)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(policykit.__file__).parent.parent)})
    assert done.returncode == 0, done.stderr[-2000:]
    document = json.loads(done.stdout)
    after = shipped.date_at(datetime.now(timezone.utc))
    day = document["policy"]["as_of"]
    assert day in {before.isoformat(), after.isoformat()}
    assert document == expected(shipped, request, date.fromisoformat(day))


def test_without_its_time_zone_the_bundle_fails_closed(shipped: policykit.Policy, bundle: Path,
                                                       tmp_path: Path) -> None:
    """An engine that cannot resolve the policy's time zone (an OPA without a time zone database)
    gives no decision to a request without a date, and answers a dated one as usual."""
    shutil.copytree(bundle, tmp_path / "bundle")
    data = json.loads((bundle / "data.json").read_text(encoding="utf-8"))
    data["policykit"]["time_zone"] = "Nowhere/Atlantis"
    (tmp_path / "bundle" / "data.json").write_text(json.dumps(data), encoding="utf-8")
    engine = Regorus(tmp_path / "bundle")
    request = {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media"}
    with pytest.raises(RuntimeError, match="timezone"):
        engine.decision(request)
    assert differences(shipped, engine, [dated(request)]) == []


# ------------------------------------------------------------------- second-edition readings

SITE_POST = {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media", "account": "district",
             "audience": ["student"], "purpose": "school_business", "as_of": AS_OF.isoformat()}


def alike(shipped: policykit.Policy, rego: Rego, request: dict) -> dict[str, Any]:
    """The bundle's decision, after checking it is decide()'s."""
    assert differences(shipped, rego, [request]) == []
    return observed(rego, request)


def obligation(document: dict, clause: str) -> dict:
    [found] = [o for o in document["obligations"] if o["clause"] == clause]
    return found


def test_open_and_closed_facts_come_from_the_schema(shipped: policykit.Policy, bundle: Path) -> None:
    """Every fact a case reads is open in the bundle exactly when x-when-missing says "unknown";
    the three yes/no facts of a school site that settle obligations are open, approval is not."""
    vocabulary = load_vocabulary()
    program = json.loads((bundle / "data.json").read_text(encoding="utf-8"))["policykit"][PERIOD]["program"]
    # The facts the exact answers give values to: the open facts the cases yielding an outcome
    # test (not only ask to be known), whole, and nothing closed.
    stake_facts = [entry["fact"] for entry in program["stakes"]["facts"]]
    assert stake_facts == ["channel", "account", "device", "network", "location", "audience", "purpose"]
    assert all(vocabulary[fact].open for fact in stake_facts)
    assert sorted({v["fact"] for v in program["stakes"]["vars"]}, key=stake_facts.index) == stake_facts
    met_open = {tuple(case["obligation"]["met_by"]): case["obligation"]["met_open"]
                for case in program["cases"] if case["obligation"] and case["obligation"]["met_by"]}
    assert met_open == {tuple(path.split(".")): vocabulary[path].open for path in map(".".join, met_open)}
    for fact in ("site.supervisor_informed", "site.parents_notified", "site.monitored"):
        assert vocabulary[fact].open and met_open[tuple(fact.split("."))] is True, fact
    assert not vocabulary["site.approved"].open and "site.approved" not in stake_facts


def test_a_missing_open_settling_fact_leaves_met_null(shipped: policykit.Policy, rego: Rego) -> None:
    request = {**SITE_POST, "site": {"approved": True, "parents_notified": True}}  # monitored not said
    document = alike(shipped, rego, request)
    assert document["outcome"] == "permitted"
    assert obligation(document, "approved-sites.content-monitoring")["met"] is None
    assert obligation(document, "approved-sites.parent-notification")["met"] is True
    assert obligation(document, "approved-sites.policy-compliance")["met"] is None  # no fact settles it
    assert "This holds provided you monitor the site" in document["explanation"]
    assert document["missing_facts"] == []  # an open obligation never asks for its fact


def test_an_obligation_known_unmet_requires_approval(shipped: policykit.Policy, rego: Rego) -> None:
    request = {**SITE_POST, "site": {"approved": True, "parents_notified": True, "monitored": False}}
    document = alike(shipped, rego, request)
    assert document["outcome"] == "requires_approval" and document["allowed"] is False
    assert [r["id"] for r in document["reasons"]] == ["approved-sites.content-monitoring"]
    assert obligation(document, "approved-sites.content-monitoring")["met"] is False
    assert document["explanation"].startswith("This is not allowed yet under “Monitor the school site's content”")
    assert "Not yet: first monitor the site's content regularly" in document["explanation"]


def test_an_unknown_settling_fact_never_makes_a_decision_undetermined(shipped: policykit.Policy,
                                                                        rego: Rego) -> None:
    """The unmet cases' K masks: an unknown settling fact makes the case false, not unknown."""
    for site in ({"approved": True}, {"approved": True, "monitored": True},
                 {"approved": True, "parents_notified": True}):
        document = alike(shipped, rego, {**SITE_POST, "site": site})
        assert document["outcome"] != "undetermined", site
        assert not any(fact.startswith("site.") for fact in document["missing_facts"])
    # With the audience unknown, an obligation known unmet is at stake through the audience only.
    request = {**SITE_POST, "site": {"approved": True, "parents_notified": False, "monitored": True}}
    del request["audience"]
    document = alike(shipped, rego, request)
    assert document["outcome"] == "undetermined" and "audience" in document["missing_facts"]
    assert "approved-sites.parent-notification" in [r["id"] for r in document["reasons"]]
    assert not any(fact.startswith("site.") for fact in document["missing_facts"])
    assert "provided you" not in document["explanation"]  # an undetermined answer carries no proviso


def test_approval_pending_once_the_supervisor_is_informed(shipped: policykit.Policy, rego: Rego) -> None:
    request = {"actor": {"role": "teacher"}, "action": "create_site", "channel": "social_media",
               "purpose": "school_business", "as_of": AS_OF.isoformat()}
    informed = alike(shipped, rego, {**request, "site": {"supervisor_informed": True}})
    assert informed["outcome"] == "requires_approval"
    assert "What you had to do first is done, but approval is still pending." in informed["explanation"]
    not_informed = alike(shipped, rego, {**request, "site": {"supervisor_informed": False}})
    assert "Not yet: first inform your immediate supervisor" in not_informed["explanation"]
    unknown = alike(shipped, rego, request)  # no site object: informing is not known
    assert obligation(unknown, "approved-sites.prior-notice")["met"] is None


def test_counseling_by_another_role_is_read_as_personal(shipped: policykit.Policy, rego: Rego) -> None:
    [(_, value)] = [(path, value) for path, value in load_vocabulary().read_as_rules() if path == "purpose"]
    sentence = value.read_as.explanation
    message = {"action": "message", "channel": "email", "account": "district", "audience": ["student"],
               "as_of": AS_OF.isoformat()}
    for role in ("teacher", "coach", "administrator"):
        counseling = alike(shipped, rego, {**message, "actor": {"role": role}, "purpose": "counseling"})
        personal = alike(shipped, rego, {**message, "actor": {"role": role}, "purpose": "personal"})
        assert counseling["outcome"] == personal["outcome"] == "prohibited"
        assert counseling["reasons"] == personal["reasons"]
        assert sentence in counseling["explanation"] and sentence not in personal["explanation"]
        assert counseling["explanation"] == personal["explanation"].replace(". ", f". {sentence} ", 1)
    counselor = alike(shipped, rego, {**message, "actor": {"role": "school_counselor"}, "purpose": "counseling"})
    assert counselor["outcome"] == "permitted" and sentence not in counselor["explanation"]
    # Read as personal by every case, the missing-facts tables included.
    unknown = {**message, "actor": {"role": "teacher"}, "purpose": "counseling"}
    del unknown["audience"]
    assert alike(shipped, rego, unknown)["outcome"] == "undetermined"


def test_reasons_obligations_and_notices_carry_interpretations(shipped: policykit.Policy, rego: Rego) -> None:
    requests = [{**SITE_POST, "site": {"approved": True, "monitored": False}},
                {**SITE_POST, "device": "district", "content": ["disrespectful"]},
                {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media", "as_of": AS_OF.isoformat()}]
    seen = Counter()
    for request in requests:
        document = alike(shipped, rego, request)
        for item in [*document["reasons"], *document["obligations"], *document["notices"]]:
            reading = shipped.document.clause(item.get("id") or item["clause"]).interpretation
            if reading is None:
                assert "interpretation" not in item
                seen["without"] += 1
            else:
                assert item["interpretation"] == reading.to_dict()
                seen["with"] += 1
    assert seen["with"] and seen["without"], seen


def test_new_vocabulary_decides_alike(shipped: policykit.Policy, rego: Rego) -> None:
    texting = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
               "purpose": "personal", "as_of": AS_OF.isoformat()}
    former = alike(shipped, rego, {**texting, "audience": ["former_student"]})
    family = alike(shipped, rego, {**texting, "audience": ["student"], "audience_is_family": True})
    student = alike(shipped, rego, {**texting, "audience": ["student"]})
    assert student["outcome"] == "prohibited" and former["outcome"] != "prohibited" != family["outcome"]
    rude = alike(shipped, rego, {**texting, "audience": ["former_student"], "content": ["threatening"]})
    assert rude["outcome"] == "prohibited"


def test_who_else_can_see_it_changes_no_answer(shipped: policykit.Policy, rego: Rego) -> None:
    """seen_by is read by no rule (docs/semantics.md#audience-and-seen-by): a public post students
    can see is answered as the same post without them, by both engines; addressed to them, it is not."""
    post = {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media", "account": "personal",
            "audience": ["public"], "purpose": "personal", "as_of": AS_OF.isoformat()}
    alone = alike(shipped, rego, post)
    seen = alike(shipped, rego, {**post, "seen_by": ["student", "parent_guardian"]})
    addressed = alike(shipped, rego, {**post, "audience": ["public", "student"]})
    assert (alone["outcome"], seen["outcome"], addressed["outcome"]) == ("permitted", "permitted", "prohibited")
    assert [n["clause"] for n in seen["notices"]] == [n["clause"] for n in alone["notices"]]
    # the answer says who else can see it, in the messages' words, after the verdict
    first = alone["explanation"].split(". ")[0]
    assert seen["explanation"].startswith(f"{first}. It can also be seen by a student and a parent or guardian, "
                                          "though it is not addressed to them. ")
    assert alike(shipped, rego, {**post, "seen_by": ["public"]})["explanation"] == alone["explanation"]


def reopened_vocabulary(changes: dict[tuple[str, ...], str]):
    """The project's vocabulary with some facts' x-when-missing changed."""
    schema = copy.deepcopy(load_schema("request"))
    for path, missing in changes.items():
        node = schema
        for name in path[:-1]:
            node = node["properties"][name]
        node["properties"][path[-1]]["x-when-missing"] = missing
    return vocabulary_from_schema(schema)


def test_the_bundle_follows_x_when_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing about open and closed facts is built into the exporter: with other x-when-missing
    declarations (approval open, site monitoring closed, an open list of effects and yes/no fact) the
    bundle still decides like decide() on the same vocabulary."""
    vocabulary = reopened_vocabulary({("site", "approved"): "unknown", ("site", "monitored"): "false",
                                      ("effects",): "unknown", ("interferes_with_duties",): "unknown"})
    assert vocabulary["site.approved"].open and not vocabulary["site.monitored"].open
    monkeypatch.setattr(policykit.core.api, "load_vocabulary", lambda: vocabulary)
    monkeypatch.setattr(policykit.publishing.rego.model, "load_vocabulary", lambda: vocabulary)
    policy = policykit.load_policy()
    write_bundle(policy, tmp_path, AS_OF)
    rego = Regorus(tmp_path)  # regopy takes some four times as long on this bundle
    requests = [dated(r) for r in generated_requests(1000, seed=20261202)]
    site_post = {**SITE_POST, "site": {}}
    requests += [site_post, {**site_post, "site": {"approved": True}}]
    assert policy.decide(site_post).outcome == "undetermined"  # approval is now unknown when missing
    assert differences(policy, rego, requests, vocabulary)[:5] == []


# --------------------------------------------------------------------------- another policy


def test_a_bundle_answers_only_for_its_own_period(tmp_path: Path) -> None:
    """The fixture policy has two periods (2015-11-18, 2020-07-01): each bundle decides like
    decide() inside its period and refuses dates outside it, as decide() refuses early dates."""
    policy = policykit.load_policy(MINIMAL)
    requests = [{"actor": {"role": "teacher"}, "action": action, "channel": channel, **extra}
                for action in ("message", "call") for channel in ("text_message", "phone", "email")
                for extra in ({}, {"audience": ["student"]}, {"audience": ["student"], "account": "personal"},
                              {"account": "district"}, {"audience": []})]
    for day, inside, outside in ((date(2016, 3, 1), "2019-12-31", "2020-07-01"),
                                 (date(2021, 3, 1), "2030-01-01", "2020-06-30")):
        outdir = tmp_path / day.isoformat()
        write_bundle(policy, outdir, day)
        fixture = Rego(outdir)
        assert differences(policy, fixture, [{**r, "as_of": inside} for r in requests]) == []
        for request in requests[:3]:
            document = fixture.decision({**request, "as_of": outside})
            assert list(document) == ["errors"] and document["errors"][0]["pointer"] == "/as_of"
        early = fixture.decision({**requests[0], "as_of": "2015-11-17"})
        assert early["errors"][0]["pointer"] == "/as_of"
    # One bundle of every period answers in both, each decision stamped with its period's revision.
    write_bundle(policy, tmp_path / "every")
    every = Rego(tmp_path / "every")
    days = ("2015-11-18", "2019-12-31", "2020-07-01", "2030-01-01")
    assert differences(policy, every, [{**r, "as_of": day} for r in requests for day in days]) == []
    assert [every.decision({**requests[0], "as_of": day})["policy"]["revision"] for day in days] == [
        "2015-11-18", "2015-11-18", "2020-07-01", "2020-07-01"]
    early = {**requests[0], "as_of": "2015-11-17"}
    with pytest.raises(policykit.RequestError) as refused:
        policy.decide(early)
    assert every.decision(early) == {"errors": refused.value.errors}  # the same words as decide()


# ------------------------------------------------------------------------- an amendment ahead

AMENDED_DAYS = (date(2027, 8, 31), date(2027, 9, 2))
"""A day before and a day after the worked amendment's effective date (2027-09-01)."""


@pytest.fixture(scope="module")
def amended(tmp_path_factory: pytest.TempPathFactory) -> tuple[policykit.Policy, Path, list[dict]]:
    """The shipped policy with the worked amendment laid over a copy (tests/fixtures/amendments),
    the one bundle exported for it before the effective date, and the requests it is checked on:
    its scenarios (the amendment's own included), the valid corpus and 1,000 generated requests."""
    root = tmp_path_factory.mktemp("amended")
    shutil.copytree(PROJECT_ROOT / "policy", root / "policy")
    shutil.copytree(default_features_dir(), root / "features")
    effective = date.fromisoformat(amend_worked(root / "policy", root / "features"))
    assert AMENDED_DAYS[0] < effective < AMENDED_DAYS[1]
    exported_before = policykit.load_policy(root / "policy", today=lambda: AMENDED_DAYS[0])
    write_bundle(exported_before, root / "bundle")
    # The export does not depend on the day it is made: exported after the date, the same bytes.
    assert bundle_files(policykit.load_policy(root / "policy", today=lambda: AMENDED_DAYS[1])) == \
        bundle_files(exported_before)
    policy = policykit.load_policy(root / "policy")
    scenarios, issues = read_features(root / "features", [c.id for c in policy.document.clauses])
    assert issues == []
    corpus = [case.request for case in CASES if isinstance(case.request, dict) and not request_problems(case.request)]
    assert len(scenarios) > 150 and len(corpus) > 100
    assert sum("amendment" in s.feature for s in scenarios) > 5
    return policy, root / "bundle", [*(s.request() for s in scenarios), *corpus,
                                     *generated_requests(1000, seed=20270901)]


def on_each_side(requests: list[dict]) -> dict[date, list[dict]]:
    return {day: [{**request, "as_of": day.isoformat()} for request in requests] for day in AMENDED_DAYS}


def test_one_bundle_answers_before_and_after_an_amendment(amended) -> None:
    """Exported before the effective date, the bundle decides like decide() as of a day before and a
    day after it, over the scenarios, the corpus and 1,000 generated requests, on regorus: each
    decision by the clause versions in force that day, with their revision and digest."""
    policy, outdir, requests = amended
    engine = Regorus(outdir)
    stamps = set()
    for day, dated_requests in on_each_side(requests).items():
        assert differences(policy, engine, dated_requests)[:5] == [], day
        program = policy.program(day)
        stamps.add((program.revision, program.digest))
        assert observed(engine, dated_requests[0])["policy"] == {
            "id": program.policy_id, "revision": program.revision, "digest": program.digest,
            "as_of": day.isoformat()}
    assert {revision for revision, _ in stamps} == {"2015-11-18", "2027-09-01"}
    # The amendment changes answers: texting a student for school business is prohibited from its date.
    texting = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
               "audience": ["student"], "purpose": "school_business"}
    outcomes = [observed(engine, {**texting, "as_of": day.isoformat()})["outcome"] for day in AMENDED_DAYS]
    assert outcomes == [policy.decide(texting, as_of=day).outcome for day in AMENDED_DAYS]
    assert outcomes[0] != "prohibited" == outcomes[1]
    # Dates before the first revision on record stay refused.
    assert observed(engine, {**texting, "as_of": "2015-11-17"}) == {"errors": ["/as_of"]}


def test_the_amended_bundle_on_rego_cpp(amended, shipped: policykit.Policy) -> None:
    """The same bundle on rego-cpp (regopy, some four times slower than regorus), on what the
    shipped policy's tests above do not already run there. Its earlier period is the shipped
    bundle's, module for module (those tests run thousands of requests through it); what is new
    is the choice of period and the amendment's period: every scenario and corpus request as of
    the day after, and, as of the day before, every request whose answer the amendment changes."""
    policy, outdir, requests = amended
    shipped_files = bundle_files(shipped)
    assert [name for name, content in bundle_files(policy).items()
            if name.startswith(f"policykit/{PERIOD}/") and shipped_files[name] != content] == []

    def answer(request: dict) -> dict[str, Any]:
        document = expected(policy, request)
        document.pop("policy", None)
        return document

    before, after = on_each_side(requests).values()
    changed = [earlier for earlier, later in zip(before, after) if answer(earlier) != answer(later)]
    assert len(changed) > 200
    rego = Rego(outdir)
    assert differences(policy, rego, after[:len(requests) - 1000])[:5] == []
    assert differences(policy, rego, changed)[:5] == []


# ------------------------------------------------------------------ exact undetermined answers


@settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(request=valid_requests())
def test_the_bundle_is_exact_on_the_shared_strategy(shipped: policykit.Policy, rego: Rego, request: dict) -> None:
    """outcome, possible_outcomes and missing_facts are the brute-force oracle's on any valid request."""
    request = dated(request)
    assume(completion_count(shipped, request) <= 8 * ORACLE_BUDGET)
    document = observed(rego, request)
    if "errors" in document:
        assert "errors" in expected(shipped, request)
        return
    assert {k: document[k] for k in EXACT_KEYS} == exhaustive(shipped, request)


def synthetic_policy(tmp_path: Path, rules: dict[str, str]) -> policykit.Policy:
    """The fixture policy with more clauses in its communications section: clause id -> the YAML
    of its one rule case (effective from the first revision)."""
    root = tmp_path / "policy"
    shutil.copytree(MINIMAL, root)
    for clause, rule in rules.items():
        (root / "clauses" / f"{clause}.yaml").write_text(
            f'id: {clause}\ntitle: "{clause}"\nsection: communications\nkind: prohibition\nversions:\n'
            f'  - effective: "2015-11-18"\n    note: "First version."\n    text: "Synthetic clause {clause}."\n'
            f'    rule:\n{textwrap.indent(rule, " " * 6)}', encoding="utf-8")
    policy_file = root / "policy.yaml"
    text = policy_file.read_text(encoding="utf-8")
    listed = "clauses: [communications.email, communications.consequences"
    assert listed in text
    policy_file.write_text(text.replace(listed, listed + "".join(f", {c}" for c in rules)), encoding="utf-8")
    return policykit.load_policy(root)


def test_two_unknown_cases_that_cover_each_other_decide(tmp_path: Path) -> None:
    """Case A "channel is email → prohibited", case B "channel is not email → prohibited": both
    unknown when the channel is, but every completion is prohibited, so the decision is."""
    policy = synthetic_policy(tmp_path, {
        "communications.a": "- when: {fact: channel, is: email}\n  outcome: prohibited\n",
        "communications.b": "- when: {not: {fact: channel, is: email}}\n  outcome: prohibited\n"})
    write_bundle(policy, tmp_path / "bundle", AS_OF)
    rego = Rego(tmp_path / "bundle")
    request = dated({"actor": {"role": "teacher"}, "action": "message", "audience": ["staff"]})
    document = observed(rego, request)
    assert differences(policy, rego, [request]) == []
    assert {k: document[k] for k in EXACT_KEYS} == exhaustive(policy, request) == {
        "outcome": "prohibited", "possible_outcomes": [], "missing_facts": []}
    assert document["allowed"] is False
    assert [r["id"] for r in document["reasons"]] == ["communications.a", "communications.b"]
    assert document["explanation"].startswith("This is prohibited under “communications.a” (communications.a) and")
    # Cases triggered by the outcome fire once it is determined: the fixture's consequences notice.
    assert document["notices"] == observed(rego, {**request, "channel": "email"})["notices"] != []
    # With the channel known either way, the same answer by the fast path.
    for channel in ("email", "phone"):
        known = {**request, "channel": channel}
        assert differences(policy, rego, [known]) == [] and observed(rego, known)["outcome"] == "prohibited"


WIDE_OPEN = ("content", "confidentiality_uncertain", "interferes_with_duties")
WIDE = """- when:
    all:
      - {fact: channel, in: [email, text_message, messaging_app]}
      - {fact: account, in: [personal]}
      - {fact: device, in: [personal]}
      - {fact: network, in: [other]}
      - {fact: location, in: [elsewhere]}
      - {fact: purpose, in: [personal]}
      - {fact: audience, has_any: [student, parent_guardian]}
      - {fact: content, has_any: [harassing, threatening]}
      - {fact: confidentiality_uncertain, is: true}
      - {fact: interferes_with_duties, is: true}
  outcome: prohibited
"""


def test_a_wide_clause_is_decided_exactly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A clause testing ten facts at once (12 terms), beside a clause that prohibits every personal
    purpose: only the facts listed can change the outcome. With the purpose stated personal,
    nothing can. The bundle, decide() and the brute-force oracle agree."""
    vocabulary = reopened_vocabulary({(fact,): "unknown" for fact in WIDE_OPEN})
    monkeypatch.setattr(policykit.core.api, "load_vocabulary", lambda: vocabulary)
    monkeypatch.setattr(policykit.publishing.rego.model, "load_vocabulary", lambda: vocabulary)
    policy = synthetic_policy(tmp_path, {
        "communications.wide": WIDE,
        "communications.personal": "- when: {fact: purpose, is: personal}\n  outcome: prohibited\n"})
    assert len(policy.program(AS_OF).term_pairs) == 12 + 4  # the wide clause's terms, the fixture's and one
    write_bundle(policy, tmp_path / "bundle", AS_OF)
    rego = Rego(tmp_path / "bundle")
    bare = dated({"actor": {"role": "teacher"}, "action": "post"})
    document = observed(rego, bare)
    assert {k: document[k] for k in EXACT_KEYS} == exhaustive(policy, bare, vocabulary) == {
        "outcome": "undetermined", "possible_outcomes": ["permitted", "discouraged", "prohibited"],
        "missing_facts": ["channel", "account", "audience", "purpose"]}
    assert differences(policy, rego, [bare], vocabulary) == []
    for extra in ({"purpose": "personal"}, {"purpose": "school_business"}, {"audience": ["staff"]},
                  {"purpose": "school_business", "audience": ["student"]}, {"channel": "email", "account": "personal"}):
        request = {**bare, **extra}
        document = observed(rego, request)
        assert {k: document[k] for k in EXACT_KEYS} == exhaustive(policy, request, vocabulary), extra
        assert differences(policy, rego, [request], vocabulary) == [], extra
    # Without the clause that covers it, every fact the wide clause reads can matter, and the
    # bundle says so as fast as for a narrow one.
    policy = synthetic_policy(tmp_path / "alone", {"communications.wide": WIDE})
    write_bundle(policy, tmp_path / "alone-bundle", AS_OF)
    rego = Rego(tmp_path / "alone-bundle")
    request = {**bare, "audience": ["student"], "purpose": "personal"}
    started = time.perf_counter()
    document = observed(rego, request)
    assert time.perf_counter() - started < 2
    assert {k: document[k] for k in EXACT_KEYS} == exhaustive(policy, request, vocabulary) == {
        "outcome": "undetermined", "possible_outcomes": ["permitted", "discouraged", "prohibited"],
        "missing_facts": ["channel", "account", "device", "network", "location", "content",
                          "confidentiality_uncertain", "interferes_with_duties"]}

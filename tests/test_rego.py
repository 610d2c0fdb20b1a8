"""The OPA bundle (`policykit export rego`) against decide(): export is deterministic and
stamped with the policy digest, and on regopy (rego-cpp) `data.policykit.decision` gives the
same decision document as decide() for every scenario's request, every valid corpus request
and 5,000 generated valid requests (plus the small fixture policy, across its two periods)."""

from __future__ import annotations

import copy
import json
import random
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import regopy
from conftest import MINIMAL
from corpus_cases import CASES
from hypothesis import HealthCheck, given, settings
from strategies import FIRST_DATE, valid_requests

import policykit
import policykit.core.api
import policykit.publishing.rego
from policykit.interfaces.cli import main
from policykit.core.paths import default_features_dir
from policykit.publishing.rego import ENTRYPOINT, MODULES, bundle_files, load_bundle_into, write_bundle
from policykit.core.request import request_problems
from policykit.authoring.scenarios import read_features
from policykit.core.schemaerrors import load_schema
from policykit.core.vocabulary import load_vocabulary, vocabulary_from_schema

AS_OF = date(2026, 1, 5)
GENERATED = 5000
EXPLANATION_SENTENCES = (  # words from each kind of sentence engine._explain writes
    "The answer depends on facts the question did not give", "Nothing in the policy restricts this",
    "This is not allowed yet under", "Not yet: first ", "This holds provided you ", "In any case, provided you ",
    "What you had to do first is done, but approval is still pending.",
    "This rests on a reading of the policy that the Board of Education has not yet confirmed",
    *(value.read_as.explanation for _, value in load_vocabulary().read_as_rules()),
)
BUNDLE_FILES = [".manifest", "data.json", *MODULES]


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


def differences(policy: policykit.Policy, rego: Rego, requests: list[dict]) -> list[str]:
    found = []
    for request in requests:
        want, got = expected(policy, request), observed(rego, request)
        if got != want:
            keys = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
            found.append(f"{json.dumps(request)}: " + "; ".join(
                f"{k}: decide()={json.dumps(want.get(k))} rego={json.dumps(got.get(k))}" for k in keys))
    return found


@pytest.fixture(scope="module")
def shipped() -> policykit.Policy:
    return policykit.load_policy()


@pytest.fixture(scope="module")
def bundle(shipped: policykit.Policy, tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("bundle")
    write_bundle(shipped, outdir, AS_OF)
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
    written = write_bundle(shipped, first, AS_OF)
    write_bundle(policykit.load_policy(), second, date(2031, 5, 17))  # another load, another day, same digest
    assert [p.relative_to(first).as_posix() for p in written] == sorted(BUNDLE_FILES)
    for name in BUNDLE_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert b"2026" not in (first / "data.json").read_bytes()  # no export date, no timestamp


def test_manifest_revision_is_the_policy_digest(shipped: policykit.Policy, bundle: Path) -> None:
    manifest = json.loads((bundle / ".manifest").read_text(encoding="utf-8"))
    program = shipped.program(AS_OF)
    assert manifest["revision"] == program.digest
    assert manifest["roots"] == ["policykit"]
    assert manifest["rego_version"] == 1
    data = json.loads((bundle / "data.json").read_text(encoding="utf-8"))
    assert list(data) == ["policykit"]
    assert data["policykit"]["clauses"] == [reason.to_dict() for reason in program.reasons]
    assert data["policykit"]["program"]["policy"]["digest"] == program.digest


def test_the_rego_is_generated_from_every_rule_case(shipped: policykit.Policy, bundle: Path) -> None:
    program = shipped.program(AS_OF)
    cases = (bundle / "policykit/cases.rego").read_text(encoding="utf-8")
    assert cases.startswith("# Generated by `policykit export rego`")
    assert "package policykit.cases" in cases
    assert program.digest in cases
    bodies = [line for line in cases.splitlines() if re.match(r"case_[0-9]+ if ", line)]
    assert len(bodies) == len(program.term_pairs)  # one body per compiled term
    for reason in program.reasons:
        clause = shipped.document.clause(reason.id)
        if clause.version_on(AS_OF).rule:
            assert f"# {reason.id}: " in cases, reason.id
    decision = (bundle / "policykit/decision.rego").read_text(encoding="utf-8")
    assert "package policykit\n" in decision and "\ndecision := {" in decision
    assert "import rego.v1" not in decision + cases  # Rego v1 syntax throughout


def test_cli_exports_the_same_bundle(shipped: policykit.Policy, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    outdir = tmp_path / "out" / "bundle"
    code = main(["export", "rego", str(outdir), "--as-of", AS_OF.isoformat()])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert shipped.program(AS_OF).digest in out and "data.policykit.decision" in out
    for name, content in bundle_files(shipped, AS_OF).items():
        assert (outdir / name).read_bytes() == content, name


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
    explanations = [document["explanation"] for document in documents if "explanation" in document]
    for words in EXPLANATION_SENTENCES:
        assert any(words in text for text in explanations), words
    assert differences(shipped, rego, requests)[:5] == []


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(request=valid_requests())
def test_requests_from_the_shared_strategy_decide_alike(shipped: policykit.Policy, rego: Rego, request: dict) -> None:
    assert differences(shipped, rego, [dated(request)]) == []


def test_a_request_without_a_date_is_answered_for_today(shipped: policykit.Policy, rego: Rego) -> None:
    request = {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media"}
    document, want = rego.decision(request), expected(shipped, request, date.today())
    assert document.pop("policy")["as_of"] in {date.today().isoformat(), datetime.now(timezone.utc).date().isoformat()}
    want.pop("policy")
    assert document == want


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
    program = json.loads((bundle / "data.json").read_text(encoding="utf-8"))["policykit"]["program"]
    reads = {read["fact"]: read for entry in program["missing"] if entry for read in entry["reads"]}
    assert reads and all(read["open"] is vocabulary[fact].open for fact, read in reads.items())
    met_open = {tuple(case["obligation"]["met_by"]): case["obligation"]["met_open"]
                for case in program["cases"] if case["obligation"] and case["obligation"]["met_by"]}
    assert met_open == {tuple(path.split(".")): vocabulary[path].open for path in map(".".join, met_open)}
    for fact in ("site.supervisor_informed", "site.parents_notified", "site.monitored"):
        assert vocabulary[fact].open and met_open[tuple(fact.split("."))] is True, fact
    assert not vocabulary["site.approved"].open and reads["site.approved"]["open"] is False


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
    for site in ({"approved": True}, {"approved": True, "monitored": True}, {"approved": True, "parents_notified": True}):
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
    assert "In any case, provided you " in document["explanation"]


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
    monkeypatch.setattr(policykit.publishing.rego, "load_vocabulary", lambda: vocabulary)
    policy = policykit.load_policy()
    write_bundle(policy, tmp_path, AS_OF)
    rego = Rego(tmp_path)
    requests = [dated(r) for r in generated_requests(1000, seed=20261202)]
    site_post = {**SITE_POST, "site": {}}
    requests += [site_post, {**site_post, "site": {"approved": True}}]
    assert policy.decide(site_post).outcome == "undetermined"  # approval is now unknown when missing
    assert differences(policy, rego, requests)[:5] == []


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

"""The browser's evaluator (``policykit.js`` of ``policykit.publishing.browser``, reading
``policykit.publishing.ask``'s data) against ``Policy.decide(..., alternatives=True)``: thousands of
seeded requests over the vocabulary, the whole question corpus and malformed requests, in Debian's
Chromium; then the same for mutated policies, to show the page's answers come from the compiled
policy and change with it, and for small synthetic policies where only an exact reading of what is
at stake gives the right answer."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

import policykit
from conftest import MINIMAL
from policykit.core.api import Policy
from policykit.publishing.ask import ask_data, information_notices_missing, understanding
from policykit.publishing.browser import script_text
from policykit.core.conditions import All, Not
from policykit.core.conditions import Test as FactTest
from policykit.core.errors import RequestError
from policykit.core.loader import load_policy_dir
from policykit.core.model import OUTCOMES
from policykit.authoring.mutate import mutants
from policykit.authoring.questions import all_questions, load_questions
from policykit.core.vocabulary import load_vocabulary
from evaluatorpage import write_evaluator_page
from synthetic import ALL_CHANNELS, EMAIL, NARROW, WIDE, synthetic

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

DAY = date(2026, 1, 5)
VOCABULARY = load_vocabulary()


def _object(rng: random.Random, prefix: str) -> dict:
    """A valid request: the required facts, and each optional one given about a third of the time."""
    out: dict = {}
    for fact in VOCABULARY.facts:
        parent, _, name = fact.path.rpartition(".")
        if parent != prefix or (not fact.required and rng.random() < 0.65):
            continue
        if fact.kind == "object":
            out[name] = _object(rng, fact.path)
        elif fact.kind == "choice":
            out[name] = rng.choice(fact.value_names)
        elif fact.kind == "list":
            out[name] = rng.sample(fact.value_names, rng.randint(0, min(2, len(fact.values))))
        elif fact.kind == "boolean":
            out[name] = rng.random() < 0.5
        elif fact.kind == "date":
            out[name] = rng.choice(["2015-11-18", "2020-02-29", "2026-01-05", "2031-07-01"])
    return out


def generated_requests(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [_object(rng, "") for _ in range(count)]


def malformed_requests(seed: int) -> list[object]:
    """Valid requests with one thing broken, and things that are not requests at all."""
    rng = random.Random(seed)
    names = [f.path.split(".")[-1] for f in VOCABULARY.facts] + ["chanel", "x"]
    junk: list[object] = [None, 3, "message", [], True, {"x": 1}, [{"actor": {"role": "teacher"}}]]
    broken: list[object] = list(junk)
    for _ in range(150):
        request = _object(rng, "")
        how = rng.randrange(5)
        if how == 0:
            del request[rng.choice(["actor", "action"])]
        elif how == 1:
            request[rng.choice(names)] = rng.choice(junk + ["nope", ["student", "student"], 1.5])
        elif how == 2:
            request["actor"] = rng.choice([{}, {"role": "janitor"}, {"role": "teacher", "x": 1}, "teacher"])
        elif how == 3:
            request["as_of"] = rng.choice(["2015-11-17", "2026-02-30", "05/01/2026", 20260105, "2001-01-01"])
        else:
            request["audience"] = rng.choice([["student", "student"], "student", [1], ["pupil"]])
        broken.append(request)
    return broken


def python_answers(policy: Policy, requests: list, days: list[date]) -> list[dict]:
    answers = []
    for request, day in zip(requests, days):
        try:
            data = policy.decide(request, as_of=day, alternatives=True).to_dict()
        except RequestError as error:
            data = {"error": sorted(problem.pointer for problem in error.problems)}
        else:
            del data["decision_id"]
        answers.append(data)
    return answers


BATCH = """([requests, days]) => requests.map((request, i) => {
  try {
    const decision = window.policykit.decide(request, {as_of: days[i]});
    delete decision.decision_id;
    return decision;
  } catch (error) {
    return {error: (error.problems || []).map(p => p.pointer), name: error.name};
  }
})"""


def browser_answers(page: Page, requests: list, days: list[date], batch: int = 1500) -> list[dict]:
    texts = [day.isoformat() for day in days]
    answers: list[dict] = []
    for start in range(0, len(requests), batch):
        answers += page.evaluate(BATCH, [requests[start:start + batch], texts[start:start + batch]])
    return answers


def assert_same(requests: list, python: list[dict], browser: list[dict]) -> None:
    wrong = []
    for request, expected, got in zip(requests, python, browser):
        if "error" in expected:
            # Both refuse it, and the browser names a field Python names (or one inside it).
            named = got.get("error")
            ok = named is not None and len(named) == 1 and got.get("name") == "RequestError" and any(
                named[0] == pointer or named[0].startswith(pointer + "/") for pointer in expected["error"])
            if not ok:
                wrong.append((request, expected, got))
        elif got != expected:
            fields = sorted(k for k in set(expected) | set(got) if expected.get(k) != got.get(k))
            wrong.append((request, {k: expected.get(k) for k in fields}, {k: got.get(k) for k in fields}))
    assert not wrong, f"{len(wrong)} of {len(requests)} differ; first: {json.dumps(wrong[0], indent=1)[:3000]}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()


def evaluator_page(browser: Browser, policy: Policy, where: Path) -> Page:
    """A bare page with the policy's data and the interpreter, opened from file://."""
    index = write_evaluator_page(policy, where)
    page = browser.new_page()
    page.goto(index.as_uri())
    assert page.evaluate("typeof window.policykit.decide") == "function"
    return page


@pytest.fixture(scope="module")
def policy() -> Policy:
    return policykit.load_policy()


def test_the_browser_decides_as_python_does(browser: Browser, policy: Policy, tmp_path: Path) -> None:
    page = evaluator_page(browser, policy, tmp_path)
    requests: list = generated_requests(5000, seed=15)
    days = [DAY] * len(requests)
    for question in all_questions(load_questions(policy=policy.document)):
        requests.append(question.request)
        days.append(question.as_of)
    broken = malformed_requests(seed=15)
    requests += broken
    days += [DAY] * len(broken)
    python = python_answers(policy, requests, days)
    browser = browser_answers(page, requests, days)
    assert sum("error" in answer for answer in python) >= len(broken) - 5  # nearly every broken one is refused
    assert len({answer.get("outcome") for answer in python}) == 6  # every outcome, and refusals, occur
    assert sum(bool(answer.get("alternatives")) for answer in python) > 500
    assert sum(bool(answer.get("questions")) for answer in python) > 500
    assert sum(bool(r.get("seen_by")) for r in requests if isinstance(r, dict)) > 500  # seen_by is drawn too
    assert_same(requests, python, browser)
    page.close()


def test_without_a_date_the_browser_answers_for_today(browser: Browser, policy: Policy, tmp_path: Path) -> None:
    page = evaluator_page(browser, policy, tmp_path)
    request = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
               "audience": ["student"], "purpose": "personal"}
    before = policy.date_at(datetime.now(timezone.utc))
    got = page.evaluate("(r) => window.policykit.decide(r)", request)
    after = policy.date_at(datetime.now(timezone.utc))  # today in the policy's time zone, not the device's
    assert got["policy"]["as_of"] in {before.isoformat(), after.isoformat()}
    assert got["outcome"] == policy.decide(request, as_of=date.fromisoformat(got["policy"]["as_of"])).outcome
    with pytest.raises(Exception, match="/channel"):
        page.evaluate("(r) => window.policykit.decide(r)", {**request, "channel": "pigeon"})
    page.close()


def test_the_data_is_generated_from_the_policy(policy: Policy) -> None:
    data = ask_data(policy)
    assert len(data["programs"]) == len(policy._programs)
    for emitted, program in zip(data["programs"], policy._programs):
        assert len(emitted["terms"]) == len(program.term_pairs)
        assert [r["id"] for r in emitted["reasons"]] == [r.id for r in program.reasons]
        assert emitted["digest"] == program.digest
    assert "relationships" not in script_text("policykit.js")  # no clause id in the interpreter


def test_every_question_for_information_names_notices_of_the_policy(policy: Policy) -> None:
    """The published policy has every notice that answers a question for information in words; a
    policy without them (here the minimal test policy) answers none of them in words."""
    assert information_notices_missing(policy) == []
    assert [len(i["notices"]) for i in ask_data(policy)["understand"]["information"]] \
        == [len(i["notices"]) for i in understanding()["information"]]
    assert ask_data(Policy(load_policy_dir(MINIMAL)))["understand"]["information"] == []


def _kind(description: str) -> str:
    if "->" in description:
        before, after = description.split(": ")[-1].split(" -> ")
        return "stronger" if OUTCOMES.index(after) > OUTCOMES.index(before) else "weaker"
    if "condition" in description:
        return "condition"
    return "rule" if description == "drop the rule" else "case"


def _mutant_sample(policy: Policy, corpus: list, days: list) -> list:
    """One mutant of each kind (the rule dropped, a case dropped, an outcome weaker, one stronger,
    a condition dropped), each the first of its kind that changes a corpus answer."""
    def outcomes(changed: Policy) -> list:
        return [changed.decide(request, as_of=day).verdict for request, day in zip(corpus, days)]

    original = outcomes(policy)
    chosen: dict[str, object] = {}
    for mutant in mutants(policy.document, DAY):
        kind = _kind(mutant.description)
        if kind not in chosen and outcomes(changed := Policy(mutant.document)) != original:
            chosen[kind] = (mutant, changed)
        if len(chosen) == 5:
            break
    return list(chosen.values())


def test_mutated_policies_change_the_browser_as_they_change_python(browser: Browser, policy: Policy,
                                                                   tmp_path: Path) -> None:
    questions = [q for q in all_questions(load_questions(policy=policy.document)) if not q.is_refused]
    corpus = [q.request for q in questions]
    corpus_days = [q.as_of for q in questions]
    sample = _mutant_sample(policy, corpus, corpus_days)
    assert len(sample) == 5
    requests = corpus + generated_requests(300, seed=16)
    days = corpus_days + [DAY] * 300
    original = python_answers(policy, requests, days)
    for index, (mutant, changed) in enumerate(sample):
        page = evaluator_page(browser, changed, tmp_path / f"mutant-{index}")
        python = python_answers(changed, requests, days)
        answers = browser_answers(page, requests, days)
        assert python != original, mutant.description
        assert_same(requests, python, answers)
        page.close()


def test_exact_answers_on_synthetic_policies_reach_the_browser(browser: Browser, tmp_path: Path) -> None:
    """Where the old per-case enumeration was inexact: cases covering each other (every completion
    prohibited: determined, nothing missing), a wide clause another one covers (only the other's
    facts missing), wide cases covering each other, a value the rules never see (x-read-as); the
    browser answers as Python does."""
    minimal = load_policy_dir(MINIMAL)
    counseling = FactTest("purpose", "is", "counseling")  # a teacher's is read as personal
    halves = [ALL_CHANNELS[:4], ALL_CHANNELS[4:]]
    policies = {
        "a-b": synthetic(minimal, [[(EMAIL, "prohibited")], [(Not(EMAIL), "prohibited")],
                                   [(FactTest("account", "is", "personal"), "discouraged")]]),
        "wide-narrow": synthetic(minimal, [[(WIDE, "prohibited")], [(NARROW, "prohibited")]]),
        "wide-halves": synthetic(minimal, [[(All((FactTest("channel", "in", half), *WIDE.items[1:])), "prohibited")]
                                           for half in halves] + [[(All(WIDE.items[1:]), "discouraged")]]),
        "read-as": synthetic(minimal, [[(Not(counseling), "prohibited")], [(counseling, "discouraged")]]),
    }
    bare = {"actor": {"role": "teacher"}, "action": "message", "content": ["harassing"]}
    full = {**bare, "purpose": "personal", "audience": ["public"], "account": "personal", "device": "personal",
            "network": "other", "location": "elsewhere"}
    shown = {  # policy -> (request, (outcome, missing_facts, possible_outcomes)) each must show
        "a-b": (bare, ("prohibited", [], [])),
        "wide-narrow": (bare, ("undetermined", ["channel", "purpose"], ["permitted", "prohibited"])),
        "wide-halves": (full, ("prohibited", [], [])),
        "read-as": (bare, ("prohibited", [], [])),
    }
    requests = [bare, full, {k: v for k, v in full.items() if k != "purpose"},
                {**bare, "actor": {"role": "school_counselor"}}] + generated_requests(400, seed=17)
    days = [DAY] * len(requests)
    for name, policy in policies.items():
        page = evaluator_page(browser, policy, tmp_path / name)
        python = python_answers(policy, requests, days)
        request, expected = shown[name]
        answer = python[requests.index(request)]
        assert (answer["outcome"], answer["missing_facts"], answer["possible_outcomes"]) == expected, name
        assert_same(requests, python, browser_answers(page, requests, days))
        page.close()


def _full_object(rng: random.Random, prefix: str) -> dict:
    """A valid request giving nearly every fact, lists with any number of items (up to every content
    item): the requests whose alternatives search is largest."""
    out: dict = {}
    for fact in VOCABULARY.facts:
        parent, _, name = fact.path.rpartition(".")
        if parent != prefix or (not fact.required and rng.random() < 0.15) or fact.kind == "date":
            continue
        if fact.kind == "object":
            out[name] = _full_object(rng, fact.path)
        elif fact.kind == "choice":
            out[name] = rng.choice(fact.value_names)
        elif fact.kind == "list":
            out[name] = rng.sample(fact.value_names, rng.randint(0, len(fact.values)))
        elif fact.kind == "boolean":
            out[name] = rng.random() < 0.3
    return out


def _budget_page(browser: Browser, policy: Policy, where: Path, budget: int) -> Page:
    """An evaluator page whose data declares another search budget."""
    data = ask_data(policy)
    data["search"]["budget"] = budget
    index = write_evaluator_page(policy, where, "window.POLICYKIT_DATA = " + json.dumps(data) + ";\n")
    page = browser.new_page()
    page.goto(index.as_uri())
    return page


@pytest.mark.parametrize("budget", [None, 4], ids=["declared-budget", "budget-4"])
def test_the_browser_searches_within_the_same_budget_as_python(browser: Browser, policy: Policy, tmp_path: Path,
                                                               budget: int | None) -> None:
    """Requests with many content items and nearly every controllable fact, some of which reach
    the search budget: the browser (reading the budget from the data, as Python reads it from the
    decision schema) tries the same change sets, stops at the same one and answers the same,
    ``alternatives_complete`` included."""
    from policykit.core.alternatives import SearchBudget

    rng = random.Random(22)
    requests = [_full_object(rng, "") for _ in range(250 if budget is None else 150)]
    days = [DAY] * len(requests)
    limit = budget if budget is not None else ask_data(policy)["search"]["budget"]
    python = []
    for request in requests:
        data = policy.decide(request, as_of=DAY, alternatives=True, budget=SearchBudget(limit)).to_dict()
        del data["decision_id"]
        python.append(data)
    page = _budget_page(browser, policy, tmp_path, limit)
    assert_same(requests, python, browser_answers(page, requests, days))
    assert sum(answer.get("alternatives_complete") is False for answer in python) >= (10 if budget is None else 25)
    assert sum(answer.get("alternatives_complete") is False and bool(answer.get("alternatives"))
               for answer in python) >= 5  # cut short, and still some ways found: the same ones in the browser
    assert sum(bool(answer.get("alternatives")) for answer in python) >= (50 if budget is None else 20)
    page.close()

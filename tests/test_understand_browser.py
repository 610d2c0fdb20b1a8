"""``window.policykit.understand`` (``understand.js`` of ``policykit.publishing.browser``) in Debian's
Chromium, on the everyday phrasings of tests/corpus/phrasings.yaml: nothing is read that the words
do not say (precision), every fact they state is read or offered as a choice (recall), each reading
names the words that gave it, and what it reads is a request the evaluator accepts. The page's data
comes from the policy and the request schema, as on the site
(``policykit.publishing.ask.ask_script``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import policykit
from conftest import PROJECT_ROOT
from policykit.core.vocabulary import load_vocabulary
from policykit.publishing.ask import ask_script
from policykit.publishing.browser import script_text

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

PHRASINGS = yaml.safe_load((PROJECT_ROOT / "tests" / "corpus" / "phrasings.yaml").read_text(encoding="utf-8"))
VOCABULARY = load_vocabulary()


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        tab = browser.new_page()
        tab.set_content("<!doctype html><title>understand</title>")
        tab.add_script_tag(content=ask_script(policykit.load_policy()))
        for name in ("policykit.js", "understand.js"):
            tab.add_script_tag(content=script_text(name))
        yield tab
        browser.close()


@pytest.fixture(scope="module")
def readings(page: Page) -> list[dict]:
    """What the page reads in every phrasing, in the file's order."""
    return page.evaluate("(texts) => texts.map(t => window.policykit.understand(t))", [p["say"] for p in PHRASINGS])


def _pairs(expected: dict) -> set[tuple[str, object]]:
    pairs = set()
    for fact, value in expected.items():
        for item in (value if isinstance(value, list) else [value]):
            pairs.add((fact, item))
    return pairs


def test_the_phrasings_are_many_and_varied() -> None:
    assert len(PHRASINGS) >= 150
    facts = {fact for p in PHRASINGS for fact in p["read"]} | {fact for p in PHRASINGS for fact in p["unsure"]}
    assert {"actor.role", "action", "channel", "account", "device", "audience", "seen_by", "purpose", "content",
            "audience_is_family", "site.approved"} <= facts


def test_nothing_is_read_that_the_words_do_not_say(readings: list[dict]) -> None:
    wrong = []
    for phrasing, got in zip(PHRASINGS, readings):
        said = _pairs(phrasing["read"])
        extra = [(r["fact"], r["value"]) for r in got["read"] if (r["fact"], r["value"]) not in said]
        if extra:
            wrong.append((phrasing["say"], extra))
    assert wrong == []


def test_every_fact_stated_is_read_or_offered(readings: list[dict]) -> None:
    missed = []
    for phrasing, got in zip(PHRASINGS, readings):
        seen = {r["fact"] for r in got["read"]} | {u["fact"] for u in got["unsure"]}
        stated = set(phrasing["read"]) | set(phrasing["unsure"])
        if stated - seen:
            missed.append((phrasing["say"], sorted(stated - seen)))
    assert missed == []


def test_each_phrasing_reads_exactly_as_recorded(readings: list[dict]) -> None:
    got = [{"say": p["say"], "read": sorted(map(repr, {(r["fact"], r["value"]) for r in g["read"]})),
            "unsure": sorted({u["fact"] for u in g["unsure"]})} for p, g in zip(PHRASINGS, readings)]
    want = [{"say": p["say"], "read": sorted(map(repr, _pairs(p["read"]))), "unsure": sorted(p["unsure"])}
            for p in PHRASINGS]
    assert got == want


def test_each_reading_names_the_words_that_gave_it(readings: list[dict]) -> None:
    for phrasing, got in zip(PHRASINGS, readings):
        for r in got["read"] + got["unsure"]:
            for words in r["words"].split(", "):
                assert words and words in phrasing["say"], (phrasing["say"], r)


def test_the_choices_offered_are_values_of_their_fact(readings: list[dict]) -> None:
    for phrasing, got in zip(PHRASINGS, readings):
        for u in got["unsure"]:
            fact = VOCABULARY[u["fact"]]
            allowed = [True, False] if fact.kind == "boolean" else list(fact.value_names)
            assert u["choices"] and all(c in allowed for c in u["choices"]), (phrasing["say"], u)


def test_what_is_read_is_a_request_the_policy_answers(readings: list[dict]) -> None:
    policy = policykit.load_policy()
    for phrasing, got in zip(PHRASINGS, readings):
        request = dict(got["request"])
        request.setdefault("actor", {}).setdefault("role", "teacher")
        request.setdefault("action", "message")
        request["as_of"] = "2026-01-05"
        policy.decide(request)  # raises RequestError for an unknown fact or value
        flat = _pairs({r["fact"]: r["value"] for r in got["read"]})
        assert {pair for pair in flat} <= _pairs(phrasing["read"])


@pytest.mark.parametrize(("text", "read", "not_read"), [
    # "personal" before a phone, an e-mail or an account names the device or the account, not the purpose
    ("Can I text a student about tomorrow's field trip from my personal phone?",
     {("device", "personal"), ("purpose", "school_business")}, {("purpose", "personal")}),
    ("Can I e-mail a parent from my personal email about grades?",
     {("account", "personal"), ("purpose", "school_business")}, {("purpose", "personal")}),
    # a former student is not a student
    ("Can I call a former student?", {("audience", "former_student")}, {("audience", "student")}),
    # students who can see it are seen_by, not the audience
    ("My Instagram is public and some students follow it. Can I post photos from my vacation?",
     {("seen_by", "student")}, {("audience", "student")}),
    # plurals and misspellings count
    ("Can I text students?", {("audience", "student"), ("channel", "text_message")}, set()),
    ("Can I txt a studnet?", {("audience", "student"), ("channel", "text_message")}, set()),
])
def test_the_words_that_can_mislead(page: Page, text: str, read: set, not_read: set) -> None:
    got = page.evaluate("(t) => window.policykit.understand(t)", text)
    pairs = {(r["fact"], r["value"]) for r in got["read"]}
    assert read <= pairs and not (not_read & pairs), got


def test_a_word_that_can_mean_several_things_is_a_choice(page: Page) -> None:
    got = page.evaluate("(t) => window.policykit.understand(t)",
                        "Is it okay to post something personal-ish in private?")
    assert [r["fact"] for r in got["read"]] == ["action"]
    assert got["unsure"] == [{"fact": "purpose", "words": "private",
                              "choices": ["personal", "school_business", "extracurricular"]}]


def test_nothing_typed_means_nothing_read(page: Page) -> None:
    assert page.evaluate("() => window.policykit.understand('')") == {
        "request": {}, "read": [], "unsure": [], "information": []}


def test_questions_for_information_are_recognised(page: Page) -> None:
    """Every question for information of the corpus is read as one, and among the notices that
    can answer it is the one the corpus names."""
    from policykit.authoring.questions import all_questions, load_questions

    policy = policykit.load_policy()
    questions = [q for q in all_questions(load_questions(policy=policy.document)) if q.is_information]
    found = page.evaluate("(texts) => texts.map(t => window.policykit.understand(t).information)",
                          [q.ask for q in questions])
    missed = [q.id for q, info in zip(questions, found) if not any(q.information.notice in i["notices"] for i in info)]
    assert len(questions) >= 15 and missed == []


def test_a_may_i_question_is_not_one_for_information(readings: list[dict]) -> None:
    from policykit.authoring.questions import all_questions, load_questions

    policy = policykit.load_policy()
    informative = {q.ask for q in all_questions(load_questions(policy=policy.document)) if q.is_information}
    asking = [p["say"] for p, got in zip(PHRASINGS, readings)
              if got["information"] and p["say"].startswith(("Can I ", "May I ")) and p["say"] not in informative]
    assert asking == []

"""The review of a change (``authoring.review``), as a board member reads it: for the worked
amendment (tests/fixtures/amendments/) and for a second amendment written here (texting and calling
students prohibited for any purpose), checked against plain loops of ``Policy.decide``: the
changed questions, each sentence's example and witnesses, the size of the summary, and the same
content in JSON and Markdown. The dates compared are read from the policy files."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta

import pytest

from amend import amend_texting
from conftest import PROJECT_ROOT, Amended
from policykit.authoring import affected, diff, review
from policykit.core.api import load_policy
from policykit.core.errors import RequestError


@pytest.fixture(scope="module")
def texting(tmp_path_factory) -> Amended:
    """The texting amendment on a copy, in force from a next term after the shipped policy's last
    effective date (2027-01-19 while that is 2015-11-18), reviewed from the day before."""
    root = tmp_path_factory.mktemp("texting")
    shutil.copytree(PROJECT_ROOT / "policy", root / "policy")
    shipped = load_policy(PROJECT_ROOT / "policy")
    effective = max([*shipped.document.effective_dates(), date(2026, 12, 31)]) + timedelta(days=19)
    amend_texting(root / "policy", effective.isoformat())
    day = effective - timedelta(days=1)
    old, new = diff.Side("main", shipped, day), diff.Side("amend", load_policy(root / "policy"), day)
    return Amended(root, effective, old, new, review.review(old, new))


@pytest.fixture(params=["worked", "texting"])
def amended(request, worked_amendment, texting) -> Amended:
    return worked_amendment if request.param == "worked" else texting


def _outcome(policy, request: dict, day: date) -> str | None:
    try:
        return policy.decide(request, as_of=day).outcome
    except RequestError:
        return None


def _features(amended: Amended):
    features = amended.root / "features"
    return features if features.is_dir() else None


def test_the_dates_compared_are_the_day_and_every_later_effective_date(amended):
    later = {d for side in (amended.old, amended.new) for d in side.policy.document.effective_dates()
             if d > amended.old.day}
    assert [d.day for d in amended.review.dates] == [amended.old.day, *sorted(later)]
    assert amended.effective in later
    dated = amended.dated(amended.effective)
    assert dated.report.changes and dated.questions and dated.sentences


def test_the_changed_questions_are_those_whose_answers_differ(amended):
    """A plain loop over the question corpus and the scenarios, each asked as of each compared date."""
    asked = affected.everyday_questions(features=_features(amended))
    assert len(asked) > 100
    for dated in amended.review.dates:
        differ = set()
        for question in asked:
            before = _outcome(amended.old.policy, question.request, dated.day)
            after = _outcome(amended.new.policy, question.request, dated.day)
            if before is not None and after is not None and before != after:
                differ.add((question.id, before, after))
        assert {(q.asked.id, q.old, q.new) for q in dated.questions} == differ, dated.day
        assert dated.asked == len(asked)


def _sentences(amended: Amended):
    for dated in amended.review.dates:
        for sentence in dated.sentences:
            yield dated.day, sentence


def test_each_example_changes_as_its_sentence_says(amended):
    by_id = {q.id: q for q in affected.everyday_questions(features=_features(amended))}
    said = list(_sentences(amended))
    assert said
    for day, sentence in said:
        assert (_outcome(amended.old.policy, sentence.example, day),
                _outcome(amended.new.policy, sentence.example, day)) == (sentence.old, sentence.new), sentence.words()
        assert sentence.example_words
        for covered in sentence.covers:
            request = by_id[covered].request
            assert (_outcome(amended.old.policy, request, day),
                    _outcome(amended.new.policy, request, day)) == (sentence.old, sentence.new), covered


def test_every_witness_changes_differently_or_not_at_all(amended):
    """Each condition's witness meets the sentence's other conditions (but those on the facts of a
    site, when the condition is that a site is involved) but not this one, and
    ``Policy.decide`` changes it otherwise than the sentence says (or not at all)."""
    witnesses = 0
    for day, sentence in _sentences(amended):
        every = (*sentence.conditions, *sentence.unless)
        for condition in every:
            witnesses += 1
            before = _outcome(amended.old.policy, condition.witness, day)
            after = _outcome(amended.new.policy, condition.witness, day)
            assert (before, after) == (condition.witness_old, condition.witness_new)
            assert (before, after) != (sentence.old, sentence.new), (sentence.words(), condition.words)
            # the site's own facts (approved, monitored, ...) go with the site: without it they are not asked
            # and a list's items with the list (without "the audience is given", no one it reaches is)
            others = [(c.fact, c.item, c.values) for c in every
                      if c is not condition and not c.fact.startswith(condition.fact + ".")
                      and not (c.item and c.fact == condition.fact and not condition.item)]
            assert affected.matches(others, condition.witness), condition.words
            assert not affected.matches([(condition.fact, condition.item, condition.values)], condition.witness)
    assert witnesses > 0


def test_sentences_name_only_the_conditions_that_matter(amended):
    """No "not (…)" list in a sentence: content flags another rule decides are said once."""
    for _, sentence in _sentences(amended):
        words = sentence.words()
        assert "not (" not in words, words
        assert len(sentence.conditions) <= 12, words
        said = [c.words for c in sentence.conditions]
        assert len(said) == len(set(said)), words
        assert words.endswith(", unless another rule already decides it") == bool(sentence.unless)


def _summary(markdown: str) -> str:
    return re.sub(r"<details>.*?</details>", "", markdown, flags=re.S)


def test_the_summary_leads_with_the_changed_questions_and_fits_in_8_kb(amended):
    markdown = review.to_markdown(amended.review)
    summary = _summary(markdown)
    assert len(summary.encode()) <= 8_000
    assert len(markdown) <= review.COMMENT_CHARACTERS
    section = summary[summary.index(f"### From {amended.effective.isoformat()}"):]
    dated = amended.dated(amended.effective)
    assert section.index(f"**{len(dated.questions)} of {dated.asked} questions change**") \
        < section.index("**Who is affected**") < section.index("**Clauses**")
    assert dated.questions[0].asked.words in section and dated.sentences[0].words() in section


def test_json_and_markdown_carry_the_same_content(amended):
    markdown = review.to_markdown(amended.review)
    data = amended.review.to_dict()
    assert [d["date"] for d in data["dates"]] == [d.day.isoformat() for d in amended.review.dates]
    sections = re.split(r"^### (?:Today, |From )", markdown, flags=re.M)[1:]
    assert len(sections) == len(data["dates"])
    for section, dated in zip(sections, data["dates"]):
        assert section.startswith(dated["date"])
        for clause in dated["clauses"]:
            assert f"`{clause['clause']}`" in section and clause["effective"] in section
        for question in dated["questions"]["list"]:
            assert f"{question['question']} (`{question['id']}`)" in section
        for sentence in dated["sentences"]:
            assert sentence["sentence"] in section
            for condition in (*sentence["conditions"], *sentence["unless"]):
                assert condition["words"] in section and condition["witness"]
        impact = dated["impact"]
        if dated["clauses"]:
            assert (f"The outcome changes for {impact['outcome_changed']:,} of {impact['requests']:,} requests; "
                    f"for {impact['other_changed']:,} more") in section
            assert sum(p["outcome_changed"] for p in impact["patterns"]) \
                == sum(1 for f in amended.dated(date.fromisoformat(dated["date"])).report.flips if f.outcome_changed)
        else:
            assert "No clause text or rule changes." in section
    assert data["outcome_changed"] == sum(d["impact"]["outcome_changed"] for d in data["dates"])

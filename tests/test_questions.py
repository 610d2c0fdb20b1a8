"""The corpus of everyday staff questions (questions/*.yaml, docs/semantics.md#confidence): what it must
hold, that it loads (and that a broken file is reported, located, all at once), that every quote
is the policy's own words, that every answer is an accepted one, through the Python API, the
CLI, the HTTP server, the Rego bundle and the browser's evaluator alike, and that questions for
information are answered in words by their notice, on the Common questions page too."""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import regopy
import yaml
from conftest import FIXTURES, PROJECT_ROOT
from liveserver import LiveServer

import policykit
from policykit.authoring.answers import answer_in_words, answer_problems, information_answer
from policykit.authoring.questions import (
    Information,
    Question,
    Topic,
    all_questions,
    check_questions_dir,
    load_questions,
    load_readings,
)
from policykit.publishing.rego import ENTRYPOINT, load_bundle_into, write_bundle
from policykit.authoring.words import OUTCOME_WORDS
from policykit.publishing.site import build_pages
from policykit.core.request import request_problems
from policykit.interfaces.http.config import ServerConfig
from policykit.interfaces.http.app import create_app
from policykit.core.sourcetext import normalize_whitespace
from policykit.core.vocabulary import load_vocabulary

QUESTIONS_DIR = PROJECT_ROOT / "questions"
BROKEN = FIXTURES / "questions-broken"
ROLES = {"teacher", "school_counselor", "administrator", "coach", "paraprofessional", "support_staff", "substitute"}
BEYOND_STUDENTS = {"staff", "parent_guardian", "community", "former_student", "public"}


@pytest.fixture(scope="module")
def decider() -> policykit.Policy:
    return policykit.load_policy()


@pytest.fixture(scope="module")
def topics(decider: policykit.Policy) -> tuple[Topic, ...]:
    return load_questions(QUESTIONS_DIR, decider.document)


@pytest.fixture(scope="module")
def questions(topics: tuple[Topic, ...]) -> list[Question]:
    return all_questions(topics)


@pytest.fixture(scope="module")
def by_id(questions: list[Question]) -> dict[str, Question]:
    return {question.id: question for question in questions}


def _question_ids() -> list[str]:
    """The ids of every question, read plainly (so that a broken file fails its own test, not
    the collection of this module)."""
    ids = []
    for path in sorted(QUESTIONS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.name != "readings.yaml" else None
        if isinstance(data, dict) and isinstance(data.get("questions"), list):
            ids += [entry["id"] for entry in data["questions"] if isinstance(entry, dict) and "id" in entry]
    return ids


def answered(questions: list[Question]) -> list[Question]:
    return [question for question in questions if not question.is_refused]


# ------------------------------------------------------------------------------ loading


def test_the_corpus_loads_without_a_problem(decider: policykit.Policy) -> None:
    topics, issues = check_questions_dir(QUESTIONS_DIR, decider.document)
    assert [str(issue) for issue in issues] == []
    assert topics and all(topic.title and topic.intro and topic.questions for topic in topics)


def test_each_file_is_a_topic_with_the_schema_line(topics: tuple[Topic, ...]) -> None:
    for topic in topics:
        first = (PROJECT_ROOT / topic.path).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/questions.schema.json", topic.path
    assert len({topic.title for topic in topics}) == len(topics)


def test_the_typed_loader_gives_frozen_values(topics: tuple[Topic, ...], questions: list[Question]) -> None:
    question = questions[0]
    with pytest.raises(AttributeError):
        question.ask = "changed"  # type: ignore[misc]
    request = question.request
    request["action"] = "changed"
    assert question.request != request  # each call gives a fresh copy
    assert hash(question) == hash(questions[0]) and hash(topics[0]) == hash(topics[0])
    assert question.as_of == date.fromisoformat(question.request["as_of"])
    assert [t.slug for t in topics] == sorted(t.slug for t in topics)


def test_a_broken_questions_directory_reports_every_problem_located(decider: policykit.Policy,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown keys, bad values (in the question and inside its request), YAML traps, unknown
    clauses, facts and readings, quotes not in the clause, duplicate ids: all at once."""
    monkeypatch.chdir(BROKEN)
    topics, issues = check_questions_dir(".", decider.document)
    assert topics is None
    lines = [str(issue) for issue in issues]
    assert lines == (BROKEN / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert all(re.match(r"[a-z-]+\.yaml:[0-9]+:[0-9]+: ", line) for line in lines)
    with pytest.raises(policykit.PolicyError) as raised:
        load_questions(".", decider.document)
    assert str(raised.value).splitlines() == lines


# ------------------------------------------------------------------------- what it holds


def test_at_least_220_questions_with_unique_ids(questions: list[Question]) -> None:
    assert len(answered(questions)) >= 220
    assert len({question.id for question in questions}) == len(questions)


def test_at_least_20_questions_say_who_else_can_see_it(questions: list[Question]) -> None:
    """Posts on one's own accounts that students, parents or colleagues can see (seen_by), beside
    posts addressed to them (audience)."""
    seen = [q for q in questions if q.request.get("seen_by")]
    assert len(seen) >= 20
    assert {"student", "parent_guardian", "staff"} <= {who for q in seen for who in q.request["seen_by"]}
    assert len([q for q in seen if q.accept == ("permitted",)]) >= 10  # most are plain self-expression


def test_every_question_is_asked_in_plain_words(questions: list[Question]) -> None:
    for question in questions:
        assert "?" in question.ask, question.id
        assert "\n" not in question.because and len(question.because) <= 160, question.id
        assert "_" not in question.ask + question.because, question.id  # no fact names in staff's words


def test_all_seven_roles_ask(questions: list[Question]) -> None:
    assert {question.request["actor"]["role"] for question in questions} == ROLES


def test_at_least_30_questions_about_colleagues_parents_and_the_community(questions: list[Question]) -> None:
    beyond = [q.id for q in questions if BEYOND_STUDENTS & set(q.request.get("audience", []))]
    assert len(beyond) >= 30


def test_at_least_30_questions_that_must_ask_for_facts(questions: list[Question]) -> None:
    undetermined = [q for q in questions if q.accept == ("undetermined",)]
    assert len(undetermined) >= 30
    assert all(q.ask_for for q in undetermined)


def test_at_least_15_questions_use_the_new_vocabulary(questions: list[Question]) -> None:
    new = [q.id for q in questions
           if "former_student" in q.request.get("audience", []) or "audience_is_family" in q.request]
    assert len(new) >= 15


def test_every_reading_is_exercised_and_every_reading_named_exists(questions: list[Question]) -> None:
    known = [reading.id for reading in load_readings(QUESTIONS_DIR)]
    used = Counter(reading for question in questions for reading in question.readings)
    assert [reading for reading in known if reading not in used] == []
    assert sorted(set(used) - set(known)) == []


def test_every_clause_with_a_rule_is_asked_about(decider: policykit.Policy, questions: list[Question]) -> None:
    """Each clause with a rule is the clause of a question, or is cited by a question's decision
    (a reason, an obligation or a notice)."""
    touched: set[str] = set()
    for question in answered(questions):
        touched.add(question.clause)
        decision = decider.decide(question.request)
        touched.update(reason.id for reason in decision.reasons)
        touched.update(obligation.clause for obligation in decision.obligations)
        touched.update(notice.clause for notice in decision.notices)
    days = {question.as_of for question in answered(questions)}
    with_rules = {clause.id for clause in decider.document.clauses for day in days
                  if (version := clause.version_on(day)) is not None and version.rule}
    assert sorted(with_rules - touched) == []


def test_who_else_can_see_a_post_changes_no_answer(questions: list[Question], decider: policykit.Policy) -> None:
    """No rule reads seen_by in this edition: each question that says who else can see a post is
    answered as it would be without saying so (its outcome, reasons, obligations and notices), and
    its explanation says, after the verdict, who else can see it besides those it is addressed to."""
    changed = []
    messages = decider.messages
    for question in (q for q in questions if q.request.get("seen_by")):
        unseen = question.request
        del unseen["seen_by"]
        lead = decider.decide(unseen).verdict.lead  # where the verdict and the values read as others end
        seen, plain = decider.decide(question.request).to_dict(), decider.decide(unseen).to_dict()
        if {**_essentials(seen), "explanation": None} != {**_essentials(plain), "explanation": None}:
            changed.append(question.id)
        others = [v for v in question.request["seen_by"] if v not in question.request.get("audience", [])]
        if others:
            titles = [value.title for value in load_vocabulary()["seen_by"].values if value.name in others]
            who = messages.lists["seen_by"]["separator"].join(titles[:-1]) + messages.lists["seen_by"]["last"] \
                + titles[-1] if len(titles) > 1 else titles[0]
            sentence = messages.fill("seen_by", who=who)
            text = plain["explanation"]
            if seen["explanation"] != f"{text[:lead]} {sentence}{text[lead:]}" or text[lead:lead + 1] not in ("", " "):
                changed.append(f"{question.id}: {seen['explanation']}")
        elif seen["explanation"] != plain["explanation"]:
            changed.append(question.id)
    assert changed == []
    who = decider.decide(by_request := {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media",
                                        "account": "personal", "audience": ["public"], "purpose": "personal",
                                        "seen_by": ["parent_guardian", "student"], "as_of": "2026-01-05"})
    assert who.explanation.split(". ")[1] == (
        "It can also be seen by a student and a parent or guardian, though it is not addressed to them")
    assert decider.decide({**by_request, "seen_by": ["public"], "audience": ["public"]}).explanation == \
        decider.decide({**by_request, "seen_by": []}).explanation  # those it is addressed to are not "also"


# The questions of the third edition of the readings, and their near misses, each with what a
# careful reader must answer.
READINGS_3: dict[str, dict[str, Any]] = {
    "public-instagram-student-followers-vacation": {"outcome": "permitted", "notice": "discipline.permanence",
                                                    "audience": ["public"], "seen_by": ["student"]},
    "keep-posting-now-students-follow": {"outcome": "permitted", "audience": ["public"], "seen_by": ["student"]},
    "public-instagram-tag-students-vacation": {"outcome": "prohibited", "reason": "relationships.peer-communication"},
    "church-bake-sale-message-to-students": {"outcome": "prohibited", "reason": "relationships.peer-communication"},
    "private-discord-server-students-gaming": {"outcome": "prohibited",
                                               "reason": "relationships.personal-relationships"},
    "homeroom-group-chat-hang-out-district": {"outcome": "prohibited",
                                              "reason": "relationships.personal-relationships"},
    "homeroom-group-chat-reminders-district": {"outcome": "requires_approval",
                                               "obligation": "approved-sites.prior-notice"},
    "counselor-college-recommendation-email": {"outcome": "permitted"},
    "teacher-college-recommendation-home-situation": {"outcome": "prohibited",
                                                      "reason": "relationships.private-matters"},
    "sexually-explicit-joke-public-x": {"outcome": "prohibited", "reason": "social-media.professional-judgment"},
    "photo-smoking-marijuana": {"outcome": "prohibited", "reason": "social-media.professional-judgment"},
    "provocative-party-photos": {"outcome": "prohibited", "reason": "social-media.professional-judgment"},
    "provocative-party-photos-students-follow": {"outcome": "prohibited",
                                                 "reason": "social-media.professional-judgment"},
    "profane-joke-public-x": {"outcome": "discouraged", "reason": "social-media.professional-judgment"},
    "sexual-innuendo-meme-students-follow": {"outcome": "discouraged", "reason": "social-media.professional-judgment"},
    "swearing-video-students-follow": {"outcome": "discouraged", "reason": "social-media.professional-judgment"},
}


@pytest.mark.parametrize("question_id", sorted(READINGS_3))
def test_the_questions_of_the_third_edition_are_in_the_corpus(question_id: str, by_id: dict[str, Question],
                                                              decider: policykit.Policy) -> None:
    question, want = by_id[question_id], READINGS_3[question_id]
    decision = decider.decide(question.request)
    assert question.accept == (want["outcome"],)
    assert decision.outcome == want["outcome"], decision.explanation
    if "reason" in want:
        assert want["reason"] in [reason.id for reason in decision.reasons]
    if "obligation" in want:
        assert want["obligation"] in [obligation.clause for obligation in decision.obligations]
    if "notice" in want:
        assert want["notice"] in [notice.clause for notice in decision.notices]
    for fact in ("audience", "seen_by"):
        if fact in want:
            assert question.request[fact] == want[fact]


# The issue's prohibited answers whose site duties are of unknown state: no proviso can change them.
PROHIBITED_WITH_OPEN_DUTIES = ("hazing-video-approved-team-page", "club-page-religious-message")


def test_every_answer_says_only_what_holds(questions: list[Question], decider: policykit.Policy) -> None:
    """docs/semantics.md#the-answer: "provided you …" only where the answer is allowed or needs
    approval; the sentence that the answer rests on an unconfirmed reading at most once, naming
    each reading once, exactly those the decision says it rests on. (The other evaluators give
    the same explanation word for word: the test of the five evaluators below.)"""
    messages = decider.messages
    proviso, duty = messages.sentences["proviso"][0], messages.duties["unknown"][0]
    lead = messages.sentences["unconfirmed_reading"][0]
    problems = []
    for question in answered(questions):
        decision = decider.decide(question.request)
        text = decision.explanation
        if decision.outcome in ("prohibited", "undetermined") and (proviso in text or duty.lower() in text.lower()):
            problems.append(f"{question.id}: a proviso on a {decision.outcome} answer: {text}")
        names = decision.unconfirmed_readings
        if text.count(lead) != (1 if names else 0) or len(set(names)) != len(names):
            problems.append(f"{question.id}: the reading sentence is not said once, each reading once: {text}")
        elif names and not text.endswith(messages.fill("unconfirmed_reading",
                                                        readings=messages.lists["readings"].join(names))):
            problems.append(f"{question.id}: the reading sentence names other readings than {names}: {text}")
    assert problems == []


@pytest.mark.parametrize("question_id", PROHIBITED_WITH_OPEN_DUTIES)
def test_a_prohibited_answer_with_open_duties_carries_no_proviso(question_id: str, by_id: dict[str, Question],
                                                                 decider: policykit.Policy, tmp_path: Path) -> None:
    """A hazing video on an approved team page, a church invitation on an approved club page: the
    site duties are listed (their state unknown), and neither the explanation nor the command
    line's answer says "provided you"."""
    question = by_id[question_id]
    decision = decider.decide(question.request)
    assert decision.outcome == "prohibited"
    assert [o for o in decision.obligations if o.met is None]  # there are duties a proviso could name
    assert "provided you" not in decision.explanation.lower()
    source = tmp_path / "request.json"
    source.write_text(json.dumps(question.request), encoding="utf-8")
    done = subprocess.run([*_script(), "decide", str(source)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.stdout.startswith(decider.messages.outcomes["prohibited"].headline), done.stderr
    assert "provided you" not in done.stdout.lower()


# Everyday questions, each with what a careful reader must answer.
CAREFUL_READER: dict[str, dict[str, Any]] = {
    "racist-joke-email-colleague": {"outcome": "prohibited"},
    "threatening-email-parent": {"outcome": "prohibited"},
    "remark-about-student-religion": {"outcome": "prohibited"},
    "team-group-chat-practice-times": {"outcome": "discouraged"},
    "comment-great-game": {},
    "coach-team-instagram": {"outcome": "requires_approval", "obligation": "approved-sites.prior-notice"},
    "text-own-child-enrolled": {"outcome": "permitted"},
    "facebook-at-lunch": {"without_notice": "discipline.permanence"},
    "coach-personal-email-for-team": {"notice": "communications.monitoring-and-foia"},
    "approved-page-never-monitored": {"outcome": "requires_approval"},
}


@pytest.mark.parametrize("question_id", sorted(CAREFUL_READER))
def test_the_questions_of_issue_12_are_in_the_corpus(question_id: str, by_id: dict[str, Question],
                                                     decider: policykit.Policy) -> None:
    question, want = by_id[question_id], CAREFUL_READER[question_id]
    decision = decider.decide(question.request)
    if "outcome" in want:
        assert question.accept == (want["outcome"],)
        assert decision.outcome == want["outcome"], decision.explanation
    if "obligation" in want:
        assert want["obligation"] in [obligation.clause for obligation in decision.obligations]
    if "notice" in want:
        assert want["notice"] in [notice.clause for notice in decision.notices]
    if "without_notice" in want:
        assert want["without_notice"] not in [notice.clause for notice in decision.notices]


def test_the_group_chat_is_discouraged_not_prohibited(by_id: dict[str, Question], decider: policykit.Policy) -> None:
    decision = decider.decide(by_id["team-group-chat-practice-times"].request)
    assert decision.outcome == "discouraged"
    assert "relationships.personal-relationships" not in [reason.id for reason in decision.reasons]


def test_comment_great_game_is_asked_in_the_issues_words(by_id: dict[str, Question]) -> None:
    assert by_id["comment-great-game"].ask == "Can I comment \"great game!\" on a student's Instagram post?"
    assert by_id["racist-joke-email-colleague"].ask == "Can I e-mail a racist joke to a colleague?"


# ------------------------------------------------------------------------- for information


def test_at_least_15_questions_for_information(questions: list[Question]) -> None:
    """"Is it private? What happens if…?": marked, each naming the notice that answers it (and
    quoting that notice's clause), with a lead in words that is no verdict."""
    informational = [q for q in questions if q.is_information]
    assert len(informational) >= 15
    verdicts = {word.lower() for word in OUTCOME_WORDS.values()}
    for question in informational:
        assert question.information is not None and question.clause == question.information.notice, question.id
        assert question.information.lead.lower() not in verdicts, question.id
    assert len({q.information.notice for q in informational if q.information}) >= 6


def test_a_question_for_information_is_answered_in_words_by_its_notice(questions: list[Question],
                                                                       decider: policykit.Policy) -> None:
    """The lead, a colon, then the notice's own words: "No: the District may monitor …"."""
    private = next(q for q in questions if q.id == "is-school-email-private")
    assert information_answer(private, decider.decide(private.request)) == (
        "No: the District may monitor communications made on school telephones or District e-mail accounts, and "
        "any activity or communication that uses a District server, on any device, District-owned or not.")
    for question in questions:
        if question.information is None:
            continue
        decision = decider.decide(question.request)
        answer = information_answer(question, decision)
        texts = [n.text for n in decision.notices if n.clause == question.information.notice]
        assert answer is not None and texts, question.id
        assert answer.startswith(f"{question.information.lead}: ") and answer.endswith(texts[-1][1:]), question.id
        assert information_answer(question, decision.to_dict()) == answer  # from JSON, as the CLI and HTTP give it
    plain = next(q for q in questions if not q.is_information)
    assert information_answer(plain, decider.decide(plain.request)) is None


def test_an_answer_in_words_continues_the_notice_after_the_lead() -> None:
    assert answer_in_words("No", ["The District may monitor it."]) == "No: the District may monitor it."
    assert answer_in_words("Yes", ["FOIA applies.", "Records last."]) == "Yes: FOIA applies. Records last."
    assert answer_in_words("It may", ["District records can be disclosed."]) == (
        "It may: District records can be disclosed.")
    assert answer_in_words("Yes", ["anything may be seen."]) == "Yes: anything may be seen."
    assert answer_in_words("No", ["A disclaimer changes nothing."]) == "No: a disclaimer changes nothing."
    assert answer_in_words("No", ["I see."]) == "No: I see."


def test_a_question_for_information_whose_notice_is_missing_is_reported(by_id: dict[str, Question],
                                                                         decider: policykit.Policy) -> None:
    question = dataclasses.replace(by_id["is-school-email-private"],
                                   information=Information("discipline.investigation", "Yes"))
    problems = [str(problem) for problem in answer_problems(question, decider.decide(question.request))]
    assert len(problems) == 1 and problems[0].endswith(
        "the answer gives no notice from discipline.investigation, which this question for information is "
        "answered by")
    assert information_answer(question, decider.decide(question.request)) is None


def test_the_common_questions_page_answers_questions_for_information_in_words(
        decider: policykit.Policy, topics: tuple[Topic, ...], questions: list[Question], tmp_path: Path) -> None:
    build_pages(decider, [], tmp_path, day=date(2026, 1, 5), topics=topics)
    page = (tmp_path / "questions.md").read_text(encoding="utf-8")
    for question in (q for q in questions if q.is_information):
        start = page.index(f'<div class="policy-card" id="information-{question.id}" markdown>')
        card = page[start:page.index("</div>", start)]
        assert question.information is not None and f"**{question.information.lead}:** " in card
        assert not any(word in card for word in OUTCOME_WORDS.values()), (question.id, card)
    private = page[page.index('id="information-is-school-email-private"'):]
    assert private.split("</div>")[0].splitlines()[4] == (
        "    **No:** the District may monitor communications made on school telephones or District e-mail "
        "accounts, and any activity or communication that uses a District server, on any device, District-owned "
        "or not.")


# ------------------------------------------------------------------------------- quotes


def _text_of_record(decider: policykit.Policy, day: date) -> str:
    revision = decider.document.revision_on(day) or decider.first_date
    path = PROJECT_ROOT / "policy" / "source" / f"{revision.isoformat()}.txt"
    return normalize_whitespace(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("question_id", _question_ids())
def test_the_quote_is_the_policys_own_words_in_the_named_clause(question_id: str, by_id: dict[str, Question],
                                                                decider: policykit.Policy) -> None:
    question = by_id[question_id]
    quote = normalize_whitespace(question.quote)
    day = max(question.as_of, decider.first_date)  # a refused early date quotes the earliest text
    assert quote in _text_of_record(decider, day)
    version = decider.document.clause(question.clause).version_on(day)
    assert version is not None and quote in normalize_whitespace(version.text)


# ------------------------------------------------------------------------------ answers


def test_every_request_is_valid_and_dated(questions: list[Question]) -> None:
    for question in questions:
        assert request_problems(question.request) == [], question.id
        assert "as_of" in question.request, question.id


def test_questions_before_the_first_revision_are_refused_naming_as_of(questions: list[Question],
                                                                        decider: policykit.Policy) -> None:
    early = [q for q in questions if q.as_of < decider.first_date]
    assert early and all(q.refused == ("/as_of",) for q in early)
    assert all(q.as_of >= decider.first_date for q in questions if not q.refused)
    for question in early:
        with pytest.raises(policykit.RequestError) as raised:
            decider.decide(question.request)
        assert [error["pointer"] for error in raised.value.errors] == ["/as_of"]


@pytest.mark.parametrize("question_id", _question_ids())
def test_the_policy_gives_an_accepted_answer(question_id: str, by_id: dict[str, Question],
                                             decider: policykit.Policy) -> None:
    question = by_id[question_id]
    try:
        answer: Any = decider.decide(question.request)
    except policykit.RequestError as error:
        answer = error
    assert [str(problem) for problem in answer_problems(question, answer)] == []


# ---------------------------------------------------------------- four evaluators, one answer


def _script() -> list[str]:
    found = shutil.which("policykit", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "policykit"]


def _essentials(answer: dict[str, Any]) -> dict[str, Any]:
    """What every evaluator must agree on: the outcome, the reasons, the notices, the obligations
    (clause and met), the missing facts and the explanation, word for word; or, for a refusal, the
    pointers it names."""
    if "error" in answer or "errors" in answer:
        errors = answer.get("error", answer).get("errors", [])
        return {"refused": sorted({error["pointer"] for error in errors})}
    return {
        "outcome": answer["outcome"],
        "reasons": [reason["id"] for reason in answer["reasons"]],
        "notices": [(notice["clause"], notice["text"]) for notice in answer["notices"]],
        "obligations": [(obligation["clause"], obligation["met"]) for obligation in answer["obligations"]],
        "missing_facts": list(answer["missing_facts"]),
        "explanation": answer["explanation"],
    }


def _python_answers(decider: policykit.Policy, questions: list[Question]) -> list[dict[str, Any]]:
    answers = []
    for question in questions:
        try:
            answers.append(decider.decide(question.request).to_dict())
        except policykit.RequestError as error:
            answers.append({"error": {"errors": error.errors}})
    return answers


def _cli_answers(questions: list[Question], tmp_path: Path) -> list[dict[str, Any]]:
    source = tmp_path / "questions.jsonl"
    source.write_text("".join(json.dumps(q.request) + "\n" for q in questions), encoding="utf-8")
    done = subprocess.run([*_script(), "decide", "--batch", str(source)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode in (0, 2), done.stderr  # 2: some lines are refused, as they should be
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == len(questions)
    return rows


def _http_answers(decider: policykit.Policy, questions: list[Question]) -> list[dict[str, Any]]:
    answers = []
    with LiveServer(create_app(decider, ServerConfig())) as url, httpx.Client(base_url=url, timeout=30) as http:
        for question in questions:
            response = http.post("/v1/decide", json=question.request)
            assert response.status_code in (200, 400), (question.id, response.text)
            answers.append(response.json() if response.status_code == 200 else {"error": response.json()})
    return answers


def _rego_answers(decider: policykit.Policy, questions: list[Question], tmp_path: Path) -> list[dict[str, Any]]:
    """One bundle per period of the policy the questions fall in (a bundle answers for its own
    period); questions dated before the first revision go to the first period's bundle."""
    starts = list(decider.document.effective_dates())
    plans: dict[int, tuple[Any, Any]] = {}
    answers = []
    for question in questions:
        index = max(bisect.bisect_right(starts, question.as_of) - 1, 0)
        if index not in plans:
            outdir = tmp_path / f"bundle-{starts[index].isoformat()}"
            write_bundle(decider, outdir, starts[index])
            interpreter = regopy.Interpreter()
            load_bundle_into(interpreter, outdir)
            plans[index] = (interpreter, interpreter.build(None, [ENTRYPOINT]))
        interpreter, plan = plans[index]
        interpreter.set_input(question.request)
        output = interpreter.query_bundle_entrypoint(plan, ENTRYPOINT)
        assert output.results and output.results[0].expressions, (question.id, str(output))
        answers.append(output.results[0].expressions[0])
    return answers


CHROMIUM = Path("/usr/bin/chromium")
BROWSER_BATCH = """(requests) => requests.map((request) => {
  try {
    return window.policykit.decide(request, {as_of: request.as_of});
  } catch (error) {
    return {error: {errors: (error.problems || []).map(p => ({pointer: p.pointer, message: p.message}))}};
  }
})"""


def _browser_answers(decider: policykit.Policy, questions: list[Question], tmp_path: Path) -> list[dict[str, Any]]:
    """The staff site's evaluator (policykit.js of policykit.publishing.browser with the policy's
    generated data) in Debian's Chromium, every question in one batch."""
    from playwright.sync_api import sync_playwright

    from evaluatorpage import write_evaluator_page

    index = write_evaluator_page(decider, tmp_path / "browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page()
            page.goto(index.as_uri())
            answers: list[dict[str, Any]] = page.evaluate(BROWSER_BATCH, [q.request for q in questions])
        finally:
            browser.close()
    assert len(answers) == len(questions)
    return answers


def test_python_cli_http_rego_and_browser_give_the_same_accepted_answers(decider: policykit.Policy,
                                                                         questions: list[Question],
                                                                         tmp_path: Path) -> None:
    evaluators = {
        "python": _python_answers(decider, questions),
        "cli": _cli_answers(questions, tmp_path),
        "http": _http_answers(decider, questions),
        "rego": _rego_answers(decider, questions, tmp_path),
        "browser": _browser_answers(decider, questions, tmp_path),
    }
    not_accepted, disagreements = [], []
    for index, question in enumerate(questions):
        for name, answers in evaluators.items():
            not_accepted += [f"{name}: {problem}" for problem in answer_problems(question, answers[index])]
        reference = _essentials(evaluators["python"][index])
        for name, answers in evaluators.items():
            other = _essentials(answers[index])
            if other != reference:
                keys = sorted(key for key in set(reference) | set(other) if reference.get(key) != other.get(key))
                disagreements.append(f"{question.id}: {name} differs from python in " + "; ".join(
                    f"{key}: {json.dumps(other.get(key))} vs {json.dumps(reference.get(key))}" for key in keys))
    assert disagreements == []
    assert not_accepted == []

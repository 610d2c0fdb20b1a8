"""The corpus of everyday staff questions (``questions/<topic>.yaml``): load and check.

Each topic file holds a heading, a short introduction and its questions; each question has the
words staff use (``ask``), the request it maps to, the outcome(s) a careful reader of the policy
accepts, the words of the policy the answer rests on (``quote``, from the clause named in
``clause``) and one plain line saying why (``because``). ``questions/readings.yaml`` lists the
readings of the policy the questions may name.

Some questions are not "may I?" but "what happens if / is it private / could I be sued?": a
question for information (``information:``) names the notice that answers it and the lead of its
answer (``lead``). ``information_answer`` gives its answer as the site and the interview say it,
the lead and then the notice's own words ("No: the District may monitor …"), never an outcome
word (``authoring.answers``).

``check_questions_dir`` returns the topics and every problem found, each located
``file:line:col`` in words an editor understands (the same YAML traps and schema wording as the
policy files); ``load_questions`` raises ``PolicyError`` listing them all;
``answers.answer_problems`` says, again located, how an answer falls short of the one the question
accepts. The staff site renders its Common questions page from ``load_questions()``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from policykit.core.errors import PolicyError, PolicyIssue, did_you_mean
from policykit.core.loader import display_path, load_policy_dir
from policykit.core.model import PolicyDocument
from policykit.core.paths import default_policy_dir, default_questions_dir, schema_dir
from policykit.core.request import valid_date
from policykit.core.schemaerrors import explain, load_schema
from policykit.core.sourcetext import normalize_whitespace
from policykit.core.vocabulary import load_vocabulary
from policykit.core.yamlfile import JsonPath, YamlDocument, read_yaml

SCHEMA = "questions"
READINGS_FILE = "readings.yaml"




@dataclass(frozen=True)
class Reading:
    """One reading of the policy the Board of Education has not yet confirmed (docs/semantics.md#readings)."""

    id: str
    title: str
    clauses: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class ExpectedObligation:
    """An obligation the answer must list, and whether it is met (None: not known)."""

    clause: str
    met: bool | None


@dataclass(frozen=True)
class Information:
    """What marks a question for information: the clause whose notice answers it, and the words
    the answer begins with (e.g. "No", "Yes, it can")."""

    notice: str
    lead: str


@dataclass(frozen=True)
class Question:
    """One everyday question and the answer a careful reader of the policy gives."""

    id: str
    ask: str
    request_json: str  # the request as canonical JSON; ``request`` gives a fresh dict
    accept: tuple[str, ...]  # accepted outcomes; empty when the request is refused
    refused: tuple[str, ...]  # JSON pointers a refusal names; empty when the request is answered
    ask_for: tuple[str, ...]  # for an undetermined answer: exactly its missing facts
    notices: tuple[str, ...]  # clauses whose notices the answer must include
    no_notices: tuple[str, ...]  # clauses whose notices the answer must not include
    obligations: tuple[ExpectedObligation, ...]
    quote: str
    clause: str
    because: str
    readings: tuple[str, ...]
    path: str  # the file, as reported in issues
    line: int
    column: int
    positions: tuple[tuple[str, int, int], ...] = ()  # (field, line, column) of each field given
    instead: tuple[str, str] | None = None  # the first alternative: (its sentence, its outcome); ("", "") for none
    ask_first: str | None = None  # for undetermined: the fact the answer asks first
    information: Information | None = None  # set for a question for information: answered by a notice

    @property
    def is_information(self) -> bool:
        """Whether this is a question for information, answered in words by a notice."""
        return self.information is not None

    @property
    def request(self) -> dict[str, Any]:
        """The request, as a new dict each time (safe to change)."""
        request: dict[str, Any] = json.loads(self.request_json)
        return request

    @property
    def as_of(self) -> date:
        """The date the question is about."""
        return date.fromisoformat(self.request["as_of"])

    @property
    def is_refused(self) -> bool:
        return bool(self.refused)

    def issue(self, field: str, message: str, code: str) -> PolicyIssue:
        """A located issue at one of the question's fields (or at the question)."""
        for name, line, column in self.positions:
            if name == field:
                return PolicyIssue(self.path, line, column, message, code)
        return PolicyIssue(self.path, self.line, self.column, message, code)


@dataclass(frozen=True)
class Topic:
    """One topic of the Common questions page: a questions file."""

    slug: str  # the file name without .yaml, e.g. students; usable as a page anchor
    title: str
    intro: str
    questions: tuple[Question, ...]
    path: str


# ------------------------------------------------------------------------------------ schema


@cache
def _validator() -> Draft202012Validator:
    """The questions schema, with the request and decision schemas it refers to by file name."""
    directory = schema_dir()
    schema = load_schema(SCHEMA, directory)
    registry = Registry()
    for name in (SCHEMA, "request", "decision"):
        contents = load_schema(name, directory)
        resource = Resource.from_contents(contents)
        registry = registry.with_resource(contents["$id"], resource)
        registry = registry.with_resource(f"{name}.schema.json", resource)
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _schema_issues(doc: YamlDocument) -> Iterator[PolicyIssue]:
    for error in _validator().iter_errors(doc.data):
        for problem in explain(error):
            message = problem.message
            if problem.code == "missing-field" and problem.path[-2:] == ("request", "as_of"):
                message = ("the request has no 'as_of': give the date the question is about, e.g. "
                           "as_of: \"2026-01-05\", so that its answer never depends on today")
            yield doc.issue(problem.path, message, problem.code, key=problem.at_key)


# ---------------------------------------------------------------------------------- readings


def load_readings(root: Path | str | None = None) -> tuple[Reading, ...]:
    """The readings listed in ``readings.yaml``; raises ``PolicyError`` if the file is not valid."""
    readings, issues = _check_readings(Path(root) if root is not None else default_questions_dir())
    if issues:
        raise PolicyError(issues)
    return readings


def _check_readings(root: Path) -> tuple[tuple[Reading, ...], list[PolicyIssue]]:
    path = root / READINGS_FILE
    if not path.is_file():
        return (), [PolicyIssue(display_path(path), 1, 1, "readings.yaml is missing from the questions directory",
                                "missing-file")]
    doc, issues = read_yaml(path, display_path(path))
    if doc is None:
        return (), issues
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("readings"), list):
        return (), [*issues, doc.issue((), "readings.yaml should hold 'readings:', a list of readings", "shape")]
    readings: list[Reading] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["readings"]):
        where: JsonPath = ("readings", index)
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            issues.append(doc.issue(where, "a reading needs an 'id'", "shape"))
            continue
        if entry["id"] in seen:
            issues.append(doc.issue(where + ("id",), f"duplicate reading id '{entry['id']}'", "duplicate-id"))
            continue
        seen.add(entry["id"])
        clauses = entry["clauses"] if isinstance(entry.get("clauses"), list) else []
        readings.append(Reading(entry["id"], str(entry.get("title", "")), tuple(map(str, clauses)),
                                str(entry.get("summary", ""))))
    return tuple(readings), issues


# --------------------------------------------------------------------------------- questions


def question_files(root: Path | str | None = None) -> list[Path]:
    """The topic files of a questions directory, in name order (readings.yaml is not one)."""
    root = Path(root) if root is not None else default_questions_dir()
    return [path for path in sorted(root.glob("*.yaml")) if path.name != READINGS_FILE]


def check_questions_dir(root: Path | str | None = None, policy: PolicyDocument | None = None
                        ) -> tuple[tuple[Topic, ...] | None, list[PolicyIssue]]:
    """Read and check every topic file. Returns the topics (None when any problem was found) and
    every problem, sorted. ``policy`` (default: the project's own) is what clause ids and quotes
    are checked against."""
    root = Path(root) if root is not None else default_questions_dir()
    if not root.is_dir():
        return None, [PolicyIssue(display_path(root), 1, 1, "no such questions directory", "missing-dir")]
    document = policy if policy is not None else load_policy_dir(default_policy_dir())
    readings, issues = _check_readings(root)
    context = _Context(document, {reading.id for reading in readings} if not issues else None)
    files = question_files(root)
    if not files:
        issues.append(PolicyIssue(display_path(root), 1, 1, "no question files found (expected questions/<topic>.yaml)",
                                  "no-questions"))
    topics: list[Topic] = []
    for path in files:
        topic = _check_file(path, context, issues)
        if topic is not None:
            topics.append(topic)
    if issues:
        return None, sorted(set(issues))
    return tuple(topics), []


def load_questions(root: Path | str | None = None, policy: PolicyDocument | None = None) -> tuple[Topic, ...]:
    """Load the topics, raising ``PolicyError`` with every problem if any file is not valid."""
    topics, issues = check_questions_dir(root, policy)
    if topics is None:
        raise PolicyError(issues)
    return topics


def all_questions(topics: Sequence[Topic]) -> list[Question]:
    """Every question of the topics, in order."""
    return [question for topic in topics for question in topic.questions]


class _Context:
    """What the checks of every file share: the policy, the reading ids, the ids seen so far."""

    def __init__(self, document: PolicyDocument, readings: set[str] | None):
        self.document = document
        self.clauses = {clause.id: clause for clause in document.clauses}
        self.readings = readings  # None: readings.yaml itself is broken, so reading ids are not checked
        self.vocabulary = load_vocabulary()
        self.pointers = {fact.pointer for fact in self.vocabulary.facts} | {"/"}
        self.facts = [fact.path for fact in self.vocabulary.facts]
        dates = document.effective_dates()
        self.first = dates[0] if dates else None
        self.seen_ids: dict[str, str] = {}  # question id -> "file:line" where first given


def _check_file(path: Path, context: _Context, issues: list[PolicyIssue]) -> Topic | None:
    doc, read_issues = read_yaml(path, display_path(path))
    issues.extend(read_issues)
    if doc is None:
        return None
    if doc.data is None:
        issues.append(PolicyIssue(doc.path, 1, 1, "the file is empty", "empty-file"))
        return None
    reported = {(issue.line, issue.column) for issue in read_issues}
    found = [issue for issue in _schema_issues(doc) if (issue.line, issue.column) not in reported]
    issues.extend(found)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return None
    broken = bool(read_issues or found)
    questions: list[Question] = []
    for index, entry in enumerate(data["questions"]):
        if not isinstance(entry, dict):
            continue
        where: JsonPath = ("questions", index)
        question_issues = list(_question_issues(doc, where, entry, context))
        issues.extend(question_issues)
        broken = broken or bool(question_issues)
        if not broken:
            questions.append(_build_question(doc, where, entry))
    if broken:
        return None
    return Topic(path.stem, data["topic"], data["intro"], tuple(questions), doc.path)


def _question_issues(doc: YamlDocument, where: JsonPath, entry: dict[str, Any],
                     context: _Context) -> Iterator[PolicyIssue]:
    """The checks the schema cannot make: unique ids, known clauses, facts and readings, accept
    or refused, ask_for with undetermined, and the quote inside the clause's text."""
    qid = entry.get("id")
    if isinstance(qid, str):
        position = doc.position(where + ("id",))
        first = context.seen_ids.get(qid)
        if first is not None:
            yield doc.issue(where + ("id",), f"duplicate question id '{qid}' (first given at {first}); "
                                             "every question needs its own id", "duplicate-id")
        else:
            context.seen_ids[qid] = f"{doc.path}:{position.line}"
    accept, refused = entry.get("accept"), entry.get("refused")
    if accept is None and refused is None:
        yield doc.issue(where, "a question needs 'accept' (the accepted outcomes) or 'refused' "
                               "(the JSON pointers a refusal names)", "no-answer")
    elif accept is not None and refused is not None:
        yield doc.issue(where + ("refused",), "give either 'accept' or 'refused', not both", "both-answers")
    ask_for = entry.get("ask_for")
    if isinstance(accept, list) and "undetermined" in accept and ask_for is None:
        yield doc.issue(where + ("accept",), "an undetermined answer needs 'ask_for': the facts it must ask for",
                        "missing-ask-for")
    if ask_for is not None and not (isinstance(accept, list) and "undetermined" in accept):
        yield doc.issue(where + ("ask_for",), "'ask_for' is only for a question whose accepted answer includes "
                                              "undetermined", "stray-ask-for")
    if isinstance(ask_for, list):
        for i, fact in enumerate(ask_for):
            if isinstance(fact, str) and fact not in context.facts:
                yield doc.issue(where + ("ask_for", i), f"unknown fact '{fact}'{did_you_mean(fact, context.facts)}",
                                "unknown-fact")
    if isinstance(refused, list):
        for i, pointer in enumerate(refused):
            if isinstance(pointer, str) and pointer not in context.pointers:
                hint = did_you_mean(pointer, sorted(context.pointers))
                yield doc.issue(where + ("refused", i), f"'{pointer}' is not the JSON pointer of a request fact"
                                                        f"{hint or ' (e.g. /as_of)'}", "unknown-pointer")
    for key in ("notices", "no_notices"):
        values = entry.get(key)
        if isinstance(values, list):
            for i, clause_id in enumerate(values):
                yield from _clause_ref(doc, where + (key, i), clause_id, context)
    obligations = entry.get("obligations")
    if isinstance(obligations, list):
        for i, obligation in enumerate(obligations):
            if isinstance(obligation, dict):
                yield from _clause_ref(doc, where + ("obligations", i, "clause"), obligation.get("clause"), context)
    readings = entry.get("readings")
    if isinstance(readings, list) and context.readings is not None:
        for i, reading in enumerate(readings):
            if isinstance(reading, str) and reading not in context.readings:
                hint = did_you_mean(reading, sorted(context.readings))
                yield doc.issue(where + ("readings", i), f"unknown reading '{reading}'{hint}; the readings are "
                                                         "listed in questions/readings.yaml", "unknown-reading")
    information = entry.get("information")
    if isinstance(information, dict) and isinstance(information.get("notice"), str):
        notice = information["notice"]
        if notice not in context.clauses:
            yield from _clause_ref(doc, where + ("information", "notice"), notice, context)
        elif isinstance(entry.get("clause"), str) and entry["clause"] != notice:
            yield doc.issue(where + ("clause",), f"a question for information quotes the notice that answers it: "
                                                 f"clause should be {notice}, as information.notice says",
                            "information-clause")
    if isinstance(information, dict) and isinstance(information.get("lead"), str):
        lead = information["lead"]
        if lead and (not lead[:1].isupper() or ":" in lead or "\n" in lead or lead.rstrip()[-1:] in (".", ",", ";")):
            yield doc.issue(where + ("information", "lead"),
                            f"'{lead}' is not a lead: give the answer's first words (e.g. No, or Yes, it can), "
                            "starting with a capital letter, without the colon the answer adds or a full stop",
                            "bad-lead")
    if isinstance(information, dict) and isinstance(refused, list):
        yield doc.issue(where + ("information",), "a refused question cannot be a question for information; "
                                                  "its request gets no notice", "information-refused")
    because = entry.get("because")
    if isinstance(because, str) and "\n" in because.strip():
        yield doc.issue(where + ("because",), "'because' should be one line; say why in one plain sentence",
                        "long-because")
    yield from _quote_issues(doc, where, entry, context)


def _clause_ref(doc: YamlDocument, path: JsonPath, clause_id: object, context: _Context) -> Iterator[PolicyIssue]:
    if isinstance(clause_id, str) and clause_id not in context.clauses:
        hint = did_you_mean(clause_id, list(context.clauses))
        yield doc.issue(path, f"no clause '{clause_id}' in the policy{hint}", "unknown-clause")


def _quote_issues(doc: YamlDocument, where: JsonPath, entry: dict[str, Any],
                  context: _Context) -> Iterator[PolicyIssue]:
    clause_id, quote = entry.get("clause"), entry.get("quote")
    if not isinstance(clause_id, str) or clause_id not in context.clauses:
        yield from _clause_ref(doc, where + ("clause",), clause_id, context)
        return
    if not isinstance(quote, str):
        return
    clause = context.clauses[clause_id]
    request = entry.get("request")
    as_of = request.get("as_of") if isinstance(request, dict) else None
    if not isinstance(as_of, str) or not valid_date(as_of):
        return  # the schema reports the date
    day = date.fromisoformat(as_of)
    version = clause.version_on(day)
    if version is None and context.first is not None and day < context.first:
        version = clause.version_on(context.first)  # a refused early date: quote the earliest text on record
    if version is None:
        yield doc.issue(where + ("clause",), f"the clause {clause_id} has no text in force on {as_of}", "no-version")
        return
    if normalize_whitespace(quote) not in normalize_whitespace(version.text):
        yield doc.issue(where + ("quote",), f"the quote is not in the text of {clause_id} in force on {as_of}; "
                                            "copy the words exactly from the clause's text", "quote-not-found")


def _build_question(doc: YamlDocument, where: JsonPath, entry: dict[str, Any]) -> Question:
    start = doc.position(where)
    positions = tuple((key, doc.position(where + (key,)).line, doc.position(where + (key,)).column)
                      for key in entry)
    return Question(
        id=entry["id"], ask=entry["ask"],
        request_json=json.dumps(entry["request"], ensure_ascii=False, sort_keys=True),
        accept=tuple(entry.get("accept", ())), refused=tuple(entry.get("refused", ())),
        ask_for=tuple(entry.get("ask_for", ())), notices=tuple(entry.get("notices", ())),
        no_notices=tuple(entry.get("no_notices", ())),
        obligations=tuple(ExpectedObligation(o["clause"], o["met"]) for o in entry.get("obligations", ())),
        quote=entry["quote"], clause=entry["clause"], because=entry["because"],
        readings=tuple(entry.get("readings", ())), path=doc.path, line=start.line, column=start.column,
        positions=positions,
        instead=(("", "") if entry["instead"] == "none" else (entry["instead"]["do"], entry["instead"]["outcome"]))
        if "instead" in entry else None,
        ask_first=entry.get("ask_first"),
        information=Information(entry["information"]["notice"], entry["information"]["lead"])
        if "information" in entry else None)

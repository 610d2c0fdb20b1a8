"""Scenarios: the policy's examples in Gherkin, read and run without pytest.

A scenario states facts with phrasebook phrases (``Given``), asks (``When I ask the policy``)
and checks the decision (``Then``). The checks a scenario can make:

    Then it is permitted | it is discouraged | it needs approval first | it is prohibited
         | the answer depends on facts not given
    And it cites <clause-id>            And it does not cite <clause-id>
    And it cites nothing                And it cites nothing else
    And I am told about <clause-id>     And I am not told about <clause-id>
    And I am told nothing               And I am told nothing else
    And my obligation under <clause-id> is met | is not yet met | is not known yet
    And I have no obligations           And I have no other obligations
    And it could be discouraged or prohibited      (the possible outcomes, exactly)
    And the policy needs to know the purpose       (the missing facts, exactly)
    And the explanation says "<words>"  And the explanation does not say "<words>"

"Is not known yet" is an obligation listed with ``met: null``: the request does not say whether
it is met (or no fact of a request could), so the answer holds "provided you …".

Tags ``@clause:<id>`` say which clauses a scenario illustrates, ``@reading:<id>`` which reading
of the second edition (``questions/readings.yaml``) it pins. The pytest-bdd binding
(``policykit.authoring.bdd``), ``policykit coverage`` and ``policykit mutate`` all run scenarios through
``ScenarioRun``, so a scenario means the same thing everywhere."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol, cast

from gherkin.errors import CompositeParserException, ParserError
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler, GherkinDocumentWithURI

from policykit.core.decision import Decision
from policykit.core.errors import PolicyError, PolicyIssue, did_you_mean
from policykit.core.loader import display_path
from policykit.core.readings import read_reading_ids
from policykit.core.paths import default_features_dir
from policykit.authoring.phrases import Phrasebook, PhraseError, load_phrasebook

ASK = "I ask the policy"
CLAUSE_TAG = "@clause:"
READING_TAG = "@reading:"
_ID = r"(?P<id>[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*)"
OUTCOME_WORDS = {
    "it is permitted": "permitted",
    "it is discouraged": "discouraged",
    "it needs approval first": "requires_approval",
    "it is prohibited": "prohibited",
    "the answer depends on facts not given": "undetermined",
}
POSSIBLE_WORDS = {"permitted": "permitted", "discouraged": "discouraged", "needing approval": "requires_approval",
                  "prohibited": "prohibited"}
MET_WORDS = {"is met": True, "is not yet met": False, "is not known yet": None}
_CHECKS: list[tuple[str, re.Pattern[str]]] = [
    ("cites", re.compile(rf"it cites {_ID}")),
    ("not_cites", re.compile(rf"it does not cite {_ID}")),
    ("cites_nothing", re.compile(r"it cites nothing")),
    ("cites_nothing_else", re.compile(r"it cites nothing else")),
    ("told", re.compile(rf"I am told about {_ID}")),
    ("not_told", re.compile(rf"I am not told about {_ID}")),
    ("told_nothing", re.compile(r"I am told nothing")),
    ("told_nothing_else", re.compile(r"I am told nothing else")),
    ("obligation", re.compile(rf"my obligation under {_ID} (?P<met>is met|is not yet met|is not known yet)")),
    ("no_obligations", re.compile(r"I have no obligations")),
    ("no_other_obligations", re.compile(r"I have no other obligations")),
    ("could_be", re.compile(r"it could be (?P<list>.+)")),
    ("needs", re.compile(r"the policy needs to know (?P<list>.+)")),
    ("says", re.compile(r'the explanation says "(?P<words>[^"]+)"')),
    ("not_says", re.compile(r'the explanation does not say "(?P<words>[^"]+)"')),
]
CHECK_TEMPLATES = [*OUTCOME_WORDS, "it cites <clause-id>", "it does not cite <clause-id>", "it cites nothing",
                   "it cites nothing else", "I am told about <clause-id>", "I am not told about <clause-id>",
                   "I am told nothing", "I am told nothing else",
                   "my obligation under <clause-id> is met / is not yet met / is not known yet",
                   "I have no obligations", "I have no other obligations",
                   "it could be <outcome> or <outcome>", "the policy needs to know the <fact> and the <fact>",
                   'the explanation says "<words>"', 'the explanation does not say "<words>"']


@dataclass(frozen=True)
class Check:
    """One ``Then`` step, parsed."""

    kind: str
    value: object
    text: str


def _split_words(text: str) -> list[str]:
    return [part.strip() for part in re.split(r",\s*|\s+and\s+|\s+or\s+", text) if part.strip()]


def parse_check(text: str) -> Check:
    """A ``Then`` step's words as a check; PhraseError naming the closest forms otherwise."""
    words = " ".join(text.split())
    if words in OUTCOME_WORDS:
        return Check("outcome", OUTCOME_WORDS[words], words)
    for kind, pattern in _CHECKS:
        match = pattern.fullmatch(words)
        if not match:
            continue
        if kind == "obligation":
            return Check(kind, (match["id"], MET_WORDS[match["met"]]), words)
        if kind == "could_be":
            names = _split_words(match["list"])
            unknown = [n for n in names if n not in POSSIBLE_WORDS]
            if unknown:
                raise PhraseError(f"'{unknown[0]}' is not an outcome; use {', '.join(POSSIBLE_WORDS)}")
            return Check(kind, tuple(sorted({POSSIBLE_WORDS[n] for n in names},
                                            key=list(POSSIBLE_WORDS.values()).index)), words)
        if kind == "needs":
            return Check(kind, tuple(n.removeprefix("the ") for n in _split_words(match["list"])), words)
        if kind in ("says", "not_says"):
            return Check(kind, match["words"], words)
        return Check(kind, match["id"] if "id" in pattern.groupindex else None, words)
    close = difflib.get_close_matches(words, CHECK_TEMPLATES, n=3, cutoff=0.0)
    raise PhraseError(f"unknown check '{words}'; closest: {'; '.join(repr(c) for c in close)}")


class _Decider(Protocol):
    def decide(self, request: object) -> Decision: ...


@dataclass
class ScenarioRun:
    """One scenario being run: facts stated so far, the decision, and what the checks saw."""

    phrasebook: Phrasebook = field(default_factory=load_phrasebook)
    request: dict[str, Any] = field(default_factory=dict)
    decision: Decision | None = None
    cited: set[str] = field(default_factory=set)
    told: set[str] = field(default_factory=set)
    obliged: set[str] = field(default_factory=set)

    def state(self, text: str) -> None:
        """A ``Given`` step: add the phrase's fact to the request."""
        if self.decision is not None:
            raise PhraseError(f"'{text}' comes after '{ASK}'; state every fact before asking")
        self.phrasebook.apply(self.request, text)

    def ask(self, policy: _Decider) -> Decision:
        """The ``When`` step."""
        self.decision = policy.decide(self.request)
        return self.decision

    def check(self, text: str) -> list[str]:
        """A ``Then`` step: the failures, in words (empty when the check holds)."""
        return self.verify(parse_check(text))

    def verify(self, check: Check) -> list[str]:
        decision = self.decision
        if decision is None:
            return [f"'{check.text}' comes before '{ASK}'"]
        reasons = [r.id for r in decision.reasons]
        notices = [n.clause for n in decision.notices]
        obligations = {o.clause: o.met for o in decision.obligations}
        kind, value = check.kind, check.value
        if kind == "outcome":
            return [] if decision.outcome == value else [f"expected {value}, got {decision.outcome} "
                                                         f"({decision.explanation})"]
        if kind in _LIST_CHECKS:
            which, form = _LIST_CHECKS[kind]
            items = reasons if which == "reasons" else list(dict.fromkeys(notices))
            seen = self.cited if which == "reasons" else self.told
            return _list_check(form, value, items, seen, which)
        if kind == "obligation":
            clause, met = cast(tuple[str, bool | None], value)
            self.obliged.add(clause)
            if clause not in obligations:
                return [f"expected an obligation under {clause}; obligations: {_list(list(obligations))}"]
            return [] if obligations[clause] is met else [
                f"expected the obligation under {clause} to be {_met_words(met)}, "
                f"it is {_met_words(obligations[clause])}"]
        if kind == "no_obligations":
            return [] if not obligations else [f"expected no obligations; got {_list(list(obligations))}"]
        if kind == "no_other_obligations":
            extra = [o for o in obligations if o not in self.obliged]
            return [] if not extra else [f"it also imposes obligations under {_list(extra)}"]
        if kind == "could_be":
            got = decision.possible_outcomes
            wanted = cast(tuple[str, ...], value)
            return [] if tuple(got) == wanted else [f"expected it could be {_list(wanted)}; possible: {_list(got)}"]
        if kind == "needs":
            got = decision.missing_facts
            wanted = cast(tuple[str, ...], value)
            return [] if tuple(got) == wanted else [f"expected missing facts {_list(wanted)}; got {_list(got)}"]
        if kind in ("says", "not_says"):
            said = " ".join(decision.explanation.split())
            if (cast(str, value) in said) == (kind == "says"):
                return []
            expected = "to say" if kind == "says" else "not to say"
            return [f"expected the explanation {expected} \"{value}\"; it says: {decision.explanation}"]
        raise AssertionError(kind)


_LIST_CHECKS = {
    "cites": ("reasons", "has"), "not_cites": ("reasons", "lacks"), "cites_nothing": ("reasons", "empty"),
    "cites_nothing_else": ("reasons", "only"), "told": ("notices", "has"), "not_told": ("notices", "lacks"),
    "told_nothing": ("notices", "empty"), "told_nothing_else": ("notices", "only"),
}


_LIST_WORDS = {
    "reasons": {"has": "expected it to cite {value}; it cites {items}",
                "lacks": "expected it not to cite {value}; it cites {items}",
                "empty": "expected no reasons; it cites {items}", "only": "it also cites {items}"},
    "notices": {"has": "expected a notice from {value}; notices: {items}",
                "lacks": "expected no notice from {value}; notices: {items}",
                "empty": "expected no notices; notices: {items}", "only": "it also gives notices from {items}"},
}


def _list_check(form: str, value: object, items: list[str], seen: set[str], which: str) -> list[str]:
    """The four checks on the clauses cited (reasons) or giving notices: has, lacks, empty, and
    nothing beyond the ones already checked for."""
    if form == "has":
        seen.add(str(value))
    failed = {"has": value not in items, "lacks": value in items, "empty": bool(items),
              "only": any(item not in seen for item in items)}[form]
    if not failed:
        return []
    shown = [item for item in items if item not in seen] if form == "only" else items
    return [_LIST_WORDS[which][form].format(value=value, items=_list(shown))]


def _list(items: Iterable[object]) -> str:
    items = list(items)
    return ", ".join(map(str, items)) if items else "nothing"


def _met_words(met: bool | None) -> str:
    return {True: "met", False: "not yet met", None: "not known yet"}[met]


@dataclass(frozen=True)
class Step:
    kind: str  # Context, Action or Outcome
    text: str
    line: int
    column: int = 1  # where the step's words start


@dataclass(frozen=True)
class PreparedScenario:
    """A scenario whose request is built and whose checks are parsed (``Scenario.prepare``)."""

    title: str
    request: dict[str, Any]
    checks: tuple[Check, ...]
    phrasebook: Phrasebook

    def failures(self, policy: _Decider) -> list[str]:
        """What ``Scenario.run`` would report against ``policy`` (empty when it passes)."""
        run = ScenarioRun(self.phrasebook, dict(self.request))
        run.ask(policy)
        return [failure for check in self.checks for failure in run.verify(check)]


@dataclass(frozen=True)
class Scenario:
    """One scenario (an outline gives one per example row), as written."""

    path: str
    line: int
    feature: str
    name: str
    tags: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return tuple(t[len(CLAUSE_TAG):] for t in self.tags if t.startswith(CLAUSE_TAG))

    @property
    def reading_ids(self) -> tuple[str, ...]:
        return tuple(t[len(READING_TAG):] for t in self.tags if t.startswith(READING_TAG))

    @property
    def title(self) -> str:
        return f"{self.feature}: {self.name}"

    def run(self, policy: _Decider, phrasebook: Phrasebook | None = None) -> list[str]:
        """Run the scenario in-process; the failures in words (empty when it passes)."""
        return self.execute(policy, phrasebook)[0]

    def execute(self, policy: _Decider, phrasebook: Phrasebook | None = None) -> tuple[list[str], Decision | None]:
        """Run the scenario in-process: the failures in words, and the decision it asked for."""
        run = ScenarioRun(phrasebook or load_phrasebook())
        failures: list[str] = []
        for step in self.steps:
            try:
                if step.kind == "Context":
                    run.state(step.text)
                elif step.kind == "Action":
                    if step.text != ASK:
                        raise PhraseError(f"unknown action '{step.text}'; write '{ASK}'")
                    run.ask(policy)
                else:
                    failures += [f"line {step.line}: {f}" for f in run.check(step.text)]
            except (PhraseError, ValueError) as error:
                return failures + [f"line {step.line}: {error}"], run.decision
        if run.decision is None:
            failures.append(f"the scenario never says '{ASK}'")
        return failures, run.decision

    def prepare(self, phrasebook: Phrasebook | None = None) -> "PreparedScenario | None":
        """The scenario with its words read once, to run many times against changed policies
        (mutation testing); None when its steps are not in the plain order (facts, one question,
        checks) or do not all read, so that ``run`` reports the problem instead."""
        book = phrasebook or load_phrasebook()
        run = ScenarioRun(book)
        checks: list[Check] = []
        asked = False
        try:
            for step in self.steps:
                if step.kind == "Context" and not asked:
                    run.state(step.text)
                elif step.kind == "Action" and step.text == ASK and not asked:
                    asked = True
                elif step.kind not in ("Context", "Action") and asked:
                    checks.append(parse_check(step.text))
                else:
                    return None
        except (PhraseError, ValueError):
            return None
        return PreparedScenario(self.title, run.request, tuple(checks), book) if asked else None

    def request(self, phrasebook: Phrasebook | None = None) -> dict[str, Any]:
        """The request its Given steps build."""
        run = ScenarioRun(phrasebook or load_phrasebook())
        for step in self.steps:
            if step.kind == "Context":
                run.state(step.text)
        return run.request

    def day(self, phrasebook: Phrasebook | None = None) -> date | None:
        """The date the scenario is about ("Given the date is YYYY-MM-DD", usually in its
        Background), or None when it names none or its steps do not build a request."""
        try:
            stated = self.request(phrasebook).get("as_of")
        except (PhraseError, ValueError):
            return None
        try:
            return date.fromisoformat(stated) if isinstance(stated, str) else None
        except ValueError:
            return None


def readings_path() -> Path:
    """The project's list of readings: ``questions/readings.yaml``, beside ``features/``."""
    return default_features_dir().parent / "questions" / "readings.yaml"


def read_readings(path: Path | str | None = None) -> tuple[tuple[str, ...], list[PolicyIssue]]:
    """The reading ids a readings list declares (a mapping whose ``readings`` is a list of
    mappings, each with an ``id``), and every problem found in it."""
    path = Path(path) if path is not None else readings_path()
    return read_reading_ids(path, display_path(path))


def load_reading_ids(path: Path | str | None = None) -> tuple[str, ...]:
    """The reading ids of the project's readings list (or of ``path``); PolicyError if it is broken."""
    ids, issues = read_readings(path)
    if issues:
        raise PolicyError(issues)
    return ids


def read_features(directory: Path | str, clause_ids: Iterable[str] = (),
                  phrasebook: Phrasebook | None = None,
                  reading_ids: Iterable[str] | None = None) -> tuple[list[Scenario], list[PolicyIssue]]:
    """Every scenario under ``directory`` (``*.feature``; or one feature file), and every problem found: Gherkin syntax,
    unknown phrases and checks, misplaced steps, unknown clause tags (when ``clause_ids`` is given), unknown
    reading tags (checked against ``reading_ids``, by default the project's ``questions/readings.yaml``)."""
    phrasebook = phrasebook or load_phrasebook()
    known = set(clause_ids)
    readings = _Readings(reading_ids)
    scenarios: list[Scenario] = []
    issues: list[PolicyIssue] = []
    root = Path(directory)
    files = [root] if root.is_file() else sorted(root.rglob("*.feature"))
    if not files:
        issues.append(PolicyIssue(display_path(Path(directory)), 1, 1, "no .feature files found", "no-features"))
    for path in files:
        shown = display_path(path)
        try:
            document = Parser().parse(path.read_text(encoding="utf-8"))
        except (CompositeParserException, ParserError) as error:
            for problem in getattr(error, "errors", [error]):
                location = getattr(problem, "location", None) or {"line": 1, "column": 1}
                message = str(problem).split(": ", 1)[-1]
                issues.append(PolicyIssue(shown, location["line"], location.get("column") or 1,
                                          f"not valid Gherkin: {message}", "gherkin"))
            continue
        located = GherkinDocumentWithURI(**document, uri=shown)
        locations = _locations(located)
        feature = located.get("feature") or {}
        for pickle in Compiler().compile(located):
            # An outline's example row is the pickle's last AST node; a plain scenario its only one.
            line = locations.get(pickle["astNodeIds"][-1], (1, 1))[0]
            steps = tuple(Step(s["type"], s["text"], *locations.get(s["astNodeIds"][0], (line, 1)))
                          for s in pickle["steps"])
            scenario = Scenario(shown, line, feature.get("name", ""), pickle["name"],
                                tuple(t["name"] for t in pickle["tags"]), steps)
            scenarios.append(scenario)
            issues.extend(_scenario_issues(scenario, known, phrasebook))
            issues.extend(readings.issues(scenario))
    return scenarios, sorted(set(issues))


class _Readings:
    """The known reading ids, read from the project's list only when a scenario has a reading tag."""

    def __init__(self, ids: Iterable[str] | None):
        self._ids = None if ids is None else frozenset(ids)
        self._reported = False

    def issues(self, scenario: Scenario) -> Iterator[PolicyIssue]:
        if not scenario.reading_ids:
            return
        if self._ids is None:
            ids, problems = read_readings()
            self._ids = frozenset(ids)
            if problems:
                yield from problems
                self._reported = True
        if self._reported:
            return  # the list itself is broken; every reading tag would be reported as unknown
        for reading_id in scenario.reading_ids:
            if reading_id not in self._ids:
                yield PolicyIssue(scenario.path, scenario.line, 1,
                                  f"scenario '{scenario.name}' is tagged with unknown reading '{reading_id}'"
                                  f"{did_you_mean(reading_id, self._ids)}", "unknown-reading")


def _locations(document: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Every AST node id -> (line, column); for a step, the column where its words start."""
    found: dict[str, tuple[int, int]] = {}

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if "id" in node and "location" in node:
                location = node["location"]
                column = location.get("column") or 1
                if "keyword" in node and "text" in node:
                    column += len(node["keyword"])
                found[node["id"]] = (location["line"], column)
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(document)
    return found


def _scenario_issues(scenario: Scenario, known: set[str], phrasebook: Phrasebook) -> Iterable[PolicyIssue]:
    where = scenario.path
    if known:
        for clause_id in scenario.clause_ids:
            if clause_id not in known:
                yield PolicyIssue(where, scenario.line, 1,
                                  f"scenario '{scenario.name}' is tagged with unknown clause '{clause_id}'"
                                  f"{did_you_mean(clause_id, known)}", "unknown-clause")
    run = ScenarioRun(phrasebook)
    asked = False
    for step in scenario.steps:
        try:
            if step.kind == "Context":
                if asked:
                    raise PhraseError(f"'{step.text}' comes after '{ASK}'; state every fact before asking")
                run.state(step.text)
            elif step.kind == "Action":
                if step.text != ASK:
                    raise PhraseError(f"unknown action '{step.text}'; write '{ASK}'")
                asked = True
            else:
                if not asked:
                    raise PhraseError(f"the check '{step.text}' comes before '{ASK}'")
                parse_check(step.text)
        except PhraseError as error:
            yield PolicyIssue(where, step.line, step.column, str(error), "phrase")
    if not asked:
        yield PolicyIssue(where, scenario.line, 1, f"scenario '{scenario.name}' never says '{ASK}'", "no-ask")
    if "as_of" not in run.request:
        yield PolicyIssue(where, scenario.line, 1, UNDATED.format(name=scenario.name), "undated")


UNDATED = ("scenario '{name}' names no date, so it would be asked as of whatever day it runs and change meaning "
           "the morning a later version takes effect; add 'Given the date is YYYY-MM-DD' to the feature's "
           "Background, with a date in the range of the version it illustrates")
"""The problem of a scenario without a date (``{name}`` is its name)."""

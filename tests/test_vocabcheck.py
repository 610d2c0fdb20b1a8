"""The vocabulary's completeness: a fact or a value added to schema/request.schema.json with
nothing else is reported at its place in the schema, one issue per place still missing (the
glossary, the Ask page, the scenarios, the alternatives), each issue going once its place is
filled; the shipped schema has none; ``policykit validate`` prints them with the rest and fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BROKEN, PROJECT_ROOT, MakePolicy, expected_lines
from hypothesis import given, settings
from hypothesis import strategies as st

from policykit.authoring.phrases import phrasebook_from
from policykit.core.errors import PolicyIssue
from policykit.core.loader import check_policy_dir
from policykit.core.vocabcheck import check_vocabulary, vocabulary_issues
from policykit.core.vocabulary import load_vocabulary

SHIPPED = PROJECT_ROOT / "schema" / "request.schema.json"
NAME = "schema/request.schema.json"

Edit = Callable[[dict], None]


def shipped() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def write(path: Path, schema: dict) -> str:
    """Write ``schema`` as the project writes it (two-space JSON); its text."""
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def at(text: str, needle: str, after: str = "") -> tuple[int, int]:
    """Line and column of ``needle`` in ``text`` (the first after ``after``), found by searching
    the text, independently of the YAML reader the checker uses."""
    offset = text.index(needle, text.index(after) if after else 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def issue(text: str, needle: str, message: str, code: str, after: str = "") -> PolicyIssue:
    return PolicyIssue(NAME, *at(text, needle, after), message, code)


# --- the new fact and the new value --------------------------------------------------------

def add_bare(schema: dict) -> None:
    """An editor's first step: a yes/no fact 'recorded' and a channel 'podcast', nothing else."""
    schema["properties"]["recorded"] = {"type": "boolean"}
    schema["$defs"]["channel"]["oneOf"].append({"const": "podcast"})


def fact_issues(text: str) -> dict[str, PolicyIssue]:
    """Every issue the bare fact 'recorded' gives, by the annotation that fills it."""
    def fact(message: str, code: str) -> PolicyIssue:
        return issue(text, '"recorded": {', message, code)
    return {
        "description": fact("fact 'recorded' has no description: the glossary and the ask page have nothing to "
                            "say about it; add a sentence saying what it means", "description"),
        "x-when-missing": fact("fact 'recorded' has no x-when-missing: nothing says what a request without it "
                               "means; add one of: unknown, false, empty, no-site, today", "when-missing"),
        "x-phrases true": fact("yes/no fact 'recorded' has no x-phrases true: scenarios cannot state that it "
                               "holds; add the words staff would write", "phrase"),
        "x-phrases false": fact("yes/no fact 'recorded' has no x-phrases false: scenarios cannot state that it "
                                "does not hold; add the words staff would write", "phrase"),
    }


def value_issues(text: str) -> dict[str, PolicyIssue]:
    """Every issue the bare channel value 'podcast' gives, by the annotation that fills it."""
    def value(message: str, code: str) -> PolicyIssue:
        return issue(text, '"const": "podcast"', message, code)
    said = "value 'podcast' of channel"
    return {
        "title": value(f"{said} has no title: the ask page labels it 'podcast'; add a short label staff would "
                       "recognise", "title"),
        "description": value(f"{said} has no description: the glossary leaves its meaning blank; add a sentence "
                             "saying what it means", "description"),
        "x-phrase": value(f"{said} has no x-phrase: scenarios cannot state it; add the words staff would write",
                          "phrase"),
        "x-instead": value(f"{said} has no x-instead: an alternative cannot suggest switching to it; add the "
                           "words for switching to it", "instead"),
        "x-instead-of": value(f"{said} has no x-instead-of: an alternative cannot name it when it replaces it; "
                              "add the words naming it", "instead"),
        "x-channels": value(f"{said} is in no action's x-channels: alternatives never offer it; add it to the "
                            "x-channels of each action that can go by it", "channels"),
    }


FILLS: tuple[tuple[str, str, Edit], ...] = (
    ("fact", "description", lambda s: s["properties"]["recorded"].update(
        description="The communication is recorded (a podcast episode, a video). When missing: no.")),
    ("fact", "x-when-missing", lambda s: s["properties"]["recorded"].update({"x-when-missing": "false"})),
    ("fact", "x-phrases true", lambda s: s["properties"]["recorded"].setdefault("x-phrases", {}).update(
        true="it is recorded")),
    ("fact", "x-phrases false", lambda s: s["properties"]["recorded"].setdefault("x-phrases", {}).update(
        false="it is not recorded")),
    ("value", "title", lambda s: s["$defs"]["channel"]["oneOf"][-1].update(title="podcast")),
    ("value", "description", lambda s: s["$defs"]["channel"]["oneOf"][-1].update(
        description="An audio or video episode published for listeners to play.")),
    ("value", "x-phrase", lambda s: s["$defs"]["channel"]["oneOf"][-1].update({"x-phrase": "it is a podcast"})),
    ("value", "x-instead", lambda s: s["$defs"]["channel"]["oneOf"][-1].update({"x-instead": "record a podcast"})),
    ("value", "x-instead-of", lambda s: s["$defs"]["channel"]["oneOf"][-1].update({"x-instead-of": "a podcast"})),
    ("value", "x-channels", lambda s: s["$defs"]["action"]["oneOf"][2]["x-channels"].append("podcast")),
)
"""Each place to fill, in the order docs/editors.md walks through them, and the edit filling it."""


def test_the_shipped_schema_has_no_gaps() -> None:
    vocabulary, issues = check_vocabulary(SHIPPED, NAME)
    assert issues == []
    assert vocabulary == load_vocabulary()


def test_a_bare_fact_and_value_are_reported_at_their_places(tmp_path: Path) -> None:
    schema = shipped()
    add_bare(schema)
    path = tmp_path / NAME
    text = write(path, schema)
    vocabulary, issues = check_vocabulary(path, NAME)
    assert issues == sorted([*fact_issues(text).values(), *value_issues(text).values()])
    assert vocabulary is None  # a fact whose absence means nothing: the clauses cannot be checked yet


def test_filling_each_place_removes_its_issue_and_only_it(tmp_path: Path) -> None:
    schema = shipped()
    add_bare(schema)
    path = tmp_path / NAME
    text = write(path, schema)
    left = {("fact", k): v for k, v in fact_issues(text).items()} | {("value", k): v
                                                                    for k, v in value_issues(text).items()}
    assert set(left) == {(where, place) for where, place, _ in FILLS}
    for where, place, fill in FILLS:
        fill(schema)
        text = write(path, schema)
        del left[(where, place)]
        found = {"fact": fact_issues(text), "value": value_issues(text)}  # lines move as annotations are added
        assert vocabulary_issues(path, NAME) == sorted(found[w][p] for w, p in left), place
    vocabulary, issues = check_vocabulary(path, NAME)
    assert issues == []
    assert vocabulary is not None and vocabulary["recorded"].phrases == (("true", "it is recorded"),
                                                                        ("false", "it is not recorded"))
    assert vocabulary["channel"].values[-1].phrase == "it is a podcast"


# --- every other rule -----------------------------------------------------------------------

def _defs(name: str) -> Callable[[dict], list]:
    return lambda s: s["$defs"][name]["oneOf"]


CASES: dict[str, tuple[Edit, str, str, str, str]] = {
    # name: (edit, needle, after, message, code)
    "unknown when-missing": (
        lambda s: s["properties"]["audience_is_family"].update({"x-when-missing": "no"}),
        '"audience_is_family": {', "",
        "fact 'audience_is_family' has x-when-missing \"no\", which means nothing; use one of: unknown, false, "
        "empty, no-site, today", "when-missing"),
    "single choice closed": (
        lambda s: s["properties"]["purpose"].update({"x-when-missing": "false"}),
        '"purpose": {', "",
        "fact 'purpose' is a single choice, so a missing value can only be unknown; set x-when-missing to unknown",
        "when-missing"),
    "yes/no phrase case": (
        lambda s: s["properties"]["interferes_with_duties"]["x-phrases"].update(yes="it gets in the way"),
        '"interferes_with_duties": {', "",
        "yes/no fact 'interferes_with_duties' has x-phrases \"yes\", which is read as false; only true and false "
        "are read: rename it or remove it", "phrase"),
    "controllable yes/no": (
        lambda s: s["properties"]["supervisor_consulted"].pop("x-instead"),
        '"supervisor_consulted": {', "",
        "fact 'supervisor_consulted' is x-controllable but has no x-instead: an alternative cannot say how to "
        "make it true; add the words for that step", "instead"),
    "object without given": (
        lambda s: s["properties"]["site"].pop("x-phrases"),
        '"site": {', "",
        "fact 'site' has no x-phrases given: scenarios cannot state that it is involved; add the words staff "
        "would write", "phrase"),
    "list item controllable": (
        lambda s: _defs("content_flag")(s)[0].pop("x-instead"),
        '"const": "peer_fraternizing"', "",
        "value 'peer_fraternizing' of content has no x-instead: an alternative cannot suggest leaving it out; "
        "add the words for leaving it out", "instead"),
    "repeated phrase": (
        lambda s: _defs("device")(s)[1].update({"x-phrase": "I use a District device"}),
        '"const": "personal"', '"device": {\n      "description"',
        "value 'personal' of device has the x-phrase 'I use a District device', already the words for "
        "device = 'district': scenarios could not tell them apart; give it other words", "phrase"),
    "repeated yes/no phrase": (
        lambda s: s["properties"]["disclaimer_or_alias"]["x-phrases"].update(true="I have consulted my supervisor"),
        '"disclaimer_or_alias": {', "",
        "fact 'disclaimer_or_alias' has the x-phrases true 'I have consulted my supervisor', already the words "
        "for supervisor_consulted = true: scenarios could not tell them apart; give it other words", "phrase"),
    "repeated value": (
        lambda s: _defs("network")(s).append(dict(_defs("network")(s)[0])),
        '"const": "district"', '"x-instead-of": "another network"',
        "network lists the value 'district' twice; remove one", "vocabulary"),
    "value without const": (
        lambda s: _defs("effect")(s).append({"title": "something else"}),
        '{', '"x-phrase": "it breaks the law or a District rule"',
        "value 5 of effects has no const: give it a name (lowercase words joined by _)", "vocabulary"),
    "synonyms not a list": (
        lambda s: _defs("account")(s)[0].update({"x-synonyms": "school account"}),
        '"const": "district"', '"account": {\n      "description"',
        "value 'district' of account has x-synonyms that are not a list of words: the ask page and the site's "
        "search read each word; write them as a list of text", "synonyms"),
    "action without channels": (
        lambda s: _defs("action")(s)[4].pop("x-channels"),
        '"const": "browse"', "",
        "action 'browse' has no x-channels: alternatives cannot offer another channel for it; list the channels "
        "it can go by (of: email, text_message, messaging_app, social_media, website, phone, video_call, letter, "
        "in_person)", "channels"),
    "action with an unknown channel": (
        lambda s: _defs("action")(s)[6]["x-channels"].append("inperson"),
        '"const": "converse"', "",
        "action 'converse' lists \"inperson\" in x-channels, which is not a channel (did you mean 'in_person'?); "
        "use one of: email, text_message, messaging_app, social_media, website, phone, video_call, letter, "
        "in_person", "channels"),
    "read-as to another fact's value": (
        lambda s: _defs("purpose")(s)[2]["x-read-as"].update(value="private"),
        '"const": "counseling"', "",
        "value 'counseling' of purpose has an x-read-as whose value \"private\" is not another value of purpose; "
        "use one of: school_business, extracurricular, personal", "read-as"),
    "read-as unless a role that is not": (
        lambda s: _defs("purpose")(s)[2]["x-read-as"]["unless"].update({"is": "counselor"}),
        '"const": "counseling"', "",
        "value 'counseling' of purpose has an x-read-as whose unless is \"counselor\", not a value of actor.role "
        "(did you mean 'school_counselor'?); use one of: teacher, school_counselor, administrator, coach, "
        "paraprofessional, support_staff, substitute",
        "read-as"),
    "read-as without explanation": (
        lambda s: _defs("purpose")(s)[2]["x-read-as"].pop("explanation"),
        '"const": "counseling"', "",
        "value 'counseling' of purpose has an x-read-as with no explanation: a decision cannot say why it reads "
        "the value so; add the sentence it shows", "read-as"),
    "item phrase without the title": (
        lambda s: s["properties"]["seen_by"].update({"x-item-phrase": "someone else can see it"}),
        '"x-item-phrase"', "",
        "fact 'seen_by' has an x-item-phrase without {title}: every value would get the same words; write the "
        "words with {title} standing for the value's title", "phrase"),
    "item phrase repeating another value's words": (
        lambda s: _defs("audience_member")(s)[0].update({"x-phrase": "a student can see it"}),
        '"seen_by": {', "",
        "value 'student' of seen_by has (by its x-item-phrase) 'a student can see it', already the words for "
        "audience = 'student': scenarios could not tell them apart; give it other words", "phrase"),
    "fact synonyms not a list": (
        lambda s: s["properties"]["seen_by"].update({"x-synonyms": "followers"}),
        '"seen_by": {', "",
        "fact 'seen_by' has x-synonyms that are not a list of words: the ask page reads each word; write them "
        "as a list of text", "synonyms"),
    "reference to nothing": (
        lambda s: s["properties"]["network"].update({"$ref": "#/$defs/netwrok"}),
        '"$ref": "#/$defs/netwrok"', "",
        "fact 'network' refers to \"#/$defs/netwrok\", which is not in $defs (did you mean 'network'?); add the "
        "definition or fix the reference", "vocabulary"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_rule_names_its_place(name: str, tmp_path: Path) -> None:
    edit, needle, after, message, code = CASES[name]
    schema = shipped()
    edit(schema)
    path = tmp_path / NAME
    text = write(path, schema)
    assert vocabulary_issues(path, NAME) == [issue(text, needle, message, code, after)]


def test_a_schema_that_is_not_json_is_one_located_issue(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.parent.mkdir(parents=True)
    path.write_text('{\n  "properties": {\n    "channel": {,\n  }\n}\n', encoding="utf-8")
    assert check_vocabulary(path, NAME) == (None, [PolicyIssue(NAME, 3, 17, "the request schema is not valid "
                                                               "JSON: expecting property name enclosed in double "
                                                               "quotes", "syntax")])


VALUE_PLACES = ("title", "description", "x-phrase", "x-instead", "x-instead-of")
CODES = {"title": "title", "description": "description", "x-phrase": "phrase", "x-instead": "instead",
         "x-instead-of": "instead"}


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_removing_any_value_annotations_gives_one_issue_each_at_the_value(data: st.DataObject, tmp_path_factory
                                                                          ) -> None:
    """For any value of the shipped vocabulary and any of its annotations removed, exactly one
    issue per annotation its fact needs, all at that value's const."""
    vocabulary = load_vocabulary()
    # A fact that shares an earlier fact's values (seen_by has the audience's) is checked there.
    owners = {}
    for f in vocabulary.facts:
        if f.values:
            owners.setdefault(f.definition, f)
    fact = data.draw(st.sampled_from(list(owners.values())))
    index = data.draw(st.integers(0, len(fact.values) - 1))
    removed = data.draw(st.sets(st.sampled_from(VALUE_PLACES), min_size=1))
    schema = shipped()
    branch = schema["$defs"][fact.definition]["oneOf"][index]
    for key in removed:
        branch.pop(key, None)
    needed = {"title", "description", "x-phrase"}
    if fact.controllable:
        needed |= {"x-instead"} | ({"x-instead-of"} if fact.kind == "choice" else set())
    path = tmp_path_factory.mktemp("schema") / "request.schema.json"
    text = write(path, schema)
    place = at(text, f'"const": {json.dumps(fact.values[index].name)}', f'"{fact.definition}": {{\n      "description"')
    issues = vocabulary_issues(path, NAME)
    assert sorted(i.code for i in issues) == sorted(CODES[key] for key in removed & needed)
    assert {(i.line, i.column) for i in issues} <= {place}
    assert all(i.message.startswith(f"value '{fact.values[index].name}' of {fact.path} has no ") for i in issues)


# --- validation reports them with the rest --------------------------------------------------

def test_validation_reports_the_vocabulary_with_the_policy_issues(make_policy: MakePolicy, tmp_path: Path) -> None:
    """A value without its x-phrase (the vocabulary still builds) and a clause naming an unknown
    fact: both are reported at once, each at its place."""
    root = make_policy(BROKEN / "unknown-fact")
    schema = shipped()
    _defs("channel")(schema)[0].pop("x-phrase")
    path = tmp_path / "schema" / "request.schema.json"
    text = write(path, schema)
    document, issues = check_policy_dir(root, request_schema=path)
    assert document is None
    gap = issue(text, '"const": "email"', "value 'email' of channel has no x-phrase: scenarios cannot state it; "
                                          "add the words staff would write", "phrase")
    assert [str(i) for i in issues] == sorted(expected_lines("unknown-fact") + [
        str(PolicyIssue(str(path.resolve()), gap.line, gap.column, gap.message))])


def test_validation_of_the_shipped_files_reports_no_vocabulary_issue(policy_root: Path) -> None:
    assert check_policy_dir(policy_root, request_schema=SHIPPED) == check_policy_dir(policy_root)
    assert check_policy_dir(policy_root)[1] == []


def _project_copy(tmp_path: Path) -> Path:
    """The project's code, policy and schemas in a temporary directory: there the copy's schema is
    the one every command reads (the package finds its data beside itself)."""
    copy = tmp_path / "project"
    for name in ("src", "schema", "policy", "questions"):
        shutil.copytree(PROJECT_ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "_data"))
    return copy


def _validate(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    return subprocess.run([sys.executable, "-m", "policykit", "validate", *args], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=300)


def test_policykit_validate_prints_every_place_missing_and_fails(tmp_path: Path) -> None:
    copy = _project_copy(tmp_path)
    schema = shipped()
    add_bare(schema)
    text = write(copy / NAME, schema)
    done = _validate(copy)
    expected = sorted([*fact_issues(text).values(), *value_issues(text).values()])
    assert (done.returncode, done.stdout.splitlines(), done.stderr) == (
        1, [str(i) for i in expected], f"{len(expected)} errors in policy\n")
    as_json = json.loads(_validate(copy, "--format", "json").stdout)
    assert as_json["errors"] == [i.to_dict() for i in expected]
    for _, _, fill in FILLS:
        fill(schema)
    write(copy / NAME, schema)
    done = _validate(copy)
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert done.stdout.startswith("policy is valid: ")


# --- the editors' guide ---------------------------------------------------------------------

def _guide_section() -> str:
    text = (PROJECT_ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Adding a fact or a value\n"):]
    return section[:section.find("\n## ", 1)] if "\n## " in section[1:] else section


def _blocks(section: str, language: str) -> list[str]:
    parts = section.split("```" + language + "\n")[1:]
    return [part[:part.index("```")] for part in parts]


def test_the_guides_messages_are_what_validate_says_for_a_bare_value(tmp_path: Path) -> None:
    schema = shipped()
    add_bare(schema)
    path = tmp_path / NAME
    write(path, schema)
    said = {issue.message for issue in vocabulary_issues(path, NAME)}
    (shown,) = _blocks(_guide_section(), "text")
    lines = [line.strip() for line in shown.splitlines() if line.strip()]
    assert lines and all(line.startswith(NAME + ":") for line in lines)
    assert {line.split(": ", 1)[1] for line in lines} <= said


def test_the_guides_finished_examples_are_complete(tmp_path: Path) -> None:
    value, fact = _blocks(_guide_section(), "json")
    schema = shipped()
    _defs("channel")(schema).append(json.loads(value))
    schema["properties"].update(json.loads("{" + fact + "}"))
    next(a for a in _defs("action")(schema) if a["const"] == "post")["x-channels"].append("podcast")
    path = tmp_path / NAME
    write(path, schema)
    vocabulary, issues = check_vocabulary(path, NAME)
    assert issues == []
    assert vocabulary is not None and [v.phrase for v in vocabulary["channel"].values][-1] == "it is a podcast"
    book = phrasebook_from(vocabulary)
    (steps,) = _blocks(_guide_section(), "gherkin")
    words = [line.strip().split(" ", 1)[1] for line in steps.splitlines() if line.strip()]
    assert [(p.fact, p.value) for p in map(book.find, words)] == [
        ("actor.role", "teacher"), ("action", "post"), ("channel", "podcast"), ("audience", "public")]

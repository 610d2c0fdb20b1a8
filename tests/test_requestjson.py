"""Request JSON and hostile requests through the Python API and the CLI: repeated keys refused
with their pointers, nesting limits, and bounded work and errors for requests of any size."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date

import pytest

import policykit
from policykit.interfaces.cli import main
from policykit.core.request import MAX_ERRORS, bounded_request_problems
from policykit.core.errors import json_pointer
from policykit.core.requestjson import JsonInputError, parse_json
from policykit.core.schemaerrors import load_schema
from policykit.core.vocabulary import load_vocabulary

AS_OF = date(2026, 1, 5)
# A prohibited question, then "audience" again: a parser keeping the last key would see nobody
# in the audience and permit it.
SMUGGLED = ('{"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", '
            '"audience": ["student"], "purpose": "personal", "audience": []}')


@pytest.fixture(scope="module")
def policy() -> policykit.Policy:
    return policykit.load_policy()


def test_a_repeated_key_is_refused_by_the_api_with_its_pointer(policy):
    assert policy.decide(json.loads(SMUGGLED), as_of=AS_OF).outcome == "permitted"  # what last-key-wins would do
    with pytest.raises(JsonInputError) as raised:
        policy.decide_json(SMUGGLED, as_of=AS_OF)
    assert raised.value.code == "duplicate_key"
    assert raised.value.errors == [{"pointer": "/audience", "message": "'audience' is given more than once here; "
                                                                       "give it once"}]
    assert isinstance(raised.value, policykit.RequestError)  # callers catching RequestError see it too


@pytest.mark.parametrize(("text", "pointers"), [
    ('{"actor": {"role": "teacher", "role": "coach"}, "action": "post"}', ["/actor/role"]),
    ('{"actor": {"role": "teacher"}, "action": "post", "site": {"approved": false, "approved": true}}',
     ["/site/approved"]),
    ('{"requests": [{"a": 1}, {"b": [{"c": 1, "c": 2}]}]}', ["/requests/1/b/0/c"]),
    ('{"a~/b": 1, "a~/b": 2, "x": 1, "x": 1}', ["/a~0~1b", "/x"]),
])
def test_repeated_keys_are_found_at_every_level(text, pointers):
    with pytest.raises(JsonInputError) as raised:
        parse_json(text)
    assert [error["pointer"] for error in raised.value.errors] == pointers


def test_seventy_thousand_repeated_keys_build_at_most_twenty_one_pointers(monkeypatch):
    """The search for repeated keys stops one past what is shown: 20 listed, then "and more"."""
    import policykit.core.requestjson as requestjson

    built = []

    def counting(path):
        built.append(path)
        return json_pointer(path)

    monkeypatch.setattr(requestjson, "json_pointer", counting)
    text = "[" + ",".join('{"a":1,"a":2}' for _ in range(70_000)) + "]"
    assert len(text) < 1_048_576
    with pytest.raises(JsonInputError) as raised:
        parse_json(text)
    assert len(built) <= MAX_ERRORS + 1
    assert raised.value.errors == [{"pointer": f"/{i}/a", "message": "'a' is given more than once here; give it once"}
                                   for i in range(MAX_ERRORS)] + [{"pointer": "", "message": "and more repeated keys"}]
    one_object = "{" + ",".join(f'"k{i}":1,"k{i}":2' for i in range(35_000)) + "}"
    built.clear()
    with pytest.raises(JsonInputError) as raised:
        parse_json(one_object)
    assert len(built) <= MAX_ERRORS + 1 and len(raised.value.errors) == MAX_ERRORS + 1


@pytest.mark.parametrize("text", ['{"a:b": 1, "c": "d:e"}', '{"a": {"b": 1}, "b": {"a": 1}}', "[1, 2]", '"x"',
                                  '{"a": [{"k": 1}, {"k": 2}]}'])
def test_colons_in_strings_and_equal_keys_in_different_objects_are_fine(text):
    assert parse_json(text) == json.loads(text)


@pytest.mark.parametrize(("text", "code"), [
    ("{oops", "invalid_json"), (b"\xff\xfe", "invalid_json"), ("[" * 10_000, "too_deep"),
    ("[" * 10_000 + "]" * 10_000, "too_deep"), ('{"a":' * 5_000 + "1" + "}" * 5_000, "too_deep"),
    ("[" * 40, "too_deep"), ("[" * 33 + "]" * 33, "too_deep"), ("[" * 32 + "]" * 32, None), ("NaN", "invalid_json"),
])
def test_invalid_and_deep_json(text, code):
    if code is None:
        parse_json(text)
        return
    with pytest.raises(JsonInputError) as raised:
        parse_json(text)
    assert raised.value.code == code


def test_every_list_of_the_request_schema_is_unique_items_over_an_enumeration():
    """What makes a list longer than its fact's values invalid whatever it holds."""
    schema = load_schema("request")

    def arrays(node):
        if isinstance(node, dict):
            if node.get("type") == "array":
                yield node
            for child in node.values():
                yield from arrays(child)
        elif isinstance(node, list):
            for child in node:
                yield from arrays(child)

    found = list(arrays(schema))
    assert found and all(array.get("uniqueItems") is True for array in found)
    lists = [fact for fact in load_vocabulary().facts if fact.kind == "list"]
    assert len(lists) == len(found) and all(fact.values for fact in lists)


def test_a_list_longer_than_its_vocabulary_is_one_problem_found_quickly(policy):
    size = len(load_vocabulary()["content"].values)
    body = '{"actor": {"role": "teacher"}, "action": "post", "content": [' + ",".join(["1"] * 500_000) + "]}"
    start = time.perf_counter()
    with pytest.raises(policykit.RequestError) as raised:
        policy.decide_json(body, as_of=AS_OF)
    assert time.perf_counter() - start < 1.0
    assert raised.value.errors == [{"pointer": "/content", "message": f"'content' lists 500000 values; it can hold at "
                                                                      f"most {size}, each allowed value once"}]
    # One more than it can hold, each value allowed: refused all the same.
    values = list(load_vocabulary()["content"].value_names)
    with pytest.raises(policykit.RequestError):
        policy.decide({"actor": {"role": "teacher"}, "action": "post", "content": values + values[:1]}, as_of=AS_OF)
    assert policy.decide({"actor": {"role": "teacher"}, "action": "post", "content": values}, as_of=AS_OF)


def test_errors_are_bounded_first_twenty_then_a_count(policy):
    request = {"actor": {"role": "teachr"}, "action": "post", "channel": "x" * 1_000_000,
               **{f"field{i:06d}": i for i in range(100_000)}}
    start = time.perf_counter()
    with pytest.raises(policykit.RequestError) as raised:
        policy.decide(request, as_of=AS_OF)
    assert time.perf_counter() - start < 1.0
    error = raised.value
    assert len(error.errors) == MAX_ERRORS
    assert len(error.errors) + error.omitted == 100_002  # every problem counted: role, channel, 100,000 fields
    assert [e["pointer"] for e in error.errors[:3]] == ["/actor/role", "/channel", "/field000000"]
    assert len(json.dumps(error.errors)) < 10_000  # the million-character value is not echoed
    assert "…" in error.errors[1]["message"]


def test_bounded_problems_agree_with_the_schema_on_small_requests(policy):
    request = {"actor": {"role": "teacher"}, "action": "post", "content": [{"a": 1}, ["b"] * 3, "harassing"],
               "audience": "student", "site": [1, 2]}
    problems, omitted = bounded_request_problems(request)
    assert omitted == 0
    assert [p.pointer for p in problems] == ["/audience", "/content/0", "/content/1", "/site"]


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_cli_refuses_a_repeated_key_in_a_file_on_stdin_and_in_a_batch(tmp_path, capsys, monkeypatch):
    source = tmp_path / "smuggled.json"
    source.write_text(SMUGGLED, encoding="utf-8")
    code, out, _ = run(["decide", str(source), "--format", "json"], capsys)
    assert code == 2 and json.loads(out)["errors"][0]["pointer"] == "/audience"
    code, out, err = run(["decide", str(source)], capsys)
    assert (code, out) == (2, "")
    assert "/audience: 'audience' is given more than once here; give it once" in err
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"actor": {"role": "coach"}, "action": "post", "as_of": "2026-01-05"}) + "\n"
                     + SMUGGLED + "\n", encoding="utf-8")
    code, out, _ = run(["decide", "--batch", str(batch)], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 2 and "outcome" in rows[0]
    assert (rows[1]["line"], rows[1]["error"]["errors"][0]["pointer"]) == (2, "/audience")
    done = subprocess.run([sys.executable, "-m", "policykit", "decide", "-", "--format", "json"], input=SMUGGLED,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and json.loads(done.stdout)["errors"][0]["pointer"] == "/audience"


def test_the_cli_lists_twenty_problems_and_counts_the_rest(tmp_path, capsys):
    source = tmp_path / "many.json"
    source.write_text(json.dumps({"actor": {"role": "teacher"}, "action": "post",
                                  **{f"f{i:03d}": 1 for i in range(30)}}), encoding="utf-8")
    code, out, _ = run(["decide", str(source), "--format", "json"], capsys)
    body = json.loads(out)
    assert code == 2 and len(body["errors"]) == 20 and body["more_errors"] == 10
    code, _, err = run(["decide", str(source)], capsys)
    assert err.splitlines()[-1] == "  ... and 10 more problems"

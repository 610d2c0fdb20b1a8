"""JSON Schema checking of policy files, with each error turned into a short located sentence.

The schemas in ``schema/`` are the single source of truth for the file formats; this module
only translates jsonschema's errors (collected with ``iter_errors``, never raised) into words
an editor understands, mapped back to the YAML line and column."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from policykit.core.values import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.errors import PolicyIssue, did_you_mean
from policykit.core.paths import schema_dir

if TYPE_CHECKING:  # jsonschema and yaml are imported by what checks, not by what only reads a schema
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    from policykit.core.yamlfile import JsonPath, YamlDocument

_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a set of fields",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "empty",
}
_CONDITION_TESTS = ("is", "in", "has", "has_any", "given")


@cache
def load_schema(name: str, directory: Path | None = None) -> dict:
    """The parsed JSON Schema ``schema/<name>.schema.json``."""
    path = (directory or schema_dir()) / f"{name}.schema.json"
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def validator(name: str) -> Draft202012Validator:
    """A prepared draft 2020-12 validator for one of the project's schemas."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schema = load_schema(name)
    resource = Resource.from_contents(schema)
    registry = Registry().with_resource(schema["$id"], resource)
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation in words: where (a path of keys and indexes) and what."""

    path: JsonPath
    message: str
    code: str
    at_key: bool = False  # point at the field's name rather than its value


def schema_issues(doc: YamlDocument, schema_name: str) -> Iterator[PolicyIssue]:
    """Every schema violation in ``doc``, located and worded for an editor."""
    for error in validator(schema_name).iter_errors(doc.data):
        for problem in explain(error):
            yield doc.issue(problem.path, problem.message, problem.code, key=problem.at_key)


def _describe_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if value is None:
        return "nothing"
    return str(value)


def _field_name(path: JsonPath) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "the file"


def _consts(schema: dict) -> list | None:
    """The allowed values of an enumeration written as oneOf of consts, or None."""
    branches = schema.get("oneOf")
    if branches and all("const" in branch for branch in branches):
        return [branch["const"] for branch in branches]
    if "enum" in schema:
        return list(schema["enum"])
    return None


def explain(error: ValidationError) -> Iterator[SchemaProblem]:
    """A jsonschema error in plain words (one problem per offending field)."""
    path: JsonPath = tuple(error.absolute_path)
    kind, schema, value = error.validator, error.schema, error.instance
    name = _field_name(path)

    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            hint = did_you_mean(key, allowed)
            yield SchemaProblem(path + (key,), f"unknown field '{key}'{hint}; allowed here: {', '.join(allowed)}",
                            "unknown-field", at_key=True)
        return
    if kind == "required":
        # jsonschema raises one error per missing field, naming it in its message.
        named = re.match(r"'(.+)' is a required property", error.message)
        missing = [named.group(1)] if named else [key for key in error.validator_value if key not in value]
        for key in missing:  # located at the missing field; a YAML file falls back to its parent
            yield SchemaProblem(path + (key,), f"missing required field '{key}'", "missing-field")
        return
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        yield SchemaProblem(path, f"'{name}' should be {words}, not {_describe_value(value)}", "type")
        return
    if kind in ("oneOf", "enum") and _consts(schema) is not None:
        allowed = _consts(schema)
        hint = did_you_mean(value, [str(a) for a in allowed])
        yield SchemaProblem(path, f"{_describe_value(value)} is not an allowed {name}{hint}; "
                              f"use one of: {', '.join(map(str, allowed))}", "not-allowed")
        return
    if kind == "oneOf" and "when" in schema.get("properties", {}):
        present = [key for key in ("when", "on_outcome") if key in value]
        if present:
            message = "a case has both 'when' and 'on_outcome'; give only one"
        else:
            message = "a case needs a condition: 'when' (facts of the request) or 'on_outcome'"
        yield SchemaProblem(path, message, "case-shape")
        return
    if kind == "anyOf" and "when" in schema.get("properties", {}):
        yield SchemaProblem(path, "a case yields nothing; give it an outcome, an obligation or a notice", "case-shape")
        return
    if kind == "oneOf" and "fact" in schema.get("properties", {}):
        yield SchemaProblem(path, _condition_shape(value), "condition-shape")
        return
    if kind == "pattern":
        named = re.search(r"\\\{\(([a-z_|]+)\)\\\}", error.validator_value)
        if named or "[^{}]" in error.validator_value:  # a sentence of schema/messages.yaml
            allowed = ", ".join("{" + name + "}" for name in named.group(1).split("|")) if named else "nothing"
            yield SchemaProblem(path, f"{_describe_value(value)}: in braces, {name} may name only {allowed} "
                                      "(write no other brace)", "pattern")
            return
        if "[0-9]{4}" in error.validator_value:
            message = f"{_describe_value(value)} is not a date written YYYY-MM-DD"
        elif "\\." in error.validator_value and "[a-z_]" not in error.validator_value:
            message = (f"{_describe_value(value)} is not a clause id: write section.name in lowercase "
                       "letters, digits and hyphens (e.g. relationships.texting-and-calling)")
        elif "[a-z_]" in error.validator_value:
            message = f"{_describe_value(value)} is not a fact name (e.g. channel, site.approved)"
        else:
            message = f"{_describe_value(value)} is not a valid {name}: use lowercase letters, digits and hyphens"
        yield SchemaProblem(path, message, "pattern")
        return
    if kind == "minItems":
        yield SchemaProblem(path, f"'{name}' needs at least {error.validator_value} "
                              f"entr{'y' if error.validator_value == 1 else 'ies'}", "too-few")
        return
    if kind == "minLength":
        yield SchemaProblem(path, f"'{name}' must not be empty", "empty")
        return
    if kind == "uniqueItems":
        yield SchemaProblem(path, f"'{name}' lists the same value more than once", "repeated")
        return
    if kind == "format" and error.validator_value == "date":
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            yield SchemaProblem(path, f"{_describe_value(value)} is not a real calendar date", "bad-date")
        return  # otherwise the pattern's message says it better
    yield SchemaProblem(path, error.message, kind)


def _condition_shape(value: object) -> str:
    if not isinstance(value, dict):
        return "a condition should be a set of fields"
    keys = list(value)
    tests = [key for key in keys if key in _CONDITION_TESTS]
    combinators = [key for key in keys if key in ("all", "any", "not")]
    if "fact" in value and not tests:
        return (f"the condition on '{value['fact']}' has no test; add one of: "
                f"{', '.join(_CONDITION_TESTS)}")
    if "fact" in value and len(tests) > 1:
        return (f"the condition on '{value['fact']}' has several tests ({', '.join(tests)}); "
                "use one per condition and combine them with all")
    if tests and "fact" not in value:
        return f"the test '{tests[0]}' needs a fact to test: add 'fact: <name>'"
    if len(combinators) + ("fact" in value) > 1:
        found = combinators + (["fact"] if "fact" in value else [])
        return f"a condition holds exactly one of all, any, not or a fact test; found: {', '.join(found)}"
    return "a condition needs all, any, not, or a fact with a test (is, in, has, has_any, given)"

"""Requests: checked against ``schema/request.schema.json``.

Two paths that agree exactly (``tests/test_request`` checks them against each other on
random input): the fast encoder (``policykit.core.encoder``), built once from the schema's
vocabulary, that accepts a valid request and turns it into bitsets; and, only when it refuses,
a full check with jsonschema that reports every problem with its JSON pointer and the allowed
values, at a cost bounded by the schema."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

from policykit.core.errors import RequestProblem, json_pointer, shorten
from policykit.core.schemaerrors import explain, validator
from policykit.core.vocabulary import Vocabulary, load_vocabulary

MAX_ERRORS = 20
"""Problems listed for one request; further ones are counted, not explained."""
QUOTED = 64
"""The longest key or value quoted whole in an error; longer ones are shortened with '…'."""

Encoded = tuple[int, int, str | None, int]
"""(true bits, unknown bits, the request's as_of text or None, the x-read-as rules applied as bits)."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def valid_date(text: object) -> bool:
    """True for a string YYYY-MM-DD naming a real calendar date."""
    if type(text) is not str or not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def fact_value(request: object, path: str) -> object:
    """The value a request gives the fact at a dotted ``path`` (``actor.role``), None when it gives
    none."""
    node = request
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def request_problems(request: object) -> list[RequestProblem]:
    """The problems the request schema finds, with JSON pointers and allowed values, sorted by
    pointer (see ``bounded_request_problems``: past ``MAX_ERRORS`` unknown fields in one
    object, the rest are counted rather than listed)."""
    return bounded_request_problems(request)[0]


def bounded_request_problems(request: object, vocabulary: Vocabulary | None = None) -> tuple[list[RequestProblem], int]:
    """(problems, how many more were counted but not explained), at a cost bounded by the
    request schema rather than by the size of the request.

    Before the schema check, one walk guided by the vocabulary sets aside what cannot be valid
    whatever it holds: a list longer than its fact has values (every list is ``uniqueItems``
    over an enumeration) is one problem, not one per item; beyond ``MAX_ERRORS`` unknown fields
    in one object the rest are only counted; a container where a single value belongs is
    checked as an empty one; long keys and strings are checked shortened. The schema then
    checks what is left, which is no larger than the schema itself."""
    if not isinstance(request, dict):
        return [RequestProblem("", "a request must be a JSON object with at least actor.role and action")], 0
    shape = _shape(vocabulary) if vocabulary is not None else _project_shape()
    problems: list[RequestProblem] = []
    omitted = [0]
    bounded = _bound(request, shape, (), problems, omitted)
    problems += [RequestProblem(json_pointer(problem.path), problem.message)
                 for error in validator("request").iter_errors(bounded) for problem in explain(error)]
    return sorted(problems, key=lambda p: p.pointer), omitted[0]


Shape = tuple[Any, ...]
"""What ``_bound`` reads of a fact: ("object", {name: shape}) | ("list", most items, longest value) |
("value", longest value)."""


@cache
def _project_shape() -> Shape:
    return _shape(load_vocabulary())


def _shape(vocabulary: Vocabulary) -> Shape:
    def of(prefix: str) -> Shape:
        children: dict[str, Shape] = {}
        for fact in vocabulary.facts:
            parent, _, name = fact.path.rpartition(".")
            if parent != prefix:
                continue
            longest = max((len(v) for v in fact.value_names), default=0)
            if fact.kind == "object":
                children[name] = of(fact.path)
            elif fact.kind == "list":
                children[name] = ("list", len(fact.values), longest)
            else:
                children[name] = ("value", max(longest, 10))  # 10: a date, YYYY-MM-DD
        return ("object", children)

    return of("")


def _bound(value: object, shape: Shape, path: tuple[str, ...], problems: list[RequestProblem],
           omitted: list[int]) -> object:
    """A stand-in for ``value`` that the schema judges the same way, no larger than ``shape``."""
    kind = shape[0]
    if kind == "object" and type(value) is dict:
        children = shape[1]
        unknown = [key for key in value if key not in children]
        if len(unknown) > MAX_ERRORS:  # keep the ones that sort first: they are the ones listed
            import heapq  # deferred: 1.4 M instructions of every decide process, for requests this wrong

            kept = heapq.nsmallest(MAX_ERRORS, unknown)
            omitted[0] += len(unknown) - len(kept)
            unknown = kept
        bounded: dict[str, object] = {}
        for key in unknown:
            short = shorten(key, QUOTED)
            if short in bounded:
                omitted[0] += 1  # two long keys alike in their first characters: counted once more
            bounded[short] = None  # an unknown field's value is never looked at
        for key, item in value.items():
            if key in children:
                bounded[key] = _bound(item, children[key], path + (key,), problems, omitted)
        return bounded
    if kind == "list" and type(value) is list:
        most = shape[1]
        if len(value) > most:
            name = str(path[-1])
            problems.append(RequestProblem(json_pointer(path), f"'{name}' lists {len(value)} values; it can hold at "
                                                               f"most {most}, each allowed value once"))
            return []
        return [_scalar(item, shape[2]) for item in value]
    return _scalar(value, shape[-1] if kind != "object" else 0)


def _scalar(value: object, longest: int) -> object:
    """A single value as the schema needs to see it: a string too long to be allowed is cut
    (it stays not allowed: it ends in '…'); a container becomes an empty one of its kind."""
    if type(value) is str:
        return shorten(value, QUOTED) if len(value) > max(longest, QUOTED) else value
    if type(value) is dict:
        return {}
    if type(value) is list:
        return []
    return value

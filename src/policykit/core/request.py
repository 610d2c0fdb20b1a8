"""Requests: checked against ``schema/request.schema.json`` and encoded for the engine.

Two paths that agree exactly (``tests/test_request`` checks them against each other on
random input): a fast encoder, built once from the schema's vocabulary, that accepts a valid
request and turns it into bitsets in one pass; and, only when the fast path refuses, a full
check with jsonschema that reports every problem with its JSON pointer and the allowed values."""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from datetime import date
from functools import cache

from policykit.core.compiler import AtomLayout
from policykit.core.errors import RequestProblem, json_pointer, shorten
from policykit.core.schemaerrors import explain, validator
from policykit.core.vocabulary import Fact, Vocabulary, load_vocabulary

MAX_ERRORS = 20
"""Problems listed for one request; further ones are counted, not explained."""
QUOTED = 64
"""The longest key or value quoted whole in an error; longer ones are shortened with '…'."""

Encoded = tuple[int, int, str | None, int]
"""(true bits, unknown bits, the request's as_of text or None, the x-read-as rules applied as bits)."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_CHOICE, _LIST, _BOOL, _OBJECT, _DATE_KIND = range(5)


def valid_date(text: object) -> bool:
    """True for a string YYYY-MM-DD naming a real calendar date."""
    if type(text) is not str or not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def build_encoder(vocabulary: Vocabulary, layout: AtomLayout) -> Callable[[object], Encoded | None]:
    """A function encoding a valid request, or returning None for anything the schema rejects."""

    def specs_for(prefix: str) -> dict[str, tuple]:
        specs: dict[str, tuple] = {}
        for fact in vocabulary.facts:
            parent, _, name = fact.path.rpartition(".")
            if parent != prefix:
                continue
            specs[name] = _spec(fact)
        return specs

    def _spec(fact: Fact) -> tuple:
        if fact.kind == "object":
            children = specs_for(fact.path)
            required = tuple(name for name, spec in children.items() if spec[-1])
            return (_OBJECT, layout.bits[fact.path][True], children, required, fact.required)
        if fact.kind == "date":
            return (_DATE_KIND, None, 0, fact.required)
        if fact.kind == "boolean":
            return (_BOOL, layout.bits[fact.path][True], layout.masks[fact.path], fact.required)
        kind = _CHOICE if fact.kind == "choice" else _LIST
        return (kind, layout.bits[fact.path], layout.masks[fact.path], fact.required)

    top = specs_for("")
    top_required = tuple(name for name, spec in top.items() if spec[-1])
    start_unknown = layout.initially_unknown

    def encode_object(data: object, specs: dict[str, tuple], required: tuple[str, ...],
                      state: list) -> bool:
        # state = [true, unknown, as_of]; returns False at the first thing the schema rejects.
        if type(data) is not dict:
            return False
        for name in required:
            if name not in data:
                return False
        true, unknown = state[0], state[1]
        for key, value in data.items():
            spec = specs.get(key)
            if spec is None:
                return False
            kind = spec[0]
            if kind == _CHOICE:
                bit = spec[1].get(value) if type(value) is str else None
                if bit is None:
                    return False
                true |= bit
                unknown &= ~spec[2]
            elif kind == _LIST:
                if type(value) is not list:
                    return False
                table = spec[1]
                for item in value:
                    bit = table.get(item) if type(item) is str else None
                    if bit is None or true & bit:  # unknown value, or listed twice
                        return False
                    true |= bit
                unknown &= ~spec[2]
            elif kind == _BOOL:
                if value is True:
                    true |= spec[1]
                elif value is not False:
                    return False
                unknown &= ~spec[2]
            elif kind == _OBJECT:
                state[0], state[1] = true | spec[1], unknown
                if not encode_object(value, spec[2], spec[3], state):
                    return False
                true, unknown = state[0], state[1]
            else:  # the as_of date
                if not valid_date(value):
                    return False
                state[2] = value
        state[0], state[1] = true, unknown
        return True

    read_as = layout.read_as

    def encode(request: object) -> Encoded | None:
        state = [0, start_unknown, None]
        if not encode_object(request, top, top_required, state):
            return None
        true = state[0]
        reread = 0
        for index, (value_bit, as_bit, unless_bit, _) in enumerate(read_as):
            if true & value_bit and not true & unless_bit:
                true = (true & ~value_bit) | as_bit
                reread |= 1 << index
        return true, state[1], state[2], reread

    return encode


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


# A shape is ("object", {name: shape}) | ("list", most items, longest value) | ("value", longest value).


@cache
def _project_shape() -> tuple:
    return _shape(load_vocabulary())


def _shape(vocabulary: Vocabulary) -> tuple:
    def of(prefix: str) -> tuple:
        children: dict[str, tuple] = {}
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


def _bound(value: object, shape: tuple, path: tuple, problems: list[RequestProblem], omitted: list[int]) -> object:
    """A stand-in for ``value`` that the schema judges the same way, no larger than ``shape``."""
    kind = shape[0]
    if kind == "object" and type(value) is dict:
        children = shape[1]
        unknown = [key for key in value if key not in children]
        if len(unknown) > MAX_ERRORS:  # keep the ones that sort first: they are the ones listed
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

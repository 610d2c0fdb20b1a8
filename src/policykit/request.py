"""Requests: checked against ``schema/request.schema.json`` and encoded for the engine.

Two paths that agree exactly (``tests/test_request`` checks them against each other on
random input): a fast encoder, built once from the schema's vocabulary, that accepts a valid
request and turns it into bitsets in one pass; and, only when the fast path refuses, a full
check with jsonschema that reports every problem with its JSON pointer and the allowed values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from .compiler import AtomLayout
from .errors import RequestProblem, json_pointer
from .schemaerrors import explain, validator
from .vocabulary import Fact, Vocabulary

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
    """Every problem the request schema finds, with JSON pointers and allowed values."""
    if not isinstance(request, dict):
        return [RequestProblem("", "a request must be a JSON object with at least actor.role and action")]
    problems = [RequestProblem(json_pointer(problem.path), problem.message)
                for error in validator("request").iter_errors(request) for problem in explain(error)]
    return sorted(problems, key=lambda p: p.pointer)

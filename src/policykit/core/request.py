"""Requests: checked against ``schema/request.schema.json`` and encoded for the engine.

Two paths that agree exactly (``tests/test_request`` checks them against each other on
random input): a fast encoder, built once from the schema's vocabulary, that accepts a valid
request and turns it into bitsets in one pass; and, only when the fast path refuses, a full
check with jsonschema that reports every problem with its JSON pointer and the allowed values."""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache

from policykit.core.compiler import AtomLayout
from policykit.core.errors import RequestProblem, json_pointer, shorten
from policykit.core.schemaerrors import explain, validator
from policykit.core.vocabulary import Fact, Vocabulary, load_vocabulary

MAX_ERRORS = 20
"""Problems listed for one request; further ones are counted, not explained."""
MEMO_LIMIT = 4096
"""The most dates one encoder remembers as valid."""
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


def build_encoder(vocabulary: Vocabulary, layout: AtomLayout) -> Callable[[object], Encoded | None]:
    """A function encoding a valid request, or returning None for anything the schema rejects.

    The function is generated from the vocabulary as Python source (the way ``dataclasses``
    writes ``__init__``) with its tables bound as constants, so that a request costs about two
    dictionary lookups and one integer OR per field it states. ``encoder_source`` shows the code."""
    source, constants = encoder_source(vocabulary, layout)
    namespace: dict[str, object] = dict(constants)
    exec(compile(source, "<policykit request encoder>", "exec"), namespace)  # noqa: S102 - our own generated code
    return namespace["encode"]  # type: ignore[return-value]


def encoder_source(vocabulary: Vocabulary, layout: AtomLayout) -> tuple[str, dict[str, object]]:
    """The generated encoder's source and the constants it reads.

    The encoder accumulates one integer: the request's true bits, and above them (shifted by
    ``shift``) the masks of the facts it states. A single-valued fact's table maps each allowed
    value to both at once, so stating it is one lookup and one OR; a value that is not allowed
    (or not even hashable) fails its lookup, and a field the schema does not know fails the
    lookup of its kind. At the end the stated masks give the unknown bits (the open facts left
    out) and show whether every required fact is there."""
    shift = max(layout.masks.values()).bit_length()
    constants: dict[str, object] = {"valid_date": valid_date}

    def constant(value: object) -> str:
        name = f"_k{len(constants)}"
        constants[name] = value
        return name

    def stated(path: str) -> int:  # the fact's mask, in the stated-facts half
        return layout.masks[path] << shift

    lines = ["def encode(request):",
             "    if type(request) is not dict:",
             "        return None",
             "    acc = 0",
             "    as_of = None",
             "    try:"]

    def emit_object(prefix: str, data: str, pad: str, level: int) -> int:
        """Emit the loop over one object's fields; return the masks of its required fields."""
        key, value = f"_f{level}", f"_v{level}"
        facts = [fact for fact in vocabulary.facts if fact.path.rpartition(".")[0] == prefix]
        needed = _union_of(layout.masks[fact.path] for fact in facts if fact.required)
        choices = {f.path.rpartition(".")[2]: {name: bit | stated(f.path) for name, bit in layout.bits[f.path].items()}
                   for f in facts if f.kind == "choice"}
        others = [f for f in facts if f.kind != "choice"]
        kinds = constant({f.path.rpartition(".")[2]: code for code, f in enumerate(others)})
        lines.append(f"{pad}for {key}, {value} in {data}.items():")
        pad += "    "
        if choices:
            table = constant(choices)
            lines.append(f"{pad}_t = {table}.get({key})")
            lines.append(f"{pad}if _t is not None:")
            lines.append(f"{pad}    acc |= _t[{value}]  # KeyError: a value not allowed; TypeError: not a name")
            lines.append(f"{pad}    continue")
        if not others:
            lines.append(f"{pad}raise KeyError({key})  # a field the schema does not know")
            return needed
        lines.append(f"{pad}_c = {kinds}[{key}]  # KeyError: a field the schema does not know")
        for code, fact in enumerate(others):
            lines.append(f"{pad}{'if' if code == 0 else 'elif'} _c == {code}:  # {fact.path}")
            emit_fact(fact, value, pad + "    ", level)
        return needed

    def emit_fact(fact: Fact, value: str, pad: str, level: int) -> None:
        if fact.kind == "object":
            lines.append(f"{pad}if type({value}) is not dict:")
            lines.append(f"{pad}    return None")
            lines.append(f"{pad}acc |= {layout.bits[fact.path][True] | stated(fact.path):#x}")
            needed = emit_object(fact.path, value, pad, level + 1)
            if needed:  # the fields this object requires, once it is given
                lines.append(f"{pad}if acc >> {shift} & {needed:#x} != {needed:#x}:")
                lines.append(f"{pad}    return None")
        elif fact.kind == "date":
            seen = constant(set())  # dates already found valid (checking one costs far more)
            lines.append(f"{pad}if {value} not in {seen}:")
            lines.append(f"{pad}    if not valid_date({value}):")
            lines.append(f"{pad}        return None")
            lines.append(f"{pad}    if len({seen}) < {MEMO_LIMIT}:")
            lines.append(f"{pad}        {seen}.add({value})")
            lines.append(f"{pad}as_of = {value}")
        elif fact.kind == "boolean":  # True and False only (1 == True, so no table)
            lines.append(f"{pad}if {value} is True:")
            lines.append(f"{pad}    acc |= {layout.bits[fact.path][True] | stated(fact.path):#x}")
            lines.append(f"{pad}elif {value} is False:")
            lines.append(f"{pad}    acc |= {stated(fact.path):#x}")
            lines.append(f"{pad}else:")
            lines.append(f"{pad}    return None")
        else:  # a list: each allowed value at most once
            table = constant(dict(layout.bits[fact.path]))
            lines.append(f"{pad}if type({value}) is not list:")
            lines.append(f"{pad}    return None")
            lines.append(f"{pad}acc |= {stated(fact.path):#x}")
            lines.append(f"{pad}for _i in {value}:")
            lines.append(f"{pad}    _b = {table}[_i]")
            lines.append(f"{pad}    if acc & _b:  # listed twice")
            lines.append(f"{pad}        return None")
            lines.append(f"{pad}    acc |= _b")

    required = emit_object("", "request", "        ", 0)
    lines += ["    except (KeyError, TypeError):",
              "        return None",
              f"    facts = acc >> {shift}",
              f"    if facts & {required:#x} != {required:#x}:  # a required fact left out",
              "        return None",
              f"    true = acc & {(1 << shift) - 1:#x}",
              f"    unknown = {layout.initially_unknown:#x} & ~facts"]
    lines.append("    reread = 0")
    for index, (value_bit, as_bit, unless_bit, _) in enumerate(layout.read_as):
        lines += [f"    if true & {value_bit:#x} and not true & {unless_bit:#x}:",
                  f"        true = (true & {~value_bit:#x}) | {as_bit:#x}",
                  f"        reread |= {1 << index:#x}"]
    lines.append("    return true, unknown, as_of, reread")
    return "\n".join(lines) + "\n", constants


def _union_of(masks: Iterable[int]) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


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

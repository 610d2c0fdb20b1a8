"""Request JSON: bytes or text in, a parsed value out, refused unless the JSON is unambiguous.

One parser for every way a request arrives (``Policy.decide_json``, ``policykit decide`` on a
file, standard input or a JSON Lines batch, and the HTTP service), so that the same text is
accepted or refused alike everywhere:

* not JSON (including bytes that are not UTF-8)        -> ``invalid_json``
* nested deeper than ``max_depth`` arrays and objects  -> ``too_deep``
* an object naming the same key twice, at any level   -> ``duplicate_key``, with the key's JSON pointer
  (the first ``MAX_SHOWN``, then "and more": the search stops there)

Duplicate keys are refused because parsers disagree about them (most keep the last, some the
first): ``{"audience": ["student"], ..., "audience": []}`` must not mean one thing to an
auditor and another to the evaluator.

The common case stays cheap: orjson parses, and a request with as many ``:`` bytes as its
objects have keys cannot repeat a key (every member of an object has one colon outside
strings). Only when the counts differ, because a key repeats or a string holds a colon, does a
second, slower parse look for the repeated keys and their pointers."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

import orjson

from policykit.core.errors import JsonPath, RequestError, RequestProblem, json_pointer
from policykit.core.request import MAX_ERRORS

MAX_DEPTH = 32
"""The default nesting limit: a valid request is nested 3 deep; a batch of them 5 deep."""
MAX_SHOWN = MAX_ERRORS
"""Repeated keys listed in an error: the search for them stops at one more (to say "and more"),
so a body repeating a key 70,000 times costs at most 21 pointers."""

_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JsonInputError(RequestError):
    """Request JSON that cannot be read unambiguously. ``code`` is ``invalid_json``, ``too_deep``
    or ``duplicate_key``; ``message`` says it in words; ``errors`` locate it."""

    def __init__(self, code: str, message: str, problems: list[RequestProblem]):
        super().__init__(problems)
        self.code = code
        self.message = message


def parse_json(data: bytes | bytearray | memoryview | str, *, max_depth: int = MAX_DEPTH) -> object:
    """The JSON value in ``data``; ``JsonInputError`` when it is not JSON, is nested more than
    ``max_depth`` levels, or repeats a key in any object."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    opens = raw.count(b"[") + raw.count(b"{")
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        if opens > max_depth and ("depth" in str(error) or _scanned_depth(raw) > max_depth):
            raise _too_deep(max_depth) from None
        raise JsonInputError("invalid_json", "the body is not valid JSON",
                             [RequestProblem("", f"not valid JSON: {error}")]) from None
    colons = raw.count(b":")
    if opens <= max_depth and colons == 0:
        return value  # no key at all, and too few brackets to nest too deep
    keys, depth = _keys_and_depth(value, max_depth if opens > max_depth else None, opens)
    if depth > max_depth:
        raise _too_deep(max_depth)
    if colons != keys:
        repeated = _repeated_keys(raw, MAX_SHOWN + 1)
        if repeated:
            shown = [(pointer, key) for pointer, key in repeated[:MAX_SHOWN] if key]
            raise JsonInputError(
                "duplicate_key", "the JSON gives the same key twice in one object; give each key once",
                [RequestProblem(pointer, f"'{key}' is given more than once here; give it once")
                 for pointer, key in shown]
                + ([RequestProblem("", "and more repeated keys")] if len(repeated) > MAX_SHOWN else []))
    return value


def _too_deep(limit: int) -> JsonInputError:
    return JsonInputError("too_deep", f"the JSON is nested more than {limit} levels deep",
                          [RequestProblem("", f"arrays and objects may be nested at most {limit} levels deep")])


def _keys_and_depth(value: object, limit: int | None, containers: int) -> tuple[int, int]:
    """How many keys all the objects in ``value`` hold, and how deep it nests (walked only as
    far as ``limit`` + 1 when a limit is given; 0 when none is). ``containers`` bounds how many
    arrays and objects ``value`` holds (the ``[`` and ``{`` bytes of its text): once that many
    are found, no list needs scanning for more, so a long list of numbers costs nothing."""
    keys = deepest = 0
    remaining = containers - 1
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if limit is not None:
            if depth > limit:
                return keys, depth
            deepest = max(deepest, depth)
        if type(node) is dict:
            keys += len(node)
            children: Iterable[object] = node.values()
        else:
            children = cast("list[object]", node)  # the stack holds only objects and arrays
        if remaining <= 0:
            continue
        found = [(child, depth + 1) for child in children if type(child) is dict or type(child) is list]
        remaining -= len(found)
        stack.extend(found)
    return keys, deepest


def _scanned_depth(raw: bytes) -> int:
    """The deepest nesting of brackets outside strings, for text that did not parse."""
    brackets = _STRINGS.sub(b'""', raw).translate(None, _NOT_BRACKETS)
    return max(itertools.accumulate(_STEP[b] for b in brackets), default=0)


class _Repeats(dict[str, Any]):
    """An object whose text named some keys more than once."""

    repeated: list[str]


def _repeated_keys(raw: bytes, limit: int) -> list[tuple[str, str]]:
    """(pointer, key) for up to ``limit`` keys repeated in an object, in document order of the
    objects. Past ``limit`` objects with repeats, the rest are only counted as "more" (one
    extra, empty-pointer entry), and no pointer, sorted list or marked copy is made for them."""
    marked = [0]
    unmarked = [0]

    def pairs(items: list[tuple[str, object]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) == len(items):
            return result
        if marked[0] >= limit:
            unmarked[0] += 1
            return result
        marked[0] += 1
        seen: set[str] = set()
        twice: set[str] = set()
        for key, _ in items:
            (twice if key in seen else seen).add(key)
        repeats = _Repeats(result)
        repeats.repeated = sorted(twice)
        return repeats

    value = json.loads(raw, object_pairs_hook=pairs)
    found: list[tuple[str, str]] = []
    # Depth first, in document order, children visited lazily: stops as soon as enough are found.
    stack: list[tuple[Iterator[tuple[JsonPath, object]], JsonPath]] = [(iter([((), value)]), ())]
    while stack and len(found) < limit:
        children, _ = stack[-1]
        step = next(children, None)
        if step is None:
            stack.pop()
            continue
        path, node = step
        if isinstance(node, dict):
            if isinstance(node, _Repeats):
                for key in node.repeated[:limit - len(found)]:
                    found.append((json_pointer(path + (key,)), key))
            stack.append((_under(path, node.items()), path))
        elif isinstance(node, list):
            stack.append((_under(path, enumerate(node)), path))
    if unmarked[0] and len(found) < limit:
        found.append(("", ""))  # more repeated keys, in objects past the first ``limit``
    return found


def _under(path: JsonPath, items: Iterable[tuple[str | int, object]]) -> Iterator[tuple[JsonPath, object]]:
    """(child's path, child) for the (key or index, child) pairs of a container at ``path``."""
    for step, child in items:
        yield path + (step,), child

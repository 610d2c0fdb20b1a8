"""The rule condition language: a small declarative tree over request facts.

``all`` / ``any`` / ``not`` combine tests; a test reads one fact with ``is`` (equals), ``in``
(equals one of), ``has`` (a list contains), ``has_any`` (a list contains one of) or ``given``
(the fact was supplied). Conditions are data, parsed from validated YAML; nothing is ever
evaluated as code. Evaluation is three-valued (Kleene): True, False, or None for unknown.

A condition listed under a case's ``all`` may carry ``reading: <id>``: the reading (an id of
``questions/readings.yaml``) that added it to the rule. It changes nothing in evaluation; an
allowed answer names the reading when the case would have decided but for that condition
(``compiler.ReadingProbe``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from policykit.core.values import dataclass
from typing import Union

TESTS = ("is", "in", "has", "has_any", "given")

#: Marker returned by a fact lookup when a fact is unknown.
UNKNOWN = object()


@dataclass(frozen=True)
class All:
    items: tuple["Condition", ...]
    reading: str | None = None  # the reading that added this condition to its case, if tagged


@dataclass(frozen=True)
class Any:
    items: tuple["Condition", ...]
    reading: str | None = None


@dataclass(frozen=True)
class Not:
    item: "Condition"
    reading: str | None = None


@dataclass(frozen=True)
class Test:
    """``fact`` compared by ``op`` with ``value`` (a string, a boolean or a tuple of strings)."""

    fact: str
    op: str
    value: object
    reading: str | None = None


Condition = Union[All, Any, Not, Test]


def parse_condition(data: dict) -> Condition:
    """Build a condition from schema-valid data."""
    reading = data.get("reading")
    if "all" in data:
        return All(tuple(parse_condition(item) for item in data["all"]), reading)
    if "any" in data:
        return Any(tuple(parse_condition(item) for item in data["any"]), reading)
    if "not" in data:
        return Not(parse_condition(data["not"]), reading)
    op = next(key for key in TESTS if key in data)
    value = data[op]
    return Test(data["fact"], op, tuple(value) if isinstance(value, list) else value, reading)


def to_data(condition: Condition) -> dict:
    """The inverse of ``parse_condition``."""
    tag = {"reading": condition.reading} if condition.reading is not None else {}
    if isinstance(condition, All):
        return {"all": [to_data(item) for item in condition.items], **tag}
    if isinstance(condition, Any):
        return {"any": [to_data(item) for item in condition.items], **tag}
    if isinstance(condition, Not):
        return {"not": to_data(condition.item), **tag}
    value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
    return {"fact": condition.fact, condition.op: value, **tag}


def untagged(condition: Condition) -> Condition:
    """The condition without its reading tags (what it tests, and nothing else)."""
    if isinstance(condition, (All, Any)):
        return type(condition)(tuple(untagged(item) for item in condition.items))
    if isinstance(condition, Not):
        return Not(untagged(condition.item))
    return Test(condition.fact, condition.op, condition.value) if condition.reading is not None else condition


def reading_tags(condition: Condition) -> tuple[tuple[int, str], ...]:
    """The tagged conditions of a case's condition: (index in its ``all``, reading id) for each
    item of a top-level ``all`` that carries ``reading``."""
    if not isinstance(condition, All):
        return ()
    return tuple((i, item.reading) for i, item in enumerate(condition.items) if item.reading is not None)


def tests(condition: Condition) -> Iterator[Test]:
    """Every test in the condition, depth first."""
    if isinstance(condition, Test):
        yield condition
    elif isinstance(condition, Not):
        yield from tests(condition.item)
    else:
        for item in condition.items:
            yield from tests(item)


def facts_read(condition: Condition) -> frozenset[str]:
    """The facts the condition reads."""
    return frozenset(test.fact for test in tests(condition))


def evaluate(condition: Condition, lookup: Callable[[str], object]) -> bool | None:
    """Three-valued evaluation. ``lookup(fact)`` returns the fact's value or ``UNKNOWN``.

    This is the reference interpreter: simple and obviously right. The compiler produces a
    faster equivalent, and the tests check that the two agree."""
    if isinstance(condition, (All, Any)):
        settles = isinstance(condition, Any)  # one true item settles any; one false item settles all
        result: bool | None = not settles
        for item in condition.items:
            value = evaluate(item, lookup)
            if value is settles:
                return settles
            if value is None:
                result = None
        return result
    if isinstance(condition, Not):
        value = evaluate(condition.item, lookup)
        return None if value is None else not value
    fact = lookup(condition.fact)
    if condition.op == "given":
        return (fact is not UNKNOWN and fact is not None) == condition.value
    if fact is UNKNOWN:
        return None
    if condition.op == "is":
        return fact == condition.value and type(fact) is type(condition.value)
    if condition.op == "in":
        return fact in condition.value
    if condition.op == "has":
        return condition.value in fact
    return any(value in fact for value in condition.value)  # has_any


def describe(condition: Condition) -> str:
    """The condition in plain words, for the site and for diffs."""
    if isinstance(condition, All):
        return " and ".join(_wrap(describe(item), item) for item in condition.items)
    if isinstance(condition, Any):
        return " or ".join(_wrap(describe(item), item) for item in condition.items)
    if isinstance(condition, Not):
        return f"not ({describe(condition.item)})"
    value = condition.value
    if condition.op == "given":
        return f"{condition.fact} is given" if value else f"{condition.fact} is not given"
    if condition.op == "is":
        return f"{condition.fact} is {str(value).lower() if isinstance(value, bool) else value}"
    if condition.op == "in":
        return f"{condition.fact} is one of {', '.join(value)}"
    if condition.op == "has":
        return f"{condition.fact} includes {value}"
    return f"{condition.fact} includes any of {', '.join(value)}"


def _wrap(text: str, condition: Condition) -> str:
    return f"({text})" if isinstance(condition, (All, Any)) else text

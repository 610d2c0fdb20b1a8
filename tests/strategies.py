"""Hypothesis strategies for requests, built from the request schema's vocabulary."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from policykit.core.vocabulary import Fact, load_vocabulary

VOCABULARY = load_vocabulary()
FIRST_DATE = date(2015, 11, 18)


def _value(fact: Fact) -> st.SearchStrategy:
    if fact.kind == "choice":
        return st.sampled_from(fact.value_names)
    if fact.kind == "list":
        return st.lists(st.sampled_from(fact.value_names), unique=True, max_size=len(fact.values))
    if fact.kind == "boolean":
        return st.booleans()
    if fact.kind == "date":
        return st.dates(min_value=FIRST_DATE, max_value=date(2100, 1, 1)).map(date.isoformat)
    raise AssertionError(fact.kind)


def _object(prefix: str) -> st.SearchStrategy[dict]:
    required: dict[str, st.SearchStrategy] = {}
    optional: dict[str, st.SearchStrategy] = {}
    for fact in VOCABULARY.facts:
        parent, _, name = fact.path.rpartition(".")
        if parent != prefix:
            continue
        strategy = _object(fact.path) if fact.kind == "object" else _value(fact)
        (required if fact.required else optional)[name] = strategy
    return st.fixed_dictionaries(required, optional=optional)


def valid_requests() -> st.SearchStrategy[dict]:
    """Any request the schema accepts."""
    return _object("")


def near_valid_requests() -> st.SearchStrategy[object]:
    """Valid requests with one thing broken (or not), and arbitrary JSON, for fail-closed tests."""
    junk = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
        max_leaves=6)
    names = st.sampled_from([f.path.split(".")[-1] for f in VOCABULARY.facts] + ["chanel", "x", ""])

    def break_one(request: dict, key: str, value: object) -> dict:
        broken = dict(request)
        broken[key] = value
        return broken

    def drop_one(request: dict, key: str) -> dict:
        return {k: v for k, v in request.items() if k != key}

    return st.one_of(
        valid_requests(),
        st.builds(break_one, valid_requests(), names, junk),
        st.builds(drop_one, valid_requests(), st.sampled_from(["actor", "action"])),
        junk,
    )

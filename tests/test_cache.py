"""The verdict cache: bounded by an estimate of its bytes, least recently used out first."""

from __future__ import annotations

import gc
import random
import threading
import tracemalloc
from datetime import date

import pytest

import policykit
from policykit.core.api import CACHE_BYTES
from policykit.core.cache import ENTRY_OVERHEAD, ByteBoundedLRU
from policykit.core.vocabulary import load_vocabulary

AS_OF = date(2026, 1, 5)


def test_least_recently_used_entries_go_first_once_the_bytes_run_out():
    cache: ByteBoundedLRU[str] = ByteBoundedLRU(3 * (10 + ENTRY_OVERHEAD), lambda key, value: 10)
    for key in "abc":
        cache.put(key, key.upper())
    assert cache.get("a") == "A"  # a is now the most recently used
    cache.put("d", "D")
    assert (cache.get("b"), cache.get("a"), cache.get("c"), cache.get("d")) == (None, "A", "C", "D")
    assert cache.bytes == 3 * (10 + ENTRY_OVERHEAD) and cache.evictions == 1
    cache.max_bytes = 10 + ENTRY_OVERHEAD
    assert len(cache) == 1 and cache.get("d") == "D"
    cache.max_bytes = 0
    cache.put("e", "E")
    assert (len(cache), cache.get("e")) == (0, None)


def test_an_entry_larger_than_the_whole_cache_is_not_kept():
    cache: ByteBoundedLRU[str] = ByteBoundedLRU(1000, lambda key, value: len(value))
    cache.put("big", "x" * 5000)
    assert cache.get("big") is None and cache.bytes == 0


def test_the_cache_is_safe_under_threads():
    cache: ByteBoundedLRU[int] = ByteBoundedLRU(50 * (8 + ENTRY_OVERHEAD), lambda key, value: 8)

    def hammer(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(20_000):
            key = rng.randrange(200)
            if cache.get(key) is None:
                cache.put(key, key)

    threads = [threading.Thread(target=hammer, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) <= 50 and cache.bytes == len(cache) * (8 + ENTRY_OVERHEAD)


def _varied(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    vocabulary = load_vocabulary()
    out = []
    for _ in range(count):
        request: dict = {"actor": {"role": rng.choice(vocabulary["actor.role"].value_names)},
                         "action": rng.choice(vocabulary["action"].value_names)}
        for fact in vocabulary.facts:
            if "." in fact.path or fact.path in request or fact.kind in ("object", "date") or rng.random() < 0.4:
                continue
            if fact.kind == "choice":
                request[fact.path] = rng.choice(fact.value_names)
            elif fact.kind == "list":
                request[fact.path] = rng.sample(fact.value_names, k=rng.choice([0, 1, 2, 3]))
            else:
                request[fact.path] = rng.random() < 0.5
        out.append(request)
    return out


def test_the_verdict_cache_stays_within_its_budget_and_its_estimate_is_honest():
    policy = policykit.load_policy()
    assert policy.cache_bytes == CACHE_BYTES
    requests = _varied(3000, 11)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        decisions = policy.decide_many(requests, as_of=AS_OF)
        del decisions
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    cache = policy._verdicts
    assert len(cache) > 1000
    # The estimate counts what the cache alone keeps alive; measured memory includes small
    # shared things (interned dates, stamps). Within a factor of two either way.
    assert held / 2 < cache.bytes < held * 2, (held, cache.bytes, len(cache))
    per_entry = cache.bytes / len(cache)
    assert 300 < per_entry < 2000
    policy.cache_bytes = int(per_entry * 100)
    assert len(cache) <= 100 and cache.bytes <= policy.cache_bytes
    policy.decide_many(requests[:500], as_of=AS_OF)
    assert cache.bytes <= policy.cache_bytes and cache.evictions > 0


def test_zero_turns_the_cache_off():
    policy = policykit.load_policy()
    policy.cache_bytes = 0
    policy.decide_many(_varied(50, 3), as_of=AS_OF)
    assert len(policy._verdicts) == 0


def test_decide_many_answers_as_decide_does():
    policy = policykit.load_policy()
    requests = _varied(200, 5) + [{"actor": {"role": "x"}, "action": "post"}]
    many = policy.decide_many(requests, as_of=AS_OF)
    for request, answer in zip(requests, many):
        try:
            single = policy.decide(request, as_of=AS_OF)
        except policykit.RequestError as error:
            assert isinstance(answer, policykit.RequestError) and answer.errors == error.errors
            continue
        assert answer.verdict == single.verdict and answer.policy == single.policy


def test_a_cached_decision_comes_from_the_cache_and_never_evaluates_or_explains(monkeypatch):
    from policykit.core import engine

    policy = policykit.load_policy()
    request = {"actor": {"role": "teacher"}, "action": "post", "as_of": "2026-01-05"}
    assert policy.cached_decision(request) is None  # not yet known
    first = policy.decide(request)
    monkeypatch.setattr(engine, "evaluate", lambda *args: pytest.fail("evaluated"))
    monkeypatch.setattr(policy, "request_error", lambda *args: pytest.fail("explained"))
    again = policy.cached_decision(request)
    assert again.verdict == first.verdict and again.decision_id != first.decision_id
    assert policy.cached_decision({"actor": {"role": "nobody"}, "action": "post"}) is None

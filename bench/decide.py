"""Benchmark of decide(): µs per decision and decisions per second, single calls and batches.

    python bench/decide.py [--requests 2000] [--repeat 30] [--seed 7]

The corpus is fixed (seeded) and varied: every optional fact is present or missing at random,
so it mixes determined and undetermined decisions, lists of several flags, sites and dates.
"cold" turns the verdict cache off, so every call evaluates; "warm" is the default configuration,
where a repeated question is answered from the cache. Before timing, every request is decided
twice, untimed, so that the program's lazily filled tables (slice states, verdict patterns, the
encoder's request shapes) hold what they hold in a service that has met these questions;
``bench/peers.py`` gives the cost of a request met for the first time ("first sight").
Validation of the request is included in every figure."""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date

import policykit
from policykit.core.vocabulary import load_vocabulary

AS_OF = date(2026, 1, 5)


def corpus(count: int, seed: int) -> list[dict]:
    """``count`` valid requests drawn from the request vocabulary with a fixed seed."""
    rng = random.Random(seed)
    vocabulary = load_vocabulary()
    requests = []
    for _ in range(count):
        request: dict = {}
        for fact in vocabulary.facts:
            if fact.kind == "object" or "." in fact.path and fact.path.split(".")[0] != "actor":
                continue
            if not fact.required and rng.random() < 0.45:
                continue
            if fact.kind == "choice":
                value: object = rng.choice(fact.value_names)
            elif fact.kind == "list":
                value = rng.sample(fact.value_names, k=min(len(fact.values), rng.choice([0, 1, 1, 1, 2, 3])))
            elif fact.kind == "boolean":
                value = rng.random() < 0.3
            else:
                value = f"{rng.randint(2016, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            target = request
            for part in fact.path.split(".")[:-1]:
                target = target.setdefault(part, {})
            target[fact.path.split(".")[-1]] = value
        if rng.random() < 0.2:
            request["site"] = {"approved": rng.random() < 0.5, "supervisor_informed": rng.random() < 0.5,
                               "uses": rng.sample(vocabulary["site.uses"].value_names, k=rng.choice([0, 0, 1]))}
        requests.append(request)
    return requests


def per_call_us(policy: policykit.Policy, requests: list[dict], repeat: int) -> list[float]:
    """For each request, the mean µs of ``repeat`` back-to-back decide() calls."""
    timings = []
    clock = time.perf_counter_ns
    for request in requests:
        decide = policy.decide
        start = clock()
        for _ in range(repeat):
            decide(request, as_of=AS_OF)
        timings.append((clock() - start) / repeat / 1000)
    return timings


def batch_rate(policy: policykit.Policy, requests: list[dict], rounds: int) -> float:
    """Decisions per second through decide_many over the whole corpus, best of ``rounds``."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        policy.decide_many(requests, as_of=AS_OF)
        best = min(best, time.perf_counter() - start)
    return len(requests) / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--repeat", type=int, default=30, help="calls per request for single-call timing")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    requests = corpus(args.requests, args.seed)
    warm = policykit.load_policy()
    cold = policykit.load_policy()
    cold.cache_bytes = 0
    outcomes = Counter(warm.decide(r, as_of=AS_OF).outcome for r in requests)
    for policy in (warm, cold):  # untimed: the program's lazily filled tables as a service that has seen these
        for request in requests + requests:  # (twice: a request shape gets its encoder the second time)
            policy.decide(request, as_of=AS_OF)
    print(f"policykit {policykit.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{len(requests)} requests (seed {args.seed})", file=sys.stderr)
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())), file=sys.stderr)

    rows = []
    for label, policy in (("single call, cold (no cache)", cold), ("single call, warm (cache on)", warm)):
        timings = sorted(per_call_us(policy, requests, args.repeat))
        median = statistics.median(timings)
        p90 = timings[int(len(timings) * 0.9)]
        rows.append((label, f"{median:.2f}", f"{p90:.2f}", f"{1e6 / median:,.0f}"))
    for label, policy in (("batch (decide_many), cold", cold), ("batch (decide_many), warm", warm)):
        rate = batch_rate(policy, requests, 5)
        rows.append((label, f"{1e6 / rate:.2f}", "", f"{rate:,.0f}"))

    header = ("mode", "µs/decision (median)", "p90 µs", "decisions/s")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(4)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

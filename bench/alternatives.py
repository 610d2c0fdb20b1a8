"""Benchmark of the ways to do it within the policy: A/B in one process, on the question corpus;
then the search's budget, on the corpus and 1,000 random requests with 0-20 content items.

    python bench/alternatives.py [--repeat 20] [--random 1000] [--budget-rounds 3] [--budget-only]

A: plain ``decide()`` (no alternatives); B: ``decide(..., alternatives=True)``. Each round decides
every question of ``questions/`` once with A and once with B, alternating which goes first, with
the verdict cache cleared before each call ("cold": nothing remembered between calls) and, in a
second table, left on ("warm": the default configuration, where B's search reuses verdicts).
Figures are µs per request: median and 99th percentile over every call of every round.

The budget table decides each request of the corpus and of ``--random`` seeded random requests
(every fact given about 85% of the time, lists with any number of items, 0-20 content items)
with alternatives, cold (after one untimed pass that fills the programs' lazily built slice
tables), ``--budget-rounds`` times (3), and reports over the requests p50, p99 and the maximum of
each request's fastest round (a request's own cost: on a shared machine a single run may also
hold another process's time slice; ``--budget-rounds 1`` times each once), how many searches
reached the budget (``alternatives_complete: false``) and the most steps one search took; "max
CPU" is the largest process CPU time of one request (its fastest round), less disturbed than the
wall clock by other processes."""

from __future__ import annotations

import argparse
from datetime import date
import platform
import random
import statistics
import sys
import time

import policykit
from policykit.authoring.questions import all_questions, load_questions
from policykit.core.alternatives import SearchBudget, search_budget
from policykit.core.vocabulary import load_vocabulary

AS_OF = date(2026, 1, 5)  # for requests without a date of their own


def random_request(rng: random.Random, vocabulary, prefix: str = "") -> dict:
    """A valid request giving nearly every fact; content gets 0-20 items."""
    out: dict = {}
    for fact in vocabulary.facts:
        parent, _, name = fact.path.rpartition(".")
        if parent != prefix or fact.kind == "date" or (not fact.required and rng.random() < 0.15):
            continue
        if fact.kind == "object":
            out[name] = random_request(rng, vocabulary, fact.path)
        elif fact.kind == "choice":
            out[name] = rng.choice(fact.value_names)
        elif fact.kind == "list":
            most = 20 if fact.path == "content" else len(fact.values)
            out[name] = rng.sample(fact.value_names, rng.randint(0, min(most, len(fact.values))))
        elif fact.kind == "boolean":
            out[name] = rng.random() < 0.3
    return out


def budget_table(policy: policykit.Policy, corpus: list[dict], count: int, rounds: int = 3) -> None:
    rng = random.Random(22)
    vocabulary = load_vocabulary()
    rows = [("corpus", corpus), (f"{count} random, 0-20 content items", [random_request(rng, vocabulary)
                                                                         for _ in range(count)])]
    limit = search_budget()
    print(f"\nalternatives within the budget ({limit} change sets), cold, µs per request (fastest of {rounds})")
    print(f"{'':34} {'n':>5} {'p50':>8} {'p99':>8} {'max':>8} {'max CPU':>8} {'cut short':>9} {'most steps':>10}")
    for _, requests in rows:  # once untimed: the programs' slice tables fill lazily, once per process
        for request in requests:
            policy.decide(request, as_of=AS_OF, alternatives=True)
    everything: list[float] = []
    for label, requests in rows:
        walls = [float("inf")] * len(requests)
        cpus = [float("inf")] * len(requests)
        short, most = 0, 0
        for round_ in range(rounds):
            for index, request in enumerate(requests):
                budget = SearchBudget(limit)
                policy._verdicts.clear()
                start, start_cpu = time.perf_counter_ns(), time.process_time_ns()
                decision = policy.decide(request, as_of=AS_OF, alternatives=True, budget=budget)
                walls[index] = min(walls[index], (time.perf_counter_ns() - start) / 1000)
                cpus[index] = min(cpus[index], (time.process_time_ns() - start_cpu) / 1000)
                if round_ == 0:
                    short += decision.alternatives_complete is False
                    most = max(most, budget.spent)
        samples, cpu = walls, max(cpus)
        everything += samples
        values = sorted(samples)
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"{label:34} {len(values):5} {statistics.median(values):8.1f} {p99:8.1f} {values[-1]:8.1f} {cpu:8.1f} "
              f"{short:9} {most:10}")
    values = sorted(everything)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    print(f"{'all':34} {len(values):5} {statistics.median(values):8.1f} {p99:8.1f} {values[-1]:8.1f}")


def _time(policy: policykit.Policy, request: dict, alternatives: bool, cold: bool) -> float:
    if cold:
        policy._verdicts.clear()
    start = time.perf_counter_ns()
    policy.decide(request, alternatives=alternatives)
    return (time.perf_counter_ns() - start) / 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="rounds over the corpus (default 20)")
    parser.add_argument("--random", type=int, default=1000, help="random requests for the budget table (default 1000)")
    parser.add_argument("--budget-rounds", type=int, default=3,
                        help="times each request of the budget table is timed; its fastest counts (default 3)")
    parser.add_argument("--budget-only", action="store_true", help="only the budget table, not the A/B tables")
    args = parser.parse_args(argv)
    policy = policykit.load_policy()
    requests = [q.request for q in all_questions(load_questions()) if not q.is_refused]
    print(f"python {platform.python_version()} on {platform.machine()}; {len(requests)} corpus questions, "
          f"{args.repeat} rounds")
    for cold in (() if args.budget_only else (True, False)):
        samples: dict[bool, list[float]] = {False: [], True: []}
        for round_ in range(args.repeat):
            for request in requests:
                order = (False, True) if round_ % 2 == 0 else (True, False)
                for alternatives in order:
                    samples[alternatives].append(_time(policy, request, alternatives, cold))
        print(f"\n{'cold (cache cleared before each call)' if cold else 'warm (cache on)'}")
        print(f"{'':28} {'median µs':>10} {'p99 µs':>10}")
        for alternatives, label in ((False, "A: decide()"), (True, "B: decide(alternatives=True)")):
            values = sorted(samples[alternatives])
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
            print(f"{label:28} {statistics.median(values):10.1f} {p99:10.1f}")
    budget_table(policy, requests, args.random, args.budget_rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the ways to do it within the policy: A/B in one process, on the question corpus.

    python bench/alternatives.py [--repeat 20]

A: plain ``decide()`` (no alternatives); B: ``decide(..., alternatives=True)``. Each round decides
every question of ``questions/`` once with A and once with B, alternating which goes first, with
the verdict cache cleared before each call ("cold": nothing remembered between calls) and, in a
second table, left on ("warm": the default configuration, where B's search reuses verdicts).
Figures are µs per request: median and 99th percentile over every call of every round."""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time

import policykit
from policykit.authoring.questions import all_questions, load_questions


def _time(policy: policykit.Policy, request: dict, alternatives: bool, cold: bool) -> float:
    if cold:
        policy._verdicts.clear()
    start = time.perf_counter_ns()
    policy.decide(request, alternatives=alternatives)
    return (time.perf_counter_ns() - start) / 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="rounds over the corpus (default 20)")
    args = parser.parse_args(argv)
    policy = policykit.load_policy()
    requests = [q.request for q in all_questions(load_questions()) if not q.is_refused]
    print(f"python {platform.python_version()} on {platform.machine()}; {len(requests)} corpus questions, "
          f"{args.repeat} rounds")
    for cold in (True, False):
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
    return 0


if __name__ == "__main__":
    sys.exit(main())

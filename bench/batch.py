"""decide_many against a plain loop of decide() calls over the same varied requests.

    python bench/batch.py [--requests 2000] [--rounds 15] [--seed 7] [--check]

Both answer the same corpus (bench/decide.py's), cold (verdict cache off) and warm (cache on,
filled by a first pass), in alternating order, and each figure is the best of ``--rounds``: on a
shared machine the minimum is the figure least disturbed by other work. The plain loop is what
a caller would write without decide_many:

    for request in requests:
        try:
            results.append(policy.decide(request, as_of=AS_OF))
        except RequestError as error:
            results.append(error)

``--check`` exits 1 when decide_many is more than 5% slower than the loop in either mode."""

from __future__ import annotations

import argparse
import functools
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import policykit  # noqa: E402
from decide import AS_OF, corpus  # noqa: E402

TOLERANCE = 1.05


def plain_loop(policy: policykit.Policy, requests: list[dict]) -> list:
    results: list = []
    for request in requests:
        try:
            results.append(policy.decide(request, as_of=AS_OF))
        except policykit.RequestError as error:
            results.append(error)
    return results


def best_seconds(run, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 if decide_many is >5%% slower than the loop")
    args = parser.parse_args(argv)

    requests = corpus(args.requests, args.seed)
    print(f"policykit {policykit.__version__} · Python {platform.python_version()} · {len(requests)} requests "
          f"(seed {args.seed}) · best of {args.rounds}", file=sys.stderr)
    rows = []
    slower = False
    for mode in ("cold", "warm"):
        policy = policykit.load_policy()
        if mode == "cold":
            policy.cache_bytes = 0
        else:
            policy.decide_many(requests, as_of=AS_OF)  # fill the cache
        run_many = functools.partial(policy.decide_many, requests, as_of=AS_OF)
        run_loop = functools.partial(plain_loop, policy, requests)
        loop_s = many_s = float("inf")
        for index in range(args.rounds):  # alternate, so that both see the same machine
            if index % 2:
                many_s = min(many_s, best_seconds(run_many, 1))
                loop_s = min(loop_s, best_seconds(run_loop, 1))
            else:
                loop_s = min(loop_s, best_seconds(run_loop, 1))
                many_s = min(many_s, best_seconds(run_many, 1))
        per = lambda seconds: seconds / len(requests) * 1e6  # noqa: E731
        rows.append((mode, f"{per(loop_s):.2f}", f"{per(many_s):.2f}", f"{loop_s / many_s:.2f}×"))
        slower |= many_s > loop_s * TOLERANCE
    print("| cache | plain loop µs/decision | decide_many µs/decision | speed-up |")
    print("|-------|-----------------------:|------------------------:|---------:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 1 if args.check and slower else 0


if __name__ == "__main__":
    sys.exit(main())

"""How the work grows with the policy: synthetic policies of 33, 330 and 3,300 clauses
(bench/synthetic_policy.py: the project's vocabulary, overlapping prohibitions of five conditions,
a deciding example and a near miss per condition for each clause).

    python bench/scale.py [--sizes 33,330,3300] [--requests 2000] [--skip-mutate]

For each size, in one process: loading and validating the files, compiling (building the
``Policy``), one cold ``decide()`` (verdict cache off) over the scenarios' requests and as many
random ones, ``lint``, ``coverage`` and ``mutate`` (every mutant of every clause). Times are wall
clock on this machine; the last column's ratio is against the previous size, so growth that is
linear in the number of clauses shows as about 10×."""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_policy import AUDIENCES, PURPOSES, write_policy  # noqa: E402

from policykit.authoring import coverage, mutate  # noqa: E402
from policykit.authoring.lint import lint_policy_dir  # noqa: E402
from policykit.authoring.scenarios import read_features  # noqa: E402
from policykit.core.api import Policy  # noqa: E402
from policykit.core.loader import load_policy_dir  # noqa: E402
from policykit.core.vocabulary import load_vocabulary  # noqa: E402

DAY = date(2026, 1, 5)


def _timed(work):
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def _requests(scenarios, count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    channels = load_vocabulary()["channel"].value_names
    actions = load_vocabulary()["action"].value_names
    found = [s.request() for s in scenarios][:count // 2]
    while len(found) < count:
        request = {"actor": {"role": "teacher"}, "action": rng.choice(actions)}
        for name, values in (("channel", channels), ("purpose", PURPOSES)):
            if rng.random() < 0.8:
                request[name] = rng.choice(values)
        if rng.random() < 0.8:
            request["audience"] = rng.sample(AUDIENCES, k=rng.choice((1, 2)))
        found.append(request)
    return found


def _cold_decide_us(policy: Policy, requests: list[dict], rounds: int = 5) -> float:
    policy.cache_bytes = 0
    best = []
    for _ in range(rounds):
        start = time.perf_counter()
        for request in requests:
            policy.decide(request, as_of=DAY)
        best.append((time.perf_counter() - start) / len(requests) * 1e6)
    return statistics.median(best)


def measure(size: int, requests: int, with_mutate: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_policy(Path(tmp), size)
        document, load = _timed(lambda: load_policy_dir(root / "policy"))
        policy, build = _timed(lambda: Policy(document, today=lambda: DAY))
        scenarios, _ = read_features(root / "features")
        figures = {"load": load, "build": build,
                   "decide": _cold_decide_us(policy, _requests(scenarios, requests, size))}
        _, figures["lint"] = _timed(lambda: lint_policy_dir(root / "policy"))
        report, figures["coverage"] = _timed(lambda: coverage.measure(policy, scenarios))
        assert report.complete, "the synthetic examples should cover every clause"
        if with_mutate:
            results, figures["mutate"] = _timed(lambda: mutate.run(document, scenarios, today=DAY))
            assert not [r for r in results if r.survived], "the synthetic examples should kill every mutant"
            figures["mutants"] = len(results)
        figures["scenarios"] = len(scenarios)
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="33,330,3300")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--skip-mutate", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Python {platform.python_version()} · {platform.machine()} · synthetic policies (bench/synthetic_policy.py)")
    rows = [(size, measure(size, args.requests, not args.skip_mutate)) for size in sizes]
    columns = [("load", "load + validate (s)", "{:.2f}"), ("build", "compile (s)", "{:.3f}"),
               ("decide", "cold decide (µs)", "{:.1f}"), ("lint", "lint (s)", "{:.2f}"),
               ("coverage", "coverage (s)", "{:.2f}")]
    if not args.skip_mutate:
        columns.append(("mutate", "mutate (s)", "{:.1f}"))
    print("| clauses | scenarios | " + " | ".join(title for _, title, _ in columns) + " |")
    print("|---:|---:|" + "---:|" * len(columns))
    previous = None
    for size, figures in rows:
        cells = []
        for key, _, form in columns:
            cell = form.format(figures[key])
            if previous is not None and previous[key] > 0:
                cell += f" (×{figures[key] / previous[key]:.1f})"
            cells.append(cell)
        extra = f" ({int(figures['mutants']):,} mutants)" if "mutants" in figures else ""
        print(f"| {size:,} | {int(figures['scenarios']):,}{extra} | " + " | ".join(cells) + " |")
        previous = figures


if __name__ == "__main__":
    main()

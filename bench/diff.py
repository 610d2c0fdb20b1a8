"""Benchmark of ``policykit diff``: what a pull request's check pays to review a change.

    python bench/diff.py [--runs 3]

Two amendments are laid over temporary copies of the project's policy (and scenarios), as an
editor would (``tests/amend.py``):

* "texting": texting and calling students becomes prohibited for any purpose, one new version of
  one clause, in force from next term;
* "worked": the worked amendment of ``tests/fixtures/amendments/`` (three clauses amended, one
  added).

Each is reviewed against the shipped policy from the day before it takes effect, the way the
pull-request check runs it: ``policykit diff OLD NEW --format json`` as a whole process (wall time
from spawn to exit, and the child's CPU time, user + system); the JSON is the same review as the
Markdown. In process, the same review is split into its stages: the exhaustive impact over the
whole request space (``authoring.diff``, every compared date) and the rest (the question corpus and
scenarios read and asked on both sides, the sentences and their witnesses). The table gives
medians over ``--runs`` runs."""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from amend import amend_texting, amend_worked  # noqa: E402
from policykit.authoring import diff, review  # noqa: E402
from policykit.core.api import load_policy  # noqa: E402


def _amendments(base: Path) -> dict[str, tuple[Path, Path, date]]:
    """name -> (policy directory, features directory, effective date), each on its own copy."""
    shipped = load_policy(ROOT / "policy")
    found = {}
    for name in ("texting", "worked"):
        root = base / name
        shutil.copytree(ROOT / "policy", root / "policy")
        shutil.copytree(ROOT / "features", root / "features")
        if name == "texting":
            day = max([*shipped.document.effective_dates(), date(2026, 12, 31)]) + timedelta(days=19)
            effective = amend_texting(root / "policy", day.isoformat())
        else:
            effective = amend_worked(root / "policy", root / "features")
        found[name] = (root / "policy", root / "features", date.fromisoformat(effective))
    return found


def _process(policy: Path, day: date) -> tuple[float, float]:
    """One ``policykit diff --format json`` process: (wall seconds, CPU seconds of the child)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "POLICYKIT_TODAY": day.isoformat()}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "policykit", "diff", str(ROOT / "policy"), str(policy),
                           "--format", "json"], env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _stages(policy: Path, features: Path, day: date) -> tuple[float, float, int, int]:
    """In process: (CPU seconds of the impact, CPU seconds of the rest, patterns, dates compared)."""
    old = diff.Side("main", load_policy(ROOT / "policy"), day)
    new = diff.Side("amend", load_policy(policy), day)
    start = time.process_time()
    reports = [diff.diff(diff.Side("main", old.policy, d), diff.Side("amend", new.policy, d))
               for d in diff.comparison_dates(old, new)]
    impact = time.process_time() - start
    start = time.process_time()
    reviewed = review.review(old, new, features=features)
    whole = time.process_time() - start
    return impact, max(0.0, whole - impact), sum(len(r.flips) for r in reports), len(reviewed.dates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"median of {args.runs} runs")
    print("| amendment | dates compared | patterns | process wall s | process CPU s | impact CPU s | "
          "questions + sentences CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as temporary:
        for name, (policy, features, effective) in _amendments(Path(temporary)).items():
            day = effective - timedelta(days=1)
            processes = [_process(policy, day) for _ in range(args.runs)]
            stages = [_stages(policy, features, day) for _ in range(args.runs)]
            print(f"| {name} | {stages[0][3]} | {stages[0][2]:,} "
                  f"| {statistics.median(p[0] for p in processes):.1f} "
                  f"| {statistics.median(p[1] for p in processes):.1f} "
                  f"| {statistics.median(s[0] for s in stages):.1f} "
                  f"| {statistics.median(s[1] for s in stages):.1f} |", flush=True)


if __name__ == "__main__":
    main()

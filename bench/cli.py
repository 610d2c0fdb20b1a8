"""Benchmark of the command line as whole processes: ``policykit decide`` with a cold and a warm
compiled-policy snapshot, and ``policykit validate`` for comparison, beside Python's own start-up.

    python bench/cli.py [--runs 30] [--request FILE]

Every figure is the wall time of one child process, from spawn to exit, as a user's shell sees it.
A ``policykit`` command runs what the installed console script runs (``from
policykit.interfaces.cli import main``), with this checkout's ``src`` first on the path; one row
runs ``python -m policykit`` instead, which also pays for ``runpy``. The commands are run in turn,
round after round, so that a busy spell of the machine slows all of them alike.

* "floor" is ``python -c pass``: the interpreter's start-up, below which no Python command goes.
* "cold cache" gives each run a new, empty ``POLICYKIT_CACHE_DIR``: the policy is loaded from its
  YAML files, validated, compiled, and the snapshot written.
* "warm cache" reuses one cache directory, filled before timing: the snapshot is read back.
* "cache off" sets ``POLICYKIT_NO_CACHE=1``: what every run cost before the snapshot.
* The peers, each a whole process answering the same request once: cedarpy with the two-rule
  Cedar policy of ``bench/peers.py`` (allowed or not, nothing more), and regopy loading the OPA
  bundle ``policykit export`` writes and evaluating it (the full decision document).

The table gives the wall time's median, 90th percentile and minimum, the median's distance from
the floor, and the median CPU time (user + system) of the child; and, beside them, the
instructions one run of the command executes, counted by valgrind's callgrind (``--trace-children=no``,
``PYTHONHASHSEED=0`` so that the count repeats): a measure the machine's drift and other jobs
do not move, as they move every time. ``--no-instructions`` leaves the counts out (valgrind runs
a command some fifty times slower).

The child environment drops ``PYTHONDONTWRITEBYTECODE`` (set in some of our shells), so that
imported modules are read from their compiled ``.pyc`` files as an installed package's are; one
untimed run of each command first writes them."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
REQUEST = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
           "audience": ["student"], "purpose": "personal", "as_of": "2026-01-05"}
"""The benchmark request: a teacher texting a student about something personal (prohibited)."""
CEDAR_ONCE = "\n".join([
    "import cedarpy",
    "policies = cedarpy.PolicySet.from_str('permit (principal, action, resource);\\n"
    "forbid (principal, action, resource) when { context.channel == \"text_message\" && "
    "context.audience.contains(\"student\") && context.purpose == \"personal\" };')",
    "request = {'principal': 'Employee::\"employee\"', 'action': 'Action::\"act\"', "
    "'resource': 'Policy::\"policy\"', "
    "'context': {'channel': 'text_message', 'audience': ['student'], 'purpose': 'personal'}}",
    "assert cedarpy.is_authorized(request, policies, cedarpy.Entities.from_json_str('[]')).allowed is False",
])
"""A peer as a whole process: cedarpy answering the benchmark request with the smallest policy."""
REGO_ONCE = "\n".join([
    "import json, sys",
    "from pathlib import Path",
    "import regopy",
    "from policykit.publishing.rego import ENTRYPOINT, load_bundle_into",
    "interpreter = regopy.Interpreter()",
    "load_bundle_into(interpreter, Path(sys.argv[1]))",
    "interpreter.set_input(json.loads(Path(sys.argv[2]).read_text()))",
    "result = interpreter.query_bundle_entrypoint(interpreter.build(None, [ENTRYPOINT]), ENTRYPOINT)",
    "assert result.results[0].expressions[0]['outcome'] == 'prohibited'",
])
"""A peer as a whole process: regopy loading the exported OPA bundle and answering the request."""
CONSOLE_SCRIPT = "import sys; from policykit.interfaces.cli import main; sys.exit(main())"
"""What the ``policykit`` console script does (less its rewriting of ``sys.argv[0]``)."""


def child_environment() -> dict[str, str]:
    """This process's environment for the children, without PYTHONDONTWRITEBYTECODE, with this
    checkout's code first on the path and the cache settings left to each command."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONDONTWRITEBYTECODE", "POLICYKIT_CACHE_DIR", "POLICYKIT_NO_CACHE")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one run of ``argv``, which must exit with status 0. The CPU
    time (user + system, of the child alone) is what the run costs whatever else the machine is
    doing; the wall time also holds the waits for a core when other jobs are running."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {completed.returncode}:\n{completed.stderr.decode()}")
    return elapsed, (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


def instructions(argv: list[str], env: dict[str, str], valgrind: str) -> int | None:
    """The instructions one run of ``argv`` executes, as callgrind counts them (its children not
    traced, the hash seed fixed); None for a program that cannot run under valgrind (regopy's
    allocator, snmalloc, refuses to), said on standard error."""
    completed = subprocess.run([valgrind, "--tool=callgrind", "--trace-children=no", "--callgrind-out-file=/dev/null",
                                *argv], env={**env, "PYTHONHASHSEED": "0"}, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    counted = re.search(rb"Collected : (\d+)", completed.stderr)
    if completed.returncode != 0 or counted is None:
        print(f"not counted: {argv[:3]} exits with {completed.returncode} under callgrind", file=sys.stderr)
        return None
    return int(counted.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each command (default 30)")
    parser.add_argument("--request", metavar="FILE", help="the request to decide (default: a built-in one)")
    parser.add_argument("--no-instructions", action="store_true", help="leave out the callgrind instruction counts")
    parser.add_argument("--valgrind", default=shutil.which("valgrind") or "/usr/bin/valgrind",
                        help="the valgrind to count instructions with (default: the one on PATH)")
    args = parser.parse_args(argv)

    base = child_environment()
    python = sys.executable
    scratch = Path(tempfile.mkdtemp(prefix="policykit-bench-cli-"))
    try:
        request = args.request
        if request is None:
            request = str(scratch / "request.json")
            Path(request).write_text(json.dumps(REQUEST), encoding="utf-8")
        policykit = [python, "-c", CONSOLE_SCRIPT]
        decide = [*policykit, "decide", request]
        warm_dir = scratch / "warm"
        cold_dirs = (scratch / f"cold-{i}" for i in itertools.count())

        def cold() -> dict[str, str]:
            return {**base, "POLICYKIT_CACHE_DIR": str(next(cold_dirs))}

        bundle = scratch / "bundle"
        subprocess.run([python, "-c", CONSOLE_SCRIPT, "export", "rego", str(bundle), "--as-of", REQUEST["as_of"]],
                       env=base, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        commands = [
            ("`python -c pass` (floor)", [python, "-c", "pass"], lambda: base),
            ("cedarpy, 2-rule policy, one decision", [python, "-c", CEDAR_ONCE], lambda: base),
            ("regopy, exported bundle, one decision", [python, "-c", REGO_ONCE, str(bundle), request], lambda: base),
            ("`policykit decide`, warm cache", decide, lambda: {**base, "POLICYKIT_CACHE_DIR": str(warm_dir)}),
            ("`python -m policykit decide`, warm cache", [python, "-m", "policykit", "decide", request],
             lambda: {**base, "POLICYKIT_CACHE_DIR": str(warm_dir)}),
            ("`policykit decide`, cold cache", decide, cold),
            ("`policykit decide`, cache off", decide, lambda: {**base, "POLICYKIT_NO_CACHE": "1"}),
            ("`policykit validate`", [*policykit, "validate"], lambda: base),
        ]
        for _, command, env in commands:  # untimed: writes the .pyc files and fills the warm cache
            timed(command, env())
        times: dict[str, list[float]] = {label: [] for label, _, _ in commands}
        cpu: dict[str, list[float]] = {label: [] for label, _, _ in commands}
        for _ in range(args.runs):
            for label, command, env in commands:
                wall, used = timed(command, env())
                times[label].append(wall)
                cpu[label].append(used)
        counts = {label: None if args.no_instructions else instructions(command, env(), args.valgrind)
                  for label, command, env in commands}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"Python {platform.python_version()} · {platform.machine()} · {os.cpu_count()} CPUs · "
          f"{args.runs} runs each", file=sys.stderr)
    floor = statistics.median(times[commands[0][0]])
    rows = []
    for label, _, _ in commands:
        series = sorted(times[label])
        median = statistics.median(series)
        p90 = series[min(len(series) - 1, int(len(series) * 0.9))]
        count = counts[label]
        rows.append((label, f"{median:.1f}", f"{p90:.1f}", f"{series[0]:.1f}", f"{median - floor:+.1f}",
                     f"{statistics.median(cpu[label]):.1f}", "—" if count is None else f"{count / 1e6:.1f}"))
    header = ("command", "median ms", "p90 ms", "min ms", "median above the floor", "median CPU ms",
              "instructions (M)")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 1) + ":" if i else "-" * (w + 2) for i, w in enumerate(widths)) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

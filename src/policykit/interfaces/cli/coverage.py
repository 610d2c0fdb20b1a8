"""policykit coverage: which scenarios illustrate each version of each clause."""

from __future__ import annotations

import argparse
import json
import sys

from policykit.interfaces.cli.edge import add_scenario_arguments, EXIT_FAILURE, EXIT_OK, date_argument, load_scenarios


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "coverage", help="show which scenarios illustrate each clause version",
        description="Run every scenario and list, for each version of each clause (future ones included), the "
                    "scenarios dated in that version's range where it decides, where only its notice or obligation "
                    "appears, and the near misses tagged with it. Exit 1 when a version with a rule lacks a deciding "
                    "scenario or a near miss (or has no scenario dated in its range), or when a scenario fails.")
    add_scenario_arguments(parser)
    parser.add_argument("--as-of", type=date_argument, metavar="YYYY-MM-DD",
                        help="only the versions in force on this date (default: every version)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.authoring.coverage import measure  # deferred: the scenarios and their runner, ~40 ms of imports

    loaded = load_scenarios(args)
    if loaded is None:
        return EXIT_FAILURE
    policy, scenarios = loaded
    report = measure(policy, scenarios, as_of=args.as_of)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK if report.complete else EXIT_FAILURE
    several = {v.clause for v in report.versions if sum(w.clause == v.clause for w in report.versions) > 1}
    labels = [f"{v.clause} {v.effective.isoformat()}" if v.clause in several else v.clause for v in report.versions]
    width = max(map(len, labels), default=6)
    print(f"{'clause':<{width}}  deciding  notice  near-miss")
    for label, item in zip(labels, report.versions):
        needs = item.needs()
        flag = "  (no rule)" if not item.has_rule else "  <- needs " + " and ".join(needs) if needs else ""
        print(f"{label:<{width}}  {len(item.deciding):>8}  {len(item.notice):>6}  {len(item.near_miss):>9}{flag}")
    for title, problems in report.failures:
        print(f"\nFAILED {title}", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    ruled = [v for v in report.versions if v.has_rule]
    clauses = list(dict.fromkeys(v.clause for v in ruled))
    covered = [c for c in clauses if all(v.complete for v in ruled if v.clause == c)]
    if len(ruled) != len(clauses):
        print(f"\n{sum(v.complete for v in ruled)} of {len(ruled)} clause versions with rules fully covered, each "
              "by the scenarios dated in its range")
    print(f"\n{len(scenarios)} scenarios; {len(covered)} of {len(clauses)} clauses with rules fully covered; "
          f"{len(report.failures)} failing scenario{'s' if len(report.failures) != 1 else ''}")
    return EXIT_OK if report.complete else EXIT_FAILURE

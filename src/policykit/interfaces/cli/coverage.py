"""policykit coverage: which scenarios illustrate each clause."""

from __future__ import annotations

import argparse
import json
import sys

from policykit.interfaces.cli.edge import EXIT_FAILURE, EXIT_OK, load_scenarios


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "coverage", help="show which scenarios illustrate each clause",
        description="Run every scenario and list, for each clause, the scenarios where it decides, where only its "
                    "notice or obligation appears, and the near misses tagged with it. Exit 1 when a clause with a "
                    "rule lacks a deciding scenario or a near miss, or when a scenario fails.")
    parser.add_argument("--features", metavar="DIR", help="the scenarios (default: the project's features/)")
    parser.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.authoring.coverage import measure

    loaded = load_scenarios(args)
    if loaded is None:
        return EXIT_FAILURE
    policy, scenarios = loaded
    report = measure(policy, scenarios)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK if report.complete else EXIT_FAILURE
    width = max(len(c.clause) for c in report.clauses)
    print(f"{'clause':<{width}}  deciding  notice  near-miss")
    for item in report.clauses:
        if not item.has_rule:
            flag = "(no rule)"
        else:
            flag = "" if item.complete else "  <- needs " + " and ".join(
                word for word, missing in (("a deciding scenario", not (item.deciding or item.notice)),
                                           ("a near miss", not item.near_miss)) if missing)
        print(f"{item.clause:<{width}}  {len(item.deciding):>8}  {len(item.notice):>6}  {len(item.near_miss):>9}"
              f"{'  ' + flag if flag and not item.has_rule else flag}")
    for title, problems in report.failures:
        print(f"\nFAILED {title}", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    incomplete = [c.clause for c in report.clauses if not c.complete]
    print(f"\n{len(scenarios)} scenarios; {sum(c.has_rule for c in report.clauses) - len(incomplete)} of "
          f"{sum(c.has_rule for c in report.clauses)} clauses with rules fully covered; "
          f"{len(report.failures)} failing scenario{'s' if len(report.failures) != 1 else ''}")
    return EXIT_OK if report.complete else EXIT_FAILURE

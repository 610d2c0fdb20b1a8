"""policykit mutate: check that the scenarios pin every rule down."""

from __future__ import annotations

import argparse
import sys

from policykit.interfaces.cli.edge import add_scenario_arguments, EXIT_FAILURE, EXIT_OK, date_argument, load_scenarios


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "mutate", help="check that the scenarios pin every rule down",
        description="Change one rule at a time (drop it, drop a case, make an outcome one step weaker or stronger, "
                    "drop one condition of a case's all) and run the scenarios against it. Every version of every "
                    "clause is changed, future ones included, and checked against the scenarios dated in the range "
                    "in which it is in force (a scenario without a date is about today). Exit 1 when a change "
                    "goes unnoticed.")
    add_scenario_arguments(parser)
    parser.add_argument("--clause", action="append", metavar="ID", help="only mutate this clause (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="show progress only for surviving mutants")
    parser.add_argument("--as-of", type=date_argument, metavar="YYYY-MM-DD",
                        help="only mutate the clause versions in force on this date (default: every version)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.authoring import mutate  # deferred: the scenarios and the engine, ~45 ms of imports

    loaded = load_scenarios(args)
    if loaded is None:
        return EXIT_FAILURE
    policy, scenarios = loaded
    broken = mutate.first_failure(policy, scenarios)
    if broken:
        print(f"error: the scenario '{broken}' fails on the unchanged policy; fix the scenarios first "
              "(policykit coverage lists every failure)", file=sys.stderr)
        return EXIT_FAILURE

    def progress(done: int, total: int, result: mutate.MutantResult) -> None:
        if args.quiet and not result.survived:
            return
        verdict = "SURVIVED" if result.survived else f"killed by '{result.killed_by}'"
        print(f"[{done:>3}/{total}] {result.mutant.label} ... {verdict}",
              file=sys.stderr, flush=True)

    results = mutate.run(policy.document, scenarios, today=policy.today(), day=args.as_of, only=args.clause or (),
                         progress=progress)
    survivors = [r for r in results if r.survived]
    if survivors:
        print(f"{len(survivors)} of {len(results)} mutants survived (no scenario noticed them):")
        for result in survivors:
            dated = "" if result.examples else " (no scenario is dated in this version's range)"
            print(f"  {result.mutant.label}{dated}")
        print("Add a scenario that the change would answer differently. If no question could ever be answered "
              "differently, the rule holds a redundant condition or case: remove it.")
        return EXIT_FAILURE
    print(f"all {len(results)} mutants killed by {len(scenarios)} scenarios")
    return EXIT_OK

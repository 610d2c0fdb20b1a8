"""policykit lint: what an editor should look at in a valid policy."""

from __future__ import annotations

import argparse
import json
import sys

from policykit.core.errors import did_you_mean
from policykit.interfaces.cli.edge import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, policy_dir


INFORMATIONAL = {
    "awaiting-board": "interpretations await the board's confirmation",
    "unread-value": "request values are read by no rule",
}
"""Lint findings that describe the policy rather than ask an editor to act: summarised, not listed."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "lint", help="warn about rules that never decide, unread values and unconfirmed readings",
        description="Check a valid policy for things an editor should look at: rule cases that can never apply "
                    "or are always overridden by a stronger rule, clauses that always decide together, request "
                    "values no rule reads, and interpretations awaiting board confirmation. Warnings are printed "
                    "as file:line:col; --strict makes them failures.")
    parser.add_argument("policy_dir", nargs="?", metavar="POLICY_DIR",
                        help="the policy directory (default: the project's own policy/)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when there is any warning to act on")
    parser.add_argument("--all", action="store_true",
                        help="also list the informational findings (awaiting-board, unread-value) one by one; "
                             "with --strict they count too")
    parser.add_argument("--ignore", action="append", metavar="FINDING",
                        help="leave out one kind of finding (repeatable): never-applies, always-outranked, "
                             "decide-together, unread-value, awaiting-board")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.authoring.lint import CODES, lint_policy_dir  # deferred: ~20 ms of imports, only for this command

    unknown = [code for code in args.ignore or () if code not in CODES]
    if unknown:
        print(f"error: unknown finding '{unknown[0]}'{did_you_mean(unknown[0], CODES)}; findings: "
              f"{', '.join(CODES)}", file=sys.stderr)
        return EXIT_USAGE
    root = policy_dir(args.policy_dir)
    issues = lint_policy_dir(root, frozenset(args.ignore or ()))
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity == "warning"]
    if args.format == "json":
        print(json.dumps({"errors": [i.to_dict() for i in errors], "warnings": [i.to_dict() for i in warnings]},
                         indent=2))
    else:
        # What an editor should act on is printed; standing facts of the policy (readings the board
        # has yet to confirm, vocabulary values no rule needs) are one summary line each, unless --all.
        for issue in issues:
            if issue.severity == "warning" and issue.code in INFORMATIONAL and not args.all:
                continue
            print(f"{issue} [{issue.severity}: {issue.code}]" if issue.severity == "warning" else issue)
        if not args.all:
            for code, words in INFORMATIONAL.items():
                count = sum(1 for w in warnings if w.code == code)
                if count:
                    print(f"note: {count} {words} (policykit lint --all lists them)")
    actionable = [w for w in warnings if args.all or w.code not in INFORMATIONAL]
    if args.format != "json":
        # The count is of what was listed: the standing facts summarised in notes do not add to it.
        counts = {code: sum(1 for w in actionable if w.code == code) for code in CODES}
        summary = ", ".join(f"{n} {code}" for code, n in counts.items() if n) or "no warnings"
        print(f"{len(errors)} error{'s' if len(errors) != 1 else ''}, {len(actionable)} warning"
              f"{'s' if len(actionable) != 1 else ''} ({summary})", file=sys.stderr)
    if errors or (args.strict and actionable):
        return EXIT_FAILURE
    return EXIT_OK

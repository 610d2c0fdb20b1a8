"""policykit diff: what a change to the policy does, as the policy will stand."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from policykit.core.errors import PolicyError
from policykit.core.paths import default_policy_dir
from policykit.interfaces.cli.edge import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, date_argument, print_issues, today_for


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "diff", help="what a change to the policy does: redline, rule changes, decisions that flip",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compare two versions of the policy: clause text as a word-level redline, rule changes in "
                    "the phrasebook's words, corrections checked, and every decision that changes, found "
                    "exhaustively over the whole request space on the compiled engine and grouped into exact "
                    "patterns (outcome changes apart from reason-, obligation- or notice-only changes). Exits 1 "
                    "when a version was changed in place without a fitting correction.",
        epilog="OLD and NEW are each a git revision (of the project's policy/), a policy directory, or a date "
               "(the versions in force that day):\n"
               "  policykit diff origin/main HEAD\n"
               "  policykit diff ../old-checkout/policy policy\n"
               "  policykit diff 2026-06-01 2027-02-01")
    parser.add_argument("old", metavar="OLD")
    parser.add_argument("new", metavar="NEW")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown",
                        help="markdown to paste into a pull request (default) or json")
    parser.add_argument("--as-of", type=date_argument, metavar="YYYY-MM-DD",
                        help="for revisions and directories: read the versions in force on this date "
                             "(default: today)")
    parser.add_argument("--policy", metavar="POLICY_DIR",
                        help="the project's policy directory, for dates and git revisions (default: policy/)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.authoring import diff

    project_policy = Path(args.policy) if args.policy else default_policy_dir()
    try:
        old, new = (diff.resolve_side(spec, project_policy=project_policy, repo=project_policy.resolve().parent,
                                      default_day=args.as_of or today_for(args.policy), pinned=bool(args.as_of))
                    for spec in (args.old, args.new))
        ahead = None if args.as_of or old.pinned or new.pinned or args.format == "json" else diff.diff_ahead(old, new)
        report = diff.diff(old, new) if ahead is None else None
    except PolicyError as error:
        print_issues(error.issues)
        return EXIT_FAILURE
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    errors = (ahead[0][1] if ahead else report).errors
    if ahead is not None:
        sys.stdout.write(diff.to_markdown_ahead(ahead))
    elif args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(diff.to_markdown(report))
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return EXIT_FAILURE if errors else EXIT_OK

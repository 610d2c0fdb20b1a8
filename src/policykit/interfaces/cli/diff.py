"""policykit diff: what a change to the policy does, as the policy will stand."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from policykit.core.errors import PolicyError
from policykit.core.paths import default_policy_dir
from policykit.interfaces.cli.edge import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, date_argument, print_issues, today_for


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "diff", help="what a change to the policy does: the questions that change, who is affected, redline",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compare two versions of the policy, as in force today and on every later effective date: "
                    "the everyday questions whose answers change, who is affected in plain sentences, "
                    "clause text as a word-level redline, rule changes in "
                    "the phrasebook's words, corrections checked, and every decision that changes, found "
                    "exhaustively over the whole request space on the compiled engine and grouped into exact "
                    "patterns (outcome changes apart from reason-, obligation- or notice-only changes). Exits 1 "
                    "when a version was changed in place without a fitting correction.",
        epilog="OLD and NEW are each a git revision (of the project's policy/), a policy directory, or a date "
               "(the versions in force that day):\n"
               "  policykit diff origin/main HEAD\n"
               "  policykit diff ../old-checkout/policy policy\n"
               "  policykit diff 2026-06-01 2027-02-01\n"
               "  policykit diff --format html origin/main HEAD > packet.html   (the board packet: open it in a "
               "browser and print it; every page is numbered)")
    parser.add_argument("old", metavar="OLD")
    parser.add_argument("new", metavar="NEW")
    parser.add_argument("--format", choices=("markdown", "json", "html"), default="markdown",
                        help="markdown to paste into a pull request (default), json with the same content (one "
                             "line), or html: the board packet, a printable page")
    parser.add_argument("--as-of", type=date_argument, metavar="YYYY-MM-DD",
                        help="for revisions and directories: read the versions in force on this date "
                             "(default: today)")
    parser.add_argument("--policy", metavar="POLICY_DIR",
                        help="the project's policy directory, for dates and git revisions (default: policy/)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.authoring import diff, review  # deferred: ~50 ms of imports only this command needs

    project_policy = Path(args.policy) if args.policy else default_policy_dir()
    try:
        old, new = (diff.resolve_side(spec, project_policy=project_policy, repo=project_policy.resolve().parent,
                                      default_day=args.as_of or today_for(args.policy), pinned=bool(args.as_of))
                    for spec in (args.old, args.new))
        ahead = not (args.as_of or old.pinned or new.pinned)
        if not ahead and old.day != new.day:  # two dates: the project's policy on each
            reviewed = None
            report = diff.diff(old, new)
        else:
            reviewed = review.review(old, new, ahead=ahead)
    except PolicyError as error:
        print_issues(error.issues)
        return EXIT_FAILURE
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if reviewed is None:
        errors = report.errors
        if args.format == "json":
            print(json.dumps(report.to_dict(), ensure_ascii=False))  # one line: the C encoder
        elif args.format == "html":
            print("error: --format html compares two policies (revisions or directories), not two dates",
                  file=sys.stderr)
            return EXIT_USAGE
        else:
            sys.stdout.write(diff.to_markdown(report))
    else:
        errors = reviewed.errors
        if args.format == "json":
            print(json.dumps(reviewed.to_dict(), ensure_ascii=False))  # one line: the C encoder
        elif args.format == "html":
            from policykit.authoring.packet import to_html  # deferred: only for --html

            sys.stdout.write(to_html(reviewed, new.policy.document.title))
        else:
            sys.stdout.write(review.to_markdown(reviewed))
    for problem in errors:
        print(f"error: {problem}", file=sys.stderr)
    return EXIT_FAILURE if errors else EXIT_OK

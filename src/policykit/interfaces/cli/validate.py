"""policykit validate: check the policy files and report every problem."""

from __future__ import annotations

import argparse
import json
import sys

from policykit.core.loader import check_policy_dir, display_path
from policykit.interfaces.cli.edge import EXIT_FAILURE, EXIT_OK, policy_dir, summary


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "validate", help="check the policy files and report every problem",
        description="Check policy.yaml and every clause file: YAML traps, the JSON Schemas, the rule "
                    "vocabulary, dates and cross-references; and that every fact and value of "
                    "schema/request.schema.json has the words the glossary, the Ask page, the scenarios and "
                    "the alternatives need. Prints every problem as file:line:col: message.")
    parser.add_argument("policy_dir", nargs="?", metavar="POLICY_DIR",
                        help="the policy directory (default: the project's own policy/)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people (default) or json for machines")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = policy_dir(args.policy_dir)
    document, issues = check_policy_dir(root)
    if args.format == "json":
        json.dump({"valid": document is not None, "policy_dir": display_path(root),
                   "errors": [issue.to_dict() for issue in issues]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif document is None:
        for issue in issues:
            print(issue)
        print(f"{len(issues)} error{'s' if len(issues) != 1 else ''} in {display_path(root)}", file=sys.stderr)
    else:
        print(f"{display_path(root)} is valid: {summary(document)}")
    return EXIT_OK if document is not None else EXIT_FAILURE

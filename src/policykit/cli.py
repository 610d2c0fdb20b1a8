"""The ``policykit`` command: a thin shell over the library."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import PolicyIssue
from .loader import check_policy_dir, display_path
from .model import PolicyDocument
from .paths import default_policy_dir

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _policy_dir(value: str | None) -> Path:
    return Path(value) if value else default_policy_dir()


def _summary(document: PolicyDocument) -> str:
    revisions = ", ".join(d.isoformat() for d in document.revisions)
    ruled = sum(1 for c in document.clauses if any(v.rule for v in c.versions))
    return (f"{len(document.clauses)} clauses ({ruled} with rules) in {len(document.sections)} sections, "
            f"revision{'s' if len(document.revisions) > 1 else ''} {revisions}")


def cmd_validate(args: argparse.Namespace) -> int:
    root = _policy_dir(args.policy_dir)
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
        print(f"{display_path(root)} is valid: {_summary(document)}")
    return EXIT_OK if document is not None else EXIT_FAILURE


def cmd_show(args: argparse.Namespace) -> int:
    root = _policy_dir(args.policy_dir)
    document, issues = check_policy_dir(root)
    if document is None:
        _print_issues(issues)
        return EXIT_FAILURE
    print(f"{document.title}")
    print(f"{document.district} · {document.series}")
    print(f"adopted {document.adopted.isoformat()}; revised "
          f"{', '.join(d.isoformat() for d in document.revisions)}")
    print(_summary(document))
    by_id = {clause.id: clause for clause in document.clauses}
    for section in document.sections:
        print(f"\n{section.title}")
        for clause_id in section.clause_ids:
            clause = by_id[clause_id]
            print(f"  {clause.id:<45} {clause.kind_words:<22} {clause.title}")
    return EXIT_OK


def _print_issues(issues: Sequence[PolicyIssue]) -> None:
    for issue in issues:
        print(issue, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policykit",
        description="Ledyard Public Schools' policy on electronic communications and social media, "
                    "as policy-as-code.")
    parser.add_argument("--version", action="version", version=f"policykit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    validate = commands.add_parser(
        "validate", help="check the policy files and report every problem",
        description="Check policy.yaml and every clause file: YAML traps, the JSON Schemas, the rule "
                    "vocabulary, dates and cross-references. Prints every problem as file:line:col: message.")
    validate.add_argument("policy_dir", nargs="?", metavar="POLICY_DIR",
                          help="the policy directory (default: the project's own policy/)")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          help="text for people (default) or json for machines")
    validate.set_defaults(func=cmd_validate)

    show = commands.add_parser("show", help="print what the policy holds, section by section",
                               description="Validate the policy, then list its sections and clauses.")
    show.add_argument("policy_dir", nargs="?", metavar="POLICY_DIR",
                      help="the policy directory (default: the project's own policy/)")
    show.set_defaults(func=cmd_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

"""policykit show: what the policy holds, section by section."""

from __future__ import annotations

import argparse

from policykit.core.loader import check_policy_dir
from policykit.interfaces.cli.edge import EXIT_FAILURE, EXIT_OK, policy_dir, print_issues, summary


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("show", help="print what the policy holds, section by section",
                                 description="Validate the policy, then list its sections and clauses.")
    parser.add_argument("policy_dir", nargs="?", metavar="POLICY_DIR",
                        help="the policy directory (default: the project's own policy/)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = policy_dir(args.policy_dir)
    document, issues = check_policy_dir(root)
    if document is None:
        print_issues(issues)
        return EXIT_FAILURE
    print(f"{document.title}")
    print(f"{document.district} · {document.series}")
    print(f"adopted {document.adopted.isoformat()}; revised "
          f"{', '.join(d.isoformat() for d in document.revisions)}")
    print(summary(document))
    by_id = {clause.id: clause for clause in document.clauses}
    for section in document.sections:
        print(f"\n{section.title}")
        for clause_id in section.clause_ids:
            clause = by_id[clause_id]
            print(f"  {clause.id:<45} {clause.kind_words:<22} {clause.title}")
    return EXIT_OK

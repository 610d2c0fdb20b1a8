"""policykit export rego: the policy as an OPA bundle."""

from __future__ import annotations

import argparse
from pathlib import Path

from policykit.core.errors import RequestError
from policykit.core.loader import display_path
from policykit.interfaces.cli.edge import (add_site_url_argument, load_policy_or_report, site_url,
                                           EXIT_FAILURE, EXIT_OK, EXIT_USAGE, date_argument,
                                           print_request_error, today)


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="export the policy for other engines",
                                 description="Export the policy for another policy engine.")
    targets = export.add_subparsers(dest="target", metavar="TARGET")
    targets.required = True
    parser = targets.add_parser(
        "rego", help="an OPA bundle (Rego v1) whose data.policykit.decision matches decide()",
        description="Write an OPA bundle: Rego v1 module(s) generated from the clauses, data.json with the clause "
                    "texts, and .manifest whose revision is the policy digest. Query data.policykit.decision with "
                    "a request as input. The same policy digest always gives the same bytes.")
    parser.add_argument("outdir", metavar="OUTDIR", help="the directory to write (created; its bundle files replaced)")
    parser.add_argument("--as-of", type=date_argument, metavar="YYYY-MM-DD",
                        help="export the clause versions in force on this date (default: today)")
    parser.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
    add_site_url_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.publishing.rego import write_bundle

    policy = load_policy_or_report(args.policy, site_url(args))
    if policy is None:
        return EXIT_FAILURE
    day = args.as_of or today()
    try:
        written = write_bundle(policy, Path(args.outdir), day)
    except RequestError as error:
        print_request_error(error)
        return EXIT_USAGE
    print(f"wrote an OPA bundle of {len(written)} files to {display_path(Path(args.outdir))} "
          f"(revision {policy.program(day).digest}); query data.policykit.decision")
    return EXIT_OK

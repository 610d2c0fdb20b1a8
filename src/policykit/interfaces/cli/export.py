"""policykit export rego: the policy as an OPA bundle."""

from __future__ import annotations

import argparse
from pathlib import Path

from policykit.core.errors import RequestError
from policykit.core.loader import display_path
from policykit.interfaces.cli.edge import (add_site_url_argument, load_policy_or_report, site_url,
                                           EXIT_FAILURE, EXIT_OK, EXIT_USAGE, date_argument,
                                           print_request_error)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser("export", help="export the policy for other engines",
                                 description="Export the policy for another policy engine.")
    targets = export.add_subparsers(dest="target", metavar="TARGET")
    targets.required = True
    parser = targets.add_parser(
        "rego", help="an OPA bundle (Rego v1) whose data.policykit.decision matches decide()",
        description="Write an OPA bundle: Rego v1 modules generated from the clauses, data.json with the clause "
                    "texts, and .manifest whose revision is the digest of the whole policy. It holds every period "
                    "of the policy (the clause versions in force between two effective dates, future ones "
                    "included) and answers each request by the versions in force on its date, today in the "
                    "policy's time zone when it gives none. Query data.policykit.decision with a request as "
                    "input. The same policy always gives the same bytes.")
    parser.add_argument("outdir", metavar="OUTDIR", help="the directory to write (created; its bundle files replaced)")
    parser.add_argument("--as-of", type=date_argument, metavar="YYYY-MM-DD",
                        help="export only the clause versions in force on this date: the bundle then refuses "
                             "dates outside their period (default: every period)")
    parser.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
    add_site_url_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.publishing.rego import write_bundle  # deferred: the Rego writer, only for this command

    policy = load_policy_or_report(args.policy, site_url(args))
    if policy is None:
        return EXIT_FAILURE
    from policykit.core.compiler import policy_digest  # deferred: the compiler, only for this command

    try:
        written = write_bundle(policy, Path(args.outdir), args.as_of)
    except RequestError as error:
        print_request_error(error)
        return EXIT_USAGE
    starts = policy.document.effective_dates()
    if args.as_of:
        program = policy.program(args.as_of)
        later = [day for day in starts if day > program.valid_from]
        what = (f"only the period from {program.valid_from.isoformat()}"
                + (f" until {later[0].isoformat()}" if later else "") + f", digest {program.digest}")
    else:
        what = f"every period, from {', '.join(day.isoformat() for day in starts)}"
    print(f"wrote an OPA bundle of {len(written)} files to {display_path(Path(args.outdir))} ({what}; "
          f"revision {policy_digest(policy.document)}); "
          "query data.policykit.decision")
    return EXIT_OK

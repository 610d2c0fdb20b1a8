"""policykit serve: the decision API and the staff site over HTTP."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from policykit.core.errors import PolicyError
from policykit.interfaces.cli.edge import (EXIT_FAILURE, EXIT_OK, EXIT_USAGE, add_site_url_argument, print_issues,
                                          site_url, clock)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve", help="serve the decision API (and the staff site)",
        description="Serve the HTTP JSON API (POST /v1/decide, POST /v1/decide/batch, GET /v1/policy, "
                    "GET /v1/clauses/{id}, GET /health, GET /openapi.json) and, when built, the staff site at /.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1); any address "
                        "beyond this machine needs --token-file")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--token-file", metavar="FILE", help="require 'Authorization: Bearer <token>' on /v1/, "
                        "the token being this file's contents")
    parser.add_argument("--decision-log", metavar="FILE", help="append every decision to FILE as JSON Lines")
    parser.add_argument("--site", metavar="DIR", help="the built site to serve at / (default: the project's own "
                        "site/, when built; never the current directory's)")
    parser.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
    add_site_url_argument(parser)
    parser.add_argument("--max-body-bytes", type=int, default=1_048_576, help="largest request body (default 1 MiB)")
    parser.add_argument("--max-batch", type=int, default=1000, help="most requests in one batch (default 1000)")
    parser.add_argument("--decision-log-max-bytes", type=int, default=64 * 1024 * 1024, metavar="BYTES",
                        help="rotate the decision log past this size (default 64 MiB; 0: never)")
    parser.add_argument("--decision-log-backups", type=int, default=4, metavar="N",
                        help="rotated decision logs kept, FILE.1 (newest) to FILE.N; older ones are deleted "
                             "(default 4)")
    parser.add_argument("--threads", type=int, default=0, help="threads per worker doing policy work (default: one "
                        "per core but one, at least one)")
    parser.add_argument("--header-seconds", type=float, default=10.0, metavar="S",
                        help="time a connection has to send a complete request head (default 10)")
    parser.add_argument("--max-connections", type=int, default=0, metavar="N",
                        help="open connections per worker, at least 2 (default: half the file limit, at most 1000)")
    parser.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import ipaddress  # deferred: about 11 ms of start-up (-X importtime) that only `serve` needs

    import uvicorn  # deferred: uvicorn and h11, about 68 ms of start-up that only `serve` needs

    try:
        loopback = args.host in LOOPBACK or ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = False
    if args.token_file:
        token_path = Path(args.token_file)
        if not token_path.is_file() or not token_path.read_text(encoding="utf-8").strip():
            print(f"error: the token file {args.token_file} is missing or empty", file=sys.stderr)
            return EXIT_USAGE
    elif not loopback:
        print(f"error: serving on {args.host} (beyond this machine) needs --token-file: clients must then send "
              "'Authorization: Bearer <token>'", file=sys.stderr)
        return EXIT_USAGE
    if args.max_connections < 0 or args.max_connections == 1:
        print("error: --max-connections takes at least 2 (one place is kept for refusing when every other "
              "connection has a request in progress), or 0 for the default", file=sys.stderr)
        return EXIT_USAGE
    from policykit.core.api import load_policy  # deferred: the policy library, about 150 ms, once the arguments pass

    base = site_url(args)
    try:
        # Fail before binding if the policy or the clock is not valid.
        load_policy(args.policy, today=clock, site_url=base).today()
    except PolicyError as error:
        print_issues(error.issues)
        return EXIT_FAILURE
    from policykit.core.paths import project_site_dir  # deferred: about 13 ms that only `serve` needs here
    from policykit.interfaces.http.listener import default_max_connections  # deferred: with the service below
    from policykit.interfaces.http.serving import uvicorn_options  # deferred: Starlette and the service, ~67 ms

    site: Path | None
    if args.site:  # asked for by name: it must be there
        site = Path(args.site)
        if not (site / "index.html").is_file():
            print(f"error: {args.site} holds no built site (no index.html); build one with `policykit site build` "
                  "and `mkdocs build`", file=sys.stderr)
            return EXIT_USAGE
    else:  # the project's own build, never whatever ./site the command happens to run beside
        site = project_site_dir()
        if site is not None and not (site / "index.html").is_file():
            site = None
    settings = {
        "POLICYKIT_POLICY": args.policy or "",
        "POLICYKIT_SITE_URL": base or "",
        "POLICYKIT_TOKEN_FILE": str(Path(args.token_file).resolve()) if args.token_file else "",
        "POLICYKIT_DECISION_LOG": str(Path(args.decision_log).resolve()) if args.decision_log else "",
        "POLICYKIT_DECISION_LOG_MAX_BYTES": str(args.decision_log_max_bytes),
        "POLICYKIT_DECISION_LOG_BACKUPS": str(args.decision_log_backups),
        "POLICYKIT_SITE": str(site.resolve()) if site is not None else "",
        "POLICYKIT_MAX_BODY_BYTES": str(args.max_body_bytes),
        "POLICYKIT_MAX_BATCH": str(args.max_batch),
        "POLICYKIT_THREADS": str(args.threads),
        "POLICYKIT_HEADER_SECONDS": str(args.header_seconds),
        "POLICYKIT_MAX_CONNECTIONS": str(args.max_connections or default_max_connections()),
    }
    os.environ.update(settings)
    where = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}"
    print(f"policykit serving on {where} (API /v1/, OpenAPI /openapi.json"
          f"{', site / from ' + settings['POLICYKIT_SITE'] if site else ', no site built'}); Ctrl-C stops",
          file=sys.stderr)
    uvicorn.run("policykit.interfaces.http.serving:app_from_environment", factory=True, host=args.host,
                port=args.port, workers=args.workers, log_level=args.log_level, **uvicorn_options())
    return EXIT_OK

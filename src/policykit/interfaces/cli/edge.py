"""What every command shares: the one clock, exit statuses, the policy directory argument, and printing
problems the way editors and integrators read them."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.errors import PolicyError, PolicyIssue, RequestError
from policykit.core.paths import default_features_dir, default_policy_dir, project_mkdocs_file

if TYPE_CHECKING:
    from policykit.authoring.scenarios import Scenario
    from policykit.core.api import Policy
    from policykit.core.model import PolicyDocument


EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def clock() -> date:
    """The one clock of the command line (``policykit.interfaces.clock.now``): the current instant,
    which a policy reads as a date in its own time zone, or the moment ``POLICYKIT_NOW`` (an instant)
    or ``POLICYKIT_TODAY`` (a date) pins, so that the whole project (decide, diff, coverage, mutate,
    site build) can be run at another moment. Pass it as ``load_policy(today=clock)``."""
    from policykit.interfaces.clock import ClockError, now  # deferred: zoneinfo, 10 M instructions, to ask the date

    try:
        return now()
    except ClockError as error:
        raise SystemExit(f"error: {error}") from None


def today_for(path: str | Path | None) -> date:
    """Today in the time zone of the policy at ``path`` (default: the project's own), for commands
    that need the date before they load the policies they work on. Exits with every problem when
    that policy is not valid."""
    policy = load_policy_or_report(None if path is None else str(path))
    if policy is None:
        raise SystemExit(EXIT_FAILURE)
    return policy.today()


def help_formatter(kind: type[argparse.HelpFormatter] = argparse.HelpFormatter
                   ) -> Callable[..., argparse.HelpFormatter]:
    """argparse's ``formatter_class``: ``kind`` laid out for the terminal's width as argparse would
    lay it out, without the import of shutil argparse makes to find that width (with the
    compression modules shutil imports, 6 M instructions of every ``policykit decide``)."""
    def formatter(*, prog: str) -> argparse.HelpFormatter:
        return kind(prog, width=terminal_columns() - 2)

    return formatter


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: ``COLUMNS`` when it is a
    positive number, else the width of the terminal standard output is, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]  # None: caught
    except (AttributeError, ValueError, OSError):
        return 80


def date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def policy_dir(value: str | None) -> Path:
    return Path(value) if value else default_policy_dir()


def summary(document: PolicyDocument) -> str:
    revisions = ", ".join(d.isoformat() for d in document.revisions)
    ruled = sum(1 for c in document.clauses if any(v.rule for v in c.versions))
    return (f"{len(document.clauses)} clauses ({ruled} with rules) in {len(document.sections)} sections, "
            f"revision{'s' if len(document.revisions) > 1 else ''} {revisions}")


def print_issues(issues: Sequence[PolicyIssue]) -> None:
    for issue in issues:
        print(issue, file=sys.stderr)


def request_error_dict(error: RequestError) -> dict[str, object]:
    body: dict[str, object] = {"code": "invalid_request", "message": "the request is malformed", "errors": error.errors}
    if error.omitted:
        body["more_errors"] = error.omitted
    return body


def print_request_error(error: RequestError) -> None:
    print("error: the request is malformed:", file=sys.stderr)
    for item in error.errors:
        print(f"  {item['pointer'] or '/'}: {item['message']}", file=sys.stderr)
    if error.omitted:
        print(f"  ... and {error.omitted} more problem{'s' if error.omitted != 1 else ''}", file=sys.stderr)


def report_request_error(error: RequestError, fmt: str) -> int:
    if fmt == "json":
        print(json.dumps(request_error_dict(error), ensure_ascii=False, indent=2))
    else:
        print_request_error(error)
    return EXIT_USAGE


def load_scenarios(args: argparse.Namespace, site_url: str | None = None) -> "tuple[Policy, list[Scenario]] | None":
    """The policy (its clause URLs under ``site_url``, if given) and the scenarios, or None after
    printing every problem."""
    from policykit.authoring.scenarios import read_features  # deferred: ~35 ms, only for the scenarios' commands
    from policykit.core.api import load_policy  # deferred: the compiler and the engine, only to load a policy

    try:
        policy = load_policy(args.policy, today=clock, site_url=site_url)
    except PolicyError as error:
        print_issues(error.issues)
        return None
    features = Path(args.features) if args.features else default_features_dir()
    scenarios, issues = read_features(features, [c.id for c in policy.document.clauses])
    if issues:
        print_issues(issues)
        print(f"{len(issues)} problem{'s' if len(issues) != 1 else ''} in the scenarios", file=sys.stderr)
        return None
    return policy, scenarios


def add_policy_argument(parser: argparse.ArgumentParser) -> None:
    """``--policy POLICY_DIR``, as every command that decides takes it."""
    parser.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """``--features DIR`` and ``--policy POLICY_DIR``, for the commands that run the scenarios."""
    parser.add_argument("--features", metavar="DIR", help="the scenarios (default: the project's features/)")
    add_policy_argument(parser)


def load_policy_or_report(path: str | None, site_url: str | None = None) -> "Policy | None":
    """The policy at ``path`` (default: the project's own) on the edge's clock, its decisions'
    clause URLs under ``site_url`` (see ``site_url``), or None after printing every problem with
    it. It is read from the compiled-policy snapshot when one matches the files
    (``policykit.core.snapshot``; ``POLICYKIT_NO_CACHE=1`` turns it off)."""
    from policykit.core.snapshot import load_policy_snapshot  # deferred: 8 M instructions, only to read a policy

    collecting = gc.isenabled()
    gc.disable()  # the policy's objects live as long as the process: no garbage to look for while they are made
    try:
        return load_policy_snapshot(path, today=clock, site_url=site_url)
    except PolicyError as error:
        print_issues(error.issues)
        return None
    finally:
        if collecting:
            gc.enable()


def add_site_url_argument(parser: argparse.ArgumentParser) -> None:
    """``--site-url URL``, the staff site's base address, for the commands whose decisions link to it."""
    parser.add_argument("--site-url", metavar="URL",
                        help="the staff site's address (e.g. https://policy.example.org/): decisions' clause "
                             "links become absolute, https://…/sections/<section>.html#<clause> (default: "
                             "mkdocs.yml's site_url, when set; else links relative to the site's root)")


def site_url(args: argparse.Namespace) -> str | None:
    """The staff site's base URL for this run: ``--site-url``, else ``site_url`` in the project's
    mkdocs.yml (the one place a published site declares its address), else None. SystemExit
    (status 2) naming the problem when it is not an absolute http(s) address."""
    from policykit.core.compiler import site_base_url  # deferred: the compiler, only for commands that decide

    given = getattr(args, "site_url", None)
    try:
        return site_base_url(given if given else mkdocs_site_url())
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def mkdocs_site_url() -> str | None:
    """``site_url`` of the project's mkdocs.yml (read at the edge; None when it is not set, or
    from an installed package, which has no mkdocs.yml)."""
    config = project_mkdocs_file()
    if config is None:
        return None
    try:
        lines = config.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    line = next((line for line in lines if line.startswith("site_url:")), None)
    if line is None:
        return None
    import yaml  # deferred: PyYAML (9 ms), only when mkdocs.yml sets site_url

    value = yaml.safe_load(line).get("site_url")
    return str(value) if value else None

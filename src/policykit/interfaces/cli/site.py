"""policykit site build: write the staff site's Markdown pages for mkdocs."""

from __future__ import annotations

import argparse
from pathlib import Path

from policykit.core.loader import display_path
from policykit.core.paths import project_docs_dir, schema_dir
from policykit.interfaces.cli.edge import (add_scenario_arguments, add_site_url_argument, EXIT_FAILURE, EXIT_OK,
                                          load_scenarios, site_url)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    site = commands.add_parser("site", help="build the staff site's pages",
                               description="Write the staff site's Markdown pages (then run mkdocs).")
    site_commands = site.add_subparsers(dest="site_command", metavar="COMMAND")
    site_commands.required = True
    parser = site_commands.add_parser(
        "build", help="write the Markdown pages for mkdocs",
        description="Copy the hand-written pages of docs/ into OUT and write beside them the pages generated "
                    "from policy/, schema/ and features/: home, one page per section, references, glossary, "
                    "changelog, print version. Then run `mkdocs build --strict`.")
    parser.add_argument("--out", default="build/docs", metavar="OUT",
                        help="where to write the pages (default: build/docs, mkdocs.yml's docs_dir)")
    add_scenario_arguments(parser)
    add_site_url_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.publishing.site import build_pages  # deferred: the site builder, ~90 ms of imports

    loaded = load_scenarios(args, site_url(args))
    if loaded is None:
        return EXIT_FAILURE
    policy, scenarios = loaded
    out = Path(args.out)
    from policykit.authoring.questions import load_questions  # deferred: ~60 ms of imports, only this command

    written = build_pages(policy, scenarios, out, docs=project_docs_dir(), schema_dir=schema_dir(), day=policy.today(),
                          topics=load_questions(policy=policy.document))
    print(f"wrote {len(written)} generated files to {display_path(out)} "
          f"({len(scenarios)} examples); now run: mkdocs build --strict")
    return EXIT_OK

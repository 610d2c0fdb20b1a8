"""The ``policykit`` command: a thin shell over the library, one module per command. A run of one
command imports only that command's module and builds only its parser; each command imports
what it runs when it runs."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from policykit import __version__
from policykit.interfaces.cli.edge import EXIT_OK

COMMANDS = ("validate", "show", "decide", "phrases", "coverage", "mutate", "site", "serve", "lint", "diff", "export")
"""The commands, each the name of its module here, in the order ``policykit --help`` lists them."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every command, or of the one named ``only`` (when it names one): a
    run of one command need not build the others' parsers (a few milliseconds of start-up)."""
    parser = argparse.ArgumentParser(
        prog="policykit",
        description="Ledyard Public Schools' policy on electronic communications and social media, "
                    "as policy-as-code.")
    parser.add_argument("--version", action="version", version=f"policykit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for name in [only] if only in COMMANDS else COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

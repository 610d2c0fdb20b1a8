"""The ``policykit`` command: a thin shell over the library, one module per command. Building the
parser imports only the commands' argument definitions; each command imports what it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from policykit import __version__
from policykit.interfaces.cli import (coverage, decide, diff, export, lint, mutate, phrases, serve, show, site,
                                      validate)
from policykit.interfaces.cli.edge import EXIT_OK

COMMANDS = (validate, show, decide, phrases, coverage, mutate, site, serve, lint, diff, export)
"""The commands in the order ``policykit --help`` lists them."""


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
    chosen = [command for command in COMMANDS if command.__name__.rpartition(".")[2] == only]
    for command in chosen or COMMANDS:
        command.register(commands)
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

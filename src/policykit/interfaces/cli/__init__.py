"""The ``policykit`` command: a thin shell over the library, one module per command. A run of one
command imports only that command's module and builds only its parser; each command imports
what it runs when it runs. This module imports nothing at the top but ``gc`` and ``sys``: as the
process's own command line, ``main`` first turns the garbage collector off (``_as_process``), and
everything imported after that is imported without collections."""

from __future__ import annotations

import gc
import sys

from policykit import __version__

TYPE_CHECKING = False  # typing itself is imported after the collector is off
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

COMMANDS = ("validate", "show", "decide", "phrases", "coverage", "mutate", "site", "serve", "lint", "diff", "export")
"""The commands, each the name of its module here, in the order ``policykit --help`` lists them."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every command, or of the one named ``only`` (when it names one): a
    run of one command need not build the others' parsers (a few milliseconds of start-up)."""
    import argparse  # deferred: imported once main has turned the collector off (see _as_process)
    import importlib  # deferred: as argparse

    from policykit.interfaces.cli.edge import help_formatter  # deferred: as argparse

    parser = argparse.ArgumentParser(
        prog="policykit",
        description="Ledyard Public Schools' policy on electronic communications and social media, "
                    "as policy-as-code.", formatter_class=help_formatter())
    parser.add_argument("--version", action="version", version=f"policykit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for name in [only] if only in COMMANDS else COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``, the process's own, run as
    ``_as_process`` says); the exit status."""
    if argv is None:
        return _as_process(sys.argv[1:])
    return _execute(_parse(list(argv)))


def _as_process(argv: list[str]) -> int:
    """Run this process's own command line, sparing it needless garbage collections. Python's
    cyclic collector walks every object alive at each full collection; while the command's modules
    are imported and its parser built there is no garbage for it to find, and what is alive when
    the command ends dies with the process, yet the collection Python makes at exit would walk it.
    Together that was a tenth of a ``policykit decide`` run (``bench/cli.py``). So the collector is
    off until the command line is parsed, the objects made by then are frozen (no collection walks
    them again), and so are those alive when the command ends. This module and ``policykit``
    import nothing more before, so that the collector is off for every import but the interpreter's
    own. Called with an ``argv`` (tests, the library), ``main`` leaves the collector alone."""
    gc.disable()
    try:
        args = _parse(argv)
    finally:
        gc.freeze()
        gc.enable()
    try:
        return _execute(args)
    finally:
        gc.freeze()


def _parse(argv: list[str]) -> argparse.Namespace:
    return build_parser(argv[0] if argv else None).parse_args(argv)


def _execute(args: argparse.Namespace) -> int:
    from policykit.interfaces.cli.edge import EXIT_OK  # deferred: as argparse in build_parser

    try:
        result: int = args.func(args)
        return result
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

"""policykit phrases: the words scenarios are written in."""

from __future__ import annotations

import argparse
import json

from policykit.interfaces.cli.edge import EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "phrases", help="print the words scenarios are written in",
        description="Print the scenario vocabulary: one phrase per fact value (generated from "
                    "schema/request.schema.json), the asking step, and the checks.")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policykit.authoring.phrases import load_phrasebook  # deferred: YAML and the phrasebook, ~10 ms
    from policykit.authoring.scenarios import ASK, CHECK_TEMPLATES  # deferred: ~35 ms of imports

    book = load_phrasebook()
    if args.format == "json":
        print(json.dumps({"facts": [{"phrase": p.text, "fact": p.fact, "value": p.value, "description": p.description}
                                    for p in book.phrases],
                          "ask": ASK, "checks": CHECK_TEMPLATES}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print("Facts (Given / And):")
    fact = None
    for phrase in book.phrases:
        if phrase.fact != fact:
            fact = phrase.fact
            print(f"\n  {fact}")
        print(f"    {phrase.text}")
    print("\n  as_of\n    the date is YYYY-MM-DD")
    print(f"\nAsking (When):\n    {ASK}")
    print("\nChecks (Then / And):")
    for template in CHECK_TEMPLATES:
        print(f"    {template}")
    return EXIT_OK

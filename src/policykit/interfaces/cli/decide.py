"""policykit decide: answer a request, from a file, standard input, --set facts or JSON Lines."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.errors import RequestError, did_you_mean
from policykit.core.requestjson import JsonInputError, parse_json
from policykit.core.vocabulary import load_vocabulary
from policykit.interfaces.cli.edge import (add_site_url_argument, load_policy_or_report, site_url,
                                           EXIT_FAILURE, EXIT_OK, EXIT_USAGE, date_argument, help_formatter,
                                           report_request_error, request_error_dict)

if TYPE_CHECKING:
    from policykit.core.api import Policy
    from policykit.core.decision import Decision
    from policykit.core.messages import Messages


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "decide", help="ask whether an action is allowed",
        formatter_class=help_formatter(argparse.RawDescriptionHelpFormatter),
        description="Answer a request (a JSON object following schema/request.schema.json) with a "
                    "decision: the outcome, why, what you must do and what you should know.",
        epilog="examples:\n"
               "  policykit decide request.json\n"
               "  echo '{\"actor\": {\"role\": \"coach\"}, \"action\": \"post\"}' | policykit decide -\n"
               "  policykit decide --set action=message --set channel=text_message --set audience=student\n"
               "  policykit decide --batch requests.jsonl > decisions.jsonl\n\n"
               "exit status: 0 decided, 2 malformed request, 1 anything else")
    parser.add_argument("source", nargs="?", metavar="FILE",
                        help="the request as JSON; - reads standard input (with --batch: JSON Lines)")
    parser.add_argument("--set", action="append", metavar="FACT=VALUE",
                        help="state one fact instead of giving a file (repeat it); lists take commas, "
                             "e.g. audience=student,parent_guardian; yes/no facts take true or false")
    parser.add_argument("--role", default="teacher", choices=_roles(),
                        help="with --set: the employee's role unless actor.role is set (default: teacher)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people (default) or json (the decision schema)")
    parser.add_argument("--batch", action="store_true",
                        help="read JSON Lines, write one decision (or error object) per line")
    parser.add_argument("--as-of", type=date_argument, metavar="YYYY-MM-DD",
                        help="the date for requests that give none (default: today in the policy's time zone)")
    parser.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
    add_site_url_argument(parser)
    parser.add_argument("--alternatives", action=argparse.BooleanOptionalAction, default=True,
                        help="also say how to do it within the policy (for an answer that is not a plain yes) "
                             "and which facts to ask first (for an undetermined one); on by default, "
                             "--no-alternatives skips the search")
    parser.set_defaults(func=run)


def _roles() -> tuple[str, ...] | None:
    """The roles ``--role`` accepts; None (any, refused later with the policy) while the request
    schema is too incomplete to read, so that building the parser never stops ``validate`` from
    saying what is missing."""
    try:
        return load_vocabulary()["actor.role"].value_names
    except (ValueError, KeyError):
        return None


def run(args: argparse.Namespace) -> int:
    policy = load_policy_or_report(args.policy, site_url(args))
    if policy is None:
        return EXIT_FAILURE
    as_of = args.as_of
    if args.batch:
        return _decide_batch(policy, args.source or "-", as_of, args.alternatives)
    if args.set:
        if args.source:
            raise SystemExit("error: give a request FILE or --set facts, not both")
        request: object = request_from_settings(args.set, args.role)
    else:
        if not args.source:
            raise SystemExit("error: give a request FILE (or - for standard input), or --set FACT=VALUE")
        try:
            request = parse_json(_read_input(args.source))
        except OSError as error:
            print(f"error: cannot read {args.source}: {error.strerror}", file=sys.stderr)
            return EXIT_FAILURE
        except JsonInputError as error:  # not JSON, nested too deep, or a key given twice
            return report_request_error(error, args.format)
    try:
        decision = policy.decide(request, as_of=as_of, alternatives=args.alternatives)
    except RequestError as error:
        return report_request_error(error, args.format)
    except Exception as error:  # fail closed: an internal fault is an error, never a decision
        print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    if args.format == "json":
        print(json.dumps(decision.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_decision(decision, policy.messages))
    return EXIT_OK


def _decide_batch(policy: Policy, source: str, as_of: date | None, alternatives: bool = False) -> int:
    stream = getattr(sys.stdin, "buffer", sys.stdin) if source == "-" else open(source, "rb")
    failures = faults = 0
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                result = policy.decide_json(line, as_of=as_of, alternatives=alternatives).to_dict()
            except RequestError as error:  # including JSON that is not JSON, too deep, or repeats a key
                failures += 1
                result = {"line": number, "error": request_error_dict(error)}
            except Exception as error:  # fail closed, and go on with the next line
                faults += 1
                result = {"line": number, "error": {"code": "internal_error", "message": f"{type(error).__name__}: "
                                                    f"{error}", "errors": []}}
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return EXIT_FAILURE if faults else EXIT_USAGE if failures else EXIT_OK


def request_from_settings(settings: Sequence[str], role: str) -> dict[str, object]:
    """Build a request from ``--set fact=value`` pairs. Lists take commas (audience=student,staff);
    yes/no facts take true or false; a dot reaches inside an object (site.approved=true)."""
    vocabulary = load_vocabulary()
    settable = [f.path for f in vocabulary.facts if f.kind != "object"]
    request: dict[str, object] = {}
    problems: list[str] = []
    for setting in settings:
        name, sep, raw = setting.partition("=")
        name = name.strip()
        fact = vocabulary.get(name)
        if not sep or fact is None or fact.kind == "object":
            hint = did_you_mean(name, settable)
            problems.append(f"--set {setting}: expected FACT=VALUE with a known fact{hint}; "
                            f"facts: {', '.join(settable)}")
            continue
        value: object = raw.strip()
        if fact.kind == "list":
            value = [item.strip() for item in raw.split(",") if item.strip()]
        elif fact.kind == "boolean":
            lowered = raw.strip().lower()
            value = {"true": True, "yes": True, "false": False, "no": False}.get(lowered, raw.strip())
        target = request
        *parents, leaf = name.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})  # type: ignore[assignment]  # a parent is always an object
        target[leaf] = value
    if problems:
        raise SystemExit("\n".join(f"error: {p}" for p in problems))
    actor = request.setdefault("actor", {})
    if isinstance(actor, dict):  # always: actor is an object, which --set refuses to set whole
        actor.setdefault("role", role)
    return request


def format_decision(decision: Decision, messages: Messages, width: int = 88) -> str:
    """A decision laid out for a terminal, in the words of ``messages`` (``schema/messages.yaml``)."""
    from policykit.core.engine import PROVISO_OUTCOMES  # deferred: the engine, which decide --help need not import

    words = messages.outcomes
    lines = [words[decision.outcome].headline, ""]
    lines += textwrap.wrap(decision.explanation, width, break_on_hyphens=False)
    if decision.missing_facts:
        lines += ["", f"Missing facts: {', '.join(decision.missing_facts)}",
                  f"Could be: {', '.join(words[o].short for o in decision.possible_outcomes)}"]
    if decision.reasons:
        lines += ["", "Clauses at stake:" if decision.outcome == "undetermined" else "Because of:"]
        for reason in decision.reasons:
            lines.append(f"  {reason.id} ({reason.kind}): {reason.title}")
            for paragraph in reason.text.splitlines():
                lines += textwrap.wrap(paragraph, width, initial_indent="    | ", subsequent_indent="    | ")
            if reason.interpretation is not None:
                status = messages.reading_status[reason.interpretation.status]
                lines += textwrap.wrap(f"{status}: {reason.interpretation.text}", width, initial_indent="    ~ ",
                                       subsequent_indent="      ", break_on_hyphens=False)
    # No proviso ("provided you …") where it cannot change the answer: prohibited, undetermined.
    duties = [o for o in decision.obligations if o.met is not None or decision.outcome in PROVISO_OUTCOMES]
    if duties:
        lines += ["", "You must:"]
        for obligation in duties:
            mark = {True: "[x]", False: "[ ]", None: "[?]"}[obligation.met]
            duty = messages.duty(obligation.met, obligation.text)
            lines += textwrap.wrap(f"{mark} {duty} ({obligation.clause})", width,
                                   initial_indent="  ", subsequent_indent="      ", break_on_hyphens=False)
    if decision.notices:
        lines += ["", "Good to know:"]
        for notice in decision.notices:
            lines += textwrap.wrap(f"{notice.text} ({notice.clause})", width,
                                   initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False)
    if decision.alternatives:
        lines += ["", "To do this within the policy:"]
        for alternative in decision.alternatives:
            source = f"; {alternative.remedy_of}" if alternative.remedy_of else ""
            lines += textwrap.wrap(f"{alternative.text} ({words[alternative.outcome].short}{source})", width,
                                   initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False)
    if decision.alternatives_complete is False:
        lines += textwrap.wrap("(The search for other ways stopped at its budget: a nearer way may exist.)", width,
                               initial_indent="  ", subsequent_indent="  ")
    if decision.questions:
        lines += ["", "To settle it, the policy needs to know (most telling first):"]
        for question in decision.questions:
            answers = ", ".join(f"{_answer_words(a.value)} → {words[a.outcome].short}" for a in question.answers)
            lines += textwrap.wrap(f"{question.fact}: {answers}", width, initial_indent="  - ",
                                   subsequent_indent="    ", break_on_hyphens=False)
    stamp = decision.policy
    lines += ["", f"policy {stamp.id}, revision {stamp.revision}, as of {stamp.as_of}",
              f"digest {stamp.digest}", f"decision {decision.decision_id}"]
    return "\n".join(lines)


def _answer_words(value: object) -> str:
    if isinstance(value, tuple):
        return "+".join(value) or "nobody"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _read_input(source: str) -> bytes | str:
    """The bytes of FILE or of standard input (text only when standard input has no bytes)."""
    if source == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        return buffer.read() if buffer is not None else sys.stdin.read()
    return Path(source).read_bytes()

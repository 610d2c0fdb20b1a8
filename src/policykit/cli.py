"""The ``policykit`` command: a thin shell over the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import textwrap
from datetime import date

from . import __version__
from .api import Policy, load_policy
from .decision import Decision
from .errors import PolicyError, PolicyIssue, RequestError, did_you_mean
from .vocabulary import load_vocabulary
from .loader import check_policy_dir, display_path
from .model import PolicyDocument
from .paths import default_features_dir, default_policy_dir
from .requestjson import JsonInputError, parse_json

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _policy_dir(value: str | None) -> Path:
    return Path(value) if value else default_policy_dir()


def _summary(document: PolicyDocument) -> str:
    revisions = ", ".join(d.isoformat() for d in document.revisions)
    ruled = sum(1 for c in document.clauses if any(v.rule for v in c.versions))
    return (f"{len(document.clauses)} clauses ({ruled} with rules) in {len(document.sections)} sections, "
            f"revision{'s' if len(document.revisions) > 1 else ''} {revisions}")


def cmd_validate(args: argparse.Namespace) -> int:
    root = _policy_dir(args.policy_dir)
    document, issues = check_policy_dir(root)
    if args.format == "json":
        json.dump({"valid": document is not None, "policy_dir": display_path(root),
                   "errors": [issue.to_dict() for issue in issues]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif document is None:
        for issue in issues:
            print(issue)
        print(f"{len(issues)} error{'s' if len(issues) != 1 else ''} in {display_path(root)}", file=sys.stderr)
    else:
        print(f"{display_path(root)} is valid: {_summary(document)}")
    return EXIT_OK if document is not None else EXIT_FAILURE


def cmd_show(args: argparse.Namespace) -> int:
    root = _policy_dir(args.policy_dir)
    document, issues = check_policy_dir(root)
    if document is None:
        _print_issues(issues)
        return EXIT_FAILURE
    print(f"{document.title}")
    print(f"{document.district} · {document.series}")
    print(f"adopted {document.adopted.isoformat()}; revised "
          f"{', '.join(d.isoformat() for d in document.revisions)}")
    print(_summary(document))
    by_id = {clause.id: clause for clause in document.clauses}
    for section in document.sections:
        print(f"\n{section.title}")
        for clause_id in section.clause_ids:
            clause = by_id[clause_id]
            print(f"  {clause.id:<45} {clause.kind_words:<22} {clause.title}")
    return EXIT_OK


def _request_error_dict(error: RequestError) -> dict[str, object]:
    body: dict[str, object] = {"code": "invalid_request", "message": "the request is malformed", "errors": error.errors}
    if error.omitted:
        body["more_errors"] = error.omitted
    return body


def _print_request_error(error: RequestError) -> None:
    print("error: the request is malformed:", file=sys.stderr)
    for item in error.errors:
        print(f"  {item['pointer'] or '/'}: {item['message']}", file=sys.stderr)
    if error.omitted:
        print(f"  ... and {error.omitted} more problem{'s' if error.omitted != 1 else ''}", file=sys.stderr)


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
            target = target.setdefault(parent, {})  # type: ignore[assignment]
        target[leaf] = value
    if problems:
        raise SystemExit("\n".join(f"error: {p}" for p in problems))
    request.setdefault("actor", {}).setdefault("role", role)  # type: ignore[union-attr]
    return request


def format_decision(decision: Decision, width: int = 88) -> str:
    """A decision laid out for a terminal."""
    headline = {"permitted": "PERMITTED", "discouraged": "DISCOURAGED (allowed, but advised against)",
                "requires_approval": "REQUIRES APPROVAL (not allowed yet)", "prohibited": "PROHIBITED",
                "undetermined": "UNDETERMINED (depends on facts not given)"}[decision.outcome]
    lines = [headline, ""]
    lines += textwrap.wrap(decision.explanation, width, break_on_hyphens=False)
    if decision.missing_facts:
        lines += ["", f"Missing facts: {', '.join(decision.missing_facts)}",
                  f"Could be: {', '.join(decision.possible_outcomes)}"]
    if decision.reasons:
        lines += ["", "Clauses at stake:" if decision.outcome == "undetermined" else "Because of:"]
        for reason in decision.reasons:
            lines.append(f"  {reason.id} ({reason.kind}): {reason.title}")
            for paragraph in reason.text.splitlines():
                lines += textwrap.wrap(paragraph, width, initial_indent="    | ", subsequent_indent="    | ")
            if reason.interpretation is not None:
                status = ("reading awaiting the board's confirmation" if reason.interpretation.awaiting_board
                          else "reading confirmed by the board")
                lines += textwrap.wrap(f"{status}: {reason.interpretation.text}", width, initial_indent="    ~ ",
                                       subsequent_indent="      ", break_on_hyphens=False)
    if decision.obligations:
        lines += ["", "You must:"]
        for obligation in decision.obligations:
            mark = {True: "[x] done", False: "[ ] not yet: first", None: "[?] provided you"}[obligation.met]
            lines += textwrap.wrap(f"{mark}  {obligation.text} ({obligation.clause})", width,
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
            lines += textwrap.wrap(f"{alternative.text} ({alternative.outcome.replace('_', ' ')}{source})", width,
                                   initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False)
    if decision.questions:
        lines += ["", "To settle it, the policy needs to know (most telling first):"]
        for question in decision.questions:
            answers = ", ".join(f"{_answer_words(a.value)} → {a.outcome.replace('_', ' ')}" for a in question.answers)
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


def cmd_decide(args: argparse.Namespace) -> int:
    try:
        policy = load_policy(args.policy, today=today)
    except PolicyError as error:
        _print_issues(error.issues)
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
            return _report_request_error(error, args.format)
    try:
        decision = policy.decide(request, as_of=as_of, alternatives=args.alternatives)
    except RequestError as error:
        return _report_request_error(error, args.format)
    except Exception as error:  # fail closed: an internal fault is an error, never a decision
        print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    if args.format == "json":
        print(json.dumps(decision.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_decision(decision))
    return EXIT_OK


def _report_request_error(error: RequestError, fmt: str) -> int:
    if fmt == "json":
        print(json.dumps(_request_error_dict(error), ensure_ascii=False, indent=2))
    else:
        _print_request_error(error)
    return EXIT_USAGE


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
                result = {"line": number, "error": _request_error_dict(error)}
            except Exception as error:  # fail closed, and go on with the next line
                faults += 1
                result = {"line": number, "error": {"code": "internal_error", "message": f"{type(error).__name__}: "
                                                    f"{error}", "errors": []}}
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return EXIT_FAILURE if faults else EXIT_USAGE if failures else EXIT_OK


def cmd_phrases(args: argparse.Namespace) -> int:
    from .phrases import load_phrasebook
    from .scenarios import ASK, CHECK_TEMPLATES

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


def _load_scenarios(args: argparse.Namespace):
    """The policy and the scenarios, or None after printing every problem."""
    from .scenarios import read_features

    try:
        policy = load_policy(args.policy, today=today)
    except PolicyError as error:
        _print_issues(error.issues)
        return None
    features = Path(args.features) if args.features else default_features_dir()
    scenarios, issues = read_features(features, [c.id for c in policy.document.clauses])
    if issues:
        _print_issues(issues)
        print(f"{len(issues)} problem{'s' if len(issues) != 1 else ''} in the scenarios", file=sys.stderr)
        return None
    return policy, scenarios


def cmd_coverage(args: argparse.Namespace) -> int:
    from .coverage import measure

    loaded = _load_scenarios(args)
    if loaded is None:
        return EXIT_FAILURE
    policy, scenarios = loaded
    report = measure(policy, scenarios)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK if report.complete else EXIT_FAILURE
    width = max(len(c.clause) for c in report.clauses)
    print(f"{'clause':<{width}}  deciding  notice  near-miss")
    for item in report.clauses:
        if not item.has_rule:
            flag = "(no rule)"
        else:
            flag = "" if item.complete else "  <- needs " + " and ".join(
                word for word, missing in (("a deciding scenario", not (item.deciding or item.notice)),
                                           ("a near miss", not item.near_miss)) if missing)
        print(f"{item.clause:<{width}}  {len(item.deciding):>8}  {len(item.notice):>6}  {len(item.near_miss):>9}"
              f"{'  ' + flag if flag and not item.has_rule else flag}")
    for title, problems in report.failures:
        print(f"\nFAILED {title}", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    incomplete = [c.clause for c in report.clauses if not c.complete]
    print(f"\n{len(scenarios)} scenarios; {sum(c.has_rule for c in report.clauses) - len(incomplete)} of "
          f"{sum(c.has_rule for c in report.clauses)} clauses with rules fully covered; "
          f"{len(report.failures)} failing scenario{'s' if len(report.failures) != 1 else ''}")
    return EXIT_OK if report.complete else EXIT_FAILURE


def cmd_mutate(args: argparse.Namespace) -> int:
    from . import mutate

    loaded = _load_scenarios(args)
    if loaded is None:
        return EXIT_FAILURE
    policy, scenarios = loaded
    broken = mutate.first_failure(policy, scenarios)
    if broken:
        print(f"error: the scenario '{broken}' fails on the unchanged policy; fix the scenarios first "
              "(policykit coverage lists every failure)", file=sys.stderr)
        return EXIT_FAILURE
    day = args.as_of or today()

    def progress(done: int, total: int, result: mutate.MutantResult) -> None:
        if args.quiet and not result.survived:
            return
        verdict = "SURVIVED" if result.survived else f"killed by '{result.killed_by}'"
        print(f"[{done:>3}/{total}] {result.mutant.clause}: {result.mutant.description} ... {verdict}",
              file=sys.stderr, flush=True)

    results = mutate.run(policy.document, scenarios, day=day, only=args.clause or (), progress=progress)
    survivors = [r for r in results if r.survived]
    if survivors:
        print(f"{len(survivors)} of {len(results)} mutants survived (no scenario noticed them):")
        for result in survivors:
            print(f"  {result.mutant.clause}: {result.mutant.description}")
        print("Add a scenario that the change would answer differently. If no question could ever be answered "
              "differently, the rule holds a redundant condition or case: remove it.")
        return EXIT_FAILURE
    print(f"all {len(results)} mutants killed by {len(scenarios)} scenarios")
    return EXIT_OK


def cmd_site_build(args: argparse.Namespace) -> int:
    from .paths import project_docs_dir, schema_dir
    from .site import build_pages

    loaded = _load_scenarios(args)
    if loaded is None:
        return EXIT_FAILURE
    policy, scenarios = loaded
    out = Path(args.out)
    from .questions import load_questions

    written = build_pages(policy, scenarios, out, docs=project_docs_dir(), schema_dir=schema_dir(), day=today(),
                          topics=load_questions(policy=policy.document))
    print(f"wrote {len(written)} generated files to {display_path(out)} "
          f"({len(scenarios)} examples); now run: mkdocs build --strict")
    return EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    from .lint import CODES, lint_policy_dir

    unknown = [code for code in args.ignore or () if code not in CODES]
    if unknown:
        print(f"error: unknown finding '{unknown[0]}'{did_you_mean(unknown[0], CODES)}; findings: "
              f"{', '.join(CODES)}", file=sys.stderr)
        return EXIT_USAGE
    root = _policy_dir(args.policy_dir)
    issues = lint_policy_dir(root, frozenset(args.ignore or ()))
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity == "warning"]
    if args.format == "json":
        print(json.dumps({"errors": [i.to_dict() for i in errors], "warnings": [i.to_dict() for i in warnings]},
                         indent=2))
    else:
        # What an editor should act on is printed; standing facts of the policy (readings the board
        # has yet to confirm, vocabulary values no rule needs) are one summary line each, unless --all.
        for issue in issues:
            if issue.severity == "warning" and issue.code in INFORMATIONAL and not args.all:
                continue
            print(f"{issue} [{issue.severity}: {issue.code}]" if issue.severity == "warning" else issue)
        if not args.all:
            for code, words in INFORMATIONAL.items():
                count = sum(1 for w in warnings if w.code == code)
                if count:
                    print(f"note: {count} {words} (policykit lint --all lists them)")
        counts = {code: sum(1 for w in warnings if w.code == code) for code in CODES}
        summary = ", ".join(f"{n} {code}" for code, n in counts.items() if n) or "no warnings"
        print(f"{len(errors)} error{'s' if len(errors) != 1 else ''}, {len(warnings)} warning"
              f"{'s' if len(warnings) != 1 else ''} ({summary})", file=sys.stderr)
    actionable = [w for w in warnings if args.all or w.code not in INFORMATIONAL]
    if errors or (args.strict and actionable):
        return EXIT_FAILURE
    return EXIT_OK


INFORMATIONAL = {
    "awaiting-board": "interpretations await the board's confirmation",
    "unread-value": "request values are read by no rule",
}
"""Lint findings that describe the policy rather than ask an editor to act: summarised, not listed."""


def cmd_diff(args: argparse.Namespace) -> int:
    from . import diff

    project_policy = Path(args.policy) if args.policy else default_policy_dir()
    try:
        old, new = (diff.resolve_side(spec, project_policy=project_policy, repo=project_policy.resolve().parent,
                                      default_day=args.as_of or today(), pinned=bool(args.as_of))
                    for spec in (args.old, args.new))
        ahead = None if args.as_of or old.pinned or new.pinned or args.format == "json" else diff.diff_ahead(old, new)
        report = diff.diff(old, new) if ahead is None else None
    except PolicyError as error:
        _print_issues(error.issues)
        return EXIT_FAILURE
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if ahead is not None:
        sys.stdout.write(diff.to_markdown_ahead(ahead))
    elif args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(diff.to_markdown(report))
    return EXIT_OK


def cmd_export_rego(args: argparse.Namespace) -> int:
    from .rego import write_bundle

    try:
        policy = load_policy(args.policy, today=today)
    except PolicyError as error:
        _print_issues(error.issues)
        return EXIT_FAILURE
    day = args.as_of or today()
    try:
        written = write_bundle(policy, Path(args.outdir), day)
    except RequestError as error:
        _print_request_error(error)
        return EXIT_USAGE
    print(f"wrote an OPA bundle of {len(written)} files to {display_path(Path(args.outdir))} "
          f"(revision {policy.program(day).digest}); query data.policykit.decision")
    return EXIT_OK


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def cmd_serve(args: argparse.Namespace) -> int:
    import ipaddress
    import os

    import uvicorn

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
    try:
        load_policy(args.policy, today=today)  # fail before binding if the policy is not valid
    except PolicyError as error:
        _print_issues(error.issues)
        return EXIT_FAILURE
    from .paths import project_site_dir
    from .protocol import default_max_connections
    from .server import uvicorn_options

    if args.site:  # asked for by name: it must be there
        site: Path | None = Path(args.site)
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
    uvicorn.run("policykit.server:app_from_environment", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level, **uvicorn_options())
    return EXIT_OK


def today() -> date:
    """The one clock of the project: read here, at the edge, never in library code. It is the
    system date, or ``POLICYKIT_TODAY`` (YYYY-MM-DD) when set, so that the whole project (decide,
    diff, coverage, mutate, site build) can be run as of another day."""
    pinned = os.environ.get("POLICYKIT_TODAY")
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise SystemExit(f"error: POLICYKIT_TODAY='{pinned}' is not a date written YYYY-MM-DD") from None
    return date.today()


def _date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _print_issues(issues: Sequence[PolicyIssue]) -> None:
    for issue in issues:
        print(issue, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policykit",
        description="Ledyard Public Schools' policy on electronic communications and social media, "
                    "as policy-as-code.")
    parser.add_argument("--version", action="version", version=f"policykit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    validate = commands.add_parser(
        "validate", help="check the policy files and report every problem",
        description="Check policy.yaml and every clause file: YAML traps, the JSON Schemas, the rule "
                    "vocabulary, dates and cross-references. Prints every problem as file:line:col: message.")
    validate.add_argument("policy_dir", nargs="?", metavar="POLICY_DIR",
                          help="the policy directory (default: the project's own policy/)")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          help="text for people (default) or json for machines")
    validate.set_defaults(func=cmd_validate)

    show = commands.add_parser("show", help="print what the policy holds, section by section",
                               description="Validate the policy, then list its sections and clauses.")
    show.add_argument("policy_dir", nargs="?", metavar="POLICY_DIR",
                      help="the policy directory (default: the project's own policy/)")
    show.set_defaults(func=cmd_show)

    decide = commands.add_parser(
        "decide", help="ask whether an action is allowed",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Answer a request (a JSON object following schema/request.schema.json) with a "
                    "decision: the outcome, why, what you must do and what you should know.",
        epilog="examples:\n"
               "  policykit decide request.json\n"
               "  echo '{\"actor\": {\"role\": \"coach\"}, \"action\": \"post\"}' | policykit decide -\n"
               "  policykit decide --set action=message --set channel=text_message --set audience=student\n"
               "  policykit decide --batch requests.jsonl > decisions.jsonl\n\n"
               "exit status: 0 decided, 2 malformed request, 1 anything else")
    decide.add_argument("source", nargs="?", metavar="FILE",
                        help="the request as JSON; - reads standard input (with --batch: JSON Lines)")
    decide.add_argument("--set", action="append", metavar="FACT=VALUE",
                        help="state one fact instead of giving a file (repeat it); lists take commas, "
                             "e.g. audience=student,parent_guardian; yes/no facts take true or false")
    decide.add_argument("--role", default="teacher", choices=load_vocabulary()["actor.role"].value_names,
                        help="with --set: the employee's role unless actor.role is set (default: teacher)")
    decide.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people (default) or json (the decision schema)")
    decide.add_argument("--batch", action="store_true",
                        help="read JSON Lines, write one decision (or error object) per line")
    decide.add_argument("--as-of", type=_date_argument, metavar="YYYY-MM-DD",
                        help="the date for requests that give none (default: today)")
    decide.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
    decide.add_argument("--alternatives", action=argparse.BooleanOptionalAction, default=True,
                        help="also say how to do it within the policy (for an answer that is not a plain yes) "
                             "and which facts to ask first (for an undetermined one); on by default, "
                             "--no-alternatives skips the search")
    decide.set_defaults(func=cmd_decide)

    phrases = commands.add_parser(
        "phrases", help="print the words scenarios are written in",
        description="Print the scenario vocabulary: one phrase per fact value (generated from "
                    "schema/request.schema.json), the asking step, and the checks.")
    phrases.add_argument("--format", choices=("text", "json"), default="text")
    phrases.set_defaults(func=cmd_phrases)

    for name, func, summary, text in (
            ("coverage", cmd_coverage, "show which scenarios illustrate each clause",
             "Run every scenario and list, for each clause, the scenarios where it decides, where only its "
             "notice or obligation appears, and the near misses tagged with it. Exit 1 when a clause with a "
             "rule lacks a deciding scenario or a near miss, or when a scenario fails."),
            ("mutate", cmd_mutate, "check that the scenarios pin every rule down",
             "Change one rule at a time (drop it, drop a case, make an outcome one step weaker or stronger, drop "
             "one condition of a case's all) and run every scenario against it. Exit 1 when a change goes "
             "unnoticed.")):
        sub = commands.add_parser(name, help=summary, description=text)
        sub.add_argument("--features", metavar="DIR", help="the scenarios (default: the project's features/)")
        sub.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
        if name == "coverage":
            sub.add_argument("--format", choices=("text", "json"), default="text")
        else:
            sub.add_argument("--clause", action="append", metavar="ID", help="only mutate this clause (repeatable)")
            sub.add_argument("--quiet", action="store_true", help="show progress only for surviving mutants")
            sub.add_argument("--as-of", type=_date_argument, metavar="YYYY-MM-DD",
                             help="mutate the clause versions in force on this date (default: today)")
        sub.set_defaults(func=func)

    site = commands.add_parser("site", help="build the staff site's pages",
                               description="Write the staff site's Markdown pages (then run mkdocs).")
    site_commands = site.add_subparsers(dest="site_command", metavar="COMMAND")
    site_commands.required = True
    build = site_commands.add_parser(
        "build", help="write the Markdown pages for mkdocs",
        description="Copy the hand-written pages of docs/ into OUT and write beside them the pages generated "
                    "from policy/, schema/ and features/: home, one page per section, references, glossary, "
                    "changelog, print version. Then run `mkdocs build --strict`.")
    build.add_argument("--out", default="build/docs", metavar="OUT",
                       help="where to write the pages (default: build/docs, mkdocs.yml's docs_dir)")
    build.add_argument("--features", metavar="DIR", help="the scenarios (default: the project's features/)")
    build.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
    build.set_defaults(func=cmd_site_build)

    serve = commands.add_parser(
        "serve", help="serve the decision API (and the staff site)",
        description="Serve the HTTP JSON API (POST /v1/decide, POST /v1/decide/batch, GET /v1/policy, "
                    "GET /v1/clauses/{id}, GET /health, GET /openapi.json) and, when built, the staff site at /.")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1); any address "
                                                          "beyond this machine needs --token-file")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--token-file", metavar="FILE", help="require 'Authorization: Bearer <token>' on /v1/, "
                                                            "the token being this file's contents")
    serve.add_argument("--decision-log", metavar="FILE", help="append every decision to FILE as JSON Lines")
    serve.add_argument("--site", metavar="DIR", help="the built site to serve at / (default: the project's own "
                                                     "site/, when built; never the current directory's)")
    serve.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
    serve.add_argument("--max-body-bytes", type=int, default=1_048_576, help="largest request body (default 1 MiB)")
    serve.add_argument("--max-batch", type=int, default=1000, help="most requests in one batch (default 1000)")
    serve.add_argument("--decision-log-max-bytes", type=int, default=64 * 1024 * 1024, metavar="BYTES",
                       help="rotate the decision log past this size (default 64 MiB; 0: never)")
    serve.add_argument("--decision-log-backups", type=int, default=4, metavar="N",
                       help="rotated decision logs kept, FILE.1 (newest) to FILE.N; older ones are deleted (default 4)")
    serve.add_argument("--threads", type=int, default=0, help="threads per worker doing policy work (default: one "
                                                              "per core but one, at least one)")
    serve.add_argument("--header-seconds", type=float, default=10.0, metavar="S",
                       help="time a connection has to send a complete request head (default 10)")
    serve.add_argument("--max-connections", type=int, default=0, metavar="N",
                       help="open connections per worker (default: half the file limit, at most 1000)")
    serve.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    serve.set_defaults(func=cmd_serve)

    lint = commands.add_parser(
        "lint", help="warn about rules that never decide, unread values and unconfirmed readings",
        description="Check a valid policy for things an editor should look at: rule cases that can never apply "
                    "or are always overridden by a stronger rule, clauses that always decide together, request "
                    "values no rule reads, and interpretations awaiting board confirmation. Warnings are printed "
                    "as file:line:col; --strict makes them failures.")
    lint.add_argument("policy_dir", nargs="?", metavar="POLICY_DIR",
                      help="the policy directory (default: the project's own policy/)")
    lint.add_argument("--strict", action="store_true", help="exit 1 when there is any warning to act on")
    lint.add_argument("--all", action="store_true",
                      help="also list the informational findings (awaiting-board, unread-value) one by one; "
                           "with --strict they count too")
    lint.add_argument("--ignore", action="append", metavar="FINDING",
                      help="leave out one kind of finding (repeatable): never-applies, always-outranked, "
                           "decide-together, unread-value, awaiting-board")
    lint.add_argument("--format", choices=("text", "json"), default="text")
    lint.set_defaults(func=cmd_lint)

    compare = commands.add_parser(
        "diff", help="what a change to the policy does: redline, rule changes, decisions that flip",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compare two versions of the policy: clause text as a word-level redline, rule changes in "
                    "words, and every decision that changes, found exhaustively over the facts the changed "
                    "clauses read and grouped into patterns.",
        epilog="OLD and NEW are each a git revision (of the project's policy/), a policy directory, or a date "
               "(the versions in force that day):\n"
               "  policykit diff origin/main HEAD\n"
               "  policykit diff ../old-checkout/policy policy\n"
               "  policykit diff 2026-06-01 2027-02-01")
    compare.add_argument("old", metavar="OLD")
    compare.add_argument("new", metavar="NEW")
    compare.add_argument("--format", choices=("markdown", "json"), default="markdown",
                         help="markdown to paste into a pull request (default) or json")
    compare.add_argument("--as-of", type=_date_argument, metavar="YYYY-MM-DD",
                         help="for revisions and directories: read the versions in force on this date (default: today)")
    compare.add_argument("--policy", metavar="POLICY_DIR",
                         help="the project's policy directory, for dates and git revisions (default: policy/)")
    compare.set_defaults(func=cmd_diff)

    export = commands.add_parser("export", help="export the policy for other engines",
                                 description="Export the policy for another policy engine.")
    targets = export.add_subparsers(dest="target", metavar="TARGET")
    targets.required = True
    rego = targets.add_parser(
        "rego", help="an OPA bundle (Rego v1) whose data.policykit.decision matches decide()",
        description="Write an OPA bundle: Rego v1 module(s) generated from the clauses, data.json with the clause "
                    "texts, and .manifest whose revision is the policy digest. Query data.policykit.decision with "
                    "a request as input. The same policy digest always gives the same bytes.")
    rego.add_argument("outdir", metavar="OUTDIR", help="the directory to write (created; its bundle files replaced)")
    rego.add_argument("--as-of", type=_date_argument, metavar="YYYY-MM-DD",
                      help="export the clause versions in force on this date (default: today)")
    rego.add_argument("--policy", metavar="POLICY_DIR", help="the policy directory (default: the project's own)")
    rego.set_defaults(func=cmd_export_rego)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

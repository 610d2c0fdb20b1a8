"""`policykit validate` and `policykit show`: exit codes, the one-line summary, every error of a
broken policy, and the JSON shape for machines."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BROKEN, PROJECT_ROOT, MakePolicy, expected_lines

from policykit.interfaces.cli import main
from policykit.core.model import PolicyDocument

def _summary() -> re.Pattern[str]:
    """The summary line of the shipped policy, read from its files: the clause files, the sections
    and the revisions listed in policy.yaml."""
    import yaml

    root = PROJECT_ROOT / "policy"
    meta = yaml.safe_load((root / "policy.yaml").read_text(encoding="utf-8"))
    clauses = len(list((root / "clauses").glob("*.yaml")))
    revisions = [str(r) for r in meta["revisions"]]
    word = "revisions" if len(revisions) > 1 else "revision"
    return re.compile(rf"policy is valid: {clauses} clauses \(\d+ with rules\) in {len(meta['sections'])} sections, "
                      rf"{word} {re.escape(', '.join(revisions))}")


SUMMARY = _summary()
ISSUE_KEYS = {"path", "line", "column", "message", "code", "severity"}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def command() -> list[str]:
    """The installed console script beside this Python, or the module as a fallback."""
    script = shutil.which("policykit", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "policykit"]


def test_validate_shipped_policy_prints_one_summary_line(project_root: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_root)
    code, out, err = run(["validate", "policy"], capsys)
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 1
    assert SUMMARY.fullmatch(out.strip()), out


def test_validate_defaults_to_the_project_policy(project_root: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_root)
    code, out, _ = run(["validate"], capsys)
    assert code == 0
    assert SUMMARY.fullmatch(out.strip()), out


def test_validate_broken_policy_prints_every_error(make_policy: MakePolicy,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    make_policy(BROKEN / "several-files")
    code, out, err = run(["validate", "."], capsys)
    assert code == 1
    assert out.splitlines() == expected_lines("several-files")
    assert err.splitlines() == ["4 errors in ."]


def test_validate_missing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["validate", "nowhere"], capsys)
    assert code == 1
    assert out.splitlines() == ["nowhere:1:1: no such policy directory"]
    assert err.splitlines() == ["1 error in nowhere"]


def test_validate_json_on_a_broken_policy(make_policy: MakePolicy, capsys: pytest.CaptureFixture[str]) -> None:
    make_policy(BROKEN / "several-files")
    code, out, err = run(["validate", ".", "--format", "json"], capsys)
    assert (code, err) == (1, "")
    result = json.loads(out)
    codes = ["not-allowed", "unknown-fact", "duplicate-key", "unquoted-date"]
    expected = []
    for line, issue_code in zip(expected_lines("several-files"), codes, strict=True):
        path, row, column, message = line.split(":", 3)
        expected.append({"path": path, "line": int(row), "column": int(column), "message": message.strip(),
                         "code": issue_code, "severity": "error"})
    assert result == {"valid": False, "policy_dir": ".", "errors": expected}
    assert all(set(error) == ISSUE_KEYS for error in result["errors"])


def test_validate_json_on_the_shipped_policy(project_root: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_root)
    code, out, _ = run(["validate", "policy", "--format", "json"], capsys)
    assert code == 0
    assert json.loads(out) == {"valid": True, "policy_dir": "policy", "errors": []}


def test_validate_rejects_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--format", "xml"])
    assert caught.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_show_lists_every_clause_in_order(policy_root: Path, policy: PolicyDocument,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["show", str(policy_root)], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Use of Electronic Communications and Social Media"
    listed = [line.split()[0] for line in lines if line.startswith("  ")]
    assert listed == [clause.id for clause in policy.clauses]
    assert [line for line in lines if line in {s.title for s in policy.sections}] == [
        s.title for s in policy.sections]


def test_show_on_a_broken_policy_prints_the_errors(make_policy: MakePolicy,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    make_policy(BROKEN / "bad-kind")
    code, out, err = run(["show", "."], capsys)
    assert (code, out) == (1, "")
    assert err.splitlines() == expected_lines("bad-kind")


def test_console_script_validates_and_fails(project_root: Path, make_policy: MakePolicy) -> None:
    ok = subprocess.run([*command(), "validate", "policy"], cwd=project_root, capture_output=True, text=True,
                        check=False, timeout=60)
    assert (ok.returncode, ok.stderr) == (0, "")
    assert SUMMARY.fullmatch(ok.stdout.strip()), ok.stdout
    root = make_policy(BROKEN / "unknown-fact")
    broken = subprocess.run([*command(), "validate", "."], cwd=root, capture_output=True, text=True,
                            check=False, timeout=60)
    assert broken.returncode == 1
    assert broken.stdout.splitlines() == expected_lines("unknown-fact")


# --- policykit decide -------------------------------------------------------------------------

TEXTING = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
           "audience": ["student"], "purpose": "personal", "as_of": "2026-01-05"}


def test_decide_reads_a_file_and_prints_the_decision_as_json(tmp_path: Path, capsys) -> None:
    source = tmp_path / "request.json"
    source.write_text(json.dumps(TEXTING), encoding="utf-8")
    code, out, err = run(["decide", str(source), "--format", "json"], capsys)
    assert (code, err) == (0, "")
    decision = json.loads(out)
    assert decision["outcome"] == "prohibited" and decision["allowed"] is False
    assert [r["id"] for r in decision["reasons"]] == ["relationships.peer-communication",
                                                      "relationships.texting-and-calling"]
    assert decision["policy"]["as_of"] == "2026-01-05"


def test_decide_text_format_shows_outcome_reasons_and_notices(tmp_path: Path, capsys) -> None:
    source = tmp_path / "request.json"
    source.write_text(json.dumps(TEXTING), encoding="utf-8")
    code, out, _ = run(["decide", str(source)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "PROHIBITED"
    assert "  relationships.texting-and-calling (prohibition): No personal texting or calling with students" in lines
    assert any(line.startswith("    | - “Texting” with students") for line in lines)
    assert "Good to know:" in lines
    assert lines[-1].startswith("decision ")


def test_decide_shorthand_sets_facts_and_defaults_the_role(capsys) -> None:
    code, out, _ = run(["decide", "--set", "action=message", "--set", "channel=text_message",
                        "--set", "account=personal", "--set", "audience=student", "--set", "as_of=2026-01-05",
                        "--format", "json"], capsys)
    decision = json.loads(out)
    assert (code, decision["outcome"], decision["missing_facts"]) == (0, "undetermined", ["purpose"])
    code, out, _ = run(["decide", "--set", "action=post", "--set", "confidentiality_uncertain=true",
                        "--set", "supervisor_consulted=yes", "--set", "site.approved=false", "--role", "coach",
                        "--as-of", "2026-01-05", "--format", "json"], capsys)
    decision = json.loads(out)
    obligation = decision["obligations"][0]
    assert obligation.pop("interpretation")["status"] == "proposed"
    assert obligation == {"clause": "social-media.confidentiality",
                          "text": "consult your immediate supervisor before posting", "met": True}


def test_decide_shorthand_rejects_an_unknown_fact(capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["decide", "--set", "chanel=email", "--set", "action=post"])
    assert "--set chanel=email: expected FACT=VALUE with a known fact (did you mean 'channel'?)" in str(raised.value)


def test_decide_malformed_request_exits_2_with_every_problem(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(json.dumps({"actor": {"role": "teacher"},
                                                                             "action": "msg", "chanel": "email"})))
    code, out, err = run(["decide", "-"], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == "error: the request is malformed:"
    assert err.splitlines()[1].startswith("  /action: 'msg' is not an allowed action (did you mean 'message'?)")
    assert err.splitlines()[2].startswith("  /chanel: unknown field 'chanel' (did you mean 'channel'?)")


def test_decide_invalid_json_is_a_malformed_request(tmp_path: Path, capsys) -> None:
    source = tmp_path / "bad.json"
    source.write_text("{not json", encoding="utf-8")
    code, out, _ = run(["decide", str(source), "--format", "json"], capsys)
    error = json.loads(out)
    assert code == 2 and error["code"] == "invalid_request"
    assert error["errors"][0]["message"].startswith("not valid JSON: ")


def test_decide_batch_answers_every_line_and_reports_bad_ones_in_place(tmp_path: Path, capsys) -> None:
    source = tmp_path / "requests.jsonl"
    source.write_text("\n".join([json.dumps(TEXTING), "{oops", json.dumps({"actor": {"role": "x"}, "action": "post"}),
                                 "", json.dumps(dict(TEXTING, purpose="school_business"))]) + "\n", encoding="utf-8")
    code, out, _ = run(["decide", "--batch", str(source)], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert [row.get("outcome") or row["error"]["code"] for row in rows] == [
        "prohibited", "invalid_request", "invalid_request", "discouraged"]
    assert [row.get("line") for row in rows] == [None, 2, 3, None]
    assert rows[2]["error"]["errors"][0]["pointer"] == "/actor/role"


def test_decide_with_a_broken_policy_exits_1(make_policy, capsys) -> None:
    root = make_policy(BROKEN / "unknown-fact")
    code, _, err = run(["decide", "--policy", str(root), "--set", "action=post"], capsys)
    assert code == 1 and expected_lines("unknown-fact")[0] in err


def test_decide_an_internal_fault_exits_1_never_a_decision(capsys, monkeypatch) -> None:
    from policykit.core import engine

    def broken(*args, **kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(engine, "evaluate", broken)
    code, out, err = run(["decide", "--set", "action=browse", "--set", "as_of=2099-01-01"], capsys)
    assert (code, out) == (1, "")
    assert err == "internal error: RuntimeError: simulated fault\n"


def test_decide_as_a_subprocess_reads_standard_input() -> None:
    done = subprocess.run(command() + ["decide", "-", "--format", "json"], input=json.dumps(TEXTING),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "prohibited"


def test_the_shared_corpus_gives_the_same_answers_through_the_cli(tmp_path: Path) -> None:
    """Every corpus case through one `policykit decide --batch` subprocess."""
    from corpus_cases import CASES, assert_matches, error_pointers

    source = tmp_path / "corpus.jsonl"
    source.write_text("".join(json.dumps(case.request) + "\n" for case in CASES), encoding="utf-8")
    done = subprocess.run(command() + ["decide", "--batch", str(source)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2, done.stderr  # the corpus holds malformed requests too
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == len(CASES)
    for case, row in zip(CASES, rows):
        if case.is_error:
            assert error_pointers(row["error"]["errors"]) == case.expect["error"], case.name
        else:
            assert "error" not in row, (case.name, row)
            assert_matches(row, case.expect)


# --- policykit phrases / coverage / mutate ------------------------------------------------------

FEATURES_TEXTING = Path(__file__).parent / "fixtures" / "features-texting"


def test_phrases_lists_the_vocabulary_the_asking_step_and_the_checks(capsys) -> None:
    code, out, _ = run(["phrases"], capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "Facts (Given / And):"
    assert "    it goes by text message" in lines and "    I ask the policy" in lines
    assert "    it cites <clause-id>" in lines
    code, out, _ = run(["phrases", "--format", "json"], capsys)
    data = json.loads(out)
    assert {"phrase": "it reaches a student", "fact": "audience", "value": "student",
            "description": "A student enrolled in Ledyard Public Schools."} in data["facts"]


def test_coverage_exits_1_while_a_clause_lacks_scenarios(capsys) -> None:
    code, out, _ = run(["coverage", "--features", str(FEATURES_TEXTING)], capsys)
    assert code == 1
    assert re.search(r"relationships\.texting-and-calling\s+1\s+0\s+5$", out, re.M)
    assert re.search(r"relationships\.peer-communication\s+0\s+0\s+0  <- needs a deciding scenario and a near miss$",
                     out, re.M)
    assert out.splitlines()[-1] == "6 scenarios; 1 of 31 clauses with rules fully covered; 0 failing scenarios"
    code, out, _ = run(["coverage", "--features", str(FEATURES_TEXTING), "--format", "json"], capsys)
    assert code == 1 and json.loads(out)["complete"] is False


def test_coverage_reports_problems_in_the_scenarios(tmp_path: Path, capsys) -> None:
    (tmp_path / "x.feature").write_text("Feature: X\n  Scenario: Y\n    Given I am a teachr\n"
                                        "    When I ask the policy\n    Then it is permitted\n", encoding="utf-8")
    code, _, err = run(["coverage", "--features", str(tmp_path)], capsys)
    assert code == 1
    assert "x.feature:3:11: unknown phrase 'I am a teachr'; closest: 'I am a teacher'" in err


def test_mutate_shows_progress_and_passes_when_every_mutant_is_killed(capsys) -> None:
    code, out, err = run(["mutate", "--features", str(FEATURES_TEXTING), "--clause",
                          "relationships.texting-and-calling"], capsys)
    assert (code, out) == (0, "all 7 mutants killed by 6 scenarios\n")
    assert err.splitlines()[0] == ("[  1/7] relationships.texting-and-calling: drop the rule ... killed by "
                                   "'Texting students, pinned down: Can I text a student about something personal?'")


def test_mutate_exits_1_and_lists_survivors(capsys) -> None:
    code, out, _ = run(["mutate", "--features", str(FEATURES_TEXTING), "--clause", "communications.district-email",
                        "--quiet"], capsys)
    assert code == 1
    survived = re.fullmatch(r"(\d+) of (\d+) mutants survived \(no scenario noticed them\):", out.splitlines()[0])
    assert survived and 0 < int(survived[1]) <= int(survived[2])
    assert len(out.splitlines()) > int(survived[1])  # each survivor listed


def test_mutate_refuses_to_start_while_a_scenario_fails(capsys) -> None:
    code, _, err = run(["mutate", "--features", str(Path(__file__).parent / "fixtures" / "features")], capsys)
    assert code == 1 and "fails on the unchanged policy" in err


def test_site_build_writes_the_generated_pages(tmp_path: Path, capsys) -> None:
    out = tmp_path / "docs"
    code, stdout, _ = run(["site", "build", "--out", str(out)], capsys)
    assert code == 0 and stdout.startswith("wrote ") and stdout.rstrip().endswith("now run: mkdocs build --strict")
    generated = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    for page in ("index.md", "sections/relationships.md", "references.md", "glossary.md", "changelog.md", "print.md",
                 "editors.md", "integrators.md", "assets/policy.css", "schemas/request.schema.json"):
        assert page in generated


def test_decide_says_how_to_do_it_within_the_policy(capsys) -> None:
    code, out, _ = run(["decide", "--set", "action=message", "--set", "channel=text_message",
                        "--set", "account=personal", "--set", "audience=student", "--set", "purpose=school_business",
                        "--set", "as_of=2026-01-05"], capsys)
    assert code == 0
    section = out.split("To do this within the policy:\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines()[0] == "  - Use a District-managed account. (permitted; communications.district-email)"
    code, out, _ = run(["decide", "--set", "action=message", "--set", "channel=text_message",
                        "--set", "account=personal", "--set", "audience=student", "--set", "purpose=school_business",
                        "--set", "as_of=2026-01-05", "--format", "json"], capsys)
    assert json.loads(out)["alternatives"][0]["remedy_of"] == "communications.district-email"
    code, out, _ = run(["decide", "--set", "action=message", "--set", "channel=text_message",
                        "--set", "audience=student", "--set", "as_of=2026-01-05", "--no-alternatives",
                        "--format", "json"], capsys)
    assert "alternatives" not in json.loads(out) and "questions" not in json.loads(out)


def test_decide_orders_the_questions_for_an_undetermined_answer(capsys) -> None:
    code, out, _ = run(["decide", "--set", "action=message", "--set", "channel=text_message",
                        "--set", "audience=student", "--set", "as_of=2026-01-05"], capsys)
    lines = out.split("To settle it, the policy needs to know (most telling first):\n", 1)[1].splitlines()
    # Either account leaves two outcomes possible (exactly), as purpose's worst answer does, in fewer in all.
    assert lines[0] == "  - account: district → undetermined, personal → undetermined"
    assert lines[1].startswith("  - purpose: school_business → undetermined")
    assert "personal → prohibited" in out


HEAVY_MODULES = ("jsonschema", "referencing", "yaml", "starlette", "uvicorn", "policykit.core.compiler",
                 "policykit.core.engine", "policykit.core.yamlfile")


def test_building_the_parser_imports_no_validator_yaml_server_or_compiler() -> None:
    probe = ("import json, sys\n"
             "from policykit.interfaces.cli import build_parser\n"
             "build_parser()\n"
             f"print(json.dumps(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == []


def test_import_policykit_is_lazy_and_still_exports_its_names() -> None:
    probe = ("import json, sys\n"
             "import policykit\n"
             "before = 'policykit.core.api' in sys.modules\n"
             "from policykit import Policy, load_policy, PolicyError, check_policy_dir\n"
             "print(json.dumps([before, Policy.__module__, load_policy.__module__, PolicyError.__module__,\n"
             "                  check_policy_dir.__module__, "
             "sorted(policykit.__all__) == sorted(set(policykit.__all__)\n"
             "                  & set(dir(policykit)))]))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == [False, "policykit.core.api", "policykit.core.api", "policykit.core.errors",
                                       "policykit.core.loader", True]


def test_decide_twice_reads_the_snapshot_without_the_yaml_reader_or_the_validator(tmp_path: Path) -> None:
    """The second `policykit decide` gives the same answer from the compiled-policy snapshot,
    importing neither PyYAML nor jsonschema (read from `-X importtime`); the first loads the files."""
    source = tmp_path / "request.json"
    source.write_text(json.dumps(TEXTING), encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name != "POLICYKIT_NO_CACHE"}
    env["POLICYKIT_CACHE_DIR"] = str(tmp_path / "cache")
    runs = [subprocess.run([sys.executable, "-X", "importtime", "-m", "policykit", "decide", str(source),
                            "--format", "json"], capture_output=True, text=True, timeout=120, env=env, check=False)
            for _ in range(2)]
    imported = []
    for done in runs:
        assert done.returncode == 0, done.stderr
        names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                 if line.startswith("import time:")}
        imported.append(sorted(names & {"yaml", "jsonschema", "referencing", "policykit.core.yamlfile"}))
    assert imported == [["jsonschema", "policykit.core.yamlfile", "referencing", "yaml"], []]
    first, second = (json.loads(done.stdout) for done in runs)
    assert first.pop("decision_id") != second.pop("decision_id")
    assert first == second and first["outcome"] == "prohibited"
    assert [path.suffix for path in (tmp_path / "cache").iterdir()] == [".snapshot"]


def test_decide_from_the_snapshot_refuses_a_malformed_request_with_the_same_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"actor": {"role": "teacher"}, "action": "msg", "chanel": "email"}), encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name != "POLICYKIT_NO_CACHE"}
    env["POLICYKIT_CACHE_DIR"] = str(tmp_path / "cache")
    runs = {}
    for label, extra in (("fills", {}), ("reads", {}), ("off", {"POLICYKIT_NO_CACHE": "1"})):
        done = subprocess.run(command() + ["decide", str(bad), "--format", "json"], capture_output=True, text=True,
                              timeout=120, env={**env, **extra}, check=False)
        runs[label] = (done.returncode, json.loads(done.stdout), done.stderr)
    assert runs["reads"] == runs["off"] == runs["fills"]
    assert runs["off"][0] == 2 and [e["pointer"] for e in runs["off"][1]["errors"]] == ["/action", "/chanel"]


def test_a_run_of_one_command_builds_only_its_parser() -> None:
    from policykit.interfaces.cli import build_parser

    def choices(parser) -> list[str]:
        return list(parser._subparsers._group_actions[0].choices)  # noqa: SLF001 - the parser's own commands

    every = ["validate", "show", "decide", "phrases", "coverage", "mutate", "site", "serve", "lint", "diff", "export"]
    assert [choices(build_parser(name)) for name in ("decide", "validate", "nope", "--help", None)] == [
        ["decide"], ["validate"], every, every, every]

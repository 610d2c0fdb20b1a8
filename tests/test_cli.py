"""`policykit validate` and `policykit show`: exit codes, the one-line summary, every error of a
broken policy, and the JSON shape for machines."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BROKEN, MakePolicy, expected_lines

from policykit.cli import main
from policykit.model import PolicyDocument

SUMMARY = re.compile(r"policy is valid: 33 clauses \(\d+ with rules\) in 7 sections, revision 2015-11-18")
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

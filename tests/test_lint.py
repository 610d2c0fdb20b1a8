"""Lint: one fixture per finding kind, and the shipped policy has warnings but no errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, MakePolicy

from policykit.interfaces.cli import main
from policykit.authoring.lint import CODES, lint_policy_dir

LINT = FIXTURES / "lint"
ONLY_VALUES = frozenset(CODES) - {"unread-value"}


@pytest.mark.parametrize("case", sorted(p.name for p in LINT.iterdir() if p.is_dir()))
def test_each_finding_kind(case: str, make_policy: MakePolicy) -> None:
    root = make_policy(LINT / case)
    found = [str(issue) for issue in lint_policy_dir(root, frozenset({"unread-value"}))]
    assert found == (LINT / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert all(issue.severity == "warning" for issue in lint_policy_dir(root))


def test_the_fixtures_cover_every_finding_kind() -> None:
    covered = {p.name for p in LINT.iterdir() if p.is_dir()} | {"unread-value"}
    assert covered == set(CODES)


def test_unread_values_point_at_the_request_schema(make_policy: MakePolicy) -> None:
    root = make_policy()
    found = lint_policy_dir(root, ONLY_VALUES)
    messages = {issue.message for issue in found}
    assert "no rule reads channel = 'email'" in messages  # the minimal policy never reads it
    assert "no rule reads channel = 'text_message'" not in messages  # its texting rule does
    email = next(i for i in found if i.message == "no rule reads channel = 'email'")
    schema_lines = Path(email.path).read_text(encoding="utf-8").splitlines()
    assert '"const": "email"' in schema_lines[email.line - 1][email.column - 1:]


def test_the_shipped_policy_has_no_errors(policy_root: Path) -> None:
    issues = lint_policy_dir(policy_root)
    assert [i for i in issues if i.severity == "error"] == []
    assert {i.code for i in issues} <= {"unread-value", "awaiting-board"}


def test_lint_on_a_broken_policy_reports_its_errors(make_policy: MakePolicy) -> None:
    root = make_policy(FIXTURES / "broken" / "unknown-fact")
    assert [i.severity for i in lint_policy_dir(root)] == ["error"]


def test_lint_cli_exit_codes(policy_root: Path, capsys) -> None:
    assert main(["lint", str(policy_root)]) == 0
    out, err = capsys.readouterr()
    # on main only what an editor should act on is listed; the standing findings are summarised
    assert "[warning:" not in out and err == "0 errors, 0 warnings (no warnings)\n"
    assert "interpretations await the board's confirmation (policykit lint --all lists them)" in out
    assert main(["lint", str(policy_root), "--strict"]) == 0
    capsys.readouterr()
    assert main(["lint", str(policy_root), "--all"]) == 0
    assert "[warning: awaiting-board]" in capsys.readouterr().out
    assert main(["lint", str(policy_root), "--all", "--strict"]) == 1
    capsys.readouterr()
    assert main(["lint", str(policy_root), "--strict", "--ignore", "awaiting-board", "--ignore", "unread-value"]) == 0
    assert capsys.readouterr().err == "0 errors, 0 warnings (no warnings)\n"
    assert main(["lint", str(policy_root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == [] and data["warnings"][0]["severity"] == "warning"
    assert main(["lint", "--ignore", "never-apply"]) == 2
    assert "did you mean 'never-applies'?" in capsys.readouterr().err


def _pairwise(root: Path) -> set[tuple[str, str]]:
    """The outranked and decide-together findings by comparing every pair of cases (the plain
    quadratic way the index must agree with): (code, clause id) pairs."""
    from policykit.authoring.lint import _implies, _satisfiable
    from policykit.core.compiler import RANK, AtomLayout, to_terms
    from policykit.core.loader import load_policy_dir
    from policykit.core.vocabulary import load_vocabulary

    document = load_policy_dir(root)
    layout = AtomLayout.from_vocabulary(load_vocabulary())
    found = set()
    for day in document.effective_dates():
        cases = [(c.id, case, [t for t in to_terms(case.when, layout) if _satisfiable(*t, layout)])
                 for c in document.clauses if (v := c.version_on(day)) for case in v.rule if case.when is not None]
        for clause_id, case, live in cases:
            if live and case.outcome and all(any(_implies(t, u, layout) for o_id, o, terms in cases
                                                 if o.outcome and RANK[o.outcome] > RANK[case.outcome] for u in terms)
                                             for t in live):
                found.add(("always-outranked", clause_id))
        for i, (a_id, a_case, a) in enumerate(cases):
            for b_id, b_case, b in cases[i + 1:]:
                if a and b and a_id != b_id and a_case.outcome and a_case.outcome == b_case.outcome and \
                        all(any(_implies(t, u, layout) for u in b) for t in a) and \
                        all(any(_implies(u, t, layout) for t in a) for u in b):
                    found.add(("decide-together", b_id))
    return found


def test_the_index_finds_what_comparing_every_pair_finds(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from synthetic import write_policy

    root = write_policy(tmp_path, 400, seed=3) / "policy"
    issues = lint_policy_dir(root, frozenset({"unread-value", "awaiting-board"}))
    indexed = {(i.code, Path(i.path).stem) for i in issues}
    assert indexed == _pairwise(root)
    assert {code for code, _ in indexed} == {"decide-together"}  # the synthetic rules overlap


@pytest.mark.parametrize("case", sorted(p.name for p in LINT.iterdir() if p.is_dir()))
def test_the_index_agrees_on_every_fixture(case: str, make_policy: MakePolicy) -> None:
    root = make_policy(LINT / case)
    issues = lint_policy_dir(root, frozenset({"unread-value", "awaiting-board", "never-applies"}))
    assert {(i.code, Path(i.path).stem) for i in issues} == _pairwise(root)

"""The editors' tooling: the pre-commit hooks and the pull-request workflow run the real checks,
and CONTRIBUTING.md explains each of them."""

from __future__ import annotations

import yaml

from conftest import PROJECT_ROOT
from policykit.interfaces.cli import build_parser


def test_pre_commit_runs_validate_lint_coverage_ruff_and_mypy():
    config = yaml.safe_load((PROJECT_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert entries == [".venv/bin/policykit validate", ".venv/bin/policykit lint", ".venv/bin/policykit coverage",
                       ".venv/bin/ruff check", ".venv/bin/mypy"]


def test_make_test_runs_ruff_and_mypy_first():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "test: setup lint\n" in makefile
    lint = makefile.split("\nlint: setup\n", 1)[1].split("\n\n", 1)[0]
    assert lint.split("\n") == ["\t$(BIN)/ruff check src tests bench scripts", "\t$(BIN)/mypy"]


def test_the_pull_request_workflow_validates_tests_builds_and_diffs():
    workflow = yaml.safe_load((PROJECT_ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    commands = " ".join(step.get("run", "") for step in workflow["jobs"]["policy"]["steps"])
    for command in ("policykit validate", "policykit lint", 'scripts/pr-diff "origin/${{ github.base_ref }}"',
                    "bash .ci/run"):
        assert command in commands
    # the diff step is the script the tests run (tests/test_diff.py)
    assert "policykit\" diff \"$base\" HEAD" in (PROJECT_ROOT / "scripts" / "pr-diff").read_text(encoding="utf-8")
    assert "mkdocs build --strict" in (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")


def test_contributing_explains_every_check_and_command():
    text = (PROJECT_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for words in ("policykit validate", "policykit lint", "policykit coverage", "policykit mutate", "policykit diff",
                  "mkdocs serve", "add a version", "awaits board confirmation", "make lint", "ruff check",
                  "mypy"):
        assert words in text, words
    commands = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001 - the parser's own commands
    assert {"validate", "lint", "diff", "coverage", "mutate", "phrases"} <= set(commands)


def test_nothing_in_the_repository_points_at_a_file_outside_it():
    """The repository explains itself: no tracked file cites the product specification kept
    outside it (by its name and a section sign) or a path of the machine it was written on;
    docs/semantics.md is where the semantics live."""
    import subprocess

    listed = subprocess.run(["git", "-C", str(PROJECT_ROOT), "ls-files"], check=True, capture_output=True,
                            text=True).stdout.splitlines()
    outside = ["SPEC" + " §", "SPEC" + ".md", "/" + "work/", "/" + "home/", "/" + "tmp/"]
    found = []
    for name in listed:
        path = PROJECT_ROOT / name
        if not path.is_file() or path.suffix in (".png", ".ico", ".woff2", ".gz"):
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        found += [f"{name}: {words}" for words in outside if words in text]
    assert found == []
    assert (PROJECT_ROOT / "docs" / "semantics.md").is_file()

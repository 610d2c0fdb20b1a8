"""Shared fixtures: the shipped policy, and small policy directories built from the minimal
fixture with an overlay of replaced or added files (see tests/fixtures/)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["policykit.authoring.bdd"]

from policykit.core.loader import load_policy_dir
from policykit.core.model import PolicyDocument

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
BROKEN = FIXTURES / "broken"
BROKEN_CASES = sorted(path.name for path in BROKEN.iterdir() if path.is_dir())

MakePolicy = Callable[..., Path]


@pytest.fixture(scope="session", autouse=True)
def snapshot_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """The command line's compiled-policy snapshots (policykit.core.snapshot), in process and in
    subprocesses alike, go to a temporary directory for the session, never to ~/.cache."""
    directory = tmp_path_factory.mktemp("policykit-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYKIT_CACHE_DIR", str(directory))
        yield directory


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def policy_root() -> Path:
    """The shipped policy directory."""
    return PROJECT_ROOT / "policy"


@pytest.fixture(scope="session")
def policy(policy_root: Path) -> PolicyDocument:
    """The shipped policy, loaded once."""
    return load_policy_dir(policy_root)


def expected_lines(case: str) -> list[str]:
    """The exact output lines a broken fixture must give."""
    return (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def make_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakePolicy:
    """``make_policy(overlay=None)``: copy the minimal policy to a temporary directory, lay the
    overlay's files over it (an overlay is a directory, or a mapping of relative path to text or
    bytes), change into it and return it, so that reported paths are relative to its root."""

    def make(overlay: Path | dict[str, str | bytes] | None = None) -> Path:
        root = tmp_path / "policy"
        shutil.copytree(MINIMAL, root)
        if isinstance(overlay, Path):
            shutil.copytree(overlay, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
        elif overlay:
            for relative, content in overlay.items():
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, bytes):
                    target.write_bytes(content)
                else:
                    target.write_text(content, encoding="utf-8")
        monkeypatch.chdir(root)
        return root

    return make

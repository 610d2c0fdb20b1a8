"""Shared fixtures: the shipped policy, and small policy directories built from the minimal
fixture with an overlay of replaced or added files (see tests/fixtures/)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
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


@pytest.fixture(scope="session")
def worked_amendment(tmp_path_factory: pytest.TempPathFactory):
    """The worked amendment (tests/fixtures/amendments/) laid over a copy of the shipped policy and
    its scenarios, as an editor would, and its review against the shipped policy from the day
    before it takes effect (each compared date's diff over the whole request space, the changed
    questions and the sentences). Computed once per session: it is the suite's costliest
    computation, and several test modules read it."""
    from datetime import timedelta

    from amend import amend_worked
    from policykit.authoring import diff, review
    from policykit.core.api import load_policy

    root = tmp_path_factory.mktemp("worked-amendment")
    shutil.copytree(PROJECT_ROOT / "policy", root / "policy")
    shutil.copytree(PROJECT_ROOT / "features", root / "features")
    effective = date.fromisoformat(amend_worked(root / "policy", root / "features"))
    day = effective - timedelta(days=1)
    old = diff.Side("main", load_policy(PROJECT_ROOT / "policy"), day)
    new = diff.Side("amend", load_policy(root / "policy"), day)
    reviewed = review.review(old, new, features=root / "features")
    return Amended(root, effective, old, new, reviewed)


@dataclass(frozen=True)
class Amended:
    """An amended copy of the policy (``root`` holds ``policy/`` and ``features/``), its sides and its review."""

    root: Path
    effective: date
    old: object  # authoring.diff.Side
    new: object
    review: object  # authoring.review.Review

    def dated(self, day: date):
        """The review of one compared date."""
        return next(d for d in self.review.dates if d.day == day)

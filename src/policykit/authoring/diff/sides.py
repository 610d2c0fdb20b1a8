"""The two sides of a diff: a directory of policy files, a git revision of the project's own
``policy/`` (checked out with ``git archive`` and extracted), or a date."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from policykit.core.api import Policy, load_policy
from policykit.core.request import valid_date


@dataclass(frozen=True)
class Side:
    """One side of a diff: a policy and the date its clauses are read on."""

    label: str
    policy: Policy
    day: date
    pinned: bool = False  # the date was asked for: compare that date only


def resolve_side(spec: str, *, project_policy: Path, repo: Path, default_day: date, pinned: bool = False) -> Side:
    """A directory of policy files, a date (the project's policy on that day), or a git revision.
    ``default_day`` is the caller's today: library code never reads the clock."""
    day = default_day
    if valid_date(spec):
        return Side(spec, load_policy(project_policy), date.fromisoformat(spec), True)
    path = Path(spec)
    if path.is_dir():
        return Side(spec, load_policy(path / "policy" if (path / "policy" / "policy.yaml").is_file() else path), day,
                    pinned)
    return Side(spec, load_policy(_checkout(spec, project_policy, repo)), day, pinned)


def _checkout(revision: str, project_policy: Path, repo: Path) -> Path:
    """The project's policy/ directory as it was at a git revision, extracted to a temporary directory."""
    relative = project_policy.resolve().relative_to(repo.resolve())
    target = Path(tempfile.mkdtemp(prefix="policykit-diff-"))
    archive = target / "policy.tar"
    done = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", "-o", str(archive), revision, "--",
                           str(relative)], capture_output=True, text=True)
    if done.returncode != 0:
        raise ValueError(f"'{revision}' is neither a policy directory, a date (YYYY-MM-DD) nor a git revision "
                         f"of {repo}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'git failed'}")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / relative


def comparison_dates(old: Side, new: Side) -> list[date]:
    """The sides' day, and every later date on which the versions in force change on either side."""
    later = {d for side in (old, new) for d in side.policy.document.effective_dates() if d > old.day}
    return [old.day, *sorted(later)]

"""Build the staff site into a temporary directory: the pages with ``policykit site build``, then
``mkdocs build --strict`` with the project's mkdocs.yml pointed at them. The build reads the one
clock at the edge; ``today`` pins it (``POLICYKIT_TODAY``) and ``policy`` builds another policy
directory (an amended copy)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

from conftest import PROJECT_ROOT


def build_site(work: Path, *, policy: Path | None = None, today: date | None = None) -> Path:
    """Build into ``work``; returns the directory of the rendered HTML site."""
    docs, site = work / "docs", work / "site"
    python = Path(sys.executable)
    env = dict(os.environ)
    if today is not None:
        env["POLICYKIT_TODAY"] = today.isoformat()
    command = [str(python), "-m", "policykit", "site", "build", "--out", str(docs)]
    if policy is not None:
        command += ["--policy", str(policy)]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    config = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs), site_dir=str(site),
                  hooks=[str(PROJECT_ROOT / hook) for hook in config.get("hooks", ())])
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    done = subprocess.run([str(python.parent / "mkdocs"), "build", "--strict", "-f", str(config_file)],
                          cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return site

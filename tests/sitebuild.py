"""Build the staff site once per test session into a temporary directory: the pages with
``policykit site build``, then ``mkdocs build --strict`` with the project's mkdocs.yml pointed at
them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from conftest import PROJECT_ROOT


def build_site(work: Path) -> Path:
    """Build into ``work``; returns the directory of the rendered HTML site."""
    docs, site = work / "docs", work / "site"
    python = Path(sys.executable)
    subprocess.run([str(python), "-m", "policykit", "site", "build", "--out", str(docs)], check=True,
                   cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    config = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs), site_dir=str(site))
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    done = subprocess.run([str(python.parent / "mkdocs"), "build", "--strict", "-f", str(config_file)],
                          cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return site

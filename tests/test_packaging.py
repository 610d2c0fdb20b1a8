"""The distribution: built as a wheel with the project's own build backend, installed into a
fresh virtual environment, and working there from the data it carries, away from the checkout.

Offline and quick: the wheel is built without build isolation (hatchling is a test dependency),
installed with --no-deps --no-index, and the new environment reaches the dependencies already
installed beside this interpreter through a .pth file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import policykit
from conftest import PROJECT_ROOT
from policykit.publishing.browser import SCRIPTS
from policykit.publishing.rego import bundle_files
from policykit.publishing.rego.templates import TEMPLATES

DISTRIBUTION = "ledyard-policykit"


def test_the_distribution_has_its_own_name_and_keeps_the_import_name():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION  # "policykit" on the package index is another project
    assert project["scripts"] == {"policykit": "policykit.interfaces.cli:main"}


def test_the_wheel_installs_into_a_fresh_environment_and_validates_from_its_own_data(tmp_path):
    clean = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "--wheel-dir", str(wheels), str(PROJECT_ROOT)], check=True, timeout=120, env=clean,
                   cwd=tmp_path, capture_output=True, text=True)
    [wheel] = wheels.glob("*.whl")
    assert wheel.name.startswith("ledyard_policykit-")
    names = zipfile.ZipFile(wheel).namelist()
    assert "policykit/_data/policy/policy.yaml" in names and "policykit/_data/schema/request.schema.json" in names
    assert "policykit/_data/schema/messages.yaml" in names  # the words of the answers
    assert "policykit/_data/questions/readings.yaml" in names  # the ids reading tags name
    # The browser's scripts, which the site build copies into the site, and the Rego templates.
    assert {name.rsplit("/", 1)[1] for name in names if name.startswith("policykit/publishing/browser/")} == \
        {"__init__.py", *SCRIPTS}
    assert {name.rsplit("/", 1)[1] for name in names if name.startswith("policykit/publishing/rego/")
            and name.endswith(".rego")} == set(TEMPLATES)
    assert not [name for name in names if name.startswith(("site/", "build/", ".venv/", "policykit/_data/site"))]

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60, env=clean)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--quiet", str(wheel)], check=True, timeout=120, env=clean, capture_output=True, text=True)
    # The dependencies: the ones installed for this interpreter, reached through a .pth file
    # (which does not run that directory's own .pth files, so its editable policykit stays out).
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True, env=clean).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    where = subprocess.run([str(python), "-c", "import importlib.metadata, policykit; "
                            "print(policykit.__file__); print(importlib.metadata.version('ledyard-policykit'))"],
                           check=True, capture_output=True, text=True, cwd=outside, env=clean).stdout.split()
    assert Path(where[0]).is_relative_to(venv) and where[1] == "0.1.0"
    validated = subprocess.run([str(python), "-m", "policykit", "validate", "--format", "json"], capture_output=True,
                               text=True, cwd=outside, env=clean, timeout=60)
    assert validated.returncode == 0, validated.stderr
    report = json.loads(validated.stdout)
    assert report["valid"] and Path(report["policy_dir"]).is_relative_to(venv)
    assert "_data" in Path(report["policy_dir"]).parts
    decided = subprocess.run([str(venv / "bin" / "policykit"), "decide", "-", "--format", "json"],
                             input='{"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", '
                                   '"audience": ["student"], "purpose": "personal", "as_of": "2026-01-05"}',
                             capture_output=True, text=True, cwd=outside, env=clean, timeout=60)
    assert decided.returncode == 0, decided.stderr
    assert json.loads(decided.stdout)["outcome"] == "prohibited"
    # The Rego templates are read from the installed package: the same bundle as from the checkout.
    exported = subprocess.run([str(venv / "bin" / "policykit"), "export", "rego", "bundle"], capture_output=True,
                              text=True, cwd=outside, env=clean, timeout=120)
    assert exported.returncode == 0, exported.stderr
    expected = bundle_files(policykit.load_policy())
    assert {path.relative_to(outside / "bundle").as_posix(): path.read_bytes()
            for path in (outside / "bundle").rglob("*") if path.is_file()} == expected
    # Installed, there is no project root: serve has no site of its own to find.
    no_site = subprocess.run([str(python), "-c", "from policykit.core.paths import project_site_dir; "
                              "print(project_site_dir())"], capture_output=True, text=True, cwd=outside, env=clean)
    assert no_site.stdout.strip() == "None"

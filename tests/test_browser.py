"""The browser scripts (``policykit.publishing.browser``): every script the package holds is
named, copied into a site's ``assets/`` byte for byte, and loaded by the site (mkdocs.yml), or by
the redirect pages of folder URLs (``folder.js``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_ROOT
from policykit.publishing.browser import SCRIPTS, copy_scripts, script_text


def test_every_script_of_the_package_is_named() -> None:
    package = files("policykit.publishing.browser")
    assert sorted(entry.name for entry in package.iterdir() if entry.name.endswith(".js")) == list(SCRIPTS)


def test_the_scripts_are_copied_byte_for_byte(tmp_path: Path) -> None:
    assets = tmp_path / "site" / "assets"
    written = copy_scripts(assets)
    assert written == [assets / name for name in SCRIPTS]
    package = files("policykit.publishing.browser")
    assert {path.name: path.read_bytes() for path in assets.iterdir()} == \
        {name: package.joinpath(name).read_bytes() for name in SCRIPTS}
    assert script_text("policykit.js") == (assets / "policykit.js").read_text(encoding="utf-8")


def test_a_name_that_is_not_a_script_is_refused() -> None:
    with pytest.raises(ValueError, match="policy.css is not one of the browser scripts"):
        script_text("policy.css")


def test_the_site_loads_every_script() -> None:
    """mkdocs.yml loads each script on every page (search.js before the theme's bundle); the site
    build writes folder.js's one user, the redirect page of each folder URL."""
    config = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    loaded = [*config["extra_javascript"], *config["extra"]["polyfills"]]
    assert sorted(name.removeprefix("assets/") for name in loaded if name != "assets/ask-data.js") == \
        sorted(set(SCRIPTS) - {"folder.js"})

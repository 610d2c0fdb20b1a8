"""Every scenario under features/, bound by pytest-bdd through the policykit.authoring.bdd plugin."""

from __future__ import annotations

from pytest_bdd import scenarios

from conftest import PROJECT_ROOT

scenarios(str(PROJECT_ROOT / "features"))

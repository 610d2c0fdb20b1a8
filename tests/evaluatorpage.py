"""A bare page holding the browser's evaluator (docs/assets/policykit.js) and a policy's generated
data, for the tests that ask the browser what Python answers."""

from __future__ import annotations

from pathlib import Path

from conftest import PROJECT_ROOT
from policykit.core.api import Policy
from policykit.publishing.ask import ask_script

INTERPRETER = PROJECT_ROOT / "docs" / "assets" / "policykit.js"


def write_evaluator_page(policy: Policy, where: Path, data_script: str | None = None) -> Path:
    """Write the page, its data (the policy's, or ``data_script``) and the interpreter into
    ``where`` (created); return the page."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "data.js").write_text(data_script if data_script is not None else ask_script(policy), encoding="utf-8")
    (where / "policykit.js").write_text(INTERPRETER.read_text(encoding="utf-8"), encoding="utf-8")
    page = where / "index.html"
    page.write_text('<!doctype html><meta charset="utf-8"><title>evaluator</title>'
                    '<script src="data.js"></script><script src="policykit.js"></script>', encoding="utf-8")
    return page

"""A bare page holding the browser's evaluator (``policykit.js`` of ``policykit.publishing.browser``)
and a policy's generated data, for the tests that ask the browser what Python answers."""

from __future__ import annotations

from pathlib import Path

from policykit.core.api import Policy
from policykit.publishing.ask import ask_script
from policykit.publishing.browser import script_text


def write_evaluator_page(policy: Policy, where: Path, data_script: str | None = None) -> Path:
    """Write the page, its data (the policy's, or ``data_script``) and the interpreter into
    ``where`` (created); return the page."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "data.js").write_text(data_script if data_script is not None else ask_script(policy), encoding="utf-8")
    (where / "policykit.js").write_text(script_text("policykit.js"), encoding="utf-8")
    page = where / "index.html"
    page.write_text('<!doctype html><meta charset="utf-8"><title>evaluator</title>'
                    '<script src="data.js"></script><script src="policykit.js"></script>', encoding="utf-8")
    return page

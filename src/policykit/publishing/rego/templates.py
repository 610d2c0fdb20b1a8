"""The Rego written by hand: the ``.rego`` templates of this package, read as package resources.

Each template is a Rego module of its own (it parses as it stands) with one line, a comment that
starts with ``MARKER``, where the export puts the rules it generates for the policy at hand:

* ``select.rego``: ``data.policykit.decision``, the date and the period that answers (one
  generated rule per period);
* ``decision.rego``: one period's decision (generated: the cases at stake, one rule per outcome);
* ``stakes.rego``: the outcomes a request's completions give (generated: one rule per variable
  forwards and one backwards)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

MARKER = "# @generated"
"""How the line the generated rules replace begins."""

TEMPLATES = ("decision.rego", "select.rego", "stakes.rego")
"""Every template, by file name."""


@cache
def template(name: str) -> str:
    """The text of one of the ``TEMPLATES``."""
    if name not in TEMPLATES:
        raise ValueError(f"{name} is not one of the Rego templates: {', '.join(TEMPLATES)}")
    return files("policykit.publishing.rego").joinpath(name).read_text(encoding="utf-8")


def fill(name: str, generated: list[str]) -> str:
    """The template ``name`` with its ``MARKER`` line replaced by the ``generated`` lines."""
    lines = template(name).split("\n")
    found = [n for n, line in enumerate(lines) if line.startswith(MARKER)]
    if len(found) != 1:
        raise ValueError(f"the Rego template {name} must have one line that starts with {MARKER!r}, "
                         f"it has {len(found)}")
    lines[found[0]] = "\n".join(generated)
    return "\n".join(lines)

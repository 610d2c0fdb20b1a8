"""The staff site's browser scripts, kept here beside the Python that writes their data.

``policykit.js`` is the evaluator (it decides offline from what ``policykit.publishing.ask``
writes into ``assets/ask-data.js``), ``understand.js`` reads a question typed in everyday words,
``ask.js`` is the Ask page's interview, ``search.js`` the site's search (run inside the theme's
search worker; ``policykit.publishing.sitesearch`` inlines it for pages opened from disk),
``folder.js`` the redirect of a folder URL to its page and ``a11y.js`` the accessibility fixes
of the theme's markup. The site build copies them into the site's ``assets/``, where mkdocs.yml
lists them; the tests read them from here."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SCRIPTS = ("a11y.js", "ask.js", "folder.js", "policykit.js", "search.js", "understand.js")
"""Every script, by file name."""


def script_text(name: str) -> str:
    """The text of one of the ``SCRIPTS``."""
    if name not in SCRIPTS:
        raise ValueError(f"{name} is not one of the browser scripts: {', '.join(SCRIPTS)}")
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def copy_scripts(assets: Path) -> list[Path]:
    """Write every script into ``assets`` (created if needed), byte for byte; returns the files."""
    assets.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCRIPTS:
        target = assets / name
        target.write_bytes(files(__name__).joinpath(name).read_bytes())
        written.append(target)
    return written

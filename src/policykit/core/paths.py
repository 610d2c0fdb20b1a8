"""Where the shipped policy and schemas live: beside the package when installed from a wheel,
at the project root when run from a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # src/policykit, above core/
_PROJECT_ROOT = _PACKAGE.parent.parent


def _data_dir(name: str) -> Path:
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PROJECT_ROOT / name


def schema_dir() -> Path:
    """The directory holding the JSON Schemas (policy, clause, request, decision)."""
    return _data_dir("schema")


def default_policy_dir() -> Path:
    """The project's own policy directory."""
    return _data_dir("policy")


def default_features_dir() -> Path:
    """The project's Gherkin scenarios."""
    return _data_dir("features")


def default_questions_dir() -> Path:
    """The staff question corpus (questions/)."""
    return _data_dir("questions")


def project_docs_dir() -> Path:
    """The hand-written pages of the staff site."""
    return _data_dir("docs")


def project_site_dir() -> Path | None:
    """The staff site as ``make run`` builds it, the project root's ``site/``, when running from a
    checkout; None from an installed wheel, which ships no site."""
    if (_PACKAGE / "_data").is_dir() or not (_PROJECT_ROOT / "pyproject.toml").is_file():
        return None
    return _PROJECT_ROOT / "site"


def project_mkdocs_file() -> Path | None:
    """The staff site's configuration (mkdocs.yml) in a checkout; None from an installed wheel."""
    if (_PACKAGE / "_data").is_dir() or not (_PROJECT_ROOT / "mkdocs.yml").is_file():
        return None
    return _PROJECT_ROOT / "mkdocs.yml"

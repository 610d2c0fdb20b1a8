"""The list of readings: ``questions/readings.yaml``, the ways of reading the policy's text that
the clauses encode where the text allows several, each with a stable id.

Scenarios pin a reading with ``@reading:<id>``, questions of the corpus list it under
``readings:``, and a condition that a reading added to a rule carries its id (``reading:`` in the
clause YAML; ``policykit.core.conditions``). Only the ids are read here; whether a reading is
confirmed is its clause's interpretation's ``status``, declared once in the clause file."""

from __future__ import annotations

from pathlib import Path

from policykit.core.errors import PolicyIssue
from policykit.core.paths import default_questions_dir

READINGS_FILE = "readings.yaml"


def readings_file(policy_root: Path | str | None = None) -> Path:
    """The readings list for a policy directory: ``questions/readings.yaml`` beside it (a checkout
    or a copy of the project), else the project's own."""
    if policy_root is not None:
        beside = Path(policy_root).parent / "questions" / READINGS_FILE
        if beside.is_file():
            return beside
    return default_questions_dir() / READINGS_FILE


def read_reading_ids(path: Path | str, display: str | None = None) -> tuple[tuple[str, ...], list[PolicyIssue]]:
    """The reading ids a readings list declares (a mapping whose ``readings`` is a list of
    mappings, each with an ``id``), and every problem found in it."""
    from policykit.core.yamlfile import read_yaml  # deferred: the YAML reader (12 ms), only to read the list

    path = Path(path)
    document, issues = read_yaml(path, display or str(path))
    if document is None or issues:
        return (), issues
    entries = document.data.get("readings") if isinstance(document.data, dict) else None
    if not isinstance(entries, list):
        return (), [document.issue((), "a readings list is a mapping whose 'readings' is a list", "readings")]
    ids: list[str] = []
    for index, entry in enumerate(entries):
        reading_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(reading_id, str) or not reading_id:
            issues.append(document.issue(("readings", index), "each reading needs an 'id'", "readings"))
        elif reading_id in ids:
            issues.append(document.issue(("readings", index, "id"), f"the reading '{reading_id}' is listed twice",
                                         "readings"))
        else:
            ids.append(reading_id)
    return tuple(ids), issues

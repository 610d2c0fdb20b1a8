"""The words policykit answers in: ``schema/messages.yaml``, read once and checked against
``schema/messages.schema.json``.

Every sentence of a decision's explanation and every outcome word lives in that one file. The
engine writes explanations with it (``Program.messages``), the command line and the staff site
print its outcome words, and the browser's data and the OPA bundle's ``data.json`` carry it as
``Messages.to_data()`` gives it, so that a wording change is one edit.

A sentence names the values it is filled with in braces (``{clauses}``); it is kept as its
*parts*, literal text and value names alternating (``["Not yet: first ", "duties", "."]``), the
form the browser's interpreter and the Rego bundle fill as ``Messages.fill`` does."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from policykit.core.values import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from policykit.core.errors import PolicyError, PolicyIssue
from policykit.core.paths import schema_dir

MESSAGES_FILE = "messages.yaml"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def split_sentence(template: str) -> tuple[str, ...]:
    """A sentence's parts: literal text at even indexes, the names of the values at odd ones."""
    return tuple(_PLACEHOLDER.split(template))


@dataclass(frozen=True)
class OutcomeWords:
    """One outcome in words: ``word`` for staff, ``short`` inside a sentence, ``headline`` for the
    command line, ``verdict`` the explanation's opening (None for undetermined)."""

    word: str
    short: str
    headline: str
    verdict: str | None = None


@dataclass(frozen=True)
class Messages:
    """The outcome words and the explanation's sentences (as parts), as declared in
    ``schema/messages.yaml``."""

    outcomes: Mapping[str, OutcomeWords]
    sentences: Mapping[str, tuple[str, ...]]
    duties: Mapping[str, tuple[str, ...]]  # met, unmet, unknown
    reading_status: Mapping[str, str]  # proposed, confirmed, answer_awaiting
    lists: Mapping[str, Any]  # clauses: {separator, last}; duties, possible, missing, readings: str

    def fill(self, name: str, **values: str) -> str:
        """The sentence ``name`` with its values filled in."""
        return _fill(self.sentences[name], values)

    def duty(self, met: bool | None, text: str) -> str:
        """An obligation in words by its state (``met``)."""
        state = "unknown" if met is None else "met" if met else "unmet"
        return _fill(self.duties[state], {"duty": text})

    def word(self, outcome: str) -> str:
        """The staff-facing word for an outcome ("Permitted", "Allowed, but discouraged", …)."""
        return self.outcomes[outcome].word

    def clause_names(self, names: Sequence[str]) -> str:
        """Clause names joined as the sentences join them ("A, B and C")."""
        joins = self.lists["clauses"]
        if len(names) <= 1:
            return "".join(names)
        return joins["separator"].join(names[:-1]) + joins["last"] + names[-1]

    def to_data(self) -> dict[str, Any]:
        """The messages as JSON-ready data for the browser and the bundle: the same keys as the
        YAML file, each sentence as its parts: literal text as strings, each value to fill in as
        ``{"value": name}``."""
        return {
            "outcomes": {name: {key: value for key, value in (("word", words.word), ("short", words.short),
                                                              ("headline", words.headline),
                                                              ("verdict", words.verdict)) if value is not None}
                         for name, words in self.outcomes.items()},
            "sentences": {name: _data_parts(parts) for name, parts in self.sentences.items()},
            "duties": {name: _data_parts(parts) for name, parts in self.duties.items()},
            "reading_status": dict(self.reading_status),
            "lists": {name: dict(value) if isinstance(value, Mapping) else value for name, value in self.lists.items()},
        }


def _data_parts(parts: tuple[str, ...]) -> list[object]:
    return [part if i % 2 == 0 else {"value": part} for i, part in enumerate(parts) if part or i % 2]


def _fill(parts: tuple[str, ...], values: Mapping[str, str]) -> str:
    return "".join(part if i % 2 == 0 else values[part] for i, part in enumerate(parts))


def messages_path(directory: Path | None = None) -> Path:
    """Where the messages are declared: ``schema/messages.yaml`` beside the schemas."""
    return (directory or schema_dir()) / MESSAGES_FILE


def check_messages(path: Path | None = None, display: str | None = None) -> tuple[Messages | None, list[PolicyIssue]]:
    """Read and check the messages file: the messages, or None and every problem found
    (``file:line:col``)."""
    from policykit.core.schemaerrors import schema_issues
    from policykit.core.yamlfile import read_yaml

    path = path or messages_path()
    document, issues = read_yaml(path, display or str(path))
    if document is None:
        return None, issues
    if document.data is None:
        return None, [*issues, PolicyIssue(document.path, 1, 1, "the file is empty", "empty-file")]
    issues += list(schema_issues(document, "messages"))
    if issues:
        return None, issues
    return build_messages(document.data), []


def build_messages(data: Mapping[str, Any]) -> Messages:
    """Messages from data that ``schema/messages.schema.json`` accepts."""
    return Messages(
        outcomes={name: OutcomeWords(words["word"], words["short"], words["headline"], words.get("verdict"))
                  for name, words in data["outcomes"].items()},
        sentences={name: split_sentence(text) for name, text in data["sentences"].items()},
        duties={name: split_sentence(text) for name, text in data["duties"].items()},
        reading_status=dict(data["reading_status"]),
        lists={name: dict(value) if isinstance(value, Mapping) else value for name, value in data["lists"].items()},
    )


def load_messages(path: Path | None = None) -> Messages:
    """The project's messages (or those of ``path``); ``PolicyError`` with every problem if the
    file is not valid. Read once per version of the file (its path, size and modification time)."""
    path = path or messages_path()
    try:
        info = path.stat()
        stamp = (str(path.resolve()), info.st_size, info.st_mtime_ns)
    except OSError:
        stamp = (str(path), -1, -1)
    return _load(stamp, path)


@cache
def _load(stamp: tuple[str, int, int], path: Path) -> Messages:
    messages, issues = check_messages(path)
    if messages is None:
        raise PolicyError(issues)
    return messages

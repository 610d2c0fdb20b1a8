"""The request vocabulary, read from ``schema/request.schema.json``: every fact a request can
state, its kind, and its allowed values with their plain-English descriptions. The rule
checker, the request validator, the scenario phrases and the site all read it from here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from .schemaerrors import load_schema

FactKind = Literal["choice", "list", "boolean", "object", "date"]


@dataclass(frozen=True)
class Value:
    """One allowed value of a fact."""

    name: str
    title: str
    description: str
    phrase: str = ""  # the words scenarios use to state this value


@dataclass(frozen=True)
class Fact:
    """One fact of a request, addressed by a dotted path (``channel``, ``site.approved``)."""

    path: str
    kind: FactKind
    description: str
    values: tuple[Value, ...] = ()
    required: bool = False
    phrases: tuple[tuple[str, str], ...] = ()  # for yes/no facts, objects and dates: (case, words)
    definition: str = ""  # the schema's $defs entry holding the values, if any

    @property
    def pointer(self) -> str:
        """The JSON pointer of the fact inside a request."""
        return "/" + self.path.replace(".", "/")

    @property
    def value_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.values)


@dataclass(frozen=True)
class Vocabulary:
    """All facts of the request schema, in schema order."""

    facts: tuple[Fact, ...]

    def get(self, path: str) -> Fact | None:
        return self._index().get(path)

    def __getitem__(self, path: str) -> Fact:
        return self._index()[path]

    def names(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.facts)

    def _index(self) -> dict[str, Fact]:
        index = self.__dict__.get("_by_path")
        if index is None:
            index = {f.path: f for f in self.facts}
            object.__setattr__(self, "_by_path", index)
        return index


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary of the project's request schema."""
    return vocabulary_from_schema(load_schema("request"))


def vocabulary_from_schema(schema: dict) -> Vocabulary:
    """Build the vocabulary from a request schema (as a parsed JSON object)."""
    defs = schema.get("$defs", {})

    def resolve(node: dict) -> dict:
        if "$ref" in node:
            target = dict(defs[node["$ref"].rsplit("/", 1)[-1]])
            target.update({k: v for k, v in node.items() if k != "$ref"})
            return target
        return node

    def values_of(node: dict) -> tuple[Value, ...]:
        return tuple(Value(b["const"], b.get("title", b["const"]), b.get("description", ""), b.get("x-phrase", ""))
                     for b in node.get("oneOf", ()))

    facts: list[Fact] = []

    def walk(properties: dict, required: list[str], prefix: str) -> None:
        for name, raw in properties.items():
            node = resolve(raw)
            path = prefix + name
            description = node.get("description", "")
            is_required = name in required
            phrases = tuple(node.get("x-phrases", {}).items())
            if node.get("type") == "object":
                facts.append(Fact(path, "object", description, required=is_required, phrases=phrases))
                walk(node.get("properties", {}), node.get("required", []), path + ".")
            elif node.get("type") == "array":
                items = resolve(node["items"])
                facts.append(Fact(path, "list", description, values_of(items), is_required,
                                  definition=node["items"].get("$ref", "").rsplit("/", 1)[-1]))
            elif node.get("type") == "boolean":
                facts.append(Fact(path, "boolean", description, required=is_required, phrases=phrases))
            elif node.get("format") == "date":
                facts.append(Fact(path, "date", description, required=is_required, phrases=phrases))
            else:
                facts.append(Fact(path, "choice", description, values_of(node), is_required,
                                  definition=raw.get("$ref", "").rsplit("/", 1)[-1]))

    walk(schema["properties"], schema.get("required", []), "")
    return Vocabulary(tuple(facts))

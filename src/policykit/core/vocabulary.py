"""The request vocabulary, read from ``schema/request.schema.json``: every fact a request can
state, its kind, and its allowed values with their plain-English descriptions. The rule
checker, the request validator, the scenario phrases and the site all read it from here."""

from __future__ import annotations

from policykit.core.values import dataclass, replace
from functools import cache
from typing import Literal

from policykit.core.schemaerrors import load_schema

FactKind = Literal["choice", "list", "boolean", "object", "date"]


@dataclass(frozen=True)
class Value:
    """One allowed value of a fact."""

    name: str
    title: str
    description: str
    phrase: str = ""  # the words scenarios use to state this value
    read_as: "ReadAs | None" = None  # how rules read this value in some cases (x-read-as)
    instead: str = ""  # x-instead: the words for switching to this value (for a list item: leaving it out)
    instead_of: str = ""  # x-instead-of: the words naming this value when it is replaced
    district_route: bool = False  # x-district-route: the District's own route (account, device)
    channels: tuple[str, ...] = ()  # x-channels, for an action: the channels it can go by


@dataclass(frozen=True)
class ReadAs:
    """A value that every rule reads as another value unless a condition holds (``x-read-as``):
    ``purpose: counseling`` is read as ``personal`` unless ``actor.role`` is ``school_counselor``."""

    value: str
    unless_fact: str
    unless_value: str
    explanation: str


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
    when_missing: str = ""  # x-when-missing: unknown, false, empty, no-site, today ("" for a required fact)
    controllable: bool = False  # x-controllable: an alternative may change it (the employee controls it)
    instead: str = ""  # x-instead, for a yes/no fact: the words for making it true
    synonyms: tuple[str, ...] = ()  # x-synonyms on the fact: staff's everyday words for it (seen_by: "followers")

    @property
    def open(self) -> bool:
        """Whether a missing value is unknown (open) rather than none or no (closed)."""
        return self.when_missing == "unknown"

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

    def read_as_rules(self) -> tuple[tuple[str, Value], ...]:
        """Every (fact path, value) whose value carries an ``x-read-as``, in schema order."""
        return tuple((f.path, v) for f in self.facts for v in f.values if v.read_as is not None)

    def names(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.facts)

    def _index(self) -> dict[str, Fact]:
        index = self.__dict__.get("_by_path")
        if index is None:
            index = {f.path: f for f in self.facts}
            object.__setattr__(self, "_by_path", index)
        return index


WHEN_MISSING = ("unknown", "false", "empty", "no-site", "today")
"""What a missing optional fact can mean (``x-when-missing`` in the request schema)."""


def item_phrase(template: str, title: str) -> str:
    """The words a list fact's ``x-item-phrase`` gives one of its values: ``{title}`` replaced by
    the value's title (``"{title} can see it"`` and ``a student``: ``a student can see it``)."""
    return " ".join(template.replace("{title}", title).split())


def _read_as(data: dict | None) -> ReadAs | None:
    if not data:
        return None
    unless = data["unless"]
    return ReadAs(data["value"], unless["fact"], unless["is"], data["explanation"])


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
        return tuple(Value(b["const"], b.get("title", b["const"]), b.get("description", ""), b.get("x-phrase", ""),
                           _read_as(b.get("x-read-as")), b.get("x-instead", ""), b.get("x-instead-of", ""),
                           bool(b.get("x-district-route")), tuple(b.get("x-channels", ())))
                     for b in node.get("oneOf", ()))

    facts: list[Fact] = []

    def walk(properties: dict, required: list[str], prefix: str) -> None:
        for name, raw in properties.items():
            node = resolve(raw)
            path = prefix + name
            description = node.get("description", "")
            is_required = name in required
            phrases = tuple(node.get("x-phrases", {}).items())
            missing = raw.get("x-when-missing", node.get("x-when-missing", ""))
            extra = {"controllable": bool(raw.get("x-controllable", node.get("x-controllable"))),
                     "instead": raw.get("x-instead", node.get("x-instead", ""))}
            if not is_required and missing not in WHEN_MISSING:
                raise ValueError(f"request schema: {path} needs x-when-missing, one of: {', '.join(WHEN_MISSING)}")
            if missing not in ("", "unknown") and "oneOf" in node and node.get("type") is None:
                raise ValueError(f"request schema: {path} is a single choice, so a missing value can only be unknown "
                                 "(x-when-missing: unknown)")
            if node.get("type") == "object":
                facts.append(Fact(path, "object", description, required=is_required, phrases=phrases,
                                  when_missing=missing, **extra))
                walk(node.get("properties", {}), node.get("required", []), path + ".")
            elif node.get("type") == "array":
                items = resolve(node["items"])
                values = values_of(items)
                template = raw.get("x-item-phrase")
                if template:  # values shared with another fact, stated in this fact's own words
                    values = tuple(replace(v, phrase=item_phrase(template, v.title)) for v in values)
                facts.append(Fact(path, "list", description, values, is_required,
                                  definition=node["items"].get("$ref", "").rsplit("/", 1)[-1], when_missing=missing,
                                  synonyms=tuple(raw.get("x-synonyms", ())), **extra))
            elif node.get("type") == "boolean":
                facts.append(Fact(path, "boolean", description, required=is_required, phrases=phrases,
                                  when_missing=missing, **extra))
            elif node.get("format") == "date":
                facts.append(Fact(path, "date", description, required=is_required, phrases=phrases,
                                  when_missing=missing, **extra))
            else:
                facts.append(Fact(path, "choice", description, values_of(node), is_required,
                                  definition=raw.get("$ref", "").rsplit("/", 1)[-1], when_missing=missing, **extra))

    walk(schema["properties"], schema.get("required", []), "")
    return Vocabulary(tuple(facts))

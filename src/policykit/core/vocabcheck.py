"""Completeness of the request vocabulary: every place a fact or a value of
``schema/request.schema.json`` must be described before the rest of the project can use it.

The schema's annotations feed many readers, and a missing one rarely fails loudly: a value
without a ``title`` is labelled by its code on the Ask page, one without an ``x-phrase`` cannot be
stated in a scenario, a controllable value without ``x-instead`` is offered as an alternative in
no words at all. ``vocabulary_issues`` names each such gap as a located issue
(``schema/request.schema.json:line:col: message``) at the fact or the value it concerns, so that
``policykit validate`` reports them all at once with the rest. The rules follow what the readers
read:

* every fact has a ``description`` (the glossary, the Ask page, the phrasebook's help);
* every optional fact has an ``x-when-missing`` the engine knows (a single choice: ``unknown``);
* a yes/no fact has ``x-phrases`` for ``true`` and ``false``, and no other case (scenarios,
  the Ask page's question); an optional group of facts has ``x-phrases`` ``given``;
* every value has a ``const``, a ``title`` (the Ask page's label), a ``description`` (the
  glossary), an ``x-phrase`` used by no other value (scenarios), and ``x-synonyms``, when given,
  as a list of words (the Ask page's reading of words and the site's search);
* a list fact that shares another fact's values (``seen_by`` has the audience's) states them in
  its own words with an ``x-item-phrase`` holding ``{title}`` (each value's words must still be
  used by no other value), and may give its everyday words as ``x-synonyms`` on the fact;
* on a fact marked ``x-controllable`` (alternatives): a yes/no fact has ``x-instead``, a value of
  a single choice has ``x-instead`` and ``x-instead-of``, an item of a list has ``x-instead``;
* every action has ``x-channels``, each a value of ``channel`` (the alternatives offer only an
  action's own channels);
* an ``x-read-as`` names a value of its own fact, a fact and one of its values, and says why.

Locations are found only when there is something to report: the schema is read as YAML (JSON is
YAML) by ``policykit.core.yamlfile``, which keeps every key's line and column."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.core.errors import PolicyIssue, did_you_mean
from policykit.core.vocabulary import WHEN_MISSING, Vocabulary, item_phrase, vocabulary_from_schema

if TYPE_CHECKING:
    from policykit.core.yamlfile import JsonPath


@dataclass(frozen=True)
class _Gap:
    """One problem, at a path of keys and indexes inside the schema (pointing at that key)."""

    path: JsonPath
    message: str
    code: str


def vocabulary_issues(path: Path, display: str | None = None) -> list[PolicyIssue]:
    """Every place the request schema at ``path`` leaves a fact or a value undescribed, located
    at the fact or the value, sorted; ``display`` is the file name the issues give."""
    return check_vocabulary(path, display)[1]


def check_vocabulary(path: Path, display: str | None = None) -> tuple[Vocabulary | None, list[PolicyIssue]]:
    """The vocabulary of the request schema at ``path`` and every gap in it. The vocabulary is
    None when the schema cannot be read, or when a gap leaves it without a meaning (a fact
    whose missing value means nothing); otherwise it is returned even with gaps to report."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror.lower() if isinstance(exc, OSError) and exc.strerror else "it is not UTF-8 text"
        return None, [PolicyIssue(name, 1, 1, f"cannot read the request schema: {reason}", "unreadable")]
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [PolicyIssue(name, exc.lineno, exc.colno, f"the request schema is not valid JSON: "
                                                               f"{exc.msg.lower()}", "syntax")]
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return None, [PolicyIssue(name, 1, 1, "the request schema has no properties: list the facts of a "
                                              "request under \"properties\"", "vocabulary")]
    gaps = list(_schema_gaps(schema))
    vocabulary = None
    try:
        vocabulary = vocabulary_from_schema(schema)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        if not gaps:  # each known way to fail is a gap above; anything else is still said
            gaps.append(_Gap((), f"the request schema cannot be read as a vocabulary: {exc}", "vocabulary"))
    return vocabulary, _locate(path, name, gaps)


def _schema_gaps(schema: dict[str, Any]) -> Iterator[_Gap]:
    """Every gap of a parsed request schema, with the path of the key it concerns."""
    walker = _Walker(schema)
    walker.walk(schema["properties"], schema.get("required", []), "", ("properties",))
    yield from walker.gaps
    yield from walker.cross_gaps()


@dataclass(frozen=True)
class _Fact:
    """A fact as the walk found it: its path, kind, key, and its named values."""

    path: str
    kind: str
    where: JsonPath  # the fact's key under properties
    values: tuple[tuple[dict[str, Any], JsonPath], ...] = ()  # (the value's entry, the path of its "const" key)
    phrases: tuple[tuple[str, str], ...] = ()  # a yes/no fact's or a group's x-phrases: (case, words)
    item_phrase: str = ""  # a list fact's x-item-phrase: its own words for values it shares
    own_phrases: bool = False  # the fact has an x-item-phrase (usable or not): its values' x-phrase is not its words

    @property
    def names(self) -> list[str]:
        return [branch["const"] for branch, _ in self.values]


class _Walker:
    """Walks the facts as ``vocabulary_from_schema`` does, noting each gap."""

    def __init__(self, schema: dict[str, Any]):
        defs = schema.get("$defs", {})
        self.defs = defs if isinstance(defs, dict) else {}
        self.gaps: list[_Gap] = []
        self.facts: list[_Fact] = []
        self.checked: set[JsonPath] = set()  # where values already checked live (seen_by shares the audience's)

    def gap(self, path: JsonPath, message: str, code: str) -> None:
        self.gaps.append(_Gap(path, message, code))

    def resolve(self, node: dict[str, Any], where: JsonPath, path: str) -> tuple[dict[str, Any], JsonPath] | None:
        """The node with its ``$ref`` followed (the reference's own keys winning), and where its
        values live; None (after noting the gap) for a reference to nothing."""
        if "$ref" not in node:
            return node, where
        ref = node["$ref"]
        name = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else ""
        target = self.defs.get(name)
        if not isinstance(ref, str) or not ref.startswith("#/$defs/") or not isinstance(target, dict):
            self.gap(where + ("$ref",), f"fact '{path}' refers to {json.dumps(ref)}, which is not in $defs"
                                        f"{did_you_mean(name, self.defs)}; add the definition or fix the "
                                        "reference", "vocabulary")
            return None
        merged = dict(target)
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        return merged, ("$defs", name)

    def walk(self, properties: dict[str, Any], required: list[Any], prefix: str, where: JsonPath) -> None:
        for name, raw in properties.items():
            path, at = prefix + name, where + (name,)
            if not isinstance(raw, dict):
                self.gap(at, f"fact '{path}' should be a set of fields", "vocabulary")
                continue
            resolved = self.resolve(raw, at, path)
            if resolved is None:
                continue
            node, home = resolved
            is_required = name in required
            kind = _kind(node)
            self._fact_gaps(path, at, raw, node, kind, is_required)
            values: tuple[tuple[dict[str, Any], JsonPath], ...] = ()
            phrases = node.get("x-phrases")
            cases = tuple((case, words) for case, words in phrases.items() if _text(words)) \
                if isinstance(phrases, dict) and kind in ("boolean", "object") else ()
            if kind == "object":
                inner = (at if "properties" in raw else home) + ("properties",)
                self.facts.append(_Fact(path, kind, at, phrases=cases))
                self.walk(node.get("properties", {}), node.get("required", []), path + ".", inner)
                continue
            if kind == "list":
                items = node.get("items")
                if not isinstance(items, dict):
                    self.gap(at, f"list fact '{path}' has no items: say what its values are", "vocabulary")
                    continue
                item_at = (home if "items" not in raw else at) + ("items",)
                resolved_items = self.resolve(items, item_at, path)
                template = raw.get("x-item-phrase")
                own = template is not None
                if template is not None and (not _text(template) or "{title}" not in template):
                    self.gap(at + ("x-item-phrase",), f"fact '{path}' has an x-item-phrase without {{title}}: every "
                             "value would get the same words; write the words with {title} standing for the "
                             "value's title", "phrase")
                    template = None
                synonyms = raw.get("x-synonyms", [])
                if not isinstance(synonyms, list) or not all(_text(word) for word in synonyms):
                    self.gap(at, f"fact '{path}' has x-synonyms that are not a list of words: the ask page reads "
                                 "each word; write them as a list of text", "synonyms")
                if resolved_items is not None:
                    values = self._value_gaps(path, kind, at, raw, node, *resolved_items, own_phrases=own)
                self.facts.append(_Fact(path, kind, at, values, cases, template or "", own))
                continue
            elif kind == "choice":
                values = self._value_gaps(path, kind, at, raw, node, node, home)
            self.facts.append(_Fact(path, kind, at, values, cases))

    def _fact_gaps(self, path: str, at: JsonPath, raw: dict[str, Any], node: dict[str, Any], kind: str,
                   is_required: bool) -> None:
        if not _text(node.get("description")):
            self.gap(at, f"fact '{path}' has no description: the glossary and the ask page have nothing to say "
                         "about it; add a sentence saying what it means", "description")
        missing = raw.get("x-when-missing", node.get("x-when-missing", ""))
        choices = ", ".join(WHEN_MISSING)
        if not is_required and not missing:
            self.gap(at, f"fact '{path}' has no x-when-missing: nothing says what a request without it means; "
                         f"add one of: {choices}", "when-missing")
        elif not is_required and missing not in WHEN_MISSING:
            self.gap(at, f"fact '{path}' has x-when-missing {json.dumps(missing)}, which means nothing"
                         f"{did_you_mean(missing, WHEN_MISSING)}; use one of: {choices}", "when-missing")
        elif missing not in ("", "unknown") and kind == "choice" and node.get("type") is None:
            self.gap(at, f"fact '{path}' is a single choice, so a missing value can only be unknown; set "
                         "x-when-missing to unknown", "when-missing")
        phrases = node.get("x-phrases", {})
        if not isinstance(phrases, dict):
            self.gap(at, f"fact '{path}' has x-phrases that are not a set of fields: give the words for each "
                         "case", "phrase")
            phrases = {}
        controllable = bool(raw.get("x-controllable", node.get("x-controllable")))
        if kind == "boolean":
            for case, meaning in (("true", "that it holds"), ("false", "that it does not hold")):
                if not _text(phrases.get(case)):
                    self.gap(at, f"yes/no fact '{path}' has no x-phrases {case}: scenarios cannot state "
                                 f"{meaning}; add the words staff would write", "phrase")
            for case in phrases:
                if case not in ("true", "false"):
                    self.gap(at, f"yes/no fact '{path}' has x-phrases {json.dumps(case)}, which is read as "
                                 "false; only true and false are read: rename it or remove it", "phrase")
            if controllable and not _text(raw.get("x-instead", node.get("x-instead"))):
                self.gap(at, f"fact '{path}' is x-controllable but has no x-instead: an alternative cannot say "
                             "how to make it true; add the words for that step", "instead")
        elif kind == "object" and not is_required and not _text(phrases.get("given")):
            self.gap(at, f"fact '{path}' has no x-phrases given: scenarios cannot state that it is involved; "
                         "add the words staff would write", "phrase")

    def _value_gaps(self, path: str, kind: str, where: JsonPath, raw: dict[str, Any], node: dict[str, Any],
                    values_node: dict[str, Any], home: JsonPath,
                    own_phrases: bool = False) -> tuple[tuple[dict[str, Any], JsonPath], ...]:
        """The gaps of each value of a fact; its named values, with the paths of their consts.
        ``own_phrases``: the fact states its values in its own words (x-item-phrase), so a value
        needs no x-phrase for it."""
        branches = values_node.get("oneOf")
        if not isinstance(branches, list) or not branches:
            self.gap(where, f"fact '{path}' has no values: list them under oneOf, one const each", "vocabulary")
            return ()
        controllable = bool(raw.get("x-controllable", node.get("x-controllable")))
        shared = home in self.checked  # the values' own words were checked with the first fact using them
        self.checked.add(home)
        seen: set[str] = set()
        values: list[tuple[dict[str, Any], JsonPath]] = []
        for index, branch in enumerate(branches):
            at = home + ("oneOf", index)
            if not isinstance(branch, dict) or not isinstance(branch.get("const"), str) or not branch["const"]:
                self.gap(at, f"value {index + 1} of {path} has no const: give it a name "
                             "(lowercase words joined by _)", "vocabulary")
                continue
            name = branch["const"]
            const_at = at + ("const",)
            if name in seen:
                self.gap(const_at, f"{path} lists the value '{name}' twice; remove one", "vocabulary")
                continue
            seen.add(name)
            values.append((branch, const_at))
            said = f"value '{name}' of {path}"
            if not shared and not _text(branch.get("title")):
                self.gap(const_at, f"{said} has no title: the ask page labels it '{name}'; add a short label "
                                   "staff would recognise", "title")
            if not shared and not _text(branch.get("description")):
                self.gap(const_at, f"{said} has no description: the glossary leaves its meaning blank; add a "
                                   "sentence saying what it means", "description")
            if not own_phrases and not shared and not _text(branch.get("x-phrase")):
                self.gap(const_at, f"{said} has no x-phrase: scenarios cannot state it; add the words staff "
                                   "would write", "phrase")
            synonyms = branch.get("x-synonyms", [])
            if not shared and (not isinstance(synonyms, list) or not all(_text(word) for word in synonyms)):
                self.gap(const_at, f"{said} has x-synonyms that are not a list of words: the ask page and the "
                                   "site's search read each word; write them as a list of text", "synonyms")
            if controllable and not _text(branch.get("x-instead")):
                step = "leaving it out" if kind == "list" else "switching to it"
                self.gap(const_at, f"{said} has no x-instead: an alternative cannot suggest {step}; add the "
                                   f"words for {step}", "instead")
            if controllable and kind == "choice" and not _text(branch.get("x-instead-of")):
                self.gap(const_at, f"{said} has no x-instead-of: an alternative cannot name it when it "
                                   "replaces it; add the words naming it", "instead")
        return tuple(values)

    def cross_gaps(self) -> Iterator[_Gap]:
        """Gaps that need every fact: repeated phrases, x-channels, x-read-as."""
        by_path = {fact.path: fact for fact in self.facts}
        owners: dict[str, str] = {}
        for fact in self.facts:  # in the phrasebook's order: each fact's values, then its cases
            if fact.own_phrases:  # each value in the fact's own words (none when its x-item-phrase is unusable)
                template = fact.item_phrase
                stated = [(item_phrase(template, branch["title"] if _text(branch.get("title")) else branch["const"]),
                           f"{fact.path} = '{branch['const']}'", fact.where,
                           f"value '{branch['const']}' of {fact.path} has (by its x-item-phrase)")
                          for branch, _ in fact.values] if template else []
            else:
                stated = [(" ".join(branch["x-phrase"].split()), f"{fact.path} = '{branch['const']}'", const_at,
                           f"value '{branch['const']}' of {fact.path} has the x-phrase")
                          for branch, const_at in fact.values if _text(branch.get("x-phrase"))]
            stated += [(" ".join(words.split()), f"{fact.path} = {case}" if fact.kind == "boolean" else
                        f"{fact.path} ({case})", fact.where, f"fact '{fact.path}' has the x-phrases {case}")
                       for case, words in fact.phrases]
            for words, owner, where, said in stated:
                if words in owners:
                    yield _Gap(where, f"{said} '{words}', already the words for {owners[words]}: scenarios could "
                                      "not tell them apart; give it other words", "phrase")
                else:
                    owners[words] = owner
        channels = by_path.get("channel")
        channel_names = channels.names if channels else []
        action = by_path.get("action")
        for branch, const_at in action.values if action else ():
            listed = branch.get("x-channels")
            said = f"action '{branch['const']}'"
            if not isinstance(listed, list) or not listed:
                yield _Gap(const_at, f"{said} has no x-channels: alternatives cannot offer another channel for "
                                     f"it; list the channels it can go by (of: {', '.join(channel_names)})",
                           "channels")
                continue
            for item in listed:
                if item not in channel_names:
                    yield _Gap(const_at, f"{said} lists {json.dumps(item)} in x-channels, which is not a channel"
                                         f"{did_you_mean(item, channel_names)}; use one of: "
                                         f"{', '.join(channel_names)}", "channels")
        offered = {item for branch, _ in (action.values if action else ())
                   if isinstance(listed := branch.get("x-channels"), list) for item in listed}
        for branch, const_at in channels.values if channels and action else ():
            name = branch["const"]
            if name not in offered:
                yield _Gap(const_at, f"value '{name}' of channel is in no action's x-channels: alternatives never "
                                     "offer it; add it to the x-channels of each action that can go by it",
                           "channels")
        for fact in self.facts:
            names = fact.names
            for branch, const_at in fact.values:
                if "x-read-as" in branch:
                    yield from _read_as_gaps(fact.path, branch["const"], branch["x-read-as"], names, by_path,
                                             const_at)


def _read_as_gaps(path: str, name: str, read_as: object, names: list[str], by_path: dict[str, _Fact],
                  at: JsonPath) -> Iterator[_Gap]:
    said = f"value '{name}' of {path} has an x-read-as"
    if not isinstance(read_as, dict):
        yield _Gap(at, f"{said} that is not a set of fields: give value, unless and explanation", "read-as")
        return
    value = read_as.get("value")
    if value not in names or value == name:
        yield _Gap(at, f"{said} whose value {json.dumps(value)} is not another value of {path}"
                       f"{did_you_mean(value, names)}; use one of: {', '.join(n for n in names if n != name)}",
                   "read-as")
    given = read_as.get("unless")
    unless: dict[str, Any] = given if isinstance(given, dict) else {}
    fact = unless.get("fact")
    other = by_path.get(fact) if isinstance(fact, str) else None
    if other is None:
        yield _Gap(at, f"{said} whose unless names no fact of the request"
                       f"{did_you_mean(fact, by_path)}: give unless a fact and the value it is (is)", "read-as")
    elif unless.get("is") not in other.names:
        allowed = other.names
        yield _Gap(at, f"{said} whose unless is {json.dumps(unless.get('is'))}, not a value of {other.path}"
                       f"{did_you_mean(unless.get('is'), allowed)}; use one of: {', '.join(allowed)}", "read-as")
    if not _text(read_as.get("explanation")):
        yield _Gap(at, f"{said} with no explanation: a decision cannot say why it reads the value so; add the "
                       "sentence it shows", "read-as")


def _kind(node: dict[str, Any]) -> str:
    """The fact's kind, as ``vocabulary_from_schema`` decides it."""
    if node.get("type") == "object":
        return "object"
    if node.get("type") == "array":
        return "list"
    if node.get("type") == "boolean":
        return "boolean"
    if node.get("format") == "date":
        return "date"
    return "choice"


def _text(value: object) -> bool:
    """Whether an annotation holds words (a non-blank string)."""
    return isinstance(value, str) and bool(value.strip())


def _locate(path: Path, name: str, gaps: list[_Gap]) -> list[PolicyIssue]:
    """The gaps as issues at their keys' lines and columns (the file is read for positions only
    when there is a gap); a key the file does not hold gives its nearest parent's place."""
    if not gaps:
        return []
    from policykit.core.yamlfile import Position, read_yaml  # deferred: the YAML reader (12 ms), only for a gap

    doc, _ = read_yaml(path, name)
    keys = doc.keys if doc is not None else {}
    values = doc.values if doc is not None else {}

    def where(at: JsonPath) -> Position:  # a field at its name, a list's item at its start
        while at:
            if at in keys:
                return keys[at]
            if isinstance(at[-1], int) and at in values:
                return values[at]
            at = at[:-1]
        return Position(1, 1)

    return sorted({PolicyIssue(name, (pos := where(gap.path)).line, pos.column, gap.message, gap.code)
                   for gap in gaps})

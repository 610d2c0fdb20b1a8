"""Strict YAML reading for policy files.

``yaml.safe_load`` semantics, with the traps a board editor can fall into turned into located
errors instead of silent surprises: duplicate keys, anchors and aliases, tabs, bytes that are
not UTF-8, and plain scalars that YAML would quietly turn into dates or booleans. Every value's
position is kept so that later checks (the JSON Schema, the rule vocabulary) can point at it.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import yaml
from yaml.composer import ComposerError
from yaml.parser import ParserError
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.tokens import ScalarToken

from policykit.core.errors import JsonPath as JsonPath  # exported: the readers of documents name it from here
from policykit.core.errors import PolicyIssue

_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True)
class YamlDocument:
    """The data of one YAML file and where each of its values (and mapping keys) starts."""

    path: str
    data: object
    values: dict[JsonPath, Position] = field(default_factory=dict)
    keys: dict[JsonPath, Position] = field(default_factory=dict)

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """Position of the value at ``path`` (or of its key), or of its nearest located parent."""
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Position(1, 1))

    def issue(self, path: JsonPath, message: str, code: str, *, key: bool = False) -> PolicyIssue:
        """A located issue for the value at ``path``."""
        pos = self.position(path, key=key)
        return PolicyIssue(self.path, pos.line, pos.column, message, code)


def read_yaml(path: Path, display: str | None = None) -> tuple[YamlDocument | None, list[PolicyIssue]]:
    """Read one YAML file strictly. Returns the document (None if it could not be read at all)
    and every problem found; a document with problems should not be trusted."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        return None, [PolicyIssue(name, 1, 1, f"cannot read the file: {reason}", "unreadable")]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        # The column counts characters, as an editor does, not bytes.
        column = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        byte = raw[exc.start]
        return None, [PolicyIssue(name, line, column,
                                  f"the file is not UTF-8 text: byte 0x{byte:02X} cannot be read; "
                                  "save the file with UTF-8 encoding", "encoding")]
    tab_issues = list(_tab_issues(name, text))
    if tab_issues:
        return None, tab_issues
    issues: list[PolicyIssue] = []
    try:
        issues.extend(_anchor_issues(name, text))
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        if isinstance(exc, ComposerError) and "undefined alias" in (exc.problem or "") and issues:
            return None, issues  # the alias itself is already reported
        return None, [_syntax_issue(name, exc, text)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        return None, [PolicyIssue(name, 1, 1, f"not valid YAML: {exc}", "syntax")]
    doc = YamlDocument(name, None)
    if node is None:
        return doc, issues
    builder = _Builder(doc, issues)
    data = builder.build(node, ())
    return YamlDocument(name, data, doc.values, doc.keys), issues


def _tab_issues(name: str, text: str) -> Iterator[PolicyIssue]:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            yield PolicyIssue(name, number, line.index("\t") + 1,
                              "a tab is used for indentation; YAML needs spaces", "tab")


def _anchor_issues(name: str, text: str) -> Iterator[PolicyIssue]:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if isinstance(event, AliasEvent):
            yield PolicyIssue(name, line, column,
                              f"alias '*{event.anchor}' is not allowed; write the value out in full",
                              "alias")
        elif isinstance(event, NodeEvent) and event.anchor is not None:
            yield PolicyIssue(name, line, column,
                              f"anchor '&{event.anchor}' is not allowed; write each value out in full",
                              "anchor")


def _quote_before(text: str, mark: yaml.Mark | None) -> ScalarToken | None:
    """The quoted text that ends on the line of the error at ``mark``, before it, if any: the
    usual cause of a confusing parser error is a missing or misplaced closing quote."""
    if mark is None:
        return None
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            if isinstance(token, ScalarToken) and token.style in ('"', "'") and token.end_mark.line == mark.line:
                found = token
    except yaml.YAMLError:
        pass
    return found


def _syntax_issue(name: str, exc: yaml.MarkedYAMLError, text: str = "") -> PolicyIssue:
    """PyYAML's parser error, reworded for an editor and placed where the mistake most likely is."""
    problem = (exc.problem or "invalid YAML").rstrip(".")
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    message = None
    quoted = _quote_before(text, exc.problem_mark) if isinstance(exc, ParserError) else None
    if quoted is not None and quoted.start_mark.line < quoted.end_mark.line:
        mark = quoted.start_mark
        message = (f"the quoted text starting here runs on to line {quoted.end_mark.line + 1}; "
                   "add its closing quote")
    elif quoted is not None and problem.startswith("expected <block end>"):
        message = "text after a closing quote; quote the whole value, and inside '...' write '' for an apostrophe"
    elif "end of stream" in problem and "quoted scalar" in context:
        mark = exc.context_mark or mark
        message = "a quoted text starts here and is never closed; add the closing quote"
    elif problem == "mapping values are not allowed here":
        message = "a ':' inside a value; put the value in quotes, or check the indentation"
    elif problem == "could not find expected ':'":
        mark = exc.context_mark or mark
        message = "expected 'field: value' on this line; add the ':' or put the text in quotes"
    elif problem.startswith("expected <block end>"):
        message = "this line's indentation does not fit the lines above; check its spaces"
    elif problem.startswith(("expected ',' or ']'", "expected ',' or '}'")) and exc.context_mark:
        opened, closer = ("[", "]") if problem[17] == "]" else ("{", "}")
        message = (f"expected ',' or '{closer}' here: separate the items with commas, and close the "
                   f"'{opened}' opened on line {exc.context_mark.line + 1}")
    elif problem == "found character '\\t' that cannot start any token":
        message = "a tab is not allowed here; use spaces"
    elif "that cannot start any token" in problem:
        char = problem.split("'")[1]
        message = f"a value cannot start with '{char}'; put it in quotes"
    elif "single document" in context:
        message = "a policy file holds a single document; remove the second '---' and what follows it"
    if message is None:
        message = f"not valid YAML: {problem}{f' {context}' if context else ''}"
    else:
        message = f"not valid YAML: {message}"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return PolicyIssue(name, line, column, message, "syntax")


class _Builder:
    """Turns composed nodes into plain Python values, recording positions and traps."""

    def __init__(self, doc: YamlDocument, issues: list[PolicyIssue]):
        self.doc = doc
        self.issues = issues
        self.constructor = yaml.SafeLoader("")
        self.built: dict[int, object] = {}  # an alias reuses its anchor's node: report it once

    def _issue(self, node: Node, message: str, code: str) -> None:
        mark = node.start_mark
        self.issues.append(PolicyIssue(self.doc.path, mark.line + 1, mark.column + 1, message, code))

    def build(self, node: Node, path: JsonPath) -> object:
        self.doc.values[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.built:
            return self.built[id(node)]
        if isinstance(node, MappingNode):
            value: object = self._mapping(node, path)
        elif isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self._tag_issue(node)
            value = [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        else:
            value = self._scalar(cast(ScalarNode, node))  # a node neither a mapping nor a sequence
        self.built[id(node)] = value
        return value

    def _tag_issue(self, node: Node) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self._issue(node, f"the tag '{tag}' is not allowed; policy files hold plain text, numbers, "
                          "true/false, lists and fields", "tag")

    def _mapping(self, node: MappingNode, path: JsonPath) -> dict[str, object]:
        if node.tag != _MAP:
            self._tag_issue(node)
        result: dict[str, object] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self._issue(key_node, "merge keys ('<<') are not allowed; write each field out", "merge")
                continue
            if not isinstance(key_node, ScalarNode):
                self._issue(key_node, "a field name must be plain text", "key")
                continue
            key = key_node.value
            if key in first_seen:
                self._issue(key_node, f"duplicate key '{key}' (first given on line {first_seen[key]}); "
                                      "remove one of them", "duplicate-key")
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.doc.keys[path + (key,)] = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node: ScalarNode) -> object:
        tag, text, plain = node.tag, node.value, node.style is None
        if tag == _STR:
            return text
        if tag == _TIMESTAMP and plain:
            self._issue(node, f"YAML reads {text} as a date, not text; put it in quotes: \"{text}\"",
                        "unquoted-date")
            return text
        if tag == _BOOL and plain:
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
            meaning = "true" if text.lower() in ("yes", "y", "on") else "false"
            self._issue(node, f"YAML reads '{text}' as {meaning}; write {meaning} for a yes/no value, "
                              f"or \"{text}\" in quotes for the word", "yes-no-word")
            return text
        if tag in (_INT, _FLOAT, _NULL):
            return self.constructor.construct_object(node)
        self._tag_issue(node)
        return text

"""Strict YAML reading: yaml.safe_load's data, the position of every value and key, and each
trap a board editor can fall into reported with its exact words and place."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.core.yamlfile import Position, YamlDocument, read_yaml


def read(tmp_path: Path, content: str | bytes) -> tuple[YamlDocument | None, list[str]]:
    """Read ``content`` as the file f.yaml; the document and its issues as sorted lines."""
    path = tmp_path / "f.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    doc, issues = read_yaml(path, "f.yaml")
    return doc, [str(issue) for issue in sorted(issues)]


def test_data_and_positions_of_values_and_keys(tmp_path: Path) -> None:
    doc, issues = read(tmp_path, 'id: a\nlist:\n  - x\n  - {k: v}\nn: 3\nf: 1.5\nz: ~\nb: false\nq: "yes"\n')
    assert issues == []
    assert doc is not None
    assert doc.data == {"id": "a", "list": ["x", {"k": "v"}], "n": 3, "f": 1.5, "z": None, "b": False, "q": "yes"}
    assert doc.values == {
        (): Position(1, 1), ("id",): Position(1, 5), ("list",): Position(3, 3), ("list", 0): Position(3, 5),
        ("list", 1): Position(4, 5), ("list", 1, "k"): Position(4, 9), ("n",): Position(5, 4),
        ("f",): Position(6, 4), ("z",): Position(7, 4), ("b",): Position(8, 4), ("q",): Position(9, 4)}
    assert doc.keys == {
        ("id",): Position(1, 1), ("list",): Position(2, 1), ("list", 1, "k"): Position(4, 6),
        ("n",): Position(5, 1), ("f",): Position(6, 1), ("z",): Position(7, 1), ("b",): Position(8, 1),
        ("q",): Position(9, 1)}


def test_position_falls_back_to_the_nearest_located_parent(tmp_path: Path) -> None:
    doc, _ = read(tmp_path, "a:\n  b: 1\n")
    assert doc is not None
    assert doc.position(("a", "b")) == Position(2, 6)
    assert doc.position(("a", "b"), key=True) == Position(2, 3)
    assert doc.position(("a", "missing")) == Position(2, 3)
    assert doc.position(("nowhere", 0)) == Position(1, 1)
    assert str(doc.issue(("a", "b"), "too big", "test")) == "f.yaml:2:6: too big"


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("a: 1\na: 2\n", [
        "f.yaml:2:1: duplicate key 'a' (first given on line 1); remove one of them"], id="duplicate-key"),
    pytest.param("a: &x 1\nb: *x\n", [
        "f.yaml:1:4: anchor '&x' is not allowed; write each value out in full",
        "f.yaml:2:4: alias '*x' is not allowed; write the value out in full"], id="anchor-alias"),
    pytest.param("a: *x\n", [
        "f.yaml:1:4: alias '*x' is not allowed; write the value out in full"], id="undefined-alias"),
    pytest.param("base: &b {x: 1}\nother:\n  <<: *b\n", [
        "f.yaml:1:7: anchor '&b' is not allowed; write each value out in full",
        "f.yaml:3:3: merge keys ('<<') are not allowed; write each field out",
        "f.yaml:3:7: alias '*b' is not allowed; write the value out in full"], id="merge-key"),
    pytest.param("a:\n\tb: 1\n", [
        "f.yaml:2:1: a tab is used for indentation; YAML needs spaces"], id="tab-indent"),
    pytest.param("a:\n  - x\n  \t- y\n", [
        "f.yaml:3:3: a tab is used for indentation; YAML needs spaces"], id="tab-after-spaces"),
    pytest.param("a:\tb\n", [
        "f.yaml:1:3: not valid YAML: a tab is not allowed here; use spaces"], id="tab-after-colon"),
    pytest.param("a: 2015-11-18\n", [
        'f.yaml:1:4: YAML reads 2015-11-18 as a date, not text; put it in quotes: "2015-11-18"'],
        id="unquoted-date"),
    pytest.param("a: yes\nb: Off\n", [
        "f.yaml:1:4: YAML reads 'yes' as true; write true for a yes/no value, or \"yes\" in quotes for the word",
        "f.yaml:2:4: YAML reads 'Off' as false; write false for a yes/no value, or \"Off\" in quotes for the word"],
        id="yes-no-words"),
    pytest.param("a: !!binary aGk=\n", [
        "f.yaml:1:4: the tag '!!binary' is not allowed; policy files hold plain text, numbers, true/false, "
        "lists and fields"], id="tag"),
    pytest.param('a: "x\nb: c\nd: "e"\n', [
        "f.yaml:1:4: not valid YAML: the quoted text starting here runs on to line 3; add its closing quote"],
        id="unclosed-quote"),
    pytest.param('a: b\nc: "x\n', [
        "f.yaml:2:4: not valid YAML: a quoted text starts here and is never closed; add the closing quote"],
        id="unclosed-quote-at-end"),
    pytest.param("title: 'It's here'\n", [
        "f.yaml:1:12: not valid YAML: text after a closing quote; quote the whole value, and inside '...' "
        "write '' for an apostrophe"], id="text-after-quote"),
    pytest.param("a: b: c\n", [
        "f.yaml:1:5: not valid YAML: a ':' inside a value; put the value in quotes, or check the indentation"],
        id="colon-in-value"),
    pytest.param("a:\n  b: 1\n c: 2\n", [
        "f.yaml:3:2: not valid YAML: this line's indentation does not fit the lines above; check its spaces"],
        id="bad-indentation"),
    pytest.param("a: 1\nb\nc: 2\n", [
        "f.yaml:2:1: not valid YAML: expected 'field: value' on this line; add the ':' or put the text in quotes"],
        id="missing-colon"),
    pytest.param("a: [1, 2\nb: 3\n", [
        "f.yaml:2:2: not valid YAML: expected ',' or ']' here: separate the items with commas, and close the '[' "
        "opened on line 1"], id="unclosed-bracket"),
    pytest.param("w: {fact: channel is: email}\n", [
        "f.yaml:1:21: not valid YAML: expected ',' or '}' here: separate the items with commas, and close the '{' "
        "opened on line 1"], id="missing-comma"),
    pytest.param("a: @x\n", [
        "f.yaml:1:4: not valid YAML: a value cannot start with '@'; put it in quotes"], id="reserved-character"),
    pytest.param("a: 1\n---\nb: 2\n", [
        "f.yaml:2:1: not valid YAML: a policy file holds a single document; remove the second '---' and what "
        "follows it"], id="two-documents"),
])
def test_each_trap_is_reported_with_its_place_and_words(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert read(tmp_path, text)[1] == expected


def test_a_trapped_value_is_kept_as_written(tmp_path: Path) -> None:
    """Later checks see the text the editor wrote, never the date or boolean YAML made of it."""
    doc, _ = read(tmp_path, "a: 2015-11-18\nb: yes\nc: 1\nc: 2\nd: true\n")
    assert doc is not None
    assert doc.data == {"a": "2015-11-18", "b": "yes", "c": 1, "d": True}


def test_syntax_errors_give_no_document(tmp_path: Path) -> None:
    assert read(tmp_path, "a: [\n")[0] is None
    assert read(tmp_path, "a:\n\tb: 1\n")[0] is None


def test_aliased_value_is_reported_once(tmp_path: Path) -> None:
    """A trap inside an anchored value is reported where it is written, not again at each alias."""
    doc, issues = read(tmp_path, "a: &x\n  - yes\nb: *x\nc: *x\n")
    assert issues == [
        "f.yaml:1:4: anchor '&x' is not allowed; write each value out in full",
        "f.yaml:2:5: YAML reads 'yes' as true; write true for a yes/no value, or \"yes\" in quotes for the word",
        "f.yaml:3:4: alias '*x' is not allowed; write the value out in full",
        "f.yaml:4:4: alias '*x' is not allowed; write the value out in full",
    ]
    assert doc is not None and doc.data == {"a": ["yes"], "b": ["yes"], "c": ["yes"]}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file_has_no_data_and_no_issue(tmp_path: Path, text: str) -> None:
    doc, issues = read(tmp_path, text)
    assert (doc, issues) == (YamlDocument("f.yaml", None), [])


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    doc, issues = read(tmp_path, b"\xef\xbb\xbfid: a\nb: \xc3\xa9\n")
    assert issues == []
    assert doc is not None
    assert doc.data == {"id": "a", "b": "é"}
    assert doc.values[("id",)] == Position(1, 5)


def test_bytes_that_are_not_utf8_are_located_by_character(tmp_path: Path) -> None:
    # 'b: "ü' is five characters (six bytes) before the Latin-1 byte 0xE9.
    doc, issues = read(tmp_path, b'a: 1\nb: "\xc3\xbc\xe9"\n')
    assert doc is None
    assert issues == [
        "f.yaml:2:6: the file is not UTF-8 text: byte 0xE9 cannot be read; save the file with UTF-8 encoding"]


def test_bytes_that_are_not_utf8_after_a_byte_order_mark(tmp_path: Path) -> None:
    assert read(tmp_path, b"\xef\xbb\xbfa: \xe9\n")[1] == [
        "f.yaml:1:4: the file is not UTF-8 text: byte 0xE9 cannot be read; save the file with UTF-8 encoding"]


def test_unreadable_file(tmp_path: Path) -> None:
    doc, issues = read_yaml(tmp_path, "dir.yaml")
    assert doc is None
    assert [str(i) for i in issues] == ["dir.yaml:1:1: cannot read the file: is a directory"]


def test_display_name_defaults_to_the_path(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: yes\n", encoding="utf-8")
    _, issues = read_yaml(path)
    assert [(i.path, i.code) for i in issues] == [(str(path), "yes-no-word")]

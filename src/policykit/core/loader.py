"""Loading and validating a policy directory.

``policy/policy.yaml`` holds the metadata and the section layout; ``policy/clauses/*.yaml``
holds one clause per file. ``check_policy_dir`` returns the model and every problem found
(file:line:col, all at once); ``load_policy_dir`` raises ``PolicyError`` if there is any."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.conditions import TESTS, parse_condition
from policykit.core.errors import PolicyError, PolicyIssue, did_you_mean
from policykit.core.model import (
    Case,
    Clause,
    ClauseVersion,
    Correction,
    Interpretation,
    ObligationSpec,
    PolicyDocument,
    Reference,
    Remedy,
    Section,
)
from policykit.core.kinds import allowed_outcomes
from policykit.core.paths import schema_dir
from policykit.core.readings import read_reading_ids, readings_file
from policykit.core.schemaerrors import schema_issues
from policykit.core.vocabcheck import check_vocabulary
from policykit.core.vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:  # the YAML reader is imported when files are read, not by what only names this module
    from policykit.core.yamlfile import JsonPath, YamlDocument

_KIND_VERBS = {
    "prohibition": "a prohibition ('prohibited', 'may not') can only make an action prohibited or "
                   "needing approval",
    "obligation": "an obligation ('shall', 'are required') can only make an action prohibited or "
                  "needing approval",
    "recommendation": "a recommendation ('should') can only make an action discouraged",
    "standard": "a standard of conduct ('are expected to') can only make an action prohibited (for what the "
                "text itself names) or discouraged",
    "permission": "a permission can only make an action permitted",
    "notice": "a notice never changes an outcome; give it a notice, not an outcome",
    "definition": "a definition never changes an outcome; give it a notice, not an outcome",
}


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, else absolute."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(absolute)


def check_policy_dir(root: Path | str, request_schema: Path | str | None = None
                     ) -> tuple[PolicyDocument | None, list[PolicyIssue]]:
    """Read and check every file of a policy directory, and the request vocabulary its rules use
    (``request_schema``, default: the project's ``schema/request.schema.json``; see
    ``policykit.core.vocabcheck``). The model is None when any error was found."""
    root = Path(root)
    issues: list[PolicyIssue] = []
    meta_path = root / "policy.yaml"
    if not root.is_dir():
        return None, [PolicyIssue(display_path(root), 1, 1, "no such policy directory", "missing-dir")]
    if not meta_path.is_file():
        return None, [PolicyIssue(display_path(meta_path), 1, 1,
                                  "policy.yaml is missing from the policy directory", "missing-file")]
    meta, _ = _read_checked(meta_path, "policy", issues)
    clause_docs: list[YamlDocument] = []
    unchecked_ids: set[str] = set()  # ids of clause files too broken to check further
    for path in sorted((root / "clauses").glob("*.yml")):
        issues.append(PolicyIssue(display_path(path), 1, 1, f"clause files end in .yaml: rename {path.name} to "
                                                            f"{path.stem}.yaml (a .yml file would not be read)",
                                  "file-name"))
    for path in sorted((root / "clauses").glob("*.yaml")):
        doc, claimed = _read_checked(path, "clause", issues)
        if doc is not None:
            clause_docs.append(doc)
        else:
            unchecked_ids.update(claimed)
    if not (root / "clauses").is_dir() or not list((root / "clauses").glob("*.yaml")):
        issues.append(PolicyIssue(display_path(root / "clauses"), 1, 1,
                                  "no clause files found (expected policy/clauses/<id>.yaml)", "no-clauses"))

    schema_path = Path(request_schema) if request_schema is not None else schema_dir() / "request.schema.json"
    vocabulary, vocabulary_found = check_vocabulary(schema_path, display_path(schema_path))
    issues.extend(vocabulary_found)
    if vocabulary is not None and request_schema is None:
        vocabulary = load_vocabulary()  # the vocabulary the engine uses (the same file, read once)
    clauses: list[Clause] = []
    found: list[PolicyIssue] = []
    # A vocabulary too incomplete to build is reported above; the clauses' facts wait until it is fixed.
    tags: list[tuple[YamlDocument, JsonPath, str]] = []
    for doc in clause_docs if vocabulary is not None else ():
        clause_found = list(_clause_issues(doc, vocabulary, tags))
        found.extend(clause_found)
        if not clause_found:
            clauses.append(_build_clause(doc))
    found.extend(_reading_tag_issues(root, tags))
    from policykit.core.messages import check_messages, messages_path

    words = messages_path()  # the words the answers are given in (schema/messages.yaml)
    issues.extend(check_messages(words, display_path(words))[1])
    if meta is not None:
        found.extend(_metadata_issues(meta))
        found.extend(_cross_issues(meta, clause_docs, unchecked_ids))
    # A problem already reported at a place (say an unquoted 'yes') is not reported again.
    reported = {(i.path, i.line, i.column) for i in issues}
    issues.extend(i for i in found if (i.path, i.line, i.column) not in reported)
    if issues or meta is None:
        return None, sorted(set(issues))
    return _build_policy(meta, clauses, root), []


def load_policy_dir(root: Path | str) -> PolicyDocument:
    """Load a policy directory, raising ``PolicyError`` with every problem if it is not valid."""
    document, issues = check_policy_dir(root)
    if document is None:
        raise PolicyError(issues)
    return document


def _read_checked(path: Path, schema: str, issues: list[PolicyIssue]) -> tuple[YamlDocument | None, set[str]]:
    """Read one file and check it against its schema. Returns the document when its data can be
    checked further (the YAML traps found in it are reported but do not stop later checks), else
    None with the ids the file claims (its name and its id field), so that it is not also reported
    as missing."""
    from policykit.core.yamlfile import read_yaml

    doc, read_issues = read_yaml(path, display_path(path))
    issues.extend(read_issues)
    claimed = {path.stem}
    if doc is None:
        return None, claimed
    if doc.data is None:
        issues.append(PolicyIssue(doc.path, 1, 1, "the file is empty", "empty-file"))
        return None, claimed
    # A trap already reported at a place (say an unquoted 'yes') is not reported again by the schema.
    reported = {(i.line, i.column) for i in read_issues}
    found = list(schema_issues(doc, schema))
    issues.extend(i for i in found if (i.line, i.column) not in reported)
    if found:
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            claimed.add(doc.data["id"])
        return None, claimed
    return doc, claimed


def _parse_date(doc: YamlDocument, path: JsonPath, text: str) -> Iterator[PolicyIssue]:
    try:
        date.fromisoformat(text)
    except ValueError:
        yield doc.issue(path, f"'{text}' is not a real calendar date", "bad-date")


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_time_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _metadata_issues(meta: YamlDocument) -> Iterator[PolicyIssue]:
    data = meta.data
    yield from _parse_date(meta, ("adopted",), data["adopted"])
    revisions = data["revisions"]
    for i, text in enumerate(revisions):
        yield from _parse_date(meta, ("revisions", i), text)
    for i in range(1, len(revisions)):
        if revisions[i] <= revisions[i - 1]:
            yield meta.issue(("revisions", i), f"revisions must be in date order: {revisions[i]} comes "
                                               f"after {revisions[i - 1]}", "date-order")
    if revisions and revisions[0] < data["adopted"]:
        yield meta.issue(("revisions", 0), f"revision {revisions[0]} is before the adoption date "
                                           f"{data['adopted']}", "date-order")
    if not _is_time_zone(data["time_zone"]):
        yield meta.issue(("time_zone",), f"'{data['time_zone']}' is not a time zone this machine knows; write the "
                                         "district's IANA time zone name, such as America/New_York", "bad-time-zone")
    seen: dict[str, int] = {}
    for i, section in enumerate(data["sections"]):
        if section["id"] in seen:
            yield meta.issue(("sections", i, "id"), f"duplicate section id '{section['id']}'", "duplicate-id")
        seen[section["id"]] = i


def _reading_tag_issues(root: Path, tags: list[tuple[YamlDocument, JsonPath, str]]) -> Iterator[PolicyIssue]:
    """Every reading a condition is tagged with is one of the readings list's ids (read only when
    some condition is tagged)."""
    if not tags:
        return
    path = readings_file(root)
    known, problems = read_reading_ids(path, display_path(path))
    if problems:
        yield from problems
        return
    for doc, where, reading in tags:
        if reading not in known:
            yield doc.issue(where, f"unknown reading '{reading}'{did_you_mean(reading, known)}; the readings are "
                                   f"listed in {display_path(path)}: {', '.join(known)}", "unknown-reading")


def _tag_issues(doc: YamlDocument, path: JsonPath, case: dict, interpreted: bool,
                tags: list[tuple[YamlDocument, JsonPath, str]]) -> Iterator[PolicyIssue]:
    """Where a rule case's conditions carry ``reading``: only on an item of the case's ``all``, in
    a case that yields an outcome, of a clause with an interpretation (its status is the reading's).
    The tags found are added to ``tags`` for their ids to be checked against the readings list."""
    when = case["when"]
    top = set()
    if isinstance(when.get("all"), list):
        top = {i for i, item in enumerate(when["all"]) if isinstance(item, dict) and "reading" in item}

    def walk(node: object, where: JsonPath) -> Iterator[PolicyIssue]:
        if not isinstance(node, dict):
            return
        if "reading" in node:
            at = where + ("reading",)
            if where[-2:-1] != ("all",) or len(where) != len(path) + 3 or where[-1] not in top:
                yield doc.issue(at, "a reading tag goes on a condition listed directly under the case's all: "
                                    "the condition the reading added to the rule", "reading-tag")
            elif case.get("outcome") is None:
                yield doc.issue(at, "a reading tag marks a condition that keeps a case from deciding; this case "
                                    "yields no outcome", "reading-tag")
            elif not interpreted:
                yield doc.issue(at, "a condition tagged with a reading needs the clause's interpretation (its "
                                    "status is the reading's status); add interpretation: with text and status",
                                "reading-tag")
            else:
                tags.append((doc, at, node["reading"]))
        for key in ("all", "any"):
            for i, item in enumerate(node.get(key, ()) if isinstance(node.get(key), list) else ()):
                yield from walk(item, where + (key, i))
        if "not" in node:
            yield from walk(node["not"], where + ("not",))

    yield from walk(when, path + ("when",))


def _clause_issues(doc: YamlDocument, vocabulary: Vocabulary,
                   tags: list[tuple[YamlDocument, JsonPath, str]] | None = None) -> Iterator[PolicyIssue]:
    data = doc.data
    clause_id, section = data["id"], data["section"]
    if not clause_id.startswith(section + "."):
        yield doc.issue(("id",), f"clause id '{clause_id}' must start with its section '{section}.'",
                        "id-prefix")
    if "remedy" in data:
        yield from _remedy_issues(doc, data["remedy"], vocabulary)
    versions = data["versions"]
    for i, version in enumerate(versions):
        yield from _parse_date(doc, ("versions", i, "effective"), version["effective"])
        if i and version["effective"] == versions[i - 1]["effective"]:
            yield doc.issue(("versions", i, "effective"),
                            f"version {i + 1} takes effect on {version['effective']}, the same day as version {i}; "
                            "two versions cannot start on one day: give the amendment its own effective date, or "
                            "record a fix to the adopted text under corrections:", "date-order")
        elif i and version["effective"] < versions[i - 1]["effective"]:
            order = ", ".join(sorted(v["effective"] for v in versions))
            yield doc.issue(("versions", i, "effective"),
                            f"version {i + 1} (effective {version['effective']}) is listed after version {i} "
                            f"(effective {versions[i - 1]['effective']}); versions are listed oldest first, so "
                            f"move version {i + 1} above version {i} (keep each version's date) to read them in the "
                            f"order {order}", "date-order")
        kind = version.get("kind", data["kind"])
        for j, case in enumerate(version.get("rule", ())):
            path = ("versions", i, "rule", j)
            outcome = case.get("outcome")
            if outcome is not None and outcome not in allowed_outcomes(kind):
                whose = "this version's kind" if "kind" in version else "a clause of kind"
                yield doc.issue(path + ("outcome",), f"'{outcome}' does not fit {whose} "
                                                     f"'{kind}': {_KIND_VERBS[kind]}",
                                "kind-outcome")
            if "when" in case:
                yield from _condition_issues(doc, path + ("when",), case["when"], vocabulary)
                interpreted = "interpretation" in version or "interpretation" in data
                yield from _tag_issues(doc, path, case, interpreted, tags if tags is not None else [])
            met_by = case.get("obligation", {}).get("met_by")
            if met_by is not None:
                fact = vocabulary.get(met_by)
                if fact is None or fact.kind != "boolean":
                    booleans = [f.path for f in vocabulary.facts if f.kind == "boolean"]
                    yield doc.issue(path + ("obligation", "met_by"),
                                    f"'{met_by}' is not a yes/no fact of the request"
                                    f"{did_you_mean(met_by, booleans)}; use one of: {', '.join(booleans)}",
                                    "unknown-fact")


def _remedy_issues(doc: YamlDocument, remedy: dict, vocabulary: Vocabulary) -> Iterator[PolicyIssue]:
    """A remedy names only facts the employee controls, with values of the vocabulary."""
    controllable = [f.path for f in vocabulary.facts if f.controllable]
    for key in ("set", "remove"):
        for name, value in remedy.get(key, {}).items():
            fact = vocabulary.get(name)
            if fact is None or not fact.controllable:
                hint = did_you_mean(name, controllable)
                yield doc.issue(("remedy", key, name), f"a remedy can only change a fact the employee controls; "
                                                       f"'{name}' is not one{hint}; use one of: "
                                                       f"{', '.join(controllable)}", "unknown-fact", key=True)
                continue
            if key == "set" and fact.kind == "boolean" and value is not True:
                yield doc.issue(("remedy", key, name), f"{name} can only be set to true", "unknown-value")
            elif key == "set" and fact.kind == "choice" and value not in fact.value_names:
                yield doc.issue(("remedy", key, name), f"'{value}' is not a value of {name}"
                                                       f"{did_you_mean(str(value), fact.value_names)}; allowed: "
                                                       f"{', '.join(fact.value_names)}", "unknown-value")
            elif key == "set" and fact.kind not in ("choice", "boolean"):
                yield doc.issue(("remedy", key, name), f"{name} is a list; use remove: to take items out of it",
                                "unknown-value")
            elif key == "remove" and fact.kind != "list":
                yield doc.issue(("remedy", key, name), f"{name} is not a list; use set: for it", "unknown-value")
            elif key == "remove":
                for i, item in enumerate(value):
                    if item not in fact.value_names:
                        yield doc.issue(("remedy", key, name, i), f"'{item}' is not a value of {name}"
                                                                  f"{did_you_mean(item, fact.value_names)}; "
                                                                  f"allowed: {', '.join(fact.value_names)}",
                                        "unknown-value")


def _condition_issues(doc: YamlDocument, path: JsonPath, data: dict,
                      vocabulary: Vocabulary) -> Iterator[PolicyIssue]:
    for key in ("all", "any"):
        for i, item in enumerate(data.get(key, ())):
            yield from _condition_issues(doc, path + (key, i), item, vocabulary)
    if "not" in data:
        yield from _condition_issues(doc, path + ("not",), data["not"], vocabulary)
    if "fact" not in data:
        return
    name = data["fact"]
    fact = vocabulary.get(name)
    if fact is None:
        # With a close match the hint is enough; without one, list every fact.
        hint = did_you_mean(name, vocabulary.names()) or f"; facts are: {', '.join(vocabulary.names())}"
        yield doc.issue(path + ("fact",), f"unknown fact '{name}'{hint}", "unknown-fact")
        return
    op = next(key for key in TESTS if key in data)
    value = data[op]
    fits = {
        "is": ("choice", "boolean"),
        "in": ("choice",),
        "has": ("list",),
        "has_any": ("list",),
        "given": ("object",),
    }[op]
    if fact.kind not in fits:
        hint = {"list": "use has or has_any for a list", "choice": "use is or in for a single value",
                "boolean": "use is: true or is: false", "object": "use given", "date": "use given"}[fact.kind]
        yield doc.issue(path + (op,), f"the test '{op}' does not fit '{name}' ({fact.kind}); {hint}",
                        "test-kind")
        return
    if fact.kind == "boolean":
        if not isinstance(value, bool):
            yield doc.issue(path + (op,), f"'{name}' is a yes/no fact: test it with is: true or is: false",
                            "not-allowed")
        return
    if op == "given":
        return
    allowed = fact.value_names
    values = value if isinstance(value, list) else [value]
    for i, item in enumerate(values):
        if item not in allowed:
            where = path + (op, i) if isinstance(value, list) else path + (op,)
            yield doc.issue(where, f"'{item}' is not a value of {name}{did_you_mean(item, allowed)}; "
                                   f"allowed: {', '.join(allowed)}", "unknown-value")


def _cross_issues(meta: YamlDocument, clause_docs: list[YamlDocument],
                  unchecked_ids: set[str]) -> Iterator[PolicyIssue]:
    """Checks across files: unique ids, sections, listing, revisions, related clauses.
    ``unchecked_ids`` are claimed by clause files too broken to read: not reported missing."""
    data = meta.data
    sections = {s["id"]: i for i, s in enumerate(data["sections"])}
    listed: dict[str, tuple[str, JsonPath]] = {}
    for i, section in enumerate(data["sections"]):
        for j, clause_id in enumerate(section["clauses"]):
            if clause_id in listed:
                yield meta.issue(("sections", i, "clauses", j), f"clause '{clause_id}' is listed twice",
                                 "duplicate-id")
            listed[clause_id] = (section["id"], ("sections", i, "clauses", j))
    revisions = set(data["revisions"])
    first_file: dict[str, str] = {}
    for doc in clause_docs:
        clause = doc.data
        clause_id = clause["id"]
        if clause_id in first_file:
            yield doc.issue(("id",), f"duplicate clause id '{clause_id}' (also in {first_file[clause_id]})",
                            "duplicate-id")
            continue
        first_file[clause_id] = doc.path
        if clause["section"] not in sections:
            yield doc.issue(("section",), f"unknown section '{clause['section']}'"
                                          f"{did_you_mean(clause['section'], sections)}; sections are: "
                                          f"{', '.join(sections)}", "unknown-section")
        elif clause_id not in listed:
            yield doc.issue(("id",), f"clause '{clause_id}' is not listed in section '{clause['section']}' "
                                     f"of {meta.path}", "unlisted")
        elif listed[clause_id][0] != clause["section"]:
            yield doc.issue(("section",), f"clause '{clause_id}' says section '{clause['section']}' but "
                                          f"{meta.path} lists it under '{listed[clause_id][0]}'", "wrong-section")
        for i, version in enumerate(clause["versions"]):
            if version["effective"] not in revisions and _is_date(version["effective"]):
                yield doc.issue(("versions", i, "effective"),
                                f"effective date {version['effective']} is not one of the policy's revisions "
                                f"({', '.join(sorted(revisions))}); add it to revisions in {meta.path}",
                                "unknown-revision")
    all_ids = set(first_file)
    for clause_id, (_, path) in listed.items():
        if clause_id not in all_ids and clause_id not in unchecked_ids:
            yield meta.issue(path, f"clause '{clause_id}' is listed but there is no clause file with that id"
                                   f"{_id_hint(clause_id, all_ids)}", "missing-clause")
    for doc in clause_docs:
        for i, related in enumerate(doc.data.get("related", ())):
            if related not in all_ids and related not in unchecked_ids:
                yield doc.issue(("related", i), f"unknown clause '{related}'{_id_hint(related, all_ids)}",
                                "unknown-clause")


def _id_hint(clause_id: str, ids: set[str]) -> str:
    """A did-you-mean for a clause id. Ids share long section prefixes, so names are compared
    within the id's section; whole ids only when that section has no clauses (a misspelled section)."""
    section, _, name = clause_id.partition(".")
    names = {i.partition(".")[2]: i for i in ids if i.partition(".")[0] == section}
    if not names:
        return did_you_mean(clause_id, ids)
    return did_you_mean(clause_id, [full for other, full in names.items() if did_you_mean(name, [other])])


def _build_clause(doc: YamlDocument) -> Clause:
    data = doc.data
    versions = []
    for version in data["versions"]:
        rule = tuple(
            Case(
                when=parse_condition(case["when"]) if "when" in case else None,
                on_outcome=tuple(case.get("on_outcome", ())),
                outcome=case.get("outcome"),
                obligation=ObligationSpec(case["obligation"]["text"], case["obligation"].get("met_by"))
                if "obligation" in case else None,
                notice=case.get("notice"),
            )
            for case in version.get("rule", ())
        )
        corrections = tuple(Correction(date.fromisoformat(c["date"]), c["kind"], c["reason"])
                            for c in version.get("corrections", ()))
        reading = version.get("interpretation")
        versions.append(ClauseVersion(date.fromisoformat(version["effective"]), version["text"].strip(),
                                      version["note"], rule, corrections, version.get("kind"),
                                      Interpretation(reading["text"], reading["status"]) if reading else None))
    interpretation = data.get("interpretation")
    return Clause(
        id=data["id"],
        title=data["title"],
        section=data["section"],
        kind=data["kind"],
        versions=tuple(versions),
        interpretation=Interpretation(interpretation["text"], interpretation["status"]) if interpretation else None,
        related=tuple(data.get("related", ())),
        source=doc.path,
        remedy=Remedy(data["remedy"]["text"], tuple(data["remedy"].get("set", {}).items()),
                      tuple((fact, tuple(items)) for fact, items in data["remedy"].get("remove", {}).items()))
        if "remedy" in data else None,
    )


def _build_policy(meta: YamlDocument, clauses: list[Clause], root: Path) -> PolicyDocument:
    data = meta.data
    by_id = {clause.id: clause for clause in clauses}
    sections = tuple(Section(s["id"], s["title"], s.get("heading"), tuple(s["clauses"])) for s in data["sections"])
    ordered = tuple(by_id[clause_id] for section in sections for clause_id in section.clause_ids)
    document = data["document"]
    return PolicyDocument(
        id=data["id"],
        title=data["title"],
        series=data["series"],
        district=data["district"],
        adopted=date.fromisoformat(data["adopted"]),
        revisions=tuple(date.fromisoformat(r) for r in data["revisions"]),
        header=tuple(document["header"]),
        references_heading=document["references_heading"],
        footer=tuple(document["footer"]),
        sections=sections,
        references=tuple(Reference(r["text"], r["citation"], r["jurisdiction"], r.get("group"), r.get("note"))
                         for r in data["references"]),
        clauses=ordered,
        root=os.fspath(root),
        time_zone=data["time_zone"],
    )

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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from policykit.core.clausecheck import clause_issues, fields, parse_date
from policykit.core.conditions import parse_condition
from policykit.core.errors import PolicyError, PolicyIssue, did_you_mean
from policykit.core.messages import check_messages, messages_path
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
from policykit.core.paths import schema_dir
from policykit.core.readings import read_reading_ids, readings_file
from policykit.core.schemaerrors import schema_issues
from policykit.core.vocabcheck import check_vocabulary
from policykit.core.vocabulary import load_vocabulary

if TYPE_CHECKING:  # the YAML reader is imported when files are read, not by what only names this module
    from policykit.core.yamlfile import JsonPath, YamlDocument

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
    for doc in clause_docs:
        if vocabulary is None:
            break
        clause_found = list(clause_issues(doc, vocabulary, tags))
        found.extend(clause_found)
        if not clause_found:
            clauses.append(_build_clause(doc))
    found.extend(_reading_tag_issues(root, tags))
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
    from policykit.core.yamlfile import read_yaml  # deferred: the YAML reader (12 ms), for what only names this module

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


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _metadata_issues(meta: YamlDocument) -> Iterator[PolicyIssue]:
    data = fields(meta)
    yield from parse_date(meta, ("adopted",), data["adopted"])
    revisions = data["revisions"]
    for i, text in enumerate(revisions):
        yield from parse_date(meta, ("revisions", i), text)
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


def _cross_issues(meta: YamlDocument, clause_docs: list[YamlDocument],
                  unchecked_ids: set[str]) -> Iterator[PolicyIssue]:
    """Checks across files: unique ids, sections, listing, revisions, related clauses.
    ``unchecked_ids`` are claimed by clause files too broken to read: not reported missing."""
    data = fields(meta)
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
        clause = fields(doc)
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
        for i, related in enumerate(fields(doc).get("related", ())):
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
    data = fields(doc)
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
    data = fields(meta)
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

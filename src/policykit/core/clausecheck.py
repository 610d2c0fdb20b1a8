"""The checks of one clause file against its kind and the request vocabulary, once the clause
schema has accepted it: ids, dates, outcomes that fit the kind's verb, conditions, obligations,
reading tags and remedies, each problem at its file:line:col."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from policykit.core.conditions import TESTS
from policykit.core.errors import PolicyIssue, did_you_mean
from policykit.core.kinds import allowed_outcomes
from policykit.core.vocabulary import Vocabulary

if TYPE_CHECKING:  # the YAML reader is imported when files are read, not by what only names this module
    from policykit.core.yamlfile import JsonPath, YamlDocument

KIND_VERBS = {
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
"""What each clause kind may do to an outcome, in the words of its verb."""

def fields(doc: YamlDocument) -> dict[str, Any]:
    """The data of a document its schema accepted: a mapping, as every policy schema requires."""
    return cast("dict[str, Any]", doc.data)


def parse_date(doc: YamlDocument, path: JsonPath, text: str) -> Iterator[PolicyIssue]:
    """The problem with a date the schema let through (its pattern) that is no calendar day."""
    try:
        date.fromisoformat(text)
    except ValueError:
        yield doc.issue(path, f"'{text}' is not a real calendar date", "bad-date")


def _tag_issues(doc: YamlDocument, path: JsonPath, case: dict[str, Any], interpreted: bool,
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


def clause_issues(doc: YamlDocument, vocabulary: Vocabulary,
                  tags: list[tuple[YamlDocument, JsonPath, str]]) -> Iterator[PolicyIssue]:
    """The problems of one clause file the schema accepted: its id and section, its versions' dates,
    each case's outcome against the kind's verb, its conditions and obligations against the request
    vocabulary, its reading tags (those found are added to ``tags``) and its remedy."""
    data = fields(doc)
    clause_id, section = data["id"], data["section"]
    if not clause_id.startswith(section + "."):
        yield doc.issue(("id",), f"clause id '{clause_id}' must start with its section '{section}.'",
                        "id-prefix")
    if "remedy" in data:
        yield from _remedy_issues(doc, data["remedy"], vocabulary)
    versions = data["versions"]
    for i, version in enumerate(versions):
        yield from parse_date(doc, ("versions", i, "effective"), version["effective"])
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
                                                     f"'{kind}': {KIND_VERBS[kind]}",
                                "kind-outcome")
            if "when" in case:
                yield from _condition_issues(doc, path + ("when",), case["when"], vocabulary)
                interpreted = "interpretation" in version or "interpretation" in data
                yield from _tag_issues(doc, path, case, interpreted, tags)
            met_by = case.get("obligation", {}).get("met_by")
            if met_by is not None:
                fact = vocabulary.get(met_by)
                if fact is None or fact.kind != "boolean":
                    booleans = [f.path for f in vocabulary.facts if f.kind == "boolean"]
                    yield doc.issue(path + ("obligation", "met_by"),
                                    f"'{met_by}' is not a yes/no fact of the request"
                                    f"{did_you_mean(met_by, booleans)}; use one of: {', '.join(booleans)}",
                                    "unknown-fact")


def _remedy_issues(doc: YamlDocument, remedy: dict[str, Any], vocabulary: Vocabulary) -> Iterator[PolicyIssue]:
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


def _condition_issues(doc: YamlDocument, path: JsonPath, data: dict[str, Any],
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

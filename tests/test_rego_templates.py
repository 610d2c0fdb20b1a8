"""The Rego templates of ``policykit.publishing.rego`` (``select.rego``, ``decision.rego``,
``stakes.rego``) on their own, without the rules and data the export generates: each parses in
regorus and in rego-cpp (regopy) as it stands, has the one line the export fills, and reaches
the bundle intact (moved into its period's package)."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest
import regopy
import regorus

import policykit
from policykit.publishing.rego import PERIOD_MODULES, SELECT_MODULE, bundle_files, period_package
from policykit.publishing.rego.templates import MARKER, TEMPLATES, fill, template

RULES = {  # the rules each template declares itself; the export adds the rules it generates
    "select.rego": {"as_of", "decision", "errors", "today"},
    "decision.rego": {
        "approval_pending", "as_of", "assumed_sentence", "assumed_texts", "awaiting_sentence", "best", "case_indexes",
        "decision", "done_count", "effects", "explanation", "fact_value", "fill", "fill_part", "final", "fired", "met",
        "missing_facts", "named", "notices", "obligations", "only_unmet", "outcome", "pending_sentence",
        "possible_outcomes", "probed", "proviso_outcome", "readings", "reason_cases", "reason_clauses",
        "reason_indexes", "reason_names", "reasons", "seen_sentence", "seen_titles", "seen_who", "stated", "titles",
        "true_cases", "unconfirmed", "undetermined", "unmet_sentence", "unmet_texts", "verdict_sentence"},
    "stakes.rego": {"advance", "after", "children", "completes", "constrains", "diagram_facts", "differ", "entry",
                    "possible_ranks", "read_as_value", "stake_cases", "stake_terms", "start", "unknown_facts"},
}


def _first_name(node: object) -> str | None:
    """The first variable in regorus' AST of a rule, depth first: the name its head defines."""
    if isinstance(node, dict):
        if isinstance(node.get("Var"), dict):
            return node["Var"]["value"]
        children = list(node.values())
    else:
        children = node if isinstance(node, list) else []
    return next((name for child in children if (name := _first_name(child)) is not None), None)


def test_the_package_holds_exactly_the_templates() -> None:
    package = files("policykit.publishing.rego")
    assert sorted(entry.name for entry in package.iterdir() if entry.name.endswith(".rego")) == list(TEMPLATES)


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_template_parses_in_regorus_on_its_own(name: str) -> None:
    engine = regorus.Engine()
    assert engine.add_policy(name, template(name)) == "data.policykit"
    [module] = json.loads(engine.get_ast_as_json())
    assert {_first_name(rule) for rule in module["ast"]["rules"]} == RULES[name]


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_template_parses_in_rego_cpp_on_its_own(name: str) -> None:
    interpreter = regopy.Interpreter()
    interpreter.add_module(name, template(name))
    assert json.loads(str(interpreter.query("x := 1"))) == {"expressions": [True], "bindings": {"x": 1}}


def test_rego_cpp_refuses_a_broken_template() -> None:
    """The parse tests above can fail: an unclosed body is refused."""
    broken = template("decision.rego").replace("undetermined if {", "undetermined if {{")
    with pytest.raises(regopy.RegoError, match="unclosed"):
        regopy.Interpreter().add_module("broken.rego", broken)


@pytest.mark.parametrize("name", TEMPLATES)
def test_each_template_has_one_line_the_export_fills(name: str) -> None:
    lines = template(name).split("\n")
    assert [line.startswith(MARKER) for line in lines].count(True) == 1
    assert fill(name, ["a", "b"]).split("\n") == [part for line in lines
                                                   for part in (["a", "b"] if line.startswith(MARKER) else [line])]


def test_the_templates_reach_the_bundle_intact() -> None:
    """Around the generated rules, each module of the shipped bundle is its template, moved into
    its period's package (``data.policykit.cases`` becomes ``data.policykit.<period>.cases``)."""
    policy = policykit.load_policy()
    files_ = bundle_files(policy)
    package = period_package(policy.program(policy.document.effective_dates()[0]))
    modules = {"select.rego": files_[SELECT_MODULE].decode("utf-8")}
    for name in PERIOD_MODULES:
        if name in TEMPLATES:
            modules[name] = files_[f"policykit/{package}/{name}"].decode("utf-8")
    assert sorted(modules) == sorted(TEMPLATES)
    for name, text in modules.items():
        before, _, after = template(name).partition("\n" + next(line for line in template(name).split("\n")
                                                                 if line.startswith(MARKER)) + "\n")
        if name != "select.rego":
            before = before.replace("package policykit\n", f"package policykit.{package}\n", 1)
            before, after = (re.sub(r"\bdata\.policykit\.(cases|program|clauses)\b",
                                    rf"data.policykit.{package}.\1", part) for part in (before, after))
        assert before in text and text.endswith(after), name

"""The exact answer when cases are at stake: ``program.stakes`` in data.json (the variables the
unknown facts are split into, and each stake term's constraints on them) and ``stakes.rego``,
the template ``stakes.rego`` of this package with one generated rule per variable forwards and
one backwards (no recursion, no enumeration limit)."""

from __future__ import annotations

from typing import Any

from policykit.core.compiler import Program
from policykit.publishing.rego.model import Atom, Model
from policykit.publishing.rego.syntax import comment, header
from policykit.publishing.rego.templates import fill

OTHER = None
"""The value of a single-valued fact's variable that stands for every value no term names."""


def _stake_terms(model: Model) -> list[tuple[int, list[Atom]]]:
    """The terms that can put a decision at stake: those of the cases over facts that yield more
    than "permitted", as (case index, atoms), in printed order. ``cases.rego`` numbers them
    (``term_K_open``) in this order."""
    return [(i, term) for i, case in enumerate(model.cases) if case.rank > 0 and model.fact_case[i]
            for term in model.terms[i]]


def _read_as_values(model: Model, fact: str) -> list[tuple[object, str, object]]:
    """(value, unless fact, unless value) of each x-read-as rule on a value of ``fact``."""
    return [(value.name, rule.unless_fact, rule.unless_value)
            for path, value in model.vocabulary.read_as_rules() if path == fact and (rule := value.read_as)]


def _named_values(model: Model, entries: list[tuple[int, list[Atom]]]) -> dict[str, set[object]]:
    """The values the stake terms name of each fact a valid request can leave unknown (a value
    that must be known only asks it to be known: it names none)."""
    named: dict[str, set[object]] = {}
    for _, term in entries:
        for atom in term:
            if model.facts[atom.fact].may_be_unknown and not atom.strict:
                named.setdefault(atom.fact, set()).add(atom.value)
    return named


def _variables(model: Model, named: dict[str, set[object]]) -> tuple[list[dict[str, Any]],
                                                                        dict[tuple[str, object], int]]:
    """The variables, in vocabulary order, and the index of each by (fact, value; ``OTHER`` for
    a single-valued fact)."""
    layout = model.program.layout
    variables: list[dict[str, Any]] = []
    index: dict[tuple[str, object], int] = {}
    for fact in model.facts:
        if fact not in named:
            continue
        values = [value for value in layout.bits[fact] if value in named[fact]]  # in bit order
        if model.facts[fact].kind == "choice":
            domain = values + ([OTHER] if len(values) < len(layout.bits[fact]) else [])
            index[(fact, OTHER)] = len(variables)
            variable: dict[str, Any] = {"fact": fact, "value": None, "domain": domain}
            read_as = [{"index": domain.index(value), "unless": {"path": unless.split("."), "reread": False},
                        "unless_value": unless_value}
                       for value, unless, unless_value in _read_as_values(model, fact) if value in domain]
            if read_as:
                variable["read_as"] = read_as
            variables.append(variable)
        else:
            for value in values:
                index[(fact, value)] = len(variables)
                variables.append({"fact": fact, "value": value, "domain": [False, True]})
    return variables, index


def _constraints(model: Model, term: list[Atom], named: dict[str, set[object]], variables: list[dict[str, Any]],
                 index: dict[tuple[str, object], int]) -> list[list[Any]]:
    """A stake term's constraints ``[variable, allowed value indexes]``, sorted by variable."""
    allowed: dict[int, set[int]] = {}
    by_fact: dict[str, list[Atom]] = {}
    for atom in term:
        by_fact.setdefault(atom.fact, []).append(atom)
    for fact, atoms in by_fact.items():
        if fact not in named or any(atom.strict for atom in atoms):
            continue  # never unknown; or it must be known, and the term fails while it is not
        if model.facts[fact].kind == "choice":
            var = index[(fact, OTHER)]
            needed = {atom.value for atom in atoms if atom.holds}
            excluded = {atom.value for atom in atoms if not atom.holds}
            allowed[var] = {k for k, value in enumerate(variables[var]["domain"])
                            if (not needed if value is OTHER else needed <= {value} and value not in excluded)}
        else:
            for atom in atoms:
                var = index[(fact, atom.value)]
                allowed[var] = allowed.get(var, {0, 1}) & {int(atom.holds)}
    return [[var, sorted(allowed[var])] for var in sorted(allowed)]


def stakes(model: Model) -> dict[str, Any]:
    """What ``stakes.rego`` needs to find the outcomes every completion of a request gives.

    The variables, in vocabulary order: a fact a valid request can leave unknown gives one
    variable per test a stake term makes of it (a term's ``K`` values only ask it to be known, so
    they give none): a single-valued fact one variable whose values are the values the terms name
    plus ``OTHER`` when some value is named by none (those behave alike); a list, yes/no fact or
    object one yes/no variable per value the terms name (index 0: absent or false, 1: present or
    true). Each stake term becomes its rank and its constraints ``[variable, allowed value
    indexes]``, sorted by variable; the Rego keeps the constraints on the facts a request leaves
    unknown. The exporter knows every variable, so the Rego needs no limit and no recursion: one
    rule per variable (see ``stakes_module``)."""
    entries = _stake_terms(model)
    named = _named_values(model, entries)
    variables, index = _variables(model, named)
    terms = [{"case": case, "rank": model.cases[case].rank, "c": _constraints(model, term, named, variables, index)}
             for case, term in entries]
    used = [fact for fact in model.facts if fact in named]
    return {"facts": [{"fact": fact, "path": fact.split("."), "reread": fact in model.read_refs} for fact in used],
            "vars": variables, "terms": terms}


def _variable_words(variable: dict[str, Any]) -> str:
    """What a variable's values say, for the generated comments."""
    if variable["value"] is None:
        names = [str(v) for v in variable["domain"] if v is not OTHER]
        other = ", or another value" if OTHER in variable["domain"] else ""
        return f"{variable['fact']} is {', '.join(names)}{other}"
    if variable["value"] is True:
        return f"whether {variable['fact']} is true (or given)"
    return f"whether {variable['fact']} has {variable['value']}"


def stakes_module(program: Program, stakes: dict[str, Any]) -> str:
    """``stakes.rego``: the forward and backward levels, one rule each per variable, in the template."""
    variables = stakes["vars"]
    n = len(variables)
    lines = ["# Forwards. Level 0: the request's own state, before any variable has a value. index_K",
             "# gives the position of each state of level K in states_K (by its JSON text).",
             "states_0 := [start]", "", "index_0 := {json.marshal(start): 0}", ""]
    for v, variable in enumerate(variables):
        width = len(variable["domain"])
        lines += comment(f"Variable {v}: {_variable_words(variable)} ({width} values). next_{v} gives each "
                         f"state of level {v} its states for the values; states_{v + 1} are those states.")
        lines += [f"next_{v} := [children(s, {v}, {width - 1}) | some s in states_{v}]", "",
                  f"states_{v + 1} := [s | some s in {{c | some kids in next_{v}; some c in kids}}]", "",
                  f"index_{v + 1} := {{json.marshal(s): k | some k, s in states_{v + 1}}}", ""]
    lines += [f"# Backwards. Level {n}: every variable has a value, so no term is live: the diagram is the rank.",
              f'canon_{n} := [{{"d": s.best, "r": {{s.best}}, "f": set()}} | some s in states_{n}]', ""]
    for v in reversed(range(n)):
        lines += [f"# Level {v}: each state's entry, from those of its states for variable {v}'s values.",
                  f"canon_{v} := [entry({v}, [canon_{v + 1}[index_{v + 1}[json.marshal(c)]] | some c in kids]) |",
                  f"	some kids in next_{v}", "]", ""]
    lines += ["# The entry of the request's own state.", "root := canon_0[0]"]
    text = fill("stakes.rego", lines)
    return "\n".join(header(program, "The outcomes a request's completions give, when cases are at stake.")) \
        + "\n" + text

"""Export the clauses in force on a date as an OPA bundle (Rego v1) that decides like ``decide()``.

``write_bundle(policy, outdir, day)`` writes five files, all generated from the compiled program
(``compiler.compile_program``), never written by hand per clause:

* ``policykit/cases.rego`` (``package policykit.cases``): every rule case of every clause in
  force, as the disjunction of terms ``compiler.to_terms`` made of its condition, and the unmet
  case the compiler adds for each obligation of a mandatory clause. ``case_N`` is true when one
  of its terms holds (each fact value the term needs is stated, each value it excludes is known
  to be absent); ``case_N_open`` (for cases that yield an outcome) is true when none of its terms
  is known to fail, i.e. the case holds or is unknown. That is Kleene's three-valued logic over
  unknown facts, as the engine evaluates it. Which facts are open (missing = unknown) comes from
  the compiled layout, i.e. ``x-when-missing`` in the request schema; a value in a term's ``K``
  mask (an unmet case's settling fact) must be known: unknown, the term fails. The
  ``x-read-as`` rules come first (``reread_N``, ``read_values``), and the cases read the values
  they give.
* ``policykit/decision.rego`` (``package policykit``): ``decision``, the document
  ``Decision.to_dict()`` gives, less ``decision_id``: precedence, reasons, obligations (with
  ``met``), notices (with the outcome-triggered ones), ``missing_facts``, ``possible_outcomes``,
  the explanation and the policy stamp.
* ``data.json``: ``data.policykit.clauses`` (each clause in force as a decision's reason gives
  it, in printed order) and ``data.policykit.program`` (the cases, what they yield with their
  clause's interpretation, the facts they read, the stakes (variables and term constraints), outcomes, the
  read-as sentences, which clauses rest on a reading awaiting the board, the policy stamp).
* ``.manifest``: ``{"revision": <policy digest>, "roots": ["policykit"], "rego_version": 1, ...}``.

The explanation is ``engine.explain``'s, sentence for sentence, in the words of ``data.policykit.messages``
(``schema/messages.yaml``), which decision.rego fills in; the reading probes are ``probe_K`` in cases.rego.
* ``policykit/stakes.rego`` (``package policykit``): the exact answer when cases are at stake
  (docs/semantics.md#unknown-facts): the outcomes the request's completions give, and the unknown
  facts that can change it, by a diagram built one variable at a time (one generated rule per
  variable forwards, one backwards; no recursion, no enumeration limit). ``program.stakes`` holds
  the variables and each term's constraints on them (see ``_stakes``). Undetermined only when two
  completions differ; every completion giving one outcome decides it, with the at-stake cases'
  clauses as reasons when that outcome is stronger than the one the true cases give.

The bundle assumes a request that ``schema/request.schema.json`` accepts (validate first, e.g.
with policykit's own checker); for every such request ``decision`` is defined. A request whose
``as_of`` falls outside the period the bundle was exported for gets ``{"errors": [...]}``
instead, as ``decide()`` raises. The same digest gives the same bytes: sorted keys, printed
order, no timestamps.

The Rego is written for OPA 1.x and for rego-cpp 1.5 (``regopy``), whose evaluator is slower and
stricter: no set is built in the hot path, no comprehension reads a variable of an enclosing
comprehension or indexes a reference with a function argument, and ``sort`` is not relied on to
order numbers.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.core.compiler import Program, policy_digest
from policykit.core.conditions import describe
from policykit.core.decision import ALLOWED
from policykit.core.engine import ALLOWED_RANK, PROVISO_OUTCOMES
from policykit.core.model import OUTCOMES
from policykit.core.vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:  # pragma: no cover
    from policykit.core.api import Policy

ROOT = "policykit"
QUERY = "data.policykit.decision"
ENTRYPOINT = "policykit/decision"
SELECT_MODULE = "policykit/decision.rego"
"""The module of ``package policykit``: the date, and the period whose decision answers."""
PERIOD_MODULES = ("cases.rego", "decision.rego", "stakes.rego")
"""Each period's modules, under ``policykit/<period package>/``."""
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

Atom = tuple[str, object, bool, bool]
"""(fact, value, holds, strict): holds=False for a value the term excludes; strict when the value
must be known (a bit of the term's K mask: an unknown value makes the term false, not unknown)."""


# ------------------------------------------------------------------------------------------ model


class _Model:
    """The compiled program in the shape the bundle needs: cases in printed order (fact cases,
    their unmet cases and outcome-triggered ones together), each with its terms as atoms, the
    facts read, and the ``x-read-as`` rules."""

    def __init__(self, policy: "Policy", program: Program):
        self.program = program
        layout = program.layout
        self.vocabulary: Vocabulary = load_vocabulary()
        atom_of: dict[int, tuple[str, object]] = {}
        for fact, table in layout.bits.items():
            for value, bit in table.items():
                atom_of[bit] = (fact, value)

        def atoms(mask: int, holds: bool, known: int) -> list[Atom]:
            found = []
            while mask:
                low = mask & -mask
                fact, value = atom_of[low]
                found.append((fact, value, holds, bool(low & known)))
                mask ^= low
            return found

        self.cases = sorted([*program.cases, *program.outcome_cases], key=lambda case: case.order)
        index_of = {id(case): i for i, case in enumerate(self.cases)}
        self.fact_case = [any(case is c for c in program.cases) for case in self.cases]
        self.terms: dict[int, list[list[Atom]]] = {i: [] for i in range(len(self.cases))}
        for term, (positive, negative) in enumerate(program.term_pairs):
            known = program.term_known[term]
            if known & ~(positive | negative):
                raise ValueError("a compiled term needs a fact value known that it does not test; "
                                 "the Rego export cannot write it")
            case = index_of[id(program.cases[program.term_case[term]])]
            self.terms[case].append(sorted(atoms(positive, True, known) + atoms(negative, False, known),
                                           key=lambda atom: (layout.order[atom[0]], str(atom[1]))))
        self.met_by = {i: atom_of[case.met_bit][0] if case.met_bit else None for i, case in enumerate(self.cases)}
        # The reading probes (a case without a condition a reading added), each as its terms' atoms.
        self.probes = [(probe, index_of[id(program.cases[probe.case])],
                        [sorted(atoms(positive, True, 0) + atoms(negative, False, 0),
                                key=lambda atom: (layout.order[atom[0]], str(atom[1])))
                         for positive, negative in probe.terms])
                       for probe in program.probes]
        # The facts: kind, values, whether missing means unknown (open: x-when-missing, as the
        # compiled layout holds it), whether a valid request can leave them unknown (open and not
        # required), in vocabulary order.
        self.facts: dict[str, dict[str, Any]] = {}
        for fact in self.vocabulary.facts:
            if fact.path not in layout.masks:
                continue
            is_open = bool(layout.initially_unknown & layout.masks[fact.path])
            if is_open != fact.open:
                raise ValueError(f"{fact.path}: the compiled layout and the request schema disagree on "
                                 "what a missing value means")
            parts = fact.path.split(".")
            required = all(self.vocabulary[".".join(parts[:n])].required for n in range(1, len(parts) + 1))
            self.facts[fact.path] = {"kind": fact.kind, "values": fact.value_names, "open": is_open,
                                     "required": required, "may_be_unknown": is_open and not required}
        # x-read-as, in the layout's order: (fact, value, read as, unless fact, unless value, words).
        self.read_as: list[tuple[str, object, object, str, object, str]] = []
        for value_bit, as_bit, unless_bit, words in layout.read_as:
            (fact, value), (as_fact, as_value) = atom_of[value_bit], atom_of[as_bit]
            unless_fact, unless_value = atom_of[unless_bit]
            if as_fact != fact or self.facts[fact]["kind"] not in ("choice", "list"):
                raise ValueError(f"{fact}: x-read-as must read a value of a choice or list as another value of it")
            self.read_as.append((fact, value, as_value, unless_fact, unless_value, words))
        # The Rego term each re-read fact's value is read from: the last rule that re-reads it.
        self.read_refs = {fact: f"read_{i}" for i, (fact, *_) in enumerate(self.read_as)}
        # What each case was written as, for the comments of the generated Rego.
        in_force = [(clause, version) for clause in policy.document.clauses
                    if (version := clause.version_on(program.valid_from)) is not None]
        written = [(clause, case) for clause, version in in_force for case in version.rule]
        self.written = [written[case.order - 1] for case in self.cases]
        assert [clause.id for clause, _ in self.written] == [program.reasons[c.clause].id for c in self.cases]

    def ref(self, path: str) -> str:
        """Where the rules read a fact: the request, or the value an x-read-as rule made of it."""
        return self.read_refs.get(path) or _ref(path)


# ------------------------------------------------------------------------------------ the stakes

OTHER = None
"""The value of a single-valued fact's variable that stands for every value no term names."""


def _stake_terms(model: _Model) -> list[tuple[int, list[Atom]]]:
    """The terms that can put a decision at stake: those of the cases over facts that yield more
    than "permitted", as (case index, atoms), in printed order. ``cases.rego`` numbers them
    (``term_K_open``) in this order."""
    return [(i, term) for i, case in enumerate(model.cases) if case.rank > 0 and model.fact_case[i]
            for term in model.terms[i]]


def _read_as_values(model: _Model, fact: str) -> list[tuple[object, str, object]]:
    """(value, unless fact, unless value) of each x-read-as rule on a value of ``fact``."""
    return [(value.name, value.read_as.unless_fact, value.read_as.unless_value)
            for path, value in model.vocabulary.read_as_rules() if path == fact]


def _stakes(model: _Model) -> dict[str, Any]:
    """What ``stakes.rego`` needs to find the outcomes every completion of a request gives.

    The variables, in vocabulary order: a fact a valid request can leave unknown gives one
    variable per test a stake term makes of it (a term's ``K`` values only ask it to be known, so
    they give none): a single-valued fact one variable whose values are the values the terms name
    plus ``OTHER`` when some value is named by none (those behave alike); a list, yes/no fact or
    object one yes/no variable per value the terms name (index 0: absent or false, 1: present or
    true). Each stake term becomes its rank and its constraints ``[variable, allowed value
    indexes]``, sorted by variable; the Rego keeps the constraints on the facts a request leaves
    unknown. The exporter knows every variable, so the Rego needs no limit and no recursion: one
    rule per variable (see ``_stakes_module``)."""
    layout = model.program.layout
    facts = model.facts
    entries = _stake_terms(model)
    named: dict[str, set] = {}
    for _, term in entries:
        for fact, value, _, strict in term:
            if facts[fact]["may_be_unknown"] and not strict:
                named.setdefault(fact, set()).add(value)
    variables: list[dict[str, Any]] = []
    index: dict[tuple[str, object], int] = {}  # (fact, value; OTHER for a single-valued fact) -> variable
    for fact in facts:
        if fact not in named:
            continue
        values = [value for value in layout.bits[fact] if value in named[fact]]  # in bit order
        if facts[fact]["kind"] == "choice":
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
    terms = []
    for case, term in entries:
        allowed: dict[int, set[int]] = {}
        by_fact: dict[str, list[Atom]] = {}
        for atom in term:
            by_fact.setdefault(atom[0], []).append(atom)
        for fact, atoms in by_fact.items():
            if fact not in named or any(strict for *_, strict in atoms):
                continue  # never unknown; or it must be known, and the term fails while it is not
            if facts[fact]["kind"] == "choice":
                var = index[(fact, OTHER)]
                needed = {value for _, value, holds, _ in atoms if holds}
                excluded = {value for _, value, holds, _ in atoms if not holds}
                allowed[var] = {k for k, value in enumerate(variables[var]["domain"])
                                if (not needed if value is OTHER else needed <= {value} and value not in excluded)}
            else:
                for _, value, holds, _ in atoms:
                    var = index[(fact, value)]
                    allowed[var] = allowed.get(var, {0, 1}) & {int(holds)}
        terms.append({"case": case, "rank": model.cases[case].rank,
                      "c": [[var, sorted(allowed[var])] for var in sorted(allowed)]})
    used = [fact for fact in facts if fact in named]
    return {"facts": [{"fact": fact, "path": fact.split("."), "reread": fact in model.read_refs} for fact in used],
            "vars": variables, "terms": terms}


# ------------------------------------------------------------------------------------ data.json


def _tables(policy: "Policy", model: _Model) -> dict[str, Any]:
    program = model.program
    starts = policy.document.effective_dates()
    later = [day for day in starts if day > program.valid_from]
    cases = []
    for i, case in enumerate(model.cases):
        obligation = None
        if case.obligation_text is not None:
            document = {"clause": program.reasons[case.clause].id, "text": case.obligation_text}
            if case.interpretation is not None:
                document["interpretation"] = case.interpretation.to_dict()
            met_by = model.met_by[i]
            obligation = {"document": document, "met_by": met_by.split(".") if met_by else None,
                          "met_open": bool(met_by) and model.facts[met_by]["open"]}
        entry: dict[str, Any] = {
            "clause": case.clause,
            "rank": case.rank,
            "unmet": case.unmet,
            "obligation": obligation,
            "notice": None if case.notice is None else case.notice.to_dict(),
            "on_outcome": [name for rank, name in enumerate(OUTCOMES) if case.on_outcome >> rank & 1],
        }
        cases.append(entry)
    return {
        "policy": {"id": program.policy_id, "revision": program.revision, "digest": program.digest,
                   "valid_from": program.valid_from.isoformat(),
                   "valid_until": later[0].isoformat() if later else None,
                   "first_date": starts[0].isoformat()},
        "outcomes": list(OUTCOMES),
        "allowed": dict(ALLOWED),
        "proviso_outcomes": [outcome for outcome in (*OUTCOMES, "undetermined") if outcome in PROVISO_OUTCOMES],
        "allowed_rank": ALLOWED_RANK,
        "probes": [{"reading": probe.reading, "rank": probe.rank, "case": case} for probe, case, _ in model.probes],
        "cases": cases,
        "effect_cases": [i for i, entry in enumerate(cases) if entry["obligation"] or entry["notice"]],
        "stakes": _stakes(model),
        "names": [program.messages.fill("clause_name", title=reason.title, id=reason.id) for reason in program.reasons],
        "awaiting_board": [reason.interpretation is not None and reason.interpretation.awaiting_board
                           for reason in program.reasons],
        "read_as": [words for *_, words in model.read_as],
        "ranks": [[i for i, case in enumerate(model.cases) if case.rank == rank and model.fact_case[i]]
                  for rank in range(len(OUTCOMES))],
        "triggered": {outcome: [i for i, case in enumerate(model.cases) if outcome in cases[i]["on_outcome"]]
                      for outcome in (*OUTCOMES, "undetermined")},
        "fact_order": list(model.facts),
    }


# ------------------------------------------------------------------------------------ cases.rego


def _quote(text: object) -> str:
    return json.dumps(text, ensure_ascii=False)


def _ref(path: str) -> str:
    """``input.site.approved``; a segment that is not an identifier is quoted."""
    ref = "input"
    for part in path.split("."):
        ref += f".{part}" if _IDENTIFIER.match(part) else f"[{_quote(part)}]"
    return ref


def _atom_true(model: _Model, path: str, value: object) -> list[str]:
    """Rego statements that succeed exactly when the atom (fact has value) is known to be true."""
    return [_statement_true(model, model.ref(path), path, value)]


def _atom_false(model: _Model, path: str, value: object) -> list[str]:
    """... exactly when it is known to be false. A missing open fact is unknown: both fail on it;
    a missing closed fact is none, no or absent: this succeeds on it."""
    info = model.facts[path]
    ref, kind, is_open = model.ref(path), info["kind"], info["open"]
    if kind == "choice":  # ``!=`` is undefined, so failing, when the fact is missing
        return [f"{ref} != {_quote(value)}" if is_open else f"not {ref} == {_quote(value)}"]
    if kind == "list":
        return ([f"is_array({ref})"] if is_open else []) + [f"not {_quote(value)} in {ref}"]
    if kind == "boolean":
        return [f"{ref} == false" if is_open else f"not {ref} == true"]
    return ["false" if is_open else f"not is_object({ref})"]  # an open object is given or unknown


def _atom_not_false(model: _Model, path: str, value: object) -> str:
    """One statement that succeeds when the atom is true or unknown."""
    info = model.facts[path]
    if not info["open"]:  # a closed fact is never unknown
        return _atom_true(model, path, value)[0]
    ref, kind = model.ref(path), info["kind"]
    if kind == "choice":
        return f"not {ref} != {_quote(value)}"
    if kind == "list":  # missing: unknown, so the default contains the value
        if path in model.read_refs:
            return f"{_quote(value)} in object.get(read_values, {_quote(path)}, [{_quote(value)}])"
        path_term = _quote(path.split(".")) if "." in path else _quote(path)
        return f"{_quote(value)} in object.get(input, {path_term}, [{_quote(value)}])"
    if kind == "boolean":
        return f"not {ref} == false"
    return "true"  # an open object is never known to be absent


def _atom_not_true(model: _Model, path: str, value: object) -> str:
    """One statement that succeeds when the atom is false or unknown."""
    return "not " + _atom_true(model, path, value)[0]


def _priority(model: _Model, atom: Atom) -> tuple:
    """Statement order in a body: the likeliest to fail first (a closed yes/no fact, list or
    object, then single-valued facts, then open lists such as the audience), so most bodies stop
    at once."""
    fact, value, holds, _ = atom
    info = model.facts[fact]
    if not holds:
        rank = 4
    elif not info["open"] and info["kind"] != "choice":
        rank = 0
    elif info["kind"] == "choice":
        rank = 1
    else:
        rank = 2
    return (rank, list(model.facts).index(fact), str(value))


def _rule(head: str, statements: list[str]) -> str:
    if not statements:
        return f"{head} if true"
    if len(statements) == 1:
        return f"{head} if {statements[0]}"
    return f"{head} if {{\n" + "".join(f"\t{s}\n" for s in statements) + "}"


def _comment(text: str, width: int = 99) -> list[str]:
    lines, line = [], "#"
    for word in text.split():
        if len(line) + 1 + len(word) > width and line != "#":
            lines.append(line)
            line = "#  "
        line += " " + word
    lines.append(line)
    return lines


def _array(name: str, items: list[str], width: int = 99) -> list[str]:
    """``name := [items]``, wrapped at ``width`` characters."""
    lines, line = [f"{name} := ["], "\t"
    for item in items:
        if len(line) + len(item) + 2 > width and line.strip():
            lines.append(line.rstrip())
            line = "\t"
        line += item + ", "
    if line.strip():
        lines.append(line.rstrip())
    return lines + ["]"]


def _header(program: Program, what: str) -> list[str]:
    return [f"# Generated by `policykit export rego` from policy {program.policy_id},",
            f"# revision {program.revision} ({program.digest}).",
            f"# {what}", "# Do not edit: change the clauses and export again.", ""]


def _read_as_section(model: _Model) -> list[str]:
    """The x-read-as rules: ``reread_N`` when the request's value is read as another, ``read_N``
    the value the rules read, ``read_values`` those values by fact and ``rereads`` the flags."""
    out = ["# " + "-" * 97]
    out += _comment("Values every rule reads as another value (x-read-as in the request schema), applied in "
                    "order before any case reads them. read_values holds the value each such fact is read "
                    "as; rereads[N] says whether rule N applied (the explanation then says so).")
    out.append("")
    current: dict[str, str] = {}
    for i, (fact, value, as_value, unless_fact, unless_value, _) in enumerate(model.read_as):
        ref = current.get(fact, _ref(fact))
        unless = current.get(unless_fact, _ref(unless_fact))
        kind = model.facts[fact]["kind"]
        out += _comment(f"rule {i}: {fact} {value} is read as {as_value} unless {unless_fact} is {unless_value}")
        out += [f"default reread_{i} := false", ""]
        holds = f"{ref} == {_quote(value)}" if kind == "choice" else f"{_quote(value)} in {ref}"
        out += [_rule(f"reread_{i}", [holds, "not " + _statement_true(model, unless, unless_fact, unless_value)]),
                ""]
        if kind == "choice":
            out.append(f"read_{i} := {_quote(as_value)} if reread_{i}")
        else:
            out += [f"read_{i} := array.concat([v | some v in {ref}; v != {_quote(value)}; "
                    f"v != {_quote(as_value)}], [{_quote(as_value)}]) if reread_{i}"]
        out += ["", f"read_{i} := {ref} if not reread_{i}", ""]
        current[fact] = f"read_{i}"
    for fact in sorted(current, key=list(model.facts).index):
        out += [f"read_values[{_quote(fact)}] := {current[fact]}", ""]
    if not current:
        out += ["read_values := {}", ""]
    out += [*_array("rereads", [f"reread_{i}" for i in range(len(model.read_as))]), ""]
    return out


def _statement_true(model: _Model, ref: str, path: str, value: object) -> str:
    """The statement that succeeds when the fact read from ``ref`` has the value (an object: is given)."""
    kind = model.facts[path]["kind"]
    if kind == "choice":
        return f"{ref} == {_quote(value)}"
    if kind == "list":
        return f"{_quote(value)} in {ref}"
    if kind == "boolean":
        return f"{ref} == true"
    return f"is_object({ref})"


def _cases_module(model: _Model) -> str:
    program = model.program
    out = _header(program, "Every rule case of every clause in force.")
    out += ["package policykit.cases", "",
            "# Each case's condition is a disjunction of terms (one body per term). case_N holds when",
            "# one of its terms holds: every fact value it needs is stated and every value it excludes",
            "# is known to be absent. case_N_open holds when no term is known to fail, so the case",
            "# holds or is unknown (it reads an open fact the request leaves out; docs/semantics.md#unknown-facts). Which",
            "# facts are open is read from x-when-missing in the request schema. The unmet case of an",
            "# obligation needs its settling fact known to be false: unknown, the case fails. Cases",
            "# triggered by the decision's outcome have no terms; data.policykit.decision adds them.",
            "# term_K_open holds when the K-th term of the cases yielding an outcome is not known to",
            "# fail (data.policykit.program.stakes.terms[K]); case_N_open is any of its terms'.", ""]
    out += _read_as_section(model)
    current = None
    stake_term = 0  # the terms of cases yielding an outcome, numbered as in _stake_terms
    for i, case in enumerate(model.cases):
        clause, written = model.written[i]
        if clause.id != current:
            current = clause.id
            out += ["# " + "-" * 97] + _comment(f"{clause.id}: {clause.title} ({clause.kind})") + [""]
        yields = []
        if case.unmet:
            yields.append(OUTCOMES[case.rank])
        else:
            if written.outcome:
                yields.append(written.outcome)
            if written.obligation:
                yields.append("an obligation")
            if written.notice:
                yields.append("a notice")
        if not model.fact_case[i]:
            out += _comment(f"case {i} ({' and '.join(yields)}) when the outcome is "
                            + " or ".join(written.on_outcome) + ": see data.policykit.program.triggered") + [""]
            continue
        when = describe(written.when)
        if case.unmet:
            when += f", and {model.met_by[i - 1]} is known to be false (the obligation of case {i - 1} is unmet)"
        out += _comment(f"case {i} ({' and '.join(yields)}) when {when}")
        out += [f"default case_{i} := false", ""]
        for term in model.terms[i]:
            body: list[str] = []
            for fact, value, holds, _ in sorted(term, key=lambda atom: _priority(model, atom)):
                make = _atom_true if holds else _atom_false
                body += [s for s in make(model, fact, value) if s not in body]
            out += [_rule(f"case_{i}", body), ""]
        if case.rank > 0:
            out += [f"default case_{i}_open := false", ""]
            for term in model.terms[i]:
                out += [f"case_{i}_open if term_{stake_term}_open", ""]
                out += [f"default term_{stake_term}_open := false", ""]
                body = []
                for fact, value, holds, strict in sorted(term, key=lambda atom: _priority(model, atom)):
                    if strict:  # the value must be known: the same statements as for holding
                        statements = (_atom_true if holds else _atom_false)(model, fact, value)
                    else:
                        statements = [(_atom_not_false if holds else _atom_not_true)(model, fact, value)]
                    body += [s for s in statements if s not in body]
                out += [_rule(f"term_{stake_term}_open", body), ""]
                stake_term += 1
    out += ["# " + "-" * 97]
    out += _comment("Reading probes: a case without one condition a reading added to it (reading: in the clause "
                    "YAML). probe_K holds when the case would hold but for that condition; an allowed answer "
                    "then names the reading (data.policykit.program.probes[K]).")
    out.append("")
    for k, (probe, case, terms) in enumerate(model.probes):
        clause, written = model.written[case]
        out += _comment(f"probe {k}: case {case} of {clause.id} without the condition reading {probe.reading} added")
        out += [f"default probe_{k} := false", ""]
        for term in terms:
            body: list[str] = []
            for fact, value, holds, _ in sorted(term, key=lambda atom: _priority(model, atom)):
                make = _atom_true if holds else _atom_false
                body += [s for s in make(model, fact, value) if s not in body]
            out += [_rule(f"probe_{k}", body), ""]
    out += [*_array("probes", [f"probe_{k}" for k in range(len(model.probes))]), ""]
    out += ["# " + "-" * 97,
            "# Whether each case holds, by case index (printed order; outcome-triggered cases: false).",
            *_array("holds", [f"case_{i}" if model.fact_case[i] else "false" for i in range(len(model.cases))]), ""]
    for rank in range(1, len(OUTCOMES)):
        members = [i for i, case in enumerate(model.cases) if case.rank == rank and model.fact_case[i]]
        out += [f"# Whether each case yielding {OUTCOMES[rank]} holds or is unknown, in the order of",
                f"# data.policykit.program.ranks[{rank}].",
                *_array(f"open_{rank}", [f"case_{i}_open" for i in members]), ""]
    out += ["# Whether each term of a case yielding an outcome holds or is unknown, in the order of",
            "# data.policykit.program.stakes.terms (read only when a case is at stake).",
            *_array("terms_open", [f"term_{k}_open" for k in range(stake_term)]), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------- decision.rego

_DECISION = r'''package policykit

# The decision on the request in `input` by the clause versions of one period, as decide() gives
# it (docs/semantics.md), without decision_id. data.policykit.decision (policykit/decision.rego) reads it
# only for a date in this period. The request must be valid against schema/request.schema.json:
# this bundle does not check it.

import data.policykit.clauses
import data.policykit.messages
import data.policykit.program

# The date the request is about: its as_of, or today in the policy's time zone.
as_of := data.policykit.as_of

decision := {
	"outcome": outcome,
	"allowed": program.allowed[outcome],
	"reasons": reasons,
	"obligations": obligations,
	"notices": notices,
	"missing_facts": missing_facts,
	"possible_outcomes": possible_outcomes,
	"explanation": explanation,
	"policy": {
		"id": program.policy.id,
		"revision": program.policy.revision,
		"digest": program.policy.digest,
		"as_of": as_of,
	},
}

# -------------------------------------------------------------------------------------- outcome

case_indexes := numbers.range(0, count(program.cases) - 1)

true_cases := [i | some i in case_indexes; data.policykit.cases.holds[i]]

# The strongest outcome of a case that holds; permitted when none does (the policy's default).
best := max(array.concat([0], [program.cases[i].rank | some i in true_cases]))

# The cases that would yield a stronger outcome and are unknown (none of them holds: best is the
# strongest that does). With none, the outcome is best's (the fast path: a case that holds holds
# whatever the unknown facts are). With some, stakes.rego works out the outcomes the completions
# of the request give (possible_ranks): the decision is undetermined only when there are two.
%(stakes)s

undetermined if {
	count(at_stake) > 0
	count(possible_ranks) > 1
}

# The outcome's rank when it is determined: best, or the one outcome every completion gives.
final := best if count(at_stake) == 0

final := possible_ranks[0] if {
	count(at_stake) > 0
	count(possible_ranks) == 1
}

outcome := "undetermined" if undetermined

outcome := program.outcomes[final] if not undetermined

# The clauses of the cases that decided: those yielding the outcome; or, when the decision is
# undetermined, the cases at stake; when every completion gives an outcome stronger than best,
# the cases at stake that yield it.
reason_cases := [i | some i in case_indexes; i in stake_cases] if undetermined

reason_cases := [i | some i in true_cases; program.cases[i].rank == best] if {
	not undetermined
	final == best
}

reason_cases := [i | some i in case_indexes; i in stake_cases; program.cases[i].rank == final] if {
	not undetermined
	final > best
}

reason_clauses := [program.cases[i].clause | some i in reason_cases]

reason_indexes := [k | k := reason_clauses[n]; not k in array.slice(reason_clauses, 0, n)]

reasons := [clauses[k] | some k in reason_indexes]

# ------------------------------------------------------------------------ obligations and notices

# Cases that hold, and once the outcome is known the cases it triggers, in printed order. An
# obligation or notice carries its clause's interpretation when the clause has one.
fired := array.concat(true_cases, program.triggered[outcome])

effects := [program.cases[i] | some i in program.effect_cases; i in fired]

obligations := [object.union(case.obligation.document, {"met": met(case.obligation)}) |
	some case in effects
	case.obligation != null
]

notices := [case.notice |
	some case in effects
	case.notice != null
]

# Whether an obligation is met: its settling fact's value; null when no fact settles it, or when
# the settling fact is open and the request leaves it out.
met(obligation) := null if obligation.met_by == null

met(obligation) := null if {
	obligation.met_by != null
	obligation.met_open
	object.get(input, obligation.met_by, null) == null
}

met(obligation) := true if {
	obligation.met_by != null
	object.get(input, obligation.met_by, null) == true
}

met(obligation) := false if {
	obligation.met_by != null
	object.get(input, obligation.met_by, null) == false
}

met(obligation) := false if {
	obligation.met_by != null
	not obligation.met_open
	object.get(input, obligation.met_by, null) == null
}

# ------------------------------------------------------------------- possible outcomes, missing facts

possible_outcomes := [program.outcomes[r] | some r in numbers.range(0, count(program.outcomes) - 1); r in possible_ranks] if {
	undetermined
}

possible_outcomes := [] if not undetermined

# The unknown facts whose value can change the outcome: those of the variables the diagram of the
# request's completions tests (stakes.rego), in the request schema's order.
missing_facts := [path | some path in program.fact_order; path in diagram_facts] if undetermined

missing_facts := [] if not undetermined

# A fact's value as the rules read it (after x-read-as), null when the request leaves it out.
fact_value(read) := object.get(input, read.path, null) if not read.reread

fact_value(read) := object.get(data.policykit.cases.read_values, read.fact, null) if read.reread

# ---------------------------------------------------------------------------------- explanation

# Every sentence is data.policykit.messages' (schema/messages.yaml): its parts are literal text
# (strings) and the values it is filled with ({"value": name}).
fill(parts, values) := concat("", [piece | some part in parts; piece := fill_part(part, values)])

fill_part(part, values) := part if is_string(part)

fill_part(part, values) := values[part.value] if is_object(part)

# The reasons named as messages.sentences.clause_name says, joined as messages.lists.clauses says.
reason_names := [program.names[k] | some k in reason_indexes]

titles := concat("", reason_names) if count(reason_names) <= 1

titles := concat(messages.lists.clauses.last, [concat(messages.lists.clauses.separator, array.slice(reason_names, 0, count(reason_names) - 1)), reason_names[count(reason_names) - 1]]) if {
	count(reason_names) > 1
}

# The sentences, in order: the verdict; each value read as another; who else can see it; what must
# be done first; what the answer assumes; approval still pending; the unconfirmed readings the
# outcome rests on.
explanation := concat(" ", array.concat(array.concat(array.concat(array.concat(array.concat(array.concat(
	[verdict_sentence], readings), seen_sentence), unmet_sentence), assumed_sentence), pending_sentence),
	awaiting_sentence))

# Who else can see it (seen_by) besides those it is addressed to, by the values' titles in the
# request schema's order. No rule reads it: the answer only says so.
seen_titles := [t.title |
	some t in data.policykit.seen_by_titles
	t.value in object.get(input, "seen_by", [])
	not t.value in object.get(input, "audience", [])
]

seen_who := concat("", seen_titles) if count(seen_titles) <= 1

seen_who := concat(messages.lists.seen_by.last, [concat(messages.lists.seen_by.separator, array.slice(seen_titles, 0, count(seen_titles) - 1)), seen_titles[count(seen_titles) - 1]]) if {
	count(seen_titles) > 1
}

seen_sentence := [fill(messages.sentences.seen_by, {"who": seen_who})] if count(seen_titles) > 0

seen_sentence := [] if count(seen_titles) == 0

verdict_sentence := fill(messages.sentences.undetermined, {
	"missing": concat(messages.lists.missing, missing_facts),
	"possible": concat(messages.lists.possible, [messages.outcomes[o].short | some o in possible_outcomes]),
	"clauses": titles,
}) if undetermined

verdict_sentence := fill(messages.sentences.unrestricted, {}) if {
	not undetermined
	count(reason_names) == 0
	count(obligations) + count(notices) == 0
}

verdict_sentence := fill(messages.sentences.unrestricted_with_duties, {}) if {
	not undetermined
	count(reason_names) == 0
	count(obligations) + count(notices) > 0
}

verdict_sentence := fill(messages.sentences.verdict_not_yet, {"clauses": titles}) if {
	count(reason_names) > 0
	only_unmet
}

verdict_sentence := fill(messages.sentences.verdict, {"verdict": messages.outcomes[outcome].verdict, "clauses": titles}) if {
	not undetermined
	count(reason_names) > 0
	not only_unmet
}

# Only the unmet cases of obligations decided: the action is not allowed yet.
only_unmet if {
	not undetermined
	count(reason_cases) > 0
	count([i | some i in reason_cases; not program.cases[i].unmet]) == 0
}

readings := [program.read_as[i] | data.policykit.cases.rereads[i] == true]

unmet_texts := [o.text | some o in obligations; o.met == false]

assumed_texts := [o.text | some o in obligations; o.met == null]

done_count := count([1 | some o in obligations; o.met == true])

unmet_sentence := [fill(messages.sentences.not_yet, {"duties": concat(messages.lists.duties, unmet_texts)})] if {
	count(unmet_texts) > 0
}

unmet_sentence := [] if count(unmet_texts) == 0

# A proviso ("provided you ...") only where the outcome is allowed or needs approval: it cannot
# change a prohibition, and an undetermined answer does not hold yet.
proviso_outcome if outcome in program.proviso_outcomes

assumed_sentence := [fill(messages.sentences.proviso, {"duties": concat(messages.lists.duties, assumed_texts)})] if {
	count(assumed_texts) > 0
	proviso_outcome
}

assumed_sentence := [] if count(assumed_texts) == 0

assumed_sentence := [] if {
	count(assumed_texts) > 0
	not proviso_outcome
}

approval_pending if {
	outcome == "requires_approval"
	count(unmet_texts) == 0
	done_count > 0
}

pending_sentence := [fill(messages.sentences.approval_pending, {})] if approval_pending

pending_sentence := [] if not approval_pending

# The unconfirmed readings the outcome rests on, each once: the deciding clauses' (by id), those of
# the obligations the explanation states (unmet, or a proviso), and for an allowed answer the
# readings whose conditions kept a stronger case from deciding (the reading probes that hold).
stated(o) if o.met == false

stated(o) if {
	o.met == null
	proviso_outcome
}

probed := [program.probes[k].reading |
	some k in numbers.range(0, count(program.probes) - 1)
	program.probes[k].rank > final
	data.policykit.cases.probes[k] == true
] if {
	not undetermined
	final <= program.allowed_rank
}

probed := [] if undetermined

probed := [] if {
	not undetermined
	final > program.allowed_rank
}

named := array.concat(array.concat(
	[clauses[k].id | some k in reason_indexes; program.awaiting_board[k]],
	[o.clause | some o in obligations; stated(o); o.interpretation.status == "proposed"]), probed)

unconfirmed := [r | r := named[n]; not r in array.slice(named, 0, n)]

awaiting_sentence := [fill(messages.sentences.unconfirmed_reading, {"readings": concat(messages.lists.readings, unconfirmed)})] if {
	count(unconfirmed) > 0
}

awaiting_sentence := [] if count(unconfirmed) == 0
'''


def _decision_module(program: Program) -> str:
    stakes = []
    for rank in range(1, len(OUTCOMES)):
        stakes += [
            f"stake_{rank} := [program.ranks[{rank}][j] |",
            f"\tsome j in numbers.range(0, count(program.ranks[{rank}]) - 1)",
            f"\tdata.policykit.cases.open_{rank}[j]",
            f"] if best < {rank}",
            "",
            f"stake_{rank} := [] if best >= {rank}",
            "",
        ]
    chain = "stake_1"
    for rank in range(2, len(OUTCOMES)):
        chain = f"array.concat({chain}, stake_{rank})"
    stakes.append(f"at_stake := {chain}")
    text = _DECISION.replace("%(stakes)s", "\n".join(stakes))
    return "\n".join(_header(program, "The decision: precedence, reasons, unknown facts.")) + "\n" + text


# ----------------------------------------------------------------------------------- stakes.rego

_STAKES = r'''package policykit

# Exact answers when cases are at stake (docs/semantics.md#unknown-facts; read only when at_stake is not empty). A
# completion of the request gives every unknown fact a value; the decision is undetermined only
# when two completions give different outcomes, possible_outcomes are the outcomes they give, and
# missing_facts the unknown facts that can change the outcome (two completions differing only in
# that fact's value give different outcomes). No completion is enumerated: the unknown facts are
# split into variables (data.policykit.program.stakes.vars, see below), given values one variable
# at a time, and the states this leads to are merged when they are alike, so the work grows with
# the number of distinct states, not of completions.
#
# A state is {"best": the strongest outcome rank already certain, "terms": the terms still
# live}. A live term is {"rank": r, "c": its constraints on the variables not given a value yet,
# [[variable, allowed value indexes], ...] by variable}; a term with no constraint left holds (it
# raises best), a term whose constraint a value breaks is dropped, and so is a term no stronger
# than best. Forwards, level by level, states_K are the distinct states reachable once variables
# 0..K-1 have values (next_K: each state's states for variable K's values; only itself when no
# live term constrains K). Backwards, canon_K gives each state of level K its entry: "d" its
# diagram, an outcome rank when no variable from K on can change it, else {"test": variable,
# "then": the diagram for each of its values}; a node whose diagrams are all equal is that
# diagram, so the diagram is canonical (Rego compares values structurally). Each entry also
# carries "r", the ranks in its diagram, and "f", the variables it tests: the root's give
# possible_ranks and missing_facts.

import data.policykit.program

# The unknown facts among those the variables stand for.
unknown_facts := [f.fact | some f in program.stakes.facts; fact_value(f) == null]

# The terms at stake: terms of the cases yielding more than best that no known fact falsifies (a
# fact an unmet case needs known is known), each with its constraints on unknown facts only.
stake_terms := [{"case": t.case, "rank": t.rank, "c": [c | some c in t.c; program.stakes.vars[c[0]].fact in unknown_facts]} |
	some k in numbers.range(0, count(program.stakes.terms) - 1)
	data.policykit.cases.terms_open[k]
	t := program.stakes.terms[k]
	t.rank > best
]

# The cases at stake: with a term at stake that some completion makes true (each of its
# constraints allows a value). Their clauses are the reasons of an undetermined decision.
stake_cases := [t.case | some t in stake_terms; count([c | some c in t.c; count(c[1]) == 0]) == 0]

start := {"best": best, "terms": {{"rank": t.rank, "c": t.c} | some t in stake_terms}}

# A live term once variable v takes its x-th value: unchanged if the term does not constrain v;
# without its constraint on v if x is allowed; undefined (dropped) if x is not.
advance(t, v, x) := t if t.c[0][0] != v

advance(t, v, x) := {"rank": t.rank, "c": array.slice(t.c, 1, count(t.c))} if {
	t.c[0][0] == v
	x in t.c[0][1]
}

# The state once variable v takes its x-th value.
after(s, v, x) := {"best": b, "terms": rest} if {
	moved := [y | some t in s.terms; y := advance(t, v, x)]
	b := max(array.concat([s.best], [t.rank | some t in moved; count(t.c) == 0]))
	rest := {t | some t in moved; count(t.c) > 0; t.rank > b}
}

# The states of variable v's values, or the state alone when no live term constrains v.
children(s, v, last) := [s] if not constrains(s, v)

children(s, v, last) := [after(s, v, x) | some x in numbers.range(0, last); completes(v, x)] if constrains(s, v)

# A value a completion may give: any, except a value x-read-as reads as another (a teacher's
# "counseling" purpose is read as personal) while the fact deciding that is known not to hold.
completes(v, x) if not read_as_value(v, x)

completes(v, x) if fact_value(read_as_value(v, x).unless) == null

completes(v, x) if {
	r := read_as_value(v, x)
	fact_value(r.unless) == r.unless_value
}

read_as_value(v, x) := r if {
	some r in object.get(program.stakes.vars[v], "read_as", [])
	r.index == x
}

constrains(s, v) if {
	some t in s.terms
	t.c[0][0] == v
}

# A state's entry backwards: "d" its diagram, "r" the ranks in it, "f" the variables it tests.
# From the entries of variable v's values: one of them if their diagrams are all equal.
entry(v, kids) := kids[0] if not differ(kids)

entry(v, kids) := {
	"d": {"test": v, "then": [k.d | some k in kids]},
	"r": {r | some k in kids; some r in k.r},
	"f": {f | some k in kids; some f in array.concat([v], [g | some g in k.f])},
} if differ(kids)

differ(kids) if {
	some k in kids
	k.d != kids[0].d
}

%(levels)s

# The outcome ranks the completions give, weakest first; the facts whose variables the diagram tests.
possible_ranks := [r | some r in numbers.range(0, count(program.outcomes) - 1); r in root.r]

diagram_facts := {program.stakes.vars[v].fact | some v in root.f}
'''


def _variable_words(variable: dict[str, Any]) -> str:
    """What a variable's values say, for the generated comments."""
    if variable["value"] is None:
        names = [str(v) for v in variable["domain"] if v is not OTHER]
        other = ", or another value" if OTHER in variable["domain"] else ""
        return f"{variable['fact']} is {', '.join(names)}{other}"
    if variable["value"] is True:
        return f"whether {variable['fact']} is true (or given)"
    return f"whether {variable['fact']} has {variable['value']}"


def _stakes_module(program: Program, stakes: dict[str, Any]) -> str:
    """The forward and backward levels, one rule each per variable, around the fixed part."""
    variables = stakes["vars"]
    n = len(variables)
    lines = ["# Forwards. Level 0: the request's own state, before any variable has a value. index_K",
             "# gives the position of each state of level K in states_K (by its JSON text).",
             "states_0 := [start]", "", "index_0 := {json.marshal(start): 0}", ""]
    for v, variable in enumerate(variables):
        width = len(variable["domain"])
        lines += _comment(f"Variable {v}: {_variable_words(variable)} ({width} values). next_{v} gives each "
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
    text = _STAKES.replace("%(levels)s", "\n".join(lines))
    return "\n".join(_header(program, "The outcomes a request's completions give, when cases are at stake.")) + "\n" + text


# --------------------------------------------------------------------------------------- bundle


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def period_package(program: Program) -> str:
    """The package of the clause versions in force from ``program.valid_from``, under
    ``policykit``: ``v2015_11_18``. Named by its date, so it is the same in every bundle."""
    return "v" + program.valid_from.isoformat().replace("-", "_")


def _in_period(text: str, package: str) -> str:
    """A module written for ``package policykit`` (or ``policykit.cases``) and the data at
    ``data.policykit.{cases,program,clauses}``, moved under ``policykit.<package>``."""
    text = re.sub(r"^package policykit\b", f"package policykit.{package}", text, flags=re.M)
    return re.sub(r"\bdata\.policykit\.(cases|program|clauses)\b", rf"data.policykit.{package}.\1", text)


_SELECT = r'''package policykit

# data.policykit.decision: the decision on the request in `input`, as decide() gives it (docs/semantics.md),
# without decision_id, by the clause versions in force on the request's date. The request must be
# valid against schema/request.schema.json: this bundle does not check it. A request about a date
# before the first revision on record, or outside the periods this bundle holds, gets
# {"errors": [...]} instead, as decide() refuses it.

import data.policykit.periods

# Today: the date in the policy's time zone (a version takes effect at midnight there), whatever
# the time zone of the machine running the bundle.
today := sprintf("%04d-%02d-%02d", time.date([time.now_ns(), data.policykit.time_zone]))

as_of := input.as_of if is_string(input.as_of)

as_of := today if not input.as_of

errors contains {"pointer": "/as_of", "message": msg} if {
	as_of < periods[0].valid_from
	periods[0].valid_from == data.policykit.first_date
	msg := concat("", [as_of, " is before ", data.policykit.first_date, ", the earliest revision on record; the policy's earlier text is not encoded, so questions about earlier dates cannot be answered"])
}

errors contains {"pointer": "/as_of", "message": msg} if {
	as_of < periods[0].valid_from
	periods[0].valid_from != data.policykit.first_date
	msg := concat("", [as_of, " is before ", periods[0].valid_from, ", when the clause versions of this bundle took effect; export a bundle for that date"])
}

errors contains {"pointer": "/as_of", "message": msg} if {
	until := periods[count(periods) - 1].valid_until
	is_string(until)
	as_of >= until
	msg := concat("", [as_of, " is on or after ", until, ", when later clause versions took effect; export a bundle for that date"])
}

decision := {"errors": sort(errors)} if count(errors) > 0

# One rule per period: the decision of the clause versions in force on as_of.
%(periods)s
'''


def _select_module(policy_id: str, digest: str, programs: list[Program], until: list[date | None]) -> str:
    lines = []
    for program, end in zip(programs, until):
        package = period_package(program)
        span = f"from {program.valid_from.isoformat()}" + (f" until {end.isoformat()}" if end else " on")
        lines += _comment(f"The clause versions in force {span} (revision {program.revision}, "
                          f"{program.digest}): package policykit.{package}.")
        body = ["count(errors) == 0", f"as_of >= {_quote(program.valid_from.isoformat())}"]
        if end:
            body.append(f"as_of < {_quote(end.isoformat())}")
        lines += [_rule(f"decision := data.policykit.{package}.decision", body), ""]
    header = [f"# Generated by `policykit export rego` from policy {policy_id}, digest {digest}.",
              "# The date, and the period of clause versions that answers.",
              "# Do not edit: change the clauses and export again.", ""]
    return "\n".join(header) + "\n" + _SELECT.replace("%(periods)s", "\n".join(lines).rstrip("\n")) + "\n"


def seen_by_titles() -> list[dict[str, str]]:
    """Each value of ``seen_by`` (who else can see it) and its title, in the request schema's
    order: the words the explanation names them by (the bundle's and the browser's data)."""
    from policykit.core.vocabulary import load_vocabulary

    return [{"value": value.name, "title": value.title} for value in load_vocabulary()["seen_by"].values]


def bundle_files(policy: "Policy", day: date | None = None) -> dict[str, bytes]:
    """The bundle's files (path relative to the bundle root -> bytes): every period of the policy
    (each span of dates over which no clause version changes), or with ``day`` only the period in
    force on that day. ``data.policykit.decision`` chooses the period by the request's date (today
    in the policy's time zone when it gives none). Raises ``RequestError`` for a day before the
    first revision on record."""
    starts = list(policy.document.effective_dates())
    programs = [policy.program(day)] if day is not None else [policy.program(start) for start in starts]
    until = [next((later for later in starts if later > program.valid_from), None) for program in programs]
    digest = policy_digest(policy.document)
    data: dict[str, Any] = {
        "time_zone": policy.document.time_zone,
        "first_date": starts[0].isoformat(),
        "messages": policy.messages.to_data(),
        "seen_by_titles": seen_by_titles(),
        "periods": [{"package": period_package(program), "valid_from": program.valid_from.isoformat(),
                     "valid_until": end.isoformat() if end else None, "revision": program.revision,
                     "digest": program.digest} for program, end in zip(programs, until)],
    }
    files: dict[str, bytes] = {}
    for program in programs:
        package = period_package(program)
        model = _Model(policy, program)
        tables = _tables(policy, model)
        data[package] = {"clauses": [reason.to_dict() for reason in program.reasons], "program": tables}
        modules = (_cases_module(model), _decision_module(program), _stakes_module(program, tables["stakes"]))
        for name, text in zip(PERIOD_MODULES, modules):
            files[f"{ROOT}/{package}/{name}"] = _in_period(text, package).encode("utf-8")
    files[SELECT_MODULE] = _select_module(policy.document.id, digest, programs, until).encode("utf-8")
    manifest = {"revision": digest, "roots": [ROOT], "rego_version": 1,
                "metadata": {"policy": policy.document.id, "time_zone": policy.document.time_zone,
                             "valid_from": data["periods"][0]["valid_from"],
                             "valid_until": data["periods"][-1]["valid_until"],
                             "periods": [{k: v for k, v in period.items() if k != "package"}
                                         for period in data["periods"]],
                             "query": QUERY}}
    return {".manifest": _json(manifest), "data.json": _json({ROOT: data}), **dict(sorted(files.items()))}


def write_bundle(policy: "Policy", outdir: Path, day: date | None = None) -> list[Path]:
    """Write the OPA bundle (every period, or the one in force on ``day``) into ``outdir``
    (created if needed). The bundle's own files are replaced, and any other ``.rego`` file under
    ``outdir/policykit/`` (a period an earlier export held) is removed, so that OPA loads exactly
    this bundle; nothing else is touched. Returns the paths written, sorted. The same policy
    always gives the same bytes."""
    files = bundle_files(policy, day)
    root = Path(outdir)
    for stale in sorted((root / ROOT).rglob("*.rego")) if (root / ROOT).is_dir() else []:
        if stale.relative_to(root).as_posix() not in files:
            stale.unlink()
    written = []
    for relative, content in sorted(files.items()):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written


def bundle_modules(outdir: Path) -> list[str]:
    """The Rego modules of a written bundle, as paths relative to its root, sorted."""
    root = Path(outdir)
    return sorted(path.relative_to(root).as_posix() for path in (root / ROOT).rglob("*.rego"))


def load_bundle_into(interpreter: Any, outdir: Path) -> None:
    """Add a written bundle's modules and data to a Rego interpreter: anything with
    ``add_module(name, source)`` and ``add_data_json(text)``, such as ``regopy.Interpreter``."""
    root = Path(outdir)
    for relative in bundle_modules(root):
        interpreter.add_module(relative, (root / relative).read_text(encoding="utf-8"))
    interpreter.add_data_json((root / "data.json").read_text(encoding="utf-8"))

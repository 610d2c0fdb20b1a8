"""Export the clauses in force on a date as an OPA bundle (Rego v1) that decides like ``decide()``.

``write_bundle(policy, outdir, day)`` writes four files, all generated from the compiled program
(``compiler.compile_program``), never written by hand per clause:

* ``policykit/cases.rego`` (``package policykit.cases``): every rule case of every clause in
  force, as the disjunction of terms ``compiler.to_terms`` made of its condition. ``case_N`` is
  true when one of its terms holds (each fact value the term needs is stated, each value it
  excludes is known to be absent); ``case_N_open`` (for cases that yield an outcome) is true when
  none of its terms is known to fail, i.e. the case holds or is unknown. That is Kleene's
  three-valued logic over unknown facts, as the engine evaluates it.
* ``policykit/decision.rego`` (``package policykit``): ``decision``, the document
  ``Decision.to_dict()`` gives, less ``decision_id``: precedence, reasons, obligations (with
  ``met``), notices (with the outcome-triggered ones), ``missing_facts``, ``possible_outcomes``,
  the explanation and the policy stamp.
* ``data.json``: ``data.policykit.clauses`` (id, title, kind, text, url of each clause in force,
  in printed order) and ``data.policykit.program`` (the cases, what they yield, the facts they
  read, the missing-facts tables, outcomes, the policy stamp).
* ``.manifest``: ``{"revision": <policy digest>, "roots": ["policykit"], "rego_version": 1, ...}``.

``missing_facts`` lists the unknown facts that are not dummies of an at-stake case (changing one
alone can change the case's answer). Whether a fact is a dummy depends only on the states of the
facts the case reads, restricted to the values its terms name, so the exporter enumerates those
states once per case and stores the answer (``program.cases[i].missing``, keyed by the states);
the Rego looks it up. The enumeration is written here, independently of ``engine._missing_facts``,
and ``tests/test_rego`` checks the two agree.

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

import itertools
import json
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .compiler import Program
from .conditions import describe
from .decision import ALLOWED
from .engine import ENUMERATION_LIMIT, OUTCOME_PHRASES
from .model import OUTCOMES
from .vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:  # pragma: no cover
    from .api import Policy

ROOT = "policykit"
QUERY = "data.policykit.decision"
ENTRYPOINT = "policykit/decision"
CASES_MODULE = "policykit/cases.rego"
DECISION_MODULE = "policykit/decision.rego"
MODULES = (CASES_MODULE, DECISION_MODULE)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_STATE_LIMIT = 1 << 16  # most fact-state combinations one case's missing-facts table may come from

Atom = tuple[str, object, bool]  # (fact, value, holds): holds=False for a value the term excludes


# ------------------------------------------------------------------------------------------ model


class _Model:
    """The compiled program in the shape the bundle needs: cases in printed order (fact cases
    and outcome-triggered ones together), each with its terms as atoms, and the facts read."""

    def __init__(self, policy: "Policy", program: Program):
        self.program = program
        layout = program.layout
        self.vocabulary: Vocabulary = load_vocabulary()
        atom_of: dict[int, tuple[str, object]] = {}
        for fact, table in layout.bits.items():
            for value, bit in table.items():
                atom_of[bit] = (fact, value)

        def atoms(mask: int, holds: bool) -> list[Atom]:
            found = []
            while mask:
                low = mask & -mask
                fact, value = atom_of[low]
                found.append((fact, value, holds))
                mask ^= low
            return found

        self.cases = sorted([*program.cases, *program.outcome_cases], key=lambda case: case.order)
        index_of = {id(case): i for i, case in enumerate(self.cases)}
        self.terms: dict[int, list[list[Atom]]] = {i: [] for i in range(len(self.cases))}
        for term, (positive, negative) in enumerate(program.term_pairs):
            case = index_of[id(program.cases[program.term_case[term]])]
            self.terms[case].append(sorted(atoms(positive, True) + atoms(negative, False),
                                           key=lambda atom: (layout.order[atom[0]], str(atom[1]))))
        self.met_by = {i: atom_of[case.met_bit][0] if case.met_bit else None for i, case in enumerate(self.cases)}
        # The facts: kind, values, whether missing means unknown (open), whether a valid request
        # can leave them unknown (open and not required), in vocabulary order.
        self.facts: dict[str, dict[str, Any]] = {}
        for fact in self.vocabulary.facts:
            if fact.path not in layout.masks:
                continue
            is_open = bool(layout.initially_unknown & layout.masks[fact.path])
            parts = fact.path.split(".")
            required = all(self.vocabulary[".".join(parts[:n])].required for n in range(1, len(parts) + 1))
            self.facts[fact.path] = {"kind": fact.kind, "values": fact.value_names, "open": is_open,
                                     "may_be_unknown": is_open and not required}
        # What each case was written as, for the comments of the generated Rego.
        in_force = [(clause, version) for clause in policy.document.clauses
                    if (version := clause.version_on(program.valid_from)) is not None]
        self.written = [(clause, case) for clause, version in in_force for case in version.rule]
        assert [clause.id for clause, _ in self.written] == [program.reasons[c.clause].id for c in self.cases]

    def reads(self, case: int) -> list[dict[str, Any]]:
        """The facts a case's terms read, in vocabulary order, with the values they name."""
        named: dict[str, list] = {}
        for term in self.terms[case]:
            for fact, value, _ in term:
                if value not in named.setdefault(fact, []):
                    named[fact].append(value)
        reads = []
        for fact in self.facts:
            if fact not in named:
                continue
            info = self.facts[fact]
            values = sorted(named[fact], key=str)
            reads.append({"fact": fact, "path": fact.split("."), "kind": info["kind"], "named": values,
                          "open": info["open"], "missing": None if info["open"] else []})
        return reads


# ------------------------------------------------------------------------------ missing facts


def _fact_states(read: dict[str, Any], info: dict[str, Any]) -> list[tuple[str, frozenset | None]]:
    """Every state of a fact that matters to a case, as (key, true values; None when unknown).
    The key is what ``fact_key`` in decision.rego computes from a request."""
    named = read["named"]
    if read["kind"] == "choice":
        states: list[tuple[str, frozenset | None]] = [(value, frozenset([value])) for value in named]
        if len(named) < len(info["values"]):
            states.append(("*", frozenset()))  # a value the case does not name
    elif read["kind"] == "list":
        states = []
        for n in range(1 << len(named)):
            chosen = [value for j, value in enumerate(named) if n >> j & 1]
            states.append((",".join(chosen), frozenset(chosen)))
    elif read["kind"] == "boolean":
        states = [("true", frozenset([True])), ("false", frozenset())]
    else:  # an object: given or not
        states = [("given", frozenset([True])), ("absent", frozenset())]
    if info["may_be_unknown"]:
        states.append(("?", None))
    return states


def _missing_table(model: _Model, case: int) -> dict[str, list[str]]:
    """For a case that yields an outcome: the facts to list in ``missing_facts`` for every state
    of the facts it reads in which it is unknown (no term holds, some term does not fail)."""
    terms = model.terms[case]
    reads = model.reads(case)
    choices = [_fact_states(read, model.facts[read["fact"]]) for read in reads]
    size = 1
    for states in choices:
        size *= len(states)
    if size > _STATE_LIMIT:
        raise ValueError(f"a rule case reads too many fact values to export ({size} states)")
    names = [read["fact"] for read in reads]
    table: dict[str, list[str]] = {}
    for combination in itertools.product(*choices):
        state = {name: values for name, (_, values) in zip(names, combination)}
        if all(values is not None for values in state.values()):
            continue
        undecided = []
        for term in terms:
            if any(state[f] is not None and (v in state[f]) != holds for f, v, holds in term):
                continue  # the term fails
            if all(state[f] is not None for f, _, _ in term):
                break  # the term holds: so does the case
            undecided.append(term)
        else:
            if undecided:
                key = "|".join(key for key, _ in combination)
                table[key] = _relevant(undecided, state, model)
    return table


def _relevant(undecided: list[list[Atom]], state: dict[str, frozenset | None], model: _Model) -> list[str]:
    """The unknown facts read by the undecided terms that are not dummies of "some undecided term
    holds": each unknown fact ranges over the values the terms name (plus another value, for a
    single-valued fact; every subset, for a list). One undecided term: every unknown fact it reads.
    Past the engine's enumeration limit: every unknown fact read."""
    order = list(model.facts)
    unknown = sorted({f for term in undecided for f, _, _ in term if state[f] is None}, key=order.index)
    if len(undecided) == 1:
        return unknown
    domains = []
    for fact in unknown:
        named = sorted({v for term in undecided for f, v, _ in term if f == fact}, key=str)
        if model.facts[fact]["kind"] == "choice":
            domain = [frozenset([v]) for v in named]
            if len(named) < len(model.facts[fact]["values"]):
                domain.append(frozenset())
        else:
            domain = [frozenset(v for j, v in enumerate(named) if n >> j & 1) for n in range(1 << len(named))]
        domains.append(domain)
    size = 1
    for domain in domains:
        size *= len(domain)
    if size > ENUMERATION_LIMIT:
        return unknown

    def holds(values: dict[str, frozenset]) -> bool:  # an atom on a known fact is true in an undecided term
        return any(all(f not in values or (v in values[f]) == h for f, v, h in term) for term in undecided)

    answers = {pick: holds({fact: domain[i] for fact, domain, i in zip(unknown, domains, pick)})
               for pick in itertools.product(*(range(len(domain)) for domain in domains))}
    return [fact for k, fact in enumerate(unknown)
            if any(answers[pick] != answers[pick[:k] + (j,) + pick[k + 1:]]
                   for pick in answers for j in range(len(domains[k])))]


# ------------------------------------------------------------------------------------ data.json


def _tables(policy: "Policy", model: _Model) -> dict[str, Any]:
    program = model.program
    starts = policy.document.effective_dates()
    later = [day for day in starts if day > program.valid_from]
    cases, missing = [], []
    for i, case in enumerate(model.cases):
        entry: dict[str, Any] = {
            "clause": case.clause,
            "rank": case.rank,
            "obligation": None if case.obligation_text is None else {
                "text": case.obligation_text,
                "met_by": model.met_by[i].split(".") if model.met_by[i] else None},
            "notice": None if case.notice is None else case.notice.text,
            "on_outcome": [name for rank, name in enumerate(OUTCOMES) if case.on_outcome >> rank & 1],
        }
        cases.append(entry)
        # Only a case yielding more than "permitted" can make a decision undetermined.
        if case.rank > 0 and case.on_outcome == 0:
            missing.append({"reads": [{key: read[key] for key in ("kind", "missing", "named", "open", "path")}
                                      for read in model.reads(i)],
                            "table": _missing_table(model, i)})
        else:
            missing.append(None)
    return {
        "policy": {"id": program.policy_id, "revision": program.revision, "digest": program.digest,
                   "valid_from": program.valid_from.isoformat(),
                   "valid_until": later[0].isoformat() if later else None,
                   "first_date": starts[0].isoformat()},
        "outcomes": list(OUTCOMES),
        "allowed": dict(ALLOWED),
        "phrases": dict(OUTCOME_PHRASES),
        "cases": cases,
        "effect_cases": [i for i, entry in enumerate(cases) if entry["obligation"] or entry["notice"]],
        "missing": missing,
        "names": [f"“{reason.title}” ({reason.id})" for reason in program.reasons],
        "ranks": [[i for i, case in enumerate(model.cases) if case.rank == rank and case.on_outcome == 0]
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


def _atom_true(info: dict[str, Any], path: str, value: object) -> list[str]:
    """Rego statements that succeed exactly when the atom (fact has value) is known to be true."""
    ref, kind = _ref(path), info["kind"]
    if kind == "choice":
        return [f"{ref} == {_quote(value)}"]
    if kind == "list":
        return [f"{_quote(value)} in {ref}"]
    if kind == "boolean":
        return [f"{ref} == true"]
    return [f"is_object({ref})"]  # an object: given


def _atom_false(info: dict[str, Any], path: str, value: object) -> list[str]:
    """... exactly when it is known to be false. (A missing open fact is unknown: both fail.)"""
    ref, kind = _ref(path), info["kind"]
    if kind == "choice":
        return [f"{ref} != {_quote(value)}"]  # undefined, so failing, when the fact is missing
    if kind == "list":
        return ([f"is_array({ref})"] if info["open"] else []) + [f"not {_quote(value)} in {ref}"]
    if kind == "boolean":  # closed: missing means false
        return [f"not {ref} == true"]
    return [f"not is_object({ref})"]


def _atom_not_false(info: dict[str, Any], path: str, value: object) -> str:
    """One statement that succeeds when the atom is true or unknown."""
    ref, kind = _ref(path), info["kind"]
    if kind == "choice":
        return f"not {ref} != {_quote(value)}"
    if kind == "list" and info["open"]:  # missing: unknown, so the default contains the value
        path_term = _quote(path.split(".")) if "." in path else _quote(path)
        return f"{_quote(value)} in object.get(input, {path_term}, [{_quote(value)}])"
    return _atom_true(info, path, value)[0]  # closed facts are never unknown


def _atom_not_true(info: dict[str, Any], path: str, value: object) -> str:
    """One statement that succeeds when the atom is false or unknown."""
    ref, kind = _ref(path), info["kind"]
    if kind == "choice":
        return f"not {ref} == {_quote(value)}"
    if kind == "list":
        return f"not {_quote(value)} in {ref}"
    if kind == "boolean":
        return f"not {ref} == true"
    return f"not is_object({ref})"


def _priority(model: _Model, atom: Atom) -> tuple:
    """Statement order in a body: the likeliest to fail first (a flag of a closed list or a
    yes/no fact, then single-valued facts, then the audience), so most bodies stop at once."""
    fact, value, holds = atom
    info = model.facts[fact]
    if not holds:
        rank = 4
    elif info["kind"] in ("boolean", "object") or (info["kind"] == "list" and not info["open"]):
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


def _cases_module(model: _Model) -> str:
    program = model.program
    out = _header(program, "Every rule case of every clause in force.")
    out += ["package policykit.cases", "",
            "# Each case's condition is a disjunction of terms (one body per term). case_N holds when",
            "# one of its terms holds: every fact value it needs is stated and every value it excludes",
            "# is known to be absent. case_N_open holds when no term is known to fail, so the case",
            "# holds or is unknown (it reads a fact the request leaves out; SPEC §3-§4). Cases",
            "# triggered by the decision's outcome have no terms; data.policykit.decision adds them.", ""]
    current = None
    for i, case in enumerate(model.cases):
        clause, written = model.written[i]
        if clause.id != current:
            current = clause.id
            out += ["# " + "-" * 97] + _comment(f"{clause.id}: {clause.title} ({clause.kind})") + [""]
        yields = []
        if written.outcome:
            yields.append(written.outcome)
        if written.obligation:
            yields.append("an obligation")
        if written.notice:
            yields.append("a notice")
        if written.when is None:
            out += _comment(f"case {i} ({' and '.join(yields)}) when the outcome is "
                            + " or ".join(written.on_outcome) + ": see data.policykit.program.triggered") + [""]
            continue
        out += _comment(f"case {i} ({' and '.join(yields)}) when {describe(written.when)}")
        out += [f"default case_{i} := false", ""]
        for term in model.terms[i]:
            body: list[str] = []
            for fact, value, holds in sorted(term, key=lambda atom: _priority(model, atom)):
                make = _atom_true if holds else _atom_false
                body += [s for s in make(model.facts[fact], fact, value) if s not in body]
            out += [_rule(f"case_{i}", body), ""]
        if case.rank > 0:
            out += [f"default case_{i}_open := false", ""]
            for term in model.terms[i]:
                body = []
                for fact, value, holds in sorted(term, key=lambda atom: _priority(model, atom)):
                    statement = (_atom_not_false if holds else _atom_not_true)(model.facts[fact], fact, value)
                    if statement not in body:
                        body.append(statement)
                out += [_rule(f"case_{i}_open", body), ""]
    out += ["# " + "-" * 97,
            "# Whether each case holds, by case index (printed order; outcome-triggered cases: false).",
            *_array("holds", [f"case_{i}" if model.written[i][1].when is not None else "false"
                              for i in range(len(model.cases))]), ""]
    for rank in range(1, len(OUTCOMES)):
        members = [i for i, case in enumerate(model.cases) if case.rank == rank and case.on_outcome == 0]
        out += [f"# Whether each case yielding {OUTCOMES[rank]} holds or is unknown, in the order of",
                f"# data.policykit.program.ranks[{rank}].",
                *_array(f"open_{rank}", [f"case_{i}_open" for i in members]), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------- decision.rego

_DECISION = r'''package policykit

# data.policykit.decision: the decision on the request in `input`, as decide() gives it (SPEC §4),
# without decision_id. The request must be valid against schema/request.schema.json: this bundle
# does not check it. A request about a date outside the period the bundle was exported for gets
# {"errors": [...]} instead, as decide() refuses it.

import data.policykit.clauses
import data.policykit.program

# --------------------------------------------------------------------------- the date and errors

today := sprintf("%04d-%02d-%02d", time.date(time.now_ns()))

as_of := input.as_of if is_string(input.as_of)

as_of := today if not input.as_of

errors contains {"pointer": "/as_of", "message": msg} if {
	as_of < program.policy.valid_from
	program.policy.valid_from == program.policy.first_date
	msg := concat("", [as_of, " is before ", program.policy.first_date, ", the earliest revision on record; the policy's earlier text is not encoded, so questions about earlier dates cannot be answered"])
}

errors contains {"pointer": "/as_of", "message": msg} if {
	as_of < program.policy.valid_from
	program.policy.valid_from != program.policy.first_date
	msg := concat("", [as_of, " is before ", program.policy.valid_from, ", when the clause versions of this bundle took effect; export a bundle for that date"])
}

errors contains {"pointer": "/as_of", "message": msg} if {
	is_string(program.policy.valid_until)
	as_of >= program.policy.valid_until
	msg := concat("", [as_of, " is on or after ", program.policy.valid_until, ", when later clause versions took effect; export a bundle for that date"])
}

decision := {"errors": sort(errors)} if count(errors) > 0

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
} if count(errors) == 0

# -------------------------------------------------------------------------------------- outcome

case_indexes := numbers.range(0, count(program.cases) - 1)

true_cases := [i | some i in case_indexes; data.policykit.cases.holds[i]]

# The strongest outcome of a case that holds; permitted when none does (the policy's default).
best := max(array.concat([0], [program.cases[i].rank | some i in true_cases]))

# Cases that would yield a stronger outcome and are unknown (none of them holds: best is the
# strongest that does) make the decision undetermined.
%(stakes)s

undetermined if count(at_stake) > 0

outcome := "undetermined" if undetermined

outcome := program.outcomes[best] if not undetermined

# The clauses of the cases that decided: those yielding the outcome, or those at stake.
reason_cases := [i | some i in case_indexes; i in at_stake] if undetermined

reason_cases := [i | some i in true_cases; program.cases[i].rank == best] if not undetermined

reason_clauses := [program.cases[i].clause | some i in reason_cases]

reason_indexes := [k | k := reason_clauses[n]; not k in array.slice(reason_clauses, 0, n)]

reasons := [clauses[k] | some k in reason_indexes]

# ------------------------------------------------------------------------ obligations and notices

# Cases that hold, and once the outcome is known the cases it triggers, in printed order.
fired := array.concat(true_cases, program.triggered[outcome])

effects := [program.cases[i] | some i in program.effect_cases; i in fired]

obligations := [{"clause": clauses[case.clause].id, "text": case.obligation.text, "met": met(case.obligation)} |
	some case in effects
	case.obligation != null
]

notices := [{"clause": clauses[case.clause].id, "text": case.notice} |
	some case in effects
	case.notice != null
]

met(obligation) := null if obligation.met_by == null

met(obligation) := true if {
	obligation.met_by != null
	object.get(input, obligation.met_by, false) == true
}

met(obligation) := false if {
	obligation.met_by != null
	not object.get(input, obligation.met_by, false) == true
}

# ------------------------------------------------------------------- possible outcomes, missing facts

possible_ranks := array.concat([best], [program.cases[i].rank | some i in at_stake])

possible_outcomes := [program.outcomes[r] | some r in numbers.range(0, count(program.outcomes) - 1); r in possible_ranks] if {
	undetermined
}

possible_outcomes := [] if not undetermined

# The unknown facts an at-stake case reads that could change its answer (not dummies), looked up
# by the state of each fact it reads: "?" unknown, the value it names (or "*" for another one),
# the values it names that a list holds, true/false, given/absent. See program.missing[i].
missing_by_case[i] := found if {
	some i in at_stake
	reads := program.missing[i].reads
	key := concat("|", [fact_key(read) | some read in reads])
	found := program.missing[i].table[key]
}

fact_key(read) := "?" if {
	read.open
	object.get(input, read.path, null) == null
}

fact_key(read) := value if {
	read.kind == "choice"
	value := object.get(input, read.path, null)
	value in read.named
}

fact_key(read) := "*" if {
	read.kind == "choice"
	value := object.get(input, read.path, null)
	value != null
	not value in read.named
}

fact_key(read) := concat(",", [value | some value in named; value in listed]) if {
	read.kind == "list"
	listed := object.get(input, read.path, read.missing)
	is_array(listed)
	named := read.named
}

fact_key(read) := "true" if {
	read.kind == "boolean"
	object.get(input, read.path, false) == true
}

fact_key(read) := "false" if {
	read.kind == "boolean"
	not object.get(input, read.path, false) == true
}

fact_key(read) := "given" if {
	read.kind == "object"
	is_object(object.get(input, read.path, null))
}

fact_key(read) := "absent" if {
	read.kind == "object"
	not is_object(object.get(input, read.path, null))
}

all_missing := [path | some i; some path in missing_by_case[i]]

missing_facts := [path | some path in program.fact_order; path in all_missing] if undetermined

missing_facts := [] if not undetermined

# ---------------------------------------------------------------------------------- explanation

# The reasons as “title” (id), joined by commas and a final "and".
reason_names := [program.names[k] | some k in reason_indexes]

titles := concat("", reason_names) if count(reason_names) <= 1

titles := concat(" and ", [concat(", ", array.slice(reason_names, 0, count(reason_names) - 1)), reason_names[count(reason_names) - 1]]) if {
	count(reason_names) > 1
}

explanation := concat("", [
	"The answer depends on facts the question did not give (",
	concat(", ", missing_facts),
	"): it could be ",
	concat(" or ", [replace(o, "_", " ") | some o in possible_outcomes]),
	". Clauses at stake: ",
	titles,
	".",
]) if undetermined

explanation := concat("", [verdict_sentence, duties]) if not undetermined

verdict_sentence := "Nothing in the policy restricts this, so it is permitted." if count(reason_names) == 0

verdict_sentence := concat("", [program.phrases[outcome], " under ", titles, "."]) if count(reason_names) > 0

due := [o.text | some o in obligations; o.met != true]

duties := "" if count(due) == 0

duties := concat("", [" You must ", concat("; and ", due), "."]) if count(due) > 0
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


# --------------------------------------------------------------------------------------- bundle


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def bundle_files(policy: "Policy", day: date) -> dict[str, bytes]:
    """The bundle's files (path relative to the bundle root -> bytes) for the clauses in force on
    ``day``. Raises ``RequestError`` for a day before the first revision on record."""
    program = policy.program(day)
    model = _Model(policy, program)
    tables = _tables(policy, model)
    data = {ROOT: {"clauses": [reason.to_dict() for reason in program.reasons], "program": tables}}
    manifest = {"revision": program.digest, "roots": [ROOT], "rego_version": 1,
                "metadata": {"policy": program.policy_id, "policy_revision": program.revision,
                             "valid_from": tables["policy"]["valid_from"],
                             "valid_until": tables["policy"]["valid_until"],
                             "query": QUERY}}
    return {
        ".manifest": _json(manifest),
        "data.json": _json(data),
        CASES_MODULE: _cases_module(model).encode("utf-8"),
        DECISION_MODULE: _decision_module(program).encode("utf-8"),
    }


def write_bundle(policy: "Policy", outdir: Path, day: date) -> list[Path]:
    """Write the OPA bundle for the clauses in force on ``day`` into ``outdir`` (created if
    needed; the bundle's own files are replaced, nothing else is touched). Returns the paths
    written, sorted. The same policy digest always gives the same bytes."""
    files = bundle_files(policy, day)
    written = []
    for relative, content in sorted(files.items()):
        target = Path(outdir) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written


def load_bundle_into(interpreter: Any, outdir: Path) -> None:
    """Add a written bundle's modules and data to a Rego interpreter: anything with
    ``add_module(name, source)`` and ``add_data_json(text)``, such as ``regopy.Interpreter``."""
    root = Path(outdir)
    for relative in MODULES:
        interpreter.add_module(relative, (root / relative).read_text(encoding="utf-8"))
    interpreter.add_data_json((root / "data.json").read_text(encoding="utf-8"))

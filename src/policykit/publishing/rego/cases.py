"""``cases.rego`` (``package policykit.cases``): every rule case of every clause in force.

Each case is the disjunction of the terms ``compiler.to_terms`` made of its condition, and each
obligation of a mandatory clause adds the unmet case the compiler adds. ``case_N`` is true when
one of its terms holds (each fact value the term needs is stated, each value it excludes is
known to be absent); ``case_N_open`` (for cases that yield an outcome) is true when none of its
terms is known to fail, i.e. the case holds or is unknown. That is Kleene's three-valued logic
over unknown facts, as the engine evaluates it. Which facts are open (missing = unknown) comes
from the compiled layout, i.e. ``x-when-missing`` in the request schema; a value in a term's
``K`` mask (an unmet case's settling fact) must be known: unknown, the term fails. The
``x-read-as`` rules come first (``reread_N``, ``read_values``), and the cases read the values
they give; the reading probes (``probe_K``) come last."""

from __future__ import annotations

from policykit.core.conditions import describe
from policykit.core.model import OUTCOMES
from policykit.publishing.rego.model import Atom, Model
from policykit.publishing.rego.syntax import RULE_LINE, array, comment, header, input_ref, quote, rule

_INTRODUCTION = [
    "package policykit.cases", "",
    "# Each case's condition is a disjunction of terms (one body per term). case_N holds when",
    "# one of its terms holds: every fact value it needs is stated and every value it excludes",
    "# is known to be absent. case_N_open holds when no term is known to fail, so the case",
    "# holds or is unknown (it reads an open fact the request leaves out; docs/semantics.md#unknown-facts). Which",
    "# facts are open is read from x-when-missing in the request schema. The unmet case of an",
    "# obligation needs its settling fact known to be false: unknown, the case fails. Cases",
    "# triggered by the decision's outcome have no terms; data.policykit.decision adds them.",
    "# term_K_open holds when the K-th term of the cases yielding an outcome is not known to",
    "# fail (data.policykit.program.stakes.terms[K]); case_N_open is any of its terms'.", ""]


def _ref(model: Model, path: str) -> str:
    """Where the rules read a fact: the request, or the value an x-read-as rule made of it."""
    return model.read_refs.get(path) or input_ref(path)


def _statement_true(model: Model, ref: str, path: str, value: object) -> str:
    """The statement that succeeds when the fact read from ``ref`` has the value (an object: is given)."""
    kind = model.facts[path].kind
    if kind == "choice":
        return f"{ref} == {quote(value)}"
    if kind == "list":
        return f"{quote(value)} in {ref}"
    if kind == "boolean":
        return f"{ref} == true"
    return f"is_object({ref})"


def _atom_true(model: Model, path: str, value: object) -> list[str]:
    """Rego statements that succeed exactly when the atom (fact has value) is known to be true."""
    return [_statement_true(model, _ref(model, path), path, value)]


def _atom_false(model: Model, path: str, value: object) -> list[str]:
    """... exactly when it is known to be false. A missing open fact is unknown: both fail on it;
    a missing closed fact is none, no or absent: this succeeds on it."""
    info = model.facts[path]
    ref, kind, is_open = _ref(model, path), info.kind, info.open
    if kind == "choice":  # ``!=`` is undefined, so failing, when the fact is missing
        return [f"{ref} != {quote(value)}" if is_open else f"not {ref} == {quote(value)}"]
    if kind == "list":
        return ([f"is_array({ref})"] if is_open else []) + [f"not {quote(value)} in {ref}"]
    if kind == "boolean":
        return [f"{ref} == false" if is_open else f"not {ref} == true"]
    return ["false" if is_open else f"not is_object({ref})"]  # an open object is given or unknown


def _atom_not_false(model: Model, path: str, value: object) -> str:
    """One statement that succeeds when the atom is true or unknown."""
    info = model.facts[path]
    if not info.open:  # a closed fact is never unknown
        return _atom_true(model, path, value)[0]
    ref, kind = _ref(model, path), info.kind
    if kind == "choice":
        return f"not {ref} != {quote(value)}"
    if kind == "list":  # missing: unknown, so the default contains the value
        if path in model.read_refs:
            return f"{quote(value)} in object.get(read_values, {quote(path)}, [{quote(value)}])"
        path_term = quote(path.split(".")) if "." in path else quote(path)
        return f"{quote(value)} in object.get(input, {path_term}, [{quote(value)}])"
    if kind == "boolean":
        return f"not {ref} == false"
    return "true"  # an open object is never known to be absent


def _atom_not_true(model: Model, path: str, value: object) -> str:
    """One statement that succeeds when the atom is false or unknown."""
    return "not " + _atom_true(model, path, value)[0]


def _priority(model: Model, atom: Atom) -> tuple[int, int, str]:
    """Statement order in a body: the likeliest to fail first (a closed yes/no fact, list or
    object, then single-valued facts, then open lists such as the audience), so most bodies stop
    at once."""
    info = model.facts[atom.fact]
    if not atom.holds:
        rank = 4
    elif not info.open and info.kind != "choice":
        rank = 0
    elif info.kind == "choice":
        rank = 1
    else:
        rank = 2
    return (rank, list(model.facts).index(atom.fact), str(atom.value))


def _holds_body(model: Model, term: list[Atom]) -> list[str]:
    """The statements of a body that succeeds when the term holds."""
    body: list[str] = []
    for atom in sorted(term, key=lambda atom: _priority(model, atom)):
        make = _atom_true if atom.holds else _atom_false
        body += [s for s in make(model, atom.fact, atom.value) if s not in body]
    return body


def _open_body(model: Model, term: list[Atom]) -> list[str]:
    """The statements of a body that succeeds when the term is not known to fail."""
    body: list[str] = []
    for atom in sorted(term, key=lambda atom: _priority(model, atom)):
        if atom.strict:  # the value must be known: the same statements as for holding
            statements = (_atom_true if atom.holds else _atom_false)(model, atom.fact, atom.value)
        else:
            statements = [(_atom_not_false if atom.holds else _atom_not_true)(model, atom.fact, atom.value)]
        body += [s for s in statements if s not in body]
    return body


def _read_as_section(model: Model) -> list[str]:
    """The x-read-as rules: ``reread_N`` when the request's value is read as another, ``read_N``
    the value the rules read, ``read_values`` those values by fact and ``rereads`` the flags."""
    out = [RULE_LINE]
    out += comment("Values every rule reads as another value (x-read-as in the request schema), applied in "
                   "order before any case reads them. read_values holds the value each such fact is read "
                   "as; rereads[N] says whether rule N applied (the explanation then says so).")
    out.append("")
    current: dict[str, str] = {}
    for i, read in enumerate(model.read_as):
        ref = current.get(read.fact, input_ref(read.fact))
        unless = current.get(read.unless_fact, input_ref(read.unless_fact))
        kind = model.facts[read.fact].kind
        out += comment(f"rule {i}: {read.fact} {read.value} is read as {read.as_value} "
                       f"unless {read.unless_fact} is {read.unless_value}")
        out += [f"default reread_{i} := false", ""]
        holds = f"{ref} == {quote(read.value)}" if kind == "choice" else f"{quote(read.value)} in {ref}"
        unless_holds = _statement_true(model, unless, read.unless_fact, read.unless_value)
        out += [rule(f"reread_{i}", [holds, "not " + unless_holds]), ""]
        if kind == "choice":
            out.append(f"read_{i} := {quote(read.as_value)} if reread_{i}")
        else:
            out += [f"read_{i} := array.concat([v | some v in {ref}; v != {quote(read.value)}; "
                    f"v != {quote(read.as_value)}], [{quote(read.as_value)}]) if reread_{i}"]
        out += ["", f"read_{i} := {ref} if not reread_{i}", ""]
        current[read.fact] = f"read_{i}"
    for fact in sorted(current, key=list(model.facts).index):
        out += [f"read_values[{quote(fact)}] := {current[fact]}", ""]
    if not current:
        out += ["read_values := {}", ""]
    out += [*array("rereads", [f"reread_{i}" for i in range(len(model.read_as))]), ""]
    return out


def _case_words(model: Model, i: int) -> list[str]:
    """What case ``i`` yields and when, as the comment above its rules."""
    case, written = model.cases[i], model.written[i].case
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
        return comment(f"case {i} ({' and '.join(yields)}) when the outcome is "
                       + " or ".join(written.on_outcome) + ": see data.policykit.program.triggered") + [""]
    assert written.when is not None, "a case over facts has a condition"
    when = describe(written.when)
    if case.unmet:
        when += f", and {model.met_by[i - 1]} is known to be false (the obligation of case {i - 1} is unmet)"
    return comment(f"case {i} ({' and '.join(yields)}) when {when}")


def _case_rules(model: Model, i: int, first_term: int) -> list[str]:
    """Case ``i``'s rules: ``case_N``, and for a case yielding an outcome ``case_N_open`` with
    its terms' ``term_K_open``, numbered from ``first_term``."""
    out = _case_words(model, i)
    if not model.fact_case[i]:
        return out
    out += [f"default case_{i} := false", ""]
    for term in model.terms[i]:
        out += [rule(f"case_{i}", _holds_body(model, term)), ""]
    if model.cases[i].rank > 0:
        out += [f"default case_{i}_open := false", ""]
        for k, term in enumerate(model.terms[i], start=first_term):
            out += [f"case_{i}_open if term_{k}_open", ""]
            out += [f"default term_{k}_open := false", ""]
            out += [rule(f"term_{k}_open", _open_body(model, term)), ""]
    return out


def _probes_section(model: Model) -> list[str]:
    """The reading probes, ``probe_K``, and ``probes``, whether each holds."""
    out = [RULE_LINE]
    out += comment("Reading probes: a case without one condition a reading added to it (reading: in the clause "
                   "YAML). probe_K holds when the case would hold but for that condition; an allowed answer "
                   "then names the reading (data.policykit.program.probes[K]).")
    out.append("")
    for k, probe in enumerate(model.probes):
        clause = model.written[probe.case].clause
        out += comment(f"probe {k}: case {probe.case} of {clause.id} without the condition reading "
                       f"{probe.probe.reading} added")
        out += [f"default probe_{k} := false", ""]
        for term in probe.terms:
            out += [rule(f"probe_{k}", _holds_body(model, term)), ""]
    out += [*array("probes", [f"probe_{k}" for k in range(len(model.probes))]), ""]
    return out


def _lists_section(model: Model, stake_terms: int) -> list[str]:
    """``holds``, ``open_R`` for each outcome rank R above permitted, and ``terms_open``."""
    out = [RULE_LINE,
           "# Whether each case holds, by case index (printed order; outcome-triggered cases: false).",
           *array("holds", [f"case_{i}" if model.fact_case[i] else "false" for i in range(len(model.cases))]), ""]
    for rank in range(1, len(OUTCOMES)):
        members = [i for i, case in enumerate(model.cases) if case.rank == rank and model.fact_case[i]]
        out += [f"# Whether each case yielding {OUTCOMES[rank]} holds or is unknown, in the order of",
                f"# data.policykit.program.ranks[{rank}].",
                *array(f"open_{rank}", [f"case_{i}_open" for i in members]), ""]
    out += ["# Whether each term of a case yielding an outcome holds or is unknown, in the order of",
            "# data.policykit.program.stakes.terms (read only when a case is at stake).",
            *array("terms_open", [f"term_{k}_open" for k in range(stake_terms)]), ""]
    return out


def cases_module(model: Model) -> str:
    """``cases.rego`` for the period of ``model``."""
    out = header(model.program, "Every rule case of every clause in force.") + _INTRODUCTION
    out += _read_as_section(model)
    current = None
    stake_terms = 0  # the terms of cases yielding an outcome, numbered as program.stakes.terms
    for i, case in enumerate(model.cases):
        clause = model.written[i].clause
        if clause.id != current:
            current = clause.id
            out += [RULE_LINE] + comment(f"{clause.id}: {clause.title} ({clause.kind})") + [""]
        out += _case_rules(model, i, stake_terms)
        if case.rank > 0 and model.fact_case[i]:
            stake_terms += len(model.terms[i])
    out += _probes_section(model)
    out += _lists_section(model, stake_terms)
    return "\n".join(out).rstrip("\n") + "\n"

package policykit

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

# @generated: one level per variable: next_K, states_K, index_K forwards; canon_K back; root.

# The outcome ranks the completions give, weakest first; the facts whose variables the diagram tests.
possible_ranks := [r | some r in numbers.range(0, count(program.outcomes) - 1); r in root.r]

diagram_facts := {program.stakes.vars[v].fact | some v in root.f}

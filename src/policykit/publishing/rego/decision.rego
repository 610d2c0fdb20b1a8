package policykit

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
# @generated: stake_N, the cases yielding outcome rank N at stake (N above 0), and at_stake.

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

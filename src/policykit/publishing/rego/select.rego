package policykit

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
# @generated: decision, from the period whose dates hold as_of.

"""The engine against docs/semantics.md: a plain reference reading, and the properties the issue names."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policykit
from policykit.core import engine
from policykit.core.model import OUTCOMES
from policykit.core.schemaerrors import validator
from policykit.core.values import replace
from reference import observed, reference_decision
from strategies import VOCABULARY, valid_requests

AS_OF = date(2026, 1, 5)
PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def policy() -> policykit.Policy:
    return policykit.load_policy()


def strength(decision: policykit.Decision) -> int:
    """The strongest outcome known to hold: the outcome, or for undetermined the weakest possible."""
    outcome = decision.possible_outcomes[0] if decision.outcome == "undetermined" else decision.outcome
    return OUTCOMES.index(outcome)


@PROPERTY
@given(request=valid_requests())
def test_engine_agrees_with_the_reference_reading(policy, request):
    decision = policy.decide(request, as_of=AS_OF)
    day = date.fromisoformat(request["as_of"]) if "as_of" in request else AS_OF
    assert observed(decision) == reference_decision(policy.document, request, day)


@PROPERTY
@given(request=valid_requests())
def test_every_decision_matches_the_decision_schema(policy, request):
    decision = policy.decide(request, as_of=AS_OF)
    assert list(validator("decision").iter_errors(decision.to_dict())) == []
    assert decision.allowed is {"permitted": True, "discouraged": True, "requires_approval": False,
                                "prohibited": False, "undetermined": None}[decision.outcome]


@PROPERTY
@given(request=valid_requests(), data=st.data())
def test_adding_a_content_or_effects_flag_never_weakens_the_outcome(policy, request, data):
    fact = data.draw(st.sampled_from(["content", "effects"]))
    flag = data.draw(st.sampled_from(VOCABULARY[fact].value_names))
    before = policy.decide(request, as_of=AS_OF)
    more = dict(request, **{fact: sorted(set(request.get(fact, [])) | {flag})})
    after = policy.decide(more, as_of=AS_OF)
    assert strength(after) >= strength(before)


def _fill(request: dict, path: str, value: object) -> dict:
    filled = dict(request)
    if "." in path:
        parent, leaf = path.split(".")
        filled[parent] = dict(filled.get(parent, {}), **{leaf: value})
    else:
        filled[path] = value
    return filled


@PROPERTY
@given(request=valid_requests(), data=st.data())
def test_filling_a_missing_fact_stays_within_the_possible_outcomes(policy, request, data):
    decision = policy.decide(request, as_of=AS_OF)
    if decision.outcome != "undetermined":
        assert decision.missing_facts == () and decision.possible_outcomes == ()
        return
    assert len(decision.possible_outcomes) >= 2 and decision.missing_facts
    path = data.draw(st.sampled_from(decision.missing_facts))
    fact = VOCABULARY[path]
    if fact.kind == "list":
        value: object = data.draw(st.lists(st.sampled_from(fact.value_names), unique=True))
    else:
        value = data.draw(st.sampled_from(fact.value_names))
    filled = policy.decide(_fill(request, path, value), as_of=AS_OF)
    if filled.outcome == "undetermined":
        assert set(filled.possible_outcomes) <= set(decision.possible_outcomes)
    else:
        assert filled.outcome in decision.possible_outcomes


@given(request=valid_requests())
@settings(max_examples=100, deadline=None)
def test_decisions_are_pure_functions_of_the_request(policy, request):
    first = policy.decide(request, as_of=AS_OF, decision_id="a")
    fresh = policykit.Policy(policy.document)
    fresh.cache_size = 0
    assert fresh.decide(request, as_of=AS_OF, decision_id="a") == first


@given(request=valid_requests())
@settings(max_examples=300, deadline=None)
def test_a_known_pattern_gives_the_verdict_assembled_afresh(policy, request):
    """The program's table of determined verdicts (filled by every example before this one) never
    answers a request with another pattern's verdict."""
    day = date.fromisoformat(request["as_of"]) if "as_of" in request else AS_OF
    program = policy.program(day)
    true, unknown, reread = policy.encode(request)
    empty = replace(program, verdicts={})
    assert engine.evaluate(program, true, unknown, reread) == engine.evaluate(empty, true, unknown, reread)


def test_a_fault_inside_the_engine_is_an_error_never_a_permission(policy, monkeypatch):
    fresh = policykit.Policy(policy.document)

    def broken(*args, **kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(engine, "evaluate", broken)
    with pytest.raises(RuntimeError, match="simulated fault"):
        fresh.decide({"actor": {"role": "teacher"}, "action": "browse"}, as_of=AS_OF)


def test_a_request_no_clause_restricts_is_permitted_with_no_reasons(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "converse", "channel": "in_person",
                              "audience": ["staff"], "purpose": "school_business"}, as_of=AS_OF)
    assert (decision.outcome, decision.reasons, decision.notices) == ("permitted", (), ())
    assert decision.explanation == "Nothing in the policy restricts this, so it is permitted."


def test_an_undetermined_decision_names_what_is_missing(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
                              "audience": ["student"]}, as_of=AS_OF)
    assert decision.outcome == "undetermined"
    assert decision.allowed is None
    assert decision.missing_facts == ("account", "purpose")
    assert decision.possible_outcomes == ("permitted", "discouraged", "prohibited")
    assert [r.id for r in decision.reasons] == ["relationships.peer-communication",
                                                "relationships.texting-and-calling",
                                                "communications.school-business-only",
                                                "communications.district-email"]
    assert "purpose" in decision.explanation


# --- docs/semantics.md#obligations and #readings: what is known, readings travel with answers ---------------------

APPROVED_POST = {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media", "account": "district",
                 "audience": ["student"], "purpose": "school_business"}


def test_an_open_obligation_fact_left_out_is_listed_with_met_null_and_changes_nothing(policy):
    decision = policy.decide({**APPROVED_POST, "site": {"approved": True}}, as_of=AS_OF)
    assert decision.outcome == "permitted"
    assert decision.missing_facts == ()
    assert [(o.clause, o.met) for o in decision.obligations] == [
        ("approved-sites.parent-notification", None), ("approved-sites.content-monitoring", None),
        ("approved-sites.policy-compliance", None)]
    assert "This holds provided you notify the parents" in decision.explanation


def test_a_mandatory_obligation_known_unmet_makes_the_action_not_allowed_and_says_what_first(policy):
    decision = policy.decide({**APPROVED_POST, "site": {"approved": True, "parents_notified": True,
                                                        "monitored": False}}, as_of=AS_OF)
    assert (decision.outcome, decision.allowed) == ("requires_approval", False)
    assert [r.id for r in decision.reasons] == ["approved-sites.content-monitoring"]
    assert [(o.clause, o.met) for o in decision.obligations] == [
        ("approved-sites.parent-notification", True), ("approved-sites.content-monitoring", False),
        ("approved-sites.policy-compliance", None)]
    assert decision.explanation.startswith("This is not allowed yet under")
    assert "Not yet: first monitor the site's content regularly" in decision.explanation


def test_an_obligation_met_lifts_the_escalation(policy):
    decision = policy.decide({**APPROVED_POST, "site": {"approved": True, "parents_notified": True,
                                                        "monitored": True}}, as_of=AS_OF)
    assert decision.outcome == "permitted"
    assert [o.met for o in decision.obligations] == [True, True, None]


def test_approval_is_pending_even_when_the_supervisor_was_informed(policy):
    decision = policy.decide({"actor": {"role": "coach"}, "action": "create_site", "channel": "social_media",
                              "purpose": "extracurricular", "site": {"supervisor_informed": True}}, as_of=AS_OF)
    assert decision.outcome == "requires_approval"
    assert [(o.clause, o.met) for o in decision.obligations] == [("approved-sites.prior-notice", True)]
    assert "approval is still pending" in decision.explanation


def test_counseling_by_another_role_is_read_as_personal_and_the_explanation_says_so(policy):
    request = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
               "audience": ["student"], "purpose": "counseling"}
    teacher = policy.decide(request, as_of=AS_OF)
    personal = policy.decide({**request, "purpose": "personal"}, as_of=AS_OF)
    assert teacher.outcome == personal.outcome == "prohibited"
    assert [r.id for r in teacher.reasons] == [r.id for r in personal.reasons]
    assert "read as a personal purpose" in teacher.explanation
    assert "read as a personal purpose" not in personal.explanation
    counselor = policy.decide({**request, "actor": {"role": "school_counselor"}}, as_of=AS_OF)
    assert counselor.outcome == "discouraged"
    assert "read as a personal purpose" not in counselor.explanation


def test_every_reason_obligation_and_notice_carries_its_clauses_interpretation(policy):
    decision = policy.decide({**APPROVED_POST, "site": {"approved": True, "monitored": False}}, as_of=AS_OF)
    for item, clause_id in [*((r, r.id) for r in decision.reasons), *((o, o.clause) for o in decision.obligations),
                            *((n, n.clause) for n in decision.notices)]:
        assert item.interpretation == policy.document.clause(clause_id).interpretation
    # The deciding clause's reading, then those of the obligations the answer states (its provisos).
    assert decision.explanation.endswith(
        "not yet confirmed (approved-sites.content-monitoring, approved-sites.parent-notification, "
        "approved-sites.policy-compliance).")
    data = decision.to_dict()
    assert data["reasons"][0]["interpretation"]["status"] == "proposed"


def test_a_clause_without_interpretation_gives_no_interpretation_field(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "email",
                              "account": "district", "audience": ["student"], "purpose": "school_business",
                              "content": ["inappropriate_image"]}, as_of=AS_OF)
    reasons = decision.to_dict()["reasons"]
    assert "relationships.inappropriate-images" in [r["id"] for r in reasons]
    assert all("interpretation" not in r for r in reasons if r["id"] == "relationships.inappropriate-images")
    assert list(validator("decision").iter_errors(decision.to_dict())) == []


def test_the_digest_covers_interpretations(policy):

    from policykit.core.api import Policy
    from policykit.core.model import Interpretation

    clauses = tuple(replace(c, interpretation=Interpretation(c.interpretation.text, "confirmed"))
                    if c.id == "communications.respectful-speech" else c for c in policy.document.clauses)
    confirmed = Policy(replace(policy.document, clauses=clauses))
    assert confirmed.program(AS_OF).digest != policy.program(AS_OF).digest


# ----------------------------------------------------------------- what an answer says it rests on

FAMILY_TEXT = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
               "audience": ["student"], "purpose": "personal", "audience_is_family": True}


def expected_unconfirmed(policy: policykit.Policy, request: dict, decision: policykit.Decision) -> tuple[str, ...]:
    """The unconfirmed readings an answer rests on, read from the clause files with the reference
    interpreter: the deciding clauses' and the stated obligations' readings awaiting the board, and
    for an allowed answer each reading whose tagged condition alone kept a stronger case from
    deciding (the case without that condition holds)."""
    from policykit.core.conditions import All, evaluate
    from reference import lookup_in, read_as

    names: list[str] = []

    def add(name: str) -> None:
        if name not in names:
            names.append(name)

    for reason in decision.reasons:
        if reason.interpretation is not None and reason.interpretation.awaiting_board:
            add(reason.id)
    for duty in decision.obligations:
        stated = duty.met is False or (duty.met is None and decision.outcome in engine.PROVISO_OUTCOMES)
        if stated and duty.interpretation is not None and duty.interpretation.awaiting_board:
            add(duty.clause)
    if decision.outcome in ("permitted", "discouraged"):
        day = date.fromisoformat(request["as_of"]) if "as_of" in request else AS_OF
        lookup = lookup_in(read_as(request)[0])
        for clause in policy.document.clauses:
            version = clause.version_on(day)
            reading = clause.interpretation_of(version) if version is not None else None
            if reading is None or not reading.awaiting_board:
                continue
            for case in version.rule:
                if not isinstance(case.when, All) or not case.outcome:
                    continue
                if OUTCOMES.index(case.outcome) <= OUTCOMES.index(decision.outcome):
                    continue
                items = case.when.items
                for i, item in enumerate(items):
                    if item.reading is not None and evaluate(All(items[:i] + items[i + 1:]), lookup) is True:
                        add(item.reading)
    return tuple(names)


def test_a_permitted_answer_excused_by_a_tagged_condition_names_that_reading(policy):
    """Texting one's own child is permitted only because the family reading excuses the texting
    and peer rules: the answer names that reading, once, and nothing else."""
    decision = policy.decide(FAMILY_TEXT, as_of=AS_OF)
    assert decision.outcome == "permitted"
    assert decision.unconfirmed_readings == ("family",)
    assert decision.explanation.endswith(
        "This rests on a reading of the policy that the Board of Education has not yet confirmed (family).")
    # Without the family, the same text is prohibited, and the answer rests on its deciding clauses.
    stranger = policy.decide({**FAMILY_TEXT, "audience_is_family": False}, as_of=AS_OF)
    assert stranger.outcome == "prohibited"
    assert stranger.unconfirmed_readings == ("relationships.peer-communication", "relationships.texting-and-calling")


def test_a_permitted_answer_no_reading_touches_names_none(policy):
    decision = policy.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "email",
                              "account": "district", "audience": ["staff"], "purpose": "school_business"},
                             as_of=AS_OF)
    assert decision.outcome == "permitted"
    assert decision.unconfirmed_readings == ()
    assert "has not yet confirmed" not in decision.explanation


def test_a_discouraged_answer_names_the_reading_that_kept_a_prohibition_from_deciding(policy):
    """A coach's team chat from a personal account, for an extracurricular purpose: the
    personal-relationships rule would prohibit it but for the condition its reading added."""
    decision = policy.decide({"actor": {"role": "coach"}, "action": "connect", "channel": "messaging_app",
                              "account": "personal", "audience": ["student"], "purpose": "extracurricular"},
                             as_of=AS_OF)
    assert decision.outcome == "discouraged"
    assert decision.unconfirmed_readings == ("communications.district-email", "personal-relationships-channel")


@PROPERTY
@given(request=valid_requests())
def test_an_answer_names_exactly_the_readings_it_rests_on_each_once(policy, request):
    decision = policy.decide(request, as_of=AS_OF)
    names = decision.unconfirmed_readings
    assert names == expected_unconfirmed(policy, request, decision)
    assert len(set(names)) == len(names)
    lead = policy.messages.sentences["unconfirmed_reading"][0]
    assert decision.explanation.count(lead) == (1 if names else 0)
    if names:
        assert decision.explanation.endswith(policy.messages.fill(
            "unconfirmed_reading", readings=policy.messages.lists["readings"].join(names)))


@PROPERTY
@given(request=valid_requests())
def test_provisos_only_where_the_answer_is_allowed_or_needs_approval(policy, request):
    decision = policy.decide(request, as_of=AS_OF)
    proviso = policy.messages.sentences["proviso"][0]  # "This holds provided you "
    duty = policy.messages.duties["unknown"][0]  # "Provided you "
    assumed = [o.text for o in decision.obligations if o.met is None]
    if decision.outcome in ("prohibited", "undetermined"):
        assert proviso not in decision.explanation and duty.lower() not in decision.explanation.lower()
    elif assumed:
        assert policy.messages.fill("proviso", duties=policy.messages.lists["duties"].join(assumed)) \
            in decision.explanation


def test_a_prohibited_answer_carries_no_proviso(policy):
    """A hazing video on an approved team page: prohibited, and the site duties whose state is
    unknown cannot change that, so the answer says no "provided you"."""
    decision = policy.decide({"actor": {"role": "coach"}, "action": "post", "channel": "social_media",
                              "account": "district", "audience": ["student", "parent_guardian"],
                              "purpose": "extracurricular", "content": ["student_prohibited_conduct_image"],
                              "site": {"approved": True}}, as_of=AS_OF)
    assert decision.outcome == "prohibited"
    assert any(o.met is None for o in decision.obligations)  # still listed
    assert "provided you" not in decision.explanation.lower()


def test_a_district_account_names_its_reading_only_beyond_district_e_mail(policy):
    """The text's own exception (a District-managed e-mail account) rests on no reading; any other
    District-managed account does, on the reading that added it."""
    message = {"actor": {"role": "teacher"}, "action": "message", "account": "district", "audience": ["student"],
               "purpose": "school_business"}
    e_mail = policy.decide({**message, "channel": "email"}, as_of=AS_OF)
    platform = policy.decide({**message, "channel": "messaging_app"}, as_of=AS_OF)
    assert (e_mail.outcome, e_mail.unconfirmed_readings) == ("permitted", ())
    assert (platform.outcome, platform.unconfirmed_readings) == ("permitted", ("any-district-account",))


# ------------------------------------------------------------------------- who else can see it

def test_the_answer_says_who_else_can_see_it_after_the_verdict(policy):
    """No rule reads seen_by: the outcome, reasons, obligations and notices are those of the same
    request without it, and the explanation says who else can see it (those it is not addressed
    to, in the schema's order), after the verdict and the value read as another."""
    request = {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media", "account": "personal",
               "audience": ["public", "student"], "purpose": "counseling"}
    seen = policy.decide({**request, "seen_by": ["public", "staff", "student"]}, as_of=AS_OF)
    plain = policy.decide(request, as_of=AS_OF)
    assert (seen.outcome, seen.reasons, seen.obligations, seen.notices, seen.unconfirmed_readings) == \
        (plain.outcome, plain.reasons, plain.obligations, plain.notices, plain.unconfirmed_readings)
    first, read_as, *rest = plain.explanation.split(". ")
    assert read_as.startswith("“Counseling” is read as a personal purpose")
    assert seen.explanation == ". ".join(
        [first, read_as, "It can also be seen by a staff member, though it is not addressed to them", *rest])
    both = policy.decide({**request, "audience": ["public"], "purpose": "personal",
                          "seen_by": ["parent_guardian", "student"]}, as_of=AS_OF)
    assert both.explanation.startswith(
        "This is permitted under “Right of self-expression in private life” (social-media.self-expression). It can "
        "also be seen by a student and a parent or guardian, though it is not addressed to them. ")
    everyone = policy.decide({**request, "seen_by": ["public", "student"]}, as_of=AS_OF)
    assert everyone.explanation == plain.explanation  # those it is addressed to are not "also" seeing it

"""Requests: the fast encoder and the full schema check agree; errors name pointer and values."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings

import policykit
from policykit.core.errors import RequestError
from policykit.core.request import request_problems, valid_date
from policykit.core.schemaerrors import validator
from strategies import near_valid_requests, valid_requests

AS_OF = date(2026, 1, 5)


@pytest.fixture(scope="module")
def policy() -> policykit.Policy:
    return policykit.load_policy()


@settings(max_examples=600, deadline=None)
@given(request=near_valid_requests())
def test_the_fast_encoder_accepts_exactly_what_the_schema_accepts(policy, request):
    schema_ok = validator("request").is_valid(request)
    assert (policy._encode(request) is not None) == schema_ok
    assert (request_problems(request) == []) == schema_ok


@settings(max_examples=300, deadline=None)
@given(request=near_valid_requests())
def test_a_malformed_request_never_yields_a_decision(policy, request):
    if validator("request").is_valid(request):
        assert policy.decide(request, as_of=AS_OF).outcome
        return
    with pytest.raises(RequestError) as raised:
        policy.decide(request, as_of=AS_OF)
    assert raised.value.errors and all({"pointer", "message"} == set(e) for e in raised.value.errors)


@settings(max_examples=200, deadline=None)
@given(request=valid_requests())
def test_valid_requests_never_raise(policy, request):
    policy.decide(request, as_of=AS_OF)


def errors_of(policy, request) -> list[dict[str, str]]:
    with pytest.raises(RequestError) as raised:
        policy.decide(request, as_of=AS_OF)
    return raised.value.errors


def test_every_problem_is_reported_at_once_with_pointers_and_allowed_values(policy):
    request = {"actor": {"role": "teachr"}, "action": "msg", "chanel": "email", "audience": "student",
               "content": ["harassing", "harassing"], "site": {"approved": "yes"}}
    assert errors_of(policy, request) == [
        {"pointer": "/action", "message": "'msg' is not an allowed action (did you mean 'message'?); use one of: "
                                          "message, call, post, connect, browse, create_site, converse"},
        {"pointer": "/actor/role", "message": "'teachr' is not an allowed role (did you mean 'teacher'?); use one "
                                              "of: teacher, school_counselor, administrator, coach, "
                                              "paraprofessional, support_staff, substitute"},
        {"pointer": "/audience", "message": "'audience' should be a list, not 'student'"},
        {"pointer": "/chanel", "message": "unknown field 'chanel' (did you mean 'channel'?); allowed here: as_of, "
                                          "actor, action, channel, account, device, network, location, audience, "
                                          "seen_by, audience_is_family, purpose, content, effects, site, "
                                          "confidentiality_uncertain, supervisor_consulted, interferes_with_duties, "
                                          "disclaimer_or_alias"},
        {"pointer": "/content", "message": "'content' lists the same value more than once"},
        {"pointer": "/site/approved", "message": "'approved' should be true or false, not 'yes'"},
    ]


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        ({}, [{"pointer": "/action", "message": "missing required field 'action'"},
              {"pointer": "/actor", "message": "missing required field 'actor'"}]),
        ({"actor": {}, "action": "post"}, [{"pointer": "/actor/role", "message": "missing required field 'role'"}]),
        ([], [{"pointer": "", "message": "a request must be a JSON object with at least actor.role and action"}]),
        ({"actor": {"role": "teacher"}, "action": "post", "as_of": "2015-02-30"},
         [{"pointer": "/as_of", "message": "'2015-02-30' is not a real calendar date"}]),
        ({"actor": {"role": "teacher"}, "action": "post", "as_of": "18/11/2015"},
         [{"pointer": "/as_of", "message": "'18/11/2015' is not a date written YYYY-MM-DD"}]),
        ({"actor": {"role": "teacher"}, "action": "post", "audience": ["studnet"]},
         [{"pointer": "/audience/0",
           "message": "'studnet' is not an allowed audience (did you mean 'student'?); "
                      "use one of: student, parent_guardian, staff, community, former_student, public"}]),
        ({"actor": {"role": "teacher"}, "action": "post", "interferes_with_duties": 1},
         [{"pointer": "/interferes_with_duties",
           "message": "'interferes_with_duties' should be true or false, not 1"}]),
    ],
)
def test_request_errors(policy, request_, expected):
    assert errors_of(policy, request_) == expected


def test_a_date_before_the_first_revision_is_refused_not_answered_with_later_text(policy):
    request = {"actor": {"role": "teacher"}, "action": "post", "as_of": "2015-11-17"}
    [error] = errors_of(policy, request)
    assert error["pointer"] == "/as_of"
    assert error["message"].startswith("2015-11-17 is before 2015-11-18, the earliest revision on record")
    with pytest.raises(RequestError):
        policy.decide({"actor": {"role": "teacher"}, "action": "post"}, as_of=date(2012, 6, 20))
    assert policy.decide(dict(request, as_of="2015-11-18")).policy.revision == "2015-11-18"


@pytest.mark.parametrize(("text", "ok"), [("2015-11-18", True), ("2016-02-29", True), ("2015-02-29", False),
                                          ("2015-1-18", False), ("20151118", False), (20151118, False)])
def test_valid_date(text, ok):
    assert valid_date(text) is ok

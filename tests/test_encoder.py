"""The generated request encoder, in both forms (by shape and generic): it accepts exactly what
the request schema accepts, and encodes a valid request to its plain reading of the layout."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings

import policykit
from policykit.core.compiler import AtomLayout
from policykit.core.encoder import build_encoder, encoder_source
from policykit.core.schemaerrors import validator
from policykit.core.vocabulary import load_vocabulary
from strategies import near_valid_requests, valid_requests

VOCABULARY = load_vocabulary()
LAYOUT = AtomLayout.from_vocabulary(VOCABULARY)
TEACHER = {"actor": {"role": "teacher"}, "action": "post"}


@pytest.fixture(scope="module", params=["by shape", "generic"])
def encode(request):
    if request.param == "generic":
        return build_encoder(VOCABULARY, LAYOUT, shapes=0)
    by_shape = build_encoder(VOCABULARY, LAYOUT, shapes=100_000)

    def twice(value):  # a shape's second request is the one its own function answers
        first = by_shape(value)
        second = by_shape(value)
        assert first == second
        return second
    return twice


def reference_encoding(request: dict) -> tuple[int, int, str | None, int]:
    """What a valid request encodes to, worked out plainly from the layout: a bit per value
    stated, the open facts left out unknown, and the x-read-as rules applied."""
    true, stated = 0, set()

    def walk(data: dict, prefix: str) -> None:
        nonlocal true
        for key, value in data.items():
            path = f"{prefix}{key}"
            stated.add(path)
            if isinstance(value, dict):
                true |= LAYOUT.bits[path][True]
                walk(value, path + ".")
            elif isinstance(value, list):
                for item in value:
                    true |= LAYOUT.bits[path][item]
            elif value is True:
                true |= LAYOUT.bits[path][True]
            elif isinstance(value, str) and path != "as_of":
                true |= LAYOUT.bits[path][value]

    walk(request, "")
    unknown = 0
    for path, mask in LAYOUT.masks.items():
        if LAYOUT.initially_unknown & mask and path not in stated:
            unknown |= mask
    reread = 0
    for index, (value_bit, as_bit, unless_bit, _) in enumerate(LAYOUT.read_as):
        if true & value_bit and not true & unless_bit:
            true = true & ~value_bit | as_bit
            reread |= 1 << index
    return true, unknown, request.get("as_of"), reread


@settings(max_examples=300, deadline=None)
@given(request=valid_requests())
def test_a_valid_request_is_encoded_to_its_plain_reading(encode, request):
    assert encode(request) == reference_encoding(request)


@settings(max_examples=400, deadline=None)
@given(request=near_valid_requests())
def test_the_encoder_accepts_exactly_what_the_schema_accepts(encode, request):
    assert (encode(request) is not None) == validator("request").is_valid(request)


@pytest.mark.parametrize("request_", [
    dict(TEACHER, channel=None), dict(TEACHER, audience=None), dict(TEACHER, site=None), dict(TEACHER, as_of=None),
    dict(TEACHER, interferes_with_duties=1), dict(TEACHER, interferes_with_duties=0),
    dict(TEACHER, interferes_with_duties=1.0), dict(TEACHER, interferes_with_duties="true"),
    dict(TEACHER, channel=["email"]), dict(TEACHER, channel={"email": 1}), dict(TEACHER, channel=1),
    dict(TEACHER, audience=["student", "student"]), dict(TEACHER, audience="student"),
    dict(TEACHER, audience=[["student"]]), dict(TEACHER, audience=("student",)),
    dict(TEACHER, as_of=["2026-01-05"]), dict(TEACHER, as_of="2026-02-30"), dict(TEACHER, as_of=20260105),
    {"actor": {"role": "teacher", "name": "x"}, "action": "post"}, {"actor": {"role": None}, "action": "post"},
    {"actor": {}, "action": "post"}, {"actor": ["teacher"], "action": "post"}, {"actor": {"role": "teacher"}},
    {"action": "post"}, {1: "x", **TEACHER}, dict(TEACHER, site={"approved": True}),
    dict(TEACHER, site={"purpose": "instruction", "approved": 1}),
    dict(TEACHER, site={"purpose": "instruction", "colour": "red"}),
    dict(TEACHER, site={"purpose": "instruction", "uses": ["x"]}),
    dict(TEACHER, site={"purpose": "instruction", "uses": ["x", "x"]}),
    dict(TEACHER, site=[]), "post", None, [TEACHER], {}, {"actor": {"role": "teacher"}, "action": "post", "": 1},
    dict(TEACHER, audience=[]), dict(TEACHER, site={"purpose": "instruction", "approved": False, "uses": []}),
    dict(TEACHER, as_of="2026-01-05", audience_is_family=False),
    {**{f"x{i}": 1 for i in range(40)}, **TEACHER},
])
def test_tricky_values_are_refused_exactly_as_the_schema_refuses_them(encode, request_):
    assert (encode(request_) is not None) == validator("request").is_valid(request_)


def test_shapes_are_remembered_up_to_the_limit_then_the_generic_form_answers():
    encode = build_encoder(VOCABULARY, LAYOUT, shapes=3)
    booleans = [f.path for f in VOCABULARY.facts if f.kind == "boolean" and "." not in f.path]
    requests = [dict(TEACHER, **{name: True}) for name in booleans]
    assert len(requests) > 3
    for request in requests + requests:  # each shape twice: once written (or not), once remembered
        assert encode(request) == reference_encoding(request)
    assert list(encode.shapes) == [tuple(r) for r in requests[:3]]


def test_a_shape_no_valid_request_has_is_refused_and_never_remembered():
    encode = build_encoder(VOCABULARY, LAYOUT, shapes=1)
    for index in range(50):
        assert encode({f"unknown{index}": 1, **TEACHER}) is None
    assert encode({"action": "post"}) is None
    assert not encode.shapes
    request = dict(TEACHER, channel="email")
    assert encode(request) == encode(request) == reference_encoding(request)  # the one place was still free
    assert list(encode.shapes) == [tuple(request)]


def test_a_shape_seen_once_is_answered_by_the_generic_form_and_written_the_second_time():
    encode = build_encoder(VOCABULARY, LAYOUT)
    request = dict(TEACHER, channel="email", audience=["student"])
    assert encode(request) == reference_encoding(request) and not encode.shapes
    assert encode(dict(request)) == reference_encoding(request) and list(encode.shapes) == [tuple(request)]
    encode.forget()
    assert encode(request) == reference_encoding(request) and not encode.shapes  # met once again
    with pytest.raises(ValueError, match="no valid request has the top-level keys"):
        encoder_source(VOCABULARY, LAYOUT, ("actor", "colour"))


def test_many_threads_meeting_new_shapes_at_once_get_the_same_answers():
    encode = build_encoder(VOCABULARY, LAYOUT)
    booleans = [f.path for f in VOCABULARY.facts if f.kind == "boolean" and "." not in f.path]
    requests = [dict(TEACHER, **{name: value}) for name in booleans for value in (True, False)]
    expected = [reference_encoding(r) for r in requests]
    results: list[list] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        results.append([encode(r) for r in requests])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8


def test_the_policy_uses_the_encoder_by_shape():
    policy = policykit.load_policy()
    request = dict(TEACHER, channel="social_media", audience=["student"])
    assert policy.encode(request) == reference_encoding(request)


def test_a_remembered_compilation_is_used_instead_of_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a snapshot brings: the generic encoder's source and code, used as they are."""
    import builtins

    from policykit.core import encoder

    source, code = encoder.generic_encoder(VOCABULARY, LAYOUT)
    assert source == encoder_source(VOCABULARY, LAYOUT) and code.co_filename == "<policykit encode>"
    monkeypatch.setattr(encoder, "_COMPILED", {})
    encoder.remember_compiled(source, code)
    encoder.remember_compiled("not code", source)  # type: ignore[arg-type]  # what a damaged snapshot might hold
    assert encoder._COMPILED == {source: code}

    def refused(*args: object, **kwargs: object) -> object:
        raise AssertionError("compiled again")

    monkeypatch.setattr(builtins, "compile", refused)
    generic = build_encoder(VOCABULARY, LAYOUT, shapes=0)
    assert generic(TEACHER) == reference_encoding(TEACHER) and generic({"actor": {}}) is None

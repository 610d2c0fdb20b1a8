"""The phrasebook: generated from the request schema, one phrase per fact value."""

from __future__ import annotations

import pytest

from policykit.authoring.phrases import PhraseError, load_phrasebook
from policykit.core.vocabulary import load_vocabulary


def test_every_value_of_every_fact_has_exactly_one_phrase():
    book = load_phrasebook()
    stated = {(p.fact, p.value) for p in book.phrases}
    assert len(stated) == len(book.phrases)
    for fact in load_vocabulary().facts:
        if fact.kind in ("choice", "list"):
            assert {(fact.path, v) for v in fact.value_names} <= stated, fact.path
        elif fact.kind == "boolean":
            assert {(fact.path, True), (fact.path, False)} <= stated, fact.path
    assert ("site", None) in stated


def test_phrases_build_a_request():
    book, request = load_phrasebook(), {}
    for text in ["I am a coach", "I post something", "it is on social media", "it reaches a student",
                 "it reaches the public", "it is harassing", "the site has not been approved",
                 "I am unsure whether it is confidential", "the date is 2016-01-01"]:
        book.apply(request, text)
    assert request == {"actor": {"role": "coach"}, "action": "post", "channel": "social_media",
                       "audience": ["student", "public"], "content": ["harassing"], "site": {"approved": False},
                       "confidentiality_uncertain": True, "as_of": "2016-01-01"}


def test_an_unknown_phrase_names_the_closest_ones():
    with pytest.raises(PhraseError, match=r"^unknown phrase 'it goes by txt'; closest: 'it goes by text message'; "):
        load_phrasebook().find("it goes by txt")


def test_a_contradicting_phrase_is_an_error():
    book, request = load_phrasebook(), {}
    book.apply(request, "it goes by e-mail")
    book.apply(request, "it goes by e-mail")  # saying it twice is fine
    with pytest.raises(PhraseError, match="'it is a phone call' contradicts an earlier step: channel is already email"):
        book.apply(request, "it is a phone call")

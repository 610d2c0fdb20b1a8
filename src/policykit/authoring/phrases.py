"""The scenario phrasebook: one plain-English phrase per fact value, generated from the request
schema (each value's ``x-phrase``, each yes/no fact's ``x-phrases``), so that a board editor
writes a scenario in words and never touches Python.

    Given I am a teacher
    And I send a message
    And it goes by text message
    And it reaches a student

A phrase outside the book is an error that lists the closest phrases."""

from __future__ import annotations

import difflib
import re
from typing import Any
from dataclasses import dataclass
from functools import cache

from policykit.core.vocabulary import Vocabulary, load_vocabulary

_DATE_WORDS = re.compile(r"the date is (?P<value>\S+)\Z")


@dataclass(frozen=True)
class Phrase:
    """Words that state one fact value."""

    text: str
    fact: str
    value: object  # a value name, True/False, or None for "a site is involved" and dates
    description: str


class PhraseError(ValueError):
    """A step that is not in the phrasebook, or that contradicts an earlier one."""


@dataclass(frozen=True)
class Phrasebook:
    phrases: tuple[Phrase, ...]

    def find(self, text: str) -> Phrase:
        """The phrase with exactly these words; PhraseError naming the closest ones otherwise."""
        words = " ".join(text.split())
        for phrase in self.phrases:
            if phrase.text == words:
                return phrase
        match = _DATE_WORDS.match(words)
        if match:
            return Phrase(words, "as_of", match["value"], "The date the question is about.")
        raise PhraseError(f"unknown phrase '{words}'; closest: {self.closest(words)}")

    def closest(self, text: str, count: int = 3) -> str:
        texts = [phrase.text for phrase in self.phrases] + ["the date is YYYY-MM-DD"]
        close = difflib.get_close_matches(text, texts, n=count, cutoff=0.0)
        return "; ".join(f"'{c}'" for c in close)

    def apply(self, request: dict[str, Any], text: str) -> Phrase:
        """State the phrase's fact in ``request`` (a dict being built). A second value for a
        single-valued fact is an error; list facts accumulate."""
        phrase = self.find(text)
        *parents, leaf = phrase.fact.split(".")
        target = request
        for parent in parents:
            target = target.setdefault(parent, {})
        if phrase.value is None and phrase.fact != "as_of":  # an object is involved
            target.setdefault(leaf, {})
            return phrase
        fact = load_vocabulary()[phrase.fact]
        if fact.kind == "list":
            values = target.setdefault(leaf, [])
            if phrase.value not in values:
                values.append(phrase.value)
            return phrase
        if leaf in target and target[leaf] != phrase.value:
            raise PhraseError(f"'{phrase.text}' contradicts an earlier step: {phrase.fact} is already "
                              f"{_word(target[leaf])}")
        target[leaf] = phrase.value
        return phrase


def _word(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def phrasebook_from(vocabulary: Vocabulary) -> Phrasebook:
    """Every phrase the vocabulary defines, in schema order."""
    phrases: list[Phrase] = []
    for fact in vocabulary.facts:
        for value in fact.values:
            if value.phrase:
                phrases.append(Phrase(value.phrase, fact.path, value.name, value.description))
        for case, words in fact.phrases:
            if fact.kind == "boolean":
                phrases.append(Phrase(words, fact.path, case == "true", fact.description))
            elif fact.kind == "object":
                phrases.append(Phrase(words, fact.path, None, fact.description))
    texts = [p.text for p in phrases]
    duplicates = {t for t in texts if texts.count(t) > 1}
    if duplicates:
        raise ValueError(f"the request schema gives the same phrase to two values: {sorted(duplicates)}")
    return Phrasebook(tuple(phrases))


@cache
def load_phrasebook() -> Phrasebook:
    """The phrasebook of the project's request schema."""
    return phrasebook_from(load_vocabulary())

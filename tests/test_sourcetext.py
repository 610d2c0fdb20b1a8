"""Fidelity to the text of record: the clauses, headings and metadata reproduce the adopted text
(whitespace aside), every sentence of it lies in exactly one clause, and nothing is added."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from policykit.core.model import PolicyDocument
from policykit.core.sourcetext import normalize_whitespace, paragraphs, render

SEED = date(2015, 11, 18)
TITLE = "USE OF ELECTRONIC COMMUNICATIONS AND SOCIAL MEDIA"
#: The section headings as printed; they belong to no clause.
HEADINGS = (
    "Staff-Student Relationships",
    "Staff, Student and Parent Communications",
    "Use of Social Media",
    "School-Approved Use of Social Media",
    "Notice of Electronic Monitoring",
    "Disciplinary Action",
)
#: A sentence ends with . ; or : before a capital or a quote; a list item starts with "- ".
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-Z“\"])|\s+(?=- )")


def sentences(text: str) -> list[str]:
    return _SENTENCE_END.split(normalize_whitespace(text))


@pytest.fixture(scope="module")
def source(policy_root: Path) -> str:
    return (policy_root / "source" / f"{SEED.isoformat()}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def source_body(source: str) -> str:
    """The normative text: after the title, before the references, without section headings."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", source) if block.strip()]
    start, end = blocks.index(TITLE) + 1, blocks.index("References:")
    return normalize_whitespace(" ".join(b for b in blocks[start:end] if b not in HEADINGS))


def clause_texts(policy: PolicyDocument) -> list[str]:
    texts = []
    for clause in policy.clauses:
        version = clause.version_on(SEED)
        assert version is not None, clause.id
        texts.append(normalize_whitespace(version.text))
    return texts


def test_render_reproduces_the_text_of_record(policy: PolicyDocument, source: str) -> None:
    assert normalize_whitespace(render(policy, SEED)) == normalize_whitespace(source)


def test_render_puts_blocks_in_printed_order(policy: PolicyDocument) -> None:
    blocks = list(paragraphs(policy, SEED))
    assert blocks[:2] == ["Personnel - Certified & Non-Certified", TITLE]
    assert [b for b in blocks if b in HEADINGS] == list(HEADINGS)
    assert blocks[-4:] == ["Policy Adopted: June 20, 2012", "Policy Revised: Nov. 18, 2015",
                           "LEDYARD PUBLIC SCHOOLS", "Ledyard, Connecticut"]
    assert render(policy, SEED) == "\n\n".join(blocks) + "\n"


def test_nothing_is_in_force_before_the_seed_revision(policy: PolicyDocument) -> None:
    blocks = list(paragraphs(policy, date(2015, 11, 17)))
    assert not set(clause_texts(policy)) & {normalize_whitespace(b) for b in blocks}


def test_every_sentence_is_in_exactly_one_clause(policy: PolicyDocument, source_body: str) -> None:
    texts = clause_texts(policy)
    body_sentences = sentences(source_body)
    assert len(body_sentences) > 33
    for sentence in body_sentences:
        holders = [clause.id for clause, text in zip(policy.clauses, texts) if sentence in text]
        assert len(holders) == 1, (sentence, holders)


def test_each_clause_is_whole_sentences_of_the_source_in_order(policy: PolicyDocument,
                                                               source_body: str) -> None:
    """Clause texts are contiguous runs of whole sentences which, in order, make up the body."""
    texts = clause_texts(policy)
    for clause, text in zip(policy.clauses, texts):
        assert text in source_body, clause.id
    assert [s for text in texts for s in sentences(text)] == sentences(source_body)
    assert " ".join(texts) == source_body


def test_clause_boundaries_follow_the_spec(policy: PolicyDocument) -> None:
    """Spot checks of the clauses' first words, including clauses that span a page break or bullets."""
    first_words = {
        "relationships.personal-relationships": "Employees of Ledyard Public Schools are prohibited from establishing",
        "relationships.peer-communication": "- Employees fraternizing or communicating with students as if",
        "monitoring.district-systems": "In accordance with Connecticut State law",
        "discipline.grounds": "Ledyard Public Schools has the right to discipline",
        "discipline.consequences": "Violation of this policy may lead to discipline",
    }
    for clause_id, words in first_words.items():
        assert normalize_whitespace(policy.clause(clause_id).versions[0].text).startswith(words), clause_id
    personal = normalize_whitespace(policy.clause("relationships.personal-relationships").versions[0].text)
    assert "When a teacher and a student become “friends”" in personal
    systems = normalize_whitespace(policy.clause("monitoring.district-systems").versions[0].text)
    assert "computer or other telecommunications device, whether District-owned or not" in systems
    grounds = normalize_whitespace(policy.clause("discipline.grounds").versions[0].text)
    assert grounds.count("\n") == 0 and grounds.count(" - ") == 6

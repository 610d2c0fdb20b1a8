"""The text of record, put back together from the model: header, section headings, clause
texts, references and footer, in printed order. The fidelity test compares it with the adopted
text; the site's print page is built from the same pieces."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from policykit.core.model import PolicyDocument


def paragraphs(document: PolicyDocument, day: date) -> Iterator[str]:
    """The policy's printed blocks on ``day``, one string each."""
    yield from document.header
    by_id = {clause.id: clause for clause in document.clauses}
    for section in document.sections:
        if section.heading:
            yield section.heading
        for clause_id in section.clause_ids:
            version = by_id[clause_id].version_on(day)
            if version is not None:
                yield version.text
    yield document.references_heading
    group = None
    for reference in document.references:
        if reference.group and reference.group != group:
            group = reference.group
            yield group
        yield reference.text
    yield from document.footer


def render(document: PolicyDocument, day: date) -> str:
    """The whole text in force on ``day``, blocks separated by blank lines."""
    return "\n\n".join(paragraphs(document, day)) + "\n"


def normalize_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space, for comparisons that ignore layout."""
    return re.sub(r"\s+", " ", text).strip()

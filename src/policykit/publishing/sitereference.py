"""The staff site's reference pages: home, references, glossary, request fields (for
developers) and the changelog."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from policykit.core.model import PolicyDocument, Reference
from policykit.authoring.phrases import Phrase, Phrasebook, load_phrasebook
from policykit.core.schemaerrors import load_schema
from policykit.core.vocabulary import Fact, Vocabulary
from policykit.publishing.sitecards import (
    SEARCH_BOOST, Cards, Example, card_link, escape_markdown, front_matter, long_date, question_key, quote_block,
    section_path,
)
from policykit.publishing.siteprint import built_on


WHEN_MISSING_WORDS = {
    "unknown": "unknown; an answer that depends on it asks for it, and a duty it settles is listed as "
               "“provided you …”.",
    "false": "no.",
    "empty": "none of these.",
    "no-site": "no school site is involved.",
    "today": "today's date.",
}
"""What ``x-when-missing`` means, in the glossary's words."""


def rank_as_developer_page(page: Path) -> None:
    """Give a hand-written page the developer pages' search rank, unless its front matter sets one."""
    text = page.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        return
    page.write_text("\n".join(front_matter(SEARCH_BOOST["developer"])) + "\n" + text, encoding="utf-8")


def home_page(document: PolicyDocument, day: date, faq: Sequence[Example], cards: Cards) -> str:
    """The home page: what the policy is, its sections, and the frequently asked questions."""
    scope = [document.clause(cid).version_on(day) for cid in document.sections[0].clause_ids]
    parts = front_matter(SEARCH_BOOST["home"]) + [
        f"# {document.title}", "",
        f"**{document.district}** · {document.series}  ",
        f"Adopted {long_date(document.adopted)} · revised "
        f"{', '.join(long_date(r) for r in document.revisions if r <= day)}  ",
        f"*{built_on(day)}*", ""]
    upcoming = [r for r in document.effective_dates() if r > day]
    if upcoming:
        parts += [f"*Adopted amendments take effect on {', '.join(long_date(r) for r in upcoming)}; "
                  "each clause page shows them under “Upcoming”.*", ""]
    parts += ["## What this policy covers", ""]
    parts += [quote_block(v.text) + "\n" for v in scope if v is not None]
    parts += ["## The policy, section by section", ""]
    parts += [f"- [{s.title}]({section_path(s)})" for s in document.sections]
    parts += ["", "## Questions staff ask most", ""]
    book = load_phrasebook()
    for example in faq:
        key = question_key(example.scenario.request(book))
        if key in cards.pages:
            parts.append(card_link(example.scenario.name, example.decision, cards.link(key, "index.md")))
    parts += ["", "Every answer comes from the policy's own rules; each clause page shows more examples. "
              "An answer marked as resting on a reading awaiting the board's confirmation may change "
              "when the board confirms or revises that reading.", ""]
    return "\n".join(parts)


def jurisdiction_titles() -> dict[str, str]:
    """Each jurisdiction a reference may name, with its heading (the titles in schema/policy.schema.json)."""
    node = load_schema("policy")["properties"]["references"]["items"]["properties"]["jurisdiction"]
    return {choice["const"]: choice.get("title", choice["const"]) for choice in node["oneOf"]}


def references_page(document: PolicyDocument) -> str:
    """The references grouped by jurisdiction, in the order the policy file first names each; under
    a jurisdiction, the heading the adopted text prints above them (``group``), when there is one."""
    titles = jurisdiction_titles()
    by_jurisdiction: dict[str, list[Reference]] = {}
    for reference in document.references:
        by_jurisdiction.setdefault(reference.jurisdiction, []).append(reference)
    parts = front_matter(SEARCH_BOOST["references"]) + [
        "# References", "", "The laws the policy names, as it prints them, grouped by whose law they are.", ""]
    for jurisdiction, references in by_jurisdiction.items():
        parts += [f"## {escape_markdown(titles.get(jurisdiction, jurisdiction))} {{#{jurisdiction}}}", ""]
        printed = None
        for reference in references:
            if reference.group and reference.group != printed:
                printed = reference.group
                parts += [f"*Printed under “{escape_markdown(printed.rstrip(':'))}”:*", ""]
            parts.append(f"- {reference.text}  \n  *{reference.citation}*")
            if reference.note:
                parts += ["", '    !!! note "Editor\'s note"', "", f"        {reference.note}"]
            parts.append("")
    return "\n".join(parts)


def glossary_page(vocabulary: Vocabulary, phrasebook: Phrasebook) -> str:
    """The staff glossary, in staff words: what a question to the policy can say, what each answer
    means, what the policy takes when it is not said, and the words the examples use. The request's
    field names and codes are on the developers' page (``request_fields_page``)."""
    by_fact: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in phrasebook.phrases:
        by_fact[phrase.fact].append(phrase)
    parts = front_matter(SEARCH_BOOST["glossary"]) + [
        "# Glossary and phrasebook", "",
        "What a question to the policy can say, what each answer means, what the policy takes when it is "
        "not said, and the words the examples use. A question is about today unless it names another day.", "",
        "*For developers: the same with the request's field names and values is on "
        f"[Request fields]({FIELDS_PAGE}).*", ""]
    codes = developer_codes(vocabulary)
    for fact in vocabulary.facts:
        phrases = by_fact[fact.path]
        if fact.when_missing == "today" or not (fact.values or phrases):
            continue  # the date (said in the introduction), and groups of other facts
        heading, text = _staff_words(fact, phrases, codes)
        parts += [f"## {escape_markdown(heading)} {{#fact-{fact.path.replace('.', '-')}}}", ""]
        parts += [escape_markdown(text), ""] if text else []
        if fact.when_missing:
            parts += [f"*When not said:* {WHEN_MISSING_WORDS[fact.when_missing]}", ""]
        if fact.values:
            parts += ["| answer | meaning | in the examples |", "|---|---|---|"]
            said = {p.value: p.text for p in phrases}
            parts += [f"| {escape_markdown(v.title)} | {escape_markdown(v.description)} "
                      f"| {escape_markdown(said.get(v.name, ''))} |"
                      for v in fact.values]
            parts.append("")
        else:
            parts += [f"- {escape_markdown(p.text)}" for p in phrases] + [""]
    return "\n".join(parts)


def developer_codes(vocabulary: Vocabulary) -> frozenset[str]:
    """The request's names staff never type: every field path and value code written with an
    underscore or a dot (``seen_by``, ``actor.role``, ``text_message``)."""
    names = [fact.path for fact in vocabulary.facts] + [v.name for fact in vocabulary.facts for v in fact.values]
    return frozenset(name for name in names if "_" in name or "." in name)


def _names_a_code(sentence: str, codes: frozenset[str]) -> bool:
    return any(word in codes for word in re.findall(r"[\w.]*\w", sentence))


def _staff_words(fact: Fact, phrases: Sequence[Phrase], codes: frozenset[str] = frozenset()) -> tuple[str, str]:
    """A fact's heading and explanation on the staff glossary: a yes/no fact (or a school site) by
    what the examples say when it holds, any other by its description's first sentence; the rest of
    the description after it, without what a missing fact means (said apart) and without a sentence
    naming a field by its code (``codes``: that sentence is for developers, on the fields page)."""
    sentences = [s for s in re.split(r"(?<=[.])\s+", fact.description.strip())
                 if s and not s.startswith("When missing") and not _names_a_code(s, codes)]
    holds = next((p.text for p in phrases if p.value in (True, None)), "")
    if (fact.kind == "boolean" or not fact.values) and holds:
        heading, rest = holds, sentences
    else:
        heading, rest = (sentences[0] if sentences else fact.path), sentences[1:]
    heading = heading.rstrip(".")
    return heading[0].upper() + heading[1:], " ".join(rest)


FIELDS_PAGE = "fields.md"
"""The developers' page of the request's fields, with their names and values as the JSON has them."""


def request_fields_page(vocabulary: Vocabulary, phrasebook: Phrasebook) -> str:
    """The developers' glossary: every field of a request by its path, its values by their codes,
    what a missing field means (``x-when-missing``), and the phrases the scenarios use for them."""
    by_fact: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in phrasebook.phrases:
        by_fact[phrase.fact].append(phrase)
    parts = front_matter(SEARCH_BOOST["developer"]) + ["# Request fields", "",
             "The fields a request (schemas/request.schema.json) can give, what each value means, what it "
             "means when it is not given (`x-when-missing`), and the phrase the scenarios use for it. Staff "
             "read the same in everyday words in the [Glossary](glossary.md).", ""]
    for fact in vocabulary.facts:
        parts += [f"## `{fact.path}` {{#fact-{fact.path.replace('.', '-')}}}", "",
                  escape_markdown(fact.description), ""]
        if fact.when_missing:
            parts += [f"*When not stated:* {WHEN_MISSING_WORDS[fact.when_missing]}", ""]
        if fact.values:
            parts += ["| value | meaning | in the examples |", "|---|---|---|"]
            phrases = {p.value: p.text for p in by_fact[fact.path]}
            parts += [f"| `{v.name}` | {escape_markdown(v.description)} | {escape_markdown(phrases.get(v.name, ''))} |"
                      for v in fact.values]
            parts.append("")
        elif by_fact[fact.path]:
            parts += [f"- {escape_markdown(p.text)}" for p in by_fact[fact.path]] + [""]
    return "\n".join(parts)

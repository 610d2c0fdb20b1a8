"""The staff site's pages, generated as Markdown from ``policy/``, ``schema/`` and ``features/``.

``build_pages`` copies the hand-written pages of ``docs/`` into a build directory and writes the
generated ones beside them; ``mkdocs build --strict`` (Material for MkDocs) then renders the
whole. No policy text is written by hand: every clause, note, example and date comes from the
files, so the site cannot drift from the policy."""

from __future__ import annotations

import html
import json
import shutil
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from policykit.core.api import Policy
from policykit.core.decision import Decision
from policykit.core.model import PolicyDocument
from policykit.authoring.phrases import load_phrasebook
from policykit.authoring.answers import information_answer
from policykit.authoring.questions import Question, Topic
from policykit.authoring.scenarios import Scenario
from policykit.publishing.ask import ask_page, ask_script
from policykit.publishing.browser import copy_scripts
from policykit.core.vocabulary import load_vocabulary
from policykit.publishing.sitecards import (
    ON_SCREEN, SEARCH_BOOST, Cards, Example, answer_card, card_anchor, card_link, claim_cards, clause_link,
    escape_markdown, front_matter, question_key, scenario_examples, section_path,
)
from policykit.publishing.siteclauses import changelog_page, search_synonyms, section_page
from policykit.publishing.siteprint import PRINT_PAGE, add_print_note, print_page, print_stylesheet
from policykit.publishing.sitereference import (
    FIELDS_PAGE, glossary_page, home_page, rank_as_developer_page,
    references_page, request_fields_page,
)


def build_pages(policy: Policy, scenarios: Sequence[Scenario], out: Path, *, day: date, docs: Path | None = None,
                schema_dir: Path | None = None, topics: Sequence[Topic] = ()) -> list[Path]:
    """Write the site's Markdown into ``out`` (emptied first): the hand-written ``docs`` pages,
    then the generated ones, as the policy stands on ``day`` (the text in force, with what is
    adopted for later as "Upcoming"). Returns the generated files."""
    document = policy.document
    phrasebook = load_phrasebook()
    if out.exists():
        shutil.rmtree(out)
    if docs is not None and docs.is_dir():
        shutil.copytree(docs, out)
        for page in out.rglob("*.md"):
            rank_as_developer_page(page)
    out.mkdir(parents=True, exist_ok=True)
    examples = scenario_examples(policy, scenarios, phrasebook)
    by_clause: dict[str, list[Example]] = defaultdict(list)
    loose: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        ids = example.scenario.clause_ids
        for clause_id in ids:
            by_clause[clause_id].append(example)
        if not ids:
            loose[Path(example.scenario.path).stem].append(example)
    written: list[Path] = []

    def write(relative: str, text: str) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    # Each distinct question gets one card on the site: on the first section page that asks it,
    # else on the questions page; every other place links to it. Claimed before anything is
    # written, so that each card names every wording of its question.
    cards = Cards.empty()
    for section in document.sections:
        clause_ids = [cid for cid in section.clause_ids
                      if document.clause(cid).version_on(day) or document.clause(cid).upcoming(day)]
        for clause_id in clause_ids:
            claim_cards(by_clause.get(clause_id, []), cards, section_path(section))
        claim_cards(loose.get(section.id, []), cards, section_path(section))
    for topic in topics:
        for question in topic.questions:
            if not question.is_refused and not question.is_information:
                cards.claim(question_key(question.request), "questions.md", question.ask)
    for section in document.sections:
        write(section_path(section), section_page(section, document, day, by_clause,
                                                   loose.get(section.id, []), cards))
    write("index.md", home_page(document, day, _faq(examples, document), cards))
    write("references.md", references_page(document))
    write("glossary.md", glossary_page(load_vocabulary(), phrasebook))
    write(FIELDS_PAGE, request_fields_page(load_vocabulary(), phrasebook))
    write("changelog.md", changelog_page(document, day))
    write(PRINT_PAGE, print_page(document, day))
    write("assets/print-page.css", print_stylesheet(document, day))
    write("assets/search-synonyms.json", json.dumps(search_synonyms(), ensure_ascii=False, indent=0))
    if topics:
        write("questions.md", _questions_page(policy, topics, document, cards))
    write("ask.md", ask_page())
    write("assets/ask-data.js", ask_script(policy))
    for page in sorted(out.rglob("*.md")):
        relative = page.relative_to(out).as_posix()
        if relative != PRINT_PAGE:
            add_print_note(page, relative, day, policy.site_url)
    for page in sorted(out.rglob("*.md")):
        relative = page.relative_to(out).as_posix()
        if relative != "index.md":
            write(relative[:-3] + "/index.html", folder_page(relative))
    if schema_dir is not None:
        for schema in sorted(schema_dir.glob("*.schema.json")):
            target = out / "schemas" / schema.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(schema, target)
            written.append(target)
    written += copy_scripts(out / "assets")
    return written


def folder_page(page: str) -> str:
    """The page a folder URL (``sections/relationships/``) opens: it sends the reader on to the
    page itself (``sections/relationships.html``), keeping the ``#clause`` part. The site's pages
    are files, so that it works from disk (file://) as on any static host; these keep the URLs
    decisions and older links use valid."""
    name = page[:-3].rsplit("/", 1)[-1]
    depth = page.count("/") + 1
    target = f"../{name}.html"
    return ('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{html.escape(name)}</title>\n<link rel="canonical" href="{target}">\n'
            f'<script src="{"../" * depth}assets/folder.js"></script>\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n</head>\n<body>\n'
            f'<p>This page has moved to <a href="{target}">{html.escape(name)}.html</a>.</p>\n</body>\n</html>\n')


def _questions_page(policy: Policy, topics: Sequence[Topic], document: PolicyDocument, cards: Cards) -> str:
    """The question corpus as a page: by topic, each question with its answer card, the words of
    the policy it rests on and why. A question already answered on a clause page links there."""
    parts = front_matter(SEARCH_BOOST["questions"]) + [
        "# Common questions", "",
        "Everyday questions staff ask, each answered by the policy's own rules. Every answer quotes the "
        "words of the policy it rests on; most rest on readings the Board of Education has not yet "
        "confirmed, and each card says so.", ""]
    parts += [f"- [{topic.title}](#{topic.slug})" for topic in topics] + [""]
    emitted: set[str] = set()
    for topic in topics:
        parts += [f"## {topic.title} {{#{topic.slug}}}", "", escape_markdown(topic.intro), ""]
        for question in topic.questions:
            if question.is_refused:
                continue
            decision = policy.decide(question.request, alternatives=True)
            clause = document.clause(question.clause)
            if question.is_information:
                parts += [_information_card(question, decision, document), ""]
                continue
            key = question_key(question.request)
            if cards.pages[key] != "questions.md":
                parts += [card_link(question.ask, decision, cards.link(key, "questions.md")), ""]
                continue
            if key in emitted:
                continue
            emitted.add(key)
            card = answer_card(question.ask, (), decision)
            also = [name for name in cards.names[key] if name != question.ask]
            if also:
                card += ("\n\n    *Also asked as:* " + "; ".join(escape_markdown(name) for name in also)
                         + f"\n    {{: .{ON_SCREEN} }}")
            card += (f"\n\n    > “{escape_markdown(question.quote)}” — [{escape_markdown(clause.title)}]"
                     f"({clause_link(document, clause.id, from_root=True)})\n\n    {escape_markdown(question.because)}")
            parts += [f'<div class="policy-card" id="{card_anchor(key)}" markdown>', "", card, "", "</div>", ""]
    return "\n".join(parts)


def _information_card(question: Question, decision: Decision, document: PolicyDocument) -> str:
    """A question for information as a card: answered in words by its notice ("No: the District
    may monitor …"), never with an outcome word, then the words of the policy and why."""
    answer = information_answer(question, decision) or ""
    lead, _, rest = answer.partition(": ")
    clause = document.clause(question.clause)
    return "\n".join([
        f'<div class="policy-card" id="information-{question.id}" markdown>', "",
        f'??? info "{escape_markdown(question.ask)}"', "",
        f"    **{escape_markdown(lead)}:** {escape_markdown(rest)}", "",
        f"    > “{escape_markdown(question.quote)}” — [{escape_markdown(clause.title)}]"
        f"({clause_link(document, clause.id, from_root=True)})",
        "", f"    {escape_markdown(question.because)}", "", "</div>"])


def _faq(examples: Iterable[Example], document: PolicyDocument) -> list[Example]:
    """The questions on the home page: scenarios tagged @faq, else the first of each section."""
    examples = list(examples)
    tagged = [e for e in examples if "@faq" in e.scenario.tags]
    if tagged:
        return tagged
    order = [section.id for section in document.sections]
    first: dict[str, Example] = {}
    for example in examples:
        section = Path(example.scenario.path).stem
        if section in order[1:] and example.scenario.clause_ids:
            first.setdefault(section, example)
    return [first[section] for section in order if section in first]

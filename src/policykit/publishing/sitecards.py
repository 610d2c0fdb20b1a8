"""The staff site's answer cards: the scenarios as worked examples, each card once on the site
(the others link to it), a decision's outcome, reasons, duties and ways within the policy; and
what every page shares: escaping, dates, links to clauses, the search's front matter."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from policykit.core.api import Policy
from policykit.core.decision import Decision
from policykit.core.engine import PROVISO_OUTCOMES
from policykit.core.messages import load_messages
from policykit.core.model import PolicyDocument, Section
from policykit.authoring.phrases import Phrasebook, load_phrasebook
from policykit.authoring.scenarios import Scenario
from policykit.authoring.words import OUTCOME_WORDS


_ADMONITION = {"permitted": "success", "discouraged": "warning", "requires_approval": "warning",
               "prohibited": "failure", "undetermined": "question"}


@dataclass(frozen=True)
class Example:
    """A scenario as the site shows it: the question, the facts in words, the answer."""

    scenario: Scenario
    facts: tuple[str, ...]
    decision: Decision


def section_path(section: Section) -> str:
    """The page of a section, relative to the docs root (decisions' reason URLs point here)."""
    return f"sections/{section.id}.md"


def scenario_examples(policy: Policy, scenarios: Sequence[Scenario], phrasebook: Phrasebook) -> list[Example]:
    """Each scenario decided by the policy, as a worked example."""
    examples = []
    for scenario in scenarios:
        # The scenario's date pins the revision it illustrates; a staff card does not need it.
        facts = tuple(step.text for step in scenario.steps
                      if step.kind == "Context" and phrasebook.find(step.text).fact != "as_of")
        examples.append(Example(scenario, facts, policy.decide(scenario.request(phrasebook), alternatives=True)))
    return examples


def quote_block(text: str) -> str:
    """Clause text as a Markdown blockquote; a list that follows a paragraph gets the blank line
    Markdown needs to see it as a list."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("- ") and lines and not lines[-1].startswith("> - ") and lines[-1] != ">":
            lines.append(">")
        lines.append("> " + line if line.strip() else ">")
    return "\n".join(lines)


def _example_block(example: Example, heading: str = "???", also: Sequence[str] = ()) -> str:
    card = answer_card(example.scenario.name, example.facts, example.decision, heading)
    if also:
        card += ("\n\n    *Also asked as:* " + "; ".join(escape_markdown(name) for name in also)
                 + f"\n    {{: .{ON_SCREEN} }}")
    return card


def question_key(request: dict[str, Any]) -> str:
    """What makes two questions the same question: their request, facts in a fixed order."""
    return json.dumps(request, sort_keys=True)


def card_anchor(key: str) -> str:
    """The id of a question's one card on the site."""
    return "q-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass
class Cards:
    """Where each distinct question has its one card on the site: the first page that shows it
    holds the card; every other place links to it."""

    pages: dict[str, str]  # question key -> page (relative to the docs root) holding its card
    names: dict[str, list[str]]  # question key -> every scenario name asking it

    @classmethod
    def empty(cls) -> "Cards":
        return cls({}, {})

    def link(self, key: str, from_page: str) -> str:
        """The card's URL from ``from_page`` (both relative to the docs root)."""
        target = self.pages[key]
        depth = from_page.count("/")
        return "../" * depth + f"{target}#{card_anchor(key)}"


    def claim(self, key: str, page: str, name: str) -> None:
        """Note that ``page`` asks the question ``key`` as ``name``; the first page to claim a
        question holds its card."""
        self.pages.setdefault(key, page)
        names = self.names.setdefault(key, [])
        if name not in names:
            names.append(name)


def claim_cards(examples: Sequence[Example], cards: Cards, page: str) -> None:
    """Note that ``page`` asks each example's question (the first page to claim a question holds its card)."""
    book = load_phrasebook()
    for example in examples:
        cards.claim(question_key(example.scenario.request(book)), page, example.scenario.name)


def distinct_examples(examples: Sequence[Example], cards: Cards, page: str,
              emitted: set[str]) -> tuple[list[Example], list[tuple[Example, str]]]:
    """Split ``examples`` into the cards ``page`` holds (one per distinct question whose card is
    here and not yet written, recorded in ``emitted``) and the questions carded elsewhere, which
    ``page`` only links to (example, question key)."""
    phrasebook = load_phrasebook()
    own: list[Example] = []
    linked: dict[str, Example] = {}
    for example in examples:
        key = question_key(example.scenario.request(phrasebook))
        if cards.pages[key] != page:
            linked.setdefault(key, example)
        elif key not in emitted:
            emitted.add(key)
            own.append(example)
    return own, [(example, key) for key, example in linked.items()]


def anchored_card(example: Example, cards: Cards, heading: str = "???") -> str:
    """A question's one card, in a block carrying its anchor so other pages can link to it; it
    names every other wording of the same question on the site."""
    key = question_key(example.scenario.request(load_phrasebook()))
    also = [name for name in cards.names.get(key, []) if name != example.scenario.name]
    return (f'<div class="policy-card" id="{card_anchor(key)}" markdown>\n\n'
            f"{_example_block(example, heading, also)}\n\n</div>\n")


def card_link(title: str, decision: Decision, url: str) -> str:
    """A question answered on another card: its title, the verdict in words, and whether it rests
    on a reading awaiting the board."""
    status = reading_status(decision)
    line = f"- [{escape_markdown(title)}]({url}) — **{OUTCOME_WORDS[decision.outcome]}.**"
    return line + (f" *{status}*" if status else "")


def reading_status(decision: Decision) -> str | None:
    """The words saying that the outcome rests on a reading awaiting the board's confirmation
    (``schema/messages.yaml``), when it does, for a list of answers that shows no explanation."""
    if not decision.unconfirmed_readings:
        return None
    return load_messages().reading_status["answer_awaiting"]


def duties_in_words(decision: Decision) -> list[str]:
    """Each obligation in words by its state (done, not yet, provided you); an obligation whose
    state is unknown only where the answer may carry a proviso (allowed, or needing approval)."""
    messages = load_messages()
    return [messages.duty(o.met, o.text) for o in decision.obligations
            if o.met is not None or decision.outcome in PROVISO_OUTCOMES]


ON_SCREEN = "policy-card-more"
"""The class of a card's parts that a printed page leaves out (with the list after each): its notices,
its ways within the policy and its other wordings. On paper a card is its question, its answer and
what the reader must do (docs/assets/policy.css), so that a printed section is not dozens of pages."""


def answer_card(title: str, facts: Sequence[str], decision: Decision, heading: str = "???") -> str:
    """A question and its decision as a collapsible card: the facts, the outcome and explanation,
    every obligation in words (done, not yet, provided you), every notice and the ways within the
    policy; the explanation says when the answer rests on a reading awaiting the board."""
    outcome = OUTCOME_WORDS[decision.outcome]
    lines = [f'{heading} {_ADMONITION[decision.outcome]} "{escape_markdown(title)} — {outcome}"', ""]
    lines += [f"    - {fact[0].upper()}{fact[1:]}" for fact in facts]
    lines += ["", f"    **{outcome}.** {escape_markdown(decision.explanation)}"]
    duties = duties_in_words(decision)
    if duties:
        lines += ["", "    **What you must do**", ""]
        lines += [f"    - {escape_markdown(d[0].upper() + d[1:])}" for d in duties]
    if decision.notices:
        lines += ["", "    **Good to know**", f"    {{: .{ON_SCREEN} }}", ""]
        lines += [f"    - {escape_markdown(n.text)}" for n in decision.notices]
    if decision.alternatives:
        lines += ["", "    **To do this within the policy**", f"    {{: .{ON_SCREEN} }}", ""]
        lines += [f"    - {escape_markdown(a.text)} Then: {OUTCOME_WORDS[a.outcome].lower()}."
                  for a in decision.alternatives]
    return "\n".join(lines)


def escape_markdown(text: str) -> str:
    """Text with Markdown's emphasis marks and double quotes escaped."""
    return text.replace("*", "\\*").replace("_", "\\_").replace('"', "&quot;")


def long_date(day: date) -> str:
    """A date as staff read it: "June 1, 2026"."""
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def clause_link(document: PolicyDocument, clause_id: str, from_root: bool = False) -> str:
    """A link to a clause on its section page (from a section page, or from the site's root)."""
    return f"{'sections/' if from_root else ''}{document.clause(clause_id).section}.md#{clause_id}"


SEARCH_BOOST = {"section": 40, "home": 20, "questions": 20, "references": 10, "glossary": 3, "changelog": 5,
                "developer": 0.0005}
"""How the site's search ranks each page: the policy's own pages first, the glossary and the
changelog after the staff pages, and the hand-written pages of docs/ (for editors, integrators,
performance, other engines: written for developers, full of words such as "request") last, so
that they never outrank a staff page for a staff word. The theme weighs a word in a heading a
thousand times a word in the text, so the developer pages' rank is low enough that a heading of theirs
("… beside its peers") stays below a staff page's text (the changelog's, for "as peers")."""


def front_matter(boost: float) -> list[str]:
    """A page's front matter: its boost in the site's search."""
    return ["---", "search:", f"  boost: {boost}", "---", ""]

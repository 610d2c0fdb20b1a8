"""The staff site's pages, generated as Markdown from ``policy/``, ``schema/`` and ``features/``.

``build_pages`` copies the hand-written pages of ``docs/`` into a build directory and writes the
generated ones beside them; ``mkdocs build --strict`` (Material for MkDocs) then renders the
whole. No policy text is written by hand: every clause, note, example and date comes from the
files, so the site cannot drift from the policy."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from policykit.core.api import Policy
from policykit.core.conditions import All, Condition, Not, Test
from policykit.core.conditions import Any as AnyOf
from policykit.core.decision import Decision
from policykit.core.engine import PROVISO_OUTCOMES
from policykit.core.messages import load_messages
from policykit.core.model import KIND_WORDS, Clause, ClauseVersion, PolicyDocument, Section
from policykit.authoring.phrases import Phrase, Phrasebook, load_phrasebook
from policykit.authoring.questions import Question, Topic, information_answer
from policykit.authoring.scenarios import Scenario
from policykit.core.sourcetext import paragraphs
from policykit.core.vocabulary import Fact, Vocabulary, load_vocabulary
from policykit.publishing.browser import copy_scripts

class _OutcomeWords(Mapping[str, str]):
    """The staff-facing word of each outcome, as ``schema/messages.yaml`` declares it (read when
    first used)."""

    def __getitem__(self, outcome: str) -> str:
        return load_messages().outcomes[outcome].word

    def __iter__(self) -> Iterator[str]:
        return iter(load_messages().outcomes)

    def __len__(self) -> int:
        return len(load_messages().outcomes)


OUTCOME_WORDS: Mapping[str, str] = _OutcomeWords()
WHEN_MISSING_WORDS = {
    "unknown": "unknown; an answer that depends on it asks for it, and a duty it settles is listed as "
               "“provided you …”.",
    "false": "no.",
    "empty": "none of these.",
    "no-site": "no school site is involved.",
    "today": "today's date.",
}
"""What ``x-when-missing`` means, in the glossary's words."""
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


def _examples(policy: Policy, scenarios: Sequence[Scenario], phrasebook: Phrasebook) -> list[Example]:
    examples = []
    for scenario in scenarios:
        # The scenario's date pins the revision it illustrates; a staff card does not need it.
        facts = tuple(step.text for step in scenario.steps
                      if step.kind == "Context" and phrasebook.find(step.text).fact != "as_of")
        examples.append(Example(scenario, facts, policy.decide(scenario.request(phrasebook), alternatives=True)))
    return examples


def _quote(text: str) -> str:
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
        card += "\n\n    *Also asked as:* " + "; ".join(_escape(name) for name in also) + f"\n    {{: .{ON_SCREEN} }}"
    return card


def question_key(request: dict) -> str:
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


def _claim(examples: Sequence[Example], cards: Cards, page: str) -> None:
    book = load_phrasebook()
    for example in examples:
        cards.claim(question_key(example.scenario.request(book)), page, example.scenario.name)


def _distinct(examples: Sequence[Example], cards: Cards, page: str,
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


def _anchored_card(example: Example, cards: Cards, heading: str = "???") -> str:
    """A question's one card, in a block carrying its anchor so other pages can link to it; it
    names every other wording of the same question on the site."""
    key = question_key(example.scenario.request(load_phrasebook()))
    also = [name for name in cards.names.get(key, []) if name != example.scenario.name]
    return (f'<div class="policy-card" id="{card_anchor(key)}" markdown>\n\n'
            f"{_example_block(example, heading, also)}\n\n</div>\n")


def _card_link(title: str, decision: Decision, url: str) -> str:
    """A question answered on another card: its title, the verdict in words, and whether it rests
    on a reading awaiting the board."""
    status = reading_status(decision)
    line = f"- [{_escape(title)}]({url}) — **{OUTCOME_WORDS[decision.outcome]}.**"
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
    lines = [f'{heading} {_ADMONITION[decision.outcome]} "{_escape(title)} — {outcome}"', ""]
    lines += [f"    - {fact[0].upper()}{fact[1:]}" for fact in facts]
    lines += ["", f"    **{outcome}.** {_escape(decision.explanation)}"]
    duties = duties_in_words(decision)
    if duties:
        lines += ["", "    **What you must do**", ""] + [f"    - {_escape(d[0].upper() + d[1:])}" for d in duties]
    if decision.notices:
        lines += ["", "    **Good to know**", f"    {{: .{ON_SCREEN} }}", ""]
        lines += [f"    - {_escape(n.text)}" for n in decision.notices]
    if decision.alternatives:
        lines += ["", "    **To do this within the policy**", f"    {{: .{ON_SCREEN} }}", ""]
        lines += [f"    - {_escape(a.text)} Then: {OUTCOME_WORDS[a.outcome].lower()}." for a in decision.alternatives]
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("*", "\\*").replace("_", "\\_").replace('"', "&quot;")


def version_anchor(clause: Clause, version: ClauseVersion) -> str:
    """The id of one version's entry in a clause's history (the changelog links here)."""
    return f"{clause.id}--{version.effective.isoformat()}"


def redline(before: str, after: str) -> str:
    """A word-level redline from ``before`` to ``after`` as inline HTML: removed words in
    ``<del>``, added words in ``<ins>``, unchanged words as they are."""
    from policykit.authoring.diff import word_runs

    marks = {"same": "{}", "removed": "<del>{}</del>", "added": "<ins>{}</ins>"}
    return " ".join(marks[kind].format(_inline(words)) for kind, words in word_runs(before, after))


def _inline(text: str) -> str:
    """Text inside inline HTML on a Markdown line: HTML and Markdown specials escaped."""
    return html.escape(text, quote=False).replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;")


def _corrections(version: ClauseVersion) -> list[str]:
    return [f"made on {_long_date(c.date)}: {CORRECTION_WORDS[c.kind]}: {_escape(c.reason)}"
            for c in version.corrections]


CORRECTION_WORDS = {"wording": "wording corrected (the rule is unchanged)",
                    "reading": "reading corrected (the text is unchanged)"}
"""A correction's kind, in the history's and the changelog's words."""


def _upcoming_panel(clause: Clause, current: ClauseVersion | None, version: ClauseVersion) -> list[str]:
    """The "Upcoming" panel of one adopted version not yet in force: its date, its text and a
    word-level redline against the text in force today."""
    parts = [f'!!! info "Upcoming: takes effect {_long_date(version.effective)}"', "",
             f"    The board has adopted this text; it takes effect on {_long_date(version.effective)} "
             f"({version.effective.isoformat()}). {_escape(version.note)}", ""]
    parts += ["    " + line if line else "" for line in _quote(version.text).splitlines()] + [""]
    if current is not None and clause.kind_of(version) != clause.kind_of(current):
        parts += [f"    **{KIND_WORDS[clause.kind_of(version)].capitalize()}** from that date "
                  f"(when this site was built: {KIND_WORDS[clause.kind_of(current)]}).", ""]
    if current is not None:
        parts += ["    **Changes against the text in force when this site was built**", "",
                  f'    <span class="policy-redline">{redline(current.text, version.text)}</span>', ""]
    else:
        parts += ["    A new clause: nothing was in force in its place when this site was built.", ""]
    return parts


HISTORY_DATES = "(each version under the day it took effect, or takes effect)"
"""What the dates of a clause's history are, said beside its heading."""


def _history(clause: Clause, day: date) -> list[str]:
    """Every version of the clause, oldest first: its date, whether it is in force, earlier or
    upcoming, its note, its corrections, and the text of the versions no longer in force."""
    current = clause.version_on(day)
    parts = [f"**History** {HISTORY_DATES}", ""]
    for index, version in enumerate(clause.versions):
        if version is current:
            state = "in force"
        elif version.effective > day:
            state = "upcoming"
        else:
            state = "earlier version"
        until = (f" until {_long_date(clause.versions[index + 1].effective)}"
                 if index + 1 < len(clause.versions) else "")
        parts.append(f'- <span id="{version_anchor(clause, version)}"></span>'
                     f"**{_long_date(version.effective)}**{until} ({state}): {_escape(version.note)}")
        for line in _corrections(version):
            parts.append(f"    - Correction {line}")
        if state == "earlier version":
            parts += ["", "    ??? note \"Text of this earlier version\"", ""]
            parts += ["        " + line if line else "" for line in _quote(version.text).splitlines()]
            parts.append("")
    parts.append("")
    return parts


def _clause_block(clause: Clause, day: date, examples: Sequence[Example],
                  linked: Sequence[tuple[Example, str]], document: PolicyDocument, phrasebook: Phrasebook,
                  cards: Cards, page: str) -> str:
    version = clause.version_on(day)
    shown = version if version is not None else clause.versions[0]
    parts = [f"## {clause.title} {{#{clause.id}}}", "",
             f"**{KIND_WORDS[clause.kind_of(shown)].capitalize()}** · `{clause.id}`", ""]
    if version is not None:
        parts += [_quote(version.text), ""]
    else:
        parts += [f"*Not yet in force: this clause takes effect on {_long_date(shown.effective)}.*", ""]
    for upcoming in clause.upcoming(day):
        parts += _upcoming_panel(clause, version, upcoming)
    words = everyday_words(clause)
    if words:
        parts += [f"*In everyday words:* {_escape(', '.join(words))}.", ""]
    reading = clause.interpretation_of(shown)
    if reading:
        status = "awaiting board confirmation" if reading.awaiting_board else "confirmed by the board"
        parts += [f'!!! note "How this clause is read ({status})"', "", f"    {reading.text}", ""]
    if version is not None and version.rule:
        parts += ["**When it applies**", ""]
        for case in version.rule:
            when = (in_words(case.when, phrasebook) if case.when else
                    "the answer is " + " or ".join(case.on_outcome).replace("_", " "))
            yields = [w for w in (
                f"the answer is **{OUTCOME_WORDS[case.outcome].lower()}**" if case.outcome else "",
                f"you must {case.obligation.text}" if case.obligation else "",
                f"you are told: {case.notice}" if case.notice else "") if w]
            parts.append(f"- When {_escape(when)}: {'; '.join(yields).rstrip('.')}.")
        parts.append("")
    if clause.related:
        links = ", ".join(f"[{r}]({_link(document, r)})" for r in clause.related)
        parts += [f"See also: {links}.", ""]
    if examples or linked:
        parts += ["**In practice**", ""]
        parts += [_anchored_card(example, cards) for example in examples]
        if linked:
            parts += ["Also answered on another card:", ""]
            parts += [_card_link(example.scenario.name, example.decision, cards.link(key, page))
                      for example, key in linked]
            parts.append("")
    parts += _history(clause, day)
    return "\n".join(parts) + "\n"


def _tested_values(condition: Condition | None) -> set[tuple[str, object]]:
    """Every (fact, value) a condition tests."""
    if condition is None:
        return set()
    if isinstance(condition, (All, AnyOf)):
        return set().union(*(_tested_values(item) for item in condition.items))
    if isinstance(condition, Not):
        return _tested_values(condition.item)
    assert isinstance(condition, Test)
    values = condition.value if isinstance(condition.value, tuple) else (condition.value,)
    return {(condition.fact, value) for value in values}


def _named_values(condition: Condition | None, negated: bool = False) -> set[tuple[str, object]]:
    """Every (fact, value) a condition asks for rather than excludes: a value under an odd number of
    ``not`` is one the clause leaves out ("not in person or by letter"), not one it is about."""
    if condition is None:
        return set()
    if isinstance(condition, (All, AnyOf)):
        return set().union(*(_named_values(item, negated) for item in condition.items))
    if isinstance(condition, Not):
        return _named_values(condition.item, not negated)
    return set() if negated else _tested_values(condition)


def everyday_words(clause: Clause) -> list[str]:
    """The everyday words staff use (the request schema's ``x-synonyms``) for the channels and
    accounts a clause's rules name, so that the site's search finds the clause by them. Only
    channels and accounts: the words for actions and audiences ("text", "kids") name nearly
    every clause and would find none in particular; and only the values a rule asks for, not those
    it leaves out (a clause on phone and electronic communications is not about letters)."""
    from policykit.publishing.ask import synonyms

    words = synonyms()
    tested = set().union(*(_named_values(case.when) for version in clause.versions for case in version.rule))
    found: list[str] = []
    for fact in SEARCH_FACTS:
        for value, names in words.get(fact, {}).items():
            if (fact, value) in tested:
                found += [name for name in names if name not in found]
    return found


def search_synonyms() -> list[list[str]]:
    """For the site's search (docs/assets/search.js): each everyday word or phrase of the request
    schema's ``x-synonyms``, in lower case, with the words the policy's pages use for its value
    (the value's name, e.g. "pupil" → "student", "Chromebook" → "district"), longest first."""
    from policykit.publishing.ask import synonyms

    spelled = {value.name: value.title.lower() for fact in load_vocabulary().facts for value in fact.values
               if re.sub(r"[\s_-]", "", value.title.lower()) == value.name.replace("_", "")}
    pairs: dict[tuple[str, str], None] = {}
    for values in synonyms().values():
        for value, names in values.items():
            # the value's name, and its title when that is the same word spelled apart ("web site")
            policy_words = " ".join(dict.fromkeys([value.replace("_", " "), spelled.get(value, value)]))
            for name in names:
                pairs[(name.lower(), policy_words)] = None
    return [list(pair) for pair in sorted(pairs, key=lambda pair: (-len(pair[0]), pair))]


SEARCH_FACTS = ("channel", "account")
"""The facts whose everyday words a clause page carries for search."""


def in_words(condition: Condition, phrasebook: Phrasebook) -> str:
    """A condition in the phrasebook's words, for staff: "it reaches a student, and it goes by
    text message or it is a phone call"."""
    phrase = {(p.fact, p.value): p.text for p in phrasebook.phrases}
    if isinstance(condition, All):
        return ", and ".join(_grouped(in_words(item, phrasebook), item) for item in condition.items)
    if isinstance(condition, AnyOf):
        return " or ".join(_grouped(in_words(item, phrasebook), item) for item in condition.items)
    if isinstance(condition, Not):
        return f"not ({in_words(condition.item, phrasebook)})"
    test = condition
    if test.op == "given":
        words = phrase.get((test.fact, None), f"{test.fact} is given")
        return words if test.value else f"not ({words})"
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    return " or ".join(phrase.get((test.fact, v), f"{test.fact} is {v}") for v in values)


def _grouped(text: str, condition: Condition) -> str:
    return f"({text})" if isinstance(condition, (All, AnyOf)) and (" or " in text or ", and " in text) else text


def _link(document: PolicyDocument, clause_id: str, from_root: bool = False) -> str:
    return f"{'sections/' if from_root else ''}{document.clause(clause_id).section}.md#{clause_id}"


def _section_page(section: Section, document: PolicyDocument, day: date, by_clause: dict[str, list[Example]],
                  loose: Sequence[Example], cards: Cards) -> str:
    page = section_path(section)
    parts = ["---", "search:", f"  boost: {SEARCH_BOOST['section']}", "---", "", f"# {section.title}", "",
             f"*{built_on(day)}*", ""]
    clauses = [document.clause(cid) for cid in section.clause_ids
               if document.clause(cid).version_on(day) or document.clause(cid).upcoming(day)]
    parts += [f"- [{c.title}](#{c.id}) — {KIND_WORDS[c.kind_of(c.version_on(day) or c.versions[0])]}"
              for c in clauses] + [""]
    emitted: set[str] = set()
    blocks = [(clause, _distinct(by_clause.get(clause.id, []), cards, page, emitted)) for clause in clauses]
    extra, extra_linked = _distinct(loose, cards, page, emitted)
    phrasebook = load_phrasebook()
    for clause, (own, linked) in blocks:
        parts.append(_clause_block(clause, day, own, linked, document, phrasebook, cards, page))
    if extra or extra_linked:
        parts += ["## More examples", ""] + [_anchored_card(e, cards) for e in extra]
        parts += [_card_link(e.scenario.name, e.decision, cards.link(key, page)) for e, key in extra_linked] + [""]
    return "\n".join(parts)


SEARCH_BOOST = {"section": 40, "home": 20, "questions": 20, "references": 10, "glossary": 3, "changelog": 5,
                "developer": 0.0005}
"""How the site's search ranks each page: the policy's own pages first, the glossary and the
changelog after the staff pages, and the hand-written pages of docs/ (for editors, integrators,
performance, other engines: written for developers, full of words such as "request") last, so
that they never outrank a staff page for a staff word. The theme weighs a word in a heading a
thousand times a word in the text, so the developer pages' rank is low enough that a heading of theirs
("… beside its peers") stays below a staff page's text (the changelog's, for "as peers")."""


def _rank_as_developer_page(page: Path) -> None:
    """Give a hand-written page the developer pages' search rank, unless its front matter sets one."""
    text = page.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        return
    page.write_text("\n".join(_front(SEARCH_BOOST["developer"])) + "\n" + text, encoding="utf-8")


def _front(boost: float) -> list[str]:
    return ["---", "search:", f"  boost: {boost}", "---", ""]


def _home(document: PolicyDocument, day: date, faq: Sequence[Example], cards: Cards) -> str:
    scope = [document.clause(cid).version_on(day) for cid in document.sections[0].clause_ids]
    parts = _front(SEARCH_BOOST["home"]) + [
        f"# {document.title}", "",
        f"**{document.district}** · {document.series}  ",
        f"Adopted {_long_date(document.adopted)} · revised "
        f"{', '.join(_long_date(r) for r in document.revisions if r <= day)}  ",
        f"*{built_on(day)}*", ""]
    upcoming = [r for r in document.effective_dates() if r > day]
    if upcoming:
        parts += [f"*Adopted amendments take effect on {', '.join(_long_date(r) for r in upcoming)}; "
                  "each clause page shows them under “Upcoming”.*", ""]
    parts += ["## What this policy covers", ""]
    parts += [_quote(v.text) + "\n" for v in scope if v is not None]
    parts += ["## The policy, section by section", ""]
    parts += [f"- [{s.title}]({section_path(s)})" for s in document.sections]
    parts += ["", "## Questions staff ask most", ""]
    book = load_phrasebook()
    for example in faq:
        key = question_key(example.scenario.request(book))
        if key in cards.pages:
            parts.append(_card_link(example.scenario.name, example.decision, cards.link(key, "index.md")))
    parts += ["", "Every answer comes from the policy's own rules; each clause page shows more examples. "
              "An answer marked as resting on a reading awaiting the board's confirmation may change "
              "when the board confirms or revises that reading.", ""]
    return "\n".join(parts)


def _long_date(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def jurisdiction_titles() -> dict[str, str]:
    """Each jurisdiction a reference may name, with its heading (the titles in schema/policy.schema.json)."""
    from policykit.core.schemaerrors import load_schema

    node = load_schema("policy")["properties"]["references"]["items"]["properties"]["jurisdiction"]
    return {choice["const"]: choice.get("title", choice["const"]) for choice in node["oneOf"]}


def _references(document: PolicyDocument) -> str:
    """The references grouped by jurisdiction, in the order the policy file first names each; under
    a jurisdiction, the heading the adopted text prints above them (``group``), when there is one."""
    titles = jurisdiction_titles()
    by_jurisdiction: dict[str, list] = {}
    for reference in document.references:
        by_jurisdiction.setdefault(reference.jurisdiction, []).append(reference)
    parts = _front(SEARCH_BOOST["references"]) + [
        "# References", "", "The laws the policy names, as it prints them, grouped by whose law they are.", ""]
    for jurisdiction, references in by_jurisdiction.items():
        parts += [f"## {_escape(titles.get(jurisdiction, jurisdiction))} {{#{jurisdiction}}}", ""]
        printed = None
        for reference in references:
            if reference.group and reference.group != printed:
                printed = reference.group
                parts += [f"*Printed under “{_escape(printed.rstrip(':'))}”:*", ""]
            parts.append(f"- {reference.text}  \n  *{reference.citation}*")
            if reference.note:
                parts += ["", '    !!! note "Editor\'s note"', "", f"        {reference.note}"]
            parts.append("")
    return "\n".join(parts)


def _glossary(vocabulary: Vocabulary, phrasebook: Phrasebook) -> str:
    """The staff glossary, in staff words: what a question to the policy can say, what each answer
    means, what the policy takes when it is not said, and the words the examples use. The request's
    field names and codes are on the developers' page (``_request_fields``)."""
    by_fact: dict[str, list] = defaultdict(list)
    for phrase in phrasebook.phrases:
        by_fact[phrase.fact].append(phrase)
    parts = _front(SEARCH_BOOST["glossary"]) + [
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
        parts += [f"## {_escape(heading)} {{#fact-{fact.path.replace('.', '-')}}}", ""]
        parts += [_escape(text), ""] if text else []
        if fact.when_missing:
            parts += [f"*When not said:* {WHEN_MISSING_WORDS[fact.when_missing]}", ""]
        if fact.values:
            parts += ["| answer | meaning | in the examples |", "|---|---|---|"]
            said = {p.value: p.text for p in phrases}
            parts += [f"| {_escape(v.title)} | {_escape(v.description)} | {_escape(said.get(v.name, ''))} |"
                      for v in fact.values]
            parts.append("")
        else:
            parts += [f"- {_escape(p.text)}" for p in phrases] + [""]
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


def _request_fields(vocabulary: Vocabulary, phrasebook: Phrasebook) -> str:
    """The developers' glossary: every field of a request by its path, its values by their codes,
    what a missing field means (``x-when-missing``), and the phrases the scenarios use for them."""
    by_fact: dict[str, list] = defaultdict(list)
    for phrase in phrasebook.phrases:
        by_fact[phrase.fact].append(phrase)
    parts = _front(SEARCH_BOOST["developer"]) + ["# Request fields", "",
             "The fields a request (schemas/request.schema.json) can give, what each value means, what it "
             "means when it is not given (`x-when-missing`), and the phrase the scenarios use for it. Staff "
             "read the same in everyday words in the [Glossary](glossary.md).", ""]
    for fact in vocabulary.facts:
        parts += [f"## `{fact.path}` {{#fact-{fact.path.replace('.', '-')}}}", "", _escape(fact.description), ""]
        if fact.when_missing:
            parts += [f"*When not stated:* {WHEN_MISSING_WORDS[fact.when_missing]}", ""]
        if fact.values:
            parts += ["| value | meaning | in the examples |", "|---|---|---|"]
            phrases = {p.value: p.text for p in by_fact[fact.path]}
            parts += [f"| `{v.name}` | {_escape(v.description)} | {_escape(phrases.get(v.name, ''))} |"
                      for v in fact.values]
            parts.append("")
        elif by_fact[fact.path]:
            parts += [f"- {_escape(p.text)}" for p in by_fact[fact.path]] + [""]
    return "\n".join(parts)


def _changelog(document: PolicyDocument, day: date) -> str:
    parts = _front(SEARCH_BOOST["changelog"]) + [
        "# Changelog", "", "Every version of every clause and every correction, newest first: each heading is "
        "the day a version took effect (or takes effect, for an upcoming one) or a correction was made.", ""]
    by_date: dict[date, list[str]] = defaultdict(list)
    for clause in document.clauses:
        for index, version in enumerate(clause.versions):
            change = "adopted as encoded" if index == 0 else "amended"
            if version.effective > day:
                change += f" (upcoming: takes effect {_long_date(version.effective)})"
            link = f"sections/{clause.section}.md#{version_anchor(clause, version)}"
            by_date[version.effective].append(f"- [{clause.title}]({link}) (`{clause.id}`) — {change}: "
                                              f"{_escape(version.note)}")
            for correction in version.corrections:
                by_date[correction.date].append(
                    f"- [{clause.title}]({link}) (`{clause.id}`) — version of {_long_date(version.effective)}, "
                    f"{CORRECTION_WORDS[correction.kind]}: {_escape(correction.reason)}")
    for when in sorted(by_date, reverse=True):
        parts += [f"## {_long_date(when)} {{#changes-{when.isoformat()}}}", ""] + by_date[when] + [""]
    return "\n".join(parts)


def _print_page(document: PolicyDocument, day: date) -> str:
    """The text of record as adopted, for printing: its headings as headings, its paragraphs as
    paragraphs, its bullet lists as lists, and the revision it reproduces."""
    parts = ["---", "hide:", "  - navigation", "  - toc", "search:", "  exclude: true", "---", ""]
    series, title = (document.header + ("", ""))[:2]
    parts += ['<div class="policy-print" markdown>', "",
              f'<p class="policy-print-revision">{print_revision(document, day)}</p>', "",
              f"{_escape(series)}", "", f"# {_escape(title)} {{#print-title}}", ""]
    for block in document.header[2:]:
        parts += [_block(block), ""]
    by_id = {clause.id: clause for clause in document.clauses}
    for section in document.sections:
        if section.heading:
            parts += [f"## {_escape(section.heading)}", ""]
        for clause_id in section.clause_ids:
            version = by_id[clause_id].version_on(day)
            if version is None:
                continue
            block = _block(version.text)
            if block.startswith("- ") and len(parts) > 1 and parts[-2].split("\n")[-1].startswith("- "):
                parts[-2] += "\n" + block  # the next item of the same list: one tight list, as printed
            else:
                parts += [block, ""]
    parts += [f"## {_escape(document.references_heading)}", ""]
    group = None
    for reference in document.references:
        if reference.group and reference.group != group:
            group = reference.group
            parts += [f"### {_escape(group)}", ""]
        parts += [_escape(reference.text) if "*" not in reference.text else reference.text, ""]
    parts += [_escape(line) + ("  " if i + 1 < len(document.footer) else "")
              for i, line in enumerate(document.footer)]
    parts += ["", "</div>", ""]
    return "\n".join(parts)


def print_revision(document: PolicyDocument, day: date) -> str:
    """The line naming what the print copy reproduces: the revision, and the day whose text it is,
    said to be the day the copy was built (a printed or saved page does not follow later amendments)."""
    revision = document.revision_on(day)
    named = f"revision of {_long_date(revision)}" if revision else "text before the first encoded revision"
    return f"Official copy: {named}, text in force on {_long_date(day)}, the day this copy was built"


def built_on(day: date) -> str:
    """The sentence on every page that shows the policy's text: whose day it is."""
    return f"Text in force on {_long_date(day)}, the day this site was built."


PRINT_PAGE = "print.md"
"""The print copy: the one page printed as the official copy."""


def print_note(title: str, page: str, day: date, site_url: str | None = None) -> str:
    """What a printed page other than the print copy says at its top (hidden on screen, left out of
    search): where it came from, the day the site was built, and that it is not the official copy."""
    base = site_url or ""
    return (f'<div class="policy-print-note" data-search-exclude markdown>\n\n'
            f"Printed from “{_escape(title)}” ({base}{page[:-3]}.html), a page of the staff site as built on "
            f"{_long_date(day)}. **Not the official copy** of the policy: the official copy is the site's "
            f"Print version ({base}{PRINT_PAGE[:-3]}.html).\n\n</div>\n")


def _add_print_note(path: Path, relative: str, day: date, site_url: str | None) -> None:
    """Put the print note on a page, after its front matter."""
    text = path.read_text(encoding="utf-8")
    front, body = "", text
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        end = text.index("\n---\n", 4) + 5
        front, body = text[:end], text[end:]
    title = next((line[2:].split(" {#")[0].strip() for line in body.splitlines() if line.startswith("# ")),
                 relative[:-3])
    path.write_text(front + "\n" + print_note(title, relative, day, site_url) + "\n" + body, encoding="utf-8")


def _block(text: str) -> str:
    """One printed block as Markdown: a paragraph, a bullet list, or a paragraph followed by its
    list (with the blank line Markdown needs between them)."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("- "):
            if lines and not lines[-1].startswith("- ") and lines[-1] != "":
                lines.append("")
            lines.append("- " + _escape(line[2:]))
        else:
            lines.append(_escape(line))
    return "\n".join(lines)


NOT_OFFICIAL = ("Not the official copy: printed from the staff site as built on {day}. "
                "The official copy is the site's Print version.")
"""The foot of every printed page but the print copy's."""


def print_stylesheet(document: PolicyDocument, day: date) -> str:
    """The print stylesheet's page furniture: on every sheet of the print copy (a named page,
    ``official``) its revision line, on every sheet of any other page that it is not the official
    copy; the page number on all."""
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    number = '  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }\n'
    return ("/* Generated by `policykit site build`: what every printed page says. */\n"
            "@page {\n  margin: 18mm 16mm 20mm;\n"
            f"  @bottom-left {{ content: {quoted(NOT_OFFICIAL.format(day=_long_date(day)))}; font-size: 8pt; }}\n"
            + number + "}\n"
            "@page official {\n  margin: 18mm 16mm 20mm;\n"
            f"  @bottom-left {{ content: {quoted(print_revision(document, day))}; font-size: 8pt; }}\n"
            + number + "}\n"
            "body:has(.policy-print) { page: official; }\n")


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
            _rank_as_developer_page(page)
    out.mkdir(parents=True, exist_ok=True)
    examples = _examples(policy, scenarios, phrasebook)
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
            _claim(by_clause.get(clause_id, []), cards, section_path(section))
        _claim(loose.get(section.id, []), cards, section_path(section))
    for topic in topics:
        for question in topic.questions:
            if not question.is_refused and not question.is_information:
                cards.claim(question_key(question.request), "questions.md", question.ask)
    for section in document.sections:
        write(section_path(section), _section_page(section, document, day, by_clause,
                                                   loose.get(section.id, []), cards))
    write("index.md", _home(document, day, _faq(examples, document), cards))
    write("references.md", _references(document))
    write("glossary.md", _glossary(load_vocabulary(), phrasebook))
    write(FIELDS_PAGE, _request_fields(load_vocabulary(), phrasebook))
    write("changelog.md", _changelog(document, day))
    write(PRINT_PAGE, _print_page(document, day))
    write("assets/print-page.css", print_stylesheet(document, day))
    write("assets/search-synonyms.json", json.dumps(search_synonyms(), ensure_ascii=False, indent=0))
    if topics:
        write("questions.md", _questions_page(policy, topics, document, cards))
    from policykit.publishing.ask import ask_page, ask_script  # the interview, and its evaluator's data
    write("ask.md", ask_page())
    write("assets/ask-data.js", ask_script(policy))
    for page in sorted(out.rglob("*.md")):
        relative = page.relative_to(out).as_posix()
        if relative != PRINT_PAGE:
            _add_print_note(page, relative, day, policy.site_url)
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
    parts = _front(SEARCH_BOOST["questions"]) + [
        "# Common questions", "",
        "Everyday questions staff ask, each answered by the policy's own rules. Every answer quotes the "
        "words of the policy it rests on; most rest on readings the Board of Education has not yet "
        "confirmed, and each card says so.", ""]
    parts += [f"- [{topic.title}](#{topic.slug})" for topic in topics] + [""]
    emitted: set[str] = set()
    for topic in topics:
        parts += [f"## {topic.title} {{#{topic.slug}}}", "", _escape(topic.intro), ""]
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
                parts += [_card_link(question.ask, decision, cards.link(key, "questions.md")), ""]
                continue
            if key in emitted:
                continue
            emitted.add(key)
            card = answer_card(question.ask, (), decision)
            also = [name for name in cards.names[key] if name != question.ask]
            if also:
                card += "\n\n    *Also asked as:* " + "; ".join(_escape(name) for name in also) + f"\n    {{: .{ON_SCREEN} }}"
            card += (f"\n\n    > “{_escape(question.quote)}” — [{_escape(clause.title)}]"
                     f"({_link(document, clause.id, from_root=True)})\n\n    {_escape(question.because)}")
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
        f'??? info "{_escape(question.ask)}"', "",
        f"    **{_escape(lead)}:** {_escape(rest)}", "",
        f"    > “{_escape(question.quote)}” — [{_escape(clause.title)}]({_link(document, clause.id, from_root=True)})",
        "", f"    {_escape(question.because)}", "", "</div>"])


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

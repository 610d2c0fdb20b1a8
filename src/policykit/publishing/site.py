"""The staff site's pages, generated as Markdown from ``policy/``, ``schema/`` and ``features/``.

``build_pages`` copies the hand-written pages of ``docs/`` into a build directory and writes the
generated ones beside them; ``mkdocs build --strict`` (Material for MkDocs) then renders the
whole. No policy text is written by hand: every clause, note, example and date comes from the
files, so the site cannot drift from the policy."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from policykit.core.api import Policy
from policykit.core.conditions import All, Condition, Not
from policykit.core.conditions import Any as AnyOf
from policykit.core.decision import Decision
from policykit.core.model import KIND_WORDS, Clause, PolicyDocument, Section
from policykit.authoring.phrases import Phrasebook, load_phrasebook
from policykit.authoring.questions import Topic
from policykit.authoring.scenarios import Scenario
from policykit.core.sourcetext import paragraphs
from policykit.core.vocabulary import Vocabulary, load_vocabulary

OUTCOME_WORDS = {
    "permitted": "Permitted",
    "discouraged": "Allowed, but discouraged",
    "requires_approval": "Needs approval first",
    "prohibited": "Prohibited",
    "undetermined": "Depends on facts not given",
}
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
        card += "\n\n    *Also asked as:* " + "; ".join(_escape(name) for name in also)
    return card


def _distinct(examples: Sequence[Example], shown: dict[str, list[Example]]) -> list[tuple[Example, list[str]]]:
    """One card per distinct question: examples asking the same thing (the same request) share
    the first one's card, which names the others; a question already on the page is not repeated.
    ``shown`` maps each question on the page so far to its examples."""
    phrasebook = load_phrasebook()
    cards: dict[str, list[Example]] = {}
    for example in examples:
        key = json.dumps(example.scenario.request(phrasebook), sort_keys=True)
        if key in shown and key not in cards:
            if example not in shown[key]:
                shown[key].append(example)
            continue
        cards.setdefault(key, [])
        if example not in cards[key]:
            cards[key].append(example)
    shown.update(cards)
    return [(group[0], group) for group in cards.values()]


OBLIGATION_WORDS = {False: "Not yet: first {text}.", None: "Provided you {text}.", True: "Done: {text}."}
"""An obligation on an answer card, by its state (``met``)."""


def reading_status(decision: Decision) -> str | None:
    """"Reading awaiting the board's confirmation" when the outcome rests on such a reading."""
    awaiting = [r for r in decision.reasons if r.interpretation is not None and r.interpretation.awaiting_board]
    if not awaiting:
        return None
    return "This answer rests on a reading awaiting the board's confirmation."


def answer_card(title: str, facts: Sequence[str], decision: Decision, heading: str = "???") -> str:
    """A question and its decision as a collapsible card: the facts, the outcome and explanation,
    every obligation in words (done, not yet, provided you), every notice, and the reading's status."""
    outcome = OUTCOME_WORDS[decision.outcome]
    lines = [f'{heading} {_ADMONITION[decision.outcome]} "{_escape(title)} — {outcome}"', ""]
    lines += [f"    - {fact[0].upper()}{fact[1:]}" for fact in facts]
    lines += ["", f"    **{outcome}.** {_escape(decision.explanation)}"]
    duties = [OBLIGATION_WORDS[o.met].format(text=o.text) for o in decision.obligations]
    if duties:
        lines += ["", "    **What you must do**", ""] + [f"    - {_escape(d[0].upper() + d[1:])}" for d in duties]
    if decision.notices:
        lines += ["", "    **Good to know**", ""] + [f"    - {_escape(n.text)}" for n in decision.notices]
    if decision.alternatives:
        lines += ["", "    **To do this within the policy**", ""]
        lines += [f"    - {_escape(a.text)} Then: {OUTCOME_WORDS[a.outcome].lower()}." for a in decision.alternatives]
    status = reading_status(decision)
    if status:
        lines += ["", f"    *{status}*"]
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("*", "\\*").replace("_", "\\_").replace('"', "&quot;")


def _clause_block(clause: Clause, day: date, examples: Sequence[tuple[Example, list[Example]]], document: PolicyDocument,
                  phrasebook: Phrasebook) -> str:
    version = clause.version_on(day)
    assert version is not None
    parts = [f"## {clause.title} {{#{clause.id}}}", "",
             f"**{KIND_WORDS[clause.kind].capitalize()}** · `{clause.id}`", "",
             _quote(version.text), ""]
    if clause.interpretation:
        status = "awaiting board confirmation" if clause.interpretation.status == "proposed" else "confirmed by the board"
        parts += [f'!!! note "How this clause is read ({status})"', "", f"    {clause.interpretation.text}", ""]
    if version.rule:
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
    if examples:
        parts += ["**In practice**", ""]
        parts += [_example_block(example, also=[e.scenario.name for e in group[1:]]) + "\n"
                  for example, group in examples]
    parts += ["**History**", "", "| effective | version |", "|---|---|"]
    parts += [f"| {v.effective.isoformat()} | {_escape(v.note)} |" for v in clause.versions]
    return "\n".join(parts) + "\n"


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


def _section_page(section: Section, document: PolicyDocument, day: date,
                  by_clause: dict[str, list[Example]], loose: Sequence[Example]) -> str:
    parts = [f"# {section.title}", ""]
    clauses = [document.clause(cid) for cid in section.clause_ids if document.clause(cid).version_on(day)]
    parts += [f"- [{c.title}](#{c.id}) — {KIND_WORDS[c.kind]}" for c in clauses] + [""]
    shown: dict[str, list[Example]] = {}
    blocks = [(clause, _distinct(by_clause.get(clause.id, []), shown)) for clause in clauses]
    extra = _distinct(loose, shown)
    # Groups are complete only once the whole page is sorted, so cards are written afterwards.
    for clause, cards in blocks:
        parts.append(_clause_block(clause, day, cards, document, load_phrasebook()))
    if extra:
        parts += ["## More examples", ""] + [_example_block(e, also=[o.scenario.name for o in group[1:]]) + "\n"
                                             for e, group in extra]
    return "\n".join(parts)


def _home(document: PolicyDocument, day: date, faq: Sequence[Example]) -> str:
    scope = [document.clause(cid).version_on(day) for cid in document.sections[0].clause_ids]
    parts = [f"# {document.title}", "",
             f"**{document.district}** · {document.series}  ",
             f"Adopted {_long_date(document.adopted)} · revised "
             f"{', '.join(_long_date(r) for r in document.revisions)}", "",
             "## What this policy covers", ""]
    parts += [_quote(v.text) + "\n" for v in scope if v is not None]
    parts += ["## The policy, section by section", ""]
    parts += [f"- [{s.title}]({section_path(s)})" for s in document.sections]
    parts += ["", "## Questions staff ask most", ""]
    parts += [_example_block(e, "???+" if i == 0 else "???") + "\n" for i, e in enumerate(faq)]
    parts += ["Every answer comes from the policy's own rules; each clause page shows more examples.", ""]
    return "\n".join(parts)


def _long_date(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def _references(document: PolicyDocument) -> str:
    parts = ["# References", ""]
    group = None
    for reference in document.references:
        if reference.group and reference.group != group:
            group = reference.group
            parts += [f"## {group.rstrip(':')}", ""]
        elif not reference.group and group is not None:
            group = None
            parts += ["## Federal law", ""]
        parts.append(f"- {reference.text}  \n  *{reference.citation}*")
        if reference.note:
            parts += ["", '    !!! note "Editor\'s note"', "", f"        {reference.note}"]
        parts.append("")
    return "\n".join(parts)


def _glossary(vocabulary: Vocabulary, phrasebook: Phrasebook) -> str:
    by_fact: dict[str, list] = defaultdict(list)
    for phrase in phrasebook.phrases:
        by_fact[phrase.fact].append(phrase)
    parts = ["# Glossary and phrasebook", "",
             "The facts a question to the policy can state, what each value means, what it means when it "
             "is not stated, and the words the examples use for it.", ""]
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


def _changelog(document: PolicyDocument) -> str:
    parts = ["# Changelog", "", "Every version of every clause, newest revision first.", ""]
    by_date: dict[date, list[tuple[Clause, str]]] = defaultdict(list)
    for clause in document.clauses:
        for index, version in enumerate(clause.versions):
            change = "adopted as encoded" if index == 0 else "amended"
            by_date[version.effective].append((clause, f"{change}: {version.note}"))
    for day in sorted(by_date, reverse=True):
        parts += [f"## {_long_date(day)}", ""]
        parts += [f"- [{c.title}]({_link(document, c.id, from_root=True)}) (`{c.id}`) — {_escape(note)}"
                  for c, note in by_date[day]]
        parts.append("")
    return "\n".join(parts)


def _print_page(document: PolicyDocument, day: date) -> str:
    parts = ["---", "hide:", "  - navigation", "  - toc", "---", "",
             f"# {document.title}", "", '<div class="policy-print" markdown>', ""]
    for block in paragraphs(document, day):
        parts += [_escape(block) if not block.startswith("- ") else block, ""]
    parts += ["</div>", ""]
    return "\n".join(parts)


def build_pages(policy: Policy, scenarios: Sequence[Scenario], out: Path, *, docs: Path | None = None,
                schema_dir: Path | None = None, day: date | None = None,
                topics: Sequence[Topic] = ()) -> list[Path]:
    """Write the site's Markdown into ``out`` (emptied first): the hand-written ``docs`` pages,
    then the generated ones. Returns the generated files."""
    document = policy.document
    day = day or date.today()
    phrasebook = load_phrasebook()
    if out.exists():
        shutil.rmtree(out)
    if docs is not None and docs.is_dir():
        shutil.copytree(docs, out)
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

    faq = _faq(examples, document)
    write("index.md", _home(document, day, faq))
    for section in document.sections:
        write(section_path(section), _section_page(section, document, day, by_clause, loose.get(section.id, [])))
    write("references.md", _references(document))
    write("glossary.md", _glossary(load_vocabulary(), phrasebook))
    write("changelog.md", _changelog(document))
    write("print.md", _print_page(document, day))
    if topics:
        write("questions.md", _questions_page(policy, topics, document))
    from policykit.publishing.ask import ask_page, ask_script  # the interview, and its evaluator's data
    write("ask.md", ask_page())
    write("assets/ask-data.js", ask_script(policy))
    if schema_dir is not None:
        for schema in sorted(schema_dir.glob("*.schema.json")):
            target = out / "schemas" / schema.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(schema, target)
            written.append(target)
    return written


def _questions_page(policy: Policy, topics: Sequence[Topic], document: PolicyDocument) -> str:
    """The question corpus as a page: by topic, each question with its answer card, the words of
    the policy it rests on and why."""
    parts = ["# Common questions", "",
             "Everyday questions staff ask, each answered by the policy's own rules. Every answer quotes the "
             "words of the policy it rests on; most rest on readings the Board of Education has not yet "
             "confirmed, and each card says so.", ""]
    parts += [f"- [{topic.title}](#{topic.slug})" for topic in topics] + [""]
    for topic in topics:
        parts += [f"## {topic.title} {{#{topic.slug}}}", "", _escape(topic.intro), ""]
        for question in topic.questions:
            if question.is_refused:
                continue
            decision = policy.decide(question.request, alternatives=True)
            card = answer_card(question.ask, (), decision)
            clause = document.clause(question.clause)
            card += (f"\n\n    > “{_escape(question.quote)}” — [{_escape(clause.title)}]"
                     f"({_link(document, clause.id, from_root=True)})\n\n    {_escape(question.because)}")
            parts += [card, ""]
    return "\n".join(parts)


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

"""The staff site's clause pages: each clause's text, reading, rule in words, upcoming
versions as redlines, history, and the everyday words its search finds it by."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from policykit.core.conditions import All, Condition, Not, Test
from policykit.core.conditions import Any as AnyOf
from policykit.core.model import KIND_WORDS, Clause, ClauseVersion, PolicyDocument, Section
from policykit.authoring.phrases import Phrasebook, load_phrasebook
from policykit.authoring.words import OUTCOME_WORDS, in_words, word_runs
from policykit.publishing.ask import synonyms
from policykit.core.vocabulary import load_vocabulary
from policykit.publishing.sitecards import (
    SEARCH_BOOST, Cards, Example, anchored_card, card_link, clause_link, distinct_examples, escape_markdown,
    front_matter, long_date, quote_block, section_path,
)
from policykit.publishing.siteprint import built_on


def version_anchor(clause: Clause, version: ClauseVersion) -> str:
    """The id of one version's entry in a clause's history (the changelog links here)."""
    return f"{clause.id}--{version.effective.isoformat()}"


def redline(before: str, after: str) -> str:
    """A word-level redline from ``before`` to ``after`` as inline HTML: removed words in
    ``<del>``, added words in ``<ins>``, unchanged words as they are."""
    marks = {"same": "{}", "removed": "<del>{}</del>", "added": "<ins>{}</ins>"}
    return " ".join(marks[kind].format(_inline(words)) for kind, words in word_runs(before, after))


def _inline(text: str) -> str:
    """Text inside inline HTML on a Markdown line: HTML and Markdown specials escaped."""
    return html.escape(text, quote=False).replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;")


def _corrections(version: ClauseVersion) -> list[str]:
    return [f"made on {long_date(c.date)}: {CORRECTION_WORDS[c.kind]}: {escape_markdown(c.reason)}"
            for c in version.corrections]


CORRECTION_WORDS = {"wording": "wording corrected (the rule is unchanged)",
                    "reading": "reading corrected (the text is unchanged)"}
"""A correction's kind, in the history's and the changelog's words."""


def _upcoming_panel(clause: Clause, current: ClauseVersion | None, version: ClauseVersion) -> list[str]:
    """The "Upcoming" panel of one adopted version not yet in force: its date, its text and a
    word-level redline against the text in force today."""
    parts = [f'!!! info "Upcoming: takes effect {long_date(version.effective)}"', "",
             f"    The board has adopted this text; it takes effect on {long_date(version.effective)} "
             f"({version.effective.isoformat()}). {escape_markdown(version.note)}", ""]
    parts += ["    " + line if line else "" for line in quote_block(version.text).splitlines()] + [""]
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
        until = (f" until {long_date(clause.versions[index + 1].effective)}"
                 if index + 1 < len(clause.versions) else "")
        parts.append(f'- <span id="{version_anchor(clause, version)}"></span>'
                     f"**{long_date(version.effective)}**{until} ({state}): {escape_markdown(version.note)}")
        for line in _corrections(version):
            parts.append(f"    - Correction {line}")
        if state == "earlier version":
            parts += ["", "    ??? note \"Text of this earlier version\"", ""]
            parts += ["        " + line if line else "" for line in quote_block(version.text).splitlines()]
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
        parts += [quote_block(version.text), ""]
    else:
        parts += [f"*Not yet in force: this clause takes effect on {long_date(shown.effective)}.*", ""]
    for upcoming in clause.upcoming(day):
        parts += _upcoming_panel(clause, version, upcoming)
    words = everyday_words(clause)
    if words:
        parts += [f"*In everyday words:* {escape_markdown(', '.join(words))}.", ""]
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
            parts.append(f"- When {escape_markdown(when)}: {'; '.join(yields).rstrip('.')}.")
        parts.append("")
    if clause.related:
        links = ", ".join(f"[{r}]({clause_link(document, r)})" for r in clause.related)
        parts += [f"See also: {links}.", ""]
    if examples or linked:
        parts += ["**In practice**", ""]
        parts += [anchored_card(example, cards) for example in examples]
        if linked:
            parts += ["Also answered on another card:", ""]
            parts += [card_link(example.scenario.name, example.decision, cards.link(key, page))
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


def section_page(section: Section, document: PolicyDocument, day: date, by_clause: dict[str, list[Example]],
                  loose: Sequence[Example], cards: Cards) -> str:
    """One section's page: every clause of the section, with its cards."""
    page = section_path(section)
    parts = ["---", "search:", f"  boost: {SEARCH_BOOST['section']}", "---", "", f"# {section.title}", "",
             f"*{built_on(day)}*", ""]
    clauses = [document.clause(cid) for cid in section.clause_ids
               if document.clause(cid).version_on(day) or document.clause(cid).upcoming(day)]
    parts += [f"- [{c.title}](#{c.id}) — {KIND_WORDS[c.kind_of(c.version_on(day) or c.versions[0])]}"
              for c in clauses] + [""]
    emitted: set[str] = set()
    blocks = [(clause, distinct_examples(by_clause.get(clause.id, []), cards, page, emitted)) for clause in clauses]
    extra, extra_linked = distinct_examples(loose, cards, page, emitted)
    phrasebook = load_phrasebook()
    for clause, (own, linked) in blocks:
        parts.append(_clause_block(clause, day, own, linked, document, phrasebook, cards, page))
    if extra or extra_linked:
        parts += ["## More examples", ""] + [anchored_card(e, cards) for e in extra]
        parts += [card_link(e.scenario.name, e.decision, cards.link(key, page)) for e, key in extra_linked] + [""]
    return "\n".join(parts)


def changelog_page(document: PolicyDocument, day: date) -> str:
    """The changelog: every version of every clause, by the day it took (or takes) effect."""
    parts = front_matter(SEARCH_BOOST["changelog"]) + [
        "# Changelog", "", "Every version of every clause and every correction, newest first: each heading is "
        "the day a version took effect (or takes effect, for an upcoming one) or a correction was made.", ""]
    by_date: dict[date, list[str]] = defaultdict(list)
    for clause in document.clauses:
        for index, version in enumerate(clause.versions):
            change = "adopted as encoded" if index == 0 else "amended"
            if version.effective > day:
                change += f" (upcoming: takes effect {long_date(version.effective)})"
            link = f"sections/{clause.section}.md#{version_anchor(clause, version)}"
            by_date[version.effective].append(f"- [{clause.title}]({link}) (`{clause.id}`) — {change}: "
                                              f"{escape_markdown(version.note)}")
            for correction in version.corrections:
                by_date[correction.date].append(
                    f"- [{clause.title}]({link}) (`{clause.id}`) — version of {long_date(version.effective)}, "
                    f"{CORRECTION_WORDS[correction.kind]}: {escape_markdown(correction.reason)}")
    for when in sorted(by_date, reverse=True):
        parts += [f"## {long_date(when)} {{#changes-{when.isoformat()}}}", ""] + by_date[when] + [""]
    return "\n".join(parts)

"""The words shared by the diff, the review and the staff site: the outcome words (read from the
messages data, ``core.messages``), a condition in the phrasebook's words, a rule case described,
and word-level redlines."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping

from policykit.authoring.phrases import Phrasebook, load_phrasebook
from policykit.core.conditions import All, Condition, Not
from policykit.core.conditions import Any as AnyOf
from policykit.core.messages import load_messages
from policykit.core.model import Case


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


def outcome_words(outcome: str) -> str:
    """An outcome's word inside a sentence: "allowed, but discouraged"."""
    return OUTCOME_WORDS[outcome].lower()


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


def word_runs(old: str, new: str) -> Iterator[tuple[str, str]]:
    """The word-level changes from ``old`` to ``new`` as runs of words, in order: ``("same", words)``,
    ``("removed", words)`` and ``("added", words)``, a replacement being a removed run then an added one."""
    before, after = old.split(), new.split()
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            yield "same", " ".join(before[a1:a2])
            continue
        if a2 > a1:
            yield "removed", " ".join(before[a1:a2])
        if b2 > b1:
            yield "added", " ".join(after[b1:b2])


def redline(old: str, new: str) -> str:
    """A word-level redline in Markdown: removed words struck through, added words in bold."""
    marks = {"same": "{}", "removed": "~~{}~~", "added": "**{}**"}
    return " ".join(marks[kind].format(words) for kind, words in word_runs(old, new))


def describe_case(case: Case) -> str:
    """One rule case in the phrasebook's words, as the site's "When it applies" lines read."""
    when = (in_words(case.when, load_phrasebook()) if case.when else
            "the answer is " + " or ".join(OUTCOME_WORDS[o].lower() for o in case.on_outcome))
    yields = [y for y in (case.outcome and f"the answer is {OUTCOME_WORDS[case.outcome].lower()}",
                          case.obligation and f"you must {case.obligation.text.rstrip('.')}",
                          case.notice and f"you are told: {case.notice.rstrip('.')}") if y]
    return f"when {when}: {'; '.join(yields)}"

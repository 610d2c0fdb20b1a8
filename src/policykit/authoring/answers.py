"""The answers to the corpus's questions: how an answer falls short of what a question accepts
(``answer_problems``), and a question for information answered in words, as the site and the
interview say it: the lead and then the notice's own words ("No: the District may monitor …"),
never an outcome word (``information_answer``, ``answer_in_words``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from policykit.authoring.questions import Question
from policykit.core.decision import Decision
from policykit.core.errors import PolicyIssue, RequestError


def answer_problems(question: Question, answer: Decision | RequestError | dict[str, Any]) -> list[PolicyIssue]:
    """How an answer (a Decision, a RequestError, or a decision or error as JSON, such as the CLI
    and the HTTP API give) falls short of what the question accepts; empty when it is accepted."""
    if isinstance(answer, RequestError):
        answer = {"error": {"errors": answer.errors}}
    elif not isinstance(answer, dict):
        answer = answer.to_dict()
    if "error" in answer or "errors" in answer:
        errors = answer.get("error", answer).get("errors", [])
        pointers = sorted({e["pointer"] for e in errors})
        if not question.refused:
            message = "; ".join(f"{e['pointer'] or '/'}: {e['message']}" for e in errors) or "no reason given"
            return [question.issue("request", f"the request is refused ({message})", "refused")]
        if pointers != sorted(question.refused):
            return [question.issue("refused", f"the refusal names {', '.join(pointers) or 'nothing'}, not "
                                              f"{', '.join(sorted(question.refused))}", "refused-otherwise")]
        return []
    if question.refused:
        return [question.issue("refused", f"the request is answered ({answer['outcome']}), not refused", "not-refused")]
    problems: list[PolicyIssue] = []
    outcome = answer["outcome"]
    if outcome not in question.accept:
        problems.append(question.issue("accept", f"the policy answers {outcome.replace('_', ' ')}, not "
                                                 f"{' or '.join(o.replace('_', ' ') for o in question.accept)}: "
                                                 f"{answer['explanation']}", "wrong-outcome"))
    elif outcome == "undetermined" and list(answer["missing_facts"]) != list(question.ask_for):
        problems.append(question.issue("ask_for", f"the policy asks for {', '.join(answer['missing_facts'])}, not "
                                                  f"{', '.join(question.ask_for)}", "wrong-missing-facts"))
    notices = [notice["clause"] for notice in answer["notices"]]
    for clause_id in question.notices:
        if clause_id not in notices:
            problems.append(question.issue("notices", f"the answer gives no notice from {clause_id}", "missing-notice"))
    for clause_id in question.no_notices:
        if clause_id in notices:
            problems.append(question.issue("no_notices", f"the answer gives a notice from {clause_id}",
                                           "unexpected-notice"))
    if question.information is not None and question.information.notice not in notices:
        problems.append(question.issue("information", f"the answer gives no notice from {question.information.notice}, "
                                                      "which this question for information is answered by",
                                       "missing-information"))
    listed = [(o["clause"], o["met"]) for o in answer["obligations"]]
    for expected in question.obligations:
        if (expected.clause, expected.met) not in listed:
            states = [met for clause, met in listed if clause == expected.clause]
            found = f"listed with met: {json.dumps(states[0])}" if states else "not listed"
            problems.append(question.issue("obligations", f"the obligation of {expected.clause} is {found}, not "
                                                          f"met: {json.dumps(expected.met)}", "wrong-obligation"))
    return problems


def information_answer(question: Question, answer: Decision | dict[str, Any]) -> str | None:
    """The answer to a question for information in words, as the site and the interview give it:
    the lead, a colon, and the words of the notices its clause gives in ``answer`` (e.g. "No: the
    District may monitor communications made on school telephones …"). None when the question is
    not one for information or the answer gives no such notice."""
    if question.information is None:
        return None
    if not isinstance(answer, dict):
        answer = answer.to_dict()
    texts = [notice["text"] for notice in answer["notices"] if notice["clause"] == question.information.notice]
    return answer_in_words(question.information.lead, texts) if texts else None


def answer_in_words(lead: str, notice_texts: Sequence[str]) -> str:
    """A lead and the notices' own words as one answer: "No" and "The District may monitor …"
    give "No: the District may monitor …". The first notice continues after the colon, so its
    first letter is lower case, unless its first word is an acronym or a name the policy
    capitalizes (FOIA, Ledyard, Connecticut, District)."""
    first, *rest = notice_texts
    word = first.split(" ", 1)[0]
    if not (word[:1].islower() or (len(word) > 1 and word.isupper()) or word in _NAMES):
        first = first[0].lower() + first[1:]
    return f"{lead}: " + " ".join([first, *rest])


_NAMES = frozenset({"Ledyard", "Connecticut", "District", "I"})

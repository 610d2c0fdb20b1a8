"""What a change does, in the words a board member reads: per compared date (today and each later
effective date on either side), the everyday questions whose answers change, then who is
affected as a few plain sentences (``authoring.affected``); the exhaustive patterns of
``authoring.diff`` follow as the detail. ``to_markdown`` writes it for a pull request."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from policykit.authoring import diff
from policykit.authoring.affected import (
    SENTENCES, ChangedQuestion, Condition, Sentence, changed_questions, everyday_questions, request_words,
    sentences, witness_change,
)
from policykit.authoring.diff import cell, errors_markdown
from policykit.authoring.words import outcome_words


#: Changed questions listed per date in the summary; all of them are in the JSON and the detail.
QUESTIONS_SHOWN = 25


#: The most bytes of Markdown above the folds (fewer questions and sentences are listed there to fit).
SUMMARY_BYTES = 8_000


#: The most characters of the whole Markdown: a pull-request comment holds at most 65,536.
COMMENT_CHARACTERS = 60_000


@dataclass(frozen=True)
class DatedReview:
    """Everything about one compared date."""

    day: date
    today: bool
    report: diff.PolicyDiff
    questions: tuple[ChangedQuestion, ...]
    asked: int  # how many questions and scenarios were asked
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Review:
    """The review of a change: every compared date, and the correction errors found."""

    old: str
    new: str
    dates: tuple[DatedReview, ...]
    errors: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """The whole review as JSON data: every compared date, with the same content as the Markdown."""
        reports = [d.report.to_dict() for d in self.dates]
        return {
            "old": self.old, "new": self.new,
            "dates": [{
                "date": d.day.isoformat(), "today": d.today,
                "clauses": report["clauses"],
                "questions": {"asked": d.asked, "changed": len(d.questions),
                              "list": [{"source": q.asked.source, "id": q.asked.id, "question": q.asked.words,
                                        "request": q.asked.request, "old": q.old, "new": q.new}
                                       for q in d.questions]},
                "sentences": [{"sentence": s.words(), "old": s.old, "new": s.new,
                               "conditions": [_condition_dict(c) for c in s.conditions],
                               "unless": [_condition_dict(c) for c in s.unless],
                               "example": s.example, "example_words": s.example_words,
                               "covers": list(s.covers), "size": len(s.covers), "requests": s.requests,
                               "base": s.base}
                              for s in d.sentences],
                "impact": report["impact"],
            } for d, report in zip(self.dates, reports)],
            "outcome_changed": sum(d.report.outcome_changes for d in self.dates),
            "errors": list(self.errors),
        }


def _condition_dict(condition: Condition) -> dict[str, object]:
    return {"words": condition.words, "fact": condition.fact, "item": condition.item,
            "values": list(condition.values), "witness": condition.witness,
            "witness_old": condition.witness_old, "witness_new": condition.witness_new}


def review(old: diff.Side, new: diff.Side, *, questions: Path | None = None, features: Path | None = None,
           ahead: bool = True) -> Review:
    """The review of a change: each compared date's diff, changed questions and sentences. With
    ``ahead`` (the default for revisions) today and every later effective date on either side are
    compared; otherwise the sides' own date only."""
    days = diff.comparison_dates(old, new) if ahead else [old.day]
    clause_ids = [c.id for c in new.policy.document.clauses]
    asked = everyday_questions(questions, features, clause_ids)
    dated = []
    errors: tuple[str, ...] = ()
    for index, day in enumerate(days):
        report = diff.diff(diff.Side(old.label, old.policy, day), diff.Side(new.label, new.policy, day))
        errors = errors or report.errors
        changed = changed_questions(old.policy, new.policy, day, asked) if report.changes else []
        said = sentences(old.policy, new.policy, day, report.flips, asked, changed) if report.changes else []
        dated.append(DatedReview(day, index == 0 and ahead, report, tuple(changed), len(asked), tuple(said)))
    return Review(old.label, new.label, tuple(dated), tuple(errors))


def date_heading(dated: DatedReview) -> str:
    """A compared date as a heading: "Today, …" or "From …"."""
    return f"Today, {dated.day.isoformat()}" if dated.today else f"From {dated.day.isoformat()}"


def compared(reviewed: Review) -> str:
    """The compared dates in words: "today (2026-06-01), 2027-09-01"."""
    return ", ".join(f"today ({d.day.isoformat()})" if d.today else d.day.isoformat() for d in reviewed.dates)


def question_line(dated: DatedReview) -> str:
    """How many of the questions asked change, in one line."""
    return (f"**{len(dated.questions)} of {dated.asked} questions change** (the question corpus and the scenarios, "
            f"each asked as of {dated.day.isoformat()}).")


def sentence_example(sentence: Sentence) -> str:
    """A sentence's example question, and how many questions it covers."""
    size = len(sentence.covers)
    covered = "none" if not size else f"{size}"
    return f"For example: “{sentence.example_words}” (it covers {covered} of the questions and scenarios asked)."


def to_markdown(reviewed: Review, budget: int = SUMMARY_BYTES, limit: int = COMMENT_CHARACTERS) -> str:
    """The review for a pull request: per compared date, the questions that change and who is
    affected above the fold; the clauses' redlines; the rest folded (``<details>``). The part
    above the folds is kept within ``budget`` bytes by listing fewer questions and sentences
    there (the detail always lists them all), and the whole within ``limit`` characters by listing
    fewer of the exact patterns in the detail (all are counted; ``--format json`` lists every one)."""
    shown = (QUESTIONS_SHOWN, SENTENCES)
    while True:
        parts = _markdown(reviewed, *shown)
        summary = sum(len(part.encode()) for folded, part in parts if not folded)
        if summary <= budget or shown == (0, 1):
            break
        shown = (max(0, shown[0] - 5), shown[1]) if shown[0] > 5 else (0, max(1, shown[1] - 1))
    patterns = diff.SHOWN
    while patterns > 0 and sum(len(part) for _, part in parts) > limit:
        patterns = patterns // 2 if patterns > 4 else 0
        parts = _markdown(reviewed, *shown, patterns)
    return "".join(part for _, part in parts)


def _markdown(reviewed: Review, questions_shown: int, sentences_shown: int,
              patterns_shown: int = diff.SHOWN) -> list[tuple[bool, str]]:
    """The report as parts, each marked folded (inside ``<details>``) or not."""
    lines = [f"## Policy changes: {reviewed.old} → {reviewed.new}", "",
             f"Compared as in force on: {compared(reviewed)}.", ""]
    lines += errors_markdown(reviewed.errors)
    if not any(d.report.changes for d in reviewed.dates):
        return [(False, "\n".join(lines + ["No clause text or rule changes on any of these dates.", ""]))]
    parts: list[tuple[bool, str]] = []
    for dated in reviewed.dates:
        report = dated.report
        lines += [f"### {date_heading(dated)}", ""]
        if not report.changes:
            lines += ["No clause text or rule changes.", ""]
            continue
        lines += [question_line(dated), ""]
        if dated.questions and questions_shown:
            lines += ["| question | before | after |", "|---|---|---|"]
            for q in dated.questions[:questions_shown]:
                lines.append(f"| {cell(q.asked.words)} | {outcome_words(q.old)} | {outcome_words(q.new)} |")
            if len(dated.questions) > questions_shown:
                lines.append(f"| … and {len(dated.questions) - questions_shown} more (in the detail below) | | |")
            lines.append("")
        elif dated.questions:
            lines += ["Every changed question is listed in the detail below.", ""]
        if dated.sentences:
            lines += ["**Who is affected**", ""]
            lines += [f"- {s.words()}. {sentence_example(s)}" for s in dated.sentences[:sentences_shown]]
            if len(dated.sentences) > sentences_shown:
                lines.append(f"- … and {len(dated.sentences) - sentences_shown} more (in the detail below).")
            lines.append("")
        lines += [f"**Clauses** ({len(report.changes)} changed)", ""]
        for change in report.changes:
            since = f", in force from {change.effective.isoformat()}" if change.effective else ""
            lines += [f"- **{change.title}** (`{change.clause}`, {change.status}{since})"]
            if change.redline:
                lines += [f"  > {change.redline}"]
        lines += ["", f"Every possible request was compared: {len(report.flips):,} exact patterns, counted in the "
                      "detail.", ""]
        parts.append((False, "\n".join(lines) + "\n"))
        parts.append((True, "\n".join(_detail(dated, patterns_shown)) + "\n"))
        lines = []
    if lines:
        parts.append((False, "\n".join(lines) + "\n"))
    return parts


def impact_line(report: diff.PolicyDiff) -> str:
    """The exhaustive count, in one sentence."""
    return (f"Over every possible request, the outcome changes for {report.outcome_changes:,} of "
            f"{report.requests:,}; for {report.other_changes:,} more only the reasons, duties or notices change "
            f"({len(report.flips):,} exact patterns in the detail).")


def _detail(dated: DatedReview, patterns_shown: int = diff.SHOWN) -> list[str]:
    """The folded part of one date: the rule lines, every changed question, each sentence with the
    witness of each of its conditions, and the exhaustive patterns."""
    report = dated.report
    lines = [f"<details><summary>Detail for {dated.day.isoformat()}: rule changes, every changed question, "
             f"each sentence's conditions and witnesses, and every request that changes</summary>", ""]
    for change in report.changes:
        if change.rule_removed or change.rule_added or change.corrections:
            lines += [f"#### {change.title} (`{change.clause}`)", ""]
            lines += [f"- rule no longer: {case}" for case in change.rule_removed]
            lines += [f"- rule now: {case}" for case in change.rule_added]
            lines += [f"- {n.kind} correction of {n.date.isoformat()} (version of {n.effective.isoformat()}): "
                      f"{n.reason}" for n in change.corrections]
            lines.append("")
    if dated.questions:
        lines += [f"#### Every changed question ({len(dated.questions)})", ""]
        lines += [f"- {q.asked.words} (`{q.asked.id}`): {outcome_words(q.old)} → {outcome_words(q.new)}"
                  for q in dated.questions]
        lines.append("")
    for number, sentence in enumerate(dated.sentences, 1):
        lines += [f"#### Who is affected, sentence {number}", "", f"{sentence.words()}.", "",
                  f"{sentence_example(sentence)} Its exact pattern holds {sentence.requests:,} requests.", ""]
        base = request_words(sentence.base)
        lines.append(f"Each condition's witness is this request of the pattern with one fact changed: {base}.")
        lines.append("")
        for c in sentence.conditions:
            lines.append(f"- {c.words}; without it, with {witness_change(sentence.base, c.witness)}: "
                         f"{outcome_words(c.witness_old)} → {outcome_words(c.witness_new)}")
        alike: dict[tuple[str, str], list[Condition]] = defaultdict(list)
        for c in sentence.unless:
            alike[(c.witness_old, c.witness_new)].append(c)
        for (before, after), group in alike.items():
            witnesses = " or ".join(witness_change(sentence.base, c.witness) for c in group)
            lines.append(f"- unless another rule already decides it: {'; '.join(c.words for c in group)}; "
                         f"without any one of these, with {witnesses}"
                         f": {outcome_words(before)} → {outcome_words(after)}")
        if sentence.covers:
            lines.append(f"- it covers: {', '.join(f'`{i}`' for i in sentence.covers)}")
        lines.append("")
    body = diff.to_markdown(diff.PolicyDiff(report.old, report.new, report.changes, report.facts, report.requests,
                                            report.flips, report.notes), patterns_shown)
    decisions = body[body.index("### Decisions that change"):] if "### Decisions that change" in body else ""
    lines += [decisions.replace("### ", "#### ").rstrip(), "", "</details>", ""]
    return lines

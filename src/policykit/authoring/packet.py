"""The board packet: a change's review (``authoring.review``) as one printable HTML page, for board
members who read paper rather than pull requests: the branch and the dates compared, then per
date how many everyday questions change, who is affected, each clause's redline and the changed
questions; every page numbered
("Page 2 of 5", CSS ``@page`` counters, as Chromium prints them)."""

from __future__ import annotations

import html
import re

from policykit.authoring.review import Review, compared, date_heading, impact_line, sentence_example
from policykit.authoring.words import outcome_words

_STYLE = """
@page { size: letter; margin: 18mm 16mm 20mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 9pt Georgia, serif; } }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; max-width: 46rem; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 .3rem; } h2 { font-size: 14pt; margin-top: 1.6rem; break-after: avoid; }
h3 { font-size: 12pt; break-after: avoid; } table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; }
tr { break-inside: avoid; } del { color: #8b0000; } \
ins { color: #004d00; font-weight: bold; text-decoration: underline; }
blockquote { margin: .4rem 0 .8rem 1rem; padding-left: .6rem; border-left: 3px solid #999; }
.meta { color: #333; } li { margin-bottom: .35rem; break-inside: avoid; }
@media screen { body { padding: 1rem; } }
"""


def _redline(markdown: str) -> str:
    """A redline written in Markdown (``~~removed~~``, ``**added**``) as HTML."""
    text = html.escape(markdown, quote=False)
    text = re.sub(r"~~(.+?)~~", r"<del>\1</del>", text)
    return re.sub(r"\*\*(.+?)\*\*", r"<ins>\1</ins>", text)


def to_html(reviewed: Review, title: str = "Use of Electronic Communications and Social Media") -> str:
    """The printable page."""
    e = html.escape
    parts = [f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Board packet: {e(title)}"
             f"</title><style>{_STYLE}</style></head><body>",
             f"<h1>Proposed change to the policy “{e(title)}”</h1>",
             f"<p class=\"meta\">Branch: <strong>{e(reviewed.new)}</strong>, compared with <strong>{e(reviewed.old)}"
             f"</strong>. Dates compared: {e(compared(reviewed))}.</p>"]
    if reviewed.errors:
        parts.append("<h2>Errors</h2><ul>" + "".join(f"<li>{e(x)}</li>" for x in reviewed.errors) + "</ul>")
    for dated in reviewed.dates:
        report = dated.report
        parts.append(f"<h2>{e(date_heading(dated))}</h2>")
        if not report.changes:
            parts.append("<p>No clause text or rule changes.</p>")
            continue
        parts.append(f"<p><strong>{len(dated.questions)} of {dated.asked} everyday questions change</strong> (the "
                     f"question corpus and the scenarios, each asked as of {dated.day.isoformat()}).</p>")
        if dated.sentences:
            parts.append("<h3>Who is affected</h3><ul>" + "".join(
                f"<li>{e(s.words())}. {e(sentence_example(s))}</li>" for s in dated.sentences) + "</ul>")
        plural = "s" if len(report.changes) != 1 else ""
        parts.append(f"<h3>Redline: {len(report.changes)} clause{plural} changed</h3>"
                     "<p class=\"meta\">Struck-through words are removed, underlined words are added.</p>")
        for change in report.changes:
            since = f", in force from {change.effective.isoformat()}" if change.effective else ""
            parts.append(f"<p><strong>{e(change.title)}</strong> ({e(change.clause)}, {e(change.status)}{since})</p>")
            if change.redline:
                parts.append(f"<blockquote>{_redline(change.redline)}</blockquote>")
        if dated.questions:
            rows = "".join(f"<tr><td>{e(q.asked.words)}</td><td>{e(outcome_words(q.old))}</td>"
                           f"<td>{e(outcome_words(q.new))}</td></tr>" for q in dated.questions)
            parts.append(f"<h3>Changed questions ({len(dated.questions)})</h3><table><thead><tr><th>question</th>"
                         f"<th>before</th><th>after</th></tr></thead><tbody>{rows}</tbody></table>")
        parts.append(f"<p class=\"meta\">{e(impact_line(report))} The pull request's report lists them.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"

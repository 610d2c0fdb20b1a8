"""The staff site's print copy: the one page of the whole policy, the note on every printed
page, and the print stylesheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from policykit.core.model import PolicyDocument
from policykit.publishing.sitecards import escape_markdown, long_date


def print_page(document: PolicyDocument, day: date) -> str:
    """The text of record as adopted, for printing: its headings as headings, its paragraphs as
    paragraphs, its bullet lists as lists, and the revision it reproduces."""
    parts = ["---", "hide:", "  - navigation", "  - toc", "search:", "  exclude: true", "---", ""]
    series, title = (document.header + ("", ""))[:2]
    parts += ['<div class="policy-print" markdown>', "",
              f'<p class="policy-print-revision">{print_revision(document, day)}</p>', "",
              f"{escape_markdown(series)}", "", f"# {escape_markdown(title)} {{#print-title}}", ""]
    for block in document.header[2:]:
        parts += [_block(block), ""]
    by_id = {clause.id: clause for clause in document.clauses}
    for section in document.sections:
        if section.heading:
            parts += [f"## {escape_markdown(section.heading)}", ""]
        for clause_id in section.clause_ids:
            version = by_id[clause_id].version_on(day)
            if version is None:
                continue
            block = _block(version.text)
            if block.startswith("- ") and len(parts) > 1 and parts[-2].split("\n")[-1].startswith("- "):
                parts[-2] += "\n" + block  # the next item of the same list: one tight list, as printed
            else:
                parts += [block, ""]
    parts += [f"## {escape_markdown(document.references_heading)}", ""]
    group = None
    for reference in document.references:
        if reference.group and reference.group != group:
            group = reference.group
            parts += [f"### {escape_markdown(group)}", ""]
        parts += [escape_markdown(reference.text) if "*" not in reference.text else reference.text, ""]
    parts += [escape_markdown(line) + ("  " if i + 1 < len(document.footer) else "")
              for i, line in enumerate(document.footer)]
    parts += ["", "</div>", ""]
    return "\n".join(parts)


def print_revision(document: PolicyDocument, day: date) -> str:
    """The line naming what the print copy reproduces: the revision, and the day whose text it is,
    said to be the day the copy was built (a printed or saved page does not follow later amendments)."""
    revision = document.revision_on(day)
    named = f"revision of {long_date(revision)}" if revision else "text before the first encoded revision"
    return f"Official copy: {named}, text in force on {long_date(day)}, the day this copy was built"


def built_on(day: date) -> str:
    """The sentence on every page that shows the policy's text: whose day it is."""
    return f"Text in force on {long_date(day)}, the day this site was built."


PRINT_PAGE = "print.md"
"""The print copy: the one page printed as the official copy."""


def print_note(title: str, page: str, day: date, site_url: str | None = None) -> str:
    """What a printed page other than the print copy says at its top (hidden on screen, left out of
    search): where it came from, the day the site was built, and that it is not the official copy."""
    base = site_url or ""
    return (f'<div class="policy-print-note" data-search-exclude markdown>\n\n'
            f"Printed from “{escape_markdown(title)}” ({base}{page[:-3]}.html), a page of the staff site as built on "
            f"{long_date(day)}. **Not the official copy** of the policy: the official copy is the site's "
            f"Print version ({base}{PRINT_PAGE[:-3]}.html).\n\n</div>\n")


def add_print_note(path: Path, relative: str, day: date, site_url: str | None) -> None:
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
            lines.append("- " + escape_markdown(line[2:]))
        else:
            lines.append(escape_markdown(line))
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
            f"  @bottom-left {{ content: {quoted(NOT_OFFICIAL.format(day=long_date(day)))}; font-size: 8pt; }}\n"
            + number + "}\n"
            "@page official {\n  margin: 18mm 16mm 20mm;\n"
            f"  @bottom-left {{ content: {quoted(print_revision(document, day))}; font-size: 8pt; }}\n"
            + number + "}\n"
            "body:has(.policy-print) { page: official; }\n")

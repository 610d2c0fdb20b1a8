"""The board packet (``authoring.packet``): the review of the worked amendment (computed once per
session) as a printable page, printed to PDF by a real headless Chromium; the PDF's text
(``pdftotext``) holds the branch, the dates compared, the redline, the changed questions, who is
affected, and a page number on every page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from policykit.authoring import packet
from policykit.authoring.words import word_runs

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists() or not shutil.which("pdftotext"):
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} or pdftotext is missing: .ci/run must install chromium and poppler-utils")
    pytest.skip("chromium or pdftotext is not installed", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402


def _print(html: str, target: Path) -> str:
    """The page printed to PDF by Chromium, and the PDF's text, one page after another (form feeds)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            page = browser.new_page()
            page.set_content(html)
            page.pdf(path=str(target), prefer_css_page_size=True)
        finally:
            browser.close()
    return subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True, capture_output=True,
                          text=True).stdout


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_board_packet_prints_with_its_redline_questions_and_page_numbers(worked_amendment, tmp_path):
    reviewed = worked_amendment.review
    title = worked_amendment.new.policy.document.title
    text = _print(packet.to_html(reviewed, title), tmp_path / "packet.pdf")
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert re.search(rf"\bPage {number} of {len(pages)}\b", page), page[-300:]
    flat = _words(text)
    assert f"Branch: {reviewed.new}, compared with {reviewed.old}." in flat
    for dated in reviewed.dates:
        assert dated.day.isoformat() in flat
    dated = worked_amendment.dated(worked_amendment.effective)
    for change in dated.report.changes:
        assert _words(change.title) in flat
        # the redline's words, removed and added alike, in order
        runs = " ".join(words for _, words in word_runs(*_texts(worked_amendment, change.clause)))
        assert _words(runs)[:60] in flat, change.clause
    assert f"{len(dated.questions)} of {dated.asked} everyday questions change" in flat
    for question in dated.questions:
        assert _words(question.asked.words)[:40] in flat, question.asked.words
    for sentence in dated.sentences:
        assert _words(sentence.words())[:80] in flat


def _texts(amended, clause: str) -> tuple[str, str]:
    """A clause's text before and after, as in force on the effective date ("" where it has none)."""
    found = []
    for side in (amended.old, amended.new):
        version = next((c.version_on(amended.effective) for c in side.policy.document.clauses if c.id == clause), None)
        found.append(version.text if version else "")
    return found[0], found[1]


def test_the_packet_marks_removed_and_added_words():
    html = packet._redline("Employees ~~are expected to~~ **shall** exercise <judgment>")
    assert html == "Employees <del>are expected to</del> <ins>shall</ins> exercise &lt;judgment&gt;"

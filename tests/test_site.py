"""The generated site: every clause once under its id, every scenario as an example, no policy
text written by hand, strict MkDocs build, nothing fetched from elsewhere."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import policykit
from conftest import PROJECT_ROOT
from policykit.authoring.scenarios import read_features
from policykit.core.sourcetext import normalize_whitespace
from sitebuild import build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def decider() -> policykit.Policy:
    return policykit.load_policy()


def pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_every_clause_id_is_an_anchor_on_exactly_one_page(site, decider):
    built = pages(site)
    for clause in decider.document.clauses:
        holders = [name for name, text in built.items() if f'id="{clause.id}"' in text]
        section = clause.section
        assert holders == [f"sections/{section}/index.html"], clause.id


def test_every_scenario_appears_as_an_example(site, decider):
    scenarios, _ = read_features(PROJECT_ROOT / "features")
    text = "\n".join(pages(site).values())
    for scenario in scenarios:
        assert html.escape(scenario.name, quote=True) in text or scenario.name in text, scenario.name


def _words(text: str) -> str:
    """Text as a reader sees it: list markers and layout gone."""
    return normalize_whitespace(re.sub(r"^- ", "", text, flags=re.M))


def test_every_clause_text_is_shown_verbatim(site, decider):
    built = {name: normalize_whitespace(re.sub(r"<[^>]+>", " ", html.unescape(text)))
             for name, text in pages(site).items()}
    for clause in decider.document.clauses:
        assert _words(clause.versions[-1].text) in built[f"sections/{clause.section}/index.html"], clause.id


def test_the_handwritten_pages_copy_no_policy_text(decider):
    handwritten = " ".join(normalize_whitespace(p.read_text(encoding="utf-8")) for p in (PROJECT_ROOT / "docs").rglob("*.md"))
    for clause in decider.document.clauses:
        for sentence in re.split(r"(?<=[.;:])\s+", normalize_whitespace(clause.versions[-1].text)):
            if len(sentence) > 40:
                assert sentence not in handwritten, sentence


def test_the_site_loads_nothing_from_elsewhere(site):
    for name, text in pages(site).items():
        for match in re.finditer(r'<(script|link|img|iframe)\b[^>]*\b(src|href)="(https?:)?//', text):
            raise AssertionError(f"{name} loads a resource from elsewhere: {match.group(0)}")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, name


def test_reason_urls_point_at_real_anchors(site, decider):
    decision = decider.decide({"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
                               "audience": ["student"], "purpose": "personal", "as_of": "2026-01-05"})
    for reason in decision.reasons:
        page, anchor = reason.url.split("#")
        assert f'id="{anchor}"' in (site / page / "index.html").read_text(encoding="utf-8")


def test_generated_pages_and_schemas_are_published(site):
    for page in ("index.html", "references/index.html", "glossary/index.html", "changelog/index.html",
                 "print/index.html", "editors/index.html", "integrators/index.html"):
        assert (site / page).is_file(), page
    for schema in ("request", "decision", "clause", "policy"):
        assert (site / "schemas" / f"{schema}.schema.json").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Adopted June 20, 2012" in home and "revised November 18, 2015" in home
    assert "Questions staff ask most" in home
    assert "28 U.S.C. 2510-2520" in (site / "references" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def markdown(tmp_path_factory, decider) -> Path:
    from datetime import date

    from policykit.publishing.site import build_pages

    scenarios, _ = read_features(PROJECT_ROOT / "features")
    out = tmp_path_factory.mktemp("markdown") / "docs"
    build_pages(decider, scenarios, out, day=date(2026, 1, 5))
    return out


def test_when_it_applies_lines_end_with_one_period(markdown):
    for page in (markdown / "sections").glob("*.md"):
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("- When "):
                assert not line.endswith(".."), (page.name, line)


def test_a_section_page_shows_each_distinct_question_once(markdown, decider):
    from policykit.authoring.phrases import load_phrasebook

    scenarios, _ = read_features(PROJECT_ROOT / "features")
    book = load_phrasebook()
    by_name = {s.name: json.dumps(s.request(book), sort_keys=True) for s in scenarios}
    for page in (markdown / "sections").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        titles = re.findall(r'^\?\?\?\+? \w+ "(.+) — [^"]+"$', text, flags=re.M)
        asked = [by_name[html.unescape(t).replace("\\_", "_").replace("\\*", "*")] for t in titles]
        assert len(asked) == len(set(asked)), page.name

"""The generated site: every clause once under its id, every scenario as an example, no policy
text written by hand, strict MkDocs build, nothing fetched from elsewhere."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

import policykit
from amend import amend
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
    """Every rendered page by its path (the folder pages that only send the reader on left out)."""
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*.html")
            if not _is_folder_page(p)}


def _is_folder_page(path: Path) -> bool:
    return path.name == "index.html" and path.parent.with_suffix(".html").is_file()


def page_of(site: Path, url: str) -> str:
    """The page a site-relative URL such as ``sections/relationships/`` shows, following a folder
    page on to the page it names."""
    path = site / url.split("#")[0]
    if url.split("#")[0].endswith("/") or path.is_dir():
        folder = path / "index.html"
        target = re.search(r'<link rel="canonical" href="([^"]+)">', folder.read_text(encoding="utf-8"))
        assert target, url
        path = (folder.parent / target.group(1)).resolve()
    return path.read_text(encoding="utf-8")


def test_every_clause_id_is_an_anchor_on_exactly_one_page(site, decider):
    built = pages(site)
    for clause in decider.document.clauses:
        holders = [name for name, text in built.items() if f'id="{clause.id}"' in text]
        section = clause.section
        assert holders == [f"sections/{section}.html"], clause.id


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
        assert _words(clause.versions[-1].text) in built[f"sections/{clause.section}.html"], clause.id


def test_the_handwritten_pages_copy_no_policy_text(decider):
    handwritten = " ".join(normalize_whitespace(p.read_text(encoding="utf-8"))
                           for p in (PROJECT_ROOT / "docs").rglob("*.md"))
    for clause in decider.document.clauses:
        for sentence in re.split(r"(?<=[.;:])\s+", normalize_whitespace(clause.versions[-1].text)):
            if len(sentence) > 40:
                assert sentence not in handwritten, sentence


def test_the_site_loads_nothing_from_elsewhere(site):
    for name, text in pages(site).items():
        for match in re.finditer(r'<(script|link|img|iframe)\b[^>]*\b(src|href)="(https?:)?//', text):
            raise AssertionError(f"{name} loads a resource from elsewhere: {match.group(0)}")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, name


def _corpus_requests() -> list[object]:
    """Every request of the corpus (tests/corpus) and of the staff questions (questions/) that is answered."""
    from corpus_cases import CASES
    from policykit.authoring.questions import all_questions, load_questions

    requests = [case.request for case in CASES if not case.is_error]
    requests += [q.request for q in all_questions(load_questions()) if not q.is_refused]
    return requests


def test_every_decision_url_of_the_corpus_opens_its_page_at_its_anchor_without_a_redirect(site, decider):
    """Each reason's url names a page file of the built site (not a folder page that sends the
    reader on) holding the clause's anchor, and the page is the clause's own section page."""
    urls: set[str] = set()
    for request in _corpus_requests():
        decision = decider.decide(request, alternatives=True)
        urls.update(reason.url for reason in decision.reasons)
    assert len(urls) >= 20, sorted(urls)
    for url in sorted(urls):
        path, anchor = url.split("#")
        assert not path.startswith(("/", "http")) and path.endswith(".html"), url
        page = site / path
        assert page.is_file() and not _is_folder_page(page), url
        text = page.read_text(encoding="utf-8")
        assert '<meta http-equiv="refresh"' not in text and 'rel="canonical"' not in text, url
        assert text.count(f'id="{anchor}"') == 1, url
        assert path == f"sections/{decider.document.clause(anchor).section}.html", url


def test_with_a_site_address_every_url_is_absolute_and_names_the_same_page(decider):
    based = policykit.load_policy(site_url="https://policy.example.org/ledyard")
    request = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
               "audience": ["student"], "purpose": "personal", "as_of": "2026-01-05"}
    plain, absolute = decider.decide(request), based.decide(request)
    assert [r.url for r in absolute.reasons] == [
        "https://policy.example.org/ledyard/" + r.url for r in plain.reasons]
    with pytest.raises(ValueError, match="absolute http"):
        policykit.load_policy(site_url="policy.example.org")


def test_every_folder_url_opens_its_page(site):
    """The pages are files, so the site works from disk; each folder URL (``sections/scope/``,
    the form decisions' reason URLs use) sends the reader on to its page, keeping the anchor."""
    folders = [p for p in site.rglob("index.html") if p.parent != site]
    assert folders
    for folder in folders:
        name = folder.parent.name
        text = folder.read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="../{name}.html">' in text, folder
        assert f'url=../{name}.html"' in text, folder
        script = re.search(r'<script src="([^"]+)"></script>', text).group(1)
        assert (folder.parent / script).resolve() == (site / "assets" / "folder.js").resolve(), folder
        assert (folder.parent.parent / f"{name}.html").is_file(), folder


def test_generated_pages_and_schemas_are_published(site):
    for page in ("index.html", "references.html", "glossary.html", "changelog.html",
                 "print.html", "editors.html", "integrators.html"):
        assert (site / page).is_file(), page
    for schema in ("request", "decision", "clause", "policy"):
        assert (site / "schemas" / f"{schema}.schema.json").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Adopted June 20, 2012" in home and "revised November 18, 2015" in home
    assert "Questions staff ask most" in home
    assert "28 U.S.C. 2510-2520" in (site / "references.html").read_text(encoding="utf-8")


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


AMENDMENT = PROJECT_ROOT / "tests" / "fixtures" / "amendment" / "relationships.texting-and-calling.version.yaml"
AMENDED_CLAUSE = "relationships.texting-and-calling"
WORDING_REASON = "A typo in the adopted text is corrected; the rule is unchanged."


@pytest.fixture(scope="module")
def amended_root(tmp_path_factory) -> Path:
    """A copy of the policy with a future version of one clause (tests/fixtures/amendment) and a
    wording correction on another clause's version in force."""
    import shutil

    root = tmp_path_factory.mktemp("amended") / "policy"
    shutil.copytree(PROJECT_ROOT / "policy", root)
    amend(root, AMENDED_CLAUSE, AMENDMENT.read_text(encoding="utf-8"))
    corrected = root / "clauses" / f"{_uncorrected_clause()}.yaml"
    text = corrected.read_text(encoding="utf-8")
    marker = "    text: "
    corrected.write_text(text.replace(marker, "    corrections:\n      - date: \"2026-03-02\"\n        kind: wording\n"
                                      f"        reason: \"{WORDING_REASON}\"\n" + marker, 1), encoding="utf-8")
    return root


def _uncorrected_clause() -> str:
    """The first clause, in printed order, with one version and no correction yet."""
    document = policykit.load_policy().document
    return next(c.id for c in document.clauses
                if c.id != AMENDED_CLAUSE and len(c.versions) == 1 and not c.versions[0].corrections)


@pytest.fixture(scope="module")
def amended(amended_root) -> policykit.Policy:
    return policykit.load_policy(amended_root)


@pytest.fixture(scope="module")
def before_amendment(amended) -> date:
    """The day before the amendment takes effect, from the files."""
    effective = re.search(r'effective: "([0-9-]+)"', AMENDMENT.read_text(encoding="utf-8")).group(1)
    return date.fromisoformat(effective) - timedelta(days=1)


@pytest.fixture(scope="module")
def amended_site(tmp_path_factory, amended_root, before_amendment) -> Path:
    return build_site(tmp_path_factory.mktemp("amended-site"), policy=amended_root, today=before_amendment)


def _text(page: str) -> str:
    return normalize_whitespace(re.sub(r"<[^>]+>", " ", html.unescape(page)))


def test_a_clause_page_shows_the_text_in_force_the_upcoming_text_and_the_history(amended_site, amended,
                                                                                   before_amendment):
    from policykit.publishing.siteclauses import redline

    clause = amended.document.clause(AMENDED_CLAUSE)
    current, upcoming = clause.version_on(before_amendment), clause.versions[-1]
    page = (amended_site / "sections" / f"{clause.section}.html").read_text(encoding="utf-8")
    block = page[page.index(f'id="{clause.id}"'):]
    block = block[:block.index("<h2", 10)] if "<h2" in block[10:] else block
    words = _text(block)
    assert _words(current.text) in words
    day = f"{upcoming.effective.strftime('%B')} {upcoming.effective.day}, {upcoming.effective.year}"
    assert f"Upcoming: takes effect {day}" in words
    assert _words(upcoming.text) in words
    # The redline: words removed from today's text struck, words added marked.
    marked = redline(current.text, upcoming.text)
    assert "<del>" in marked and "<ins>" in marked
    assert marked in block
    removed = set(current.text.split()) - set(upcoming.text.split())
    added = set(upcoming.text.split()) - set(current.text.split())
    struck = " ".join(re.findall(r"<del>(.*?)</del>", block)).split()
    inserted = " ".join(re.findall(r"<ins>(.*?)</ins>", block)).split()
    assert {html.unescape(w) for w in struck} >= removed and {html.unescape(w) for w in inserted} >= added
    # The history: every version, in force or upcoming, with its note and its corrections.
    history = words[words.index("History"):]
    for version in clause.versions:
        assert _words(version.note) in history
        for correction in version.corrections:
            assert _words(correction.reason) in history
    assert "(in force)" in history and "(upcoming)" in history


def test_a_wording_correction_is_shown_in_the_history_and_the_changelog(amended_site, amended):
    clause = amended.document.clause(_uncorrected_clause())
    page = _text((amended_site / "sections" / f"{clause.section}.html").read_text(encoding="utf-8"))
    assert f"Correction made on March 2, 2026: wording corrected (the rule is unchanged): {WORDING_REASON}" in page
    changelog = (amended_site / "changelog.html").read_text(encoding="utf-8")
    article = _text(changelog.split("<article", 1)[1].split("</article>")[0])
    entries = article[article.index("March 2, 2026"):]
    assert entries.startswith(f"March 2, 2026 ¶ {clause.title} ( {clause.id} ) — version of "), entries[:200]
    assert f"wording corrected (the rule is unchanged): {WORDING_REASON}" in entries


@pytest.mark.parametrize("which", ["site", "amended_site"])
def test_every_changelog_link_lands_on_an_existing_id(which, request):
    from urllib.parse import urljoin, urlparse

    built: Path = request.getfixturevalue(which)
    changelog = (built / "changelog.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"#]*#[^"]+)"', changelog.split('<article', 1)[1].split("</article>")[0])
    targets = [link for link in links if not link.startswith("#")]
    assert len(targets) >= sum(1 for _ in re.finditer(r"<li>", changelog.split('<article', 1)[1])) > 0
    for link in targets:
        url = urlparse(urljoin("/changelog.html", link))
        page = (built / url.path.lstrip("/")).read_text(encoding="utf-8")
        assert f'id="{html.unescape(url.fragment)}"' in page, link


def test_every_page_but_the_print_copy_says_it_is_not_the_official_copy_and_when_it_was_built(site):
    for name, text in pages(site).items():
        words = _text(text)
        if name == "print.html":
            assert "Not the official copy" not in words and 'class="policy-print-note"' not in text
            continue
        if name == "404.html":
            continue
        assert text.count('class="policy-print-note"') == 1, name
        assert re.search(rf"Printed from “[^”]+” \({re.escape(name)}\), a page of the staff site as built on "
                         r"\w+ \d+, \d{4}\. Not the official copy", words), name


def test_the_pages_showing_the_policys_text_say_it_is_the_text_of_the_day_the_site_was_built(site):
    for name in ["index.html"] + [f"sections/{p.name}" for p in (site / "sections").glob("*.html")]:
        words = _text((site / name).read_text(encoding="utf-8"))
        assert re.search(r"Text in force on \w+ \d+, \d{4}, the day this site was built\.", words), name
        assert "today" not in words.lower(), name


def test_the_print_copy_names_the_revision_and_day_it_reproduces(amended_site, amended, before_amendment):
    document = amended.document
    revision = document.revision_on(before_amendment)
    page = _text((amended_site / "print.html").read_text(encoding="utf-8"))
    long = f"{revision.strftime('%B')} {revision.day}, {revision.year}"
    day = f"{before_amendment.strftime('%B')} {before_amendment.day}, {before_amendment.year}"
    assert f"Official copy: revision of {long}, text in force on {day}, the day this copy was built" in page
    assert "Not the official copy" not in page
    css = (amended_site / "assets" / "print-page.css").read_text(encoding="utf-8")
    official = css[css.index("@page official"):]
    assert f"revision of {long}" in official and "counter(page)" in official
    assert "Official copy" not in css[:css.index("@page official")]
    # The print copy reproduces the text in force, not the upcoming one.
    clause = document.clause(AMENDED_CLAUSE)
    assert _words(clause.version_on(before_amendment).text) in page
    assert _words(clause.versions[-1].text) not in page


def test_the_site_holds_each_distinct_question_once(markdown):
    """One card per distinct question site-wide: every other place links to it."""
    cards = []
    for page in markdown.rglob("*.md"):
        cards += re.findall(r'<div class="policy-card" id="(q-[0-9a-f]+)" markdown>', page.read_text(encoding="utf-8"))
    assert cards and len(cards) == len(set(cards))
    for page in markdown.rglob("*.md"):
        for target, anchor in re.findall(r"\]\(([^)#]*)#(q-[0-9a-f]+)\)", page.read_text(encoding="utf-8")):
            holder = (page.parent / target).resolve() if target else page
            assert f'id="{anchor}"' in holder.read_text(encoding="utf-8"), (page.name, target, anchor)


def test_home_page_verdicts_say_when_they_rest_on_an_unconfirmed_reading(markdown, decider):
    from policykit.publishing.sitecards import reading_status

    home = (markdown / "index.md").read_text(encoding="utf-8")
    answers = home[home.index("## Questions staff ask most"):].splitlines()
    verdicts = [line for line in answers if line.startswith("- [")]
    assert verdicts
    scenarios, _ = read_features(PROJECT_ROOT / "features")
    from policykit.authoring.phrases import load_phrasebook

    book = load_phrasebook()
    by_name = {s.name: s for s in scenarios}
    for line in verdicts:
        name = html.unescape(re.match(r"- \[(.+?)\]\(", line).group(1)).replace("\\_", "_").replace("\\*", "*")
        status = reading_status(decider.decide(by_name[name].request(book)))
        assert (status is not None and status in line) or (status is None and "awaiting" not in line), line


def _article(page: str) -> str:
    """The text of a page's article (its content, without the theme's navigation)."""
    return _text(page.split("<article", 1)[1].split("</article>")[0])


def test_references_are_grouped_by_the_jurisdiction_the_policy_file_declares(site):
    """Read from policy/policy.yaml itself: each reference sits under the heading of its
    jurisdiction (the jurisdiction's title in schema/policy.schema.json), and each heading once."""
    import yaml

    declared = yaml.safe_load((PROJECT_ROOT / "policy" / "policy.yaml").read_text(encoding="utf-8"))["references"]
    schema = json.loads((PROJECT_ROOT / "schema" / "policy.schema.json").read_text(encoding="utf-8"))
    titles = {c["const"]: c["title"] for c in
              schema["properties"]["references"]["items"]["properties"]["jurisdiction"]["oneOf"]}
    page = (site / "references.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h2 id="([^"]+)">(.*?)<a class="headerlink"', page)
    order = list(dict.fromkeys(r["jurisdiction"] for r in declared))
    assert [(anchor, html.unescape(title).strip()) for anchor, title in headings] == [
        (j, titles[j]) for j in order]
    blocks = {anchor: _text(block) for anchor, block in
              zip([a for a, _ in headings], re.split(r"<h2 id=", page)[1:])}
    for reference in declared:
        citation = reference["citation"]
        holders = [j for j, text in blocks.items() if citation in text]
        assert holders == [reference["jurisdiction"]], citation


def test_the_glossary_speaks_staff_words_and_the_field_names_are_on_the_developers_page(site):
    from policykit.core.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    glossary = _article((site / "glossary.html").read_text(encoding="utf-8"))
    fields = _article((site / "fields.html").read_text(encoding="utf-8"))
    codes = [fact.path for fact in vocabulary.facts if "_" in fact.path or "." in fact.path]
    codes += [value.name for fact in vocabulary.facts for value in fact.values if "_" in value.name]
    codes += ["YYYY-MM-DD", "as_of", "actor.role", "x-when-missing"]
    assert [code for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", glossary)] == []
    assert [code for code in codes if code != "x-when-missing" and code not in fields] == []
    for fact in vocabulary.facts:
        for value in fact.values:
            assert value.title in glossary, (fact.path, value.name)


BASE = "https://policy.example.org/ledyard/"
TEXTING = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "audience": ["student"],
           "purpose": "personal", "as_of": "2026-01-05"}


def test_the_command_line_and_the_service_give_absolute_urls_under_a_site_address(tmp_path, capsys, monkeypatch):
    """``--site-url`` on the command line, ``site_url`` of the policy the service is given: the same
    URLs as the library's, and the service's clause list too; a bad address is refused by name."""
    from datetime import date

    import httpx
    from liveserver import LiveServer

    from policykit.interfaces.cli import main
    from policykit.interfaces.http.app import create_app

    monkeypatch.setenv("POLICYKIT_NO_CACHE", "1")
    request = tmp_path / "request.json"
    request.write_text(json.dumps(TEXTING), encoding="utf-8")
    expected = [r.url for r in policykit.load_policy(site_url=BASE).decide(TEXTING).reasons]
    assert expected and all(url.startswith(BASE + "sections/") and ".html#" in url for url in expected)
    assert main(["decide", str(request), "--format", "json", "--site-url", BASE]) == 0
    assert [r["url"] for r in json.loads(capsys.readouterr().out)["reasons"]] == expected
    with pytest.raises(SystemExit) as refused:
        main(["decide", str(request), "--format", "json", "--site-url", "policy.example.org"])
    assert refused.value.code == 2
    assert "must be an absolute http:// or https:// address" in capsys.readouterr().err
    with LiveServer(create_app(policykit.load_policy(site_url=BASE, today=lambda: date(2026, 1, 5)))) as url:
        assert [r["url"] for r in httpx.post(url + "/v1/decide", json=TEXTING).json()["reasons"]] == expected
        clauses = httpx.get(url + "/v1/policy").json()["clauses"]
    assert clauses and all(c["url"] == f"{BASE}sections/{c['section']}.html#{c['id']}" for c in clauses)


def test_the_rego_bundle_and_the_browser_evaluator_carry_the_same_urls_as_the_library():
    """The URL is made once, when the policy is compiled: the OPA bundle's clauses and the site's
    evaluator's data read it from the same program."""
    from datetime import date

    from policykit.core.compiler import clause_url
    from policykit.publishing.ask import ask_data
    from policykit.publishing.rego import bundle_files

    for base in (None, BASE):
        policy = policykit.load_policy(site_url=base)
        day = date(2026, 1, 5)
        expected = {reason.id: reason.url for reason in policy.program(day).reasons}
        assert expected == {c.id: clause_url(c, base) for c in policy.document.clauses if c.version_on(day)}
        files = bundle_files(policy, day)
        data = json.loads(next(content for name, content in files.items() if name.endswith("data.json")))["policykit"]
        period = next(p for p in data["periods"] if p["valid_from"] <= day.isoformat()
                      and (p["valid_until"] is None or day.isoformat() < p["valid_until"]))
        clauses = data[period["package"]]["clauses"]
        assert {c["id"]: c["url"] for c in clauses} == expected
        browser = ask_data(policy)
        assert browser["site_url"] == base
        program = next(p for p in browser["programs"] if p["valid_from"] <= day.isoformat())
        assert {r["id"]: r["url"] for r in program["reasons"]} == expected


def _urls(value: object) -> list[str]:
    """Every ``url`` anywhere in a decision as JSON (reasons today; any part that later carries one)."""
    if isinstance(value, dict):
        return [u for key, item in value.items() for u in ([item] if key == "url" else _urls(item))]
    if isinstance(value, list):
        return [u for item in value for u in _urls(item)]
    return []


def _opens_at_its_anchor(response, url: str) -> None:
    """A page answered at once (no redirect, no page that sends the reader on) holding the anchor once."""
    assert response.status_code == 200, (url, response.status_code, response.headers.get("location"))
    assert response.headers["content-type"].startswith("text/html"), url
    text = response.text
    assert '<meta http-equiv="refresh"' not in text and 'rel="canonical"' not in text, url
    assert text.count(f'id="{url.split("#")[1]}"') == 1, url


def test_under_a_site_address_every_decision_url_of_the_corpus_opens_the_served_page_at_its_anchor(site):
    """The site published at an address (the service's own site route at a host's root, and a plain
    static host under a folder): the service, given that address, answers every corpus request with
    absolute urls that a browser opens straight at the clause, without a redirect."""
    from datetime import date

    import httpx
    from liveserver import LiveServer
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from policykit.interfaces.http.config import ServerConfig
    from policykit.interfaces.http.app import create_app

    requests = _corpus_requests()
    plain = policykit.load_policy(today=lambda: date(2026, 1, 5))
    static = Starlette(routes=[Mount("/ledyard", app=StaticFiles(directory=site))])
    with LiveServer(create_app(plain, ServerConfig(site_dir=site))) as served, LiveServer(static) as host:
        for base in (served + "/", host + "/ledyard/"):
            policy = policykit.load_policy(site_url=base, today=lambda: date(2026, 1, 5))
            with LiveServer(create_app(policy)) as service, httpx.Client(follow_redirects=False) as client:
                answers = [answer for start in range(0, len(requests), 500)
                           for answer in client.post(service + "/v1/decide/batch?alternatives=true",
                                                     json={"requests": requests[start:start + 500]},
                                                     timeout=120).json()["decisions"]]
                assert len(answers) == len(requests) and not [a for a in answers if "error" in a]
                urls = sorted({url for answer in answers for url in _urls(answer)})
                assert len(urls) >= 20 and all(url.startswith(base) for url in urls), (base, urls[:3])
                relative = sorted({url for r in requests
                                   for url in _urls(plain.decide(r, alternatives=True).to_dict())})
                assert urls == sorted(base + url for url in relative)
                for url in urls:
                    _opens_at_its_anchor(client.get(url.split("#")[0]), url)


MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|[A-Z][a-z]{2}\.)"
DATE = re.compile(rf"{MONTH} \d{{1,2}}, \d{{4}}|\b\d{{4}}-\d{{2}}-\d{{2}}\b")
SAID_BEFORE = re.compile(r"(?:built on|in force (?:on|from)|Adopted:?|[Rr]evised:?|revision of|takes? effect(?: on)?|"
                         r"took effect(?: on)?|version of|made on|until|Text of the|\d{4})\s*(?:[(“\",]\s*)?$")
"""What a date on a staff page is, said just before it: the day the site was built, the day a text took
effect or takes effect, the day a correction was made, the adoption and revision the policy prints; or
the same date just said in other words ("September 1, 2027 (2027-09-01)"), or the next in a list of
such dates ("revised November 18, 2015, September 1, 2027")."""


def _staff_pages(site: Path) -> list[str]:
    return ["index.html", "ask.html", "questions.html", "references.html", "glossary.html", "changelog.html",
            "print.html"] + sorted(f"sections/{p.name}" for p in (site / "sections").glob("*.html"))


def test_every_date_on_a_staff_page_says_what_it_is(site):
    """Each date staff read says what day it is: the words before it, or for a clause's history and
    the changelog's headings, the sentence that says what their dates are."""
    from policykit.publishing.siteclauses import HISTORY_DATES

    unsaid = {}
    for name in _staff_pages(site):
        page = site.joinpath(name).read_text(encoding="utf-8")
        article = page.split("<article", 1)[1].split("</article>")[0] if "<article" in page else page
        entries = re.compile(r'(<span id="[^"]+--\d{4}-\d{2}-\d{2}"></span><strong>)')
        if entries.search(article):
            assert _text(HISTORY_DATES) in _text(article), name
            article = entries.sub(r"\1took effect ", article)
        headings = re.compile(r'(<h2 id="changes-\d{4}-\d{2}-\d{2}">)')
        if headings.search(article):
            assert "each heading is the day a version took effect (or takes effect, for an upcoming one) or a " \
                   "correction was made" in _text(article), name
            article = headings.sub(r"\1took effect or made on ", article)
        words = _text(re.sub(r"<(script|style)\b.*?</\1>", "", article, flags=re.S))
        found = [m for m in DATE.finditer(words)]
        unsaid[name] = [words[max(0, m.start() - 50):m.end()] for m in found
                        if not SAID_BEFORE.search(words[:m.start()])]
        assert found or name in ("ask.html", "questions.html", "references.html", "glossary.html"), name
    assert {name: dates for name, dates in unsaid.items() if dates} == {}

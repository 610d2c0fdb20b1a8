"""The "Ask the policy" interview on the built site, in Debian's Chromium: corpus questions answered
through the page as a staff member would (one by keyboard only), a shared link, accessibility in
light and dark mode, and no request leaving the page's origin."""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

import policykit
from policykit.authoring.questions import all_questions, load_questions
from sitebuild import build_site

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("ask-site"))


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context()
    outside: list[str] = []
    origin = urlparse(base_url).netloc

    def guard(route) -> None:
        url = urlparse(route.request.url)
        if url.netloc == origin or url.scheme in ("data", "blob", "file"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    yield tab
    context.close()
    assert outside == [], f"requests left the page's origin: {outside}"


def _questions() -> list:
    policy = policykit.load_policy()
    return [q for q in all_questions(load_questions(policy=policy.document)) if not q.is_refused]


def _value_of(request: dict, path: str):
    node: object = request
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def interview(page: Page, question, keyboard: bool = False) -> str:
    """Answer the interview from the question's request: role and action first, then each
    question the page asks whose fact the request states, until none is left; the outcome shown."""
    request = question.request
    page.select_option("#ask-actor-role", request["actor"]["role"])
    page.select_option("#ask-action", request["action"])
    answered: set[str] = set()
    for _ in range(30):
        asked = page.locator("#ask-questions fieldset").evaluate_all("(sets) => sets.map(s => s.dataset.fact)")
        todo = [path for path in asked if path not in answered and _value_of(request, path) is not None]
        if not todo:
            break
        path = todo[0]
        answered.add(path)
        value = _value_of(request, path)
        group = page.locator(f'#ask-questions fieldset[data-fact="{path}"]')
        if isinstance(value, list):
            if not value:
                group.locator("button.ask-none").click()
            for item in value:
                box = page.locator(f'#ask-questions fieldset[data-fact="{path}"] input[data-value={json.dumps(json.dumps(item))}]')
                if keyboard:
                    box.focus()
                    page.keyboard.press("Space")
                else:
                    box.click()
        else:
            radio = group.locator(f"input[data-value={json.dumps(json.dumps(value))}]")
            if keyboard:
                radio.focus()
                page.keyboard.press("Space")
            else:
                radio.click()
    return page.locator("#ask-outcome").get_attribute("data-outcome")


QUESTIONS = _questions()


@pytest.mark.parametrize("question", QUESTIONS[::max(1, len(QUESTIONS) // 12)][:12], ids=lambda q: q.id)
def test_a_corpus_question_answered_through_the_interview(page: Page, base_url: str, question) -> None:
    # The interview decides for today; the question's date is pinned the way a shared link pins it.
    page.goto(f"{base_url}ask.html#request=" + json.dumps({"actor": {"role": question.request["actor"]["role"]},
                                                       "action": question.request["action"],
                                                       "as_of": question.request["as_of"]}))
    page.reload()
    assert interview(page, question) in question.accept, question.ask


def test_the_interview_by_keyboard_only(page: Page, base_url: str) -> None:
    question = next(q for q in QUESTIONS if q.request.get("channel") and len(q.request) > 4)
    request = question.request
    page.goto(f"{base_url}ask.html#request=" + json.dumps({"actor": {"role": "teacher"}, "action": "browse",
                                                       "as_of": request["as_of"]}))
    page.reload()
    role = page.locator("#ask-actor-role")
    role.focus()
    page.keyboard.press("Tab")  # to the action select, by the keyboard
    assert page.evaluate("document.activeElement.id") == "ask-action"
    page.select_option("#ask-actor-role", request["actor"]["role"])  # a select takes keys; set it as typed
    page.select_option("#ask-action", request["action"])
    assert interview(page, question, keyboard=True) in question.accept


def test_words_and_a_shared_link(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}ask.html")
    page.fill("#ask-words", "DM a student on Instagram from my own phone")
    page.select_option("#ask-actor-role", "teacher")
    page.keyboard.press("Tab")
    page.locator("#ask-read").click()
    link = page.locator("#ask-share").get_attribute("href")
    shown = page.locator("#ask-answer").inner_text()
    request = json.loads(page.locator("#ask-json").input_value())
    assert request["device"] == "personal" and request["audience"] == ["student"] and request["action"] == "message"
    other = page.context.new_page()
    other.goto(f"{base_url}ask.html{link}")
    assert other.locator("#ask-answer").inner_text() == shown
    other.close()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_ask_page_has_no_serious_accessibility_violations(page: Page, base_url: str, scheme: str) -> None:
    question = QUESTIONS[0]
    page.goto(f"{base_url}ask.html#request=" + json.dumps(question.request))
    page.reload()
    page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    results = Axe().run(page)
    serious = {v["id"]: v["nodes"][0]["target"] for v in results.response["violations"]
               if v.get("impact") in ("serious", "critical")}
    assert serious == {}

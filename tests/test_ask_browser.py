"""The "Ask the policy" interview on the built site, in Debian's Chromium, used as a staff member
would: type the question, check what the page read, answer one question at a time, change an
answer, tick two audiences, do it all by keyboard; the answer appears as soon as it is known, at the
top of a phone's screen; accessibility at every step, light and dark, desktop and phone; the typed
words never reach the URL or leave the page's origin."""

from __future__ import annotations

import functools
import json
import os
import re
import statistics
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import policykit
from policykit.authoring.questions import all_questions, load_questions
from policykit.core.vocabulary import load_vocabulary
from policykit.core.request import fact_value
from sitebuild import build_site

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
DAY = "2026-01-05"
VOCABULARY = load_vocabulary()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("ask-site"))


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # a page left before a file was sent
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
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


def _context(browser: Browser, base_url: str, **options):
    context = browser.new_context(**options)
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
    return context, outside


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context, outside = _context(browser, base_url)
    tab = context.new_page()
    yield tab
    context.close()
    assert outside == [], f"requests left the page's origin: {outside}"


def _questions() -> list:
    policy = policykit.load_policy()
    return [q for q in all_questions(load_questions(policy=policy.document)) if not q.is_refused]


QUESTIONS = {q.id: q for q in _questions()}


def open_ask(page: Page, base_url: str) -> None:
    """The Ask page, its answers pinned to the corpus's day the way a shared link pins them."""
    page.goto(f"{base_url}ask.html#request=" + json.dumps({"actor": {}, "as_of": DAY}))
    page.reload()
    page.wait_for_selector("#ask-words")


def type_question(page: Page, text: str, keyboard: bool = False) -> None:
    if keyboard:
        page.locator("#ask-words").focus()
        page.keyboard.type(text)
        page.keyboard.press("Enter")
    else:
        page.fill("#ask-words", text)
        page.click("#ask-read")


def answer(page: Page, value, keyboard: bool = False) -> str:
    """Answer the question on screen with ``value`` (a list ticks each item); returns its fact."""
    form = page.locator("#ask-current form.ask-form")
    path = form.get_attribute("data-fact")
    items = value if isinstance(value, list) else [value]
    for item in items:
        box = form.locator(f"input[data-value={json.dumps(json.dumps(item))}]")
        if keyboard:
            box.focus()
            page.keyboard.press("Space")
        else:
            box.check()
    if keyboard:
        page.keyboard.press("Enter")  # submits the question's form from the focused box
    else:
        form.locator(".ask-continue").click()
    return path


def interview(page: Page, question, keyboard: bool = False) -> tuple[str, list[str]]:
    """Type the question's words, then answer each question the page asks from the question's
    request, one at a time; once there is an answer, answer any offered question that could change
    it whose fact the request states. Returns the outcome shown and the facts asked."""
    request = question.request
    type_question(page, question.ask, keyboard)
    asked: list[str] = []
    for _ in range(20):
        current = page.locator("#ask-current form.ask-form")
        if current.count():
            path = current.get_attribute("data-fact")
            value = fact_value(request, path)
            if value is None:
                asked.append(path)
                page.locator("#ask-current .ask-skip").click()
                continue
            asked.append(answer(page, value, keyboard))
            continue
        more = [p for p in page.locator("#ask-more button").evaluate_all("(bs) => bs.map(b => b.dataset.fact)")
                if fact_value(request, p) not in (None, [], False) and p not in asked]
        if not more:
            break
        page.locator(f'#ask-more button[data-fact="{more[0]}"]').click()
    return page.locator("#ask-outcome").get_attribute("data-outcome"), asked


# Corpus questions typed as asked and answered one question at a time: the words read carry most
# of the facts, so few questions are left to ask.
TYPED = [
    "dm-student-great-game", "comment-student-vacation-photos", "text-student-happy-birthday",
    "text-student-homework-reminder", "call-student-cell-about-homework", "gmail-to-student-about-homework",
    "friend-student-facebook", "personal-letter-to-student", "video-call-tutoring-personal-zoom",
    "parent-whatsapp-class-news", "abusive-voicemail-parent", "coach-personal-email-players-and-parents",
    "text-parent-district-phone", "district-laptop-facebook-interferes", "post-disrupts-school",
    "text-own-child-enrolled", "text-graduate-catch-up", "public-instagram-student-followers-vacation",
    "private-discord-server-students-gaming", "counselor-college-recommendation-email", "club-youtube-channel",
    "class-page-pirated-video", "unsure-confidential-not-consulted", "instagram-while-teaching",
    "tell-student-about-divorce", "hallway-chat-about-weekend",
]


def test_the_typed_questions_are_in_the_corpus() -> None:
    assert len(TYPED) >= 20 and all(q in QUESTIONS for q in TYPED), [q for q in TYPED if q not in QUESTIONS]


def _typed_words_in(url: str, typed: str) -> list[str]:
    """Words of the typed text found in the URL, besides the vocabulary's own names."""
    names = {part for fact in VOCABULARY.facts for part in fact.path.replace(".", "_").split("_")}
    names |= {part for fact in VOCABULARY.facts for v in fact.values for part in v.name.split("_")}
    found = set(re.findall(r"[a-z]+", unquote(url).lower()))
    return [w for w in re.findall(r"[a-z]+", typed.lower()) if len(w) > 3 and w not in names and w in found]


def test_corpus_questions_typed_then_answered_one_at_a_time(page: Page, base_url: str) -> None:
    outcomes, counts, leaks = {}, [], {}
    for key in TYPED:
        question = QUESTIONS[key]
        open_ask(page, base_url)
        outcomes[key], asked = interview(page, question)
        counts.append(len(asked))
        leaks[key] = _typed_words_in(page.url, question.ask)
    assert {k: o for k, o in outcomes.items() if o not in QUESTIONS[k].accept} == {}
    assert statistics.median(counts) <= 3, counts
    assert {k: words for k, words in leaks.items() if words} == {}


def _press_until(page: Page, key: str, test: str, limit: int = 40) -> None:
    for _ in range(limit):
        if page.evaluate(test):
            return
        page.keyboard.press(key)
    raise AssertionError(f"never reached by {key}: {test}")


def test_an_interview_by_keyboard_only(page: Page, base_url: str) -> None:
    question = QUESTIONS["text-student-homework-reminder"]
    open_ask(page, base_url)
    page.keyboard.press("Tab")
    _press_until(page, "Tab", "document.activeElement.id === 'ask-words'")
    page.keyboard.type(question.ask)
    page.keyboard.press("Enter")
    for _ in range(10):
        form = page.locator("#ask-current form.ask-form")
        if not form.count():
            break
        value = fact_value(question.request, form.get_attribute("data-fact"))
        target = json.dumps(value)
        inside = "document.activeElement.closest && document.activeElement.closest('#ask-current')"
        _press_until(page, "Tab", f"!!({inside}) && document.activeElement.type === 'radio'")
        _press_until(page, "ArrowDown", f"document.activeElement.dataset.value === {json.dumps(target)}")
        page.keyboard.press("Space")  # a radio reached by Tab is focused, not yet chosen
        _press_until(page, "Tab", "document.activeElement.classList.contains('ask-continue')")
        page.keyboard.press("Enter")
    assert page.locator("#ask-outcome").get_attribute("data-outcome") in question.accept
    assert page.evaluate("document.activeElement.id") == "ask-answer"


def test_changing_an_earlier_answer_changes_the_answer(page: Page, base_url: str) -> None:
    open_ask(page, base_url)
    type_question(page, "Can I text a student from my own phone to remind them about the homework?")
    answer(page, "teacher")
    answer(page, "personal")
    assert page.locator("#ask-outcome").get_attribute("data-outcome") == "discouraged"
    summary = page.locator("#ask-summary").inner_text()
    assert "Which account do you use?" in summary and "My own account" in summary
    page.locator('#ask-summary button.ask-change[data-fact="account"]').click()
    assert page.locator("#ask-outcome").count() == 0  # the question is back, the answer waits for it
    assert page.locator(f"#ask-current input[data-value={json.dumps(json.dumps('personal'))}]").is_checked()
    answer(page, "district")
    assert page.locator("#ask-outcome").get_attribute("data-outcome") == "permitted"
    assert "A District account" in page.locator("#ask-summary").inner_text()


def test_a_chip_can_be_removed_and_its_question_comes_back(page: Page, base_url: str) -> None:
    open_ask(page, base_url)
    type_question(page, "Can I text a student happy birthday from my cell phone?")
    chips = page.locator("#ask-understood .ask-chip-change").all_inner_texts()
    assert chips == ["you send a message", "it goes by text message", "it reaches a student",
                     "it is personal", "you use a personal device"]
    answer(page, "teacher")
    assert page.locator("#ask-outcome").get_attribute("data-outcome") == "prohibited"
    page.locator('#ask-understood .ask-chip-remove[data-fact="purpose"]').click()
    assert "it is personal" not in page.locator("#ask-understood").inner_text()
    assert page.locator("#ask-outcome").count() == 0
    asked = {}
    while page.locator("#ask-current form.ask-form").count():
        fact = page.locator("#ask-current form").get_attribute("data-fact")
        title = page.locator("#ask-current h2").inner_text()
        asked[title] = answer(page, {"purpose": "school_business", "account": "personal"}[fact])
    assert asked["Is it about school, a team or club, or personal?"] == "purpose"
    assert page.locator("#ask-outcome").get_attribute("data-outcome") == "discouraged"


def test_two_audiences_ticked(page: Page, base_url: str) -> None:
    open_ask(page, base_url)
    type_question(page, "Can I e-mail the team schedule from my Gmail?")
    answer(page, "coach")
    assert page.locator("#ask-current h2").inner_text() == "Who is it for?"
    answer(page, ["student", "parent_guardian"])
    assert page.locator("#ask-outcome").get_attribute("data-outcome") == "discouraged"
    request = json.loads(unquote(urlparse(page.url).fragment)[len("request="):])
    assert request["audience"] == ["student", "parent_guardian"]
    assert "A student; A parent or guardian" in page.locator("#ask-summary").inner_text()


def test_a_shared_link_carries_the_request_only(page: Page, base_url: str) -> None:
    open_ask(page, base_url)
    typed = "Can I DM a student on Instagram from my own phone about the volleyball tournament?"
    type_question(page, typed)
    answer(page, "coach")
    answer(page, "personal")
    assert page.locator("#ask-outcome").get_attribute("data-outcome") == "discouraged"
    link = page.locator("#ask-share").get_attribute("href")
    assert _typed_words_in(link, typed) == [] and "volleyball" not in unquote(link)
    request = json.loads(unquote(link)[len("#request="):])
    assert set(request) <= {f.path.split(".")[0] for f in VOCABULARY.facts}
    shown = page.locator("#ask-answer").inner_text()
    other = page.context.new_page()
    other.goto(f"{base_url}ask.html{link}")
    assert other.locator("#ask-answer").inner_text() == shown
    assert other.locator("#ask-words").input_value() == ""
    other.close()


def test_the_answer_speaks_to_staff(page: Page, base_url: str) -> None:
    open_ask(page, base_url)
    type_question(page, "Can I text a student happy birthday from my cell phone?")
    answer(page, "teacher")
    explanation = page.locator("#ask-explanation")
    assert not re.search(r"\b[a-z-]+\.[a-z-]+\b", explanation.inner_text()), explanation.inner_text()
    assert explanation.locator("a").count() >= 1
    quotes = page.locator("#ask-answer blockquote p:first-child").all_inner_texts()
    assert quotes and all(q.startswith("“") and not q.startswith("“-") for q in quotes), quotes
    assert "JSON" not in page.locator("#ask-answer").inner_text()
    assert not page.locator("#ask-copy").is_visible() and not page.locator("#ask-json").is_visible()
    page.locator("#ask-developer summary").click()
    assert page.locator("#ask-copy").is_visible()
    assert json.loads(page.locator("#ask-json").input_value())["purpose"] == "personal"


def _serious(page: Page) -> dict:
    page.wait_for_timeout(400)  # the theme's back-to-top button fades in after a scroll up
    results = Axe().run(page)
    return {v["id"]: v["nodes"][0]["target"] for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")}


@pytest.mark.parametrize(("viewport", "scheme"),
                         [(DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light"), (PHONE, "dark")],
                         ids=["desktop-light", "desktop-dark", "phone-light", "phone-dark"])
def test_every_step_is_accessible_and_the_answer_is_on_the_first_screen(browser: Browser, base_url: str,
                                                                       viewport: dict, scheme: str) -> None:
    context, outside = _context(browser, base_url, viewport=viewport, color_scheme=scheme)
    tab = context.new_page()
    open_ask(tab, base_url)
    steps = {"start": _serious(tab)}
    type_question(tab, "Can I text a student about tomorrow's field trip from my personal phone?")
    steps["read"] = _serious(tab)
    for value in ("teacher", "personal"):
        fact = answer(tab, value)
        steps[fact] = _serious(tab)
    assert tab.locator("#ask-outcome").get_attribute("data-outcome") == "discouraged"
    box = tab.locator("#ask-outcome").bounding_box()
    header = tab.locator(".md-header").bounding_box()
    assert box is not None and header is not None
    assert header["height"] <= box["y"] and box["y"] + box["height"] <= viewport["height"], box
    tab.locator('#ask-summary button.ask-change[data-fact="account"]').click()
    steps["change"] = _serious(tab)
    context.close()
    assert outside == []
    assert steps == {step: {} for step in steps}


VERDICT_WORDS = ("Permitted", "Allowed, but discouraged", "Needs approval first", "Prohibited", "Depends on facts")
INFORMATION = [q for q in QUESTIONS.values() if q.is_information]


def test_questions_for_information_are_answered_in_words(page: Page, base_url: str) -> None:
    """Every question for information of the corpus, typed and answered as asked: the answer is
    a lead and the notice the corpus names, in words, never a verdict word."""
    policy = policykit.load_policy()
    assert len(INFORMATION) >= 15
    wrong = {}
    for question in INFORMATION:
        open_ask(page, base_url)
        outcome, _ = interview(page, question)
        shown = page.locator("#ask-answer").inner_text()
        notice = next(n for n in policy.decide(question.request).notices if n.clause == question.information.notice)
        said = page.locator("#ask-explanation").get_attribute("data-clause")
        source = page.locator("#ask-answer .ask-source a")
        href = source.get_attribute("href") if source.count() else ""
        if (outcome != "information" or any(word in shown for word in VERDICT_WORDS) or notice.text[1:] not in shown
                or not (href or "").endswith(f"#{question.information.notice}")):
            wrong[question.id] = (outcome, said, href, shown[:160])
    assert wrong == {}


def test_a_question_for_information_whose_notice_does_not_apply_says_so(page: Page, base_url: str) -> None:
    """Asked whether the District can monitor a post from one's own phone at home: the monitoring
    notices do not reach it, and the answer says so in words, naming them, before what the policy
    says about doing it."""
    open_ask(page, base_url)
    type_question(page, "Can the District monitor what I post from my own phone at home?")
    for value in ("teacher", "personal", "other", "personal", ["community"]):
        assert page.locator("#ask-outcome").count() == 0  # no verdict while the notice may still come
        answer(page, value)
    heading = page.locator("#ask-outcome")
    assert heading.inner_text() == "The policy’s notices on this do not apply to what you described."
    assert heading.get_attribute("data-outcome") == "permitted"
    links = page.locator("#ask-no-notice a")
    assert links.all_inner_texts() == ["The District may monitor its systems",
                                       "Monitoring and Freedom of Information Act disclosure"]
    assert [h.split("#")[-1] for h in links.evaluate_all("(ls) => ls.map(l => l.href)")] == [
        "monitoring.district-systems", "communications.monitoring-and-foia"]
    assert "If you go ahead: permitted" in page.locator("#ask-answer h3").all_inner_texts()


def test_the_home_page_asks_no_question_for_information_with_a_verdict(page: Page, base_url: str) -> None:
    """The home page's questions staff ask most: none that reads as a question for information is
    answered with a verdict word (those are answered in words on the Common questions page)."""
    page.goto(f"{base_url}index.html")
    items = page.locator("#questions-staff-ask-most + ul li").all_inner_texts()
    assert len(items) >= 5
    open_ask(page, base_url)
    asks = [item.split(" — ")[0] for item in items]
    informative = page.evaluate("(texts) => texts.map(t => window.policykit.understand(t).information.length > 0)",
                                asks)
    assert [item for item, info in zip(items, informative) if info and any(w in item for w in VERDICT_WORDS)] == []
    page.goto(f"{base_url}questions.html")
    for question in INFORMATION:
        card = page.locator(f"#information-{question.id}")
        text = card.text_content() if card.count() else ""  # the card is folded: its text, shown or not
        assert card.count() == 1 and question.information.lead + ":" in text, question.id
        assert not any(word in text for word in VERDICT_WORDS), (question.id, text)

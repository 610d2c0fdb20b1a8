"""The words the answers are given in (``policykit.core.messages``, ``schema/messages.yaml``):
checked against their schema when loaded, and declared once, so that changing a sentence in the
file, and nothing else, changes the answers of Python, the OPA bundle and the browser alike."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import policykit
from conftest import PROJECT_ROOT
from policykit.core.errors import PolicyError
from policykit.core.messages import check_messages, load_messages, messages_path, split_sentence

TEXT_A_STUDENT = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
                  "account": "personal", "audience": ["student"], "purpose": "personal", "as_of": "2026-01-05"}
VERDICT = '  verdict: "{verdict} under {clauses}."'
CHANGED = '  verdict: "{verdict}, and the clauses that say so are {clauses}."'


def test_the_shipped_messages_are_valid_and_every_outcome_has_its_words():
    messages, issues = check_messages()
    assert issues == []
    assert list(messages.outcomes) == ["permitted", "discouraged", "requires_approval", "prohibited", "undetermined"]
    assert {name: words.word for name, words in messages.outcomes.items()} == {
        "permitted": "Permitted", "discouraged": "Allowed, but discouraged",
        "requires_approval": "Needs approval first", "prohibited": "Prohibited",
        "undetermined": "Depends on facts not given yet"}
    assert all(words.verdict for name, words in messages.outcomes.items() if name != "undetermined")


def test_a_sentence_is_kept_as_literal_parts_and_value_names():
    assert split_sentence("Not yet: first {duties}.") == ("Not yet: first ", "duties", ".")
    messages = load_messages()
    assert messages.fill("not_yet", duties="a; and b") == "Not yet: first a; and b."
    assert messages.to_data()["sentences"]["not_yet"] == ["Not yet: first ", {"value": "duties"}, "."]
    assert messages.clause_names(["A", "B", "C"]) == "A, B and C"
    assert messages.duty(None, "monitor the site") == "Provided you monitor the site."


def test_a_broken_messages_file_is_reported_where_it_is_broken(tmp_path: Path):
    text = messages_path().read_text(encoding="utf-8")
    broken = tmp_path / "messages.yaml"
    broken.write_text(text.replace("Not yet: first {duties}.", "Not yet: first {duty}.")
                      .replace('    short: "requires approval"\n', ""), encoding="utf-8")
    messages, issues = check_messages(broken, "messages.yaml")
    assert messages is None
    lines = broken.read_text(encoding="utf-8").splitlines()
    assert [(issue.line, issue.code, issue.message) for issue in issues] == [
        (lines.index("  requires_approval:") + 2, "missing-field", "missing required field 'short'"),
        (lines.index('  not_yet: "Not yet: first {duty}."') + 1, "pattern",
         "'Not yet: first {duty}.': in braces, not_yet may name only {duties} (write no other brace)"),
    ]
    with pytest.raises(PolicyError):
        load_messages(broken)


# ------------------------------------------------------------------ one edit, every evaluator

def _copy_project(root: Path) -> None:
    """The project's tracked files that answer questions: the code (the browser's interpreter
    included), the schemas (and messages), the policy and the readings list."""
    listed = subprocess.run(["git", "-C", str(PROJECT_ROOT), "ls-files", "-co", "--exclude-standard"],
                            check=True, capture_output=True, text=True).stdout.splitlines()
    for name in listed:
        if name.split("/")[0] in ("src", "schema", "policy", "questions"):
            source = PROJECT_ROOT / name
            if source.is_file():
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, root / name)


def _run(root: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "POLICYKIT_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> Path:
    """A copy of the project whose verdict sentence was reworded in schema/messages.yaml only;
    its answers: Python's (the command line's JSON), an exported bundle and the browser's data."""
    root = tmp_path_factory.mktemp("messages") / "project"
    _copy_project(root)
    words = root / "schema" / "messages.yaml"
    text = words.read_text(encoding="utf-8")
    assert text.count(VERDICT) == 1
    words.write_text(text.replace(VERDICT, CHANGED), encoding="utf-8")
    (root / "request.json").write_text(json.dumps(TEXT_A_STUDENT), encoding="utf-8")
    (root / "python.json").write_text(_run(root, "-m", "policykit", "decide", "request.json", "--format", "json"),
                                      encoding="utf-8")
    _run(root, "-m", "policykit", "export", "rego", "bundle", "--as-of", "2026-01-05")
    _run(root, "-c", "import policykit, pathlib; from policykit.publishing.ask import ask_script; "
                     "pathlib.Path('data.js').write_text(ask_script(policykit.load_policy()), encoding='utf-8')")
    assert "src/policykit" in _run(root, "-c", "import policykit; print(policykit.__file__)").replace(os.sep, "/")
    return root


def _expected_start(policy: policykit.Policy) -> str:
    """The reworded verdict sentence, filled as the shipped policy names its clauses."""
    decision = policy.decide(TEXT_A_STUDENT)
    assert decision.outcome == "prohibited"
    names = policy.messages.clause_names([policy.messages.fill("clause_name", title=r.title, id=r.id)
                                          for r in decision.reasons])
    return f"This is prohibited, and the clauses that say so are {names}."


def test_python_answers_in_the_changed_words(changed: Path):
    policy = policykit.load_policy()
    python = json.loads((changed / "python.json").read_text(encoding="utf-8"))
    assert python["explanation"].startswith(_expected_start(policy))
    assert " under “" not in python["explanation"]
    shipped = policy.decide(TEXT_A_STUDENT, alternatives=True).to_dict()
    assert {k: v for k, v in python.items() if k not in ("explanation", "decision_id")} == \
        {k: v for k, v in shipped.items() if k not in ("explanation", "decision_id")}


def test_the_bundle_answers_in_the_changed_words(changed: Path):
    regopy = pytest.importorskip("regopy")
    from policykit.publishing.rego import ENTRYPOINT, load_bundle_into

    interpreter = regopy.Interpreter()
    load_bundle_into(interpreter, changed / "bundle")
    interpreter.set_input(TEXT_A_STUDENT)
    document = interpreter.query_bundle_entrypoint(interpreter.build(None, [ENTRYPOINT]), ENTRYPOINT).results[0] \
        .expressions[0]
    python = json.loads((changed / "python.json").read_text(encoding="utf-8"))
    assert document["explanation"] == python["explanation"]
    assert document["explanation"].startswith(_expected_start(policykit.load_policy()))


def test_the_browser_answers_in_the_changed_words(changed: Path):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    page_dir = changed / "page"
    page_dir.mkdir(exist_ok=True)
    shutil.copy(changed / "data.js", page_dir / "data.js")
    shutil.copy(changed / "src" / "policykit" / "publishing" / "browser" / "policykit.js", page_dir / "policykit.js")
    (page_dir / "index.html").write_text('<!doctype html><meta charset="utf-8"><title>evaluator</title>'
                                         '<script src="data.js"></script><script src="policykit.js"></script>',
                                         encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto((page_dir / "index.html").as_uri())
            document = page.evaluate("(r) => window.policykit.decide(r)", TEXT_A_STUDENT)
        finally:
            browser.close()
    python = json.loads((changed / "python.json").read_text(encoding="utf-8"))
    assert document["explanation"] == python["explanation"]
    assert document["explanation"].startswith(_expected_start(policykit.load_policy()))

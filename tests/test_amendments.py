"""The policy as a living document, end to end.

On a temporary git copy of the project, a branch adopts what tests/fixtures/amendments/ holds,
as a board editor would: future-dated versions of three clauses (a wording-only change, a
stricter rule, "are expected to" becoming "shall") and a new clause, all in force from 2027-09-01, with
their examples dated in that range. Then, through the one clock seam (``POLICYKIT_TODAY``), both
before and after that date: the policy validates; coverage, mutants, the site build and
``mkdocs build --strict`` pass; the pull request's diff script shows the amendment's impact
under its date; the site shows each upcoming text with its date (and, later, in force, with the
earlier text in its history); and the project's own tests that read the policy pass on the copy.

The copy's commands run in subprocesses with ``PYTHONPATH`` on the copy's ``src/``, so the
package reads the copy's policy, scenarios and schemas, as it would in the editor's checkout."""

from __future__ import annotations

import itertools
import os
import random
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

import policykit
from amend import WORKED, WORKED_EFFECTIVE, WORKED_NEW_CLAUSE, amend_worked
from conftest import PROJECT_ROOT
from policykit.authoring import diff
from policykit.core.vocabulary import load_vocabulary

FIXTURE = WORKED
EFFECTIVE = date.fromisoformat(WORKED_EFFECTIVE)
#: A day before and a day after the amendment takes effect: "today" for the copy's commands.
BEFORE, AFTER = (EFFECTIVE - timedelta(days=1)).isoformat(), (EFFECTIVE + timedelta(days=1)).isoformat()
CHANGED = ("relationships.sexualized-dialogue", "relationships.texting-and-calling",
           "social-media.professional-judgment")
NEW = WORKED_NEW_CLAUSE
#: The project's tests that read the shipped policy, scenarios, questions or site: they run on the copy.
POLICY_TESTS = ("tests/test_features.py", "tests/test_coverage.py", "tests/test_scenarios.py",
                "tests/test_readings.py", "tests/test_corpus.py", "tests/test_questions.py",
                "tests/test_site.py", "tests/test_loader.py", "tests/test_lint.py", "tests/test_mutate.py",
                "tests/test_phrases.py", "tests/test_alternatives.py")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.email=editor@example.org", "-c",
                           "user.name=editor", *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A git copy of the project's files: ``main`` as shipped, ``amend`` checked out with the fixture."""
    root = tmp_path_factory.mktemp("amendments") / "project"
    listed = subprocess.run(["git", "-C", str(PROJECT_ROOT), "ls-files", "-co", "--exclude-standard"],
                            check=True, capture_output=True, text=True).stdout.splitlines()
    for name in listed:
        source = PROJECT_ROOT / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "as shipped")
    _git(root, "checkout", "-qb", "amend")
    amend_worked(root / "policy", root / "features")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", f"Amendment in force from {EFFECTIVE.isoformat()}")
    return root


def _env(repo: Path, today: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(repo / "src"), "POLICYKIT_TODAY": today, "POLICYKIT_NO_CACHE": "1",
            "POLICYKIT": str(Path(sys.executable).parent / "policykit")}


def _run(repo: Path, today: str, *command: str, timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(list(command), cwd=repo, env=_env(repo, today), capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)} as of {today}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _policykit(repo: Path, today: str, *args: str) -> subprocess.CompletedProcess:
    return _run(repo, today, sys.executable, "-m", "policykit", *args)


@pytest.mark.parametrize("today", [BEFORE, AFTER])
def test_the_amended_project_passes_its_checks(repo, today, tmp_path):
    clauses = len(list((repo / "policy" / "clauses").glob("*.yaml")))
    assert f"{clauses} clauses" in _policykit(repo, today, "validate").stdout
    coverage = _policykit(repo, today, "coverage").stdout
    assert "0 failing scenarios" in coverage
    assert re.search(r"(\d+) of \1 clause versions with rules fully covered", coverage)
    mutants = _policykit(repo, today, "mutate", "--quiet").stdout
    assert re.fullmatch(r"all \d+ mutants killed by \d+ scenarios\n", mutants), mutants
    _policykit(repo, today, "site", "build")
    _run(repo, today, sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
         "--site-dir", str(tmp_path / "site"))


def _clause_page(repo: Path, clause: str) -> str:
    """The generated Markdown of one clause: its part of its section's page."""
    anchor = f"{{#{clause}}}"
    for page in (repo / "build" / "docs" / "sections").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        if anchor in text:
            part = text[text.index(anchor):]
            following = part.find("\n## ", 1)
            return part if following < 0 else part[:following]
    raise AssertionError(f"no page holds {clause}")


def test_the_site_shows_each_upcoming_text_with_its_date_then_in_force_with_its_history(repo):
    versions = {name.stem: name.read_text(encoding="utf-8") for name in (FIXTURE / "versions").glob("*.yaml")}
    words = {"relationships.sexualized-dialogue": "by text message, via the",
             "relationships.texting-and-calling": "whatever the purpose",
             "social-media.professional-judgment": "Employees shall exercise professional judgment"}
    assert all(words[c] in versions[c] for c in CHANGED)
    _policykit(repo, BEFORE, "site", "build")
    assert "Not yet in force: this clause takes effect on September 1, 2027." in _clause_page(repo, NEW)
    for clause in CHANGED:
        page = _clause_page(repo, clause)
        upcoming = page[page.index('!!! info "Upcoming: takes effect September 1, 2027"'):]
        assert "it takes effect on September 1, 2027 (2027-09-01)" in upcoming, clause
        assert words[clause].split(",")[0] in " ".join(upcoming.split()), clause
    _policykit(repo, AFTER, "site", "build")
    for clause in CHANGED:
        page = _clause_page(repo, clause)
        assert "Upcoming" not in page, clause
        assert words[clause].split(",")[0] in " ".join(page.split()), clause
        assert f'<span id="{clause}--2015-11-18"></span>**November 18, 2015** until ' in page
        assert f'<span id="{clause}--2027-09-01"></span>**September 1, 2027** (in force)' in page
    new = _clause_page(repo, NEW)
    assert "Employees may not post content addressed to students" in new and "Not yet in force" not in new


def test_the_pull_request_report_shows_the_amendment_under_its_date(worked_amendment):
    """The report ``scripts/pr-diff`` prints (``review.to_markdown``; the script itself is run in
    tests/test_diff.py on a smaller amendment), from the session's review of the fixture: compared
    on the day before and on every later effective date of either side (read from the files), with
    the amendment under its date and nothing on the day before."""
    from policykit.authoring import review

    out = review.to_markdown(worked_amendment.review)
    later = sorted({d for side in (worked_amendment.old, worked_amendment.new)
                    for d in side.policy.document.effective_dates() if d > worked_amendment.old.day})
    days = ", ".join([f"today ({worked_amendment.old.day.isoformat()})", *(d.isoformat() for d in later)])
    assert f"Compared as in force on: {days}." in out
    today, rest = out.split(f"### From {EFFECTIVE.isoformat()}")
    section = rest.split("\n### From ")[0]
    assert "No clause text or rule changes." in today
    for title in ("No sexualized dialogue with students", "No personal texting or calling with students",
                  "Use professional judgment when posting", "No posts to students from personal accounts"):
        assert title in section, title
    assert "questions change**" in section and "**Who is affected**" in section and "##### Outcome changes" in section
    counts = re.search(r"The outcome changes for ([\d,]+) of ([\d,]+) requests", section)
    assert counts is not None and int(counts.group(1).replace(",", "")) > 0


@pytest.fixture(scope="module")
def amended(worked_amendment) -> tuple[diff.Side, diff.Side, diff.PolicyDiff]:
    """Both sides as in force on the effective date, and the diff's report over the full space
    (from the session's review: computed once)."""
    old = diff.Side("main", worked_amendment.old.policy, EFFECTIVE)
    new = diff.Side("amend", worked_amendment.new.policy, EFFECTIVE)
    return old, new, worked_amendment.dated(EFFECTIVE).report


def test_every_request_matching_an_amendment_pattern_changes_as_it_says(amended):
    """Patterns over the full request space; requests drawn at random from each (written from the
    vocabulary, not with the diff's units) are decided by ``Policy.decide`` on both sides: each
    changes as its pattern says (outcome or not, both outcomes, and the reasons, obligations and
    notices the pattern names for one side only)."""
    from test_diff import _change, _matches, _sample

    old, new, report = amended
    assert report.outcome_changes > 0 and report.other_changes > 0
    changed = {c.clause for c in report.changes if c.rule_added or c.rule_removed}
    assert changed == {"relationships.texting-and-calling", "social-media.professional-judgment", NEW}
    rng = random.Random(2027)
    flips = sorted(report.flips, key=lambda f: -f.count)
    for flip in flips[:60] + rng.sample(flips[60:], min(140, max(0, len(flips) - 60))):
        for _ in range(4):
            request = _sample(flip, rng)
            assert _matches(flip, request)
            a, b = old.policy.decide(request, as_of=EFFECTIVE), new.policy.decide(request, as_of=EFFECTIVE)
            assert _change(a, b) == ("outcome" if flip.outcome_changed else "other"), (flip.pattern, request)
            assert _delta_holds(flip.delta, a, b, changed), (flip.pattern, flip.delta, request)
        assert _matches(flip, flip.example)


def _delta_holds(delta: diff.Delta, a, b, changed: set[str]) -> bool:
    """Whether two decisions differ as ``delta`` says (see ``diff.Delta``): with the same outcome,
    the reasons only one side has; with another outcome, each side's reasons among the clauses
    whose rule changed."""
    ka, kb = _key(a), _key(b)
    state = {True: "met", False: "unmet", None: "open"}
    oa = [(c, t, state[m]) for c, t, m in ka[2]]
    ob = [(c, t, state[m]) for c, t, m in kb[2]]
    if (a.outcome, b.outcome) != (delta.old_outcome, delta.new_outcome):
        return False
    if a.outcome == b.outcome:
        reasons = (tuple(r for r in ka[1] if r not in kb[1]), tuple(r for r in kb[1] if r not in ka[1]))
    else:
        reasons = (tuple(r for r in ka[1] if r in changed), tuple(r for r in kb[1] if r in changed))
    return (reasons == (delta.old_reasons, delta.new_reasons)
            and sorted(_only(oa, ob)) == sorted(delta.old_obligations)
            and sorted(_only(ob, oa)) == sorted(delta.new_obligations)
            and sorted(_only(ka[3], kb[3])) == sorted(delta.old_notices)
            and sorted(_only(kb[3], ka[3])) == sorted(delta.new_notices))


def _only(items, other) -> list:
    rest = list(other)
    found = []
    for item in items:
        if item in rest:
            rest.remove(item)
        else:
            found.append(item)
    return found


#: A reduced request space, every value of the facts below and the rest fixed, for the brute force.
REDUCED = {
    "actor.role": ["teacher"],
    "channel": ["email", "text_message", "phone", "social_media", "letter", None],
    "account": ["district", "personal", None],
    "device": [None], "network": [None], "location": [None],
    "audience": [None, [], ["student"], ["parent_guardian"], ["student", "parent_guardian"]],
    "content": [[], ["sexualized"]], "effects": [[]], "site": [False],
    "confidentiality_uncertain": [False], "supervisor_consulted": [False], "interferes_with_duties": [False],
    "disclaimer_or_alias": [False],
    "seen_by": [None],
}


def test_the_amendments_impact_counts_equal_a_brute_force(repo):
    """As in force on the effective date: the diff's counts over a reduced space (every action,
    purpose and family flag; six channels, three accounts, five audiences, two contents) equal
    plain loops of ``Policy.decide`` on both sides over the same space."""
    old = policykit.load_policy(PROJECT_ROOT / "policy")
    new = policykit.load_policy(repo / "policy")
    report = diff.diff(diff.Side("main", old, EFFECTIVE), diff.Side("amend", new, EFFECTIVE), fixed=REDUCED)
    vocabulary = load_vocabulary()
    counts = {"outcome": 0, "other": 0}
    total = 0
    for action, channel, account, audience, family, purpose, content in itertools.product(
            vocabulary["action"].value_names, REDUCED["channel"], REDUCED["account"], REDUCED["audience"],
            [False, True], [*vocabulary["purpose"].value_names, None], REDUCED["content"]):
        request = {"actor": {"role": "teacher"}, "action": action, "audience_is_family": family, "content": content}
        for name, value in (("channel", channel), ("account", account), ("audience", audience), ("purpose", purpose)):
            if value is not None:
                request[name] = value
        total += 1
        a, b = old.decide(request, as_of=EFFECTIVE), new.decide(request, as_of=EFFECTIVE)
        if a.outcome != b.outcome:
            counts["outcome"] += 1
        elif _key(a) != _key(b):
            counts["other"] += 1
    assert report.requests == total
    assert (report.outcome_changes, report.other_changes) == (counts["outcome"], counts["other"])
    assert counts["outcome"] > 0


def _key(decision) -> tuple:
    return (decision.outcome, tuple(r.id for r in decision.reasons),
            tuple(sorted((o.clause, o.text, o.met) for o in decision.obligations)),
            tuple(sorted((n.clause, n.text) for n in decision.notices)))


def test_the_projects_policy_tests_pass_on_the_amended_copy(repo):
    """The tests that read the policy, its scenarios, questions and site pass on the amended copy,
    before and after the effective date: nothing in them pins the 2015 text or today's date. The
    two runs go side by side (one per core)."""
    tests = [t for t in POLICY_TESTS if (repo / t).is_file()]
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    runs = {today: subprocess.Popen(command, cwd=repo, env=_env(repo, today), stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True) for today in (BEFORE, AFTER)}
    try:
        outputs = {today: run.communicate(timeout=900)[0] for today, run in runs.items()}
    finally:
        for run in runs.values():
            run.kill()
    for today, run in runs.items():
        assert run.returncode == 0, f"as of {today}:\n{outputs[today][-4000:]}"
        assert re.search(r"\d+ passed", outputs[today]) and "failed" not in outputs[today], outputs[today][-2000:]

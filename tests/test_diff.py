"""Semantic diff: the redline, rule lines in the phrasebook's words, corrections checked, and the
exhaustive impact on the compiled engine, checked against ``Policy.decide``."""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

import policykit
from amend import amend_texting
from conftest import PROJECT_ROOT
from policykit.authoring import diff
from policykit.core.request import fact_value
from policykit.core.vocabulary import load_vocabulary
from policykit.interfaces.cli import main

DAY = date(2026, 1, 5)
EMAIL = "communications.district-email.yaml"
EXCLUDED = "not: {fact: channel, in: [in_person, letter, phone]}"
CORRECTION = """      - date: "2026-12-03"
        kind: reading
        reason: "Text messages are read as outside the clause."
"""


def _copy(tmp: Path, edit) -> Path:
    root = tmp / "policy"
    shutil.copytree(PROJECT_ROOT / "policy", root)
    path = root / "clauses" / EMAIL
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def _texting_excluded(text: str, correction: str = CORRECTION) -> str:
    assert EXCLUDED in text
    text = text.replace(EXCLUDED, "not: {fact: channel, in: [in_person, letter, phone, text_message]}")
    return text.rstrip("\n") + "\n" + correction


@pytest.fixture(scope="module")
def texting(tmp_path_factory) -> tuple[diff.Side, diff.Side]:
    """district-email's exclusions gain text_message, as a reading correction."""
    root = _copy(tmp_path_factory.mktemp("texting"), _texting_excluded)
    return (diff.Side("old", policykit.load_policy(), DAY), diff.Side("new", policykit.load_policy(root), DAY))


@pytest.fixture(scope="module")
def report(texting) -> diff.PolicyDiff:
    return diff.diff(*texting)


def _key(decision) -> tuple:
    return (decision.outcome, tuple(r.id for r in decision.reasons),
            tuple(sorted((o.clause, o.text, o.met) for o in decision.obligations)),
            tuple(sorted((n.clause, n.text) for n in decision.notices)))


def _change(a, b) -> str | None:
    """'outcome' when the outcome differs, 'other' when only reasons, obligations or notices do."""
    ka, kb = _key(a), _key(b)
    if ka[0] != kb[0]:
        return "outcome"
    return "other" if ka != kb else None


def test_the_missed_flip_is_reported(report, texting):
    """Texting a student from a personal account on school business: district-email excused it no
    longer, and only texting-and-calling (a clause the change does not touch) reads the purpose."""
    old, new = texting
    request = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
               "account": "personal", "audience": ["student"], "purpose": "school_business"}
    assert old.policy.decide(request, as_of=DAY).outcome == "discouraged"
    assert new.policy.decide(request, as_of=DAY).outcome == "permitted"
    matching = [f for f in report.flips if _matches(f, request)]
    assert len(matching) == 1
    [flip] = matching
    assert flip.outcome_changed and flip.old.startswith("allowed, but discouraged") and flip.new == "permitted"
    assert "it goes by text message" in flip.pattern and "it reaches a student" in flip.pattern
    assert report.outcome_changes > 0 and report.other_changes > 0
    assert "purpose" in report.facts and "content" in report.facts


def test_rule_lines_are_in_the_phrasebooks_words(report):
    [change] = report.changes
    assert change.status == "corrected"
    assert change.rule_added == (
        "when I send a message or I make or take a call or I post something or I connect with someone online, "
        "and it reaches a student, and not (it is face to face or it is a letter on paper or it is a phone call "
        "or it goes by text message), and not (I use a District account, and it goes by e-mail), and not (I use a "
        "District account, and not (it goes by e-mail)), and not (the site has been approved), "
        "and not (everyone it reaches is my own family): the answer is allowed, but discouraged",)
    for line in change.rule_added + change.rule_removed:
        assert "_" not in line and "audience" not in line
    assert [(n.kind, n.date.isoformat(), n.reason) for n in change.corrections] == [
        ("reading", "2026-12-03", "Text messages are read as outside the clause.")]
    text = diff.to_markdown(report)
    assert "- reading correction of 2026-12-03 (version of 2015-11-18): Text messages are read as outside" in text
    assert report.errors == ()


def _matches(flip: diff.Flip, request: dict) -> bool:
    for fact, item, allowed in flip.where:
        value = fact_value(request, fact)
        if item:
            if (item in (value or [])) not in allowed:
                return False
        elif load_vocabulary()[fact].kind == "object":
            if (value is not None) not in allowed:
                return False
        elif load_vocabulary()[fact].kind == "list":
            if ("given" if value is not None else None) not in allowed:
                return False
        elif value not in allowed and not (value is None and False in allowed
                                            and not load_vocabulary()[fact].open):
            return False
    return True


def _sample(flip: diff.Flip, rng: random.Random) -> dict:
    """A random request of the whole request space matching the flip's conditions (written here,
    from the vocabulary, not with the diff's own units)."""
    vocabulary = load_vocabulary()
    allowed = {(fact, item): states for fact, item, states in flip.where}
    request: dict = {}
    site = allowed.get(("site", ""), (False, True))
    has_site = rng.choice(site)
    for fact in vocabulary.facts:
        if fact.kind in ("date", "object"):
            continue
        *parents, leaf = fact.path.split(".")
        if parents == ["site"] and not has_site:
            continue
        target = request
        for part in parents:
            target = target.setdefault(part, {})
        if fact.kind == "list":
            given = allowed.get((fact.path, ""), ("given", None) if fact.open else ("given",))
            if rng.choice(given) is None:
                continue
            target[leaf] = [v for v in fact.value_names
                            if rng.choice(allowed.get((fact.path, v), (False, True)))]
            continue
        if fact.kind == "boolean":
            options = [True, False] + ([None] if fact.open else [])
        else:
            options = list(fact.value_names) + ([] if fact.required else [None])
        options = [o for o in options if o in allowed.get((fact.path, ""), options)]
        value = rng.choice(options)
        if value is not None:
            target[leaf] = value
    if has_site:
        request.setdefault("site", {})
    return request


def test_every_request_matching_a_pattern_flips_as_it_says(report, texting):
    old, new = texting
    rng = random.Random(13)
    for flip in report.flips:
        for _ in range(25):
            request = _sample(flip, rng)
            assert _matches(flip, request)
            a, b = old.policy.decide(request, as_of=DAY), new.policy.decide(request, as_of=DAY)
            assert _change(a, b) == ("outcome" if flip.outcome_changed else "other"), (flip.pattern, request)
            assert (a.outcome, b.outcome) == (_outcome(flip.old), _outcome(flip.new)), request
        assert _matches(flip, flip.example)


def _outcome(words: str) -> str:
    from policykit.authoring.words import OUTCOME_WORDS

    head = words.split(" (")[0].split(";")[0].split(", also under ")[0]
    return next(k for k, v in OUTCOME_WORDS.items() if v.lower() == head)


#: The reduced space of the brute force: every vocabulary value of the facts below, the rest fixed.
REDUCED = {
    "actor.role": ["teacher", "school_counselor"],
    "channel": ["email", "text_message", "phone", "social_media", None],
    "account": ["district", "personal", None],
    "device": [None], "network": [None], "location": [None],
    "audience": [None, [], ["student"], ["parent_guardian"], ["student", "parent_guardian"]],
    "content": [[], ["disrespectful"]], "effects": [[]], "site": [False],
    "confidentiality_uncertain": [False], "supervisor_consulted": [False], "interferes_with_duties": [False],
    "disclaimer_or_alias": [False],
    "seen_by": [None],
}


def test_counts_equal_a_brute_force_enumeration(texting):
    """The full request space (some 10^19 requests) is too large to decide one by one, so both the
    diff and this brute force are restricted to the same reduced space, still read by several
    clauses (district-email, texting-and-calling, respectful-speech, ...): every action and
    purpose, five channels, three accounts, five audiences, family or not, two contents. The brute
    force is plain loops through ``Policy.decide``."""
    old, new = texting
    report = diff.diff(old, new, fixed=REDUCED)
    counts = {"outcome": 0, "other": 0}
    total = 0
    vocabulary = load_vocabulary()
    for role, action, channel, account, audience, family, purpose, content in itertools.product(
            REDUCED["actor.role"], vocabulary["action"].value_names, REDUCED["channel"], REDUCED["account"],
            REDUCED["audience"], [False, True], [*vocabulary["purpose"].value_names, None], REDUCED["content"]):
        request = {"actor": {"role": role}, "action": action, "audience_is_family": family, "content": content}
        for name, value in (("channel", channel), ("account", account), ("audience", audience),
                            ("purpose", purpose)):
            if value is not None:
                request[name] = value
        total += 1
        change = _change(old.policy.decide(request, as_of=DAY), new.policy.decide(request, as_of=DAY))
        if change:
            counts[change] += 1
    assert report.requests == total == 2 * 7 * 5 * 3 * 5 * 2 * 5 * 2
    assert (report.outcome_changes, report.other_changes) == (counts["outcome"], counts["other"])
    assert counts["outcome"] > 0 and counts["other"] > 0


def test_no_change_means_no_impact():
    policy = policykit.load_policy()
    report = diff.diff(diff.Side("a", policy, DAY), diff.Side("b", policy, DAY))
    assert (report.changes, report.flips, report.errors) == ((), (), ())
    assert "No clause text or rule changes." in diff.to_markdown(report)


def test_corrections_are_checked(tmp_path):
    old = policykit.load_policy().document
    wording = """      - date: "2026-12-03"
        kind: wording
        reason: "A typo."
"""
    cases = {
        "none": (lambda t: _texting_excluded(t, ""), ["its rule changed in place without a new corrections entry"]),
        "wording-changes-rule": (lambda t: _texting_excluded(t, wording),
                                 ["a wording correction may not change the rule"]),
        "reading-changes-text": (lambda t: t.replace("Employees should not", "Employees should never")
                                 .rstrip("\n") + "\n" + CORRECTION, ["a reading correction may not change the text"]),
        "wording-fixes-text": (lambda t: t.replace("Employees should not", "Employees should never")
                               .rstrip("\n") + "\n" + wording, []),
    }
    for name, (edit, expected) in cases.items():
        new = policykit.load_policy(_copy(tmp_path / name, edit)).document
        notes, errors = diff.check_corrections(old, new)
        assert [e.split(": ", 1)[1].split(";")[0] for e in errors] == expected, name
        assert all(e.startswith("communications.district-email, version of 2015-11-18: ") for e in errors)
        assert len(notes) == (0 if name == "none" else 1)


def test_diff_cli_exits_non_zero_on_a_correction_error(tmp_path, capsys):
    root = _copy(tmp_path, lambda t: _texting_excluded(t, ""))
    assert main(["diff", str(PROJECT_ROOT / "policy"), str(root), "--as-of", "2026-01-05", "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["errors"] and "without a new corrections entry" in captured.err


def test_the_pull_request_diff_script_shows_a_future_amendment(tmp_path):
    """scripts/pr-diff on a git copy of the project, and ``diff --format json`` of the same
    revisions: a branch adopts, as an editor would, a version of texting-and-calling prohibiting
    texting and calling students for any purpose, from next term. The Markdown reports it under its
    date; the JSON names the clause and its date and counts the same outcome changes. The dates
    compared are read from the policy files."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("policy", "schema", "scripts", "features", "questions"):
        shutil.copytree(PROJECT_ROOT / name, repo / name)
    git = lambda *args: subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)  # noqa: E731
    git("init", "-q", "-b", "main")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "base")
    git("checkout", "-qb", "amend")
    shipped = policykit.load_policy()
    today = max([*shipped.document.effective_dates(), date(2026, 5, 31)]) + timedelta(days=1)
    effective = (today + timedelta(days=200)).isoformat()
    amend_texting(repo / "policy", effective)
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qam", "texting prohibited for any purpose")
    venv = Path(sys.executable).parent / "policykit"
    env = {**os.environ, "POLICYKIT_TODAY": today.isoformat(), "POLICYKIT": str(venv),
           "PYTHONPATH": str(PROJECT_ROOT / "src")}
    done = subprocess.run([str(repo / "scripts" / "pr-diff"), "main"], capture_output=True, text=True, env=env,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    days = [today.isoformat(), *sorted({d.isoformat() for d in shipped.document.effective_dates()
                                        if d > today} | {effective})]
    assert f"Compared as in force on: today ({days[0]}), {', '.join(days[1:])}." in out
    before, later = out.split(f"### From {effective}")
    later = later.split("\n### From ")[0]
    assert "No clause text or rule changes." in before.split(f"### Today, {today.isoformat()}")[1]
    assert "No personal texting or calling with students" in later and "**Who is affected**" in later
    assert "questions change**" in later and "“prohibited”" in later
    as_json = subprocess.run([str(venv), "diff", "--format", "json", "main", "amend", "--policy", str(repo / "policy")],
                             cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert [d["date"] for d in data["dates"]] == days
    [dated] = [d for d in data["dates"] if d["clauses"]]
    assert dated["date"] == effective
    assert [(c["clause"], c["effective"]) for c in dated["clauses"]] == [
        ("relationships.texting-and-calling", effective)]
    changed = dated["impact"]["outcome_changed"]
    assert changed > 0 and data["outcome_changed"] == changed
    assert f"The outcome changes for {changed:,} of {dated['impact']['requests']:,} requests" in later
    assert dated["questions"]["changed"] == len(dated["questions"]["list"]) > 0
    assert f"**{dated['questions']['changed']} of {dated['questions']['asked']} questions change**" in later


def test_a_term_no_request_can_make_true_is_never_at_stake(tmp_path):
    """district-email's rule, "not (District account and e-mail), and not (District account and not
    e-mail)", compiles to terms such as "e-mail and not e-mail", which no request makes true: the
    engine never counts them at stake, and neither may the diff's walk. With texting and calling
    prohibited for any purpose and every fact fixed but the channel and the account (teacher,
    message, audience not given, school business), the walk once left the account free where the
    channel is not given (7 outcome changes counted where ``Policy.decide`` finds 5): there the old
    answer is permitted with a District account and undetermined otherwise."""
    root = tmp_path / "policy"
    shutil.copytree(PROJECT_ROOT / "policy", root)
    shipped = policykit.load_policy()
    effective = max([*shipped.document.effective_dates(), date(2026, 12, 31)]) + timedelta(days=19)
    amend_texting(root, effective.isoformat())
    new = policykit.load_policy(root)
    fixed = {**REDUCED, "actor.role": ["teacher"], "action": ["message"], "audience": [None],
             "audience_is_family": [False], "purpose": ["school_business"], "content": [[]],
             "channel": ["email", "text_message", "phone", "social_media", "letter", None],
             "account": ["district", "personal", None]}
    report = diff.diff(diff.Side("old", shipped, effective), diff.Side("new", new, effective), fixed=fixed)
    changed = 0
    for channel, account in itertools.product(fixed["channel"], fixed["account"]):
        request = {"actor": {"role": "teacher"}, "action": "message", "audience_is_family": False, "content": [],
                   "purpose": "school_business"}
        request.update({k: v for k, v in (("channel", channel), ("account", account)) if v is not None})
        changed += shipped.decide(request, as_of=effective).outcome != new.decide(request, as_of=effective).outcome
    assert report.requests == 18
    assert report.outcome_changes == changed

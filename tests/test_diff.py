"""Semantic diff, and the worked amendment: one clause amended in a copy of the policy."""

from __future__ import annotations

import itertools
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

import policykit
from conftest import PROJECT_ROOT
from policykit.authoring import diff
from policykit.interfaces.cli import main
from reference import reference_decision

AMENDMENT = Path(__file__).parent / "fixtures" / "amendment" / "relationships.texting-and-calling.version.yaml"
BEFORE, AFTER = date(2026, 6, 1), date(2027, 2, 1)


@pytest.fixture(scope="module")
def amended(tmp_path_factory) -> Path:
    """A copy of the policy with relationships.texting-and-calling amended on 2027-01-15."""
    root = tmp_path_factory.mktemp("amended") / "policy"
    shutil.copytree(PROJECT_ROOT / "policy", root)
    meta = root / "policy.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('revisions: ["2015-11-18"]',
                                                             'revisions: ["2015-11-18", "2027-01-15"]'),
                    encoding="utf-8")
    clause = root / "clauses" / "relationships.texting-and-calling.yaml"
    clause.write_text(clause.read_text(encoding="utf-8") + AMENDMENT.read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sides(amended) -> tuple[diff.Side, diff.Side]:
    policy = policykit.load_policy(amended)
    return diff.Side(BEFORE.isoformat(), policy, BEFORE), diff.Side(AFTER.isoformat(), policy, AFTER)


def test_an_amendment_keeps_the_old_version_and_decisions_follow_the_date(sides):
    old, new = sides
    clause = old.policy.document.clause("relationships.texting-and-calling")
    assert [v.effective.isoformat() for v in clause.versions] == ["2015-11-18", "2027-01-15"]
    homework = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message",
                "account": "personal", "audience": ["student"], "purpose": "school_business"}
    assert old.policy.decide(dict(homework, as_of="2026-06-01")).outcome == "discouraged"
    later = old.policy.decide(dict(homework, as_of="2027-02-01"))
    assert (later.outcome, later.policy.revision) == ("prohibited", "2027-01-15")
    assert [r.id for r in later.reasons] == ["relationships.texting-and-calling"]
    assert later.reasons[0].text.startswith("- “Texting” or messaging students, whatever the purpose")


def test_the_report_shows_the_redline_and_the_rule_change(sides):
    report = diff.diff(*sides)
    [change] = report.changes
    assert (change.clause, change.status) == ("relationships.texting-and-calling", "changed")
    assert change.redline.startswith("- “Texting” ~~with~~ **or messaging** students, **whatever the purpose;** "
                                     "calling students on cell phones")
    assert change.rule_removed == ("when action is one of message, call and audience includes student and channel is "
                                   "one of text_message, messaging_app, phone, video_call and purpose is personal "
                                   "and not (audience_is_family is true): prohibited",)
    assert change.rule_added == (
        "when action is one of message, call and audience includes student and channel is one of text_message, "
        "messaging_app and not (audience_is_family is true): prohibited",
        "when action is one of message, call and audience includes student and channel is one of phone, video_call "
        "and purpose is personal and not (audience_is_family is true): prohibited")


def _brute_force(old: diff.Side, new: diff.Side, space: dict[str, list[object]]) -> set[str]:
    """Every request of the space whose decision changes, by the plain reference reading."""
    changed = set()
    names = list(space)
    for states in itertools.product(*(space[name] for name in names)):
        values = dict(zip(names, states))
        if not values.get("site", False) and any(n.startswith("site.") and v not in (None, False, [])
                                                 for n, v in values.items()):
            continue
        request: dict = {"actor": {"role": "teacher"}}
        for name, value in values.items():
            if value is None or name == "site":
                continue
            *parents, leaf = name.split(".")
            target = request
            for parent in parents:
                target = target.setdefault(parent, {})
            target[leaf] = value
        a = reference_decision(old.policy.document, request, old.day)
        b = reference_decision(new.policy.document, request, new.day)
        if (a.outcome, a.reasons, a.obligations) != (b.outcome, b.reasons, b.obligations):
            changed.add(json.dumps(request, sort_keys=True))
    return changed


def test_the_decision_impact_is_exactly_what_brute_force_finds(sides):
    old, new = sides
    report = diff.diff(old, new)
    space = diff.fact_space(old, new, report.changes)
    assert list(space) == ["action", "channel", "audience", "audience_is_family", "purpose"]
    found = {json.dumps(request, sort_keys=True) for request, _, _ in diff.flipped(old, new, space)}
    assert found == _brute_force(old, new, space)
    assert sum(flip.count for flip in report.flips) == len(found) == 28
    assert report.requests == 7 * 10 * 3 * 2 * 5


def test_flips_are_grouped_into_readable_patterns(sides):
    report = diff.diff(*sides)
    homework = [f for f in report.flips if f.old == "undetermined (communications.district-email)"
                and f.new == "prohibited (relationships.texting-and-calling)"]
    assert [(f.pattern, f.count) for f in homework] == [(
        ("I send a message or I make or take a call", "it goes by text message or it goes through a messaging app",
         "it reaches a student", "it reaches someone outside my family",
         "it is about school business or it is for an extracurricular activity"), 8)]
    text = diff.to_markdown(report)
    assert ("28 of 2,100 requests change (every combination of: action, channel, audience, audience_is_family, "
            "purpose).") in text


def test_no_change_means_no_impact():
    policy = policykit.load_policy()
    report = diff.diff(diff.Side("a", policy, BEFORE), diff.Side("b", policy, AFTER))
    assert (report.changes, report.flips) == ((), ())
    assert "No clause text or rule changes." in diff.to_markdown(report)


def test_the_site_shows_both_versions(amended, tmp_path):
    from policykit.authoring.scenarios import read_features
    from policykit.publishing.site import build_pages

    policy = policykit.load_policy(amended)
    scenarios, _ = read_features(PROJECT_ROOT / "features")
    build_pages(policy, scenarios[:3], tmp_path / "docs", day=AFTER)
    changelog = (tmp_path / "docs" / "changelog.md").read_text(encoding="utf-8")
    assert changelog.index("## January 15, 2027") < changelog.index("## November 18, 2015")
    assert "amended: Amended: texting or messaging students" in changelog
    section = (tmp_path / "docs" / "sections" / "relationships.md").read_text(encoding="utf-8")
    assert ("**November 18, 2015** until January 15, 2027 (earlier version): Text of the 2015-11-18 revision"
            in section and "**January 15, 2027** (in force): Amended:" in section)


def test_diff_cli_between_dates_directories_and_revisions(amended, capsys):
    assert main(["diff", "2026-06-01", "2027-02-01", "--policy", str(amended), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["impact"]["changed"] == 28 and data["clauses"][0]["clause"] == "relationships.texting-and-calling"
    assert main(["diff", str(PROJECT_ROOT / "policy"), str(amended), "--as-of", "2027-02-01"]) == 0
    assert "28 of 2,100 requests change" in capsys.readouterr().out
    assert main(["diff", "HEAD", str(PROJECT_ROOT / "policy")]) == 0
    assert capsys.readouterr().out.startswith("## Policy changes: HEAD → ")
    assert main(["diff", "no-such-revision", "HEAD"]) == 2
    assert "is neither a policy directory, a date (YYYY-MM-DD) nor a git revision" in capsys.readouterr().err


def test_an_adopted_amendment_shows_its_impact_before_it_takes_effect(amended, capsys, monkeypatch):
    """Between two policies the diff compares today and every later effective date: on
    2026-06-01 the 2027-01-15 amendment is not in force, yet its impact is reported."""
    monkeypatch.setenv("POLICYKIT_TODAY", "2026-06-01")
    assert main(["diff", str(PROJECT_ROOT / "policy"), str(amended)]) == 0
    out = capsys.readouterr().out
    assert "Compared as in force on: today, 2026-06-01, 2027-01-15." in out
    today, later = out.split("## From 2027-01-15")
    assert "No clause text or rule changes." in today
    assert "relationships.texting-and-calling" in later and "28 of 2,100 requests change" in later


def test_the_pull_request_diff_script_runs(tmp_path):
    import os
    import subprocess

    script = PROJECT_ROOT / "scripts" / "pr-diff"
    done = subprocess.run([str(script), "HEAD"], capture_output=True, text=True,
                          env={**os.environ, "POLICYKIT_TODAY": "2026-01-05"}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("## Policy changes: HEAD → HEAD")
    assert "Compared as in force on: today, 2026-01-05" in done.stdout

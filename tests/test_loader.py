"""The loader and validator: the shipped policy is valid and holds the clauses of
docs/semantics.md#clauses-and-kinds; every kind of mistake in a policy file is reported as
path:line:col: message, all at once, sorted."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import BROKEN, BROKEN_CASES, MINIMAL, MakePolicy, expected_lines

from policykit.core.conditions import All
from policykit.core.conditions import Test as FactTest
from policykit.core.errors import PolicyError, PolicyIssue
from policykit.core.loader import check_policy_dir, load_policy_dir
from policykit.core.model import Case, Clause, ClauseVersion, PolicyDocument
from policykit.core.values import FrozenInstanceError

#: The inventory of clauses (docs/semantics.md, "Clauses and kinds"): every clause id, in printed
#: order, with the kind of its version in force (professional judgment's reading makes it a
#: standard of conduct). The section is the part of the id before the dot.
CLAUSE_INVENTORY: tuple[tuple[str, str], ...] = (
    ("scope.purpose", "definition"),
    ("scope.definition", "definition"),
    ("relationships.personal-relationships", "prohibition"),
    ("relationships.peer-communication", "prohibition"),
    ("relationships.texting-and-calling", "prohibition"),
    ("relationships.inappropriate-images", "prohibition"),
    ("relationships.private-matters", "prohibition"),
    ("relationships.sexualized-dialogue", "prohibition"),
    ("communications.school-business-only", "recommendation"),
    ("communications.district-email", "recommendation"),
    ("communications.prohibited-content", "prohibition"),
    ("communications.respectful-speech", "obligation"),
    ("communications.harmful-statements", "recommendation"),
    ("communications.monitoring-and-foia", "notice"),
    ("social-media.self-expression", "permission"),
    ("social-media.disclaimers", "notice"),
    ("social-media.personal-responsibility", "notice"),
    ("social-media.professional-judgment", "standard"),
    ("social-media.student-conduct-images", "prohibition"),
    ("social-media.personal-liability", "notice"),
    ("social-media.confidentiality", "obligation"),
    ("social-media.district-equipment", "obligation"),
    ("approved-sites.prior-notice", "obligation"),
    ("approved-sites.parent-notification", "obligation"),
    ("approved-sites.content-monitoring", "obligation"),
    ("approved-sites.policy-compliance", "obligation"),
    ("approved-sites.prohibited-uses", "prohibition"),
    ("monitoring.definition", "definition"),
    ("monitoring.district-systems", "notice"),
    ("discipline.investigation", "notice"),
    ("discipline.permanence", "notice"),
    ("discipline.grounds", "prohibition"),
    ("discipline.consequences", "notice"),
)
SECTION_INVENTORY = ("scope", "relationships", "communications", "social-media", "approved-sites", "monitoring",
                 "discipline")


# --- the shipped policy ---------------------------------------------------------------------

def test_shipped_policy_has_no_issues(policy_root: Path) -> None:
    document, issues = check_policy_dir(policy_root)
    assert issues == []
    assert isinstance(document, PolicyDocument)


def test_shipped_policy_holds_exactly_the_clauses_of_the_spec(policy: PolicyDocument) -> None:
    """The inventory describes the 2015 revision: the clauses in force on 2026-01-05, with their kinds
    (a later amendment may add clauses or change a version's kind without breaking this)."""
    assert len(CLAUSE_INVENTORY) == 33
    day = date(2026, 1, 5)
    in_force = [(c, v) for c in policy.clauses if (v := c.version_on(day)) is not None]
    assert [(c.id, c.kind_of(v)) for c, v in in_force] == list(CLAUSE_INVENTORY)
    assert [(c.id, c.section) for c, _ in in_force] == [(i, i.split(".")[0]) for i, _ in CLAUSE_INVENTORY]
    assert [s.id for s in policy.sections] == list(SECTION_INVENTORY)
    assert [c for c in policy.clauses if c.version_on(day) is not None] == [
        policy.clause(i) for s in policy.sections for i in s.clause_ids if policy.clause(i).version_on(day)]


def test_shipped_policy_metadata(policy: PolicyDocument) -> None:
    assert (policy.title, policy.district, policy.adopted, policy.revisions[0]) == (
        "Use of Electronic Communications and Social Media", "Ledyard Public Schools",
        date(2012, 6, 20), date(2015, 11, 18))
    assert policy.time_zone == "America/New_York"  # the district's: a version takes effect at midnight there
    assert list(policy.revisions) == sorted(set(policy.revisions))  # later revisions follow, in order
    assert [r.citation for r in policy.references] == [
        "Conn. Gen. Stat. § 10-221", "Conn. Gen. Stat. § 31-48d", "Conn. Gen. Stat. § 31-51q",
        "Conn. Gen. Stat. §§ 53a-24 to 53a-323", "28 U.S.C. §§ 2510-2520"]
    ecpa = policy.references[-1]
    assert ecpa.text.startswith("28 U.S.C. 2510-2520")
    assert ecpa.note is not None and "18 U.S.C. 2510" in ecpa.note


def test_every_shipped_clause_is_in_force_from_the_seed_revision_only(policy: PolicyDocument) -> None:
    """The 2012 text is not on record: before 2015-11-18 there is no version, never the 2015 one.
    A clause of the inventory starts on 2015-11-18; later versions (amendments) only follow it."""
    spec = {i for i, _ in CLAUSE_INVENTORY}
    for clause in policy.clauses:
        dates = [v.effective for v in clause.versions]
        assert dates == sorted(set(dates)), clause.id
        if clause.id in spec:
            assert dates[0] == date(2015, 11, 18), clause.id
            assert clause.version_on(date(2015, 11, 18)) is clause.versions[0], clause.id
        assert clause.version_on(date(2015, 11, 17)) is None, clause.id
        assert clause.version_on(date(2012, 6, 20)) is None, clause.id
        assert clause.version_on(date(2100, 1, 1)) is clause.versions[-1], clause.id
    assert policy.revision_on(date(2015, 11, 17)) is None


def test_every_policy_file_names_its_schema_for_editors(policy_root: Path, project_root: Path) -> None:
    files = [policy_root / "policy.yaml", *sorted((policy_root / "clauses").glob("*.yaml"))]
    assert len(files) == 1 + sum(len(s.clause_ids) for s in load_policy_dir(policy_root).sections)
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        expected = "policy" if path.name == "policy.yaml" else "clause"
        assert (path.parent / match.group(1)).resolve() == project_root / "schema" / f"{expected}.schema.json"


def test_each_clause_file_is_named_by_its_id(policy: PolicyDocument) -> None:
    assert [Path(c.source).name for c in policy.clauses] == [f"{c.id}.yaml" for c in policy.clauses]
    assert {i for i, _ in CLAUSE_INVENTORY} <= {c.id for c in policy.clauses}


# --- the model -------------------------------------------------------------------------------

def test_minimal_policy_model(make_policy: MakePolicy) -> None:
    root = make_policy()
    document = load_policy_dir(".")
    assert document.root == "."
    assert root.is_dir()
    assert [c.id for c in document.clauses] == [
        "relationships.texting", "communications.email", "communications.consequences"]
    assert document.clause("communications.email") == Clause(
        id="communications.email",
        title="Use district e-mail",
        section="communications",
        kind="recommendation",
        versions=(ClauseVersion(
            effective=date(2015, 11, 18),
            text="Employees should use district e-mail with students.",
            note="First version.",
            rule=(Case(when=All((FactTest("audience", "has", "student"), FactTest("account", "is", "personal"))),
                       on_outcome=(), outcome="discouraged", obligation=None, notice=None),),
        ),),
        interpretation=None,
        related=(),
        source="clauses/communications.email.yaml",
    )
    assert document.clause("communications.consequences").versions[0].rule == (
        Case(when=None, on_outcome=("prohibited",), outcome=None, obligation=None,
             notice="Violations may lead to discipline."),)


def test_version_on_picks_the_version_in_force(make_policy: MakePolicy) -> None:
    make_policy()
    clause = load_policy_dir(".").clause("relationships.texting")
    first, second = clause.versions
    assert [clause.version_on(day) for day in (
        date(2015, 11, 17), date(2015, 11, 18), date(2020, 6, 30), date(2020, 7, 1), date(2031, 1, 1))] == [
        None, first, first, second, second]
    assert (first.text, second.text) == (
        "Texting with students is prohibited.", "Texting or calling students is prohibited.")


def test_model_is_frozen(policy: PolicyDocument) -> None:
    clause = policy.clauses[0]
    with pytest.raises(FrozenInstanceError):
        policy.title = "changed"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        clause.kind = "prohibition"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        clause.versions[0].text = "changed"  # type: ignore[misc]
    assert isinstance(policy.clauses, tuple) and isinstance(clause.versions, tuple)
    assert all(isinstance(s.clause_ids, tuple) for s in policy.sections)


# --- broken policies -------------------------------------------------------------------------

@pytest.mark.parametrize("case", BROKEN_CASES)
def test_broken_fixture_reports_exactly_the_expected_errors(case: str, make_policy: MakePolicy) -> None:
    make_policy(BROKEN / case)
    document, issues = check_policy_dir(".")
    assert document is None
    assert [str(issue) for issue in issues] == expected_lines(case)


def test_there_are_enough_broken_fixtures() -> None:
    assert len(BROKEN_CASES) >= 14
    for case in BROKEN_CASES:
        assert expected_lines(case), f"{case}/expected.txt is empty"


def test_all_errors_in_several_files_are_reported_at_once_and_sorted(make_policy: MakePolicy) -> None:
    make_policy(BROKEN / "several-files")
    _, issues = check_policy_dir(".")
    assert issues == sorted(issues)
    assert [(i.path, i.line, i.column, i.code) for i in issues] == [
        ("clauses/communications.email.yaml", 4, 7, "not-allowed"),
        ("clauses/relationships.texting.yaml", 13, 22, "unknown-fact"),
        ("clauses/relationships.texting.yaml", 17, 5, "duplicate-key"),
        ("policy.yaml", 5, 10, "unquoted-date"),
    ]


def test_load_policy_dir_raises_with_every_issue(make_policy: MakePolicy) -> None:
    make_policy(BROKEN / "several-files")
    with pytest.raises(PolicyError) as caught:
        load_policy_dir(".")
    assert [str(i) for i in caught.value.issues] == expected_lines("several-files")
    assert str(caught.value).splitlines() == expected_lines("several-files")


def test_a_broken_clause_file_is_not_also_reported_missing(make_policy: MakePolicy) -> None:
    """A listed clause whose file cannot be read is reported once, in its own file."""
    make_policy({"clauses/communications.email.yaml": "id: communications.email\ntitle: [\n"})
    _, issues = check_policy_dir(".")
    assert [i.path for i in issues] == ["clauses/communications.email.yaml"]


def test_a_trap_does_not_hide_the_other_checks_of_its_file(make_policy: MakePolicy) -> None:
    """An unquoted yes is reported once (not again as a wrong value), and the rest is still checked."""
    text = (BROKEN / "yes-no-word" / "clauses" / "communications.email.yaml").read_text(encoding="utf-8")
    make_policy({"clauses/communications.email.yaml": text.replace("has: student", "has: pupil")})
    _, issues = check_policy_dir(".")
    assert [(i.line, i.column, i.code) for i in issues] == [(12, 37, "unknown-value"), (13, 47, "yes-no-word")]


def test_an_empty_clause_file(make_policy: MakePolicy) -> None:
    make_policy({"clauses/communications.extra.yaml": "# nothing yet\n"})
    assert check_policy_dir(".")[1] == [
        PolicyIssue("clauses/communications.extra.yaml", 1, 1, "the file is empty", "empty-file")]


def test_a_missing_directory_and_a_missing_policy_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert [str(i) for i in check_policy_dir("nowhere")[1]] == ["nowhere:1:1: no such policy directory"]
    (tmp_path / "empty").mkdir()
    assert [str(i) for i in check_policy_dir("empty")[1]] == [
        "empty/policy.yaml:1:1: policy.yaml is missing from the policy directory"]


def test_paths_are_shown_relative_to_the_working_directory(make_policy: MakePolicy,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_policy(BROKEN / "bad-kind")
    monkeypatch.chdir(root.parent)
    assert [i.path for i in check_policy_dir("policy")[1]] == ["policy/clauses/communications.email.yaml"]


def test_a_trap_that_also_breaks_the_schema_is_reported_once(make_policy: MakePolicy) -> None:
    """kind: yes is one mistake, reported as the trap; the file is not checked further."""
    text = (MINIMAL / "clauses" / "communications.email.yaml").read_text(encoding="utf-8")
    make_policy({"clauses/communications.email.yaml": text.replace("kind: recommendation", "kind: yes")})
    _, issues = check_policy_dir(".")
    assert [(i.path, i.line, i.column, i.code) for i in issues] == [
        ("clauses/communications.email.yaml", 4, 7, "yes-no-word")]


# --- amendments: per-version kind and reading, errors that lead the right way ------------------

_AMENDED = """# yaml-language-server: $schema=../../schema/clause.schema.json
id: communications.email
title: Use district e-mail
section: communications
kind: recommendation
interpretation: {text: "Read as advice.", status: confirmed}
versions:
  - effective: "2015-11-18"
    text: Employees should use district e-mail with students.
    note: First version.
    rule:
      - when: {all: [{fact: audience, has: student}, {fact: account, is: personal}]}
        outcome: discouraged
  - effective: "2020-07-01"
    kind: obligation
    interpretation: {text: "Read as a duty.", status: proposed}
    text: Employees shall use district e-mail with students.
    note: Should became shall.
    rule:
      - when: {all: [{fact: audience, has: student}, {fact: account, is: personal}]}
        outcome: OUTCOME
"""


def test_a_version_overrides_the_clauses_kind_and_reading(make_policy: MakePolicy) -> None:
    make_policy({"clauses/communications.email.yaml": _AMENDED.replace("OUTCOME", "prohibited")})
    clause = load_policy_dir(".").clause("communications.email")
    first, second = clause.versions
    assert (clause.kind_of(first), clause.interpretation_of(first).text) == ("recommendation", "Read as advice.")
    assert (clause.kind_of(second), clause.interpretation_of(second).text) == ("obligation", "Read as a duty.")
    assert clause.upcoming(date(2020, 6, 30)) == (second,)


def test_an_outcome_must_fit_the_versions_own_kind(make_policy: MakePolicy) -> None:
    make_policy({"clauses/communications.email.yaml": _AMENDED.replace("OUTCOME", "discouraged")})
    _, issues = check_policy_dir(".")
    assert [(i.code, i.message) for i in issues] == [
        ("kind-outcome", "'discouraged' does not fit this version's kind 'obligation': an obligation ('shall', "
                         "'are required') can only make an action prohibited or needing approval")]


def test_a_standard_of_conduct_may_prohibit_and_discourage(make_policy: MakePolicy) -> None:
    """Kind ``standard`` (docs/semantics.md#clauses-and-kinds): a version may yield prohibited for
    what the text names and discouraged for the rest, side by side."""
    standard = _AMENDED.replace("kind: obligation", "kind: standard")
    rule = ("      - when: {all: [{fact: audience, has: student}, {fact: account, is: personal}]}\n"
            "        outcome: OUTCOME\n")
    both = standard.replace(rule, rule.replace("OUTCOME", "prohibited") + rule.replace("account, is: personal",
                                                                                       "channel, is: email")
                            .replace("OUTCOME", "discouraged"))
    make_policy({"clauses/communications.email.yaml": both})
    assert check_policy_dir(".")[1] == []
    clause = load_policy_dir(".").clause("communications.email")
    assert [case.outcome for case in clause.versions[1].rule] == ["prohibited", "discouraged"]
    assert clause.kind_of(clause.versions[1]) == "standard"


def test_a_standard_of_conduct_cannot_require_approval(make_policy: MakePolicy) -> None:
    standard = _AMENDED.replace("kind: obligation", "kind: standard")
    make_policy({"clauses/communications.email.yaml": standard.replace("OUTCOME", "requires_approval")})
    _, issues = check_policy_dir(".")
    assert [(i.code, i.message) for i in issues] == [
        ("kind-outcome", "'requires_approval' does not fit this version's kind 'standard': a standard of conduct "
                         "('are expected to') can only make an action prohibited (for what the text itself "
                         "names) or discouraged")]


def test_two_versions_on_one_day_point_to_corrections(make_policy: MakePolicy) -> None:
    make_policy({"clauses/communications.email.yaml": _AMENDED.replace("OUTCOME", "prohibited")
                .replace('"2020-07-01"', '"2015-11-18"')})
    _, issues = check_policy_dir(".")
    assert [i.code for i in issues] == ["date-order"]
    assert "corrections:" in issues[0].message


def test_a_time_zone_must_be_one_the_machine_knows(make_policy: MakePolicy) -> None:
    make_policy({})
    meta = Path("policy.yaml")
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("time_zone: America/New_York", "time_zone: America/New_Yrok"), encoding="utf-8")
    _, issues = check_policy_dir(".")
    line = text.splitlines().index("time_zone: America/New_York") + 1
    assert [(str(i.path), i.line, i.column, i.code, i.message) for i in issues] == [
        ("policy.yaml", line, 12, "bad-time-zone", "'America/New_Yrok' is not a time zone this machine knows; write "
                                                  "the district's IANA time zone name, such as America/New_York")]


def test_a_yml_clause_file_is_refused_not_ignored(make_policy: MakePolicy) -> None:
    root = make_policy()
    (root / "clauses" / "communications.email.yaml").rename(root / "clauses" / "communications.email.yml")
    _, issues = check_policy_dir(".")
    assert str(issues[0]) == ("clauses/communications.email.yml:1:1: clause files end in .yaml: rename "
                              "communications.email.yml to communications.email.yaml (a .yml file would not be read)")


_TAGGED = """id: communications.email
title: "Use district e-mail"
section: communications
kind: recommendation
INTERPRETATION
versions:
  - effective: "2015-11-18"
    note: "First version."
    text: "Employees should use district e-mail with students."
    rule:
      - when:
          all:
            - {fact: audience, has: student}
            - {not: {fact: audience_is_family, is: true}, reading: READING}
            - any:
                - {fact: account, is: personal, NESTED}
                - {fact: account, is: district}
        outcome: discouraged
      - when: {all: [{fact: channel, is: email, reading: family}]}
        notice: "E-mail is kept."
"""
_READING = "interpretation: {text: \"The employee's own family is excused.\", status: proposed}"


def test_a_condition_a_reading_added_carries_its_id(make_policy: MakePolicy) -> None:
    text = _TAGGED.replace("INTERPRETATION", _READING).replace("READING", "family").replace(", NESTED", "")
    make_policy({"clauses/communications.email.yaml": text.replace(", reading: family}]}", "}]}")})
    case = load_policy_dir(".").clause("communications.email").versions[0].rule[0]
    assert [getattr(item, "reading", None) for item in case.when.items] == [None, "family", None]
    from policykit.core.conditions import to_data, untagged

    assert to_data(case.when)["all"][1] == {"not": {"fact": "audience_is_family", "is": True}, "reading": "family"}
    assert "reading" not in str(to_data(untagged(case.when)))


def test_reading_tags_are_checked(make_policy: MakePolicy) -> None:
    """A tag names a reading of the list, sits on a condition under the case's all:, in a case
    that yields an outcome, of a clause whose interpretation gives the reading's status."""
    text = _TAGGED.replace("READING", "famly").replace("NESTED", "reading: family")
    make_policy({"clauses/communications.email.yaml": text.replace("INTERPRETATION", _READING)})
    _, issues = check_policy_dir(".")
    assert [(i.line, i.code) for i in issues] == [(14, "unknown-reading"), (16, "reading-tag"), (19, "reading-tag")]
    assert issues[0].message.startswith("unknown reading 'famly' (did you mean 'family'?); the readings are listed in ")
    assert issues[1].message.startswith("a reading tag goes on a condition listed directly under the case's all:")
    assert issues[2].message.startswith("a reading tag marks a condition that keeps a case from deciding")
    Path("clauses/communications.email.yaml").write_text(
        _TAGGED.replace("INTERPRETATION", "").replace("READING", "family").replace(", NESTED", "")
        .replace(", reading: family}]}", "}]}"), encoding="utf-8")
    _, issues = check_policy_dir(".")
    assert [(i.line, i.code) for i in issues] == [(14, "reading-tag")]
    assert "needs the clause's interpretation" in issues[0].message

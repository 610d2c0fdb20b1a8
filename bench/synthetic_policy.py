"""Synthetic policies of any size, for the scale benchmark (bench/scale.py) and the tests that
check the indexed and narrowed algorithms against plain ones on a large policy.

    python bench/synthetic_policy.py OUT_DIR --clauses 330 [--seed 5]

``write_policy(root, clauses, seed)`` writes ``root/policy`` (policy.yaml and one file per clause)
and ``root/features`` (one feature file per section). Every clause is a prohibition whose rule is
one case: an action, the channels it goes by (among those the action can use), an audience, a
purpose and a content flag, drawn with a fixed seed, so clauses overlap as real ones do (and a
question is answered by a few clauses, however large the policy). Each clause has the
examples a board editor would write: one where it decides, and one near miss per condition (the
same question with that one fact changed so the condition fails), so coverage is complete and
every mutant is killed. The request vocabulary is the project's own."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from policykit.authoring.phrases import load_phrasebook
from policykit.core.vocabulary import load_vocabulary

ACTIONS = ("message", "call", "post", "connect")
AUDIENCES = ("student", "parent_guardian", "staff", "community", "former_student", "public")
PURPOSES = ("school_business", "extracurricular", "personal")  # counseling is read as personal for most roles
CONTENTS = load_vocabulary()["content"].value_names
SECTION_SIZE = 50
DAY = "2026-01-05"


def _words() -> dict[tuple[str, object], str]:
    return {(p.fact, p.value): p.text for p in load_phrasebook().phrases}


def _rules(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    channels = {value.name: value.channels for value in load_vocabulary()["action"].values}
    rules = []
    for _ in range(count):
        action = rng.choice(ACTIONS)
        usable = list(channels[action])
        chosen = sorted(rng.sample(usable, k=min(len(usable), rng.choice((1, 2)))))
        rules.append({"action": action, "channels": chosen, "audience": rng.choice(AUDIENCES),
                      "purpose": rng.choice(PURPOSES), "content": rng.choice(CONTENTS), "other_channel": rng.choice(
                          [c for c in usable if c not in chosen] or ["in_person"])})
    return rules


def _clause_yaml(number: int, section: str, rule: dict) -> str:
    channels = ", ".join(rule["channels"])
    return f"""id: {section}.rule-{number:04d}
title: "Synthetic rule {number}"
section: {section}
kind: prohibition
versions:
  - effective: "2015-11-18"
    note: "Synthetic."
    text: "Employees may not do what synthetic rule {number} describes."
    rule:
      - when:
          all:
            - {{fact: action, is: {rule['action']}}}
            - {{fact: channel, in: [{channels}]}}
            - {{fact: audience, has: {rule['audience']}}}
            - {{fact: purpose, is: {rule['purpose']}}}
            - {{fact: content, has: {rule['content']}}}
        outcome: prohibited
"""


def _scenarios(number: int, clause_id: str, rule: dict, words: dict) -> str:
    base = {"action": rule["action"], "channel": rule["channels"][0], "audience": rule["audience"],
            "purpose": rule["purpose"], "content": rule["content"]}
    others = {
        "action": next(a for a in ("browse", "create_site", "converse") if a != rule["action"]),
        "channel": rule["other_channel"],
        "audience": next(a for a in AUDIENCES if a != rule["audience"]),
        "purpose": next(p for p in PURPOSES if p != rule["purpose"]),
        "content": None,  # the near miss states no content flag
    }

    def steps(facts: dict) -> str:
        lines = [words[(fact, value)] for fact, value in facts.items() if value is not None]
        return "\n".join(f"    And {line}" for line in lines)

    text = [f"  @clause:{clause_id}\n  Scenario: Rule {number} decides\n    Given I am a teacher\n{steps(base)}\n"
            f"    When I ask the policy\n    Then it is prohibited\n    And it cites {clause_id}\n"]
    for fact, other in others.items():
        near = dict(base, **{fact: other})
        if fact == "action" and other == "converse":
            near["channel"] = "in_person"
        text.append(f"  @clause:{clause_id}\n  Scenario: Rule {number} without its {fact}\n    Given I am a teacher\n"
                    f"{steps(near)}\n    When I ask the policy\n    Then it does not cite {clause_id}\n")
    return "\n".join(text)


def write_policy(root: Path, clauses: int, seed: int = 5) -> Path:
    """Write a synthetic policy of ``clauses`` clauses and its scenarios under ``root``; return ``root``."""
    words = _words()
    policy, features = root / "policy", root / "features"
    (policy / "clauses").mkdir(parents=True, exist_ok=True)
    features.mkdir(parents=True, exist_ok=True)
    sections: dict[str, list[tuple[int, dict]]] = {}
    for number, rule in enumerate(_rules(clauses, seed), start=1):
        sections.setdefault(f"part-{(number - 1) // SECTION_SIZE + 1:03d}", []).append((number, rule))
    meta = ['id: synthetic', 'title: "A synthetic policy"', 'series: "Synthetic"', 'district: "Synthetic"',
            'time_zone: America/New_York',
            'adopted: "2015-11-18"', 'revisions: ["2015-11-18"]',
            "document:", '  header: ["A synthetic policy"]', '  references_heading: "References:"', "  footer: []",
            "references: []", "sections:"]
    for section, members in sections.items():
        meta += [f"  - id: {section}", f'    title: "{section}"', "    clauses:"]
        meta += [f"      - {section}.rule-{number:04d}" for number, _ in members]
        feature = [f"Feature: {section}\n\n  Background: Synthetic\n    Given the date is {DAY}\n"]
        for number, rule in members:
            clause_id = f"{section}.rule-{number:04d}"
            (policy / "clauses" / f"{clause_id}.yaml").write_text(_clause_yaml(number, section, rule), encoding="utf-8")
            feature.append(_scenarios(number, clause_id, rule, words))
        (features / f"{section}.feature").write_text("\n".join(feature), encoding="utf-8")
    (policy / "policy.yaml").write_text("\n".join(meta) + "\n", encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--clauses", type=int, default=330)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    write_policy(args.out, args.clauses, args.seed)
    print(f"wrote {args.clauses} clauses to {args.out / 'policy'} and their scenarios to {args.out / 'features'}")


if __name__ == "__main__":
    main()

"""Amending a copy of the policy as an editor would, whatever versions it already holds: a new
version goes into its clause's ``versions:`` in date order, and its date into ``revisions:`` in
order, so the fixtures that amend the shipped policy keep working after the board amends it."""

from __future__ import annotations

import re
from pathlib import Path

_EFFECTIVE = re.compile(r'^  - effective: "(\d{4}-\d{2}-\d{2})"', flags=re.M)


def add_revision(meta: Path, day: str) -> None:
    """Add ``day`` to policy.yaml's ``revisions:`` (kept in date order, once), whether it is written
    as a flow list (``revisions: ["…"]``) or a block list, however indented."""
    text = meta.read_text(encoding="utf-8")
    flow = re.search(r'^(?P<key>[ \t]*revisions:[ \t]*)\[(?P<items>[^\]]*)\][ \t]*$', text, flags=re.M)
    if flow:
        days = sorted({d.strip().strip('"\'') for d in flow.group("items").split(",") if d.strip()} | {day})
        listed = flow.group("key") + "[" + ", ".join(f'"{d}"' for d in days) + "]"
        meta.write_text(text[:flow.start()] + listed + text[flow.end():], encoding="utf-8")
        return
    block = re.search(r'^[ \t]*revisions:[ \t]*\n(?P<items>(?:(?P<indent>[ \t]*)-[ \t]*\S.*\n)+)', text, flags=re.M)
    assert block, f"{meta}: no revisions list"
    days = sorted({line.split("-", 1)[1].strip().strip('"\'') for line in block.group("items").splitlines()} | {day})
    items = "".join(f'{block.group("indent")}- "{d}"\n' for d in days)
    meta.write_text(text[:block.start("items")] + items + text[block.end("items"):], encoding="utf-8")


def add_version(clause: Path, version: str) -> str:
    """Insert ``version`` (YAML text of one ``versions:`` item, starting ``  - effective: "…"``) into
    the clause file in date order; ``versions:`` is the last key of every clause file. Returns its date."""
    found = _EFFECTIVE.search(version)
    assert found, version
    day = found.group(1)
    text = clause.read_text(encoding="utf-8").rstrip("\n") + "\n"
    later = [m for m in _EFFECTIVE.finditer(text) if m.group(1) > day]
    body = version.rstrip("\n") + "\n"
    if later:
        text = text[:later[0].start()] + body + text[later[0].start():]
    else:
        text += body
    clause.write_text(text, encoding="utf-8")
    return day


def amend(root: Path, clause_id: str, version: str) -> str:
    """Add ``version`` to ``clause_id`` in the policy directory ``root`` and its date to the revisions."""
    day = add_version(root / "clauses" / f"{clause_id}.yaml", version)
    add_revision(root / "policy.yaml", day)
    return day


WORKED = Path(__file__).parent / "fixtures" / "amendments"
"""The worked amendment (tests/fixtures/amendments/README.md): three clauses amended and a new one,
all in force from ``WORKED_EFFECTIVE``."""
WORKED_EFFECTIVE = "2027-09-01"
WORKED_NEW_CLAUSE = "communications.personal-posts"


def amend_worked(policy: Path, features: Path | None = None) -> str:
    """Lay the worked amendment over a copy of the policy directory ``policy`` (and its examples over
    ``features``, when given) as an editor would: each version added to its clause in date order,
    the new clause listed in its section and copied, the date added to the revisions. Returns the
    effective date."""
    import shutil

    meta = policy / "policy.yaml"
    text = meta.read_text(encoding="utf-8")
    listed = re.search(r'^([ \t]*)-[ \t]*["\']?communications\.district-email["\']?[ \t]*\n', text, flags=re.M)
    assert listed, f"{meta}: communications.district-email is not listed in a section"
    meta.write_text(text[:listed.end()] + f"{listed.group(1)}- {WORKED_NEW_CLAUSE}\n" + text[listed.end():],
                    encoding="utf-8")
    add_revision(meta, WORKED_EFFECTIVE)
    for version in sorted((WORKED / "versions").glob("*.yaml")):
        add_version(policy / "clauses" / version.name, version.read_text(encoding="utf-8"))
    for clause in sorted((WORKED / "clauses").glob("*.yaml")):
        shutil.copy(clause, policy / "clauses" / clause.name)
    if features is not None:
        for feature in sorted((WORKED / "features").glob("*.feature")):
            shutil.copy(feature, features / feature.name)
    return WORKED_EFFECTIVE


TEXTING_ANY_PURPOSE = '''  - effective: "{day}"
    note: "Amended: texting and calling students is prohibited for any purpose."
    text: >-
      - “Texting” with students or calling students on cell phones, for any purpose;
    rule:
      - when:
          all:
            - {{fact: action, in: [message, call]}}
            - {{fact: audience, has: student}}
            - {{fact: channel, in: [text_message, messaging_app, phone, video_call]}}
            - not: {{fact: audience_is_family, is: true}}
        outcome: prohibited
'''
"""A second, simpler amendment, as a board editor writes it: texting and calling students becomes
prohibited for any purpose (one new version of relationships.texting-and-calling)."""


def amend_texting(policy: Path, day: str) -> str:
    """Lay the texting amendment, in force from ``day``, over a copy of the policy directory ``policy``."""
    return amend(policy, "relationships.texting-and-calling", TEXTING_ANY_PURPOSE.format(day=day))

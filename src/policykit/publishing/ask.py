"""The policy as data for the browser: what ``policykit.js`` (``policykit.publishing.browser``)
reads to decide offline.

``ask_data(policy)`` emits, for every date range (``Policy._programs``), the compiled program: each
term's (P, N, K) masks, the case it belongs to, the facts it reads; each case's outcome rank,
obligation, settling bit, notice and reading; the outcome-triggered cases; the reading probes
(``compiler.ReadingProbe``); the reasons as the HTTP API prints them; and the words the answers are
given in (``schema/messages.yaml``, as ``Messages.to_data()`` gives them). Beside them: the atom
layout (every fact's bits and mask, which facts are single choices, the ``x-read-as`` rules), the
request encoder's tree (kinds, required fields, bits), and what ``alternatives.Searcher`` needs (the
controllable facts with their words, each action's channels, each clause's remedy). Nothing in it is
written by hand: it all comes from the policy files and the request schema, so a changed policy
changes the page's answers.

Bit masks are cut into words of ``WORD_BITS`` bits (small integers JavaScript's bit operators handle
exactly); the interpreter works word by word. The interpreter evaluates each term's Kleene state
directly from its masks, which is what the engine's slice tables precompute
(``compiler._slice_table``): a term is false when a bit of P is known false, a bit of N is true or a
bit of K is unknown; true when every bit of P is true and no bit of N is true or unknown; unknown
otherwise. What is at stake when a request leaves facts out is read exactly, as ``stakes.analyse``
does, from the same term masks, term reads and cases."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from policykit.core.alternatives import search_budget
from policykit.core.api import Policy
from policykit.core.compiler import AtomLayout, Program, clause_url
from policykit.core.engine import ALLOWED_RANK, PROVISO_OUTCOMES
from policykit.core.model import OUTCOMES, Interpretation
from policykit.core.schemaerrors import load_schema
from policykit.core.vocabulary import Fact, Vocabulary, load_vocabulary

WORD_BITS = 30

Words = Callable[[int], list[int]]
"""A mask cut into words of ``WORD_BITS`` bits, as many as every mask of the policy needs."""


def _words(mask: int, count: int) -> list[int]:
    return [(mask >> (WORD_BITS * i)) & ((1 << WORD_BITS) - 1) for i in range(count)]


def _reading(interpretation: Interpretation | None) -> dict[str, str] | None:
    return interpretation.to_dict() if interpretation is not None else None


def _program(program: Program, w: Words, fact_index: dict[str, int]) -> dict[str, Any]:
    cases = []
    for case in program.cases:
        cases.append({
            "clause": case.clause, "order": case.order, "rank": case.rank,
            "obligation": case.obligation_text, "met": w(case.met_bit),
            "notice": case.notice.to_dict() if case.notice is not None else None,
            "reading": _reading(case.interpretation), "unmet": case.unmet,
        })
    outcome_cases = [{
        "clause": case.clause, "order": case.order, "rank": case.rank, "obligation": case.obligation_text,
        "met": w(case.met_bit), "notice": case.notice.to_dict() if case.notice is not None else None,
        "reading": _reading(case.interpretation), "unmet": case.unmet, "on_outcome": case.on_outcome,
    } for case in program.outcome_cases]
    terms = []
    for index, (positive, negative) in enumerate(program.term_pairs):
        terms.append({
            "case": program.term_case[index], "p": w(positive), "n": w(negative), "k": w(program.term_known[index]),
            "reads": [[order, fact_index[fact]] for order, fact, _ in program.term_reads[index]],
            "effect": bool(program.effect_terms >> index & 1),
        })
    return {
        "valid_from": program.valid_from.isoformat(), "policy_id": program.policy_id, "revision": program.revision,
        "digest": program.digest,
        "reasons": [{**reason.to_dict(), "awaiting": bool(reason.interpretation is not None
                                                          and reason.interpretation.awaiting_board)}
                    for reason in program.reasons],
        "cases": cases, "outcome_cases": outcome_cases, "terms": terms,
        "probes": [{"reading": probe.reading, "rank": probe.rank,
                    "terms": [{"p": w(positive), "n": w(negative)} for positive, negative in probe.terms]}
                   for probe in program.probes],
    }


def _encoder_tree(vocabulary: Vocabulary, layout: AtomLayout, w: Words, prefix: str = "") -> list[dict[str, Any]]:
    nodes = []
    for fact in vocabulary.facts:
        parent, _, name = fact.path.rpartition(".")
        if parent != prefix:
            continue
        node: dict[str, Any] = {"name": name, "path": fact.path, "kind": fact.kind, "required": fact.required}
        if fact.kind == "object":
            node["bit"] = w(layout.bits[fact.path][True])
            node["children"] = _encoder_tree(vocabulary, layout, w, fact.path)
        elif fact.kind == "boolean":
            node["bit"] = w(layout.bits[fact.path][True])
            node["mask"] = w(layout.masks[fact.path])
        elif fact.kind in ("choice", "list"):
            node["values"] = [[value, w(bit)] for value, bit in layout.bits[fact.path].items()]
            node["mask"] = w(layout.masks[fact.path])
        nodes.append(node)
    return nodes


def _searchable(fact: Fact, layout: AtomLayout, w: Words, order: int) -> dict[str, Any]:
    data: dict[str, Any] = {"path": fact.path, "order": order, "kind": fact.kind, "instead": fact.instead}
    if fact.kind in ("choice", "list"):
        data["mask"] = w(layout.masks[fact.path])
        data["values"] = [{"name": v.name, "bit": w(layout.bits[fact.path][v.name]), "instead": v.instead,
                           "instead_of": v.instead_of, "district": v.district_route} for v in fact.values]
    else:
        data["bit"] = w(layout.bits[fact.path][True])
    return data


def synonyms() -> dict[str, dict[str, list[str]]]:
    """The everyday words for each value, from the request schema's ``x-synonyms``, by fact path
    (the interview reads them; so does the site's search, through the glossary)."""
    schema = load_schema("request")
    by_definition = {name: {b["const"]: list(b.get("x-synonyms", ())) for b in node.get("oneOf", ())}
                     for name, node in schema.get("$defs", {}).items()}
    found: dict[str, dict[str, list[str]]] = {}
    for fact in load_vocabulary().facts:
        words = {value: names for value, names in by_definition.get(fact.definition, {}).items() if names}
        if words:
            found[fact.path] = words
    return found


def staff_questions() -> dict[str, dict[str, Any]]:
    """Each fact's question in staff words, from the request schema's ``x-question`` beside the fact,
    by fact path: ``ask`` (the question), ``hint`` (how to answer, for a list) and ``choices`` (each
    value's words, for a yes/no fact ``"true"`` and ``"false"``). A value without words of its own is
    offered by its title. Raises ``ValueError`` for a choice that names no value of its fact."""
    schema = load_schema("request")
    vocabulary = load_vocabulary()
    found: dict[str, dict[str, Any]] = {}

    def walk(properties: dict[str, Any], prefix: str) -> None:
        for name, node in properties.items():
            path = prefix + name
            if "x-question" in node:
                found[path] = dict(node["x-question"])
            if "properties" in node:
                walk(node["properties"], path + ".")

    walk(schema["properties"], "")
    for path, question in found.items():
        fact = vocabulary[path]
        allowed = {"true", "false"} if fact.kind == "boolean" else set(fact.value_names)
        unknown = sorted(set(question.get("choices", {})) - allowed)
        if unknown:
            raise ValueError(f"request schema: {path} x-question names {', '.join(unknown)}, which are not its values; "
                             f"allowed: {', '.join(sorted(allowed))}")
    return found


def understanding() -> dict[str, Any]:
    """How the page reads everyday words (``x-understand`` at the top of the request schema), checked
    against the vocabulary: every fact a reading sets or offers exists, and every value is one of its
    values. Raises ``ValueError`` naming the first reading that says something the vocabulary cannot."""
    data = dict(load_schema("request").get("x-understand", {}))
    vocabulary = load_vocabulary()
    paths = {fact.path for fact in vocabulary.facts}

    def check(path: str, value: Any, where: str) -> None:
        if path not in paths:
            raise ValueError(f"request schema: x-understand {where} names {path}, which is not a fact")
        fact = vocabulary[path]
        allowed: tuple[object, ...] = (True, False) if fact.kind == "boolean" else tuple(fact.value_names)
        if value not in allowed:
            raise ValueError(f"request schema: x-understand {where} gives {path} the value {value!r}; "
                             f"allowed: {', '.join(map(str, allowed))}")

    for reading in data.get("readings", ()):
        where = repr(reading["words"][0])
        for path, value in reading.get("read", {}).items():
            check(path, value, where)
        for path, choices in reading.get("unsure", {}).items():
            for value in choices:
                check(path, value, where)
    for path, pairs in data.get("prefer", {}).items():
        for pair in pairs:
            for value in pair:
                check(path, value, "prefer")
    for path in list(data.get("frames", {})) + list(data.get("topic", {}).get("facts", ())):
        if path not in paths:
            raise ValueError(f"request schema: x-understand frames or topic names {path}, which is not a fact")
    return data


def _information_of(understand: dict[str, Any], clauses: set[str]) -> dict[str, Any]:
    """``understand`` with each question for information naming only notices that are clauses of
    this policy, and without those left naming none: a policy without the notices (an earlier or a
    test policy) answers no such question in words, and the page then asks it as any other.
    ``information_notices_missing`` says which notices the published policy lacks."""
    kept = []
    for info in understand.get("information", ()):
        notices = {clause: lead for clause, lead in info["notices"].items() if clause in clauses}
        if notices:
            kept.append({**info, "notices": notices})
    return {**understand, "information": kept}


def information_notices_missing(policy: Policy) -> list[str]:
    """The notices ``x-understand`` information names that are not clauses of ``policy``, each as
    "words: clause" (empty when every question for information can be answered in words)."""
    clauses = {clause.id for clause in policy.document.clauses}
    return [f"{info['words'][0]}: {clause}" for info in understanding().get("information", ())
            for clause in info["notices"] if clause not in clauses]


def _form(vocabulary: Vocabulary) -> list[dict[str, Any]]:
    """What the interview shows for each fact: its words, its values' words, the everyday synonyms,
    the question in staff words (``x-question``) and each value's phrase (the page's chips)."""
    words = synonyms()
    questions = staff_questions()
    form = []
    for fact in vocabulary.facts:
        if fact.kind in ("object", "date"):
            continue
        description = fact.description.split(" When missing")[0]
        form.append({"path": fact.path, "kind": fact.kind, "description": description,
                     "when_missing": fact.when_missing, "phrases": dict(fact.phrases), "synonyms": list(fact.synonyms),
                     "question": questions.get(fact.path, {}),
                     "values": [{"name": v.name, "title": v.title, "description": v.description, "phrase": v.phrase,
                                 "synonyms": words.get(fact.path, {}).get(v.name, [])} for v in fact.values]})
    return form


def ask_data(policy: Policy) -> dict[str, Any]:
    """Everything the browser's interpreter needs, as JSON-ready data."""
    vocabulary = load_vocabulary()
    layout = policy.layout
    count = max(1, -(-max(layout.masks.values()).bit_length() // WORD_BITS))

    def w(mask: int) -> list[int]:
        return _words(mask, count)

    facts = [fact for fact in vocabulary.facts if fact.path in layout.masks]
    fact_index = {fact.path: i for i, fact in enumerate(facts)}
    order = {fact.path: i for i, fact in enumerate(vocabulary.facts)}
    document = policy.document
    remedies: dict[str, Any] = {}
    for clause in document.clauses:
        remedy = clause.remedy
        if remedy is None:
            continue
        remedies[clause.id] = {
            "text": remedy.text,
            "set": [{"fact": fact, "value": value, "bit": w(layout.bits[fact][value]),
                     "clear": w(layout.masks[fact] if vocabulary[fact].kind == "choice" else 0),
                     "site": fact.startswith("site.")} for fact, value in remedy.set],
            "remove": [{"fact": fact, "items": [[item, w(layout.bits[fact][item])] for item in items]}
                       for fact, items in remedy.remove],
        }
    action_channels = []
    for value in vocabulary["action"].values:
        allowed = 0
        for channel in value.channels:
            allowed |= layout.bits["channel"][channel]
        action_channels.append([w(layout.bits["action"][value.name]), w(allowed)])
    first = policy.first_date.isoformat()
    understand = _information_of(understanding(), {clause.id for clause in document.clauses})
    return {
        "words": count, "word_bits": WORD_BITS,
        "outcomes": list(OUTCOMES), "messages": policy.messages.to_data(),
        "proviso_outcomes": [outcome for outcome in (*OUTCOMES, "undetermined") if outcome in PROVISO_OUTCOMES],
        "allowed_rank": ALLOWED_RANK,
        "facts": [{"path": f.path, "kind": f.kind, "mask": w(layout.masks[f.path]), "order": order[f.path],
                   "choice": f.path in layout.choice_facts} for f in facts],
        "initially_unknown": w(layout.initially_unknown),
        "read_as": [[w(v), w(a), w(u), words] for v, a, u, words in layout.read_as],
        "seen_by_titles": [{"value": value.name, "title": value.title} for value in vocabulary["seen_by"].values],
        "encoder": _encoder_tree(vocabulary, layout, w),
        "first_date": first,
        "site_url": policy.site_url,
        "time_zone": document.time_zone,
        "form": _form(vocabulary),
        "understand": understand,
        "notice_sources": {clause.id: {"title": clause.title, "url": clause_url(clause, policy.site_url)}
                           for clause in document.clauses
                           if any(clause.id in info["notices"] for info in understand["information"])},
        "too_early": ("{day} is before " + first + ", the earliest revision on record; the policy's earlier "
                      "text is not encoded, so questions about earlier dates cannot be answered"),
        "programs": [_program(program, w, fact_index) for program in policy._programs],
        "search": {
            "site_bit": w(layout.bits["site"][True]) if "site" in layout.bits else w(0),
            "action_channels": action_channels,
            "choices": [_searchable(f, layout, w, order[f.path]) for f in vocabulary.facts
                        if f.controllable and f.kind == "choice"],
            "lists": [_searchable(f, layout, w, order[f.path]) for f in vocabulary.facts
                      if f.controllable and f.kind == "list"],
            "booleans": [_searchable(f, layout, w, order[f.path]) for f in vocabulary.facts
                         if f.controllable and f.kind == "boolean"],
            "remedies": remedies,
            "max": 3,
            "budget": search_budget(),
        },
    }


def ask_script(policy: Policy) -> str:
    """The data as a script that sets ``window.POLICYKIT_DATA`` (a plain <script src>, so it loads
    from file:// where fetch() would be refused)."""
    text = json.dumps(ask_data(policy), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return ("// Generated by policykit.publishing.ask from the compiled policy; do not edit.\n"
            "window.POLICYKIT_DATA = " + text + ";\n")


def ask_page() -> str:
    """The "Ask the policy" page: a place for the interview (``ask.js``, ``policykit.publishing.browser``),
    which runs
    entirely in the page."""
    return "\n".join([
        "---", "search:", "  boost: 3", "---", "",
        "# Ask the policy", "",
        "Say what you want to do in your own words. The page shows what it understood, then asks one "
        "question at a time, only those that can change the answer. Everything is worked out in this page, "
        "from the policy's own rules: nothing you type is sent anywhere, and it works offline.", "",
        '<div id="policykit-ask"><noscript>The interview needs JavaScript; the '
        'Common questions page answers many questions without it.</noscript></div>', "",
    ])


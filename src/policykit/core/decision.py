"""The answer to a request: a frozen value that explains itself and serialises to the
decision schema."""

from __future__ import annotations

from policykit.core.values import dataclass
from typing import Any

from policykit.core.model import Interpretation

ALLOWED = {"permitted": True, "discouraged": True, "requires_approval": False, "prohibited": False,
           "undetermined": None}


def _with_reading(data: dict[str, Any], interpretation: Interpretation | None) -> dict[str, Any]:
    """``data`` with the clause's interpretation, when it has one (the field is left out otherwise)."""
    if interpretation is not None:
        data["interpretation"] = interpretation.to_dict()
    return data


@dataclass(frozen=True, slots=True)
class Reason:
    """A clause that determined the outcome."""

    id: str
    title: str
    kind: str
    text: str
    url: str
    interpretation: Interpretation | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_reading({"id": self.id, "title": self.title, "kind": self.kind, "text": self.text,
                              "url": self.url}, self.interpretation)


@dataclass(frozen=True, slots=True)
class Obligation:
    """Something the employee must do; ``met`` is None when the request does not tell."""

    clause: str
    text: str
    met: bool | None
    interpretation: Interpretation | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_reading({"clause": self.clause, "text": self.text, "met": self.met}, self.interpretation)


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the employee should know."""

    clause: str
    text: str
    interpretation: Interpretation | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_reading({"clause": self.clause, "text": self.text}, self.interpretation)


@dataclass(frozen=True, slots=True)
class Change:
    """One change an alternative makes: a fact set to a value, or items removed from a list."""

    fact: str
    value: object = None  # the new value (a choice's value, or True), None for a removal
    removed: tuple[str, ...] = ()  # for a list fact: the items left out

    def to_dict(self) -> dict[str, Any]:
        if self.removed:
            return {"fact": self.fact, "remove": list(self.removed)}
        return {"fact": self.fact, "value": self.value}


@dataclass(frozen=True, slots=True)
class Alternative:
    """A way to do the same thing within the policy: the changes, the outcome they get (verified
    by deciding), the clause whose own remedy it is (if any), and one plain sentence."""

    changes: tuple[Change, ...]
    outcome: str
    remedy_of: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"changes": [c.to_dict() for c in self.changes], "outcome": self.outcome,
                "remedy_of": self.remedy_of, "text": self.text}


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer to a question an undetermined decision asks, and the outcome it leads to."""

    value: object  # a choice's value, a list (for the audience), or a boolean
    outcome: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": list(self.value) if isinstance(self.value, tuple) else self.value, "outcome": self.outcome}


@dataclass(frozen=True, slots=True)
class Question:
    """A fact an undetermined decision needs, with the outcome each answer leads to."""

    fact: str
    answers: tuple[Answer, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "answers": [a.to_dict() for a in self.answers]}


@dataclass(frozen=True, slots=True)
class PolicyStamp:
    """Which policy answered: enough to replay the decision."""

    id: str
    revision: str
    digest: str
    as_of: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "revision": self.revision, "digest": self.digest, "as_of": self.as_of}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the policy says about a request: everything in a decision except its provenance.
    A pure function of the clauses in force and the request's facts."""

    outcome: str
    reasons: tuple[Reason, ...]
    obligations: tuple[Obligation, ...]
    notices: tuple[Notice, ...]
    missing_facts: tuple[str, ...]
    possible_outcomes: tuple[str, ...]
    explanation: str
    unconfirmed: tuple[str, ...] = ()  # the unconfirmed readings the outcome rests on (clause or reading ids)
    lead: int = 0  # where the explanation's first sentence and the values read as others end


@dataclass(frozen=True, slots=True)
class Decision:
    """The policy's answer to one request (docs/semantics.md#the-answer): a verdict, which policy gave it, and an id."""

    verdict: Verdict
    policy: PolicyStamp
    decision_id: str
    alternatives: tuple[Alternative, ...] | None = None  # None: not asked for (decide(..., alternatives=True))
    questions: tuple[Question, ...] | None = None  # for undetermined, asked with alternatives
    alternatives_complete: bool | None = None  # with alternatives: False when the search stopped at its budget

    @property
    def outcome(self) -> str:
        """permitted, discouraged, requires_approval, prohibited or undetermined."""
        return self.verdict.outcome

    @property
    def allowed(self) -> bool | None:
        """True for permitted and discouraged, False for requires_approval and prohibited,
        None for undetermined."""
        return ALLOWED[self.verdict.outcome]

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return self.verdict.reasons

    @property
    def obligations(self) -> tuple[Obligation, ...]:
        return self.verdict.obligations

    @property
    def notices(self) -> tuple[Notice, ...]:
        return self.verdict.notices

    @property
    def missing_facts(self) -> tuple[str, ...]:
        return self.verdict.missing_facts

    @property
    def possible_outcomes(self) -> tuple[str, ...]:
        return self.verdict.possible_outcomes

    @property
    def explanation(self) -> str:
        return self.verdict.explanation

    @property
    def unconfirmed_readings(self) -> tuple[str, ...]:
        """The readings awaiting the board's confirmation that the outcome rests on, as the
        explanation names them (a deciding clause by its id, a reading that kept a case from
        deciding by its reading id); empty when it rests on none."""
        return self.verdict.unconfirmed

    def to_dict(self) -> dict[str, Any]:
        """The decision as a JSON-ready dict matching ``schema/decision.schema.json``."""
        verdict = self.verdict
        return {
            "outcome": verdict.outcome,
            "allowed": ALLOWED[verdict.outcome],
            "reasons": [r.to_dict() for r in verdict.reasons],
            "obligations": [o.to_dict() for o in verdict.obligations],
            "notices": [n.to_dict() for n in verdict.notices],
            "missing_facts": list(verdict.missing_facts),
            "possible_outcomes": list(verdict.possible_outcomes),
            "explanation": verdict.explanation,
            "policy": self.policy.to_dict(),
            "decision_id": self.decision_id,
            **({} if self.alternatives is None else {"alternatives": [a.to_dict() for a in self.alternatives]}),
            **({} if self.alternatives is None else {"alternatives_complete": self.alternatives_complete is not False}),
            **({} if self.questions is None else {"questions": [q.to_dict() for q in self.questions]}),
        }


class _Unfinished:
    """A decision being built: the very slots of ``Decision``, in its order, but assignable, so
    that ``plain_decision`` can fill them with plain attribute stores and then make the object a
    ``Decision`` (same layout, so CPython allows the ``__class__`` change)."""

    __slots__ = Decision.__slots__

    def __init__(self, verdict: Verdict, policy: PolicyStamp, decision_id: str) -> None:
        self.verdict = verdict
        self.policy = policy
        self.decision_id = decision_id
        self.alternatives = None
        self.questions = None
        self.alternatives_complete = None


def plain_decision(verdict: Verdict, policy: PolicyStamp, decision_id: str) -> Decision:
    """``Decision(verdict, policy, decision_id)``, the same value, built without the frozen
    value's ``__init__`` (which sets each field through ``object.__setattr__``, costing as much
    as evaluating a known pattern): the hot path of ``Policy.decide``."""
    decision = _Unfinished(verdict, policy, decision_id)
    decision.__class__ = Decision  # type: ignore[assignment]  # the same slots: CPython allows it
    return decision  # type: ignore[return-value]  # a Decision since the line above

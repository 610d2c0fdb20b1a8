"""The policy work of one decide request or one batch, done on a policy thread (see ``work``),
and the one answer given on the event loop: a small valid request whose verdict is cached."""

from __future__ import annotations

from typing import NamedTuple

import orjson

from policykit.core.alternatives import SearchBudget, search_budget
from policykit.core.decision import Decision
from policykit.core.errors import RequestError
from policykit.interfaces.http.body import INLINE_BYTES, parse_body
from policykit.interfaces.http.errors import ApiError, error_item, invalid
from policykit.interfaces.http.service import Service
from policykit.interfaces.http.work import Job


class Answer(NamedTuple):
    """A decision rendered as JSON, and the revision and digest headers of the policy that gave it."""

    content: bytes
    headers: dict[str, str]


def _rendered(decision: Decision) -> Answer:
    return Answer(orjson.dumps(decision.to_dict()), {"X-Policy-Revision": decision.policy.revision,
                                                     "X-Policy-Digest": decision.policy.digest})


def _answer(service: Service, data: object, alternatives: bool = False,
            budget: SearchBudget | None = None) -> Decision:
    try:
        decision = service.policy.decide(data, alternatives=alternatives, budget=budget)
    except RequestError as error:
        raise invalid(error) from None
    if service.log is not None:
        service.log.write(decision, data)
    return decision


def decide_one(job: Job, service: Service, body: bytes, alternatives: bool = False) -> Answer:
    """One request's decision (on a policy thread)."""
    budget = SearchBudget(search_budget(), job.withdrawn) if alternatives else None
    decision = _answer(service, parse_body(body, service.limits), alternatives, budget)
    job.check()  # a search cut short by the client's leaving is not an answer to log or send
    return _rendered(decision)


def _batch_items(service: Service, body: bytes) -> list[object]:
    limits = service.limits
    data = parse_body(body, limits)
    if not isinstance(data, dict) or set(data) != {"requests"} or not isinstance(data["requests"], list):
        raise ApiError(400, "invalid_request", "send {\"requests\": [request, ...]}",
                       [{"pointer": "/requests", "message": "a list of requests is required, and nothing else"}])
    items: list[object] = data["requests"]
    if len(items) > limits.max_batch:
        raise ApiError(400, "batch_too_large", f"a batch holds at most {limits.max_batch} requests "
                                               f"(got {len(items)})",
                       [{"pointer": "/requests", "message": f"at most {limits.max_batch} requests "
                                                           f"(got {len(items)})"}])
    return items


def decide_many(job: Job, service: Service, body: bytes, alternatives: bool = False) -> bytes:
    """A batch's decisions, or an error in the place of each malformed request (on a policy
    thread). Past ``max_batch_errors`` problems, malformed requests are refused unexplained."""
    limits = service.limits
    items = _batch_items(service, body)
    # One search budget for the whole batch: a batch with alternatives does no more search
    # work than one request.
    search = SearchBudget(search_budget(), job.withdrawn) if alternatives else None
    budget = limits.max_batch_errors
    unexplained = ApiError(400, "invalid_request", "the request is malformed; not explained, as this batch "
                                                   f"already lists {limits.max_batch_errors} problems: send it "
                                                   "alone to see them")
    results = []
    for item in items:
        job.check()
        if budget <= 0 and not service.policy.encodes(item):
            results.append(error_item(unexplained, limits.max_error_bytes))
            continue
        try:
            results.append(_answer(service, item, alternatives, search).to_dict())
        except ApiError as error:
            budget -= max(1, len(error.errors))
            results.append(error_item(error, limits.max_error_bytes))
    job.check()
    return orjson.dumps({"decisions": results})


def cached(service: Service, body: bytes) -> Answer | None:
    """The answer to a small, valid request whose verdict is already known, or None: a lookup,
    so it is the one answer given on the event loop (nothing is evaluated, explained or logged
    there)."""
    if service.log is not None or len(body) > INLINE_BYTES:
        return None
    data = parse_body(body, service.limits)
    try:
        decision = service.policy.cached_decision(data)
    except RequestError:  # a date before the first revision: answered, with its error, off the loop
        return None
    if decision is None:
        return None
    return _rendered(decision)

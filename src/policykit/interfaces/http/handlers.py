"""The routes' handlers, each reading the service from the application's state (``service``),
and the handlers of the errors they raise: every error answered as JSON, never a stack trace."""

from __future__ import annotations

import logging
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from policykit.core.compiler import clause_url
from policykit.core.errors import RequestError, did_you_mean, shorten
from policykit.core.model import KIND_WORDS
from policykit.core.request import valid_date
from policykit.core.schemaerrors import load_schema
from policykit.interfaces.http.body import read_body
from policykit.interfaces.http.deciding import cached, decide_many, decide_one
from policykit.interfaces.http.errors import ApiError, OrjsonResponse, invalid
from policykit.interfaces.http.query import alternatives_asked, refuse_query
from policykit.interfaces.http.service import service_of

SCHEMAS = ("request", "decision", "clause", "policy")
_JSON = {"content-type": "application/json"}
logger = logging.getLogger("uvicorn.error")  # uvicorn's own log: its level and format


async def decide(request: Request) -> Response:
    """POST /v1/decide: one request's decision (from the verdict cache on the loop when it can be)."""
    service = service_of(request)
    alternatives = alternatives_asked(request)
    body = await read_body(request, service.limits)
    answer = (None if alternatives else cached(service, body)) or await service.work.run(
        decide_one, service, body, alternatives, receive=request.receive)
    return Response(answer.content, headers={**_JSON, **answer.headers})


async def decide_batch(request: Request) -> Response:
    """POST /v1/decide/batch: a decision or an error per request, in order."""
    service = service_of(request)
    alternatives = alternatives_asked(request)
    body = await read_body(request, service.limits)
    return Response(await service.work.run(decide_many, service, body, alternatives, receive=request.receive),
                    headers=_JSON)


async def policy_info(request: Request) -> Response:
    """GET /v1/policy: the policy, its revisions, sections and clauses."""
    refuse_query(request)
    policy = service_of(request).policy
    document = policy.document
    program = policy.program(policy.today())
    return OrjsonResponse({
        "id": document.id, "title": document.title, "series": document.series, "district": document.district,
        "adopted": document.adopted.isoformat(), "revisions": [r.isoformat() for r in document.revisions],
        "revision": program.revision, "digest": program.digest,
        "sections": [{"id": s.id, "title": s.title, "clauses": list(s.clause_ids)} for s in document.sections],
        "clauses": [{"id": c.id, "title": c.title, "section": c.section, "kind": c.kind,
                     "kind_words": KIND_WORDS[c.kind], "url": clause_url(c, policy.site_url)}
                    for c in document.clauses],
    })


def _day_asked(as_of_text: str | None) -> date | None:
    """The ``as_of`` of a clause request, or None when it gives none; ApiError for anything else."""
    if as_of_text is None:
        return None
    if not valid_date(as_of_text):
        raise ApiError(400, "invalid_request", "as_of must be a date written YYYY-MM-DD",
                       [{"pointer": "/as_of", "message": f"'{shorten(as_of_text)}' is not a date written YYYY-MM-DD"}])
    return date.fromisoformat(as_of_text)


async def clause(request: Request) -> Response:
    """GET /v1/clauses/{clause_id}: one clause, as in force on a day (``as_of``, or today)."""
    service = service_of(request)
    policy = service.policy
    query = refuse_query(request, ("as_of",))
    clause_id = request.path_params["clause_id"]
    found = service.clauses.get(clause_id)
    if found is None:
        raise ApiError(404, "not_found",
                       f"no clause '{shorten(clause_id)}'{did_you_mean(clause_id, service.clauses)}")
    day = _day_asked(query.get("as_of")) or policy.today()
    try:
        program = policy.program(day)
    except RequestError as error:
        raise invalid(error) from None
    version = found.version_on(day)
    if version is None:
        raise ApiError(404, "not_found", f"clause '{clause_id}' is not in force on {day.isoformat()}")
    return OrjsonResponse({
        "id": found.id, "title": found.title, "section": found.section, "kind": found.kind,
        "kind_words": KIND_WORDS[found.kind], "as_of": day.isoformat(), "revision": program.revision,
        "text": version.text, "effective": version.effective.isoformat(), "url": clause_url(found, policy.site_url),
        "interpretation": ({"text": found.interpretation.text, "status": found.interpretation.status}
                           if found.interpretation else None),
        "versions": [{"effective": v.effective.isoformat(), "text": v.text, "note": v.note} for v in found.versions],
    }, headers={"X-Policy-Revision": program.revision, "X-Policy-Digest": program.digest})


async def health(request: Request) -> Response:
    """GET /health: the service is up, with today's revision and digest."""
    policy = service_of(request).policy
    program = policy.program(policy.today())
    return OrjsonResponse({"status": "ok", "revision": program.revision, "digest": program.digest})


async def openapi(request: Request) -> Response:
    """GET /openapi.json: the service's OpenAPI document."""
    return OrjsonResponse(service_of(request).openapi)


async def schema_file(request: Request) -> Response:
    """GET /schemas/{name}.schema.json: one of the schema files, as it is."""
    name = request.path_params["name"]
    if name not in SCHEMAS:
        raise ApiError(404, "not_found", f"no schema '{shorten(name)}'; schemas: {', '.join(SCHEMAS)}")
    return OrjsonResponse(load_schema(name), media_type="application/schema+json")


async def index(request: Request) -> Response:
    """GET / when no site has been built: where to look instead."""
    return OrjsonResponse({"service": "policykit", "openapi": "/openapi.json",
                           "site": "not built: run `policykit site build` and `mkdocs build`"})


async def api_error(request: Request, error: Exception) -> Response:
    """An ``ApiError``, as its JSON, within the service's error size."""
    assert isinstance(error, ApiError)
    return error.response(service_of(request).limits.max_error_bytes)


async def client_gone(request: Request, error: Exception) -> Response:
    """A client that left before its answer: logged, and nothing sent."""
    client = request.scope.get("client")
    logger.info("%s - %s %s: the client disconnected %s",
                f"{client[0]}:{client[1]}" if client else "-", request.method, request.url.path,
                str(error) or "before sending the whole body")
    return Response(status_code=400)  # never sent: the connection is gone


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's own errors (no such route, wrong method), as JSON."""
    assert isinstance(error, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
    return OrjsonResponse({"code": code, "message": str(error.detail).lower(), "errors": []},
                          status_code=error.status_code, headers=getattr(error, "headers", None))


async def internal_error(request: Request, error: Exception) -> Response:
    """Anything else: fail closed, never a decision, never a stack trace."""
    return OrjsonResponse({"code": "internal_error", "message": "the service could not answer; nothing was "
                                                               "decided", "errors": []}, status_code=500)

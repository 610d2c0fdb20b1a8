"""The evaluator as an HTTP JSON service (Starlette), a thin shell over ``Policy``.

    POST /v1/decide          a request -> a decision
    POST /v1/decide/batch    {"requests": [...]} -> {"decisions": [...]}
    GET  /v1/policy          metadata, revision, digest, clause list
    GET  /v1/clauses/{id}    one clause (?as_of=YYYY-MM-DD)
    GET  /health             liveness, with the revision and digest
    GET  /openapi.json       OpenAPI 3.1, embedding schema/request and schema/decision as they are
    GET  /schemas/{name}.schema.json   those files, as they are
    GET  /                   the staff site, when it has been built

Every response carries ``X-Policy-Revision`` and ``X-Policy-Digest``. Every error is JSON,
``{code, message, errors: [{pointer, message}]}``, never a stack trace; a malformed request is
never answered with a decision."""

from __future__ import annotations

import asyncio
import hmac
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .api import Policy
from .compiler import clause_url
from .decision import Decision
from .errors import RequestError, did_you_mean
from .model import KIND_WORDS
from .request import valid_date
from .schemaerrors import load_schema

JSON_TYPES = ("application/json",)
SCHEMAS = ("request", "decision", "clause", "policy")


@dataclass(frozen=True)
class Limits:
    """What the service accepts; anything beyond gets a 4xx."""

    max_body_bytes: int = 1_048_576
    max_batch: int = 1000
    max_depth: int = 32
    request_seconds: float = 10.0


@dataclass(frozen=True)
class ServerConfig:
    limits: Limits = Limits()
    token: str | None = None  # when set, /v1/ endpoints need "Authorization: Bearer <token>"
    decision_log: Path | None = None
    site_dir: Path | None = None


class ApiError(Exception):
    """An error answered as ``{code, message, errors}`` with an HTTP status."""

    def __init__(self, status: int, code: str, message: str, errors: list[dict[str, str]] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors or []

    def response(self) -> Response:
        return OrjsonResponse({"code": self.code, "message": self.message, "errors": self.errors},
                            status_code=self.status)


class DecisionLog:
    """JSON Lines, one decision per line, each written with a single append so that a crash
    loses at most the line being written."""

    def __init__(self, path: Path):
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        self._lock = threading.Lock()

    def write(self, decision: Decision, request: object) -> None:
        record = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                  "decision_id": decision.decision_id, "digest": decision.policy.digest, "request": request,
                  "outcome": decision.outcome, "reasons": [r.id for r in decision.reasons]}
        line = orjson.dumps(record) + b"\n"
        with self._lock:
            os.write(self._fd, line)

    def close(self) -> None:
        os.close(self._fd)


def _depth_exceeds(value: object, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


async def read_json(request: Request, limits: Limits) -> object:
    """The request body as JSON, within the limits; ApiError otherwise."""
    content_type = declared = b""
    for name, value in request.scope["headers"]:  # the raw headers: cheaper than a Headers object
        if name == b"content-type":
            content_type = value
        elif name == b"content-length":
            declared = value
    media_type = content_type.split(b";")[0].strip().lower().decode("latin-1")
    if media_type not in JSON_TYPES and not media_type.endswith("+json"):
        raise ApiError(415, "unsupported_media_type",
                       f"send the body as application/json (got '{media_type or 'no content type'}')")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise ApiError(413, "body_too_large", f"the body is larger than {limits.max_body_bytes} bytes")
    body = bytearray()
    # A plain timer that cancels this task when the body is late: a fraction of the cost of
    # asyncio.timeout, paid on every request.
    task = asyncio.current_task()
    assert task is not None
    expired = False

    def expire() -> None:
        nonlocal expired
        expired = True
        task.cancel()

    timer = asyncio.get_running_loop().call_later(limits.request_seconds, expire)
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limits.max_body_bytes:
                raise ApiError(413, "body_too_large", f"the body is larger than {limits.max_body_bytes} bytes")
    except asyncio.CancelledError:
        if not expired:
            raise  # cancelled from elsewhere (the server stopping): let it go
        task.uncancel()
        raise ApiError(408, "request_timeout", f"the body did not arrive within {limits.request_seconds:g} s") from None
    finally:
        timer.cancel()
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:  # also bytes that are not UTF-8, and nesting past orjson's own limit
        if body.count(b"[") + body.count(b"{") > limits.max_depth and "recursion" in str(error).lower():
            raise ApiError(400, "too_deep", f"the JSON is nested more than {limits.max_depth} levels deep") from None
        raise ApiError(400, "invalid_json", "the body is not valid JSON",
                       [{"pointer": "", "message": str(error)}]) from None
    # Only a body with more brackets than the limit can be nested past it.
    if body.count(b"[") + body.count(b"{") > limits.max_depth and _depth_exceeds(data, limits.max_depth):
        raise ApiError(400, "too_deep", f"the JSON is nested more than {limits.max_depth} levels deep")
    return data


class OrjsonResponse(Response):
    """JSON rendered by orjson: several times faster than the standard library for decisions."""

    media_type = "application/json"

    def render(self, content: object) -> bytes:
        return orjson.dumps(content)


def _error_item(error: ApiError) -> dict[str, Any]:
    return {"error": {"code": error.code, "message": error.message, "errors": error.errors}}


def _invalid(error: RequestError) -> ApiError:
    return ApiError(400, "invalid_request", "the request is malformed", error.errors)


class _PolicyHeaders:
    """Pure ASGI middleware: every response carries the policy revision and digest (a decision's
    own, when the handler set them), and /v1/ needs the bearer token when one is configured."""

    def __init__(self, app: ASGIApp, policy: Policy, token: str | None):
        self.app = app
        self.policy = policy
        self.token = token.encode() if token else None

    def stamp(self) -> tuple[bytes, bytes]:
        """Today's revision and digest: read per response, so a revision taking effect while the
        service runs shows from that day on."""
        program = self.policy.program(date.today())
        return program.revision.encode(), program.digest.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.token is not None and scope["path"].startswith("/v1/") and not self._authorized(scope):
            response = ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>'").response()
            response.headers["WWW-Authenticate"] = 'Bearer realm="policykit"'
            await self._stamped(response)(scope, receive, send)
            return

        async def send_stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"x-policy-revision" not in names:
                    revision, digest = self.stamp()
                    headers += [(b"x-policy-revision", revision), (b"x-policy-digest", digest)]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_stamped)

    def _authorized(self, scope: Scope) -> bool:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, token = value.partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(token.strip(), self.token or b"")
        return False

    def _stamped(self, response: Response) -> Response:
        revision, digest = self.stamp()
        response.headers["X-Policy-Revision"] = revision.decode()
        response.headers["X-Policy-Digest"] = digest.decode()
        return response


class _SiteMount(Mount):
    """The site at /, but never for API paths: a wrong method on an API path stays a 405."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["path"].startswith(("/v1/", "/health", "/openapi.json", "/schemas/")):
            return Match.NONE, {}
        return super().matches(scope)


def openapi_document(limits: Limits = Limits(), clause_ids: Sequence[str] = ()) -> dict[str, Any]:
    """OpenAPI 3.1: the request and decision schemas are the files of schema/, embedded as they are."""
    error = {"type": "object", "required": ["code", "message", "errors"], "additionalProperties": False,
             "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                            "errors": {"type": "array", "items": {
                                "type": "object", "required": ["pointer", "message"], "additionalProperties": False,
                                "properties": {"pointer": {"type": "string"}, "message": {"type": "string"}}}}}}
    ref = {name: {"$ref": f"#/components/schemas/{name}"} for name in
           ("Error", "BatchRequest", "BatchResponse", "Policy", "Clause", "Health")}
    ref["Request"] = {"$ref": "/schemas/request.schema.json"}
    ref["Decision"] = {"$ref": "/schemas/decision.schema.json"}

    def errors(*statuses: int) -> dict[str, Any]:
        words = {400: "Malformed JSON or request", 401: "Missing or wrong bearer token", 404: "No such clause",
                 408: "The body arrived too slowly", 413: "Body or batch too large", 415: "Not application/json"}
        return {str(s): {"description": words[s], "content": {"application/json": {"schema": ref["Error"]}}}
                for s in statuses}

    def ok(description: str, schema: dict) -> dict[str, Any]:
        return {"200": {"description": description, "content": {"application/json": {"schema": schema}}}}

    headers = {"X-Policy-Revision": {"description": "The policy revision that answered.", "schema": {"type": "string"}},
               "X-Policy-Digest": {"description": "The digest of the clauses that answered.", "schema": {"type": "string"}}}
    document = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "policykit: Use of Electronic Communications and Social Media", "version": __version__,
                 "description": "Ask Ledyard Public Schools' staff policy whether an action is allowed. Every "
                                "response carries X-Policy-Revision and X-Policy-Digest. Limits: bodies up to "
                                f"{limits.max_body_bytes} bytes, batches up to {limits.max_batch} requests, JSON "
                                f"nested up to {limits.max_depth} levels, {limits.request_seconds:g} s to send a body."},
        "paths": {
            "/v1/decide": {"post": {
                "operationId": "decide", "summary": "Decide one request",
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref["Request"]}}},
                "responses": {**ok("The decision", ref["Decision"]), **errors(400, 401, 408, 413, 415)}}},
            "/v1/decide/batch": {"post": {
                "operationId": "decideBatch", "summary": f"Decide up to {limits.max_batch} requests",
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref["BatchRequest"]}}},
                "responses": {**ok("One decision or error per request, in order", ref["BatchResponse"]),
                              **errors(400, 401, 408, 413, 415)}}},
            "/v1/policy": {"get": {"operationId": "policy", "summary": "The policy and its clauses",
                                   "responses": {**ok("The policy", ref["Policy"]), **errors(401)}}},
            "/v1/clauses/{clause_id}": {"get": {
                "operationId": "clause", "summary": "One clause, as in force on a date",
                "parameters": [
                    {"name": "clause_id", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": list(clause_ids)} if clause_ids else {"type": "string"}},
                    {"name": "as_of", "in": "query", "required": False,
                     "schema": {"type": "string", "format": "date"}}],
                "responses": {**ok("The clause", ref["Clause"]), **errors(400, 401, 404)}}},
            "/health": {"get": {"operationId": "health", "summary": "Liveness",
                                "responses": ok("The service is up", ref["Health"])}},
        },
        "components": {
            "schemas": {
                # The files of schema/, embedded as they are. Operations reference the same files
                # as served at /schemas/ so that the files' own "#/$defs/..." references resolve in
                # every tool, including those that ignore an embedded schema's $id.
                "Request": load_schema("request"),
                "Decision": load_schema("decision"),
                "Error": error,
                "BatchRequest": {"type": "object", "required": ["requests"], "additionalProperties": False,
                                 "properties": {"requests": {"type": "array", "maxItems": limits.max_batch,
                                                             "items": {"type": "object"}}}},
                "BatchResponse": {"type": "object", "required": ["decisions"], "additionalProperties": False,
                                  "properties": {"decisions": {"type": "array", "items": {"oneOf": [
                                      ref["Decision"],
                                      {"type": "object", "required": ["error"], "additionalProperties": False,
                                       "properties": {"error": ref["Error"]}}]}}}},
                "Policy": {"type": "object", "required": ["id", "title", "revision", "digest", "clauses"],
                           "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                          "revision": {"type": "string"}, "digest": {"type": "string"},
                                          "clauses": {"type": "array", "items": {"type": "object"}}}},
                "Clause": {"type": "object", "required": ["id", "title", "section", "kind", "text", "versions"],
                           "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                          "section": {"type": "string"}, "kind": {"type": "string"},
                                          "text": {"type": "string"},
                                          "versions": {"type": "array", "items": {"type": "object"}}}},
                "Health": {"type": "object", "required": ["status"],
                           "properties": {"status": {"const": "ok"}, "revision": {"type": "string"},
                                          "digest": {"type": "string"}}},
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    for path in document["paths"].values():
        for operation in path.values():
            operation["responses"]["200"]["headers"] = headers
    return document


def create_app(policy: Policy, config: ServerConfig = ServerConfig()) -> Starlette:
    """The ASGI application serving ``policy``."""
    limits = config.limits
    log = DecisionLog(config.decision_log) if config.decision_log else None
    spec = openapi_document(limits, [clause.id for clause in policy.document.clauses])
    by_id = {clause.id: clause for clause in policy.document.clauses}

    def answer(data: object) -> Decision:
        try:
            decision = policy.decide(data)
        except RequestError as error:
            raise _invalid(error) from None
        if log is not None:
            log.write(decision, data)
        return decision

    async def decide(request: Request) -> Response:
        decision = answer(await read_json(request, limits))
        return OrjsonResponse(decision.to_dict(), headers={"X-Policy-Revision": decision.policy.revision,
                                                     "X-Policy-Digest": decision.policy.digest})

    async def decide_batch(request: Request) -> Response:
        data = await read_json(request, limits)
        if not isinstance(data, dict) or set(data) != {"requests"} or not isinstance(data["requests"], list):
            raise ApiError(400, "invalid_request", "send {\"requests\": [request, ...]}",
                           [{"pointer": "/requests", "message": "a list of requests is required, and nothing else"}])
        if len(data["requests"]) > limits.max_batch:
            raise ApiError(413, "batch_too_large", f"a batch holds at most {limits.max_batch} requests "
                                                   f"(got {len(data['requests'])})")
        results = []
        for item in data["requests"]:
            try:
                results.append(answer(item).to_dict())
            except ApiError as error:
                results.append(_error_item(error))
        return OrjsonResponse({"decisions": results})

    async def policy_info(request: Request) -> Response:
        document = policy.document
        program = policy.program(date.today())
        return OrjsonResponse({
            "id": document.id, "title": document.title, "series": document.series, "district": document.district,
            "adopted": document.adopted.isoformat(), "revisions": [r.isoformat() for r in document.revisions],
            "revision": program.revision, "digest": program.digest,
            "sections": [{"id": s.id, "title": s.title, "clauses": list(s.clause_ids)} for s in document.sections],
            "clauses": [{"id": c.id, "title": c.title, "section": c.section, "kind": c.kind,
                         "kind_words": KIND_WORDS[c.kind], "url": clause_url(c)} for c in document.clauses],
        })

    async def clause(request: Request) -> Response:
        clause_id = request.path_params["clause_id"]
        found = by_id.get(clause_id)
        if found is None:
            raise ApiError(404, "not_found", f"no clause '{clause_id}'{did_you_mean(clause_id, by_id)}")
        as_of_text = request.query_params.get("as_of")
        if as_of_text is not None and not valid_date(as_of_text):
            raise ApiError(400, "invalid_request", "as_of must be a date written YYYY-MM-DD",
                           [{"pointer": "/as_of", "message": f"'{as_of_text}' is not a date written YYYY-MM-DD"}])
        day = date.fromisoformat(as_of_text) if as_of_text else date.today()
        try:
            program = policy.program(day)
        except RequestError as error:
            raise _invalid(error) from None
        version = found.version_on(day)
        if version is None:
            raise ApiError(404, "not_found", f"clause '{clause_id}' is not in force on {day.isoformat()}")
        return OrjsonResponse({
            "id": found.id, "title": found.title, "section": found.section, "kind": found.kind,
            "kind_words": KIND_WORDS[found.kind], "as_of": day.isoformat(), "revision": program.revision,
            "text": version.text, "effective": version.effective.isoformat(), "url": clause_url(found),
            "interpretation": ({"text": found.interpretation.text, "status": found.interpretation.status}
                               if found.interpretation else None),
            "versions": [{"effective": v.effective.isoformat(), "text": v.text, "note": v.note} for v in found.versions],
        }, headers={"X-Policy-Revision": program.revision, "X-Policy-Digest": program.digest})

    async def health(request: Request) -> Response:
        program = policy.program(date.today())
        return OrjsonResponse({"status": "ok", "revision": program.revision, "digest": program.digest})

    async def openapi(request: Request) -> Response:
        return OrjsonResponse(spec)

    async def schema_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in SCHEMAS:
            raise ApiError(404, "not_found", f"no schema '{name}'; schemas: {', '.join(SCHEMAS)}")
        return OrjsonResponse(load_schema(name), media_type="application/schema+json")

    async def index(request: Request) -> Response:
        return OrjsonResponse({"service": "policykit", "openapi": "/openapi.json",
                             "site": "not built: run `policykit site build` and `mkdocs build`"})

    async def api_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, ApiError)
        return error.response()

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return OrjsonResponse({"code": code, "message": str(error.detail).lower(), "errors": []},
                            status_code=error.status_code, headers=getattr(error, "headers", None))

    async def internal_error(request: Request, error: Exception) -> Response:
        # Fail closed: never a decision, never a stack trace.
        return OrjsonResponse({"code": "internal_error", "message": "the service could not answer; nothing was "
                                                                 "decided", "errors": []}, status_code=500)

    routes = [
        Route("/v1/decide", decide, methods=["POST"]),
        Route("/v1/decide/batch", decide_batch, methods=["POST"]),
        Route("/v1/policy", policy_info, methods=["GET"]),
        Route("/v1/clauses/{clause_id}", clause, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/schemas/{name}.schema.json", schema_file, methods=["GET"]),
    ]
    if config.site_dir is not None and (config.site_dir / "index.html").is_file():
        routes.append(_SiteMount("/", app=StaticFiles(directory=config.site_dir, html=True), name="site"))
    else:
        routes.append(Route("/", index, methods=["GET"]))
    app = Starlette(routes=routes, exception_handlers={ApiError: api_error, HTTPException: http_error,
                                                       Exception: internal_error})
    app.add_middleware(_PolicyHeaders, policy=policy, token=config.token)
    return app


def app_from_environment() -> Starlette:
    """The app as configured by ``policykit serve`` through POLICYKIT_* variables (for workers)."""
    from .api import load_policy

    env = os.environ
    limits = Limits(
        max_body_bytes=int(env.get("POLICYKIT_MAX_BODY_BYTES", Limits.max_body_bytes)),
        max_batch=int(env.get("POLICYKIT_MAX_BATCH", Limits.max_batch)),
        max_depth=int(env.get("POLICYKIT_MAX_DEPTH", Limits.max_depth)),
        request_seconds=float(env.get("POLICYKIT_REQUEST_SECONDS", Limits.request_seconds)),
    )
    token_file = env.get("POLICYKIT_TOKEN_FILE")
    token = Path(token_file).read_text(encoding="utf-8").strip() if token_file else None
    return create_app(load_policy(env.get("POLICYKIT_POLICY") or None),
                      ServerConfig(limits=limits, token=token,
                                   decision_log=Path(env["POLICYKIT_DECISION_LOG"]) if env.get("POLICYKIT_DECISION_LOG") else None,
                                   site_dir=Path(env["POLICYKIT_SITE"]) if env.get("POLICYKIT_SITE") else None))

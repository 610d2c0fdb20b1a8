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
import base64
import hashlib
import hmac
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykit import __version__
from policykit.core.alternatives import SearchBudget, search_budget
from policykit.core.api import Policy
from policykit.core.compiler import clause_url
from policykit.core.decision import Decision
from policykit.core.errors import RequestError, did_you_mean, shorten
from policykit.core.model import KIND_WORDS
from policykit.core.request import MAX_ERRORS, valid_date
from policykit.core.requestjson import JsonInputError, parse_json
from policykit.core.schemaerrors import load_schema
from policykit.interfaces.protocol import LINGER
from policykit.interfaces.clock import now

SCHEMAS = ("request", "decision", "clause", "policy")
logger = logging.getLogger("uvicorn.error")  # uvicorn's own log: its level and format


@dataclass(frozen=True)
class Limits:
    """What the service accepts; anything beyond gets a 4xx (or a 503 when it is busy)."""

    max_body_bytes: int = 1_048_576
    max_batch: int = 1000
    max_depth: int = 32
    request_seconds: float = 10.0  # to send the body, once the head has arrived
    max_errors: int = MAX_ERRORS  # problems listed for one request; the rest are counted
    max_batch_errors: int = 100  # problems listed in one batch; later malformed requests are not explained
    max_error_bytes: int = 65_536  # the largest error body
    max_pending: int = 64  # policy work queued or running at once; beyond it, 503 and Retry-After
    threads: int = 0  # threads doing policy work; 0: default_threads(), one per core but one


@dataclass(frozen=True)
class ServerConfig:
    limits: Limits = Limits()
    token: str | None = None  # when set, /v1/ endpoints need "Authorization: Bearer <token>"
    decision_log: Path | None = None
    decision_log_max_bytes: int = 64 * 1024 * 1024  # then the log is rotated ...
    decision_log_backups: int = 4  # ... keeping this many older files: at most 5 x 64 MiB on disk
    site_dir: Path | None = None


class ApiError(Exception):
    """An error answered as ``{code, message, errors[, more_errors]}`` with an HTTP status."""

    def __init__(self, status: int, code: str, message: str, errors: list[dict[str, str]] | None = None,
                 more_errors: int = 0, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors or []
        self.more_errors, self.headers = more_errors, headers

    def body(self, max_bytes: int = 65_536) -> dict[str, Any]:
        """The error as JSON, no larger than ``max_bytes``: errors that do not fit are counted."""
        errors, more = list(self.errors), self.more_errors
        while True:
            body: dict[str, Any] = {"code": self.code, "message": self.message, "errors": errors}
            if more:
                body["more_errors"] = more
            if not errors or len(orjson.dumps(body)) <= max_bytes:
                return body
            keep = max(0, len(errors) // 2)
            more += len(errors) - keep
            errors = errors[:keep]

    def response(self, max_bytes: int = 65_536) -> Response:
        return OrjsonResponse(self.body(max_bytes), status_code=self.status, headers=self.headers)


class _ClientGone(Exception):
    """The client closed the connection before its body arrived: nothing to answer."""


class DecisionLog:
    """JSON Lines, one decision per line, each written with a single append so that a crash
    loses at most the line being written. Past ``max_bytes`` the file is rotated (``FILE`` ->
    ``FILE.1`` -> ... -> ``FILE.<backups>``, the oldest deleted), so the log holds at most
    ``(backups + 1) * max_bytes`` bytes. Several worker processes may share one log: rotation
    takes an advisory lock, and a process whose file was rotated by another reopens the new one."""

    def __init__(self, path: Path, max_bytes: int = 64 * 1024 * 1024, backups: int = 4):
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        self._lock = threading.Lock()
        self._fd = self._open()

    def _open(self) -> int:
        return os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)

    def write(self, decision: Decision, request: object) -> None:
        record = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                  "decision_id": decision.decision_id, "digest": decision.policy.digest, "request": request,
                  "outcome": decision.outcome, "reasons": [r.id for r in decision.reasons]}
        line = orjson.dumps(record) + b"\n"
        with self._lock:
            if self.max_bytes and os.fstat(self._fd).st_size + len(line) > self.max_bytes:
                self._rotate()
            os.write(self._fd, line)

    def _rotate(self) -> None:
        import fcntl

        mine = os.fstat(self._fd)
        with open(f"{self.path}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                current = os.stat(self.path)
            except FileNotFoundError:
                current = None
            if current is not None and (current.st_ino, current.st_dev) == (mine.st_ino, mine.st_dev):
                # Still the live file, so no other process rotated it first: shift the backups.
                for index in range(self.backups, 0, -1):
                    older = Path(f"{self.path}.{index}")
                    if index == self.backups:
                        older.unlink(missing_ok=True)
                    elif older.exists():
                        older.rename(f"{self.path}.{index + 1}")
                if self.backups:
                    os.rename(self.path, f"{self.path}.1")
                else:
                    os.unlink(self.path)
            os.close(self._fd)
            self._fd = self._open()

    def close(self) -> None:
        os.close(self._fd)


_JSON_TYPE = re.compile(rb"application/json(?:[ \t]*;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|\"utf-8\"))?[ \t]*", re.I)


async def read_body(request: Request, limits: Limits) -> bytes:
    """The request body, within the limits; ApiError otherwise. Exactly one Content-Type
    header, ``application/json`` with at most ``charset=utf-8``."""
    content_types = []
    declared = b""
    for name, value in request.scope["headers"]:  # the raw headers: cheaper than a Headers object
        if name == b"content-type":
            content_types.append(value)
        elif name == b"content-length":
            declared = value
    if len(content_types) > 1:
        raise ApiError(400, "invalid_header", f"send one Content-Type header (got {len(content_types)})")
    content_type = content_types[0] if content_types else b""
    if not _JSON_TYPE.fullmatch(content_type):
        shown = shorten(content_type.decode("latin-1"), 80) or "no content type"
        raise ApiError(415, "unsupported_media_type",
                       f"send the body as application/json, optionally with charset=utf-8 (got '{shown}')")
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
    except ClientDisconnect:
        raise _ClientGone() from None
    finally:
        timer.cancel()
    return bytes(body)


def parse_body(body: bytes, limits: Limits) -> object:
    """The body as JSON (see ``policykit.core.requestjson``); ApiError otherwise."""
    try:
        return parse_json(body, max_depth=limits.max_depth)
    except JsonInputError as error:
        raise ApiError(400, error.code, error.message, error.errors) from None


async def read_json(request: Request, limits: Limits) -> object:
    """The request body as JSON, within the limits; ApiError otherwise."""
    return parse_body(await read_body(request, limits), limits)


class OrjsonResponse(Response):
    """JSON rendered by orjson: several times faster than the standard library for decisions."""

    media_type = "application/json"

    def render(self, content: object) -> bytes:
        return orjson.dumps(content)


def _error_item(error: ApiError, max_bytes: int) -> dict[str, Any]:
    return {"error": error.body(max_bytes)}


def _invalid(error: RequestError) -> ApiError:
    return ApiError(400, "invalid_request", "the request is malformed", error.errors, error.omitted)


INLINE_BYTES = 4096
"""The largest body whose request may be answered on the event loop from the verdict cache
(a valid request is a few hundred bytes): parsing it costs microseconds."""

API_CSP = "default-src 'none'; frame-ancestors 'none'"
"""The Content-Security-Policy of every answer but the site's: JSON is never a document to run."""
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "payment=(), usb=()")
"""No answer, the site included, may use a device or a payment: none needs one."""
_SECURITY = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
             (b"referrer-policy", b"no-referrer"), (b"permissions-policy", PERMISSIONS_POLICY.encode())]
NO_STORE = "no-store"
"""The Cache-Control of every answer but the site's files: a decision or an error is never kept."""
IMMUTABLE = "public, max-age=31536000, immutable"
"""The Cache-Control of the site's fingerprinted files (a hash in the name: a new build, a new name)."""
REVALIDATE = "no-cache"
"""The Cache-Control of the site's other files: kept, but checked with the service before each use."""
_FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}(?:\.min)?\.(?:js|css)$")


def _has_body(scope: Scope) -> bool:
    """Whether the request head announces a body (a non-zero Content-Length, or chunks)."""
    for name, value in scope.get("headers", []):
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip(b"0 \t")):
            return True
    return False


class _PolicyHeaders:
    """Pure ASGI middleware: every response carries the policy revision and digest (a decision's
    own, when the handler set them), nosniff, no framing and a Content-Security-Policy (the
    API's unless the site set its own); and /v1/ needs the bearer token when one is configured."""

    def __init__(self, app: ASGIApp, policy: Policy, token: str | None):
        self.app = app
        self.policy = policy
        self.token = token.encode() if token else None

    def stamp(self) -> tuple[bytes, bytes]:
        """Today's revision and digest: read per response, so a revision taking effect while the
        service runs shows from that day on."""
        program = self.policy.program(self.policy.today())
        return program.revision.encode(), program.digest.encode()

    def headers(self) -> list[tuple[bytes, bytes]]:
        """The headers every answer carries, for those rendered outside the app."""
        revision, digest = self.stamp()
        return [(b"x-policy-revision", revision), (b"x-policy-digest", digest), *_SECURITY,
                (b"content-security-policy", API_CSP.encode()), (b"cache-control", NO_STORE.encode())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_read = not _has_body(scope)

        async def receive_watched() -> Message:
            nonlocal body_read
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False):
                body_read = True
            return message

        async def send_stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"x-policy-revision" not in names:
                    revision, digest = self.stamp()
                    headers += [(b"x-policy-revision", revision), (b"x-policy-digest", digest)]
                headers += _SECURITY
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", API_CSP.encode()))
                if b"cache-control" not in names:
                    headers.append((b"cache-control", NO_STORE.encode()))
                status = message["status"]
                if status >= 400 and not body_read and b"connection" not in names:
                    # Answered before the body was read: close the door (gently, but a 408 at once).
                    headers.append((b"connection", b"close"))
                    scope[LINGER] = status != 408
                message["headers"] = headers
            await send(message)

        if self.token is not None and scope["path"].startswith("/v1/") and not self._authorized(scope):
            response = ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>'").response()
            response.headers["WWW-Authenticate"] = 'Bearer realm="policykit"'
            await response(scope, receive_watched, send_stamped)
            return
        await self.app(scope, receive_watched, send_stamped)

    def _authorized(self, scope: Scope) -> bool:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, token = value.partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(token.strip(), self.token or b"")
        return False


API_PREFIXES = ("/v1/", "/v1", "/health", "/openapi.json", "/schemas/")


class _SiteMount(Mount):
    """The site at /, but never for API paths: a wrong method on an API path stays a 405."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIXES):
            return Match.NONE, {}
        return super().matches(scope)


_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""", re.I)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def site_csp(site_dir: Path) -> str:
    """A Content-Security-Policy for the built site: scripts, styles, images, fonts, the search
    worker and its index from the site itself only, and of inline code only the scripts and
    style attributes the build wrote, each allowed by its hash (read from the HTML files, so
    that a rebuild with another theme version still works once the service restarts)."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for attributes, code in _INLINE_SCRIPT.findall(text):
            kind = re.search(r"""\btype=["']?([^"' >]+)""", attributes)
            if "src=" in attributes.lower() or (kind and "javascript" not in kind.group(1).lower()
                                                and kind.group(1).lower() != "module"):
                continue  # a file (covered by 'self') or a data block such as application/json
            scripts.add(_csp_hash(code))
        for double, single in _STYLE_ATTRIBUTE.findall(text):
            styles.add(_csp_hash(double or single))
    script_src = " ".join(["'self'", *sorted(scripts)])
    style_src = " ".join(["'self'", *(["'unsafe-hashes'", *sorted(styles)] if styles else [])])
    return (f"default-src 'self'; script-src {script_src}; style-src {style_src}; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'")


class SiteFiles(StaticFiles):
    """The built site, with its Content-Security-Policy. A directory asked for without its
    trailing slash is redirected by path alone (``Location: /sections/``), never to a URL built
    from the Host header."""

    def __init__(self, *, directory: Path, csp: str):
        super().__init__(directory=directory, html=True)
        self.csp = csp

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if 300 <= response.status_code < 400 and "location" in response.headers:
            # Starlette's redirect names the Host the client sent; this one only the path, and
            # with a single leading slash, so it can never point at another host.
            target = "/" + scope["path"].lstrip("/")
            response = Response(status_code=307, headers={"Location": target + "/"})
        response.headers["Content-Security-Policy"] = self.csp
        if response.status_code < 400:
            response.headers["Cache-Control"] = IMMUTABLE if _FINGERPRINTED.search(path) else REVALIDATE
        return response


def date_from_pattern(first: date) -> str:
    """A regular expression (ECMA-262, as JSON Schema's ``pattern``) matching the YYYY-MM-DD
    strings on or after ``first``: written with fixed-width digits, dates sort as strings do."""
    text = first.isoformat()  # digits and hyphens: nothing to escape
    branches = [text]
    for index, char in enumerate(text):
        if char.isdigit() and char != "9":
            rest = "".join(r"\d" if c.isdigit() else c for c in text[index + 1:])
            branches.append(text[:index] + f"[{int(char) + 1}-9]" + rest)
    return "^(?:" + "|".join(branches) + ")$"


def openapi_document(limits: Limits = Limits(), clause_ids: Sequence[str] = (),
                     first_date: date | None = None) -> dict[str, Any]:
    """OpenAPI 3.1: the request and decision schemas are the files of schema/, embedded as they
    are; what the service refuses beyond them (dates before the first revision) is added beside
    them, so that the document accepts exactly what the service answers."""
    error = {"type": "object", "required": ["code", "message", "errors"], "additionalProperties": False,
             "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                            "errors": {"type": "array", "maxItems": limits.max_errors, "items": {
                                "type": "object", "required": ["pointer", "message"], "additionalProperties": False,
                                "properties": {"pointer": {"type": "string"}, "message": {"type": "string"}}}},
                            "more_errors": {"type": "integer", "minimum": 1,
                                            "description": "How many further problems were found but not listed."}}}
    ref = {name: {"$ref": f"#/components/schemas/{name}"} for name in
           ("Error", "BatchRequest", "BatchResponse", "Policy", "Clause", "Health")}
    ref["Decision"] = {"$ref": "/schemas/decision.schema.json"}
    as_of = {"type": "string", "format": "date"}
    if first_date is not None:
        as_of["pattern"] = date_from_pattern(first_date)
        as_of["description"] = f"YYYY-MM-DD, on or after {first_date.isoformat()} (the first revision on record)"
    ref["Request"] = {"allOf": [{"$ref": "/schemas/request.schema.json"},
                                {"properties": {"as_of": {"pattern": as_of["pattern"]}}}]} if first_date else \
        {"$ref": "/schemas/request.schema.json"}

    def errors(*statuses: int) -> dict[str, Any]:
        words = {400: "Malformed JSON, request, header or query", 401: "Missing or wrong bearer token",
                 404: "No such clause, or none in force on that date", 408: "The body arrived too slowly",
                 413: "Body too large", 415: "Not application/json",
                 503: "Busy: too much policy work queued; retry after the Retry-After seconds"}
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
                                f"nested up to {limits.max_depth} levels, {limits.request_seconds:g} s to send a "
                                f"body, {limits.max_errors} problems listed per request and "
                                f"{limits.max_batch_errors} per batch (the rest counted in more_errors). POST "
                                "routes read no query parameter but alternatives; a key given twice in one JSON object is refused."},
        "paths": {
            "/v1/decide": {"post": {
                "operationId": "decide", "summary": "Decide one request",
                "parameters": [{"name": "alternatives", "in": "query", "required": False,
                                "description": "true adds alternatives (ways to do it within the policy) and questions "
                                               "(the facts to ask first) to each decision.",
                                "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref["Request"]}}},
                "responses": {**ok("The decision", ref["Decision"]), **errors(400, 401, 408, 413, 415, 503)}}},
            "/v1/decide/batch": {"post": {
                "operationId": "decideBatch", "summary": f"Decide up to {limits.max_batch} requests",
                "parameters": [{"name": "alternatives", "in": "query", "required": False,
                                "description": "true adds alternatives (ways to do it within the policy) and questions "
                                               "(the facts to ask first) to each decision.",
                                "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref["BatchRequest"]}}},
                "responses": {**ok("One decision or error per request, in order", ref["BatchResponse"]),
                              **errors(400, 401, 408, 413, 415, 503)}}},
            "/v1/policy": {"get": {"operationId": "policy", "summary": "The policy and its clauses",
                                   "responses": {**ok("The policy", ref["Policy"]), **errors(400, 401)}}},
            "/v1/clauses/{clause_id}": {"get": {
                "operationId": "clause", "summary": "One clause, as in force on a date",
                "parameters": [
                    {"name": "clause_id", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": list(clause_ids)} if clause_ids else {"type": "string"}},
                    {"name": "as_of", "in": "query", "required": False, "schema": as_of}],
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
                                 "properties": {"requests": {
                                     "type": "array", "maxItems": limits.max_batch,
                                     "description": "Requests (see the Request schema). Any JSON value is "
                                                    "answered in its place: a valid request with its decision, "
                                                    "anything else with an error.",
                                     "items": {}}}},
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


def default_threads() -> int:
    """Threads for policy work: one per core but one, left to the event loop. Policy work is
    Python holding the GIL, so more threads add no throughput, only more contention for the
    loop (one worker process per core is what scales: ``--workers``)."""
    return max(1, (os.cpu_count() or 2) - 1)


class _Abandoned(Exception):
    """The client of a piece of policy work has gone: the work stopped at its next check."""


class Job:
    """One piece of policy work, and whether its client has gone: asked before the work starts
    (so queued work costs nothing once abandoned), between the requests of a batch and at every
    step of an alternatives search."""

    __slots__ = ("gone",)

    def __init__(self) -> None:
        self.gone = threading.Event()

    def withdrawn(self) -> bool:
        """Whether the client has gone (what an alternatives search's budget asks)."""
        return self.gone.is_set()

    def check(self) -> None:
        """Raise ``_Abandoned`` when the client has gone."""
        if self.gone.is_set():
            raise _Abandoned()


class _PolicyWork:
    """Policy work (parsing, checking, deciding, rendering, logging) off the event loop, on a
    few threads, with a bound on how much may wait: the loop only moves bytes, so /health and
    every other connection keep being served while a large or hostile body is worked through.
    Work follows its client: when the client disconnects, its work stops at the next check,
    whether queued or running. ``finished`` and ``cancelled`` count what happened to the work."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.pool = ThreadPoolExecutor(max_workers=limits.threads or default_threads(), thread_name_prefix="policykit")
        self.pending = 0
        self.finished = 0
        self.cancelled = 0

    async def run(self, function: Callable[..., Any], *args: Any, receive: Receive | None = None) -> Any:
        """``function(job, *args)`` on a policy thread. With ``receive`` (the request's, its body
        already read), a disconnect of the client withdraws the job."""
        if self.pending >= self.limits.max_pending:
            raise ApiError(503, "busy", f"{self.pending} requests are being decided; retry shortly",
                           headers={"Retry-After": "1"})
        job = Job()

        def work() -> Any:
            job.check()
            return function(job, *args)

        watcher = asyncio.ensure_future(_watch(receive, job)) if receive is not None else None
        self.pending += 1
        try:
            result = await asyncio.get_running_loop().run_in_executor(self.pool, work)
        except _Abandoned:
            self.cancelled += 1
            raise _ClientGone("before its answer was ready; its policy work was stopped") from None
        except BaseException:
            self.finished += 1
            raise
        finally:
            self.pending -= 1
            if watcher is not None:
                watcher.cancel()
        self.finished += 1
        return result


async def _watch(receive: Receive, job: Job) -> None:
    """Withdraw ``job`` when its client disconnects (uvicorn answers ``receive`` with
    ``http.disconnect`` once the connection is lost)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            job.gone.set()
            return


def _refuse_query(request: Request, allowed: Sequence[str] = ()) -> dict[str, str]:
    """The query parameters, when each is one of ``allowed`` and given once; ApiError otherwise."""
    raw = request.scope.get("query_string", b"")
    if not raw:
        return {}
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    names = [name for name, _ in pairs]
    unknown = sorted({name for name in names if name not in allowed})
    repeated = sorted({name for name in names if name in allowed and names.count(name) > 1})
    if not unknown and not repeated and pairs:
        return dict(pairs)
    route = request.scope["path"]
    if not pairs:
        unknown = [raw.decode("latin-1")]
    problems = [{"pointer": "", "message": f"query parameter '{shorten(name)}' is not read by {request.method} "
                                           f"{route}" + (f"{did_you_mean(name, allowed)}; it reads: "
                                                         f"{', '.join(allowed)}" if allowed else
                                                         "; a request's facts, as_of included, go in the body")}
                for name in unknown[:MAX_ERRORS]]
    problems += [{"pointer": "", "message": f"query parameter '{name}' is given more than once"} for name in repeated]
    names_text = ", ".join(shorten(name, 40) for name in (unknown + repeated)[:5])
    raise ApiError(400, "invalid_query", f"{request.method} {route} "
                                         f"{'reads no query parameters' if not allowed else 'refuses this query'}"
                                         f" (got: {names_text})", problems[:MAX_ERRORS])


def _alternatives_asked(request: Request) -> bool:
    """The decide routes' one query parameter: ``alternatives=true`` adds the ways to do it
    within the policy and the questions to settle it (``alternatives=false``, the default, does not)."""
    value = _refuse_query(request, ("alternatives",)).get("alternatives")
    if value in (None, "false"):
        return False
    if value == "true":
        return True
    raise ApiError(400, "invalid_query", f"alternatives must be true or false (got: {shorten(value, 40)})",
                   [{"pointer": "", "message": "query parameter 'alternatives' takes true or false"}])


def create_app(policy: Policy, config: ServerConfig = ServerConfig()) -> Starlette:
    """The ASGI application serving ``policy``. The server is an edge: when the caller gave the
    policy no clock, it answers undated questions (and stamps its headers) for the date the clock
    (``policykit.interfaces.clock.now``) gives in the policy's time zone."""
    if policy.clock is None:
        policy.clock = now
    limits = config.limits
    log = (DecisionLog(config.decision_log, config.decision_log_max_bytes, config.decision_log_backups)
           if config.decision_log else None)
    spec = openapi_document(limits, [clause.id for clause in policy.document.clauses], policy.first_date)
    by_id = {clause.id: clause for clause in policy.document.clauses}
    work = _PolicyWork(limits)
    json_headers = {"content-type": "application/json"}

    def answer(data: object, alternatives: bool = False, budget: SearchBudget | None = None) -> Decision:
        try:
            decision = policy.decide(data, alternatives=alternatives, budget=budget)
        except RequestError as error:
            raise _invalid(error) from None
        if log is not None:
            log.write(decision, data)
        return decision

    def decide_one(job: Job, body: bytes, alternatives: bool = False) -> tuple[bytes, dict[str, str]]:  # on a worker thread
        budget = SearchBudget(search_budget(), job.withdrawn) if alternatives else None
        decision = answer(parse_body(body, limits), alternatives, budget)
        job.check()  # a search cut short by the client's leaving is not an answer to log or send
        return orjson.dumps(decision.to_dict()), {"X-Policy-Revision": decision.policy.revision,
                                                  "X-Policy-Digest": decision.policy.digest}

    def decide_many(job: Job, body: bytes, alternatives: bool = False) -> bytes:  # on a worker thread
        data = parse_body(body, limits)
        if not isinstance(data, dict) or set(data) != {"requests"} or not isinstance(data["requests"], list):
            raise ApiError(400, "invalid_request", "send {\"requests\": [request, ...]}",
                           [{"pointer": "/requests", "message": "a list of requests is required, and nothing else"}])
        items = data["requests"]
        if len(items) > limits.max_batch:
            raise ApiError(400, "batch_too_large", f"a batch holds at most {limits.max_batch} requests "
                                                   f"(got {len(items)})",
                           [{"pointer": "/requests", "message": f"at most {limits.max_batch} requests "
                                                               f"(got {len(items)})"}])
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
            if budget <= 0 and not policy.encodes(item):
                results.append(_error_item(unexplained, limits.max_error_bytes))
                continue
            try:
                results.append(answer(item, alternatives, search).to_dict())
            except ApiError as error:
                budget -= max(1, len(error.errors))
                results.append(_error_item(error, limits.max_error_bytes))
        job.check()
        return orjson.dumps({"decisions": results})

    def cached(body: bytes) -> tuple[bytes, dict[str, str]] | None:
        """The answer to a small, valid request whose verdict is already known, or None: a
        lookup, so it is the one answer given on the event loop (nothing is evaluated,
        explained or logged there)."""
        if log is not None or len(body) > INLINE_BYTES:
            return None
        data = parse_body(body, limits)
        try:
            decision = policy.cached_decision(data)
        except RequestError:  # a date before the first revision: answered, with its error, off the loop
            return None
        if decision is None:
            return None
        return orjson.dumps(decision.to_dict()), {"X-Policy-Revision": decision.policy.revision,
                                                  "X-Policy-Digest": decision.policy.digest}

    async def decide(request: Request) -> Response:
        alternatives = _alternatives_asked(request)
        body = await read_body(request, limits)
        content, headers = (None if alternatives else cached(body)) or await work.run(
            decide_one, body, alternatives, receive=request.receive)
        return Response(content, headers={**json_headers, **headers})

    async def decide_batch(request: Request) -> Response:
        alternatives = _alternatives_asked(request)
        body = await read_body(request, limits)
        return Response(await work.run(decide_many, body, alternatives, receive=request.receive),
                        headers=json_headers)

    async def policy_info(request: Request) -> Response:
        _refuse_query(request)
        document = policy.document
        program = policy.program(policy.today())
        return OrjsonResponse({
            "id": document.id, "title": document.title, "series": document.series, "district": document.district,
            "adopted": document.adopted.isoformat(), "revisions": [r.isoformat() for r in document.revisions],
            "revision": program.revision, "digest": program.digest,
            "sections": [{"id": s.id, "title": s.title, "clauses": list(s.clause_ids)} for s in document.sections],
            "clauses": [{"id": c.id, "title": c.title, "section": c.section, "kind": c.kind,
                         "kind_words": KIND_WORDS[c.kind], "url": clause_url(c, policy.site_url)} for c in document.clauses],
        })

    async def clause(request: Request) -> Response:
        query = _refuse_query(request, ("as_of",))
        clause_id = request.path_params["clause_id"]
        found = by_id.get(clause_id)
        if found is None:
            raise ApiError(404, "not_found", f"no clause '{shorten(clause_id)}'{did_you_mean(clause_id, by_id)}")
        as_of_text = query.get("as_of")
        if as_of_text is not None and not valid_date(as_of_text):
            raise ApiError(400, "invalid_request", "as_of must be a date written YYYY-MM-DD",
                           [{"pointer": "/as_of", "message": f"'{shorten(as_of_text)}' is not a date written "
                                                             "YYYY-MM-DD"}])
        day = date.fromisoformat(as_of_text) if as_of_text else policy.today()
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
            "text": version.text, "effective": version.effective.isoformat(), "url": clause_url(found, policy.site_url),
            "interpretation": ({"text": found.interpretation.text, "status": found.interpretation.status}
                               if found.interpretation else None),
            "versions": [{"effective": v.effective.isoformat(), "text": v.text, "note": v.note} for v in found.versions],
        }, headers={"X-Policy-Revision": program.revision, "X-Policy-Digest": program.digest})

    async def health(request: Request) -> Response:
        program = policy.program(policy.today())
        return OrjsonResponse({"status": "ok", "revision": program.revision, "digest": program.digest})

    async def openapi(request: Request) -> Response:
        return OrjsonResponse(spec)

    async def schema_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in SCHEMAS:
            raise ApiError(404, "not_found", f"no schema '{shorten(name)}'; schemas: {', '.join(SCHEMAS)}")
        return OrjsonResponse(load_schema(name), media_type="application/schema+json")

    async def index(request: Request) -> Response:
        return OrjsonResponse({"service": "policykit", "openapi": "/openapi.json",
                               "site": "not built: run `policykit site build` and `mkdocs build`"})

    async def api_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, ApiError)
        return error.response(limits.max_error_bytes)

    async def client_gone(request: Request, error: Exception) -> Response:
        client = request.scope.get("client")
        logger.info("%s - %s %s: the client disconnected %s",
                    f"{client[0]}:{client[1]}" if client else "-", request.method, request.url.path,
                    str(error) or "before sending the whole body")
        return Response(status_code=400)  # never sent: the connection is gone

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
        routes.append(_SiteMount("/", app=SiteFiles(directory=config.site_dir, csp=site_csp(config.site_dir)),
                                 name="site"))
    else:
        routes.append(Route("/", index, methods=["GET"]))
    app = Starlette(routes=routes, exception_handlers={ApiError: api_error, _ClientGone: client_gone,
                                                       HTTPException: http_error, Exception: internal_error})
    # /v1/decide/ is not /v1/decide: a 404, never a redirect to a URL built from the Host header.
    app.router.redirect_slashes = False
    app.add_middleware(_PolicyHeaders, policy=policy, token=config.token)
    stamp = _PolicyHeaders(app, policy, None)

    def raw_error(status: int, code: str, message: str) -> bytes:
        """An error answered below the app (by policykit.interfaces.protocol), as raw HTTP/1.1 bytes."""
        body = orjson.dumps({"code": code, "message": message, "errors": []})
        head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode("latin-1"), b"content-type: application/json",
                f"content-length: {len(body)}".encode("latin-1"), b"connection: close"]
        head += [name + b": " + value for name, value in stamp.headers()]
        return b"\r\n".join(head) + b"\r\n\r\n" + body

    app.state.raw_error = raw_error
    app.state.work = work
    return app


def _environment_limits(env: dict[str, str]) -> Limits:
    def number(name: str, default: float, kind: type = int) -> Any:
        text = env.get(f"POLICYKIT_{name}")
        return kind(text) if text else default

    return Limits(
        max_body_bytes=number("MAX_BODY_BYTES", Limits.max_body_bytes),
        max_batch=number("MAX_BATCH", Limits.max_batch),
        max_depth=number("MAX_DEPTH", Limits.max_depth),
        request_seconds=number("REQUEST_SECONDS", Limits.request_seconds, float),
        max_pending=number("MAX_PENDING", Limits.max_pending),
        threads=number("THREADS", Limits.threads),
    )


def app_from_environment() -> Starlette:
    """The app as configured by ``policykit serve`` through POLICYKIT_* variables (for workers)."""
    from policykit.core.api import load_policy

    env = dict(os.environ)
    # The event loop shares the interpreter with the policy threads: let it take the GIL back
    # within 1 ms rather than CPython's default 5, so that /health and the other connections
    # are served promptly while a thread works through a large body.
    sys.setswitchinterval(float(env.get("POLICYKIT_SWITCH_INTERVAL") or 0.001))
    token_file = env.get("POLICYKIT_TOKEN_FILE")
    token = Path(token_file).read_text(encoding="utf-8").strip() if token_file else None
    log = env.get("POLICYKIT_DECISION_LOG")
    return create_app(load_policy(env.get("POLICYKIT_POLICY") or None, today=now,
                                  site_url=env.get("POLICYKIT_SITE_URL") or None),
                      ServerConfig(limits=_environment_limits(env), token=token,
                                   decision_log=Path(log) if log else None,
                                   decision_log_max_bytes=int(env.get("POLICYKIT_DECISION_LOG_MAX_BYTES")
                                                              or ServerConfig.decision_log_max_bytes),
                                   decision_log_backups=int(env.get("POLICYKIT_DECISION_LOG_BACKUPS")
                                                            or ServerConfig.decision_log_backups),
                                   site_dir=Path(env["POLICYKIT_SITE"]) if env.get("POLICYKIT_SITE") else None))


def uvicorn_options(header_seconds: float | None = None, max_connections: int | None = None) -> dict[str, Any]:
    """The uvicorn settings the service runs with (``policykit serve`` and the tests alike):
    the guarded protocol (head deadline, connection cap, JSON errors below the app, gentle
    closing after early errors), 5 s keep-alive, 16 KiB request heads, no Server header, 5 s to
    drain on shutdown, and a listening backlog (which asyncio also takes as the connections it
    accepts at once) that is a small share of the connection cap. With
    arguments, the protocol's settings are fixed for a server in this process; without, each
    worker reads them from POLICYKIT_HEADER_SECONDS and POLICYKIT_MAX_CONNECTIONS."""
    from policykit.interfaces.protocol import accept_batch, default_max_connections, guarded_protocol

    protocol: Any = ("policykit.interfaces.protocol:GuardedH11Protocol" if header_seconds is None and max_connections is None
                     else guarded_protocol(header_seconds if header_seconds is not None else 10.0, max_connections))
    cap = max_connections or int(os.environ.get("POLICYKIT_MAX_CONNECTIONS") or default_max_connections())
    return {"http": protocol, "timeout_keep_alive": 5, "h11_max_incomplete_event_size": 16 * 1024,
            "server_header": False, "timeout_graceful_shutdown": 5, "backlog": accept_batch(cap)}

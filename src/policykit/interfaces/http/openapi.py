"""The service's OpenAPI 3.1 document: the request and decision schemas are the files of schema/,
embedded as they are; what the service refuses beyond them (dates before the first revision) is
added beside them, so that the document accepts exactly what the service answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from policykit import __version__
from policykit.core.schemaerrors import load_schema
from policykit.interfaces.http.config import DEFAULT_LIMITS, Limits

JsonObject = dict[str, Any]

_ERROR_WORDS = {400: "Malformed JSON, request, header or query", 401: "Missing or wrong bearer token",
                404: "No such clause, or none in force on that date", 408: "The body arrived too slowly",
                413: "Body too large", 415: "Not application/json",
                503: "Busy: too much policy work queued; retry after the Retry-After seconds"}
_HEADERS = {"X-Policy-Revision": {"description": "The policy revision that answered.", "schema": {"type": "string"}},
            "X-Policy-Digest": {"description": "The digest of the clauses that answered.",
                                "schema": {"type": "string"}}}
_ALTERNATIVES = {"name": "alternatives", "in": "query", "required": False,
                 "description": "true adds alternatives (ways to do it within the policy) and questions "
                                "(the facts to ask first) to each decision.",
                 "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}}
_REFS = {name: {"$ref": f"#/components/schemas/{name}"} for name in
         ("Error", "BatchRequest", "BatchResponse", "Policy", "Clause", "Health")}
_REFS["Decision"] = {"$ref": "/schemas/decision.schema.json"}


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


def _as_of(first_date: date | None) -> JsonObject:
    """The schema of a date a request may ask about."""
    as_of: JsonObject = {"type": "string", "format": "date"}
    if first_date is not None:
        as_of["pattern"] = date_from_pattern(first_date)
        as_of["description"] = f"YYYY-MM-DD, on or after {first_date.isoformat()} (the first revision on record)"
    return as_of


def _request_ref(as_of: JsonObject) -> JsonObject:
    """The request schema's file, and the first date beside it when there is one."""
    if "pattern" not in as_of:
        return {"$ref": "/schemas/request.schema.json"}
    return {"allOf": [{"$ref": "/schemas/request.schema.json"},
                      {"properties": {"as_of": {"pattern": as_of["pattern"]}}}]}


def _errors(*statuses: int) -> JsonObject:
    return {str(s): {"description": _ERROR_WORDS[s], "content": {"application/json": {"schema": _REFS["Error"]}}}
            for s in statuses}


def _ok(description: str, schema: JsonObject) -> JsonObject:
    return {"200": {"description": description, "content": {"application/json": {"schema": schema}},
                    "headers": _HEADERS}}


def _description(limits: Limits) -> str:
    return ("Ask Ledyard Public Schools' staff policy whether an action is allowed. Every response carries "
            f"X-Policy-Revision and X-Policy-Digest. Limits: bodies up to {limits.max_body_bytes} bytes, batches up "
            f"to {limits.max_batch} requests, JSON nested up to {limits.max_depth} levels, "
            f"{limits.request_seconds:g} s to send a body, {limits.max_errors} problems listed per request and "
            f"{limits.max_batch_errors} per batch (the rest counted in more_errors). POST routes read no query "
            "parameter but alternatives; a key given twice in one JSON object is refused.")


def _paths(limits: Limits, clause_ids: Sequence[str], as_of: JsonObject) -> JsonObject:
    clause_id = {"type": "string", "enum": list(clause_ids)} if clause_ids else {"type": "string"}
    return {
        "/v1/decide": {"post": {
            "operationId": "decide", "summary": "Decide one request", "parameters": [_ALTERNATIVES],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _request_ref(as_of)}}},
            "responses": {**_ok("The decision", _REFS["Decision"]), **_errors(400, 401, 408, 413, 415, 503)}}},
        "/v1/decide/batch": {"post": {
            "operationId": "decideBatch", "summary": f"Decide up to {limits.max_batch} requests",
            "parameters": [_ALTERNATIVES],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _REFS["BatchRequest"]}}},
            "responses": {**_ok("One decision or error per request, in order", _REFS["BatchResponse"]),
                          **_errors(400, 401, 408, 413, 415, 503)}}},
        "/v1/policy": {"get": {"operationId": "policy", "summary": "The policy and its clauses",
                               "responses": {**_ok("The policy", _REFS["Policy"]), **_errors(400, 401)}}},
        "/v1/clauses/{clause_id}": {"get": {
            "operationId": "clause", "summary": "One clause, as in force on a date",
            "parameters": [{"name": "clause_id", "in": "path", "required": True, "schema": clause_id},
                           {"name": "as_of", "in": "query", "required": False, "schema": as_of}],
            "responses": {**_ok("The clause", _REFS["Clause"]), **_errors(400, 401, 404)}}},
        "/health": {"get": {"operationId": "health", "summary": "Liveness",
                            "responses": _ok("The service is up", _REFS["Health"])}},
    }


def _error_schema(limits: Limits) -> JsonObject:
    problem = {"type": "object", "required": ["pointer", "message"], "additionalProperties": False,
               "properties": {"pointer": {"type": "string"}, "message": {"type": "string"}}}
    return {"type": "object", "required": ["code", "message", "errors"], "additionalProperties": False,
            "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                           "errors": {"type": "array", "maxItems": limits.max_errors, "items": problem},
                           "more_errors": {"type": "integer", "minimum": 1,
                                           "description": "How many further problems were found but not listed."}}}


def _batch_schemas(limits: Limits) -> JsonObject:
    request = {"type": "object", "required": ["requests"], "additionalProperties": False,
               "properties": {"requests": {
                   "type": "array", "maxItems": limits.max_batch,
                   "description": "Requests (see the Request schema). Any JSON value is answered in its place: a "
                                  "valid request with its decision, anything else with an error.",
                   "items": {}}}}
    error = {"type": "object", "required": ["error"], "additionalProperties": False,
             "properties": {"error": _REFS["Error"]}}
    response = {"type": "object", "required": ["decisions"], "additionalProperties": False,
                "properties": {"decisions": {"type": "array", "items": {"oneOf": [_REFS["Decision"], error]}}}}
    return {"BatchRequest": request, "BatchResponse": response}


_READ_SCHEMAS: JsonObject = {
    "Policy": {"type": "object", "required": ["id", "title", "revision", "digest", "clauses"],
               "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                              "revision": {"type": "string"}, "digest": {"type": "string"},
                              "clauses": {"type": "array", "items": {"type": "object"}}}},
    "Clause": {"type": "object", "required": ["id", "title", "section", "kind", "text", "versions"],
               "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                              "section": {"type": "string"}, "kind": {"type": "string"},
                              "text": {"type": "string"}, "versions": {"type": "array", "items": {"type": "object"}}}},
    "Health": {"type": "object", "required": ["status"],
               "properties": {"status": {"const": "ok"}, "revision": {"type": "string"},
                              "digest": {"type": "string"}}},
}


def openapi_document(limits: Limits = DEFAULT_LIMITS, clause_ids: Sequence[str] = (),
                     first_date: date | None = None) -> JsonObject:
    """OpenAPI 3.1 for a service with these limits, clauses and first revision (see the module)."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "policykit: Use of Electronic Communications and Social Media", "version": __version__,
                 "description": _description(limits)},
        "paths": _paths(limits, clause_ids, _as_of(first_date)),
        "components": {
            "schemas": {
                # The files of schema/, embedded as they are. Operations reference the same files
                # as served at /schemas/ so that the files' own "#/$defs/..." references resolve in
                # every tool, including those that ignore an embedded schema's $id.
                "Request": load_schema("request"),
                "Decision": load_schema("decision"),
                "Error": _error_schema(limits),
                **_batch_schemas(limits),
                **_READ_SCHEMAS,
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }

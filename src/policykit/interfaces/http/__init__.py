"""The evaluator as an HTTP JSON service (Starlette on uvicorn), a thin shell over ``Policy``.

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
never answered with a decision.

The rooms, by job: ``config`` (limits and settings), ``errors`` (the error model and its
answers), ``body`` (reading and parsing a request body), ``decisionlog`` (the rotating JSON Lines
log), ``headers`` (the headers every answer carries, the bearer token), ``sitefiles`` (the built
site and its Content-Security-Policy), ``openapi`` (the OpenAPI document), ``work`` (policy work
on threads, following its client), ``service`` (what the handlers read from the application's
state), ``deciding`` (the policy work of one request or batch), ``handlers`` (the routes'
handlers), ``app`` (the routing table), ``listener`` and ``protocol`` (the event loop's accept
gate and uvicorn's guarded HTTP/1.1 protocol) and ``serving`` (how uvicorn runs it all)."""

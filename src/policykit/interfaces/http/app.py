"""The application: the routing table, the error handlers and the middleware over the service
(see ``policykit.interfaces.http`` for the routes)."""

from __future__ import annotations

from functools import partial

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Route

from policykit.core.api import Policy
from policykit.interfaces.clock import now
from policykit.interfaces.http import handlers
from policykit.interfaces.http.config import DEFAULT_CONFIG, ServerConfig
from policykit.interfaces.http.decisionlog import DecisionLog
from policykit.interfaces.http.errors import ApiError, ClientGone
from policykit.interfaces.http.headers import PolicyHeaders, raw_error
from policykit.interfaces.http.openapi import openapi_document
from policykit.interfaces.http.service import Service
from policykit.interfaces.http.sitefiles import SiteFiles, SiteMount, site_csp
from policykit.interfaces.http.work import PolicyWork


def _routes(config: ServerConfig) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route("/v1/decide", handlers.decide, methods=["POST"]),
        Route("/v1/decide/batch", handlers.decide_batch, methods=["POST"]),
        Route("/v1/policy", handlers.policy_info, methods=["GET"]),
        Route("/v1/clauses/{clause_id}", handlers.clause, methods=["GET"]),
        Route("/health", handlers.health, methods=["GET"]),
        Route("/openapi.json", handlers.openapi, methods=["GET"]),
        Route("/schemas/{name}.schema.json", handlers.schema_file, methods=["GET"]),
    ]
    if config.site_dir is not None and (config.site_dir / "index.html").is_file():
        routes.append(SiteMount("/", app=SiteFiles(directory=config.site_dir, csp=site_csp(config.site_dir)),
                                name="site"))
    else:
        routes.append(Route("/", handlers.index, methods=["GET"]))
    return routes


def _service(policy: Policy, config: ServerConfig) -> Service:
    limits = config.limits
    log = (DecisionLog(config.decision_log, config.decision_log_max_bytes, config.decision_log_backups)
           if config.decision_log else None)
    return Service(policy=policy, limits=limits, log=log, work=PolicyWork(limits),
                   openapi=openapi_document(limits, [clause.id for clause in policy.document.clauses],
                                            policy.first_date),
                   clauses={clause.id: clause for clause in policy.document.clauses})


def create_app(policy: Policy, config: ServerConfig = DEFAULT_CONFIG) -> Starlette:
    """The ASGI application serving ``policy``. The server is an edge: when the caller gave the
    policy no clock, it answers undated questions (and stamps its headers) for the date the clock
    (``policykit.interfaces.clock.now``) gives in the policy's time zone."""
    if policy.clock is None:
        policy.clock = now
    app = Starlette(routes=_routes(config),
                    exception_handlers={ApiError: handlers.api_error, ClientGone: handlers.client_gone,
                                        HTTPException: handlers.http_error, Exception: handlers.internal_error})
    # /v1/decide/ is not /v1/decide: a 404, never a redirect to a URL built from the Host header.
    app.router.redirect_slashes = False
    app.add_middleware(PolicyHeaders, policy=policy, token=config.token)
    app.state.service = _service(policy, config)
    app.state.raw_error = partial(raw_error, policy)  # what the protocol answers below the app
    return app

"""What the handlers read from the application's state: the policy and everything the service
built for it once, at start-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from policykit.core.api import Policy
from policykit.core.model import Clause
from policykit.interfaces.http.config import Limits
from policykit.interfaces.http.decisionlog import DecisionLog
from policykit.interfaces.http.work import PolicyWork


@dataclass(frozen=True)
class Service:
    """One service: the policy it answers for, its limits, its decision log (when it keeps one),
    its policy work, its OpenAPI document and its clauses by id."""

    policy: Policy
    limits: Limits
    log: DecisionLog | None
    work: PolicyWork
    openapi: dict[str, Any]
    clauses: Mapping[str, Clause]


def service_of(request: Request) -> Service:
    """The service answering ``request`` (``app.state.service``, set by ``create_app``)."""
    service: Service = request.app.state.service
    return service

"""How uvicorn runs the service: its settings (the guarded protocol on the guarded event loop),
and the application as ``policykit serve`` configures each worker through POLICYKIT_* variables."""

from __future__ import annotations

import os
import sys
from functools import partial
from typing import Any

from starlette.applications import Starlette

from policykit.core.api import load_policy
from policykit.interfaces.clock import now
from policykit.interfaces.http.app import create_app
from policykit.interfaces.http.config import environment_config
from policykit.interfaces.http.listener import guarded_loop
from policykit.interfaces.http.protocol import HEADER_SECONDS, guarded_protocol


LISTEN_BACKLOG = 2048
"""Connections the kernel completes and holds for the service to accept (uvicorn's default)."""


def app_from_environment() -> Starlette:
    """The app as configured by ``policykit serve`` through POLICYKIT_* variables (for workers)."""
    env = dict(os.environ)
    # The event loop shares the interpreter with the policy threads: let it take the GIL back
    # within 1 ms rather than CPython's default 5, so that /health and the other connections
    # are served promptly while a thread works through a large body.
    sys.setswitchinterval(float(env.get("POLICYKIT_SWITCH_INTERVAL") or 0.001))
    return create_app(load_policy(env.get("POLICYKIT_POLICY") or None, today=now,
                                  site_url=env.get("POLICYKIT_SITE_URL") or None), environment_config(env))


def uvicorn_options(header_seconds: float | None = None, max_connections: int | None = None) -> dict[str, Any]:
    """The uvicorn settings the service runs with (``policykit serve`` and the tests alike):
    the guarded protocol (head deadline, JSON errors below the app, gentle closing after early
    errors) on the guarded event loop (the connection cap, held at the listening socket), 5 s
    keep-alive, 16 KiB request heads, no Server header, 5 s to drain on shutdown, and a
    listening queue of ``LISTEN_BACKLOG`` (connections waiting there hold no descriptor of the
    process, and a full queue makes clients wait a second to try again). With arguments, the
    settings are fixed for a server in this process; without, each worker reads them from
    POLICYKIT_HEADER_SECONDS and POLICYKIT_MAX_CONNECTIONS."""
    fixed = header_seconds is not None or max_connections is not None
    protocol: Any = (guarded_protocol(header_seconds if header_seconds is not None else HEADER_SECONDS) if fixed
                     else "policykit.interfaces.http.protocol:GuardedH11Protocol")
    loop: Any = (partial(guarded_loop, max_connections) if fixed
                 else "policykit.interfaces.http.listener:guarded_loop")
    return {"http": protocol, "loop": loop, "timeout_keep_alive": 5, "h11_max_incomplete_event_size": 16 * 1024,
            "server_header": False, "timeout_graceful_shutdown": 5, "backlog": LISTEN_BACKLOG}

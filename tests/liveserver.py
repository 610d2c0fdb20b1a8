"""A real uvicorn server on a loopback port, in a background thread, for the duration of a test,
with the settings ``policykit serve`` uses (``policykit.interfaces.http.serving.uvicorn_options``)."""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from policykit.interfaces.http.serving import uvicorn_options


class LiveServer:
    """``with LiveServer(app) as url:`` serves ``app`` on 127.0.0.1 at a free port. Keyword
    arguments override uvicorn's settings; ``header_seconds`` sets the guarded protocol's head
    deadline and ``max_connections`` the guarded event loop's cap. ``LiveServer.last`` is the
    server most recently entered (its ``server.server_state.policykit_stats`` counts what its
    connections did, and ``server.servers[0].get_loop().connection_book`` the sockets it held)."""

    last: "LiveServer | None" = None

    def __init__(self, app: ASGIApp, *, header_seconds: float = 10.0, max_connections: int | None = None,
                 **overrides: Any):
        options = {**uvicorn_options(header_seconds=header_seconds, max_connections=max_connections),
                   "log_level": "warning", **overrides}
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", **options))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        LiveServer.last = self
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)

"""A real uvicorn server on a loopback port, in a background thread, for the duration of a test."""

from __future__ import annotations

import threading
import time

import uvicorn
from starlette.types import ASGIApp


class LiveServer:
    """``with LiveServer(app) as url:`` serves ``app`` on 127.0.0.1 at a free port."""

    def __init__(self, app: ASGIApp):
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                                    lifespan="off", timeout_keep_alive=5))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
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

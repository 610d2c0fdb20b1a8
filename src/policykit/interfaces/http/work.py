"""Policy work (parsing, checking, deciding, rendering, logging) off the event loop, on a few
threads, bounded in how much may wait, and following its client: work whose client has gone
stops at its next check, whether queued or running."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.types import Receive

from policykit.interfaces.http.config import Limits
from policykit.interfaces.http.errors import ApiError, ClientGone


def default_threads() -> int:
    """Threads for policy work: one per core but one, left to the event loop. Policy work is
    Python holding the GIL, so more threads add no throughput, only more contention for the
    loop (one worker process per core is what scales: ``--workers``)."""
    return max(1, (os.cpu_count() or 2) - 1)


class Abandoned(Exception):
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
        """Raise ``Abandoned`` when the client has gone."""
        if self.gone.is_set():
            raise Abandoned()


class PolicyWork:
    """Policy work off the event loop, on a few threads, with a bound on how much may wait: the
    loop only moves bytes, so /health and every other connection keep being served while a
    large or hostile body is worked through. ``finished`` and ``cancelled`` count what happened
    to the work."""

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
        except Abandoned:
            self.cancelled += 1
            raise ClientGone("before its answer was ready; its policy work was stopped") from None
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

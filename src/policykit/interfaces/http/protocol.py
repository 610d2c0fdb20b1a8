"""uvicorn's h11 protocol with what it lacks against hostile clients: a deadline for the request
head, its part in the connection cap (see ``policykit.interfaces.http.listener``), and JSON errors
carrying the policy headers for what is refused before the application sees a request.

uvicorn 0.54 closes a connection only ``timeout_keep_alive`` seconds after a response, and
resets that timer on every byte received: a connection that never sends a request, or sends
its head one byte at a time, stays open for ever, and enough of them exhaust the file
descriptors. Its ``limit_concurrency`` answers a plain-text 503 to requests over the limit
but still accepts and keeps their connections. So this protocol:

* gives every connection ``header_seconds`` (default 10) from its opening, or from the end of
  its previous response, to deliver a complete request head; past it, a connection that sent
  part of a head gets a 408 and is closed, an idle one is closed;
* tells the connection book of its event loop (``listener.ConnectionBook``) when it waits for a
  request (and since when), when it has one in progress and when its socket closes, so that the
  loop accepts only below the cap and makes room by closing, at once (``abort``), the connection
  waiting longest; a connection the loop accepted in the place kept for refusing (every other
  one has a request in progress) gets a JSON 503 and is closed at once;
* closes the door after an error answered before the request body was read (the application
  marks such answers ``Connection: close`` and sets ``LINGER`` in the scope): it stops writing,
  reads and discards at most ``LINGER_BYTES`` more for at most ``LINGER_SECONDS`` (so that the
  client can read the answer rather than a reset) and closes; any other answer marked
  ``Connection: close`` (a 408) closes at once;
* answers h11's parse errors with a JSON 400, and a request head larger than
  ``h11_max_incomplete_event_size`` with a JSON 431 (h11 checks that size only for a head
  still incomplete after a read, so a larger head arriving whole would otherwise pass).

The application is found through the ``.app`` chain of uvicorn's wrappers: the service sets
``app.state.raw_error`` (see ``policykit.interfaces.http.app``) to render those answers with its headers."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, cast

import h11
import orjson
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from uvicorn.protocols.http.h11_impl import H11Protocol

from policykit.interfaces.http.listener import ConnectionBook

logger = logging.getLogger("uvicorn.error")

HEADER_SECONDS = 10.0
LINGER = "policykit.linger"
"""Scope key: True when the answer was given before the request body was read (close gently)."""
LINGER_BYTES = 256 * 1024
"""The most a closing connection reads and discards after its error answer."""
LINGER_SECONDS = 2.0
"""The longest a closing connection waits for its client to read the answer."""


class ConnectionStats:
    """What the connections of one server have done, for tests and benchmarks to read
    (``server_state.policykit_stats``): bytes received, gentle closes, evictions, refusals."""

    __slots__ = ("bytes_received", "lingered", "evicted", "refused")

    def __init__(self) -> None:
        self.bytes_received = 0
        self.lingered = 0
        self.evicted = 0
        self.refused = 0


class _Transport:
    """The connection's transport as uvicorn sees it: ``close`` goes through the protocol, which
    closes gently after an error answered before the body was read; while it does, the
    connection counts as closing."""

    __slots__ = ("_transport", "_protocol")

    def __init__(self, transport: Any, protocol: "GuardedH11Protocol") -> None:
        self._transport = transport
        self._protocol = protocol

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)

    def close(self) -> None:
        self._protocol._close()

    def is_closing(self) -> bool:
        return self._protocol._lingering or self._transport.is_closing()


RawError = Callable[[int, str, str], bytes]


def plain_raw_error(status: int, code: str, message: str) -> bytes:
    """A JSON error as raw HTTP/1.1 bytes, for an application that renders none of its own."""
    body = orjson.dumps({"code": code, "message": message, "errors": []})
    return (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode("latin-1") + body


def _find_raw_error(app: Any) -> RawError:
    node = app
    for _ in range(16):  # uvicorn's wrappers (proxy headers, message logger, ASGI 2) each keep .app
        if node is None:
            break
        state = getattr(node, "state", None)
        render = getattr(state, "raw_error", None)
        if callable(render):
            return cast(RawError, render)
        node = getattr(node, "app", None)
    return plain_raw_error


class GuardedH11Protocol(H11Protocol):
    """See the module's docstring. ``header_seconds`` is a class attribute (``guarded_protocol``
    makes a subclass with another); when None it is read from POLICYKIT_HEADER_SECONDS, as
    ``policykit serve`` sets it. The connection cap is the event loop's: this protocol runs on
    the loop of ``listener.guarded_loop``."""

    header_seconds: float | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cls = type(self)
        self._header_seconds = (cls.header_seconds if cls.header_seconds is not None
                                else float(os.environ.get("POLICYKIT_HEADER_SECONDS") or HEADER_SECONDS))
        book = getattr(self.loop, "connection_book", None)
        if not isinstance(book, ConnectionBook):
            raise RuntimeError("GuardedH11Protocol runs on the event loop of guarded_loop "
                               "(uvicorn_options sets both)")
        self._book = book
        self._deadline: Any = None
        self._refused = False
        self._lingering = False
        self._lingered_bytes = 0
        self._linger_timer: Any = None
        self._served = False  # completed a request: an idle keep-alive connection, evicted last
        self._evicted = False
        self._stats: ConnectionStats = self.server_state.__dict__.setdefault("policykit_stats", ConnectionStats())
        self._raw_error = _find_raw_error(self.app)
        self._head_limit = self.config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        self._head_bytes = 0
        self._head_tail = b""

    # -- the connection's life -----------------------------------------------------------------

    def connection_made(self, transport: Any) -> None:
        if not self._book.made():
            self._refused = True
            self._stats.refused += 1
            self.transport = transport
            logger.warning("Refused a connection: %d are open, each with a request in progress",
                           len(self.connections))
            transport.write(self._raw_error(503, "too_many_connections",
                                            "the service has as many connections as it takes; try again shortly"))
            transport.close()
            return
        # The wrapper passes for the transport uvicorn declares: it forwards all but close.
        super().connection_made(cast(asyncio.Transport, _Transport(transport, self)))
        self._sync_deadline()

    def data_received(self, data: bytes) -> None:
        self._stats.bytes_received += len(data)
        if self._refused:
            return
        if self._lingering:
            self._lingered_bytes += len(data)
            if self._lingered_bytes > LINGER_BYTES:
                self._transport_itself().close()
            return
        if self.conn.their_state is h11.IDLE and self._head_too_large(data):
            self._disarm()
            self.transport.write(self._raw_error(431, "headers_too_large",
                                                 f"the request head is larger than {self._head_limit} bytes"))
            self.transport.close()
            self._refused = True
            return
        super().data_received(data)
        self._sync_deadline()

    def _head_too_large(self, data: bytes) -> bool:
        """Whether the head being received passes the limit. h11 enforces its limit only on a
        head still incomplete after a read, so a larger one arriving whole would pass."""
        joined = self._head_tail + data
        end = joined.find(b"\r\n\r\n")
        if end < 0:
            self._head_bytes += len(data)
            self._head_tail = joined[-3:]
            return self._head_bytes > self._head_limit
        size = self._head_bytes + end + 4 - len(self._head_tail)
        self._head_bytes, self._head_tail = 0, b""
        return size > self._head_limit

    def on_response_complete(self) -> None:
        self._served = True
        super().on_response_complete()
        self._sync_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._book.closed(self._evicted)
        if self._linger_timer is not None:
            self._linger_timer.cancel()
        super().connection_lost(exc)

    # -- closing the door ---------------------------------------------------------------------

    def _transport_itself(self) -> Any:
        transport = self.transport
        return transport._transport if isinstance(transport, _Transport) else transport

    def _close(self) -> None:
        """Close, gently when the answer was an error given before the request body was read:
        stop writing, read on for a bounded while, then close."""
        real = self._transport_itself()
        cycle = self.cycle
        if (self._lingering or real.is_closing() or cycle is None or not cycle.scope.get(LINGER)
                or self.conn.their_state is not h11.SEND_BODY):
            if not self._lingering:
                real.close()
            return
        self._lingering = True
        self._stats.lingered += 1
        self._disarm()
        if real.can_write_eof():
            real.write_eof()
        real.resume_reading()
        self._linger_timer = self.loop.call_later(LINGER_SECONDS, real.close)

    # -- the head deadline --------------------------------------------------------------------

    def _sync_deadline(self) -> None:
        """Armed while the connection owes us a request head (no request in progress), else not."""
        waiting = (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing()
        if waiting and self._deadline is None:
            self._deadline = self.loop.call_later(self._header_seconds, self._close_waiting)
            self._book.waiting(self, self._served)
        elif not waiting:
            self._disarm()

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self._book.busy(self)

    def evict(self) -> bool:
        """Close at once to make room for a new connection: its descriptor is needed now. False
        when it was closing already."""
        self._disarm()
        if self.transport.is_closing():
            return False
        self._stats.evicted += 1
        self._evicted = True
        logger.info("Closed the longest-waiting connection to make room for a new one")
        self._transport_itself().abort()
        return True

    def _close_waiting(self) -> None:
        self._disarm()
        if self.transport.is_closing():
            return
        if self.conn.trailing_data[0]:
            self.transport.write(self._raw_error(
                408, "request_timeout", f"the request head did not arrive within {self._header_seconds:g} s"))
        logger.info("Closed a connection that sent no complete request within %g s", self._header_seconds)
        self._transport_itself().close()

    # -- errors below the application ---------------------------------------------------------

    def send_400_response(self, msg: str) -> None:
        if len(self.conn.trailing_data[0]) > self._head_limit:
            answer = self._raw_error(431, "headers_too_large",
                                     f"the request head is larger than {self._head_limit} bytes")
        else:
            answer = self._raw_error(400, "invalid_http", "the request is not valid HTTP/1.1")
        self.transport.write(answer)
        self.transport.close()


def guarded_protocol(header_seconds: float = HEADER_SECONDS) -> type[GuardedH11Protocol]:
    """A ``GuardedH11Protocol`` with this head deadline, for a server run in this process."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"header_seconds": header_seconds})

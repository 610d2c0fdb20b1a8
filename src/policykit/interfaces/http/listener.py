"""The connection cap, held where connections begin: at the listening socket.

asyncio's server accepts up to its backlog of connections per turn of the event loop, and a
protocol only hears of its connection two turns later; a connection closed to make room gives
its descriptor back one turn after that. A cap counted in the protocol therefore lets the
descriptors run past it by several turns' worth of accepted and closing sockets during a burst.
So the guarded event loop counts every accepted socket from ``accept()`` until it is closed
(``ConnectionBook.held``) and accepts only while that count is below the cap, less one place
kept for refusing, and at most ``accept_batch`` per turn. There, with connections still waiting
to be accepted, it closes as many of the connections that have waited longest without a
request in progress (first those that never completed a request: a flood, a slowloris; an idle
keep-alive connection, such as a monitor's /health probe, only when there is no other and none
is about to be) and accepts as many on the next turn, once their descriptors are back. Linux
says how many wait in the listening queue; elsewhere one is closed on the first turn, twice as
many on each further turn of the burst. A connection is never closed to make room before it has
had a turn to send its request, so a new /health probe is answered. When every connection has a
request in progress, one new connection at a time is accepted in the place kept for it,
answered 503 and closed; while that place is taken, the loop stops listening, and new
connections wait in the kernel's listening queue. The descriptors held for connections never
exceed the cap."""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import sys
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

_TCP_INFO: int | None = getattr(socket, "TCP_INFO", None)
YOUNG_TURNS = 3
"""Turns of the accept gate during which a newly made connection is not closed to make room:
it is made on one turn, starts reading on the next, and has read its first bytes by the third."""


class Waiting(Protocol):
    """A connection waiting for a request, which can be closed at once to make room."""

    def evict(self) -> bool:
        """Close at once (its descriptor is needed now); False when it was closing already."""


class ConnectionBook:
    """The connections of one event loop (one worker process): the cap, how many sockets are
    held (accepted and not yet closed), the connections waiting for a request oldest first,
    and the listening sockets paused while nothing can make room."""

    __slots__ = ("cap", "batch", "held", "peak", "unsettled", "closing", "refusals", "turn", "burst", "_fresh", "_idle",
                 "_paused")

    def __init__(self, cap: int) -> None:
        if cap < 2:
            raise ValueError(f"a connection cap of {cap}: at least 2, one place being kept for refusing")
        self.cap = cap
        self.batch = accept_batch(cap)  # the most accepted or closed to make room in one turn
        self.held = 0
        self.peak = 0  # the most held at once, for tests and benchmarks to read
        self.unsettled = 0  # accepted, and not yet made into a connection
        self.closing = 0  # closed to make room, and not yet given back
        self.refusals = 0  # accepted in the place kept for refusing, to be answered 503
        self.turn = 0  # calls of the accept gate, which stand for turns of the loop with connections to accept
        self.burst = 1  # where the listening queue's length is unknown: how many to close to make room
        self._fresh: OrderedDict[Waiting, int] = OrderedDict()  # never completed a request -> turn queued
        self._idle: OrderedDict[Waiting, int] = OrderedDict()  # completed one, now idle (keep-alive)
        self._paused: list[Callable[[], None]] = []

    def waiting(self, connection: Waiting, served: bool) -> None:
        """``connection`` waits for a request (``served``: it has completed one before)."""
        (self._idle if served else self._fresh)[connection] = self.turn
        self._resume()

    def busy(self, connection: Waiting) -> None:
        """``connection`` has a request in progress, or is closing: not one to close for room."""
        self._fresh.pop(connection, None)
        self._idle.pop(connection, None)

    def accepted(self) -> None:
        """A socket was accepted: one more descriptor held."""
        self.held += 1
        self.peak = max(self.peak, self.held)
        self.unsettled += 1

    def made(self) -> bool:
        """An accepted socket is now a connection: False when it is to be refused (answered 503
        and closed at once), as it came in the place kept for that."""
        self.unsettled -= 1
        if self.refusals:
            self.refusals -= 1
            return False
        return True

    def closed(self, evicted: bool) -> None:
        """A connection's socket is closing now (``evicted``: to make room): its descriptor is given back."""
        self.held -= 1
        self.closing -= evicted
        self._resume()

    def _evict(self, queue: OrderedDict[Waiting, int], connection: Waiting) -> None:
        queue.pop(connection, None)
        self.closing += connection.evict()

    def make_room(self, wanted: int) -> bool | None:
        """Close up to ``wanted`` of the connections that never completed a request, those waiting
        longest first and never a young one; failing those, and only when no other connection is
        about to wait or to close, the idle keep-alive connection waiting longest. True when some
        were closed, False when room or a connection to close comes within a turn or two (try
        again then), None when neither does (every connection has a request in progress)."""
        evicted = 0
        while evicted < wanted and self._fresh:
            connection, queued = next(iter(self._fresh.items()))
            if self.turn - queued < YOUNG_TURNS:
                return evicted > 0
            self._evict(self._fresh, connection)
            evicted += 1
        if evicted:
            return True
        if self.unsettled or self.closing:
            return False
        if self._idle:
            self._evict(self._idle, next(iter(self._idle)))
            return True
        return None

    def pause(self, resume: Callable[[], None]) -> None:
        """Remember how to resume a listening socket that stopped accepting."""
        self._paused.append(resume)

    def _resume(self) -> None:
        while self._paused:
            self._paused.pop()()


class _Counted:
    """A listening socket whose ``accept`` counts what it accepts, here and in the book."""

    __slots__ = ("listener", "book", "accepted")

    def __init__(self, listener: socket.socket, book: ConnectionBook) -> None:
        self.listener = listener
        self.book = book
        self.accepted = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.listener, name)

    def accept(self) -> tuple[socket.socket, Any]:
        accepted = self.listener.accept()
        self.accepted += 1
        self.book.accepted()
        return accepted


class GuardedEventLoop(asyncio.SelectorEventLoop):
    """asyncio's selector loop with the accept gate of the module's docstring."""

    def __init__(self, max_connections: int) -> None:
        super().__init__()
        self.connection_book = ConnectionBook(max_connections)

    def _accept_connection(self, protocol_factory: Any, sock: Any, sslcontext: Any = None, server: Any = None,
                           backlog: int = 100, *timeouts: Any) -> None:
        """The listening socket is readable: accept while below the cap (less the place kept for
        refusing); at it, make room for the next turn, or refuse one connection in the place
        kept for it, or stop listening until that place is free again."""
        book = self.connection_book
        book.turn += 1
        listener = sock.listener if isinstance(sock, _Counted) else sock
        accept = partial(self._accept_some, protocol_factory, listener, sslcontext, server, *timeouts)
        room = min(book.batch, book.cap - 1 - book.held)
        if room > 0:
            if accept(most=room) < room:
                book.burst = 1
                return  # nothing more to accept now
            if book.held < book.cap - 1:
                return  # a full batch, below the cap: the rest on the next turn
        queued = waiting_to_accept(listener)
        if queued == 0:
            return  # nothing waits to be accepted after all
        made = book.make_room(min(book.batch, queued) if queued is not None else book.burst)
        if made and queued is None:
            book.burst = min(book.batch, book.burst * 2)
        elif made is None and book.held < book.cap:
            book.refusals += 1  # the next connection made is answered 503 and closed
            if not accept(most=1):
                book.refusals -= 1
        elif made is None:
            self.remove_reader(listener.fileno())
            book.pause(partial(self._listen_again, protocol_factory, listener, sslcontext, server, backlog, *timeouts))

    def _accept_some(self, protocol_factory: Any, listener: socket.socket, sslcontext: Any, server: Any,
                     *timeouts: Any, most: int) -> int:
        """Accept at most ``most`` connections (asyncio makes each one); how many were accepted."""
        counted = _Counted(listener, self.connection_book)
        accept = super()._accept_connection  # type: ignore[misc]  # asyncio's own method, absent from its stubs
        accept(protocol_factory, counted, sslcontext, server, most, *timeouts)
        return counted.accepted

    def _listen_again(self, protocol_factory: Any, listener: socket.socket, sslcontext: Any, server: Any,
                      backlog: int, *timeouts: Any) -> None:
        if listener.fileno() >= 0 and (server is None or server.is_serving()):
            self.add_reader(listener.fileno(), self._accept_connection, protocol_factory, listener, sslcontext,
                            server, backlog, *timeouts)


def waiting_to_accept(listener: socket.socket) -> int | None:
    """How many connections wait in the listening socket's queue, as Linux reports it for a
    listening TCP socket (``tcpi_unacked`` of TCP_INFO); None where it cannot be known."""
    if _TCP_INFO is None:
        return None
    try:
        info = listener.getsockopt(socket.IPPROTO_TCP, _TCP_INFO, 32)
    except OSError:  # not a TCP socket (a Unix one), or no such option here
        return None
    return int.from_bytes(info[24:28], sys.byteorder) if len(info) >= 28 else None


def accept_batch(max_connections: int) -> int:
    """The most connections accepted, or closed to make room, in one turn of the loop: a share
    of the cap, so that the connections already held are served between batches."""
    return max(64, min(512, max_connections // 2))


def default_max_connections() -> int:
    """Half the process's file-descriptor limit, at most 1,000: room for the files, the
    sockets of other work and the listening socket."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        soft = 4096
    return max(16, min(1000, soft // 2))


def guarded_loop(max_connections: int | None = None) -> GuardedEventLoop:
    """The guarded event loop (uvicorn's ``loop`` setting names this function), with at most
    ``max_connections`` connections (None: POLICYKIT_MAX_CONNECTIONS, as ``policykit serve``
    sets it, or ``default_max_connections()``)."""
    return GuardedEventLoop(max_connections or int(os.environ.get("POLICYKIT_MAX_CONNECTIONS")
                                                   or default_max_connections()))

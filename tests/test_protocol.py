"""The guarded HTTP/1.1 protocol on the guarded event loop, under a real uvicorn on a loopback port
(tests/liveserver.py): errors that close the door, a connection cap that holds exactly and never
drops a /health probe during a flood (the flood in its own process, bench/flood.py, bounded in
count and time)."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import policykit
from hostile import read_reply
from liveserver import LiveServer
from policykit.interfaces.http.app import create_app
from policykit.interfaces.http.config import Limits, ServerConfig
from policykit.interfaces.http.listener import ConnectionBook

MIB = 1 << 20
FLOOD = Path(__file__).resolve().parent.parent / "bench" / "flood.py"


@pytest.fixture(scope="module")
def policy() -> policykit.Policy:
    return policykit.load_policy()


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _stats(server: LiveServer):
    return server.server.server_state.policykit_stats


def _book(server: LiveServer) -> ConnectionBook:
    """The connection book of the server's event loop: the sockets it holds, and the most at once."""
    return server.server.servers[0].get_loop().connection_book


def _send_until_answered(raw: socket.socket, head: bytes, chunk: bytes, most: int) -> bytes:
    """Send ``head``, then ``chunk`` after chunk (at most ``most`` bytes) until the server answers,
    as a careful client does (curl reads an early answer); the bytes of the answer so far."""
    raw.sendall(head)
    sent = 0
    while sent < most:
        readable, writable, _ = select.select([raw], [raw], [], 5)
        if readable:
            return raw.recv(65536)
        if writable:
            try:
                sent += raw.send(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
    readable, _, _ = select.select([raw], [], [], 5)
    return raw.recv(65536) if readable else b""


def _rest(raw: socket.socket, first: bytes) -> tuple[int, dict[str, str], bytes, bool]:
    """The whole answer after ``first`` (status, headers, body) and whether the server then closed."""
    data = first
    raw.settimeout(10)
    while b"\r\n\r\n" not in data:
        more = raw.recv(65536)
        assert more, data
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers["content-length"]):
        body += raw.recv(65536)
    closed = False
    try:
        while True:
            more = raw.recv(1 << 20)
            if not more:
                closed = True
                break
    except ConnectionResetError:
        closed = True
    return int(lines[0].split()[1]), headers, body, closed


@pytest.mark.parametrize("framing", ["declared-1-gib", "chunked"])
def test_a_413_closes_the_door_after_reading_less_than_two_mebibytes(policy, framing):
    """A 1 GiB declared body is answered 413 before any of it is read; a chunked one once 1 MiB
    has arrived. Either way the answer says Connection: close, the client reads it (not a
    reset), and the server reads at most a little more before closing."""
    with LiveServer(create_app(policy)) as url, socket.create_connection(("127.0.0.1", _port(url))) as raw:
        server = LiveServer.last
        framing_header = ("Content-Length: 1073741824" if framing == "declared-1-gib"
                          else "Transfer-Encoding: chunked")
        head = (f"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{framing_header}\r\n\r\n"
                .encode("latin-1"))
        piece = b" " * 65536
        chunk = piece if framing == "declared-1-gib" else b"10000\r\n" + piece + b"\r\n"
        first = _send_until_answered(raw, head, chunk, 64 * MIB)
        status, headers, body, closed = _rest(raw, first)
        assert (status, json.loads(body)["code"], headers["connection"], closed) == (
            413, "body_too_large", "close", True)
        assert headers["cache-control"] == "no-store"
        stats = _stats(server)
        assert stats.bytes_received < 2 * MIB
        assert stats.lingered == 1


def test_an_error_before_the_body_closes_gently_and_one_after_it_keeps_the_connection(policy):
    with LiveServer(create_app(policy)) as url, socket.create_connection(("127.0.0.1", _port(url))) as raw:
        body = b'{"actor": {"role": "teacher"}, "action": "post", "x": 1}'
        raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        reply = read_reply(raw, time.perf_counter())
        assert (reply.status, reply.header("connection")) == (400, None)  # the body was read: keep-alive
        raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                    b"Content-Length: 100000\r\n\r\n" + b"x" * 1000)
        status, headers, _, closed = _rest(raw, b"")
        assert (status, headers["connection"], closed) == (415, "close", True)


def test_a_408_closes_at_once(policy):
    config = ServerConfig(limits=Limits(request_seconds=0.5))
    with LiveServer(create_app(policy, config)) as url, socket.create_connection(("127.0.0.1", _port(url))) as raw:
        server = LiveServer.last
        raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 100\r\n\r\n{")
        status, headers, _, closed = _rest(raw, b"")
        assert (status, headers["connection"], closed) == (408, "close", True)
        assert _stats(server).lingered == 0  # closed at once, not after a lingering read


def test_health_is_never_reset_during_a_flood_of_five_thousand_connections(policy):
    """5,000 slowloris connections from another process against a cap of 300: the cap makes room
    by closing waiting connections, never an idle keep-alive one a monitor reuses, and a new
    probe is answered too; the descriptors held never pass the cap."""
    cap = 300
    with LiveServer(create_app(policy), max_connections=cap) as url:
        server = LiveServer.last
        port = _port(url)
        keep = socket.create_connection(("127.0.0.1", port), timeout=10)
        probe = b"GET /health HTTP/1.1\r\nHost: monitor\r\n\r\n"
        keep.sendall(probe)
        assert read_reply(keep, time.perf_counter()).status == 200
        before = len(os.listdir("/proc/self/fd"))
        flood = subprocess.Popen([sys.executable, str(FLOOD), str(port), "5000", "15", "900"], stdout=subprocess.PIPE,
                                 text=True)
        statuses, peak = [], 0
        try:
            while flood.poll() is None:
                peak = max(peak, len(os.listdir("/proc/self/fd")))
                keep.sendall(probe)  # on the same connection: a reset here is what the cap must never do
                statuses.append(read_reply(keep, time.perf_counter()).status)
                with socket.create_connection(("127.0.0.1", port), timeout=10) as fresh:
                    fresh.sendall(probe)
                    statuses.append(read_reply(fresh, time.perf_counter()).status)
                time.sleep(0.3)
        finally:
            out, _ = flood.communicate(timeout=60)
            keep.close()
        made = json.loads(out)
        assert made["connected"] >= 4000, made
        assert _stats(server).evicted >= 1000  # the cap was reached, again and again
        assert statuses and set(statuses) == {200}
        # The sockets the server accepted and had not yet closed, counted from accept() to close,
        # never passed the cap ...
        assert _book(server).peak <= cap
        # ... nor did the descriptors of this process, sampled: beyond those open before the flood
        # (the monitor's connection, one of the cap, among them), at most the server's sockets of
        # the cap's other connections and the pipe reading the flood's report.
        assert peak - before <= (cap - 1) + 1


def test_when_every_connection_has_a_request_in_progress_new_ones_get_a_503_within_the_cap(policy):
    """At the cap with nothing to close (each connection is sending a body), a burst of new
    connections is refused with JSON 503s, one at a time in the place kept for refusing, and the
    sockets held never pass the cap."""
    cap = 8
    config = ServerConfig(limits=Limits(request_seconds=5.0))
    with LiveServer(create_app(policy, config), max_connections=cap) as url:
        server = LiveServer.last
        busy = [socket.create_connection(("127.0.0.1", _port(url)), timeout=10) for _ in range(cap - 1)]
        for raw in busy:
            raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 100\r\n\r\n{")
        time.sleep(0.5)  # every head has arrived: each connection has a request in progress
        burst = [socket.create_connection(("127.0.0.1", _port(url)), timeout=10) for _ in range(30)]
        for raw in burst:
            raw.sendall(b"GET /health HTTP/1.1\r\nHost: monitor\r\n\r\n")
        answers = [_rest(raw, b"") for raw in burst]
        assert [(status, json.loads(body)["code"], closed) for status, _, body, closed in answers] == [
            (503, "too_many_connections", True)] * 30
        assert (_stats(server).refused, _book(server).peak) == (30, cap)
        for raw in busy + burst:
            raw.close()


def test_seventy_thousand_repeated_keys_over_http_build_at_most_twenty_one_pointers(policy, monkeypatch):
    """A body just under the size limit with 70,000 objects repeating a key: one 400 naming the
    first 20 and "and more", and the server built at most 21 pointers to say so."""
    import policykit.core.requestjson as requestjson

    built = []
    pointer = requestjson.json_pointer

    def counting(path):
        built.append(path)
        return pointer(path)

    monkeypatch.setattr(requestjson, "json_pointer", counting)
    body = ("[" + ",".join('{"a":1,"a":2}' for _ in range(70_000)) + "]").encode()
    assert len(body) < 1_048_576
    with LiveServer(create_app(policy)) as url, socket.create_connection(("127.0.0.1", _port(url))) as raw:
        raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        reply = read_reply(raw, time.perf_counter())
    answer = json.loads(reply.body)
    assert (reply.status, answer["code"]) == (400, "duplicate_key")
    assert [error["pointer"] for error in answer["errors"]] == [f"/{i}/a" for i in range(20)] + [""]
    assert len(built) <= 21

"""Helpers for attacking a server on a loopback port and timing /health meanwhile: raw sockets
(no client library's CPU in the measurement), bounded in count and time, 127.0.0.1 only."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

HOST = "127.0.0.1"
HEALTH_MS = 50.0


@dataclass
class Reply:
    status: int
    headers: dict[str, list[str]]
    body: bytes
    seconds: float

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


def read_reply(raw: socket.socket, started: float) -> Reply:
    """One HTTP/1.1 response with a Content-Length body (or one closed by the server)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = raw.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a whole response head: {data[:200]!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    length = int(headers.get("content-length", ["-1"])[0])
    while length < 0 or len(body) < length:
        chunk = raw.recv(1 << 20)
        if not chunk:
            break
        body += chunk
    return Reply(status, headers, body, time.perf_counter() - started)


def request(port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
            raw_headers: list[tuple[str, str]] | None = None, timeout: float = 30, host: str = "127.0.0.1") -> Reply:
    """One request on its own connection (``host`` only names a Host header: it always goes to 127.0.0.1)."""
    fields = [("Host", host), ("Connection", "close")]
    if body or method == "POST":
        fields += [("Content-Length", str(len(body)))]
    if headers is None and method == "POST":
        headers = {"Content-Type": "application/json"}
    fields += list((headers or {}).items()) + list(raw_headers or [])
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields) + "\r\n"
    started = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=timeout) as raw:
        raw.sendall(head.encode("latin-1") + body)
        return read_reply(raw, started)


def health_ms(port: int) -> float:
    """Milliseconds for GET /health on a new connection, from connecting to the last byte."""
    reply = request(port, "GET", "/health", timeout=10)
    assert reply.status == 200, reply
    return reply.seconds * 1000


def responsive_health(port: int, tries: int = 3) -> float:
    """The fastest of up to ``tries`` /health calls, stopping at the first under the bar: a
    couple of retries for the scheduler's noise on a shared 2-core machine."""
    best = float("inf")
    for _ in range(tries):
        best = min(best, health_ms(port))
        if best < HEALTH_MS:
            break
    return best


def probe_during(attack: Callable[[], object], port: int, *, seconds: float = 2.0, attackers: int = 2,
                 warmup: float = 0.2) -> tuple[list[float], int]:
    """Run ``attack`` in a loop on ``attackers`` threads for about ``seconds`` and probe /health
    every 50 ms meanwhile. Returns the probes (ms) and how many attacks completed."""
    stop = threading.Event()
    done = [0]
    failures: list[BaseException] = []

    def loop() -> None:
        while not stop.is_set():
            try:
                attack()
            except BaseException as error:  # reported to the test, not lost in a thread
                failures.append(error)
                return
            done[0] += 1

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    probes = []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            probes.append(responsive_health(port))
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    if failures:
        raise failures[0]
    return probes, done[0]


def content_length_of(reply: Reply) -> int:
    match = reply.header("content-length")
    return int(match) if match else len(reply.body)


def is_json_error(reply: Reply, status: int, code: str) -> bool:
    import json

    body = json.loads(reply.body)
    return (reply.status, body.get("code")) == (status, code) and reply.header("content-type") == "application/json" \
        and bool(re.fullmatch(r"sha256:[0-9a-f]+", reply.header("x-policy-digest") or ""))

"""A connection flood for the tests and benchmarks, run in its own process (python bench/flood.py
PORT COUNT SECONDS [HOLD]): COUNT connections to 127.0.0.1:PORT opened as fast as they go, each
sending part of a request head and never the rest (a slowloris), at most HOLD held open at once
(the oldest closed first), all closed after SECONDS. Prints one JSON line: how many connected,
how many were refused or reset. Bounded in count, time and open sockets; loopback only."""

from __future__ import annotations

import json
import socket
import sys
import time
from collections import deque

HOST = "127.0.0.1"
PARTIAL = b"POST /v1/decide HTTP/1.1\r\nHost: flood\r\nContent-Type: application/json\r\n"


def flood(port: int, count: int, seconds: float, hold: int = 1500, threads: int = 8) -> dict[str, int]:
    """Open ``count`` slowloris connections within ``seconds`` from ``threads`` threads (each
    holding its share of ``hold``); see the module's docstring."""
    import threading

    results: list[dict[str, int]] = []
    workers = [threading.Thread(target=lambda: results.append(_flood(port, count // threads, seconds, hold // threads)))
               for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {key: sum(r[key] for r in results) for key in ("connected", "failed")}


def _flood(port: int, count: int, seconds: float, hold: int) -> dict[str, int]:
    deadline = time.monotonic() + seconds
    open_: deque[socket.socket] = deque()
    connected = failed = 0
    try:
        for _ in range(count):
            if time.monotonic() > deadline:
                break
            while len(open_) >= hold:
                open_.popleft().close()
            try:
                raw = socket.create_connection((HOST, port), timeout=2)
                raw.sendall(PARTIAL)
            except OSError:
                failed += 1
                continue
            open_.append(raw)
            connected += 1
        while time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        for raw in open_:
            raw.close()
    return {"connected": connected, "failed": failed}


if __name__ == "__main__":
    port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    hold = int(sys.argv[4]) if len(sys.argv) > 4 else 1500
    print(json.dumps(flood(port, count, seconds, hold)))

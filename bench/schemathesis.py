"""Schemathesis with every check against a real `policykit serve`, for a time budget.

    python bench/schemathesis.py [--seconds 150]

Starts `policykit serve` (one worker) on a free loopback port, runs
``schemathesis run /openapi.json --checks all --max-time SECONDS`` against it (all phases:
examples, coverage, fuzzing and stateful, which repeat until the time is spent, with
tests/schemathesis.toml), prints schemathesis's summary and exits with its status: 0 means no
server error and no check failed. The server is stopped at the end, on failure and on Ctrl-C too.
tests/test_server.py runs a small, deterministic version of the same in CI."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=150, help="schemathesis's time budget (default 150)")
    args = parser.parse_args(argv)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory(prefix="policykit-schemathesis-") as scratch:
        server = subprocess.Popen([sys.executable, "-m", "policykit", "serve", "--port", str(port), "--log-level",
                                   "warning"], cwd=scratch, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:  # a raw socket: bench/http.py, beside this file, shadows the http package
                    with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
                        raw.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                        if raw.recv(12).startswith(b"HTTP/1.1 200"):
                            break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        print("error: the server did not start", file=sys.stderr)
                        return 2
                    time.sleep(0.2)
            started = time.monotonic()
            done = subprocess.run(
                [str(Path(sys.executable).parent / "schemathesis"), "--config-file",
                 str(ROOT / "tests" / "schemathesis.toml"), "run", f"http://127.0.0.1:{port}/openapi.json",
                 "--checks", "all", "--max-time", str(args.seconds), "--no-color"],
                cwd=scratch, env=env, check=False)
            print(f"\nschemathesis ran {time.monotonic() - started:.0f} s; exit status {done.returncode}; "
                  f"the server {'is still up' if server.poll() is None else 'died'}")
            return done.returncode
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())

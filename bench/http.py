"""Benchmark of the HTTP service: requests/s and p50/p99 latency, keep-alive clients, with wrk.

    python bench/http.py [--seconds 5] [--rounds 3] [--clients 1,8,32] [--batch 20] [--cold]
    python bench/http.py --hostile [--rounds 3]

One run starts one server (Starlette + uvicorn, one worker, on 127.0.0.1, access log off) and
measures, at each number of concurrent keep-alive connections, four endpoints of that same app:

    /bench/empty            does no work: a fixed 11-byte JSON answer, body not even read; added
                            to the app only here, behind the same middleware as the API
    /v1/decide              one fixed, realistic request (a teacher texting a student)
    /v1/decide, 8 bodies    eight different requests in turn (every outcome)
    /v1/decide/batch        {"requests": [...]} with --batch requests per call

and prints a markdown table, then /v1/decide's throughput as a percentage of the empty
endpoint's (the service's bar is 70%). Within each concurrency the endpoints run one after the
other, so the figures that are compared are measured close together in time.

The load comes from wrk (https://github.com/wg/wrk; Debian: `apt-get install wrk`), a C program
that costs the server little CPU, with one thread by default. Progress goes to stderr, the table
to stdout. The server is stopped at the end, on failure and on Ctrl-C too.

``--hostile`` times, instead, what the service bounds (each on a fresh server in this process,
whose counters it reads): from a client's disconnect to its 50,000-request batch's work
stopping; a 1 GiB declared body answered 413 and the bytes the server read; 70,000 repeated
keys answered 400; /health probed every 50 ms during a flood of 5,000 slowloris connections
from another process (bench/flood.py)."""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    # Run as a script, this file's folder comes first on sys.path, and the file's name would then
    # shadow the standard library's http package (imported by httpx and uvicorn). Drop it.
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != _here]

import argparse
import importlib.metadata
import importlib.util
import json
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.applications import Starlette

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only, by design
EMPTY_PATH = "/bench/empty"
EMPTY_BODY = b'{"ok":true}'
COLD_VARIABLE = "POLICYKIT_BENCH_COLD"
THRESHOLD = 0.70

# Realistic questions, as an integrating system would send them (all from the decision corpus's cases). The
# first is the fixed body; together they cover every outcome.
REQUESTS: list[dict] = [
    {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
     "device": "personal", "network": "other", "audience": ["student"], "purpose": "personal",
     "as_of": "2026-01-05"},
    {"actor": {"role": "teacher"}, "action": "message", "channel": "email", "account": "district",
     "device": "district", "network": "district", "location": "school", "audience": ["student"],
     "purpose": "school_business", "as_of": "2026-01-05"},
    {"actor": {"role": "teacher"}, "action": "connect", "channel": "social_media", "account": "personal",
     "device": "personal", "audience": ["student"], "as_of": "2026-01-05"},
    {"actor": {"role": "coach"}, "action": "post", "channel": "website", "account": "district", "device": "district",
     "network": "district", "location": "school", "audience": ["student", "parent_guardian"],
     "purpose": "extracurricular", "site": {"purpose": "extracurricular", "approved": True},
     "as_of": "2026-01-05"},
    {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media", "account": "personal",
     "device": "personal", "network": "other", "location": "elsewhere", "audience": ["public"],
     "confidentiality_uncertain": True, "as_of": "2026-01-05"},
    {"actor": {"role": "school_counselor"}, "action": "message", "channel": "text_message", "account": "personal",
     "device": "personal", "network": "other", "audience": ["student"], "purpose": "counseling",
     "as_of": "2026-01-05"},
    {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "device": "personal",
     "network": "other", "audience": ["student"], "as_of": "2026-01-05"},
    {"actor": {"role": "teacher"}, "action": "create_site", "channel": "website", "account": "personal",
     "device": "personal", "network": "other", "location": "elsewhere", "audience": ["community"],
     "purpose": "personal", "site": {"supervisor_informed": True, "uses": ["political", "solicitation"]},
     "as_of": "2026-01-05"},
]


def bench_app() -> Starlette:
    """The service's app plus the do-nothing endpoint (uvicorn's factory, run in the server process)."""
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from policykit.core.api import load_policy
    from policykit.interfaces.http.config import ServerConfig
    from policykit.interfaces.http.app import create_app

    policy = load_policy()
    if os.environ.get(COLD_VARIABLE) == "1":
        policy.cache_bytes = 0  # every decision evaluated, none answered from the verdict cache
    app = create_app(policy, ServerConfig())

    async def empty(request: Request) -> Response:
        return Response(EMPTY_BODY, media_type="application/json")

    app.router.routes.insert(0, Route(EMPTY_PATH, empty, methods=["POST"]))
    return app


def encode(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Target:
    """One endpoint under load: the bodies sent in turn, and the decisions each call makes."""

    label: str
    path: str
    bodies: tuple[bytes, ...]
    decisions: int  # per call; 0 for the empty endpoint

    def lua(self) -> str:
        """A wrk script that POSTs the bodies in turn, each thread on its own cycle."""
        literals = []
        for body in self.bodies:
            text = body.decode()
            level = 1
            while f"]{'=' * level}]" in text:
                level += 1
            literals.append(f"[{'=' * level}[{text}]{'=' * level}]")
        return (f"local bodies = {{{', '.join(literals)}}}\n"
                "local prepared, turn = {}, 0\n"
                "function init(args)\n"
                "  for i, body in ipairs(bodies) do\n"
                f"    prepared[i] = wrk.format('POST', '{self.path}', "
                "{['Content-Type'] = 'application/json'}, body)\n"
                "  end\n"
                "end\n"
                "function request()\n"
                "  turn = turn % #prepared + 1\n"
                "  return prepared[turn]\n"
                "end\n")


def targets(batch: int) -> list[Target]:
    fixed = encode(REQUESTS[0])
    batch_body = encode({"requests": [REQUESTS[i % len(REQUESTS)] for i in range(batch)]})
    return [
        Target("/bench/empty (no work)", EMPTY_PATH, (fixed,), 0),
        Target("/v1/decide", "/v1/decide", (fixed,), 1),
        Target(f"/v1/decide, {len(REQUESTS)} bodies", "/v1/decide", tuple(encode(r) for r in REQUESTS), 1),
        Target(f"/v1/decide/batch ×{batch}", "/v1/decide/batch", (batch_body,), batch),
    ]


@dataclass(frozen=True)
class Result:
    rate: float  # requests/s
    p50_ms: float
    p99_ms: float
    errors: str  # wrk's socket error line, when there was one


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> Result:
    """Requests/s and the 50% and 99% latencies from `wrk --latency` output."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    quantiles = {q: float(v) * UNITS_MS[u]
                 for q, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)}
    if rate is None or set(quantiles) != {"50", "99"}:
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{non_2xx.group(1)} responses were not 2xx:\n{output}")
    errors = re.search(r"Socket errors:.*", output)
    return Result(float(rate.group(1)), quantiles["50"], quantiles["99"], errors.group(0) if errors else "")


class Server:
    """uvicorn serving bench_app on a free loopback port, in its own session so that a Ctrl-C meant
    for the benchmark reaches the server only through stop().

    (Not uvicorn's --fd with a socket bound here: uvicorn takes such a socket for a Unix one, so
    its TCP connections keep Nagle's algorithm on, and every response then waits ~40 ms.)"""

    def __init__(self, cold: bool, log: Path):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((HOST, 0))
            self.port: int = probe.getsockname()[1]
        self.log_path = log
        self.process: subprocess.Popen[bytes] | None = None
        self.cold = cold

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", "uvicorn", "bench.http:bench_app", "--factory", "--app-dir", str(ROOT),
                   "--host", HOST, "--port", str(self.port), "--log-level", "warning", "--no-access-log",
                   "--no-server-header", "--timeout-keep-alive", "5"]
        env = {**os.environ, COLD_VARIABLE: "1" if self.cold else "0"}
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 60.0) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}):\n{self.log()}")
            try:
                if httpx.get(self.base + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass  # the socket listens before the app has loaded the policy
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer /health within {timeout:g} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def check_answers(server: Server, all_targets: list[Target]) -> list[str]:
    """One call per body before the load: every answer is 200 and what it should be. Returns the
    outcomes of the decide bodies."""
    import httpx

    outcomes: list[str] = []
    with httpx.Client(base_url=server.base, headers={"Content-Type": "application/json"}, timeout=10) as client:
        for target in all_targets:
            for body in target.bodies:
                response = client.post(target.path, content=body)
                if response.status_code != 200:
                    raise RuntimeError(f"{target.path} answered {response.status_code}: {response.text[:500]}")
                data = response.json()
                if target.path == EMPTY_PATH:
                    ok = response.content == EMPTY_BODY
                elif target.decisions == 1:
                    ok = "outcome" in data
                    if len(target.bodies) > 1:
                        outcomes.append(data["outcome"])
                else:
                    ok = len(data["decisions"]) == target.decisions and all("outcome" in d for d in data["decisions"])
                if not ok:
                    raise RuntimeError(f"{target.path} gave an unexpected answer: {response.text[:500]}")
    return outcomes


def run_wrk(wrk: str, server: Server, target: Target, script: Path, clients: int, threads: int,
            seconds: int) -> Result:
    command = [wrk, f"--threads={min(threads, clients)}", f"--connections={clients}", f"--duration={seconds}s",
               "--timeout=10s", "--latency", f"--script={script}", server.base + target.path]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def median_run(results: list[Result]) -> Result:
    """The run whose throughput is the median (the lower middle for an even count)."""
    ordered = sorted(results, key=lambda r: r.rate)
    return ordered[(len(ordered) - 1) // 2]


def table(all_targets: list[Target], clients: list[int], results: dict[tuple[str, int], Result]) -> list[str]:
    header = ("endpoint", "clients", "req/s", "decisions/s", "p50 ms", "p99 ms")
    rows = []
    for target in all_targets:
        for count in clients:
            r = results[(target.label, count)]
            rows.append((target.label, str(count), f"{r.rate:,.0f}",
                         f"{r.rate * target.decisions:,.0f}" if target.decisions else "–",
                         f"{r.p50_ms:.2f}", f"{r.p99_ms:.2f}"))
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    numeric = [False, True, True, True, True, True]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric)) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if n else ("-" * (w + 2)) for w, n in zip(widths, numeric)) + "|"
    return [line(header), rule, *(line(row) for row in rows)]


def parse_clients(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of numbers") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("give one or more client counts, each at least 1")
    return counts


def counting(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number, at least ``least``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{text} is less than {least}")
        return value
    return parse


positive = counting(1)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Throughput and p50/p99 latency of policykit's HTTP service under 1, 8 and 32 keep-alive "
                    "clients, for /v1/decide, /v1/decide/batch and an endpoint that does no work, all served "
                    "by one uvicorn worker on 127.0.0.1; the load comes from wrk.",
        epilog="Prints a markdown table on stdout and progress on stderr. Needs wrk on PATH "
               "(Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk).")
    parser.add_argument("--seconds", type=positive, default=5, help="measured seconds per cell (default 5)")
    parser.add_argument("--warmup", type=counting(0), default=2,
                        help="seconds of load on each endpoint before measuring, 0 for none (default 2)")
    parser.add_argument("--clients", type=parse_clients, default=[1, 8, 32], metavar="N,N,...",
                        help="concurrent keep-alive connections (default 1,8,32)")
    parser.add_argument("--batch", type=positive, default=20, help="requests per batch call (default 20)")
    parser.add_argument("--threads", type=positive, default=1,
                        help="wrk threads (default 1: on a small machine the load generator must leave the "
                             "server its core)")
    parser.add_argument("--rounds", type=positive, default=3,
                        help="measure every cell this many times; the table shows each cell's run of median "
                             "throughput, the percentages are medians of each round's paired ratio (default 3)")
    parser.add_argument("--cold", action="store_true",
                        help="turn the server's verdict cache off, so that every decision is evaluated")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 when /v1/decide falls below {THRESHOLD * 100:.0f}%% of the empty endpoint's "
                             "throughput at any concurrency")
    parser.add_argument("--hostile", action="store_true",
                        help="time the attacks the service bounds instead (no wrk needed): a disconnect stopping "
                             "a slow batch, a 1 GiB declared body, 70,000 repeated keys, /health during a flood "
                             "of 5,000 connections")
    args = parser.parse_args(argv)
    if args.hostile:
        return hostile(args.rounds)

    wrk = shutil.which("wrk")
    if wrk is None:
        print("error: wrk is not installed. Install it (Debian/Ubuntu: `apt-get install wrk`; macOS: "
              "`brew install wrk`) and run this again.", file=sys.stderr)
        return 2
    version = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False).stdout.split("[")[0]
    all_targets = targets(args.batch)
    cells = len(all_targets) * len(args.clients) * args.rounds
    progress(f"{len(all_targets)} endpoints × {len(args.clients)} concurrencies × {args.rounds} round(s) "
             f"× {args.seconds} s, + {args.warmup} s warm-up each: about "
             f"{cells * args.seconds + len(all_targets) * args.warmup} s")

    # SIGTERM ends the run the way Ctrl-C does: through the finally below, which stops the server.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    results: dict[tuple[str, int], list[Result]] = {}
    with tempfile.TemporaryDirectory(prefix="policykit-bench-") as scratch:
        directory = Path(scratch)
        scripts = {}
        for index, target in enumerate(all_targets):
            scripts[target.label] = directory / f"target{index}.lua"
            scripts[target.label].write_text(target.lua(), encoding="utf-8")
        server = Server(args.cold, directory / "server.log")
        try:
            server.start()
            progress(f"server: uvicorn (pid {server.process.pid if server.process else '?'}) on {server.base}, "
                     f"verdict cache {'off' if args.cold else 'on'}; waiting for /health")
            server.wait_ready()
            outcomes = check_answers(server, all_targets)
            progress("answers checked; the bodies' outcomes: " + ", ".join(outcomes))
            if args.warmup:
                for target in all_targets:
                    progress(f"warm-up  {target.label}")
                    run_wrk(wrk, server, target, scripts[target.label], max(args.clients), args.threads,
                            args.warmup)
            for round_number in range(1, args.rounds + 1):
                # Every other round runs the endpoints in reverse, so that a drift in the machine's
                # speed during a round does not always favour the same endpoint.
                order = all_targets if round_number % 2 else all_targets[::-1]
                for count in args.clients:
                    for target in order:
                        result = run_wrk(wrk, server, target, scripts[target.label], count, args.threads,
                                         args.seconds)
                        results.setdefault((target.label, count), []).append(result)
                        progress(f"round {round_number}  {count:>3} clients  {target.label:<28} "
                                 f"{result.rate:>9,.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
                                 f"p99 {result.p99_ms:6.2f} ms" + (f"  {result.errors}" if result.errors else ""))
            if server.process is not None and server.process.poll() is not None:
                raise RuntimeError(f"the server died during the run:\n{server.log()}")
        except KeyboardInterrupt:
            progress("interrupted; stopping the server")
            return 130
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            progress(f"error: {error}")
            return 1
        finally:
            server.stop()

    chosen = {key: median_run(runs) for key, runs in results.items()}
    packages = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in ("starlette", "uvicorn"))
    parser_name = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop_name = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    print(f"policykit HTTP benchmark · Python {platform.python_version()} · {packages} ({parser_name}, {loop_name}) "
          f"· one worker · {version.strip()}, {args.threads} thread(s) · {os.cpu_count()} CPUs · "
          f"{args.seconds} s per cell, {args.rounds} round(s) · verdict cache {'off' if args.cold else 'on'}")
    print()
    for line in table(all_targets, args.clients, chosen):
        print(line)
    print()
    empty, decide, varied = all_targets[0], all_targets[1], all_targets[2]

    def share(target: Target, count: int) -> float:
        """Median over the rounds of the target's throughput over the empty endpoint's, same round."""
        pairs = zip(results[(target.label, count)], results[(empty.label, count)])
        return statistics.median(mine.rate / baseline.rate for mine, baseline in pairs)

    ratios = {count: share(decide, count) for count in args.clients}
    varied_ratios = {count: share(varied, count) for count in args.clients}
    below = [count for count, ratio in ratios.items() if ratio < THRESHOLD]
    print("/v1/decide throughput as a share of the empty endpoint's: "
          + ", ".join(f"{count} client{'s' if count > 1 else ''} {ratios[count]:.0%} "
                      f"({varied_ratios[count]:.0%} with {len(REQUESTS)} bodies)" for count in args.clients)
          + f" — {'below' if below else 'at or above'} the {THRESHOLD:.0%} bar"
          + (f" at {', '.join(map(str, below))} clients" if below else ""))
    return 1 if below and args.check else 0


# ------------------------------------------------------------------------------ --hostile

def _served_in_thread(app: "Starlette", **options: object):
    """A uvicorn server for ``app`` on a free loopback port in a thread of this process (so its
    counters can be read): (server, port)."""
    import threading

    import uvicorn

    from policykit.interfaces.http.serving import uvicorn_options

    settings = {**uvicorn_options(header_seconds=10.0, max_connections=options.pop("max_connections", None)),
                "log_level": "warning", **options}
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=0, lifespan="off", **settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    return server, thread, server.servers[0].sockets[0].getsockname()[1]


def _stop(server, thread) -> None:
    server.should_exit = True
    thread.join(timeout=30)


def _health_ms(port: int) -> float:
    started = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=10) as raw:
        raw.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = raw.recv(65536)
            if not chunk:
                break
            data += chunk
    if not data.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"/health answered {data[:80]!r}")
    return (time.perf_counter() - started) * 1000


def hostile(repeat: int) -> int:
    """The attacks of the service's hardening, timed (see docs/performance.md): each on a fresh
    in-process server, ``repeat`` times, reporting the median and the worst."""
    import random
    import select

    import policykit
    from policykit.core.vocabulary import load_vocabulary
    from policykit.interfaces.http.config import Limits, ServerConfig
    from policykit.interfaces.http.app import create_app

    policy = policykit.load_policy()
    rows: list[tuple[str, list[float], str]] = []

    # 1. A slow batch whose client disconnects: from the disconnect to the work stopping.
    vocabulary = load_vocabulary()
    names = {fact.path: fact.value_names for fact in vocabulary.facts}
    rng = random.Random(22)
    body = json.dumps({"requests": [
        {"actor": {"role": rng.choice(names["actor.role"])}, "action": rng.choice(names["action"]),
         "channel": rng.choice(names["channel"]), "audience": rng.sample(names["audience"], 2),
         "content": rng.sample(names["content"], rng.randint(0, 8)), "as_of": "2026-01-05"}
        for _ in range(50_000)]}).encode()
    head = (b"POST /v1/decide/batch?alternatives=true HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    stops = []
    for _ in range(repeat):
        app = create_app(policy, ServerConfig(limits=Limits(max_body_bytes=64 << 20, max_batch=100_000,
                                                            request_seconds=60, threads=1)))
        server, thread, port = _served_in_thread(app)
        try:
            work = app.state.service.work
            raw = socket.create_connection((HOST, port))
            raw.sendall(head + body)
            while work.pending < 1:
                time.sleep(0.001)
            time.sleep(1.0)  # past the body's parse (one step that cannot stop midway), into the decisions
            raw.close()
            gone = time.perf_counter()
            while work.cancelled < 1 and work.finished < 1:
                time.sleep(0.0005)
            if work.finished:
                raise RuntimeError("the batch finished before its client left: make it larger")
            stops.append((time.perf_counter() - gone) * 1000)
        finally:
            _stop(server, thread)
    rows.append(("disconnect → work stopped (50,000-request batch), ms", stops, "cancelled, never finished"))

    # 2. 1 GiB declared: the 413, and what the server read.
    answers, read = [], []
    for _ in range(repeat):
        app = create_app(policy)
        server, thread, port = _served_in_thread(app)
        try:
            with socket.create_connection((HOST, port)) as raw:
                started = time.perf_counter()
                raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                            b"Content-Length: 1073741824\r\n\r\n")
                piece, reply = b" " * 65536, b""
                while not reply:
                    readable, writable, _ = select.select([raw], [raw], [], 5)
                    if readable:
                        reply = raw.recv(65536)
                    elif writable:
                        raw.send(piece)
                answers.append((time.perf_counter() - started) * 1000)
                if not reply.startswith(b"HTTP/1.1 413"):
                    raise RuntimeError(f"expected a 413, got {reply[:80]!r}")
                raw.settimeout(10)
                try:
                    while raw.recv(1 << 20):
                        pass
                except ConnectionResetError:
                    pass
            read.append(server.server_state.policykit_stats.bytes_received / 1024)
        finally:
            _stop(server, thread)
    rows.append(("1 GiB declared body → 413 read by the client, ms", answers, "Connection: close"))
    rows.append(("  bytes the server read meanwhile, KiB", read, "at most 256 KiB after the answer"))

    # 3. 70,000 repeated keys in one body.
    text = ("[" + ",".join('{"a":1,"a":2}' for _ in range(70_000)) + "]").encode()
    app = create_app(policy)
    server, thread, port = _served_in_thread(app)
    times = []
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            with socket.create_connection((HOST, port)) as raw:
                raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                            b"Connection: close\r\nContent-Length: " + str(len(text)).encode() + b"\r\n\r\n" + text)
                reply = b""
                while chunk := raw.recv(65536):
                    reply += chunk
            times.append((time.perf_counter() - started) * 1000)
            if b'"duplicate_key"' not in reply:
                raise RuntimeError(f"expected duplicate_key, got {reply[:200]!r}")
    finally:
        _stop(server, thread)
    rows.append(("70,000 repeated keys (0.98 MB) → 400, ms", times, "21 pointers built"))

    # 4. /health during a flood of 5,000 slowloris connections from another process.
    cap = 1000
    app = create_app(policy)
    server, thread, port = _served_in_thread(app, max_connections=cap)
    probes, peak = [], 0
    try:
        before = len(os.listdir("/proc/self/fd"))
        flood = subprocess.Popen([sys.executable, str(ROOT / "bench" / "flood.py"), str(port), "5000", "10", "1500"],
                                 stdout=subprocess.PIPE, text=True)
        while flood.poll() is None:
            peak = max(peak, len(os.listdir("/proc/self/fd")) - before)
            probes.append(_health_ms(port))
            time.sleep(0.05)
        made = json.loads(flood.communicate()[0])
        evicted = server.server_state.policykit_stats.evicted
        held = server.servers[0].get_loop().connection_book.peak  # counted from accept() to close
    finally:
        _stop(server, thread)
    rows.append((f"/health during a flood ({made['connected']:,} connections, cap {cap}), ms", probes,
                 f"{len(probes)} probes, none failed; {evicted:,} evicted; at most {held:,} connection sockets "
                 f"held, {peak:,} descriptors more than before the flood"))

    print(f"policykit under attack · Python {platform.python_version()} · {os.cpu_count()} CPUs · "
          f"load average {os.getloadavg()[0]:.1f} · {repeat} run(s) each")
    print()
    print("| attack | median | worst | |")
    print("|---|---:|---:|---|")
    for label, values, note in rows:
        print(f"| {label} | {statistics.median(values):,.1f} | {max(values):,.1f} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

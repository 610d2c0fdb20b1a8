"""Hostile clients' attacks, each against a real `policykit serve` (one uvicorn worker, in its own
process, on a loopback port), each bounded in size and time: the answer is checked, and so is
that /health keeps answering within 50 ms while the attack runs."""

from __future__ import annotations

import json
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hostile import HEALTH_MS, HOST, is_json_error, probe_during, request, responsive_health
from policykit.core.vocabulary import load_vocabulary

TEXTING = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "audience": ["student"],
           "purpose": "personal", "as_of": "2026-01-05"}
SMUGGLED = (b'{"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", '
            b'"audience": ["student"], "purpose": "personal", "as_of": "2026-01-05", "audience": []}')
MIB = 1 << 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Served:
    def __init__(self, port: int, process: subprocess.Popen, log: Path, decision_log: Path):
        self.port, self.process, self.log, self.decision_log = port, process, log, decision_log

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("serve")
    # A site/ in the directory serve is started from: it must not be what is served.
    (work / "site").mkdir()
    (work / "site" / "index.html").write_text("<!doctype html><title>a stray site</title>", encoding="utf-8")
    port = _free_port()
    log = work / "server.log"
    decision_log = work / "decisions.jsonl"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "policykit", "serve", "--port", str(port), "--log-level", "info",
             "--header-seconds", "1", "--max-connections", "600", "--decision-log", str(decision_log),
             "--decision-log-max-bytes", "200000", "--decision-log-backups", "2"],
            cwd=work, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request(port, "GET", "/health", timeout=2)
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        yield Served(port, process, log, decision_log)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _assert_responsive(probes: list[float]) -> None:
    assert probes, "no probe ran"
    assert max(probes) < HEALTH_MS, f"/health took {max(probes):.1f} ms (probes: {sorted(probes)[-5:]})"


def test_a_mebibyte_of_invalid_list_items_is_one_small_error_and_health_stays_fast(served):
    items = b",".join([b"1"] * ((MIB - 200) // 2))
    body = b'{"actor": {"role": "teacher"}, "action": "post", "content": [' + items + b"]}"
    assert len(body) <= MIB
    reply = request(served.port, "POST", "/v1/decide", body)
    assert is_json_error(reply, 400, "invalid_request")
    errors = json.loads(reply.body)["errors"]
    assert [e["pointer"] for e in errors] == ["/content"] and len(reply.body) < 2000
    assert reply.seconds < 2
    probes, attacks = probe_during(lambda: request(served.port, "POST", "/v1/decide", body), served.port)
    _assert_responsive(probes)
    assert attacks >= 4


def test_a_batch_of_invalid_requests_is_bounded_in_time_and_size(served):
    item = b'{"actor": {"role": "teacher"}, "action": "post", "content": [' + b",".join([b"1"] * 400) + b"]}"
    body = b'{"requests": [' + b",".join([item] * 1000) + b"]}"
    assert 800_000 < len(body) <= MIB
    reply = request(served.port, "POST", "/v1/decide/batch", body)
    assert reply.status == 200 and reply.seconds < 3
    decisions = json.loads(reply.body)["decisions"]
    assert len(decisions) == 1000 and all("error" in d for d in decisions)
    assert len(reply.body) < 400_000  # 1,000 errors, 100 of them explained
    listed = sum(len(d["error"]["errors"]) for d in decisions)
    assert listed == 100
    probes, _ = probe_during(lambda: request(served.port, "POST", "/v1/decide/batch", body), served.port)
    _assert_responsive(probes)


def _varied_requests(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    vocabulary = load_vocabulary()
    requests = []
    for _ in range(count):
        request_: dict = {"actor": {"role": rng.choice(vocabulary["actor.role"].value_names)},
                          "action": rng.choice(vocabulary["action"].value_names), "as_of": "2026-01-05"}
        for fact in vocabulary.facts:
            if "." in fact.path or fact.path in request_ or fact.kind in ("object", "date") or rng.random() < 0.5:
                continue
            if fact.kind == "choice":
                request_[fact.path] = rng.choice(fact.value_names)
            elif fact.kind == "list":
                request_[fact.path] = rng.sample(fact.value_names, k=rng.choice([0, 1, 2]))
            else:
                request_[fact.path] = rng.random() < 0.3
        requests.append(request_)
    return requests


def test_big_valid_batches_are_decided_off_the_event_loop(served):
    seeds = iter(range(10_000))

    def batch() -> None:  # new questions each time, so the verdict cache does not do the work
        body = json.dumps({"requests": _varied_requests(1000, next(seeds))}).encode()
        reply = request(served.port, "POST", "/v1/decide/batch", body)
        assert reply.status == 200, reply.body[:300]
        assert all("outcome" in d for d in json.loads(reply.body)["decisions"])

    probes, attacks = probe_during(batch, served.port, seconds=3)
    _assert_responsive(probes)
    assert attacks >= 2


def test_a_repeated_key_is_refused_over_http(served):
    reply = request(served.port, "POST", "/v1/decide", SMUGGLED)
    assert is_json_error(reply, 400, "duplicate_key")
    assert json.loads(reply.body)["errors"][0]["pointer"] == "/audience"
    batch = b'{"requests": [' + SMUGGLED + b"]}"
    reply = request(served.port, "POST", "/v1/decide/batch", batch)
    assert is_json_error(reply, 400, "duplicate_key")
    assert json.loads(reply.body)["errors"][0]["pointer"] == "/requests/0/audience"


def test_ten_thousand_levels_of_nesting_are_too_deep(served):
    for body in (b"[" * 10_000 + b"]" * 10_000, b"[" * 10_000, b'{"a":' * 10_000 + b"1" + b"}" * 10_000):
        assert is_json_error(request(served.port, "POST", "/v1/decide", body), 400, "too_deep")


def test_hundreds_of_idle_connections_are_closed_and_health_stays_fast(served):
    idle = []
    try:
        for _ in range(300):
            idle.append(socket.create_connection((HOST, served.port), timeout=5))
        for raw in idle[:100]:
            raw.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # a head that never ends
        assert responsive_health(served.port) < HEALTH_MS
        time.sleep(1.6)  # the header deadline is 1 s in this fixture
        closed = partial = 0
        for index, raw in enumerate(idle):
            raw.settimeout(2)
            data = raw.recv(65536)
            if index < 100 and data.startswith(b"HTTP/1.1 408"):
                partial += 1
                assert b'"code":"request_timeout"' in data and b"x-policy-digest" in data
                data = raw.recv(65536)
            closed += data == b""
        assert (closed, partial) == (300, 100)
        assert responsive_health(served.port) < HEALTH_MS
    finally:
        for raw in idle:
            raw.close()


def test_a_head_sent_a_byte_at_a_time_is_cut_off(served):
    with socket.create_connection((HOST, served.port), timeout=5) as raw:
        started = time.monotonic()
        head = b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
        reply = b""
        for byte in head:
            try:
                raw.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.05)
            if time.monotonic() - started > 5:
                break
        raw.settimeout(3)
        try:
            while chunk := raw.recv(65536):
                reply += chunk
        except ConnectionResetError:
            pass
        assert time.monotonic() - started < 3
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]


@pytest.mark.parametrize(("content_type", "status", "code"), [
    ("application/vnd.evil+json", 415, "unsupported_media_type"),
    ("+json", 415, "unsupported_media_type"),
    ("application/json; charset=latin-1", 415, "unsupported_media_type"),
    ("application/jsonp", 415, "unsupported_media_type"),
    ("text/json", 415, "unsupported_media_type"),
])
def test_only_application_json_is_read(served, content_type, status, code):
    reply = request(served.port, "POST", "/v1/decide", json.dumps(TEXTING).encode(), {"Content-Type": content_type})
    assert is_json_error(reply, status, code)


@pytest.mark.parametrize("content_type", ["application/json", "Application/JSON", "application/json; charset=utf-8",
                                          'application/json;charset="UTF-8"'])
def test_application_json_with_or_without_charset_utf_8_is_read(served, content_type):
    reply = request(served.port, "POST", "/v1/decide", json.dumps(TEXTING).encode(), {"Content-Type": content_type})
    assert reply.status == 200


def test_a_repeated_content_type_is_refused(served):
    reply = request(served.port, "POST", "/v1/decide", json.dumps(TEXTING).encode(), headers={},
                    raw_headers=[("Content-Type", "application/json"), ("Content-Type", "application/json")])
    assert is_json_error(reply, 400, "invalid_header")


@pytest.mark.parametrize("path", ["/v1/decide?as_of=2010-01-01", "/v1/decide/batch?x=1", "/v1/decide?"
                                  "as_of=2010-01-01&as_of=2011-01-01"])
def test_query_strings_on_post_routes_are_refused_by_name(served, path):
    body = json.dumps({"requests": [TEXTING]} if "batch" in path else TEXTING).encode()
    reply = request(served.port, "POST", path, body)
    assert is_json_error(reply, 400, "invalid_query")
    name = path.split("?")[1].split("=")[0]
    assert f"'{name}'" in json.loads(reply.body)["errors"][0]["message"]


def test_unknown_or_repeated_query_parameters_on_a_clause_are_refused(served):
    path = "/v1/clauses/relationships.texting-and-calling"
    assert request(served.port, "GET", f"{path}?as_of=2016-01-01").status == 200
    reply = request(served.port, "GET", f"{path}?asof=2016-01-01")
    assert is_json_error(reply, 400, "invalid_query")
    assert "did you mean 'as_of'?" in json.loads(reply.body)["errors"][0]["message"]
    assert is_json_error(request(served.port, "GET", f"{path}?as_of=2016-01-01&as_of=2017-01-01"), 400,
                         "invalid_query")


@pytest.mark.parametrize("path", ["/v1/decide/", "/v1/decide/batch/", "/health/", "/v1/policy/"])
def test_trailing_slashes_are_not_redirected(served, path):
    method = "POST" if "decide" in path else "GET"
    reply = request(served.port, method, path, json.dumps(TEXTING).encode() if method == "POST" else b"",
                    host="evil.example")
    assert reply.header("location") is None
    assert is_json_error(reply, 404, "not_found")


def test_errors_below_the_app_are_json_with_the_policy_headers(served):
    with socket.create_connection((HOST, served.port), timeout=5) as raw:
        raw.sendall(b"\x16\x03\x01 this is not http\r\n\r\n")
        data = raw.recv(65536)
    assert data.startswith(b"HTTP/1.1 400")
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head and b"x-policy-digest: sha256:" in head
    assert b"x-content-type-options: nosniff" in head
    assert json.loads(body)["code"] == "invalid_http"
    reply = request(served.port, "GET", "/health", raw_headers=[("X-Big", "a" * 20_000)])
    assert is_json_error(reply, 431, "headers_too_large")


def test_security_headers_on_every_answer(served):
    for reply in (request(served.port, "GET", "/health"), request(served.port, "GET", "/v1/policy"),
                  request(served.port, "POST", "/v1/decide", b"{"), request(served.port, "GET", "/v1/nowhere")):
        assert reply.header("x-content-type-options") == "nosniff"
        assert reply.header("x-frame-options") == "DENY"
        assert reply.header("content-security-policy") == "default-src 'none'; frame-ancestors 'none'"
        assert reply.header("referrer-policy") == "no-referrer"
        assert reply.header("permissions-policy") == ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                                                      "magnetometer=(), microphone=(), payment=(), usb=()")
        assert reply.header("cache-control") == "no-store"  # decisions and errors alike are never kept
    site = request(served.port, "GET", "/")  # the site's own policy when it is built, the API's otherwise
    assert site.header("x-content-type-options") == "nosniff" and site.header("x-frame-options") == "DENY"
    assert site.header("referrer-policy") == "no-referrer" and site.header("permissions-policy")
    assert "frame-ancestors 'none'" in site.header("content-security-policy")


def test_serve_never_serves_the_current_directorys_site(served):
    from policykit.core.paths import project_site_dir

    reply = request(served.port, "GET", "/")
    assert b"a stray site" not in reply.body
    built = project_site_dir()
    if built is not None and (built / "index.html").is_file():  # the project's own build, when there is one
        assert reply.body == (built / "index.html").read_bytes()
    else:
        assert json.loads(reply.body)["site"].startswith("not built")


def test_a_client_that_disconnects_mid_body_is_one_info_line(served):
    before = served.log_text()
    for _ in range(3):
        with socket.create_connection((HOST, served.port), timeout=5) as raw:
            raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 1000\r\n\r\n{\"actor\":")
            time.sleep(0.1)
    time.sleep(0.5)
    new = served.log_text()[len(before):]
    lines = [line for line in new.splitlines() if line.strip()]
    assert "Traceback" not in new and "ERROR" not in new, new
    gone = [line for line in lines if "disconnected before sending the whole body" in line]
    assert len(gone) == 3 and all(line.startswith("INFO:") for line in gone), new


def test_the_decision_log_rotates_and_keeps_its_backups(served):
    body = json.dumps({"requests": [TEXTING] * 1000}).encode()
    for _ in range(3):
        assert request(served.port, "POST", "/v1/decide/batch", body).status == 200
    files = sorted(served.decision_log.parent.glob("decisions.jsonl*"))
    names = [path.name for path in files if not path.name.endswith(".lock")]
    assert names == ["decisions.jsonl", "decisions.jsonl.1", "decisions.jsonl.2"]
    for path in files:
        if path.name.endswith(".lock"):
            continue
        assert path.stat().st_size <= 200_000
        for line in path.read_text(encoding="utf-8").splitlines():
            assert json.loads(line)["outcome"] == "prohibited"  # whole lines, one per decision

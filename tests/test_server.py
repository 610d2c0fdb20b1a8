"""The HTTP service, started for real on a loopback port and called with a real HTTP client."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

TODAY = date(2026, 1, 5)  # the tests' clock: the server reads the day through the policy

import policykit
from corpus_cases import CASES, assert_matches, error_pointers
from liveserver import LiveServer
from policykit.core.schemaerrors import load_schema, validator
from policykit.interfaces.http.config import Limits, ServerConfig
from policykit.interfaces.http.app import create_app

TEXTING = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "audience": ["student"],
           "purpose": "personal", "as_of": "2026-01-05"}


@pytest.fixture(scope="module")
def decider() -> policykit.Policy:
    return policykit.load_policy(today=lambda: TODAY)


@pytest.fixture(scope="module")
def client(decider, tmp_path_factory) -> Iterator[httpx.Client]:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!doctype html><title>policy site</title>", encoding="utf-8")
    config = ServerConfig(limits=Limits(max_body_bytes=200_000, max_batch=200, max_depth=8, request_seconds=1.0),
                          site_dir=site)
    with LiveServer(create_app(decider, config)) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    assert response.headers["x-policy-revision"] == "2015-11-18"
    return response.status_code, body["code"]


def test_decide_answers_with_the_decision_and_the_policy_headers(client):
    response = client.post("/v1/decide", json=TEXTING)
    assert response.status_code == 200
    decision = response.json()
    assert decision["outcome"] == "prohibited"
    assert list(validator("decision").iter_errors(decision)) == []
    assert response.headers["x-policy-revision"] == decision["policy"]["revision"] == "2015-11-18"
    assert response.headers["x-policy-digest"] == decision["policy"]["digest"]


def test_the_shared_corpus_gives_the_same_answers_over_http(client):
    answers = []
    for start in range(0, len(CASES), 100):  # in batches the server accepts, however large the corpus grows
        response = client.post("/v1/decide/batch",
                               json={"requests": [case.request for case in CASES[start:start + 100]]})
        assert response.status_code == 200
        answers += response.json()["decisions"]
    assert len(answers) == len(CASES)
    for case, answer in zip(CASES, answers):
        if case.is_error:
            assert answer["error"]["code"] == "invalid_request", case.name
            assert error_pointers(answer["error"]["errors"]) == case.expect["error"], case.name
        else:
            assert_matches(answer, case.expect)


def test_single_corpus_requests_over_http_match_the_api(client, decider):
    for case in CASES[:40]:
        response = client.post("/v1/decide", json=case.request)
        if case.is_error:
            assert response.status_code == 400, case.name
            assert error_pointers(response.json()["errors"]) == case.expect["error"], case.name
        else:
            direct = decider.decide(case.request).to_dict()
            answer = response.json()
            assert {k: v for k, v in answer.items() if k != "decision_id"} == \
                   {k: v for k, v in direct.items() if k != "decision_id"}, case.name


def test_policy_clauses_health_and_openapi(client, decider):
    policy = client.get("/v1/policy").json()
    assert policy["revision"] == "2015-11-18" and policy["digest"].startswith("sha256:")
    assert [c["id"] for c in policy["clauses"]] == [c.id for c in decider.document.clauses]
    clause = client.get("/v1/clauses/relationships.texting-and-calling", params={"as_of": "2016-03-01"}).json()
    assert clause["kind"] == "prohibition" and clause["text"].startswith("- “Texting” with students")
    assert clause["versions"][0]["effective"] == "2015-11-18"
    assert client.get("/health").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    assert spec["openapi"] == "3.1.0"
    for name, component in (("request", "Request"), ("decision", "Decision")):
        assert spec["components"]["schemas"][component] == load_schema(name)  # embedded as it is
        served = client.get(f"/schemas/{name}.schema.json")
        assert served.headers["content-type"] == "application/schema+json"
        assert served.json() == load_schema(name)  # and served as it is, for the operations' references
    decide = spec["paths"]["/v1/decide"]["post"]
    body = decide["requestBody"]["content"]["application/json"]["schema"]
    # The request schema as it is, and beside it what the service refuses beyond it: dates before 2015-11-18.
    assert body["allOf"][0] == {"$ref": "/schemas/request.schema.json"}
    pattern = re.compile(body["allOf"][1]["properties"]["as_of"]["pattern"])
    assert [bool(pattern.search(day)) for day in ("2015-11-17", "2015-11-18", "2015-11-30", "2015-12-01", "2016-01-01",
                                                  "2099-12-31", "2014-12-31", "2010-01-01")] == \
        [False, True, True, True, True, True, False, False]


def test_the_site_is_served_at_the_root(client):
    response = client.get("/")
    assert response.status_code == 200 and "policy site" in response.text
    assert response.headers["x-policy-digest"].startswith("sha256:")


@pytest.mark.parametrize(("send", "expected"), [
    (lambda c: c.post("/v1/decide", content=b"{oops", headers={"content-type": "application/json"}),
     (400, "invalid_json")),
    (lambda c: c.post("/v1/decide", content=b"\xff\xfe", headers={"content-type": "application/json"}),
     (400, "invalid_json")),
    (lambda c: c.post("/v1/decide", json={"actor": {"role": "teachr"}, "action": "post"}), (400, "invalid_request")),
    (lambda c: c.post("/v1/decide", json=dict(TEXTING, as_of="2014-01-01")), (400, "invalid_request")),
    (lambda c: c.post("/v1/decide", content=b"{}", headers={"content-type": "text/plain"}),
     (415, "unsupported_media_type")),
    (lambda c: c.post("/v1/decide", content=json.dumps({"a": "x" * 300_000}).encode(),
                      headers={"content-type": "application/json"}), (413, "body_too_large")),
    (lambda c: c.post("/v1/decide", content=b"[" * 20 + b"]" * 20, headers={"content-type": "application/json"}),
     (400, "too_deep")),
    (lambda c: c.post("/v1/decide", content=b"[" * 300_000, headers={"content-type": "application/json"}),
     (413, "body_too_large")),
    (lambda c: c.post("/v1/decide/batch", json={"requests": [TEXTING] * 201}), (400, "batch_too_large")),
    (lambda c: c.post("/v1/decide/batch", json=[TEXTING]), (400, "invalid_request")),
    (lambda c: c.get("/v1/clauses/relationships.texting"), (404, "not_found")),
    (lambda c: c.get("/v1/clauses/relationships.texting-and-calling", params={"as_of": "2015-11-17"}),
     (400, "invalid_request")),
    (lambda c: c.get("/v1/clauses/relationships.texting-and-calling", params={"as_of": "soon"}),
     (400, "invalid_request")),
    (lambda c: c.get("/v2/anything"), (404, "not_found")),
    (lambda c: c.get("/v1/decide"), (405, "method_not_allowed")),
])
def test_garbage_gets_a_clear_4xx_and_the_server_keeps_serving(client, send, expected):
    assert error_of(send(client)) == expected
    assert client.get("/health").status_code == 200


def test_invalid_requests_name_every_problem(client):
    body = client.post("/v1/decide", json={"actor": {"role": "teachr"}, "action": "msg"}).json()
    assert [e["pointer"] for e in body["errors"]] == ["/action", "/actor/role"]
    assert "did you mean 'message'?" in body["errors"][0]["message"]


def _read_response(raw: socket.socket) -> bytes:
    """One whole HTTP response (headers and a Content-Length body) from a socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += raw.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
    while len(body) < length:
        body += raw.recv(65536)
    return head + b"\r\n\r\n" + body


def test_a_body_that_arrives_too_slowly_times_out(client):
    host, port = client.base_url.host, client.base_url.port
    with socket.create_connection((host, port), timeout=10) as raw:
        raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 100\r\n\r\n{\"actor\":")
        reply = _read_response(raw).decode()
    assert reply.startswith("HTTP/1.1 408")
    assert '"code":"request_timeout"' in reply


def test_raw_garbage_on_the_socket_gets_a_4xx(client):
    host, port = client.base_url.host, client.base_url.port
    with socket.create_connection((host, port), timeout=10) as raw:
        raw.sendall(b"\x16\x03\x01 this is not http\r\n\r\n")
        reply = raw.recv(65536)
    assert reply.startswith(b"HTTP/1.1 400")
    assert client.get("/health").status_code == 200


def test_an_internal_fault_is_an_error_never_a_decision(decider, monkeypatch):
    from policykit.core import engine

    def broken(*args, **kwargs):
        raise RuntimeError("simulated fault")

    fresh = policykit.Policy(decider.document, today=lambda: TODAY)
    monkeypatch.setattr(engine, "evaluate", broken)
    with LiveServer(create_app(fresh)) as url:
        response = httpx.post(f"{url}/v1/decide", json=TEXTING)
    assert response.status_code == 500
    assert response.json() == {"code": "internal_error", "message": "the service could not answer; nothing was decided",
                               "errors": []}
    assert "Traceback" not in response.text


def test_a_token_guards_the_api_but_not_health(decider):
    with LiveServer(create_app(decider, ServerConfig(token="s3cret"))) as url:
        assert httpx.post(f"{url}/v1/decide", json=TEXTING).status_code == 401
        wrong = httpx.post(f"{url}/v1/decide", json=TEXTING, headers={"Authorization": "Bearer nope"})
        assert (wrong.status_code, wrong.headers["www-authenticate"]) == (401, 'Bearer realm="policykit"')
        right = httpx.post(f"{url}/v1/decide", json=TEXTING, headers={"Authorization": "Bearer s3cret"})
        assert right.status_code == 200
        assert httpx.get(f"{url}/health").status_code == 200


def test_the_decision_log_holds_one_line_per_decision(decider, tmp_path):
    log = tmp_path / "decisions.jsonl"
    with LiveServer(create_app(decider, ServerConfig(decision_log=log))) as url:
        first = httpx.post(f"{url}/v1/decide", json=TEXTING).json()
        httpx.post(f"{url}/v1/decide", json={"actor": {"role": "x"}, "action": "post"})  # malformed: not logged
        httpx.post(f"{url}/v1/decide/batch", json={"requests": [TEXTING, TEXTING]})
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    assert set(lines[0]) == {"time", "decision_id", "digest", "request", "outcome", "reasons"}
    assert (lines[0]["decision_id"], lines[0]["request"], lines[0]["outcome"]) == (first["decision_id"], TEXTING,
                                                                                  "prohibited")
    assert lines[0]["reasons"] == ["relationships.peer-communication", "relationships.texting-and-calling"]
    assert len({line["decision_id"] for line in lines}) == 3


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_policykit_serve_runs_the_service_and_refuses_open_binding_without_a_token(tmp_path):
    refused = subprocess.run([sys.executable, "-m", "policykit", "serve", "--host", "0.0.0.0"], capture_output=True,
                             text=True, timeout=60)
    assert refused.returncode == 2 and "needs --token-file" in refused.stderr
    capless = subprocess.run([sys.executable, "-m", "policykit", "serve", "--max-connections", "1"],
                             capture_output=True, text=True, timeout=60)
    assert capless.returncode == 2 and "--max-connections takes at least 2" in capless.stderr
    token = tmp_path / "token"
    token.write_text("t0ken\n", encoding="utf-8")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "policykit", "serve", "--port", str(port), "--token-file",
                                str(token), "--log-level", "warning"], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health")
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "policykit serve did not start"
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        decided = httpx.post(f"http://127.0.0.1:{port}/v1/decide", json=TEXTING,
                             headers={"Authorization": "Bearer t0ken"})
        assert decided.json()["outcome"] == "prohibited"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def test_schemathesis_finds_the_openapi_document_true_to_the_service(decider, tmp_path):
    """Bounded property-based run of schemathesis against /openapi.json with every check: no
    server error, no response off its schema, every schema-valid request accepted and every
    schema-violating one refused."""
    with LiveServer(create_app(decider)) as url:
        done = subprocess.run(
            [str(Path(sys.executable).parent / "schemathesis"), "--config-file",
             str(Path(__file__).parent / "schemathesis.toml"), "run", f"{url}/openapi.json", "--checks", "all",
             "--max-examples", os.environ.get("POLICYKIT_SCHEMATHESIS_EXAMPLES", "40"),
             "--generation-deterministic", "--no-color"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Unresolvable references" not in done.stdout  # every schema was really used
    assert re.search(r"(\d+) generated, \1 passed", done.stdout), done.stdout[-2000:]


# --- limits beyond the request: connections, queued work, the log, the site ----------------------

from hostile import is_json_error, request as raw_request  # noqa: E402


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_at_the_connection_limit_the_longest_waiting_connection_makes_room(decider):
    with LiveServer(create_app(decider), max_connections=20) as url:
        port = _port(url)
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(20)]
        try:
            time.sleep(0.2)
            assert raw_request(port, "GET", "/health").status == 200  # the 21st: the first idle one goes
            idle[0].settimeout(2)
            assert idle[0].recv(100) == b""
        finally:
            for raw in idle:
                raw.close()


def test_when_every_connection_has_a_request_in_progress_a_new_one_gets_a_json_503(decider):
    limits = Limits(request_seconds=2.0)
    with LiveServer(create_app(decider, ServerConfig(limits=limits)), max_connections=10) as url:
        port = _port(url)
        busy = []
        try:
            for _ in range(10):  # each sends its head and then only part of its body
                raw = socket.create_connection(("127.0.0.1", port), timeout=5)
                raw.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            b"Content-Length: 100\r\n\r\n{")
                busy.append(raw)
            time.sleep(0.3)
            reply = raw_request(port, "GET", "/health")
            assert is_json_error(reply, 503, "too_many_connections")
        finally:
            for raw in busy:
                raw.close()
        time.sleep(0.3)
        assert raw_request(port, "GET", "/health").status == 200  # and it recovers


def test_beyond_the_queued_work_limit_requests_get_a_503_with_retry_after(decider):
    import threading

    release = threading.Event()
    fresh = policykit.Policy(decider.document, today=lambda: TODAY)
    decide = fresh.decide

    def slow_decide(request, **kwargs):
        release.wait(10)  # the work on the threads is slow; the loop's cache lookup (cached_decision) is not
        return decide(request, **kwargs)

    fresh.decide = slow_decide  # type: ignore[method-assign]
    app = create_app(fresh, ServerConfig(limits=Limits(max_pending=2, threads=1)))
    with LiveServer(app) as url:
        port = _port(url)
        body = json.dumps(TEXTING).encode()  # a fresh policy: not in its verdict cache, so off to the threads
        replies: list = []
        workers = [threading.Thread(target=lambda: replies.append(raw_request(port, "POST", "/v1/decide", body)))
                   for _ in range(2)]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 5
        while app.state.service.work.pending < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        third = raw_request(port, "POST", "/v1/decide", body)
        assert is_json_error(third, 503, "busy") and third.header("retry-after") == "1"
        assert raw_request(port, "GET", "/health").status == 200  # the loop itself is free
        release.set()
        for worker in workers:
            worker.join(10)
    assert [reply.status for reply in replies] == [200, 200]


def test_an_error_lists_twenty_problems_and_counts_the_rest_over_http(client):
    request = {"actor": {"role": "teacher"}, "action": "post", **{f"f{i:03d}": 1 for i in range(50)}}
    body = client.post("/v1/decide", json=request).json()
    assert len(body["errors"]) == 20 and body["more_errors"] == 30


def test_the_error_body_is_capped_in_bytes():
    from policykit.interfaces.http.errors import ApiError

    error = ApiError(400, "invalid_request", "the request is malformed",
                     [{"pointer": f"/f{i}", "message": "x" * 1000} for i in range(20)])
    body = error.body(max_bytes=5000)
    assert len(json.dumps(body)) <= 5000
    assert len(body["errors"]) + body["more_errors"] == 20


def test_the_decision_log_rotates_by_size_even_when_two_processes_share_it(decider, tmp_path):
    from policykit.interfaces.http.decisionlog import DecisionLog

    path = tmp_path / "decisions.jsonl"
    first, second = DecisionLog(path, max_bytes=5_000, backups=2), DecisionLog(path, max_bytes=5_000, backups=2)
    decision = decider.decide(TEXTING)
    for index in range(60):
        (first if index % 2 else second).write(decision, TEXTING)
    first.close()
    second.close()
    logs = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock"))
    assert logs == ["decisions.jsonl", "decisions.jsonl.1", "decisions.jsonl.2"]
    lines = [line for name in logs for line in (tmp_path / name).read_text(encoding="utf-8").splitlines()]
    assert all(json.loads(line)["outcome"] == "prohibited" for line in lines)  # whole lines only
    assert all((tmp_path / name).stat().st_size <= 5_000 for name in logs)
    assert 0 < len(lines) < 60  # the oldest were deleted, as retention says


def test_the_site_is_served_with_a_csp_and_redirects_by_path_only(decider, tmp_path):
    site = tmp_path / "site"
    (site / "sections").mkdir(parents=True)
    script = "document.title = 'ok'"
    (site / "index.html").write_text(f"<!doctype html><title>x</title><script>{script}</script>"
                                     '<script id="__config" type="application/json">{"a": 1}</script>'
                                     '<table><td style="text-align: right;">1</td></table>', encoding="utf-8")
    (site / "sections" / "index.html").write_text("<!doctype html><title>sections</title>", encoding="utf-8")
    (site / "assets").mkdir()
    (site / "assets" / "bundle.4f3a9c21.min.js").write_text("var a = 1;", encoding="utf-8")
    (site / "assets" / "policykit.js").write_text("var b = 2;", encoding="utf-8")
    from policykit.interfaces.http.sitefiles import csp_hash

    with LiveServer(create_app(decider, ServerConfig(site_dir=site))) as url:
        port = _port(url)
        home = raw_request(port, "GET", "/")
        csp = home.header("content-security-policy")
        assert f"script-src 'self' {csp_hash(script)};" in csp  # the inline script by its hash, and no other
        assert "'unsafe-inline'" not in csp and "'unsafe-hashes' " + csp_hash("text-align: right;") in csp
        assert "frame-ancestors 'none'" in csp and "worker-src 'self'" in csp
        assert home.header("x-content-type-options") == "nosniff" and home.header("x-frame-options") == "DENY"
        for path in ("/sections", "//evil.example/sections", "/sections?next=//evil.example"):
            moved = raw_request(port, "GET", path, host="evil.example")
            location = moved.header("location")
            if moved.status == 307:
                assert location.startswith("/") and not location.startswith("//"), location
                assert "evil" not in location or location.startswith("/evil"), location
            else:
                assert moved.status == 404
        assert raw_request(port, "GET", "/sections").header("location") == "/sections/"
        # Cache-Control: a fingerprinted file for a year, any other file of the site checked each time.
        assert raw_request(port, "GET", "/assets/bundle.4f3a9c21.min.js").header("cache-control") == \
            "public, max-age=31536000, immutable"
        assert raw_request(port, "GET", "/assets/policykit.js").header("cache-control") == "no-cache"
        assert home.header("cache-control") == "no-cache"


TEXTING_HOMEWORK = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
                    "audience": ["student"], "purpose": "school_business", "as_of": "2026-01-05"}


def test_alternatives_are_opt_in_over_http(client, decider):
    plain = client.post("/v1/decide", json=TEXTING_HOMEWORK).json()
    assert "alternatives" not in plain and "questions" not in plain
    asked = client.post("/v1/decide?alternatives=true", json=TEXTING_HOMEWORK)
    assert asked.status_code == 200
    expected = decider.decide(TEXTING_HOMEWORK, alternatives=True).to_dict()
    assert asked.json()["alternatives"] == expected["alternatives"]
    assert asked.json()["alternatives"][0]["remedy_of"] == "communications.district-email"
    batch = client.post("/v1/decide/batch?alternatives=true", json={"requests": [TEXTING_HOMEWORK]}).json()
    assert batch["decisions"][0]["alternatives"] == expected["alternatives"]
    refused = client.post("/v1/decide?alternatives=yes", json=TEXTING_HOMEWORK)
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_query")
    operation = client.get("/openapi.json").json()["paths"]["/v1/decide"]["post"]
    assert [p["name"] for p in operation["parameters"]] == ["alternatives"]


def _distinct_requests(count: int, seed: int) -> list[dict]:
    """``count`` valid requests, nearly all different (so no verdict is remembered between them)."""
    import random

    from policykit.core.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    rng = random.Random(seed)
    choices = {fact.path: fact.value_names for fact in vocabulary.facts if fact.kind in ("choice", "list")}
    requests = []
    for _ in range(count):
        requests.append({"actor": {"role": rng.choice(choices["actor.role"])}, "action": rng.choice(choices["action"]),
                         "channel": rng.choice(choices["channel"]), "account": rng.choice(choices["account"]),
                         "audience": rng.sample(choices["audience"], rng.randint(0, 3)),
                         "content": rng.sample(choices["content"], rng.randint(0, 6)),
                         "effects": rng.sample(choices["effects"], rng.randint(0, 2)), "as_of": "2026-01-05"})
    return requests


def test_work_whose_client_has_gone_stops_queued_and_running(decider):
    """Two large batches on one policy thread: the first running, the second queued behind it.
    Both clients disconnect; both pieces of work stop at their next check (counted as cancelled,
    none as finished), and the service goes on answering."""
    config = ServerConfig(limits=Limits(max_body_bytes=64 << 20, max_batch=200_000, request_seconds=60, threads=1))
    app = create_app(decider, config)
    body = json.dumps({"requests": _distinct_requests(50_000, seed=22)}).encode()
    head = (b"POST /v1/decide/batch?alternatives=true HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    work = app.state.service.work
    with LiveServer(app) as url:
        port = int(url.rsplit(":", 1)[1])
        clients = []
        for _ in range(2):
            raw = socket.create_connection(("127.0.0.1", port))
            raw.sendall(head + body)
            clients.append(raw)
        deadline = time.monotonic() + 120
        while work.pending < 2:  # both read and handed to the pool: one running, one queued
            assert time.monotonic() < deadline, "the batches never reached the policy thread"
            time.sleep(0.02)
        for raw in clients:
            raw.close()
        while work.cancelled < 2:
            assert time.monotonic() < deadline and work.finished == 0, (work.finished, work.cancelled)
            time.sleep(0.05)
        assert (work.finished, work.cancelled, work.pending) == (0, 2, 0)
        answer = httpx.post(url + "/v1/decide?alternatives=true", json=TEXTING).json()  # never from the cache
        assert answer["outcome"] == "prohibited" and answer["alternatives_complete"] is True
        assert (work.finished, work.cancelled) == (1, 2)


def test_a_batch_with_alternatives_shares_one_search_budget(client, decider):
    """A batch holds its alternatives searches to the budget of one request: once it is spent, the
    later decisions say their search stopped short."""
    from policykit.core.alternatives import SearchBudget, search_budget

    heavy = {"actor": {"role": "teacher"}, "action": "message", "channel": "text_message", "account": "personal",
             "device": "personal", "audience": ["student"], "purpose": "school_business",
             "content": ["profane_or_obscene", "harassing"], "as_of": "2026-01-05"}
    alone = SearchBudget(search_budget())
    assert decider.decide(heavy, alternatives=True, budget=alone).alternatives_complete is True
    per_request = alone.spent
    count = search_budget() // per_request + 2
    decisions = client.post("/v1/decide/batch?alternatives=true",
                            json={"requests": [heavy] * count}).json()["decisions"]
    complete = [d["alternatives_complete"] for d in decisions]
    assert complete == [True] * (search_budget() // per_request) + [False] * 2
    assert decisions[-1]["outcome"] == "prohibited" and decisions[-1]["alternatives"] is not None


def test_the_batch_size_refusal_is_the_status_the_openapi_document_gives(decider):
    """With the default limits: the OpenAPI document's own constraint (maxItems on requests) is
    where the service starts refusing, and a batch one over it gets 400, a status the operation
    declares and the one a schema violation gets (not 413: the body is within its size)."""
    with LiveServer(create_app(decider)) as url, httpx.Client(base_url=url, timeout=60) as http:
        operation = http.get("/openapi.json").json()
        most = operation["components"]["schemas"]["BatchRequest"]["properties"]["requests"]["maxItems"]
        assert most == Limits().max_batch
        assert "400" in operation["paths"]["/v1/decide/batch"]["post"]["responses"]
        accepted = http.post("/v1/decide/batch", json={"requests": [TEXTING] * most})
        assert (accepted.status_code, len(accepted.json()["decisions"])) == (200, most)
        refused = http.post("/v1/decide/batch", json={"requests": [TEXTING] * (most + 1)})
        assert (refused.status_code, refused.json()["code"]) == (400, "batch_too_large")
        assert refused.headers["cache-control"] == "no-store"

"""The HTTP documentation against the service: the query parameters that README.md and
docs/integrators.md list are exactly those of the OpenAPI document the service serves, and every
example they give is answered by a real server on a loopback port as they say."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

import policykit
from conftest import PROJECT_ROOT
from liveserver import LiveServer
from policykit.interfaces.http.config import ServerConfig
from policykit.interfaces.http.app import create_app

DOCUMENTS = [PROJECT_ROOT / "README.md", PROJECT_ROOT / "docs" / "integrators.md"]
ROW = re.compile(r"^\| `(GET|POST) (/[^`]*)` \| `([a-z_]+)` \|")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    policy = policykit.load_policy(today=lambda: date(2026, 1, 5))
    with LiveServer(create_app(policy, ServerConfig())) as url:
        yield url


def _route(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def documented_parameters(document: Path) -> set[tuple[str, str, str]]:
    """(method, route, parameter) for each row of the document's query parameters table."""
    rows = {(m.group(1), _route(m.group(2)), m.group(3))
            for line in document.read_text(encoding="utf-8").splitlines() if (m := ROW.match(line))}
    assert rows, f"{document.name} has no query parameters table"
    return rows


def served_parameters(server: str) -> set[tuple[str, str, str]]:
    spec = httpx.get(server + "/openapi.json").json()
    return {(method.upper(), _route(path), parameter["name"])
            for path, operations in spec["paths"].items() for method, operation in operations.items()
            for parameter in operation.get("parameters", ()) if parameter["in"] == "query"}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_the_documented_query_parameters_are_those_the_service_serves(document: Path, server: str) -> None:
    assert documented_parameters(document) == served_parameters(server)


SERVICE = "http://127.0.0.1:8000/"
"""Where the examples find the service: ``policykit serve``'s default address. A curl command aimed
elsewhere (an OPA beside it, say) is not an example of this service."""


def examples(document: Path) -> list[tuple[str, str, str | None]]:
    """Each curl command of the document's shell blocks asking the service with a query string:
    (method, URL, body)."""
    text = document.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        tokens = shlex.split(block.replace("\\\n", " "), comments=True)
        starts = [i for i, token in enumerate(tokens) if token == "curl"] + [len(tokens)]
        for start, end in zip(starts, starts[1:]):
            words = tokens[start:end]
            url = next((word for word in words if word.startswith(SERVICE)), None)
            if url is None:
                continue
            body = words[words.index("-d") + 1] if "-d" in words else None
            if urlsplit(url).query:
                found.append(("POST" if body is not None else "GET", url, body))
    return found


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_query_parameter_has_an_example_the_service_answers(document: Path, server: str) -> None:
    given = examples(document)
    shown = {(method, _route(re.sub(r"/v1/clauses/[^/?]+", "/v1/clauses/{id}", urlsplit(url).path)), name)
             for method, url, _ in given for name, _ in parse_qsl(urlsplit(url).query)}
    assert shown == documented_parameters(document)
    for method, url, body in given:
        parts = urlsplit(url)
        response = httpx.request(method, server + parts.path + "?" + parts.query, content=body,
                                 headers={"content-type": "application/json"} if body else {})
        assert response.status_code == 200, (url, response.text[:300])
        answer = response.json()
        decisions = answer.get("decisions", [answer]) if method == "POST" else []
        for decision in decisions:
            assert "alternatives" in decision and "questions" in decision, url


def test_the_integrators_page_says_what_the_examples_answer(server: str) -> None:
    (_, decide, body), (_, batch, batch_body) = examples(PROJECT_ROOT / "docs" / "integrators.md")[:2]
    answer = httpx.post(server + urlsplit(decide).path + "?alternatives=true", content=body,
                        headers={"content-type": "application/json"}).json()
    assert answer["outcome"] == "discouraged"
    assert {"changes": [{"fact": "account", "value": "district"}], "outcome": "permitted",
            "text": "Use a District-managed account."}.items() <= answer["alternatives"][0].items()
    decisions = httpx.post(server + urlsplit(batch).path + "?alternatives=true", content=batch_body,
                           headers={"content-type": "application/json"}).json()["decisions"]
    assert decisions[0]["outcome"] == "undetermined" and decisions[0]["questions"][0]["fact"] == "purpose"

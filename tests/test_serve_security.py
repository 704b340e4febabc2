"""`serve` safely: a token for public addresses, security headers on every response, errors included."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from newsgraph.api.server import NewsgraphServer, is_loopback, make_server, split_token
from newsgraph.cli.serve import serve
from newsgraph.config import Settings
from newsgraph.model import Document
from newsgraph.store import Store

TOKEN = "s3cret-Token"
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "news.db"
    text = "Le maire de Lyon a inauguré lundi une nouvelle ligne de tramway vers l'est de la ville."
    with Store(path) as store:
        store.add_documents([Document(doc_id="lyon-1", text=text, lang="fr")])
    return path


def start(server: NewsgraphServer) -> Iterator[NewsgraphServer]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def guarded(db: Path) -> Iterator[NewsgraphServer]:
    yield from start(make_server(db, "127.0.0.1", 0, token=TOKEN))


@pytest.fixture(scope="module")
def open_server(db: Path) -> Iterator[NewsgraphServer]:
    yield from start(make_server(db, "127.0.0.1", 0))


def get(
    server: NewsgraphServer, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def assert_secured(headers: dict[str, str]) -> None:
    assert all(name in headers for name in HEADERS), headers
    assert "default-src 'none'" in headers["content-security-policy"]


def test_without_the_token_nothing_is_served(guarded: NewsgraphServer) -> None:
    for path in ("/", "/api/stats", "/api/documents/lyon-1", "/nope"):
        status, headers, body = get(guarded, path)
        assert status == 401 and "Bearer" in headers["www-authenticate"]
        assert "token" in json.loads(body)["error"]
        assert_secured(headers)
    status, _, _ = get(guarded, "/api/stats", {"Authorization": "Bearer wrong"})
    assert status == 401


def test_the_token_opens_by_header_by_link_and_then_by_cookie(guarded: NewsgraphServer) -> None:
    status, _, body = get(guarded, "/api/stats", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200 and json.loads(body)["documents"] == 1
    status, headers, body = get(guarded, f"/api/documents?limit=5&token={TOKEN}")
    assert status == 200 and json.loads(body)  # the token is no parameter of the API
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, headers, _ = get(guarded, "/", {"Cookie": cookie.split(";")[0]})
    assert status == 200
    assert_secured(headers)


def test_errors_carry_the_security_headers_too(open_server: NewsgraphServer) -> None:
    for path, method, expected in (
        ("/api/nope", "GET", 404),
        ("/api/stats", "POST", 405),
        ("/", "HEAD", 200),
    ):
        status, headers, _ = get(open_server, path, method=method)
        assert status == expected
        assert_secured(headers)
    # a request the standard library itself rejects (431: over 100 headers), before our code runs
    with socket.create_connection(("127.0.0.1", open_server.server_address[1]), timeout=10) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(120)) + b"\r\n")
        answer = raw.recv(65536).decode("latin-1").lower()
    assert answer.startswith("http/1.") and " 431 " in answer.split("\r\n")[0]
    assert all(f"{name}:" in answer for name in HEADERS)


def test_a_failing_page_is_a_500_with_headers_not_a_dropped_connection(
    open_server: NewsgraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(target: str) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(open_server.app, "handle", broken)
    status, headers, body = get(open_server, "/api/stats")
    assert status == 500 and "internal error" in json.loads(body)["error"]
    assert_secured(headers)


def test_split_token_removes_only_the_token_parameter() -> None:
    assert split_token("/api/search?q=Lyon&token=abc&limit=2") == ("/api/search?q=Lyon&limit=2", "abc")
    assert split_token("/api/search?q=Lyon") == ("/api/search?q=Lyon", None)
    assert split_token("/") == ("/", None)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("news.example.org", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def serve_app(db: Path) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = Settings(db=str(db))

    app.command()(serve)
    return app


def test_a_public_address_needs_a_token_or_an_explicit_insecure_flag(db: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200", "NEWSGRAPH_TOKEN": None})
    refused = runner.invoke(serve_app(db), ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert refused.exit_code == 2
    assert "--token" in refused.output and "--insecure-public" in refused.output

"""`serve` safely: a token for public addresses and for writing, security headers on every response
(errors and crashes included), raw UTF-8 query strings, and a real uvicorn server behind it."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsgraph.api.app import create_app
from newsgraph.api.guard import ascii_query, split_token
from newsgraph.api.protocol import Utf8RequestLine, encode_request_line
from newsgraph.cli.serve import bind, is_loopback, serve
from newsgraph.config import Settings
from newsgraph.model import Document, Entity, Mention
from newsgraph.store import Store

TOKEN = "s3cret-Token"
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")
TEXT = "Le maire de Lyon a inauguré lundi une nouvelle ligne de tramway vers l'est de la ville."
RU = "Мэр Лиона Григорий Дусе открыл новую линию трамвая."


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "news.db"
    start = RU.index("Григорий Дусе")
    ru = Document(
        doc_id="lyon-ru",
        text=RU,
        lang="ru",
        mentions=[Mention(start, start + 13, "Григорий Дусе", "PER", "E:gregory-doucet")],
        entities={"E:gregory-doucet": Entity("E:gregory-doucet", "Grégory Doucet", "PER", ["Григорий Дусе"])},
    )
    with Store(path) as store:
        store.add_documents([Document(doc_id="lyon-1", text=TEXT, lang="fr"), ru])
    return path


@pytest.fixture(scope="module")
def guarded(db: Path) -> TestClient:
    return TestClient(create_app(db, token=TOKEN), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def open_client(db: Path) -> TestClient:
    return TestClient(create_app(db), raise_server_exceptions=False)


def assert_secured(headers: dict[str, str] | object) -> None:
    assert all(name in headers for name in HEADERS), headers  # type: ignore[operator]
    assert "default-src 'none'" in headers["content-security-policy"]  # type: ignore[index]


def test_without_the_token_nothing_is_served(guarded: TestClient) -> None:
    for path in ("/", "/api/stats", "/api/documents/lyon-1", "/nope"):
        response = guarded.get(path)
        assert response.status_code == 401 and "Bearer" in response.headers["www-authenticate"]
        assert "token" in response.text
        assert_secured(response.headers)
    wrong = guarded.get("/api/stats", headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 403 and "token" in wrong.json()["error"]


def test_the_token_opens_by_header_by_link_and_then_by_cookie(guarded: TestClient) -> None:
    response = guarded.get("/api/stats", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and response.json()["documents"] == 2
    response = guarded.get(f"/api/documents?limit=5&token={TOKEN}")
    assert response.status_code == 200 and response.json()["total"] == 2  # the token is no parameter
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    guarded.cookies.clear()
    page = guarded.get("/", headers={"Cookie": cookie.split(";")[0]})
    assert page.status_code == 200
    assert_secured(page.headers)
    guarded.cookies.clear()


def test_errors_carry_the_security_headers_too(open_client: TestClient) -> None:
    for method, path, expected in (
        ("GET", "/api/nope", 404),
        ("PUT", "/api/stats", 405),
        ("POST", "/api/documents", 403),
        ("GET", "/nope", 404),
        ("HEAD", "/", 200),
        ("GET", "/api/documents?limit=x", 400),
    ):
        response = open_client.request(method, path)
        assert response.status_code == expected, (path, response.text)
        assert_secured(response.headers)
    head = open_client.head("/api/stats")
    assert head.content == b"" and int(head.headers["content-length"]) > 0


def test_a_failing_request_is_a_500_with_headers_not_a_dropped_connection(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(db)

    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app.state.graph, "stats", broken)
    response = TestClient(app, raise_server_exceptions=False).get("/api/stats")
    assert response.status_code == 500 and "internal error" in response.json()["error"]
    assert "a bug" not in response.text
    assert_secured(response.headers)


def test_split_token_removes_only_the_token_parameter() -> None:
    assert split_token(b"q=Lyon&token=abc&limit=2") == (b"q=Lyon&limit=2", "abc")
    assert split_token(b"q=Lyon") == (b"q=Lyon", None)
    assert split_token(b"") == (b"", None)


def test_raw_utf8_in_a_query_string_is_read_as_utf8() -> None:
    assert (
        ascii_query("actor=Блинкен&q=a%20b".encode())
        == b"actor=%D0%91%D0%BB%D0%B8%D0%BD%D0%BA%D0%B5%D0%BD&q=a%20b"
    )
    assert ascii_query(b"q=plain") == b"q=plain"
    request = "GET /timeline?actor=Блинкен HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    assert encode_request_line(request) == (
        b"GET /timeline?actor=%D0%91%D0%BB%D0%B8%D0%BD%D0%BA%D0%B5%D0%BD HTTP/1.1\r\nHost: x\r\n\r\n"
    )


@pytest.fixture
def live(db: Path) -> Iterator[int]:
    """A real uvicorn server over `db` on a free port (what `newsgraph serve` runs)."""
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(db), http=Utf8RequestLine, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def raw_get(port: int, target: bytes) -> tuple[str, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.decode("latin-1"), body


def test_a_real_server_reads_an_unencoded_utf8_query_string(live: int) -> None:
    head, body = raw_get(live, "/api/quotes?speaker=Григорий+Дусе".encode())
    assert " 200 " in head.split("\r\n")[0], body
    assert json.loads(body)["speaker_ids"] == ["E:gregory-doucet"]
    head, body = raw_get(live, "/api/documents?q=трамвая".encode())
    assert [d["doc_id"] for d in json.loads(body)["items"]] == ["lyon-ru"]
    assert all(f"{name}:" in head.lower() for name in HEADERS)


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


def test_serve_explains_itself_and_refuses_a_busy_port(db: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    help_text = runner.invoke(serve_app(db), ["serve", "--help"]).output
    assert "--port" in help_text and "Example" in help_text
    with bind("127.0.0.1", 0) as busy:
        taken = runner.invoke(serve_app(db), ["serve", "--port", str(busy.getsockname()[1])])
    assert taken.exit_code == 2 and "choose another --port" in taken.output
    missing = runner.invoke(serve_app(db.with_name("missing.db")), ["serve", "--port", "0"])
    assert missing.exit_code == 2 and "does not exist yet" in missing.output

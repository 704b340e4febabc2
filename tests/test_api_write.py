"""`POST /api/documents`: only on a server started with a token, through `newsgraph ingest`'s path,
with a size limit and clear 4xx answers for what it cannot take. Articles written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsgraph.api.app import MAX_RECORDS, create_app
from newsgraph.config import Settings
from newsgraph.store import Store

TOKEN = "write-Token-7"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = {
    "id": "tram-fr",
    "text": "Lyon ouvre une ligne de tramway\n\nLa métropole de Lyon a ouvert lundi une nouvelle ligne de "
    "tramway entre la gare et l'université.",
    "published": "2025-03-03",
    "lang": "fr",
    "outlet": "Journal du Rhône",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    db = tmp_path / "news.db"
    Store(db).close()
    # the light stages keep the test quick; the path (read, annotate, resolve, store) is ingest's
    return Settings(db=str(db), workers=0, stages=("language", "clean", "sentences"), max_bytes=4000)


@pytest.fixture
def writer(settings: Settings) -> TestClient:
    return TestClient(create_app(settings, token=TOKEN))


def test_an_article_posted_with_the_token_is_stored_and_then_listed(writer: TestClient) -> None:
    response = writer.post("/api/documents", json=ARTICLE, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json() | {"messages": []} == {
        "added": 1,
        "duplicates": 0,
        "errors": 0,
        "doc_ids": ["tram-fr"],
        "messages": [],
    }
    record = writer.get("/api/documents/tram-fr", headers=AUTH).json()
    assert (record["text"], record["outlet"], record["published"]["value"]) == (
        ARTICLE["text"],
        "Journal du Rhône",
        "2025-03-03",
    )
    assert record["title"] == "Lyon ouvre une ligne de tramway"
    again = writer.post("/api/documents", json=[ARTICLE], headers=AUTH).json()
    assert (again["added"], again["duplicates"]) == (0, 1)  # the same text is stored once, as by ingest


def test_no_token_or_a_wrong_one_is_refused_before_anything_is_read(
    writer: TestClient, settings: Settings
) -> None:
    assert writer.post("/api/documents", json=ARTICLE).status_code == 401
    wrong = writer.post("/api/documents", json=ARTICLE, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and "token" in wrong.json()["error"]
    by_link = writer.post(f"/api/documents?token={TOKEN}", json=ARTICLE)
    by_cookie = writer.post("/api/documents", json=ARTICLE, headers={"Cookie": f"newsgraph_token={TOKEN}"})
    assert by_link.status_code == by_cookie.status_code == 401  # a browser could send these unasked
    assert writer.get(f"/api/stats?token={TOKEN}").status_code == 200  # they do open reading
    with Store(settings.db) as store:
        assert store.stats()["documents"] == 0


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{not json", 400, "JSON"),
        (json.dumps({"text": 42}).encode(), 400, "text"),
        (json.dumps({"title": "No article"}).encode(), 400, "neither `text` nor `html`"),
        (json.dumps([]).encode(), 400, "empty"),
        (json.dumps([{"text": "a"}] * (MAX_RECORDS + 1)).encode(), 400, f"at most {MAX_RECORDS}"),
        (json.dumps({"text": "x" * 5000}).encode(), 413, "max_bytes"),
    ],
)
def test_bad_uploads_are_4xx_saying_what_to_send(
    writer: TestClient, body: bytes, status: int, message: str
) -> None:
    response = writer.post(
        "/api/documents", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert message in response.json()["error"]
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_a_body_sent_without_a_length_is_still_bounded(writer: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b" " * 1000

    response = writer.post(
        "/api/documents", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 413 and "max_bytes" in response.json()["error"]

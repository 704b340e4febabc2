"""The HTTP API and web view (FastAPI, driven by its TestClient) over a store of hand-made documents
(French, English, Russian) with mentions, quotes, claims, events and their clusters."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from fixtures_stores import store_stories
from newsgraph.api.app import create_app
from newsgraph.api.highlight import Mark, article_html
from newsgraph.api.pages import document_url
from newsgraph.entities.resolve import Decision
from newsgraph.events.cluster import ClusterMember, EventCluster
from newsgraph.ingest.hashing import content_hash
from newsgraph.model import (
    Boilerplate,
    Claim,
    DateValue,
    Document,
    Entity,
    Event,
    Mention,
    Quote,
    Span,
    TimeExpression,
)
from newsgraph.store import Store
from newsgraph.store.readonly import UnreadableStoreError, open_readonly

BLINKEN, HERZOG, ISRAEL = "E:antony-blinken", "E:isaac-herzog", "E:israel"

FR = (
    "Blinken téléphone à Herzog\n\n"
    "Le chef de la diplomatie américaine, Antony Blinken, a parlé mercredi au téléphone avec le président "
    "israélien Isaac Herzog. « Nous restons aux côtés d'Israël », a affirmé Blinken. Selon le ministère de "
    "la Santé, plus de 8 000 personnes ont été tuées.\n\n"
    "Partager sur Facebook"
)
EN = (
    "Blinken and Herzog speak by phone\n\n"
    "US Secretary of State Antony Blinken spoke with Israeli President Isaac Herzog on Wednesday, "
    'officials said. Herzog called the talks "frank and useful". Some 240 people are held as hostages, '
    "according to the army.\n\n"
    "<script>alert('stolen')</script>"
)
RU = (
    "Блинкен прибыл в Тель-Авив\n\n"
    "Государственный секретарь США Энтони Блинкен в понедельник прибыл в Израиль и встретился с "
    "Ицхаком Герцогом."
)


def span_of(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return start, start + len(part)


def mention(text: str, part: str, type: str, entity: str, after: int = 0) -> Mention:
    return Mention(*span_of(text, part, after), part, type, entity, source="hand")


def entities(*pairs: tuple[str, str, str, list[str]]) -> dict[str, Entity]:
    return {eid: Entity(eid, name, type, aliases) for eid, name, type, aliases in pairs}


def consult(
    text: str,
    event_id: str,
    trigger: str,
    mode: str,
    date: str,
    cluster: str | None,
    source: Span,
    target: Span,
) -> Event:
    sentence_start = text.rindex("\n", 0, source[0]) + 1
    return Event(
        event_id,
        "CONSULT",
        mode,
        [BLINKEN],
        [HERZOG],
        [source],
        [target],
        DateValue(date, "day"),
        sentence=(sentence_start, text.index(".", target[1]) + 1),
        trigger=span_of(text, trigger),
        confidence=0.9,
        cluster=cluster,
    )


def french() -> Document:
    blinken = mention(FR, "Antony Blinken", "PER", BLINKEN)
    herzog = mention(FR, "Isaac Herzog", "PER", HERZOG)
    said = span_of(FR, "Nous restons aux côtés d'Israël")
    killed = span_of(FR, "plus de 8 000 personnes ont été tuées")
    return Document(
        doc_id="fr-1",
        text=FR,
        lang="fr",
        title=FR[:26],
        title_span=(0, 26),
        outlet="Le Quotidien",
        url="https://example.org/fr-1",
        published=DateValue("2023-11-01T15:03", "minute", None, "metadata"),
        body=[(0, FR.index("\n\nPartager"))],
        sentences=sentences(FR),
        boilerplate=[Boilerplate(*span_of(FR, "Partager sur Facebook"), "share", "share-line")],
        mentions=[
            blinken,
            herzog,
            mention(FR, "Israël", "LOC", ISRAEL),
            mention(FR, "Blinken", "PER", BLINKEN, said[1]),
        ],
        entities=entities(
            (BLINKEN, "Antony Blinken", "PER", ["Antony Blinken", "Blinken"]),
            (HERZOG, "Isaac Herzog", "PER", ["Isaac Herzog"]),
            (ISRAEL, "Israël", "LOC", ["Israël"]),
        ),
        times=[TimeExpression(*span_of(FR, "mercredi"), "mercredi", "2023-11-01", "day")],
        events=[
            consult(
                FR,
                "V:fr",
                "a parlé",
                "phone",
                "2023-11-01",
                "C:call",
                (blinken.start, blinken.end),
                (herzog.start, herzog.end),
            )
        ],
        quotes=[
            Quote(
                *said,
                FR[said[0] : said[1]],
                True,
                BLINKEN,
                span_of(FR, "Blinken", said[1]),
                span_of(FR, "a affirmé"),
                "Blinken",
            )
        ],
        claims=[
            Claim(
                *killed,
                FR[killed[0] : killed[1]],
                8000,
                "more_than",
                "killed",
                subject="personnes",
                attributed_to="le ministère de la Santé",
            )
        ],
    )


def english() -> Document:
    blinken = mention(EN, "Antony Blinken", "PER", BLINKEN)
    herzog = mention(EN, "Isaac Herzog", "PER", HERZOG)
    said = span_of(EN, "frank and useful")
    held = span_of(EN, "Some 240 people are held as hostages")
    return Document(
        doc_id="en-1",
        text=EN,
        lang="en",
        title="Blinken and Herzog speak by phone",
        outlet="O'Brien & Sons <News>",
        url="javascript:alert('url')",
        published=DateValue("2023-11-01", "day", None, "metadata"),
        mentions=[blinken, herzog, mention(EN, "Herzog", "PER", HERZOG, herzog.end)],
        entities=entities(
            (BLINKEN, "Antony Blinken", "PER", ["Antony Blinken"]),
            (HERZOG, "Isaac Herzog", "PER", ["Isaac Herzog", "Herzog"]),
        ),
        events=[
            consult(
                EN,
                "V:en",
                "spoke",
                "phone",
                "2023-11-01",
                "C:call",
                (blinken.start, blinken.end),
                (herzog.start, herzog.end),
            )
        ],
        quotes=[
            Quote(
                *said,
                EN[said[0] : said[1]],
                True,
                HERZOG,
                span_of(EN, "Herzog", herzog.end),
                span_of(EN, "called"),
                "Herzog",
            )
        ],
        claims=[
            Claim(
                *held,
                EN[held[0] : held[1]],
                240,
                "about",
                "hostages",
                subject="people",
                attributed_to="the army",
            )
        ],
    )


def russian() -> Document:
    blinken = mention(RU, "Энтони Блинкен", "PER", BLINKEN)
    herzog = mention(RU, "Ицхаком Герцогом", "PER", HERZOG)
    return Document(
        doc_id="ru-1",
        text=RU,
        lang="ru",
        title="Блинкен прибыл в Тель-Авив",
        published=DateValue("2023-10-16", "day", None, "metadata"),
        mentions=[blinken, mention(RU, "Израиль", "LOC", ISRAEL), herzog],
        entities=entities(
            (BLINKEN, "Antony Blinken", "PER", ["Энтони Блинкен", "Блинкен"]),
            (HERZOG, "Isaac Herzog", "PER", ["Ицхак Герцог"]),
            (ISRAEL, "Israël", "LOC", ["Израиль"]),
        ),
        events=[
            consult(
                RU,
                "V:ru",
                "встретился",
                "visit",
                "2023-10-16",
                None,
                (blinken.start, blinken.end),
                (herzog.start, herzog.end),
            )
        ],
    )


def sentences(text: str) -> list[Span]:
    return [m.span() for m in re.finditer(r"[^\s.][^\n.]*\.", text)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cluster(cluster_id: str, docs: list[Document], mode: str) -> EventCluster:
    """The stored cluster of these documents' one event each (what the corpus pass would keep)."""
    members = [
        ClusterMember(
            doc.doc_id,
            doc.events[0].id,
            doc.lang,
            doc.events[0].date,
            doc.span_text(doc.events[0].sentence),
            [BLINKEN],
            [HERZOG],
            mode,
            confidence=0.9,
        )
        for doc in docs
    ]
    found = EventCluster(cluster_id, "CONSULT", (BLINKEN, HERZOG), members, mode=mode)
    found.settle()
    return found


class Client:
    """GETs (and other methods) through FastAPI's TestClient, checking status and content type."""

    def __init__(self, app: Any):
        self.client = TestClient(app, raise_server_exceptions=False)

    def request(
        self, path: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        response = self.client.request(method, path, content=body, headers=headers)
        return response.status_code, dict(response.headers), response.content

    def json(self, path: str, status: int = 200) -> Any:
        response = self.client.get(path)
        assert response.status_code == status, response.text[:300]
        assert response.headers["content-type"] == "application/json", response.text[:300]
        return response.json()

    def html(self, path: str, status: int = 200) -> str:
        response = self.client.get(path)
        assert (response.status_code, response.headers["content-type"]) == (
            status,
            "text/html; charset=utf-8",
        ), response.text[:300]
        return response.text


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "news.db"
    decision = Decision("ru-1", "L:0", BLINKEN, "kb", 0.93, "Antony Blinken", "translit", (HERZOG, 0.2))
    docs = [french(), english(), russian()]
    docs[2].events[0].cluster = "C:visit"
    clusters = [cluster("C:call", docs[:2], "phone"), cluster("C:visit", docs[2:], "visit")]
    for doc in docs:
        doc.story = "S:ru" if doc.lang == "ru" else "S:call"
    with Store(path) as store:
        store.add_documents(docs, decisions=[decision], clusters=clusters)
        store_stories(store, docs, copies={})
    return path


@pytest.fixture(scope="module")
def served(db: Path) -> tuple[Client, str]:
    """A client of the app over `db`, and the digest of the file before any request."""
    before = digest(db)
    return Client(create_app(db)), before


@pytest.fixture
def client(served: tuple[Client, str]) -> Client:
    return served[0]


# ---------------------------------------------------------------------------------------- JSON API
def test_the_api_index_and_the_openapi_description_list_every_endpoint(client: Client) -> None:
    endpoints = client.json("/api")["endpoints"]
    expected = {
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/quotes",
        "/api/claims",
        "/api/timeline",
        "/api/clusters/{cluster_id}",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stats",
    }
    assert expected <= {path.replace(":path", "") for path in endpoints}
    described = client.json("/openapi.json")
    assert expected <= {path.replace(":path", "") for path in described["paths"]}
    quotes = described["paths"]["/api/quotes"]["get"]
    assert "speaker" in {p["name"] for p in quotes["parameters"]}
    assert "post" in described["paths"]["/api/documents"]
    assert client.client.get("/docs").status_code == 200


def test_documents_are_listed_newest_first_and_paged_with_a_total(client: Client) -> None:
    page = client.json("/api/documents")
    assert [d["doc_id"] for d in page["items"]] == ["fr-1", "en-1", "ru-1"]
    assert (page["total"], page["limit"], page["offset"], page["next_offset"]) == (3, 20, 0, None)
    assert {k: v for k, v in page["items"][0].items() if v is not None} == {
        "doc_id": "fr-1",
        "title": "Blinken téléphone à Herzog",
        "lang": "fr",
        "published": "2023-11-01T15:03",
        "outlet": "Le Quotidien",
    }
    first, last = client.json("/api/documents?limit=2"), client.json("/api/documents?limit=2&offset=2")
    assert ([d["doc_id"] for d in first["items"]], first["next_offset"], first["total"]) == (
        ["fr-1", "en-1"],
        2,
        3,
    )
    assert ([d["doc_id"] for d in last["items"]], last["next_offset"]) == (["ru-1"], None)
    assert [d["doc_id"] for d in client.json("/api/documents?lang=ru")["items"]] == ["ru-1"]
    assert [d["doc_id"] for d in client.json("/api/documents?until=2023-10")["items"]] == ["ru-1"]


def test_search_returns_plain_snippets_with_match_offsets_and_a_total(client: Client) -> None:
    found = client.json("/api/documents?q=Herzog&since=2023-11-01")
    assert found["total"] == 2 and found["query"] == "Herzog"
    hits = found["items"]
    assert sorted(h["doc_id"] for h in hits) == ["en-1", "fr-1"]
    for hit in hits:
        assert "<mark>" not in hit["snippet"]
        assert hit["highlights"] and all(hit["snippet"][s:e] == "Herzog" for s, e in hit["highlights"])
    second = client.json("/api/documents?q=Herzog&limit=1&offset=1")
    assert (second["total"], len(second["items"]), second["next_offset"]) == (2, 1, None)
    assert client.json("/api/documents?q=" + quote("Блинкен"))["items"][0]["doc_id"] == "ru-1"
    assert client.json("/api/documents?q=talks&lang=fr")["items"] == []


def test_lists_come_as_csv_on_request(client: Client) -> None:
    for path in ("/api/documents?format=csv", "/api/quotes?format=csv", "/api/timeline?format=csv"):
        status, headers, body = client.request(path)
        assert (status, headers["content-type"]) == (200, "text/csv; charset=utf-8")
        assert "attachment" in headers["content-disposition"]
    _, headers, body = client.request("/api/entities", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert headers["x-total-count"] == "3"
    assert [(r["id"], r["mentions"]) for r in rows] == [(BLINKEN, "4"), (HERZOG, "4"), (ISRAEL, "2")]
    _, _, body = client.request("/api/timeline?format=csv&actor=Blinken")
    timeline = list(csv.DictReader(io.StringIO(body.decode())))
    assert [r["cluster"] for r in timeline] == ["C:visit", "C:call"]
    assert timeline[1]["languages"] == "en; fr" and timeline[1]["reports"] == "2"


def test_a_document_is_its_interchange_record(client: Client) -> None:
    record = client.json("/api/documents/fr-1")
    assert record == {**french().to_record(), "content_hash": content_hash(FR), "story": "S:call"}
    missing = client.json("/api/documents/nope", 404)
    assert "no document 'nope'" in missing["error"] and "/api/documents?q=" in missing["error"]


def test_entities_are_ranked_by_mentions_and_filtered(client: Client) -> None:
    page = client.json("/api/entities")
    ranked = page["items"]
    assert page["total"] == 3
    assert [e["id"] for e in ranked] == [BLINKEN, HERZOG, ISRAEL]
    assert ranked[0] == {
        "id": BLINKEN,
        "name": "Antony Blinken",
        "type": "PER",
        "wikidata": None,
        "mentions": 4,
        "documents": 3,
    }
    assert [e["id"] for e in client.json("/api/entities?type=loc")["items"]] == [ISRAEL]
    assert client.json("/api/entities?type=LOC&lang=en") | {"items": None} == {
        "total": 0,
        "limit": 20,
        "offset": 0,
        "next_offset": None,
        "items": None,
    }
    assert "use one of PER, ORG, LOC, MISC" in client.json("/api/entities?type=PERSON", 400)["error"]


def test_an_entity_profile_has_names_by_language_documents_neighbours_and_decisions(client: Client) -> None:
    profile = client.json("/api/entities/" + quote(BLINKEN, safe=""))
    once = [{"text": "Antony Blinken", "mentions": 1}]
    assert profile["names"] == {
        "en": once,
        "fr": [*once, {"text": "Blinken", "mentions": 1}],
        "ru": [{"text": "Энтони Блинкен", "mentions": 1}],
    }
    assert "Блинкен" in profile["aliases"]
    assert [d["doc_id"] for d in profile["documents_mentioning"]] == ["ru-1", "en-1", "fr-1"]
    assert profile["co_occurring"][0] == {"id": HERZOG, "name": "Isaac Herzog", "documents": 3}
    assert [(d["doc_id"], d["method"], d["kind"]) for d in profile["decisions"]] == [
        ("ru-1", "kb", "translit")
    ]
    assert client.json("/api/entities/E:nobody", 404)["error"].startswith("no entity 'E:nobody'")
    assert f"it names {BLINKEN}: use one of these ids" in client.json("/api/entities/Blinken", 404)["error"]


def test_quotes_by_a_speaker_named_in_any_script(client: Client) -> None:
    by_blinken = client.json("/api/quotes?speaker=" + quote("Блинкен"))
    assert by_blinken["speaker_ids"] == [BLINKEN] and by_blinken["total"] == 1
    assert [(q["doc_id"], q["text"], q["direct"]) for q in by_blinken["items"]] == [
        ("fr-1", "Nous restons aux côtés d'Israël", True)
    ]
    about_israel = client.json("/api/quotes?about=" + quote("Israël"))["items"]
    assert [q["speaker_name"] for q in about_israel] == ["Antony Blinken"]
    every = client.json("/api/quotes?limit=1")
    assert (every["total"], len(every["items"]), every["next_offset"]) == (2, 1, 1)
    assert "no entity named 'Nobody Atall'" in client.json("/api/quotes?speaker=Nobody+Atall", 404)["error"]


def test_claims_by_kind_and_subject(client: Client) -> None:
    claims = client.json("/api/claims")
    assert claims["total"] == 2
    assert {(c["kind"], c["value"], c["bound"]) for c in claims["items"]} == {
        ("killed", 8000, "more_than"),
        ("hostages", 240, "about"),
    }
    killed = client.json("/api/claims?kind=killed&subject=personnes")["items"]
    assert [c["attributed_to"] for c in killed] == ["le ministère de la Santé"]
    assert killed[0]["sentence"] == FR[FR.index("Selon") : FR.index("\n\nPartager")]
    assert "use one of killed" in client.json("/api/claims?kind=murdered", 400)["error"]


def test_stats(client: Client) -> None:
    stats = client.json("/api/stats")
    assert (stats["documents"], stats["entities"]) == (3, 3)
    assert stats["annotations"]["event"] == 3 and stats["languages"] == {"en": 1, "fr": 1, "ru": 1}


def test_the_timeline_has_one_entry_per_cluster_in_date_order_with_its_evidence(client: Client) -> None:
    timeline = client.json("/api/timeline?actor=Blinken")
    assert timeline["actor_ids"] == [BLINKEN] and timeline["total"] == 2
    visit, call = timeline["items"]
    assert (visit["cluster"], visit["date"]["value"], visit["mode"], visit["reports"]) == (
        "C:visit",
        "2023-10-16",
        "visit",
        1,
    )
    assert (call["cluster"], call["type"], call["source"], call["target"], call["reports"]) == (
        "C:call",
        "CONSULT",
        [BLINKEN],
        [HERZOG],
        2,
    )
    assert call["languages"] == ["en", "fr"]
    assert sorted(r["doc_id"] for r in call["evidence"]) == ["en-1", "fr-1"]
    english_report = next(r for r in call["evidence"] if r["doc_id"] == "en-1")
    assert english_report["sentence"].startswith("US Secretary of State")
    assert (english_report["event_id"], english_report["title"]) == (
        "V:en",
        "Blinken and Herzog speak by phone",
    )
    assert timeline["entities"][HERZOG] == {"name": "Isaac Herzog", "type": "PER"}
    pair = client.json("/api/timeline?actor=Herzog&with=" + quote("Блинкен") + "&since=2023-11")
    assert [item["cluster"] for item in pair["items"]] == ["C:call"]
    assert client.json("/api/timeline?actor=Blinken&type=accuse")["items"] == []
    assert "is not a PLOVER event type" in client.json("/api/timeline?type=MEET", 400)["error"]
    paged = client.json("/api/timeline?limit=1")
    assert (len(paged["items"]), paged["next_offset"], paged["total"]) == (1, 1, 2)


def test_a_cluster_gives_every_report_in_every_language(client: Client) -> None:
    call = client.json("/api/clusters/C:call")
    assert call["reports"] == 2 and {r["lang"] for r in call["evidence"]} == {"en", "fr"}
    assert call["entities"][BLINKEN]["name"] == "Antony Blinken"
    assert "no event cluster 'C:none'" in client.json("/api/clusters/C:none", 404)["error"]


def test_stories_list_their_articles_languages_and_events(client: Client) -> None:
    stories = client.json("/api/stories")
    assert stories["total"] == 2
    assert [s["id"] for s in stories["items"]] == ["S:call", "S:ru"]  # newest first
    call = stories["items"][0]
    assert (call["first"], call["last"], call["size"], call["documents"]) == (
        "2023-11-01",
        "2023-11-01",
        2,
        2,
    )
    assert call["languages"] == {"fr": 1, "en": 1}
    assert call["entities"][0] == {"id": BLINKEN, "name": "Antony Blinken", "type": "PER", "count": 2}
    assert [s["id"] for s in client.json("/api/stories?lang=ru")["items"]] == ["S:ru"]
    assert [s["id"] for s in client.json("/api/stories?until=2023-10")["items"]] == ["S:ru"]
    assert [s["id"] for s in client.json("/api/stories?entity=" + quote("Israël"))["items"]] == [
        "S:call",
        "S:ru",
    ]
    story = client.json("/api/stories/S:call")
    assert [a["id"] for a in story["articles"]] == ["en-1", "fr-1"]
    assert [e["cluster"] for e in story["events"]] == ["C:call"]
    assert story["framing"]["columns"] and story["names"]  # how each outlet frames it; names for ids
    assert "no story 'S:none'" in client.json("/api/stories/S:none", 404)["error"]


# ---------------------------------------------------------------------------------------- web pages
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/documents",
        "/documents?q=Herzog",
        "/documents/en-1",
        "/entities",
        "/entities?type=PER",
        "/entities/E%3Aisaac-herzog",
        "/quotes",
        "/quotes?speaker=Herzog",
        "/claims?kind=hostages",
        "/timeline",
        "/timeline?actor=Blinken&with=Herzog",
    ],
)
def test_every_page_renders(client: Client, path: str) -> None:
    page = client.html(path)
    assert page.startswith("<!doctype html>") and "</html>" in page
    assert '<link rel="stylesheet" href="/static/style.css">' in page


def test_the_document_page_highlights_every_annotation_layer(client: Client) -> None:
    page = client.html("/documents/fr-1")
    assert (
        '<a class="m m-PER" title="PER: Antony Blinken (E:antony-blinken)" '
        'href="/entities/E%3Aantony-blinken">Antony Blinken</a>' in page
    )
    assert '<span class="bp" title="boilerplate: share (share-line)">Partager sur Facebook</span>' in page
    assert '<span class="tm" title="time: 2023-11-01 (day)">mercredi</span>' in page
    assert '<span class="ev" title="event CONSULT: Antony Blinken → Isaac Herzog">a parlé</span>' in page
    assert 'class="cl" title="claim: killed more_than 8000">plus de 8 000 personnes' in page
    # a name inside a quote is both: the quote's hover says who spoke
    assert (
        '<a class="q m m-LOC" title="quote by Antony Blinken\nLOC: Israël (E:israel)" '
        'href="/entities/E%3Aisrael">Israël</a>' in page
    )
    assert '<a href="#q0">' in page and '<span id="q0"></span>' in page  # table rows link into the text


def test_pages_escape_everything_from_the_store(client: Client) -> None:
    page = client.html("/documents/en-1")
    assert "<script>" not in page and "&lt;script&gt;alert(&#39;stolen&#39;)&lt;/script&gt;" in page
    assert "O&#39;Brien &amp; Sons &lt;News&gt;" in page
    assert 'href="javascript:' not in page  # an unsafe article URL is shown, not linked
    search = client.html("/documents?q=" + quote('"<script>'))
    assert "<script>" not in search and 'value="&#34;&lt;script&gt;"' in search


def test_the_entity_page_shows_names_in_every_script_and_why_they_are_linked(client: Client) -> None:
    page = client.html("/entities/" + quote(BLINKEN, safe=""))
    assert "Энтони Блинкен" in page and "<h3>ru</h3>" in page
    assert 'href="/timeline?actor=E%3Aantony-blinken&amp;with=E%3Aisaac-herzog"' in page
    assert "<td>kb</td>" in page and "translit" in page


def test_the_timeline_page_tells_each_event_with_its_reports(client: Client) -> None:
    page = client.html("/timeline?actor=Blinken&with=Herzog")
    assert page.index("2023-10-16") < page.index("2023-11-01")
    assert "2 reports" in page and "<blockquote>US Secretary of State" in page


# ---------------------------------------------------------------------------------------- errors and safety
@pytest.mark.parametrize(
    "path",
    [
        "/api/nothing",
        "/api/documents/fr-1/extra",
        "/api/../api/stats/x",
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
        "/api/documents/%00",
    ],
)
def test_unknown_and_hostile_api_paths_are_404_in_json(client: Client, path: str) -> None:
    assert client.json(path, 404)["error"].startswith("no ")


@pytest.mark.parametrize(
    "path",
    [
        "/nowhere",
        "/static/../pyproject.toml",
        "/static/%2e%2e%2fapp.py",
        "/static/templates/base.html",
        "/static/..%2F..%2Fapi%2Fapp.py",
        "/documents/missing",
    ],
)
def test_unknown_and_hostile_page_paths_are_404_pages(client: Client, path: str) -> None:
    assert "<h1>404 · Not Found</h1>" in client.html(path, 404)


def test_an_id_is_one_path_segment_even_with_a_slash(client: Client) -> None:
    assert document_url("wire/7 é") == "/documents/wire%2F7%20%C3%A9"
    assert "no document 'wire/7 é'" in client.json("/api" + document_url("wire/7 é"), 404)["error"]


def test_the_stylesheet_is_served(client: Client) -> None:
    status, headers, body = client.request("/static/style.css")
    assert (status, headers["content-type"]) == (200, "text/css; charset=utf-8") and b".article" in body


@pytest.mark.parametrize(
    "query, message",
    [
        ("limit=99999999999999999999999999", "limit="),
        ("limit=0", "from 1 to 200"),
        ("offset=-1", "offset="),
        ("limit=1e3", "whole number"),
        ("offset=10001", "from 0 to 10000"),
        ("since=yesterday", "is not a date"),
        ("lang=fr&colour=red", "unknown parameter 'colour'"),
        ("q=" + "x" * 501, "at most 500"),
        ("&".join(f"q{i}=1" for i in range(40)), "too many query parameters"),
    ],
)
def test_bad_parameters_are_400_saying_what_to_send(client: Client, query: str, message: str) -> None:
    assert message in client.json(f"/api/documents?{query}", 400)["error"]


def test_sql_and_search_syntax_in_parameters_are_plain_text(client: Client, db: Path) -> None:
    for hostile in ("'; DROP TABLE documents; --", 'Herzog" OR 1=1 --', "NEAR(a b) *", "%' OR '1'='1"):
        assert client.json("/api/documents?q=" + quote(hostile))["items"] == []
        assert client.json("/api/claims?subject=" + quote(hostile))["items"] == []
        client.json("/api/quotes?speaker=" + quote(hostile), 404)
    assert client.json("/api/stats")["documents"] == 3


def test_the_server_is_read_only_without_a_token(served: tuple[Client, str], db: Path) -> None:
    client, before = served
    status, headers, body = client.request("/api/documents", "POST", b'{"text": "Un article."}')
    assert status == 403 and "start it with --token" in json.loads(body)["error"]
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, body = client.request("/api/documents", method, b'{"doc_id": "x"}')
        assert status == 405 and "is not allowed" in json.loads(body)["error"]
    status, headers, body = client.request("/api/stats", "HEAD")
    assert (status, body) == (200, b"") and int(headers["content-length"]) > 0
    assert "default-src 'none'" in headers["content-security-policy"]
    assert digest(db) == before
    with open_readonly(db) as store, pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.conn.execute("DELETE FROM documents")


def test_a_missing_or_foreign_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableStoreError, match="does not exist"):
        open_readonly(tmp_path / "missing.db")
    foreign = tmp_path / "other.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(UnreadableStoreError, match="not a newsgraph database"):
        open_readonly(foreign)
    status, _, body = Client(create_app(foreign)).request("/api/stats")
    assert status == 503 and "not a newsgraph database" in json.loads(body)["error"]
    page = Client(create_app(foreign)).html("/", 503)
    assert "not a newsgraph database" in page


def test_crossing_and_out_of_range_marks_still_give_well_nested_html() -> None:
    html = article_html(
        "a <b> c",
        [Mark(0, 5, "q", "", "q0"), Mark(2, 7, "m", "n", "m0", "/entities/x"), Mark(5, 99, "bp", "", "b0")],
    )
    assert html == (
        '<span id="q0"></span><span class="q" title="">a </span><span id="m0"></span>'
        '<a class="q m" title="\nn" href="/entities/x">&lt;b&gt;</a><a class="m" title="n" '
        'href="/entities/x"> c</a>'
    )

"""Stories, near-duplicates and name suggestions as the web app reads them from the store, and the
pages and endpoints that show them (story list and page, /api/names, the timeline chart's data).

The articles are written for these tests (English, German, Russian, French): a storm story told in
three languages with one English reprint, and a budget story in French.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fixtures_stores import store_stories
from newsgraph.api.app import create_app
from newsgraph.api.pages import Pages
from newsgraph.events.cluster import ClusterMember, EventCluster
from newsgraph.events.dates import NOT_HAPPENED
from newsgraph.model import DateValue, Document, Entity, Event, Mention
from newsgraph.store import Store
from newsgraph.store.facets import document_facets, entity_facets
from newsgraph.store.readonly import open_readonly
from newsgraph.store.stories import list_stories, story
from newsgraph.store.suggest import suggest_entities

STORM, BUDGET = "S:storm", "S:budget"
MAYOR, CITY, MINISTER = "E:ana-lindqvist", "E:harbourton", "E:paul-mercier"

STORM_EN = (
    "Storm floods the old port of Harbourton\n\n"
    "A storm pushed the sea over the harbour wall of Harbourton on Sunday night, flooding the old port "
    "and the fish market. Mayor Ana Lindqvist met the rescue teams at dawn and promised help for the "
    "shop owners whose stock was ruined by the water."
)
# the same report reprinted by another site with its own byline and one added closing paragraph
STORM_EN_REPRINT = (
    "Storm floods the old port of Harbourton\n\nBy the regional desk\n\n"
    "A storm pushed the sea over the harbour wall of Harbourton on Sunday night, flooding the old port "
    "and the fish market. Mayor Ana Lindqvist met the rescue teams at dawn and promised help for the "
    "shop owners whose stock was ruined by the water.\n\nThe ferry service will resume on Tuesday."
)
STORM_DE = (
    "Sturm überflutet den alten Hafen von Harbourton\n\n"
    "Ein Sturm hat in der Nacht zum Montag das Meer über die Hafenmauer von Harbourton gedrückt. "
    "Bürgermeisterin Ana Lindqvist traf am Morgen die Rettungskräfte."
)
STORM_RU = (
    "Шторм затопил старый порт Харбортона\n\n"
    "В ночь на понедельник шторм перебросил море через портовую стену Харбортона. Мэр Ана Линдквист "
    "встретилась со спасателями."
)
BUDGET_FR = (
    "Le ministre Paul Mercier présente un budget <script>alert(1)</script>\n\n"
    "Le ministre des Finances Paul Mercier a présenté mercredi un budget qui réduit les dépenses de "
    "fonctionnement et augmente les crédits pour les écoles. Il a rencontré jeudi les élus de Harbourton."
)


def mentions(text: str, *names: tuple[str, str, str]) -> list[Mention]:
    out = []
    for part, type_, entity in names:
        start = text.find(part)
        if start >= 0:
            out.append(Mention(start, start + len(part), part, type_, entity, source="hand"))
    return out


def meeting(
    text: str,
    event_id: str,
    cue: str,
    day: str,
    cluster: str,
    context: list[str] | None = None,
    source: str = MAYOR,
) -> Event:
    """Someone meeting the people of Harbourton (the mayor: the event the storm articles share)."""
    start = text.index(cue)
    return Event(
        event_id,
        "CONSULT",
        "meet",
        [source],
        [CITY],
        date=DateValue(day, "day"),
        sentence=(text.rindex("\n", 0, start) + 1, len(text)),
        trigger=(start, start + len(cue)),
        confidence=0.8,
        cluster=cluster,
        context=context or [],
    )


def article(
    doc_id: str, text: str, lang: str, day: str, story_id: str, outlet: str, **extra: Any
) -> Document:
    title = text.split("\n", 1)[0]
    names = (
        ("Ana Lindqvist", "PER", MAYOR),
        ("Линдквист", "PER", MAYOR),
        ("Harbourton", "LOC", CITY),
        ("Харбортона", "LOC", CITY),
        ("Paul Mercier", "PER", MINISTER),
    )
    found = mentions(text, *names)
    return Document(
        doc_id=doc_id,
        text=text,
        lang=lang,
        title=title,
        title_span=(0, len(title)),
        outlet=outlet,
        published=DateValue(day, "day", None, "metadata"),
        body=[(len(title) + 2, len(text))],
        mentions=found,
        entities={
            MAYOR: Entity(MAYOR, "Ana Lindqvist", "PER", ["Ana Lindqvist", "Ана Линдквист", "Линдквист"]),
            CITY: Entity(CITY, "Harbourton", "LOC", ["Harbourton", "Харбортон"]),
            MINISTER: Entity(MINISTER, "Paul Mercier", "PER", ["Paul Mercier"]),
        },
        story=story_id,
        **extra,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "news.db"
    docs = [
        article(
            "storm-en",
            STORM_EN,
            "en",
            "2025-01-12",
            STORM,
            "Coast Herald",
            events=[meeting(STORM_EN, "V:en", "met", "2025-01-12", "C:meet")],
        ),
        article(
            "storm-de",
            STORM_DE,
            "de",
            "2025-01-13",
            STORM,
            "Nordblatt",
            events=[meeting(STORM_DE, "V:de", "traf", "2025-01-13", "C:meet")],
        ),
        article("storm-en-copy", STORM_EN_REPRINT, "en", "2025-01-13", STORM, "Daily Wire Service"),
        article(
            "storm-ru",
            STORM_RU,
            "ru",
            "2025-01-14",
            STORM,
            "Вести порта",
            events=[meeting(STORM_RU, "V:ru", "встретилась", "2025-01-20", "C:visit", ["future"])],
        ),
        article(
            "budget-fr",
            BUDGET_FR,
            "fr",
            "2024-09-04",
            BUDGET,
            "Le Quotidien",
            events=[meeting(BUDGET_FR, "V:fr", "a rencontré", "2024-09-05", "C:budget", source=MINISTER)],
        ),
    ]
    with Store(path) as store:
        store.add_documents(docs, clusters=clusters_of(docs))
        store_stories(store, docs, copies={"storm-en-copy": "storm-en"})
    return path


def clusters_of(docs: list[Document]) -> list[EventCluster]:
    """The stored clusters of these documents' events, grouped by their `cluster` id (what the
    corpus pass would keep)."""
    members: dict[str, list[ClusterMember]] = {}
    for doc in docs:
        for event in doc.events:
            assert event.cluster is not None
            members.setdefault(event.cluster, []).append(
                ClusterMember(
                    doc.doc_id,
                    event.id,
                    doc.lang,
                    event.date,
                    doc.span_text(event.sentence),
                    event.source,
                    event.target,
                    event.mode,
                    confidence=event.confidence,
                    planned=bool(set(event.context) & NOT_HAPPENED),
                )
            )
    found = []
    for cluster_id, group in members.items():
        first = group[0]
        cluster = EventCluster(cluster_id, "CONSULT", (*first.source, *first.target), group, mode=first.mode)
        cluster.settle()
        found.append(cluster)
    return found


@pytest.fixture
def store(db: Path) -> Any:
    with open_readonly(db) as opened:
        yield opened


# ------------------------------------------------------------------------------------- stories
def test_stories_are_listed_newest_first_with_totals_languages_outlets_and_copies(store: Any) -> None:
    listed = list_stories(store)
    assert (listed["total"], listed["limit"], listed["offset"]) == (2, 20, 0)
    storm, budget = listed["items"]
    assert (storm["id"], budget["id"]) == (STORM, BUDGET)
    assert storm["title"] == "Storm floods the old port of Harbourton"
    assert (storm["first"], storm["last"]) == ("2025-01-12", "2025-01-14")
    assert (storm["size"], storm["documents"]) == (3, 4)  # the reprint is folded
    assert storm["languages"] == {"en": 2, "de": 1, "ru": 1}
    assert storm["outlets"] == {"Coast Herald": 1, "Nordblatt": 1, "Daily Wire Service": 1, "Вести порта": 1}
    assert storm["entities"][0] == {"id": MAYOR, "name": "Ana Lindqvist", "type": "PER", "count": 4}
    assert storm["label"].startswith("Ana Lindqvist")


def test_stories_are_filtered_by_language_dates_and_entity_and_paged(store: Any) -> None:
    def ids(**query: Any) -> list[str]:
        return [s["id"] for s in list_stories(store, **query)["items"]]

    assert ids(lang="ru") == [STORM]
    assert ids(lang="fr") == [BUDGET]
    assert ids(since="2025-01") == [STORM]
    assert ids(until="2024") == [BUDGET]
    assert ids(since="2025-01-14", until="2025-01-14") == [STORM]  # overlaps the story's last day
    assert ids(since="2024-10", until="2024-12") == []
    assert ids(entity_ids=[MINISTER]) == [BUDGET]
    paged = list_stories(store, limit=1, offset=1)
    assert (paged["total"], [s["id"] for s in paged["items"]]) == (2, [BUDGET])


def test_a_story_lists_its_articles_in_date_order_with_copies_pointing_at_their_original(store: Any) -> None:
    one = story(store, STORM)
    assert one is not None
    assert [(a["id"], a["lang"], a["duplicate_of"]) for a in one["articles"]] == [
        ("storm-en", "en", None),
        ("storm-de", "de", None),
        ("storm-en-copy", "en", "storm-en"),
        ("storm-ru", "ru", None),
    ]
    assert set(one["articles"][0]) == {"id", "title", "lang", "outlet", "published", "url", "duplicate_of"}
    assert one["framing"] is None
    assert story(store, "S:none") is None


def test_a_story_has_the_events_its_articles_report_as_timeline_entries(store: Any, db: Path) -> None:
    events = story(store, STORM)["events"]  # type: ignore[index]
    held, planned = events
    assert (held["cluster"], held["planned"], planned["cluster"], planned["planned"]) == (
        "C:meet",
        False,
        "C:visit",
        True,
    )
    assert held["reports"] == 2 and [r["lang"] for r in held["evidence"]] == ["en", "de"]
    assert held["source"] == [MAYOR] and held["target"] == [CITY]
    served = json.loads(get(db, "/api/stories/S%3Astorm")[2])
    assert served["names"][MAYOR]["name"] == "Ana Lindqvist"


# ----------------------------------------------------------------------------------- suggestions
@pytest.mark.parametrize(
    ("prefix", "name", "matched"),
    [
        ("Ana", "Ana Lindqvist", "Ana Lindqvist"),
        ("lind", "Ana Lindqvist", "Ana Lindqvist"),  # a later word, typed in lower case
        ("линд", "Ana Lindqvist", "Линдквист"),  # another script, typed in lower case
        ("Харб", "Harbourton", "Харбортон"),
    ],
)
def test_names_are_suggested_from_the_start_of_any_word_in_any_script(
    store: Any, prefix: str, name: str, matched: str
) -> None:
    found = suggest_entities(store, prefix)
    assert [(s["name"], s["matched"]) for s in found][:1] == [(name, matched)]
    assert found[0]["mentions"] > 0


def test_wildcards_in_a_prefix_are_plain_characters(store: Any) -> None:
    assert suggest_entities(store, "%") == []
    assert suggest_entities(store, "_na") == []
    assert suggest_entities(store, "   ") == []


# ---------------------------------------------------------------------------------------- facets
def test_document_facets_count_the_whole_selection_by_language_and_outlet(store: Any) -> None:
    everything = document_facets(store, None, None, None, None)
    assert everything["lang"] == {"en": 2, "de": 1, "fr": 1, "ru": 1}
    assert everything["outlet"]["Вести порта"] == 1 and sum(everything["outlet"].values()) == 5
    # a search narrows both; the language facet ignores the language filter so one can switch
    searched = document_facets(store, "Harbourton", "en", "2025", None)
    assert searched["lang"] == {"en": 2, "de": 1}
    assert searched["outlet"] == {"Coast Herald": 1, "Daily Wire Service": 1}
    assert document_facets(store, "+++", None, None, None) == {"lang": {}, "outlet": {}}


def test_entity_facets_count_entities_by_type(store: Any) -> None:
    assert entity_facets(store, None) == {"type": {"PER": 2, "LOC": 1}}
    assert entity_facets(store, "ru") == {"type": {"LOC": 1, "PER": 1}}


# ------------------------------------------------------------------------------- pages and API
def get(db: Path, target: str) -> tuple[int, str, str]:
    response = TestClient(create_app(db), raise_server_exceptions=False).get(target)
    return response.status_code, response.headers.get("content-type", ""), response.text


def test_the_story_pages_show_the_articles_in_their_languages_with_copies_folded(db: Path) -> None:
    status, _, page = get(db, "/stories")
    assert status == 200
    assert 'href="/stories/S%3Astorm"' in page and "2</strong> stories" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    status, _, page = get(db, "/stories/S%3Astorm")
    assert status == 200
    for lang in ("en", "de", "ru"):
        assert f'data-lang="{lang}"' in page
    assert page.index('class="article-row" data-doc="storm-en"') < page.index(
        "1 near-duplicate of this article"
    )
    assert 'class="copy-row" data-doc="storm-en-copy"' in page
    assert "Ana Lindqvist" in page and "E:ana-lindqvist</a>" not in page  # names, not ids
    assert "told by 2 of its articles" in page  # the meeting the English and German reports share
    assert get(db, "/stories/S%3Anone")[0] == 404


def test_the_story_endpoints_answer_json_and_csv(db: Path) -> None:
    status, kind, body = get(db, "/api/stories?lang=de")
    assert (status, kind.split(";")[0]) == (200, "application/json")
    assert [s["id"] for s in json.loads(body)["items"]] == [STORM]
    status, kind, body = get(db, "/api/stories?format=csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert (status, kind.split(";")[0]) == (200, "text/csv")
    assert [(r["id"], json.loads(r["languages"])) for r in rows] == [
        (STORM, {"en": 2, "de": 1, "ru": 1}),
        (BUDGET, {"fr": 1}),
    ]
    assert json.loads(get(db, "/api/stories/S%3Astorm")[2])["size"] == 3
    assert get(db, "/api/stories?entity=Nobody")[0] == 404
    assert get(db, "/api/stories?format=xml")[0] == 400


def test_list_pages_show_facet_counts_that_narrow_the_list(db: Path) -> None:
    page = get(db, "/documents?lang=de")[2]
    assert 'data-facet-name="lang"' in page
    assert '<a class="chip active" href="/documents?lang=de">de <span class="count">1</span></a>' in page
    assert '<a class="chip" href="/documents?lang=ru">ru <span class="count">1</span></a>' in page
    assert 'data-facet-name="type"' in get(db, "/entities")[2]


def test_the_names_endpoint_suggests_entities_by_prefix(db: Path) -> None:
    status, _, body = get(db, "/api/names?prefix=" + "линд")
    assert status == 200
    assert [item["id"] for item in json.loads(body)["items"]] == [MAYOR]
    assert get(db, "/api/names?prefix=Ana&limit=0")[0] == 400
    assert get(db, "/api/names?name=Ana")[0] == 400


def test_the_timeline_page_carries_its_data_for_the_chart_without_breaking_out_of_it(db: Path) -> None:
    status, _, page = get(db, "/timeline?actor=Ana%20Lindqvist")
    assert status == 200
    assert 'data-timeline-src="/api/timeline?actor=Ana+Lindqvist"' in page
    assert '<script src="/static/timeline.js" defer></script>' in page
    start = page.index('<script type="application/json" id="timeline-data">') + len(
        '<script type="application/json" id="timeline-data">'
    )
    block = page[start : page.index("</script>", start)]
    assert [item["cluster"] for item in json.loads(block)["items"]] == ["C:meet", "C:visit"]
    # a title holding </script> stays inside the data block, and reads back unchanged
    page = get(db, "/timeline?actor=Paul%20Mercier")[2]
    start = page.index('id="timeline-data">') + len('id="timeline-data">')
    block = page[start : page.index("</script>", start)]
    assert json.loads(block)["items"][0]["evidence"][0]["title"].endswith("<script>alert(1)</script>")


def test_the_scripts_are_served_as_javascript(db: Path) -> None:
    for name in ("timeline.js", "suggest.js"):
        status, kind, body = get(db, f"/static/{name}")
        assert status == 200 and "javascript" in kind and "innerHTML" not in body


def test_the_story_templates_need_only_the_contract_context(store: Any) -> None:
    """Another server renders the pages from `stories` / `story` alone (no args, path or api)."""
    pages = Pages()
    listed = pages.render("stories.html", stories=list_stories(store))
    assert "Storm floods the old port of Harbourton" in listed and "1–2 of" in listed
    one = pages.render("story.html", story=story(store, STORM))
    assert 'data-doc="storm-ru"' in one and "Ana Lindqvist" in one


def test_the_story_templates_also_read_the_payload_as_data(store: Any) -> None:
    """A server that passes every page's payload as `data` gets the same story pages."""
    pages = Pages()
    assert "Storm floods the old port" in pages.render("stories.html", data=list_stories(store))
    assert 'data-doc="storm-de"' in pages.render("story.html", data=story(store, STORM))


def test_the_timeline_list_reads_entries_that_count_reports_and_carry_evidence() -> None:
    """Entries with `reports` as an article count and `evidence` as the report list (one per
    article), the shape of the application core's timeline, render as today's entries do."""
    entry = {
        "cluster": "C:meet",
        "type": "CONSULT",
        "mode": "meet",
        "date": {"value": "2025-01-12", "precision": "day"},
        "first_published": "2025-01-12",
        "planned": False,
        "confidence": 0.8,
        "source": [MAYOR],
        "target": [CITY],
        "reports": 2,
        "languages": ["en", "de"],
        "evidence": [
            {
                "doc_id": "storm-en",
                "title": "Storm floods the old port",
                "lang": "en",
                "outlet": None,
                "published": "2025-01-12",
                "sentence": "Mayor Ana Lindqvist met the rescue teams.",
                "planned": False,
            },
            {
                "doc_id": "storm-de",
                "title": "Sturm im Hafen",
                "lang": "de",
                "outlet": None,
                "published": "2025-01-13",
                "sentence": "Ana Lindqvist traf die Rettungskräfte.",
                "planned": True,
            },
        ],
    }
    payload = {
        "items": [entry],
        "limit": 20,
        "offset": 0,
        "total": 1,
        "actor_ids": [MAYOR],
        "with_ids": [],
        "entities": {MAYOR: {"name": "Ana Lindqvist", "type": "PER"}},
        "min_confidence": 0.3,
    }
    page = Pages().render("timeline.html", data=payload, args={"actor": MAYOR}, path="/timeline", api=None)
    assert "2 reports in en, de" in page
    assert "Ana Lindqvist traf die Rettungskräfte." in page and " · announced" in page
    assert '<strong class="total">1</strong> event' in page


def test_a_large_story_is_framed_from_a_sample_that_keeps_every_outlet() -> None:
    """The framing table reads at most N articles: in turn from each outlet, distinct texts first,
    newest first, so a story of thousands of articles still shows every outlet's column."""
    from newsgraph.application import framing_sample

    articles = [
        {"id": f"big-{i}", "outlet": "Big Wire", "published": f"2025-01-{i + 1:02d}", "duplicate_of": None}
        for i in range(20)
    ]
    articles += [
        {"id": "small-copy", "outlet": "Small Daily", "published": "2025-01-30", "duplicate_of": "big-0"},
        {"id": "small-own", "outlet": "Small Daily", "published": "2025-01-02", "duplicate_of": None},
        {"id": "alone", "outlet": None, "published": None, "duplicate_of": None},
    ]
    chosen = framing_sample(articles, 5)
    assert chosen == ["big-19", "small-own", "alone", "big-18", "small-copy"]
    assert len(framing_sample(articles, 100)) == len(articles)

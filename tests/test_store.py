"""The SQLite store: round trips, identity, full-text search, date ranges, migrations, crash safety.

Run as a script (`python test_store.py DB`), this module is the child process of the crash test:
it adds batches of synthetic documents to DB in a loop, printing each committed batch number.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from newsgraph.entities.index import KnownEntity
from newsgraph.entities.names import name_keys
from newsgraph.entities.resolve import Decision
from newsgraph.ingest.hashing import content_hash
from newsgraph.model import (
    Boilerplate,
    Claim,
    DateValue,
    Document,
    Entity,
    Event,
    Mention,
    Paragraph,
    Quote,
    Span,
    TimeExpression,
)
from newsgraph.store import Store, db
from newsgraph.store.rows import CLAIM, ENTITY_NUMBER, LAYER_FIELDS, LAYER_NAMES, annotation_counts, body_text
from newsgraph.store.schema import MIGRATIONS, SchemaTooNewError, migrate

FR_TEXT = (
    "Blinken appelle Herzog\n\n"
    "Le secrétaire d'État américain Antony Blinken s'est entretenu mercredi par téléphone avec le "
    "président israélien Isaac Herzog. « Nous soutenons Israël », a déclaré Blinken. Au moins 1 200 "
    "personnes ont été tuées le 7 octobre, selon les autorités israéliennes.\n\n"
    "Photo : AFP"
)


def span_of(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return start, start + len(part)


def full_document() -> Document:
    """A French article with one annotation of every kind the model has."""
    text = FR_TEXT
    title, body, credit = (
        span_of(text, "Blinken appelle Herzog"),
        (0, text.index("\n\nPhoto")),
        span_of(text, "Photo : AFP"),
    )
    sentence = span_of(
        text,
        "Le secrétaire d'État américain Antony Blinken s'est entretenu mercredi par "
        "téléphone avec le président israélien Isaac Herzog.",
    )
    blinken, herzog = span_of(text, "Antony Blinken"), span_of(text, "Isaac Herzog", title[1])
    quote = span_of(text, "Nous soutenons Israël")
    count = span_of(text, "Au moins 1 200 personnes ont été tuées")
    return Document(
        doc_id="fr-1",
        text=text,
        source="fixtures/fr-1.txt",
        lang="fr",
        lang_hint="fr",
        title=text[title[0] : title[1]],
        title_span=title,
        outlet="Exemple Presse",
        url="https://example.org/a",
        published=DateValue("2023-11-01T15:03", "minute", None, "metadata"),
        content_hash=content_hash(text),
        body=[body],
        boilerplate=[Boilerplate(credit[0], credit[1], "photo_credit", "credit-line")],
        paragraphs=[Paragraph(0, title[1], "fr", 0.93), Paragraph(sentence[0], body[1], "fr", 0.99)],
        sentences=[sentence, (sentence[1] + 1, body[1])],
        mentions=[
            Mention(*blinken, "Antony Blinken", "PER", "E:blinken", "Antony Blinken", "spacy", 0.98),
            Mention(*herzog, "Isaac Herzog", "PER", "E:herzog", source="spacy"),
        ],
        entities={
            "E:blinken": Entity("E:blinken", "Antony Blinken", "PER", ["Blinken", "Блинкен"], "Q7167"),
            "E:herzog": Entity("E:herzog", "Isaac Herzog", "PER", ["Herzog"]),
        },
        times=[
            TimeExpression(*span_of(text, "mercredi"), "mercredi", "2023-11-01", "day"),
            TimeExpression(*span_of(text, "7 octobre"), "7 octobre", "2023-10-07", "day"),
        ],
        events=[
            Event(
                "V:1",
                "CONSULT",
                "phone",
                ["E:blinken"],
                ["E:herzog"],
                [blinken],
                [herzog],
                DateValue("2023-11-01", "day", span_of(text, "mercredi")),
                None,
                None,
                sentence,
                span_of(text, "s'est entretenu"),
                False,
                ["reported"],
                0.9,
                "C:1",
            )
        ],
        quotes=[
            Quote(
                *quote,
                text[quote[0] : quote[1]],
                True,
                "E:blinken",
                span_of(text, "Blinken", quote[1]),
                span_of(text, "a déclaré"),
                "Blinken",
            )
        ],
        claims=[
            Claim(
                *count,
                text[count[0] : count[1]],
                1200,
                "at_least",
                "killed",
                None,
                "personnes",
                DateValue("2023-10-07", "day"),
                "les autorités israéliennes",
                None,
                span_of(text, "selon les autorités israéliennes"),
            )
        ],
        story="S:1",
        errors=["quotes: speaker guessed from context"],
    )


def article(
    doc_id: str, text: str, lang: str | None = None, published: str | None = None, title: str | None = None
) -> Document:
    precision = {4: "year", 7: "month", 10: "day", 16: "minute"}.get(len(published or ""))
    return Document(
        doc_id=doc_id,
        text=text,
        lang=lang,
        title=title,
        published=DateValue(published, precision, None, "metadata") if published else None,
    )


def count(store: Store, sql: str, *params: object) -> int:
    n: int = store.conn.execute(sql, params).fetchone()[0]
    return n


def stored_layers(store: Store, doc_id: str) -> dict[str, int]:
    rows = store.conn.execute(
        "SELECT layer, count(*) FROM annotations WHERE doc = (SELECT id FROM documents WHERE doc_id = ?)"
        " GROUP BY layer",
        (doc_id,),
    )
    return {LAYER_NAMES[code]: n for code, n in rows}


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {layer: n for layer, n in counts.items() if n}


def row_layers(doc: Document) -> dict[str, int]:
    """The rows a stored document has: its annotations of the row layers (the others are in its record)."""
    return {
        layer: n for layer, n in nonzero(annotation_counts(doc.to_record())).items() if layer in LAYER_FIELDS
    }


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "news.db") as opened:
        yield opened


# ---------------------------------------------------------------------- round trip and identity
def test_document_with_every_annotation_survives_the_round_trip(store: Store) -> None:
    doc = full_document()
    assert store.add_documents([doc]).added == 1
    stored = store.get("fr-1")
    assert stored is not None
    assert stored.to_record() == doc.to_record()
    assert stored_layers(store, "fr-1") == row_layers(doc)
    assert store.get("missing") is None


def test_annotation_rows_are_queryable_by_layer_label_and_entity(store: Store) -> None:
    store.add_documents([full_document()])
    rows = store.conn.execute(
        f"SELECT layer, label FROM annotations WHERE entity = {ENTITY_NUMBER.format('?')}", ("E:blinken",)
    )
    labels = sorted((LAYER_NAMES[code], label) for code, label in rows)
    assert labels == [("event", "CONSULT"), ("mention", "PER"), ("quote", "direct")]
    claim = store.conn.execute(
        f"SELECT label, json_extract(ng_json(data), '$.value') FROM annotations WHERE layer = {CLAIM}"
    ).fetchone()
    assert claim == ("killed", 1200)


def test_entities_are_upserted_with_aliases_merged_and_wikidata_kept(store: Store) -> None:
    store.add_documents([full_document()])
    later = article("en-1", "Blinken met Herzog again.", "en")
    later.entities = {
        "E:blinken": Entity("E:blinken", "Antony Blinken", "PER", ["Tony Blinken"], None, {"score": 0.8})
    }
    store.add_documents([later])
    name, wikidata, aliases, data = store.conn.execute(
        "SELECT name, wikidata, aliases, data FROM entities WHERE id = 'E:blinken'"
    ).fetchone()
    assert (name, wikidata) == ("Antony Blinken", "Q7167")
    assert sorted(json.loads(aliases)) == ["Blinken", "Tony Blinken", "Блинкен"]
    assert data == "{}"  # a document's evidence stays in its record, not on the shared entity
    assert store.stats()["entities"] == 2


def test_the_resolver_memory_is_saved_with_the_batch_and_found_by_key(store: Store) -> None:
    known = KnownEntity(
        id="E:antony-blinken",
        name="Antony Blinken",
        type="PER",
        wikidata="Q7167",
        forms=Counter({"Блинкен": 3, "Antony Blinken": 2}),
        langs=Counter({"ru": 3}),
    )
    decision = Decision("ru-1", "L:0", "E:antony-blinken", "kb", 0.93, "Blinken", "translit")
    doc = article("ru-1", "Блинкен прибыл в Тель-Авив.", "ru")
    store.add_documents([doc], known=[known], decisions=[decision])
    found = store.entities_by_keys(sorted(name_keys("Blinkenu", "pl")))
    assert [k.id for k in found] == ["E:antony-blinken"]
    assert found[0].forms == known.forms and found[0].wikidata == "Q7167"
    assert store.known_entity("E:antony-blinken") == found[0]
    assert [r["method"] for r in store.resolutions("E:antony-blinken")] == ["kb"]
    store.add_overrides(["galante"], "E:yoav-gallant", "merge")
    assert store.overrides() == {"galante": "E:yoav-gallant"}


def test_the_indexed_body_is_the_body_text_of_the_document(store: Store) -> None:
    split = article("split", "Headline\n\nFirst part.\nSHARE THIS\nSecond part, naïve café.")
    split.body = [span_of(split.text, "First part."), span_of(split.text, "Second part, naïve café.")]
    store.add_documents([split, full_document(), article("plain", "No cleaning stage ran here.")])
    indexed = dict(
        store.conn.execute(
            "SELECT d.doc_id, b.body FROM documents_body AS b JOIN documents AS d USING (id)"
        ).fetchall()
    )
    assert indexed == {
        doc.doc_id: body_text(doc)
        for doc in (split, full_document(), article("plain", "No cleaning stage ran here."))
    }
    assert indexed["split"] == "First part.\nSecond part, naïve café."


def test_the_same_batch_twice_is_stored_once(store: Store) -> None:
    batch = [full_document(), article("en-1", "Talks resumed in Doha on Tuesday.", "en")]
    first, second = store.add_documents(batch), store.add_documents(batch)
    assert (first.added, first.duplicates) == (2, 0)
    assert (second.added, second.duplicates) == (0, 2)
    assert store.stats()["documents"] == 2
    assert count(store, "SELECT count(*) FROM documents_fts") == 2
    assert count(
        store,
        "SELECT count(*) FROM annotations AS a JOIN documents AS d ON d.id = a.doc WHERE d.doc_id = 'fr-1'",
    ) == sum(row_layers(full_document()).values())


def test_whitespace_only_differences_are_the_same_article(store: Store) -> None:
    result = store.add_documents(
        [
            article("a", "Rain  fell on\nBerlin.\n"),
            article("b", " Rain fell on Berlin."),
            article("c", "Rain fell on Bonn."),
        ]
    )
    assert (result.added, result.duplicates) == (2, 1)
    assert store.get("b") is None
    assert store.known_hashes([content_hash("Rain fell on Berlin."), content_hash("Snow")]) == {
        content_hash("Rain fell on Berlin.")
    }


def test_a_doc_id_used_by_other_content_gets_a_distinct_id(store: Store) -> None:
    store.add_documents([article("wire-7", "First story about the harbour.")])
    other = "Second story about the airport."
    result = store.add_documents([article("wire-7", other), article("wire-7", other)])
    new_id = f"wire-7~{content_hash(other)[:8]}"
    assert (result.added, result.duplicates, result.renamed) == (1, 1, {"wire-7": new_id})
    renamed = store.get(new_id)
    assert renamed is not None and renamed.text == other and renamed.doc_id == new_id
    first = store.get("wire-7")
    assert first is not None and first.text.startswith("First")


def test_documents_without_text_go_to_the_errors_table_once(store: Store) -> None:
    broken = Document(doc_id="bad", text="", source="in/bad.bin", errors=["binary file: give a text file"])
    for _ in range(2):
        assert store.add_documents([broken]).errors == 1
    stored = full_document()  # carries one stage error of its own
    store.add_documents([stored])
    assert store.stats()["documents"] == 1
    assert [(e["source"], e["doc_id"], e["message"]) for e in store.errors()] == [
        ("in/bad.bin", "bad", "binary file: give a text file"),
        ("fixtures/fr-1.txt", "fr-1", "quotes: speaker guessed from context"),
    ]


def test_a_failing_batch_stores_nothing(store: Store) -> None:
    neighbours = Counter({"E:y": object()})  # not JSON: writing it fails mid-transaction
    unserialisable = KnownEntity(id="E:x", name="X", type="ORG", neighbours=neighbours)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        store.add_documents([article("ok", "A fine text.")], known=[unserialisable])
    assert store.stats()["documents"] == 0
    assert store.add_documents([article("ok", "A fine text.")]).added == 1


# ---------------------------------------------------------------------- full-text search
@pytest.fixture
def news(store: Store) -> Store:
    store.add_documents(
        [
            full_document(),
            article(
                "ru-1",
                "Госсекретарь США Энтони Блинкен прибыл в Тель-Авив. Визит Блинкена продлится два дня.",
                "ru",
                "2023-10-12",
                "Блинкен в Израиле",
            ),
            article(
                "en-1",
                "The ceasefire talks in Doha resumed on Tuesday, officials said.",
                "en",
                "2023-11-14",
                "Ceasefire talks resume",
            ),
            article(
                "de-1",
                "Bundeskanzler Olaf Scholz traf in Kairo den ägyptischen Präsidenten; auch Müller "
                "reiste mit.",
                "de",
                "2023-10",
                "Scholz in Ägypten",
            ),
        ]
    )
    return store


def hit_ids(store: Store, query: str, **filters: object) -> list[str]:
    return [hit.doc_id for hit in store.search(query, **filters)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Israel", ["fr-1"]),  # folded diacritics: finds "Israël"
        ("ISRAËL soutenons", ["fr-1"]),
        ("Блинкен", ["ru-1"]),
        ("блинкена", ["ru-1"]),
        ("ceasefire doha", ["en-1"]),
        ("Muller", ["de-1"]),
        ("agypten", ["de-1"]),  # title match
        ('"président israélien"', ["fr-1"]),
        ('"israélien président"', []),  # a phrase keeps its word order
        ("Blinken", ["fr-1"]),  # no entity resolved in this store: the Latin spelling alone
        ("Блинк*", ["ru-1"]),
        ("Photo", []),  # the photo credit is boilerplate, outside the body spans
    ],
)
def test_search_across_languages_and_scripts(news: Store, query: str, expected: list[str]) -> None:
    assert hit_ids(news, query) == expected


def test_search_hits_carry_metadata_and_a_highlighted_snippet(news: Store) -> None:
    (hit,) = news.search("Herzog")
    assert (hit.doc_id, hit.lang, hit.published) == ("fr-1", "fr", "2023-11-01T15:03")
    assert hit.title == "Blinken appelle Herzog"
    assert "<mark>Herzog</mark>" in hit.snippet
    assert isinstance(hit.rank, float)


def test_search_filters_by_language_and_date(news: Store) -> None:
    assert hit_ids(news, "Blinken", lang="en") == []
    assert hit_ids(news, "Blinken", lang="fr") == ["fr-1"]
    assert hit_ids(news, "Scholz", since="2023-10-15") == ["de-1"]  # month precision overlaps
    assert hit_ids(news, "Блинкен", since="2023-10-13") == []
    assert hit_ids(news, "Блинкен", until=date(2023, 10, 12)) == ["ru-1"]


def test_a_title_match_ranks_above_a_body_match(store: Store) -> None:
    store.add_documents(
        [
            article("body", "Floods hit the valley; officials spoke of the harvest.", title="Weather"),
            article("title", "Officials spoke of the weather.", title="Harvest"),
        ]
    )
    assert hit_ids(store, "harvest") == ["title", "body"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "**",
        "AND(",
        "-",
        "NEAR",
        "NEAR(",
        "OR",
        "NOT",
        "title:",
        "body:x",
        "^",
        "(",
        ")",
        "{title body}: x",
        "'",
        "a + b",
        '"unclosed phrase',
        "Herzog AND(",
        "-Herzog",
        "' OR 1=1 --",
        "\x00",
    ],
)
def test_hostile_queries_never_crash(news: Store, query: str) -> None:
    assert isinstance(news.search(query), list)


@pytest.mark.parametrize("query", ["Herzog -", '"Herzog', "Herzog*", "(Herzog)", "-Herzog", "Herz*"])
def test_punctuation_around_a_word_still_finds_it(news: Store, query: str) -> None:
    assert hit_ids(news, query) == ["fr-1"]


@pytest.mark.parametrize("query", ["", "   ", '"', "* - ( )"])
def test_queries_without_words_find_nothing(news: Store, query: str) -> None:
    assert news.search(query) == []


# ---------------------------------------------------------------------- reading in order and by date
def test_iter_documents_filters_by_published_period(news: Store) -> None:
    news.add_documents([article("undated", "No date was given for this one.", "en")])

    def ids(**filters: object) -> list[str]:
        return [doc.doc_id for doc in news.iter_documents(**filters)]  # type: ignore[arg-type]

    assert ids() == ["fr-1", "ru-1", "en-1", "de-1", "undated"]
    assert ids(since="2023-11-01") == ["fr-1", "en-1"]
    assert ids(until="2023-11-01") == ["fr-1", "ru-1", "de-1"]  # the whole day, hour included
    assert ids(since="2023-10-20", until="2023-10-31") == ["de-1"]  # "2023-10" overlaps
    assert ids(since=date(2023, 11, 2)) == ["en-1"]
    assert ids(lang="ru", until="2023-10") == ["ru-1"]


def test_iter_documents_streams_page_by_page(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "PAGE_SIZE", 2)
    store.add_documents([article(f"d{i}", f"Short note number {i}.", "en") for i in range(5)])
    stream = store.iter_documents(lang="en")
    assert next(stream).doc_id == "d0"
    store.add_documents([article("late", "Added while reading.", "en")])
    assert [doc.doc_id for doc in stream] == ["d1", "d2", "d3", "d4", "late"]


def test_stats_count_documents_languages_months_and_layers(news: Store) -> None:
    news.add_documents([Document(doc_id="x", text="", errors=["empty input"])])
    stats = news.stats()
    assert stats["documents"] == 4
    assert stats["languages"] == {"de": 1, "en": 1, "fr": 1, "ru": 1}
    assert stats["months"] == {"2023-10": 2, "2023-11": 2}
    assert stats["annotations"] == nonzero(annotation_counts(full_document().to_record()))
    assert (stats["entities"], stats["errors"]) == (2, 2)
    assert stats["db_bytes"] > 0


# ---------------------------------------------------------------------- schema and migrations
def test_a_new_database_is_migrated_and_reopens_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    with Store(path) as store:
        assert count(store, "PRAGMA user_version") == len(MIGRATIONS)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert count(store, "PRAGMA foreign_keys") == 1
        store.add_documents([full_document()])
    with Store(path) as store:
        assert count(store, "PRAGMA user_version") == len(MIGRATIONS)
        assert store.stats()["documents"] == 1
        assert store.search("Herzog")[0].doc_id == "fr-1"


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    migrate(conn)
    broken = "CREATE TABLE added_by_v2 (a TEXT);\nCREATE TABLE broken (;\n"
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, [*MIGRATIONS, broken])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'added_by_v2'").fetchone() is None
    assert migrate(conn, [*MIGRATIONS, "CREATE TABLE added_by_v2 (a TEXT);"]) == len(MIGRATIONS) + 1
    conn.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "new.db")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="upgrade newsgraph"):
        Store(tmp_path / "new.db")


# ---------------------------------------------------------------------- crash safety
BATCH_SIZE, BATCHES = 40, 30


def synthetic_batch(number: int) -> list[Document]:
    """A batch of distinct documents with sentences, mentions and events (deterministic)."""
    docs = []
    for i in range(BATCH_SIZE):
        sentences = [
            f"Report {number}-{i} part {k}: delegates from Vienna met envoys from Oslo." for k in range(6)
        ]
        text = " ".join(sentences)
        doc = article(f"b{number}-{i}", text, "en", f"2023-{1 + number % 12:02d}-{1 + i % 28:02d}")
        doc.body = [(0, len(text))]
        starts = [text.index(s) for s in sentences]
        doc.sentences = [(start, start + len(s)) for start, s in zip(starts, sentences, strict=True)]
        doc.mentions = [
            Mention(*span_of(text, city, start), city, "LOC", f"E:{city.lower()}")
            for start in starts
            for city in ("Vienna", "Oslo")
        ]
        doc.events = [
            Event(f"V:{number}-{i}-{k}", "CONSULT", sentence=span) for k, span in enumerate(doc.sentences)
        ]
        docs.append(doc)
    return docs


def write_batches_forever(path: str) -> None:
    with Store(path) as store:
        # a tiny page cache spills pages of the open transaction into the WAL before it commits,
        # so a kill also leaves uncommitted frames on disk that recovery must ignore
        store.conn.execute("PRAGMA cache_size = 8")
        for number in range(BATCHES):
            store.add_documents(synthetic_batch(number))
            print(number, flush=True)


def test_a_killed_writer_leaves_only_whole_batches(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    child = subprocess.Popen([sys.executable, __file__, str(path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    committed = [child.stdout.readline() for _ in range(3)]
    child.send_signal(signal.SIGKILL)  # in the middle of the next batch's transaction
    child.wait()
    assert committed[-1].strip() == "2"

    with Store(path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = list(store.iter_documents())
        assert len(stored) % BATCH_SIZE == 0 and len(stored) >= 3 * BATCH_SIZE
        for doc in stored:
            assert stored_layers(store, doc.doc_id) == row_layers(doc)
        assert count(store, "SELECT count(*) FROM documents_fts") == len(stored)

        readded = [store.add_documents(synthetic_batch(number)) for number in range(BATCHES)]
        assert sum(r.duplicates for r in readded) == len(stored)
        assert store.stats()["documents"] == BATCHES * BATCH_SIZE


if __name__ == "__main__":
    write_batches_forever(sys.argv[1])

"""Schema v9: stored values packed (`newsgraph.store.packing`). Article texts and the JSON of records,
annotation data, event clusters and decisions are deflated blobs; quote and claim rows no longer
repeat their columns; the indexes by label and entity hold only the rows their queries read. A v8
store (JSON text everywhere) is converted in place and every reader gives the same answers."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsgraph.entities.resolve import Decision
from newsgraph.events.cluster import ClusterMember, EventCluster
from newsgraph.model import DateValue, Document, Quote
from newsgraph.store import Store, facts, packing, timeline
from newsgraph.store.packing import (
    DEFLATED,
    DEFLATED_V2,
    PLAIN,
    article_text,
    json_text,
    pack,
    pack_article,
    unpack,
)
from newsgraph.store.readonly import open_readonly
from newsgraph.store.rows import (
    CLAIM,
    DOCUMENT_COLUMNS,
    ENTITY_NUMBER,
    ENTITY_NUMBERS_IN,
    LAYER_CODES,
    MENTION,
    QUOTE,
    stored_record,
    to_json,
)
from newsgraph.store.schema import MIGRATIONS, migrate
from newsgraph.store.stories import StoryStore
from test_store_once import ARTICLES, annotated, slug

VALUES: list[Any] = [
    {"text": "Emmanuel Macron", "normal": "Emmanuel Macron", "source": "ner", "score": 0.97},
    {"text": "Сергей Лавров", "date": {"value": "2024-03-05", "precision": "day", "span": None}},
    {"speaker_text": "عباس عراقجي", "cue": [41, 46], "context": ["reported", "one-side:unnamed"]},
    {"matched": "外交部", "kind": "exact", "runner_up": None, "context": []},
    [[0, 87], [89, 124, "es", 0.9754]],
    {},
]


@pytest.mark.parametrize("value", VALUES)
def test_a_packed_value_reads_back_equal(value: Any) -> None:
    stored = pack(value)
    assert isinstance(stored, bytes)
    assert unpack(stored) == value
    assert unpack(to_json(value)) == value  # JSON text written before v9 reads the same


def test_values_deflate_only_when_that_is_shorter() -> None:
    long = {"text": "Annalena Baerbock", "normal": "Annalena Baerbock", "source": "ner", "score": 0.5}
    assert pack(long)[0] == DEFLATED_V2 and len(pack(long)) < len(to_json(long).encode())
    assert pack({})[0] == PLAIN and unpack(pack({})) == {}
    assert unpack(None) is None and json_text(None) is None


def test_an_unknown_format_is_refused_not_misread() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        unpack(bytes((9,)) + b"{}")


@pytest.mark.parametrize("article", ARTICLES, ids=[a[0] for a in ARTICLES])
def test_article_texts_read_back_equal(article: tuple[Any, ...]) -> None:
    text = article[1]
    stored = pack_article(text)
    assert stored[0] == DEFLATED and len(stored) < len(text.encode())
    assert article_text(stored) == text
    assert article_text(pack_article("ok")) == "ok" and pack_article("ok")[0] == PLAIN
    assert article_text(text) == text  # a text stored before v9


def with_named_speaker(doc: Document) -> Document:
    """`doc` with a third quote whose speaker's text is the text of the speaker's span."""
    first = doc.quotes[0]
    assert first.speaker_span is not None
    span = first.speaker_span
    doc.quotes.append(
        Quote(first.start, first.end, first.text, True, None, span, None, doc.text[span[0] : span[1]])
    )
    return doc


@pytest.mark.parametrize("article", ARTICLES, ids=[a[0] for a in ARTICLES])
def test_records_and_quote_and_claim_rows_do_not_repeat_their_columns(
    tmp_path: Path, article: tuple[Any, ...]
) -> None:
    doc = with_named_speaker(annotated(*article))
    doc.claims[0].attributed_entity = slug(article[2])
    with Store(tmp_path / "s.db") as store:
        store.add_documents([doc])
        data = {
            layer: [
                unpack(d)
                for (d,) in store.conn.execute(
                    "SELECT data FROM annotations WHERE layer = ? ORDER BY doc, seq", (LAYER_CODES[layer],)
                )
            ]
            for layer in ("quote", "claim")
        }
        kinds = store.conn.execute("SELECT typeof(text), typeof(record) FROM documents").fetchone()
        record = unpack(store.conn.execute("SELECT record FROM documents").fetchone()[0])
        stored = store.get(doc.doc_id)
    assert stored is not None and stored.to_record() == doc.to_record()
    assert kinds == ("blob", "blob")
    assert not set(DOCUMENT_COLUMNS) & set(record)  # the columns say them (title, url, ...)
    assert all(not {"start", "end", "direct", "speaker", "text"} & set(q) for q in data["quote"])
    # kept where it is not the text of the speaker's span (the second quote has no speaker: null)
    speakers = [q.get("speaker_text", "its span's") for q in data["quote"]]
    assert speakers == [article[2], None, "its span's"]
    assert all(not {"start", "end", "kind", "attributed_entity", "text"} & set(c) for c in data["claim"])


# ---------------------------------------------------------------------- converting a v8 store
def v8_rows(record: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The annotation rows schema v8 wrote: JSON text, quote and claim data repeating their columns."""

    def compact(item: dict[str, Any], drop: tuple[str, ...]) -> str:
        return to_json({k: v for k, v in item.items() if k not in drop and v is not None and v != []})

    doc_id, text = record["doc_id"], record["text"]
    rows: list[tuple[Any, ...]] = []
    for m in record["mentions"]:
        data = compact(m, ("start", "end", "type", "entity"))
        rows.append((doc_id, "mention", m["start"], m["end"], m["type"], m.get("entity"), data))
    for e in record["events"]:
        span = e["trigger"] or e["sentence"]
        source = e["source"][0] if e["source"] else None
        rows.append((doc_id, "event", *span, e["type"], source, compact(e, ("type",))))
    for q in record["quotes"]:
        label = "direct" if q["direct"] else "reported"
        same = q["text"] == text[q["start"] : q["end"]]
        data = to_json({k: v for k, v in q.items() if not (same and k == "text")})
        rows.append((doc_id, "quote", q["start"], q["end"], label, q["speaker"], data))
    for c in record["claims"]:
        rows.append((doc_id, "claim", c["start"], c["end"], c["kind"], c["attributed_entity"], to_json(c)))
    return rows


def meeting(doc: Document) -> EventCluster:
    event = doc.events[0]
    member = ClusterMember(
        doc.doc_id,
        event.id,
        doc.lang,
        event.date,
        doc.span_text(event.sentence) if event.sentence else "",
        event.source,
        event.target,
        event.mode,
        event.location,
        event.confidence,
        False,
    )
    cluster = EventCluster(
        f"C:{doc.doc_id}", event.type, tuple(sorted(event.source + event.target)), [member]
    )
    cluster.settle()
    return cluster


def write_v8(
    path: Path, docs: list[Document], decisions: list[Decision], clusters: list[EventCluster]
) -> None:
    """A store as newsgraph wrote it at schema v8: JSON text in every value column."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:8])
    for doc in docs:
        record = doc.to_record()
        conn.execute(
            "INSERT INTO documents (doc_id, content_hash, source, lang, title, outlet, url, published, text,"
            " record, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-12-01T00:00:00+00:00')",
            (
                doc.doc_id,
                doc.content_hash,
                doc.source,
                doc.lang,
                doc.title,
                doc.outlet,
                doc.url,
                doc.published.value if doc.published else None,
                doc.text,
                # v8 kept the fields the columns also hold in the record
                to_json({**{k: record[k] for k in DOCUMENT_COLUMNS}, **stored_record(record)}),
            ),
        )
        conn.execute(
            "INSERT INTO documents_fts (rowid, title, body) SELECT id, title, body FROM documents_body"
            " WHERE id = (SELECT max(id) FROM documents)"
        )
        conn.executemany(
            'INSERT INTO annotations (doc_id, layer, start, "end", label, entity, data)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            v8_rows(record),
        )
    conn.executemany(
        "INSERT INTO resolutions (doc_id, local_id, entity_id, method, score, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (d.doc_id, d.local_id, d.entity_id, d.method, d.score, to_json({"matched": d.matched}))
            for d in decisions
        ],
    )
    conn.executemany(
        "INSERT INTO event_clusters (id, type, block, date, data, planned, confidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                c.id,
                c.type,
                "|".join((c.type, *c.actors)),
                c.date.value if c.date else None,
                to_json(c.to_data()),
                0,
                0.8,
            )
            for c in clusters
        ],
    )
    conn.executemany(
        "INSERT INTO event_cluster_actors (cluster_id, entity_id) VALUES (?, ?)",
        [(c.id, actor) for c in clusters for actor in c.participants],
    )
    conn.executemany(  # MinHash band postings: two documents share band 7
        "INSERT INTO minhash_bands (band_key, doc_id) VALUES (?, ?)",
        [(7 + n % 2, doc.doc_id) for n, doc in enumerate(docs)] + [(7, docs[1].doc_id)],
    )
    conn.close()


def answers(store: Store, docs: list[Document]) -> dict[str, Any]:
    """What every reader of the store gives: documents, quotes, claims, timeline, search, decisions."""
    speaker = slug(ARTICLES[0][2])
    total, entries = timeline.timeline(store, [speaker])
    return {
        "documents": [d.to_record() for d in store.iter_documents()],
        "got": [store.get(d.doc_id).to_record() for d in docs],  # type: ignore[union-attr]
        "quotes": facts.quotes(store),
        "quotes_about": facts.quotes(store, about=[slug(ARTICLES[1][2])]),
        "claims": facts.claims(store),
        "claims_of_kind": facts.count_claims(store, kind="other"),
        "timeline": (total, [(e.cluster, [r.sentence for r in e.evidence]) for e in entries]),
        "search": [(h.doc_id, h.snippet) for h in store.search("Пекине")],
        "decisions": store.resolutions(speaker),
        "bands": {key: StoryStore(store).band_members([key]) for key in (7, 8, 9)},
        "layers": store.stats()["annotations"],
    }


def test_a_v8_store_is_converted_in_place_and_every_reader_gives_the_same(tmp_path: Path) -> None:
    docs = [annotated(*a) for a in ARTICLES]
    decision = Decision("fr-1", "L:1", slug(ARTICLES[0][2]), "kb", 0.99, "Emmanuel Macron")
    clusters = [meeting(doc) for doc in docs]
    with Store(tmp_path / "new.db") as fresh:
        fresh.add_documents(docs, decisions=[decision], clusters=clusters)
        fresh.conn.executemany(
            "INSERT INTO minhash_bands (band_key, doc) SELECT ?, id FROM documents WHERE doc_id = ?",
            [(7 + n % 2, doc.doc_id) for n, doc in enumerate(docs)] + [(7, docs[1].doc_id)],
        )
        expected = answers(fresh, docs)
    assert expected["bands"] == {7: {"fr-1", "ar-1", "ru-1"}, 8: {"ru-1", "de-1"}, 9: set()}
    path = tmp_path / "v8.db"
    write_v8(path, docs, [decision], clusters)
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert answers(store, docs) == expected
        assert [store.cluster(c.id) for c in clusters] == clusters
        kinds = set(
            store.conn.execute(
                "SELECT typeof(d.text) || typeof(d.record) || typeof(a.data) FROM documents AS d"
                " JOIN annotations AS a ON a.doc = d.id"
            ).fetchall()
        )
        cluster_kinds = store.conn.execute("SELECT DISTINCT typeof(data) FROM event_clusters").fetchall()
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # back on after the rebuild
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert kinds == {("blobblobblob",)} and cluster_kinds == [("blob",)]
    with open_readonly(path) as readonly:  # a server's connection reads packed values too
        assert answers(readonly, docs) == expected


def dump(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every value the conversion rewrites, in a form that compares across schema versions."""
    return [
        *conn.execute("SELECT id, doc_id, text, record FROM documents ORDER BY id"),
        *conn.execute("SELECT * FROM annotations ORDER BY 1, 2"),
        *conn.execute("SELECT * FROM resolutions ORDER BY 1, 2"),
        *conn.execute("SELECT * FROM event_clusters ORDER BY id"),
    ]


def test_converting_again_changes_nothing_and_a_failed_conversion_leaves_v8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = [annotated(*a) for a in ARTICLES]
    path = tmp_path / "v8.db"
    write_v8(
        path, docs, [Decision("fr-1", "L:1", slug(ARTICLES[0][2]), "kb", 0.99, "Macron")], [meeting(docs[0])]
    )
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    v8 = dump(conn)
    calls = []

    def fail_on_the_third(stored: str | bytes) -> str | bytes:
        calls.append(stored)
        if len(calls) == 3:
            raise RuntimeError("killed midway")
        return stored

    monkeypatch.setattr(packing, "repack_article", fail_on_the_third)
    with pytest.raises(sqlite3.OperationalError):  # raised inside ng_repack_text
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 8 and dump(conn) == v8
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    monkeypatch.undo()
    assert migrate(conn) == len(MIGRATIONS)
    converted = dump(conn)
    assert migrate(conn) == len(MIGRATIONS) and dump(conn) == converted
    conn.close()


X, Y = "'E:x'", "'E:y'"  # entity ids as SQL literals


def test_queries_by_entity_and_by_claim_kind_use_the_smaller_indexes(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.add_documents([annotated(*a) for a in ARTICLES])

        def plan(sql: str) -> str:
            return " ".join(row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))

        by_kind = plan(f"SELECT count(*) FROM annotations AS c WHERE c.layer = {CLAIM} AND c.label = 'other'")
        by_entity = plan(
            f"SELECT count(*) FROM annotations WHERE layer = {MENTION} AND entity = {ENTITY_NUMBER.format(X)}"
        )
        quoted = plan(
            f"SELECT count(*) FROM annotations WHERE layer = {QUOTE}"
            f" AND entity IN {ENTITY_NUMBERS_IN.format(X + ', ' + Y)}"
        )
        indexed = store.conn.execute(
            "SELECT count(*) FROM annotations INDEXED BY annotations_entity_doc WHERE entity IS NOT NULL"
        ).fetchone()[0]
        with_entity = store.conn.execute(
            "SELECT count(*) FROM annotations WHERE entity IS NOT NULL"
        ).fetchone()[0]
    assert "annotations_claim_kind" in by_kind
    assert "annotations_entity_doc" in by_entity and "annotations_entity_doc" in quoted
    assert indexed == with_entity


def test_a_date_value_of_every_precision_survives_the_cluster_blob(tmp_path: Path) -> None:
    doc = annotated(*ARTICLES[2])
    cluster = meeting(doc)
    cluster.members[0].date = DateValue("2024-03", "month", None, "inferred")
    with Store(tmp_path / "s.db") as store:
        store.add_documents([doc], clusters=[cluster])
        assert store.cluster(cluster.id) == cluster
        # the corpus pass's reader leaves the sentences out (schema v11): they are read from the documents
        assert store.with_sentences(store.clusters_in_blocks([cluster.key])) == [cluster]

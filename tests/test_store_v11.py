"""Schema v11: annotation rows keep their layer as a small integer and their entity as the number of
its id (`entity_numbers`); near-duplicate rows keep no MinHash signature, the corpus pass signs the
band candidates again from their stored text; cluster members keep no sentence, a decision's context
keeps entity numbers, story centroids are float16. A v10 store, written as the v10 code wrote it, is
converted in place and every reader gives what a fresh v11 store gives; copies are found the same.

The v10 writer is the store's own code with the five writes v10 made differently put back: rows
with the layer's name and the entity id as text, near-duplicate rows with the signature, cluster
members with their sentences, decisions' contexts as ids, centroids in float32."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fixtures_stores import dated_report
from newsgraph.entities.resolve import Decision
from newsgraph.events.cluster import EventCluster, member_of
from newsgraph.model import Document, Entity, Mention
from newsgraph.store import Store, browse, facts, timeline
from newsgraph.store import db as store_db
from newsgraph.store import stories as store_stories
from newsgraph.store.entities import entity_profile, find_entities, merge_entities
from newsgraph.store.facets import entity_facets
from newsgraph.store.packing import pack, register, unpack
from newsgraph.store.readonly import open_readonly
from newsgraph.store.rows import AnnotationRow, decision_data
from newsgraph.store.schema import MIGRATIONS, migrate, statements
from newsgraph.store.stories import CorpusRows, StoryStore, corpus_rows, list_stories, save_corpus_rows, story
from newsgraph.stories.duplicates import Found, find_duplicates, signature
from newsgraph.stories.group import assign_stories
from test_store_once import ARTICLES, annotated, slug
from test_store_packed import meeting

# Articles written for these tests: a wire report on a port strike in Spanish, its re-post with
# another headline and a closing line, a Chinese report on a rail line and its copy, and a Russian
# report on a harvest that copies nothing. Names carry the global ids the resolver would give.
STRIKE_ES = (
    "Los estibadores del puerto de Valencia iniciaron el lunes una huelga de tres días para exigir "
    "mejores condiciones de seguridad. La naviera Marítima Levante desvió dos buques a Barcelona y "
    "advirtió de retrasos en las entregas de fruta. El sindicato afirmó que la protesta seguirá si no "
    "hay acuerdo antes del viernes, y la autoridad portuaria convocó una reunión para el martes."
)
RAIL_ZH = (
    "连接昆明和万象的铁路本月客运量创下新高，列车每天往返两次。铁路公司表示，暑假期间将增加临时列车，"
    "并在沿线车站开设更多售票窗口。当地商会认为，这条线路让水果出口的运输时间缩短了一半。"
)
HARVEST_RU = (
    "Фермеры Алтайского края завершили уборку пшеницы на две недели раньше обычного. Урожай оказался "
    "выше прошлогоднего, а элеваторы в Барнауле работают круглосуточно. Губернатор пообещал помочь с "
    "вывозом зерна по железной дороге до конца октября."
)
NAMES = {
    "Valencia": "E:valencia",
    "Barcelona": "E:barcelona",
    "Marítima Levante": "E:maritima-levante",
    "昆明": "E:kunming",
    "万象": "E:vientiane",
    "Барнауле": "E:barnaul",
}


def article(doc_id: str, lang: str, title: str, body: str, day: str, tail: str = "") -> Document:
    text = f"{title}\n\n{body}" + (f"\n{tail}" if tail else "")
    mentions = sorted(
        (
            Mention(at, at + len(name), name, "LOC", entity=entity)
            for name, entity in NAMES.items()
            for at in [i for i in range(len(text)) if text.startswith(name, i)]
        ),
        key=lambda m: m.start,
    )
    entities = {m.entity or "": Entity(m.entity or "", m.text, "LOC") for m in mentions}
    return dated_report(doc_id, lang, day, text, len(title), [], mentions, entities, origin="text")


def batches() -> list[list[Document]]:
    """Fully annotated articles (every layer) with one report of each copy, then the copies."""
    first = [annotated(*a) for a in ARTICLES] + [
        article("strike-es", "es", "Huelga en el puerto de Valencia", STRIKE_ES, "2024-06-03"),
        article("rail-zh", "zh", "中老铁路客运量创新高", RAIL_ZH, "2024-07-10"),
    ]
    second = [
        article("harvest-ru", "ru", "Уборка пшеницы на Алтае", HARVEST_RU, "2024-09-20"),
        article(
            "strike-es-copy",
            "es",
            "Tres días de paro en Valencia",
            STRIKE_ES,
            "2024-06-04",
            tail="Información ampliada en nuestra edición impresa.",
        ),
        article("rail-zh-copy", "zh", "铁路客流创纪录", RAIL_ZH, "2024-07-11"),
    ]
    return [first, second]


Call = tuple[list[Document], dict[str, Any]]


def ingest(store: Store, docs: list[Document], calls: list[Call] | None = None) -> None:
    """The corpus pass's copy, story and cluster steps against the store, then the batch stored with
    what they learnt (recorded in `calls`, to be written again by another writer)."""
    memory = StoryStore(store)
    found = find_duplicates(docs, memory)
    index = memory.index()
    memory.prepare(index, docs, found.matched)
    assign_stories(docs, index, found.matched)
    extra = {
        "decisions": [decision(d) for d in docs],
        "clusters": [reported(d) for d in docs if d.events],
        "corpus": corpus_rows(index, found),
    }
    if calls is not None:
        calls.append((copy.deepcopy(docs), copy.deepcopy(extra)))
    store.add_documents(docs, **extra)


def decision(doc: Document) -> Decision:
    """The resolver's decision for the document's first name, its other entities as context."""
    first = doc.mentions[0]
    context = sorted({m.entity for m in doc.mentions if m.entity and m.entity != first.entity})
    return Decision(doc.doc_id, "L:1", first.entity or "", "kb", 0.9, first.text, "exact", None, context)


def reported(doc: Document) -> EventCluster:
    """A cluster of the document's first event, its member made as the corpus pass makes it."""
    cluster = meeting(doc)
    cluster.members = [member_of(doc, doc.events[0])]
    cluster.settle()
    return cluster


def v10_rows(self: Store, key: int | None, rows: Sequence[AnnotationRow]) -> None:
    """Annotation rows as v10 wrote them: the layer's name, the entity id."""
    self.conn.executemany(
        'INSERT INTO annotations (doc, seq, layer, start, "end", label, entity, data)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(key, seq, *row) for seq, row in enumerate(rows, start=1)],
    )


def v10_decisions(self: Store, decisions: Sequence[Decision], renamed: dict[str, str] | None = None) -> None:
    """Resolution rows as v10 wrote them: the context's entity ids as text."""
    self.conn.executemany(
        "INSERT OR REPLACE INTO resolutions (doc, local_id, entity_id, method, score, data)"
        " SELECT id, ?, ?, ?, ?, ? FROM documents WHERE doc_id = ?",
        [(d.local_id, d.entity_id, d.method, d.score, decision_data(d), d.doc_id) for d in decisions],
    )


def v10_corpus(conn: sqlite3.Connection, rows: CorpusRows, renamed: dict[str, str]) -> None:
    """Near-duplicate rows as v10 wrote them, with the signature; the rest as the store writes it."""
    conn.executemany(
        "INSERT OR REPLACE INTO near_duplicates (doc_id, canonical, similarity, day, signature)"
        " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM documents WHERE doc_id = ?)",
        [
            (r.doc_id, r.canonical, r.similarity, r.day, r.signature.tobytes(), r.doc_id)
            for r in rows.duplicates.rows
        ],
    )
    save_corpus_rows(conn, replace(rows, duplicates=Found([], rows.duplicates.bands)), renamed)


def v12_decisions(self: Store, decisions: Sequence[Decision], renamed: dict[str, str] | None = None) -> None:
    """Resolution rows as v11 and v12 wrote them: the entity id as text, the context as numbers."""
    numbers = self.entity_numbers(sorted({e for d in decisions for e in d.context}))
    self.conn.executemany(
        "INSERT OR REPLACE INTO resolutions (doc, local_id, entity_id, method, score, data)"
        " SELECT id, ?, ?, ?, ?, ? FROM documents WHERE doc_id = ?",
        [
            (
                d.local_id,
                d.entity_id,
                d.method,
                d.score,
                decision_data(d, numbers),
                (renamed or {}).get(d.doc_id, d.doc_id),
            )
            for d in decisions
        ],
    )


def v10_actors(self: Store, clusters: Sequence[EventCluster]) -> None:
    """Cluster participant rows as v10 wrote them (to v12): the entity id as text."""
    self.conn.executemany(
        "INSERT OR IGNORE INTO event_cluster_actors (cluster_id, entity_id) VALUES (?, ?)",
        [(c.id, actor) for c in clusters for actor in c.participants],
    )


def write_v10(path: Path, calls: list[Call], monkeypatch: pytest.MonkeyPatch) -> None:
    """A v10 store holding what `calls` stored, written by the store's code at v10."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    register(conn)
    migrate(conn, MIGRATIONS[:10])
    v10 = Store.__new__(Store)
    v10.path, v10.conn = path, conn
    with monkeypatch.context() as patch:
        patch.setattr(Store, "_insert_rows", v10_rows)
        patch.setattr(store_db, "save_corpus_rows", v10_corpus)
        patch.setattr(Store, "_insert_decisions", v10_decisions)
        patch.setattr(Store, "_insert_actors", v10_actors)
        patch.setattr(store_db, "cluster_data", lambda c: pack(c.to_data()))  # sentences kept
        patch.setattr(store_stories, "CENTROID_DTYPE", np.float32)
        patch.setattr(store_stories, "_post_keys", lambda conn, keys: None)  # v12's key postings
        for docs, extra in calls:
            v10.add_documents(docs, **extra)
    conn.close()


def answers(store: Store) -> dict[str, Any]:
    """What every reader gives: documents, facts, timeline, search, decisions, entities, stories,
    and the copies the corpus pass's memory holds (signatures included)."""
    speaker = slug(ARTICLES[0][2])
    total, entries = timeline.timeline(store, [speaker])
    memory = StoryStore(store)
    ids = [d.doc_id for d in store.iter_documents()]
    stories = list_stories(store)
    return {
        "documents": [d.to_record() for d in store.iter_documents()],
        "got": [store.get(i).to_record() for i in ids],  # type: ignore[union-attr]
        "quotes": facts.quotes(store),
        "quotes_by": facts.quotes(store, speakers=[speaker]),
        "quotes_about": facts.quotes(store, about=[slug(ARTICLES[1][2])]),
        "claims": facts.claims(store),
        "claims_of_kind": facts.count_claims(store, kind="other"),
        "timeline": (total, [(e.cluster, [r.sentence for r in e.evidence]) for e in entries]),
        "search": [(h.doc_id, h.snippet) for h in store.search("Valencia")],
        "decisions": store.resolutions(speaker),
        "entities": browse.entities(store),
        "entities_ru": browse.entities(store, lang="ru"),
        "facets": (entity_facets(store, None), entity_facets(store, "es")),
        "profile": entity_profile(store, "E:valencia"),
        "found": find_entities(store, "Valencia"),
        "mentioning": store.documents_mentioning(["E:kunming", speaker]),
        "layers": store.stats()["annotations"],
        "stories": stories,
        "story": [story(store, s["id"]) for s in stories["items"]],
        "printed": {
            d: (p.signature.tolist(), p.canonical, p.day, p.similarity)
            for d, p in memory.printed(ids).items()
        },
        "bands": sorted(store.conn.execute("SELECT band_key, doc FROM minhash_bands")),
    }


def later_copy() -> list[Document]:
    """A third printing of the Spanish wire report and of the Chinese one, arriving later."""
    return [
        article("strike-es-3", "es", "Huelga portuaria", STRIKE_ES, "2024-06-05"),
        article("rail-zh-3", "zh", "中老铁路", RAIL_ZH, "2024-07-12"),
    ]


@pytest.fixture
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(a fresh v11 store, the same batches written by v10 and not yet converted)."""
    calls: list[Call] = []
    with Store(tmp_path / "fresh.db") as fresh:
        for docs in batches():
            ingest(fresh, docs, calls)
    write_v10(tmp_path / "v10.db", calls, monkeypatch)
    return tmp_path / "fresh.db", tmp_path / "v10.db"


def test_the_copies_are_found_and_signed_again_as_they_were_signed(stores: tuple[Path, Path]) -> None:
    fresh, _ = stores
    with Store(fresh) as store:
        canonical = dict(store.conn.execute("SELECT doc_id, canonical FROM document_texts"))
        printed = StoryStore(store).printed(list(canonical))
        columns = [c[1] for c in store.conn.execute("PRAGMA table_info(near_duplicates)")]
    assert canonical["strike-es-copy"] == "strike-es" and canonical["rail-zh-copy"] == "rail-zh"
    assert canonical["harvest-ru"] == "harvest-ru"
    assert "signature" not in columns
    for doc in batches()[0][-2:]:  # signed from the stored text: the signature of the ingest
        assert printed[doc.doc_id].signature.tolist() == signature(doc).tolist()  # type: ignore[union-attr]


def test_a_v10_store_is_converted_in_place_and_every_reader_gives_the_same(
    stores: tuple[Path, Path],
) -> None:
    fresh, old = stores
    with Store(fresh) as store:
        expected = answers(store)
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10
    assert conn.execute("SELECT count(*) FROM annotations WHERE layer = 'mention'").fetchone()[0] > 0
    conn.close()
    with Store(old) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert answers(store) == expected
        kinds = set(store.conn.execute("SELECT DISTINCT typeof(layer), typeof(entity) FROM annotations"))
        assert kinds <= {("integer", "integer"), ("integer", "null")}
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with open_readonly(old) as readonly:  # a server's connection
        assert answers(readonly) == expected


def test_a_converted_store_finds_the_same_copies_and_takes_the_same_corrections(
    stores: tuple[Path, Path],
) -> None:
    results = []
    for path in stores:
        with Store(path) as store:
            memory = StoryStore(store)
            found = find_duplicates(later_copy(), memory)
            merge_entities(store, ["E:barcelona"], "E:valencia")
            results.append((found.matched, answers(store)))
    # the most similar earlier printing: the Spanish original (its re-post has a line more); both
    # Chinese printings are the same body, the tie going to the greater id
    assert results[0][0] == {"strike-es-3": "strike-es", "rail-zh-3": "rail-zh-copy"}
    assert results[0] == results[1]


def dump(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every row the conversion rewrites, in a form that compares across schema versions."""
    return [
        *conn.execute("SELECT * FROM annotations ORDER BY 1, 2"),
        *conn.execute("SELECT * FROM near_duplicates ORDER BY 1"),
        *conn.execute("SELECT name, sql FROM sqlite_schema ORDER BY name"),
    ]


def test_a_failed_conversion_leaves_the_v10_store_and_a_second_changes_nothing(
    stores: tuple[Path, Path],
) -> None:
    _, old = stores
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    # a table in the way of the last rebuild: the conversion fails after rewriting the annotations
    conn.execute("CREATE TABLE near_duplicates_v11 (x)")
    before = dump(conn)
    with pytest.raises(sqlite3.OperationalError, match="near_duplicates_v11"):
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10 and dump(conn) == before
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.execute("DROP TABLE near_duplicates_v11")
    assert migrate(conn) == len(MIGRATIONS)
    converted = dump(conn)
    conn.execute("BEGIN IMMEDIATE")  # the whole conversion again, on the converted store
    for statement in statements(MIGRATIONS[10]):
        conn.execute(statement)
    conn.execute("COMMIT")
    assert dump(conn) == converted
    conn.close()


def test_cluster_members_are_stored_without_their_sentences_and_read_with_them(tmp_path: Path) -> None:
    docs = [annotated(*a) for a in ARTICLES]
    clusters = [reported(d) for d in docs]
    with Store(tmp_path / "s.db") as store:
        store.add_documents(docs, clusters=clusters)
        stored = [unpack(d) for (d,) in store.conn.execute("SELECT data FROM event_clusters")]
        read = [store.cluster(c.id) for c in clusters]
        shown = {e.cluster: [r.sentence for r in e.evidence] for e in timeline.entries(store, clusters)}
        bare = store.clusters_in_blocks([c.key for c in clusters])  # the corpus pass's reader
    assert all("sentence" not in m for data in stored for m in data["members"])
    assert read == clusters  # every language's sentence, as `member_of` made it
    assert shown == {c.id: [m.sentence for m in c.members] for c in clusters}
    assert all(m.sentence for c in clusters for m in c.members)
    assert {m.sentence for c in bare for m in c.members} == {""}


def test_a_decisions_context_is_kept_as_entity_numbers_and_read_as_ids(tmp_path: Path) -> None:
    docs = [annotated(*a) for a in ARTICLES]
    decisions = [decision(d) for d in docs]
    with Store(tmp_path / "s.db") as store:
        store.add_documents(docs, decisions=decisions)
        contexts = [unpack(d)["context"] for (d,) in store.conn.execute("SELECT data FROM resolutions")]
        read = {d.doc_id: store.resolutions(d.entity_id) for d in decisions}
    assert all(isinstance(e, int) for context in contexts for e in context) and any(contexts)
    for d in decisions:
        assert [r for r in read[d.doc_id] if r["doc_id"] == d.doc_id] == [d.to_data()]


def test_centroids_in_half_precision_assign_the_same_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = []
    for dtype in (np.float32, np.float16):
        monkeypatch.setattr(store_stories, "CENTROID_DTYPE", dtype)
        with Store(tmp_path / f"{np.dtype(dtype).name}.db") as store:
            for docs in batches():
                ingest(store, docs)
            ingest(store, later_copy())
            members.append(sorted(store.conn.execute("SELECT doc_id, story_id FROM story_members")))
            sizes = {len(b) for (b,) in store.conn.execute("SELECT centroid FROM stories")}
            loaded = StoryStore(store).stories([s for (s,) in store.conn.execute("SELECT id FROM stories")])
        assert sizes == {512 * np.dtype(dtype).itemsize}  # either reads back as float32
        assert {s.centroid.dtype for s in loaded} == {np.dtype(np.float32)}
    assert members[0] == members[1] and len({story for _, story in members[0]}) >= 3

"""The SQLite store: one file, WAL, documents with their annotations, full-text search.

Identity rules:
- a document is identified by its `content_hash` (whitespace- and Unicode-form-insensitive hash
  of its text): the same article is stored once however many times it is ingested, and later
  copies count as duplicates (the first stored version is kept);
- `doc_id` is the caller's id; when it is already used by a different text, the new document is
  stored as `<doc_id>~<first 8 hex of its content hash>` (`AddResult.renamed` lists these);
- a document with no text (a reader or stage failure) is not a document: its error messages
  go to the `errors` table, recorded once per (source, doc_id, message).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from newsgraph.entities.index import KnownEntity
from newsgraph.entities.names import name_keys, name_length, name_similarity
from newsgraph.entities.readings import inflection_readings
from newsgraph.entities.resolve import Decision
from newsgraph.events.cluster import WIDEST_WINDOW_DAYS, BlockKey, EventCluster, evidence_sentence
from newsgraph.events.dates import Interval
from newsgraph.ingest.hashing import content_hash
from newsgraph.model import Document
from newsgraph.store.packing import article_text, pack, pack_article, register, unpack
from newsgraph.store.query import DateBound, fts_query, published_filter
from newsgraph.store.rows import (
    DOCUMENT_COLUMNS,
    ENTITY_NUMBER,
    ENTITY_NUMBERS_IN,
    EVENT,
    LAYER_CODES,
    LAYER_NAMES,
    MENTION,
    RECORD_FIELDS,
    SELECT_DOCUMENT,
    AnnotationRow,
    annotation_rows,
    cluster_data,
    context_numbers,
    decision_data,
    decision_record,
    entity_rows,
    layer_counts,
    stored_record,
    to_json,
    with_rows,
)
from newsgraph.store.schema import migrate
from newsgraph.store.stories import CorpusRows, follow_story_redirects, save_corpus_rows

BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another process's write transaction
PAGE_SIZE = 500  # documents read per query while streaming
# SQLite page size of a new store; an existing file keeps the size it was created with (16 KB before
# this). Every table and index has a last page partly empty and a small one a whole page, which a
# small store pays per article: with 8 KB pages 400 articles of benchmarks/ingest.py take 12.44 KB
# each instead of 13.20, 1,500 take 10.74 instead of 10.88, and the API's 48 pages and the
# timeline and search of benchmarks/scale.py answer as fast. 4 KB pages fit one stored article row
# (2 KB or so) per page (12.72 and 11.44); 2 KB pages (11.72 at 400) read lists of quotes and
# claims 1.5-1.7 times slower. docs/BENCHMARKS.md, "Issue 14: store, session 5".
PAGE_BYTES = 8192
HIGHLIGHT = ("<mark>", "</mark>")  # around matched words in snippets; the text itself is not escaped
SNIPPET_TOKENS = 24
TITLE_WEIGHT = 3.0  # bm25 weight of a title match relative to a body match
NAMES, TEXT = "names", "text"
SEARCH_MODES = (NAMES, TEXT)  # a name's other forms searched too, or only the words typed
SIMILAR_NAME = 0.85  # a typed name names an entity whose name scores at least this with it
MAX_SEARCH_FORMS = 40  # forms of the named entities searched for one typed name, most frequent first


@dataclass
class AddResult:
    added: int = 0
    duplicates: int = 0
    errors: int = 0  # documents with no text, recorded in the errors table only
    unstored: list[str] = field(default_factory=list)  # ids of documents the store refused
    # (see `add_documents_each`): an error record each
    renamed: dict[str, str] = field(default_factory=dict)  # given doc_id -> stored doc_id on collision


@dataclass
class SearchHit:
    doc_id: str
    title: str | None
    lang: str | None
    published: str | None
    snippet: str  # matched words between HIGHLIGHT markers
    rank: float  # FTS5 bm25: lower is better; hits come best first


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """A newsgraph database file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        # autocommit mode: every transaction below is explicit, so its extent is visible in the code
        self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        self.conn.execute(f"PRAGMA page_size = {PAGE_BYTES}")  # applies to a new file only
        self.conn.execute("PRAGMA journal_mode = WAL")
        # with WAL, NORMAL can lose the last commits on power loss but never corrupts the file
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        register(self.conn)  # ng_json(): the stored JSON values are packed (store/packing.py)
        migrate(self.conn)
        # stories kept as one JSON document before schema v7 become rows here, when the store is
        # first opened for writing, so that the read-only queries of every face see them at once
        from newsgraph.store.stories import StoryStore  # it imports this module

        StoryStore(self).upgrade_legacy()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ writing
    def add_documents(
        self,
        docs: Iterable[Document],
        known: Sequence[KnownEntity] = (),
        decisions: Sequence[Decision] = (),
        clusters: Sequence[EventCluster] = (),
        state: Mapping[str, Any] | None = None,
        lines: Sequence[tuple[str, str, str]] = (),
        corpus: CorpusRows | None = None,
    ) -> AddResult:
        """Store a batch in one transaction: all of it is stored, or (on any error or crash) none of it.

        `known`, `decisions`, `clusters`, `state` and `lines` (outlet, line hash, article key) are
        what the corpus-wide pass learnt from the batch, and `corpus` its copies and stories
        (`newsgraph.store.stories`); they are written in the same transaction, so entities, clusters
        and stories always agree with documents."""
        result = AddResult()
        at = _now()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            added: set[str] = set()
            for doc in docs:
                if not doc.text:
                    self._add_errors(doc.source, doc.doc_id, doc.errors or ["document has no text"], at)
                    result.errors += 1
                    continue
                digest = doc.content_hash or content_hash(doc.text)
                if self._exists("content_hash", digest):
                    result.duplicates += 1
                    continue
                doc_id = self._free_doc_id(doc.doc_id, digest)
                if doc_id != doc.doc_id:
                    result.renamed[doc.doc_id] = doc_id
                self._insert(doc, doc_id, digest, at)
                added.add(doc.doc_id)
                result.added += 1
            self._save_entities(known)
            self._save_clusters(clusters)
            self.conn.executemany(
                "INSERT OR IGNORE INTO outlet_lines (outlet, line_hash, doc_key) VALUES (?, ?, ?)", lines
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO corpus_state (name, data) VALUES (?, ?)",
                [(name, to_json(data)) for name, data in (state or {}).items()],
            )
            self._insert_decisions([d for d in decisions if d.doc_id in added], result.renamed)
            if corpus is not None:
                save_corpus_rows(self.conn, corpus, result.renamed)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:  # some errors (disk full, I/O) have rolled it back already
                self.conn.execute("ROLLBACK")
            raise
        return result

    def add_documents_each(
        self,
        docs: Sequence[Document],
        known: Sequence[KnownEntity] = (),
        decisions: Sequence[Decision] = (),
        clusters: Sequence[EventCluster] = (),
        state: Mapping[str, Any] | None = None,
        lines: Sequence[tuple[str, str, str]] = (),
        corpus: CorpusRows | None = None,
    ) -> AddResult:
        """Store a batch one document per transaction, after `add_documents` failed on it as a whole.

        What the corpus pass learnt goes first, on its own (if that fails, nothing is stored and the
        error is raised, as for a batch); then each document with its own decisions. A document the
        store refuses gets an error record naming the reason instead, and the others are stored.
        Copies and stories (`corpus`) go last, for the documents that were stored.
        """
        self.add_documents((), known, (), clusters, state, lines)
        result = AddResult()
        for doc in docs:
            own = [d for d in decisions if d.doc_id == doc.doc_id]
            try:
                one = self.add_documents((doc,), decisions=own)
            except Exception as exc:
                self._record_unstored(doc, exc)
                result.unstored.append(doc.doc_id)
                continue
            result.added += one.added
            result.duplicates += one.duplicates
            result.errors += one.errors
            result.renamed.update(one.renamed)
        if corpus is not None:
            with self._transaction() as conn:
                save_corpus_rows(conn, corpus, result.renamed)
        return result

    def _record_unstored(self, doc: Document, exc: Exception) -> None:
        """An error record for a document the store refused; its source and id made storable first."""
        message = f"not stored: {type(exc).__name__}: {exc}; the document's annotations could not be written"
        with self._transaction():
            doc_id, text = _storable(doc.doc_id) or "", _storable(message) or ""
            self._add_errors(_storable(doc.source), doc_id, [text], _now())

    def _exists(self, column: str, value: str) -> bool:
        query = f"SELECT 1 FROM documents WHERE {column} = ?"
        return self.conn.execute(query, (value,)).fetchone() is not None

    def _free_doc_id(self, doc_id: str, digest: str) -> str:
        if not self._exists("doc_id", doc_id):
            return doc_id
        base = candidate = f"{doc_id}~{digest[:8]}"
        n = 1
        while self._exists("doc_id", candidate):  # only if someone chose such an id for another text
            n += 1
            candidate = f"{base}.{n}"
        return candidate

    def _insert(self, doc: Document, doc_id: str, digest: str, at: str) -> None:
        record = doc.to_record()
        record.update(doc_id=doc_id, content_hash=digest)
        published = doc.published
        cursor = self.conn.execute(
            "INSERT INTO documents (doc_id, content_hash, source, lang, title, outlet, url, published,"
            " published_precision, published_origin, text, record, layer_counts, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                digest,
                doc.source,
                doc.lang,
                doc.title,
                doc.outlet,
                doc.url,
                published.value if published else None,
                published.precision if published else None,
                published.origin if published else None,
                pack_article(doc.text),
                pack(stored_record(record)),
                layer_counts(record),
                at,
            ),
        )
        # indexed from the view the index reads its content from, so the two can never disagree
        self.conn.execute(
            "INSERT INTO documents_fts (rowid, title, body)"
            " SELECT id, title, body FROM documents_body WHERE id = ?",
            (cursor.lastrowid,),
        )
        self._insert_rows(cursor.lastrowid, annotation_rows(record))
        self._upsert_entities(doc)
        self._add_errors(doc.source, doc_id, doc.errors, at)

    def _insert_rows(self, key: int | None, rows: Sequence[AnnotationRow]) -> None:
        """A document's annotation rows, under its integer id (`key`) and their position in it, each
        with its layer's code and its entity's number (schema v11; an entity id seen for the first
        time gets the next number)."""
        numbers = self.entity_numbers(row[4] for row in rows if row[4] is not None)
        self.conn.executemany(
            'INSERT INTO annotations (doc, seq, layer, start, "end", label, entity, data)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    key,
                    seq,
                    LAYER_CODES[layer],
                    start,
                    end,
                    label,
                    numbers.get(entity) if entity else None,
                    data,
                )
                for seq, (layer, start, end, label, entity, data) in enumerate(rows, start=1)
            ],
        )

    def rewrite_documents(
        self,
        docs: Sequence[Document],
        known: Sequence[KnownEntity] = (),
        merged: Mapping[str, str] | None = None,
    ) -> None:
        """Replace the annotations of stored documents (same text) and entity memory, in one
        transaction (or in the caller's, see `transaction`); `merged` maps entities folded into
        another to it (they are deleted)."""
        with self._transaction():
            for doc in docs:
                record = doc.to_record()
                key = self.conn.execute("SELECT id FROM documents WHERE doc_id = ?", (doc.doc_id,)).fetchone()
                if key is not None:  # a document the store does not have has no rows to replace
                    self.conn.execute("DELETE FROM annotations WHERE doc = ?", key)
                    self._insert_rows(key[0], annotation_rows(record))
                self.conn.execute(
                    "UPDATE documents SET record = ?, layer_counts = ? WHERE doc_id = ?",
                    (pack(stored_record(record)), layer_counts(record), doc.doc_id),
                )
                self._upsert_entities(doc)
            self._save_entities(known)
            numbers = self.entity_numbers(sorted(set((merged or {}).values())))
            for old, new in (merged or {}).items():
                self.conn.execute(
                    f"UPDATE resolutions SET entity = ? WHERE entity = {ENTITY_NUMBER.format('?')}",
                    (numbers[new], old),
                )
                self.conn.execute("DELETE FROM entities WHERE id = ?", (old,))

    def replace_decisions(self, doc_ids: Sequence[str], decisions: Sequence[Decision]) -> None:
        """The resolver's decisions for these documents, instead of those stored for them."""
        with self._transaction():
            self.conn.executemany(
                "DELETE FROM resolutions WHERE doc = (SELECT id FROM documents WHERE doc_id = ?)",
                [(d,) for d in doc_ids],
            )
            self._insert_decisions(decisions)

    def _insert_decisions(
        self, decisions: Sequence[Decision], renamed: Mapping[str, str] | None = None
    ) -> None:
        """Resolution rows, under their documents' integer ids (a document stored under another id
        is in `renamed`; one the store does not have gets none), naming their entity by its number
        (schema v14)."""
        stored = renamed or {}
        numbers = self.entity_numbers(sorted({e for d in decisions for e in (d.entity_id, *d.context)}))
        self.conn.executemany(
            "INSERT OR REPLACE INTO resolutions (doc, local_id, entity, method, score, data)"
            " SELECT id, ?, ?, ?, ?, ? FROM documents WHERE doc_id = ?",
            [
                (
                    d.local_id,
                    numbers[d.entity_id],
                    d.method,
                    d.score,
                    decision_data(d, numbers),
                    stored.get(d.doc_id, d.doc_id),
                )
                for d in decisions
            ],
        )

    def entity_numbers(self, entity_ids: Iterable[str]) -> dict[str, int]:
        """The number of each of these entity ids in `entity_numbers` (schema v11), those it lacks
        numbered first, in the order given (inside the caller's transaction)."""
        wanted = list(dict.fromkeys(entity_ids))
        self.conn.executemany("INSERT OR IGNORE INTO entity_numbers (id) VALUES (?)", [(e,) for e in wanted])
        rows = self.conn.execute(
            "SELECT id, n FROM entity_numbers WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(wanted),),
        )
        return dict(rows.fetchall())

    def cluster(self, cluster_id: str) -> EventCluster | None:
        row = self.conn.execute("SELECT data FROM event_clusters WHERE id = ?", (cluster_id,)).fetchone()
        return self.with_sentences([EventCluster.from_data(unpack(row[0]))])[0] if row else None

    def with_sentences(self, clusters: Sequence[EventCluster]) -> list[EventCluster]:
        """`clusters` with the sentence of each member stored without it (schema v11, `cluster_data`)
        put back from the member's document: the text of its event's sentence span, as
        `events.cluster.member_of` made it. The corpus pass reads clusters without them (it never
        reads a sentence, and writes them back without); what shows them (`Store.cluster`,
        `clusters_with`, the timeline's entries) calls this. Changes the members in place."""
        wanted = {(m.doc_id, c.type, m.event_id) for c in clusters for m in c.members if not m.sentence}
        if wanted:
            sentences = self._event_sentences(wanted)
            for member in (m for c in clusters for m in c.members if not m.sentence):
                member.sentence = sentences.get((member.doc_id, member.event_id), "")
        return list(clusters)

    def _event_sentences(self, wanted: AbstractSet[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
        """(doc_id, event id) -> the event's sentence as a cluster member shows it, for these
        (doc_id, event type, event id). Only the document's event rows of the cluster's type are
        read (an event row's label is its type: a column, so the others are not unpacked), and the
        texts of the documents with a wanted event."""
        pairs = sorted({(doc_id, kind) for doc_id, kind, _ in wanted})
        ids = {(doc_id, event_id) for doc_id, _, event_id in wanted}
        spans: dict[tuple[str, str], list[int] | None] = {}
        stored: dict[str, bytes | str] = {}
        for chunk in range(0, len(pairs), PAGE_SIZE):
            rows = self.conn.execute(
                "SELECT d.doc_id, d.text, a.data FROM json_each(?) AS w"
                " JOIN documents AS d ON d.doc_id = json_extract(w.value, '$[0]')"
                f" JOIN annotations AS a ON a.doc = d.id AND a.layer = {EVENT}"
                " AND a.label = json_extract(w.value, '$[1]')",
                (json.dumps(pairs[chunk : chunk + PAGE_SIZE]),),
            )
            for doc_id, text, data in rows:
                event = unpack(data) or {}
                if (doc_id, event.get("id")) in ids:
                    spans[doc_id, event["id"]] = event.get("sentence")
                    stored[doc_id] = text
        texts = {doc_id: article_text(text) for doc_id, text in stored.items()}
        return {
            (doc_id, event_id): evidence_sentence(texts[doc_id], span)
            for (doc_id, event_id), span in spans.items()
        }

    def replace_clusters(self, clusters: Sequence[EventCluster], removed: Sequence[str] = ()) -> None:
        """Write clusters whose members changed (their participant rows rebuilt, so an entity that
        left a cluster no longer finds it) and delete the `removed` ones, in one transaction."""
        with self._transaction():
            gone = [(c,) for c in (*removed, *(c.id for c in clusters))]
            self.conn.executemany("DELETE FROM event_cluster_actors WHERE cluster_id = ?", gone)
            self.conn.executemany("DELETE FROM event_clusters WHERE id = ?", [(c,) for c in removed])
            self._save_clusters(clusters)

    def clear_clusters(self) -> int:
        """Delete every event cluster (before the whole store is clustered again); returns how many."""
        with self._transaction():
            count = self._count("event_clusters")
            self.conn.execute("DELETE FROM event_cluster_actors")
            self.conn.execute("DELETE FROM event_clusters")
        return count

    def delete_unused_entities(self, entity_ids: Iterable[str]) -> list[str]:
        """Delete those of `entity_ids` that no mention and no event cluster refers to any more (what
        a merge or a re-resolution left behind); returns the ids deleted."""
        with self._transaction():
            unused = [
                row[0]
                for row in self.conn.execute(
                    "SELECT e.id FROM entities AS e WHERE e.id IN (SELECT value FROM json_each(?))"
                    f" AND NOT EXISTS (SELECT 1 FROM annotations AS a WHERE a.layer = {MENTION}"
                    f" AND a.entity = {ENTITY_NUMBER.format('e.id')})"
                    " AND NOT EXISTS (SELECT 1 FROM event_cluster_actors AS c"
                    f" WHERE c.entity = {ENTITY_NUMBER.format('e.id')})",
                    (json.dumps(sorted(set(entity_ids))),),
                )
            ]
            self.conn.executemany("DELETE FROM entities WHERE id = ?", [(i,) for i in unused])
        return unused

    def release_entities(self, entity_ids: Iterable[str], doc_ids: Sequence[str]) -> list[str]:
        """Delete those of `entity_ids` that no document other than `doc_ids` mentions (they are
        about to be re-resolved: what they name will be decided again); returns the ids deleted."""
        with self._transaction():
            free = [
                row[0]
                for row in self.conn.execute(
                    "SELECT e.id FROM entities AS e WHERE e.id IN (SELECT value FROM json_each(?1))"
                    f" AND NOT EXISTS (SELECT 1 FROM annotations AS a WHERE a.layer = {MENTION}"
                    f" AND a.entity = {ENTITY_NUMBER.format('e.id')}"
                    " AND a.doc NOT IN (SELECT id FROM documents"
                    " WHERE doc_id IN (SELECT value FROM json_each(?2))))",
                    (json.dumps(sorted(set(entity_ids))), json.dumps(list(doc_ids))),
                )
            ]
            self.conn.executemany("DELETE FROM entities WHERE id = ?", [(i,) for i in free])
        return free

    def existing_entities(self, entity_ids: Iterable[str]) -> set[str]:
        """Those of `entity_ids` the store has."""
        rows = self.conn.execute(
            "SELECT id FROM entities WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(entity_ids))),),
        )
        return {row[0] for row in rows}

    def refresh_aliases(self, entity_ids: Iterable[str]) -> None:
        """Set the aliases of these entities to the names their mentions are written with now: after
        a split, the names that left an entity must no longer find it."""
        with self._transaction():
            self.conn.execute(
                "UPDATE entities SET aliases = (SELECT json_group_array(text) FROM (SELECT DISTINCT"
                " json_extract(ng_json(a.data), '$.text') AS text FROM annotations AS a"
                f" WHERE a.layer = {MENTION} AND a.entity = {ENTITY_NUMBER.format('entities.id')}"
                " ORDER BY 1)) WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(set(entity_ids))),),
            )

    def documents_mentioning(self, entity_ids: Iterable[str]) -> list[str]:
        """Ids of the documents with a mention of any of these entities."""
        rows = self.conn.execute(
            "SELECT DISTINCT d.doc_id FROM annotations AS a JOIN documents AS d ON d.id = a.doc"
            f" WHERE a.layer = {MENTION}"
            f" AND a.entity IN {ENTITY_NUMBERS_IN.format('SELECT value FROM json_each(?)')}"
            " ORDER BY d.doc_id",
            (json.dumps(sorted(set(entity_ids))),),
        )
        return [row[0] for row in rows]

    def entities_with_keys(self, keys: Iterable[str]) -> list[str]:
        """Ids of the entities with a name under any of these blocking keys."""
        rows = self.conn.execute(
            "SELECT DISTINCT entity_id FROM entity_keys WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(keys))),),
        )
        return [row[0] for row in rows]

    def _upsert_entities(self, doc: Document) -> None:
        # an entity seen again keeps its id; names and types follow the latest document, aliases
        # accumulate, a known wikidata id is never erased
        self.conn.executemany(
            "INSERT INTO entities (id, name, type, wikidata, aliases, data) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type,"
            " wikidata = coalesce(excluded.wikidata, wikidata),"
            " aliases = (SELECT json_group_array(value) FROM (SELECT value FROM json_each(entities.aliases)"
            "            UNION SELECT value FROM json_each(excluded.aliases))),"
            " data = json_patch(data, excluded.data)",
            entity_rows(doc),
        )

    def _save_entities(self, known: Sequence[KnownEntity]) -> None:
        stored = self._stored_forms([k.id for k in known])
        self.conn.executemany(
            "INSERT INTO entities (id, name, type, wikidata, aliases, data) VALUES (?, ?, ?, ?, '[]', ?)"
            " ON CONFLICT (id) DO UPDATE SET data = excluded.data,"
            " wikidata = coalesce(excluded.wikidata, wikidata)",
            [(k.id, k.name, k.type, k.wikidata, to_json(k.to_data())) for k in known],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?, ?)",
            [
                (key, k.id)
                for k in known
                for form in {k.name, *k.forms} - stored.get(k.id, set())
                for key in name_keys(form, None)
            ],
        )

    def _stored_forms(self, entity_ids: Sequence[str]) -> dict[str, set[str]]:
        """The forms the resolver's memory already holds for these entities: their blocking keys were
        written when they were saved, so only the other forms need keys (an entity seen again in
        every batch would otherwise have the keys of all its names computed and written again). The
        entity's name is not among them: `_upsert_entities` may have renamed it since."""
        out: dict[str, set[str]] = {}
        for chunk in range(0, len(entity_ids), 500):
            rows = self.conn.execute(
                "SELECT e.id, f.key FROM entities AS e, json_each(e.data, '$.forms') AS f"
                " WHERE e.id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(entity_ids[chunk : chunk + 500])),),
            )
            for entity_id, form in rows:
                out.setdefault(entity_id, set()).add(form)
        return out

    def _save_clusters(self, clusters: Sequence[EventCluster]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO event_clusters (id, type, block, date, data, planned, confidence,"
            " window_start, window_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.id,
                    c.type,
                    _block(c.key),
                    c.date.value if c.date else None,
                    cluster_data(c),
                    c.planned,
                    c.confidence,
                    c.window[0].isoformat() if c.window else None,
                    c.window[1].isoformat() if c.window else None,
                )
                for c in clusters
            ],
        )
        self._insert_actors(clusters)

    def _insert_actors(self, clusters: Sequence[EventCluster]) -> None:
        """The participant rows of these clusters, each naming its entity by its number (schema v14)."""
        numbers = self.entity_numbers(actor for c in clusters for actor in c.participants)
        self.conn.executemany(
            "INSERT OR IGNORE INTO event_cluster_actors (cluster_id, entity) VALUES (?, ?)",
            [(c.id, numbers[actor]) for c in clusters for actor in c.participants],
        )

    def clusters_in_blocks(self, keys: Iterable[BlockKey]) -> list[EventCluster]:
        """Every stored event cluster with these (type, actor ids) keys, each block's in the order
        they were stored (a block grows with the corpus: the corpus pass reads `clusters_near`)."""
        blocks = sorted({_block(k) for k in keys})
        rows: list[tuple[str, int, str]] = []
        for chunk in range(0, len(blocks), 500):
            part = blocks[chunk : chunk + 500]
            rows += self.conn.execute(
                f"SELECT block, rowid, data FROM event_clusters WHERE block IN ({','.join('?' * len(part))})",
                part,
            ).fetchall()
        return [EventCluster.from_data(unpack(data)) for _, _, data in sorted(rows)]

    def clusters_near(
        self, ranges: Mapping[BlockKey, Sequence[Interval]], held: AbstractSet[str] = frozenset()
    ) -> list[EventCluster]:
        """The stored clusters of these blocks that have no window, or one that overlaps one of the
        block's intervals, but those whose ids are `held`; each block's in the order they were stored.

        A window spans at most `WIDEST_WINDOW_DAYS`, so one that overlaps [first, last] ends between
        first and last + that: a range of the (block, window_end) index, whatever the block's size.
        """
        found: dict[int, tuple[str, str, str]] = {}
        for key, intervals in ranges.items():
            block = _block(key)
            queries: list[tuple[str, tuple[str, ...]]] = [
                (
                    "SELECT rowid, id, data FROM event_clusters WHERE block = ? AND window_end IS NULL",
                    (block,),
                )
            ]
            for first, last in merged(intervals):
                reach = (last + timedelta(days=WIDEST_WINDOW_DAYS)).isoformat()
                queries.append(
                    (
                        "SELECT rowid, id, data FROM event_clusters WHERE block = ? AND window_end >= ?"
                        " AND window_end <= ? AND window_start <= ?",
                        (block, first.isoformat(), reach, last.isoformat()),
                    )
                )
            for sql, params in queries:
                for rowid, cluster_id, data in self.conn.execute(sql, params):
                    if cluster_id not in held:
                        found[rowid] = (block, cluster_id, data)
        ordered = sorted(found.items(), key=lambda item: (item[1][0], item[0]))
        return [EventCluster.from_data(unpack(data)) for _, (_, _, data) in ordered]

    def dated_clusters(self, key: BlockKey) -> Iterator[EventCluster]:
        """The stored clusters of the block that have a window, read one at a time (an undated
        report's choice is often settled by the first two)."""
        cursor = self.conn.execute(
            "SELECT data FROM event_clusters WHERE block = ? AND window_end IS NOT NULL", (_block(key),)
        )
        try:
            for (data,) in cursor:
                yield EventCluster.from_data(unpack(data))
        finally:
            cursor.close()

    def signed_documents(
        self, doc_ids: Sequence[str]
    ) -> list[tuple[Document, str, str | None, float | None]]:
        """(document without its annotation rows, canonical, day, similarity) of those of `doc_ids`
        that have a near-duplicate row: what `StoryStore.printed` signs again. The rows are left
        out because a signature reads only the text, the body, the boilerplate and the title."""
        out = []
        for chunk in range(0, len(doc_ids), PAGE_SIZE):
            columns = ", ".join(f"d.{c}" for c in ("id", *DOCUMENT_COLUMNS, "record", "text"))
            rows = self.conn.execute(
                f"SELECT {columns}, n.canonical, n.day, n.similarity FROM near_duplicates AS n"
                " JOIN documents AS d ON d.doc_id = n.doc_id"
                " WHERE n.doc_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(doc_ids[chunk : chunk + PAGE_SIZE])),),
            )
            for *row, canonical, day, similar in rows:
                out.append((_document(row, ()), canonical, day, similar))
        return out

    def stored_documents(self, doc_ids: Iterable[str]) -> set[str]:
        """Those of these document ids the store has."""
        rows = self.conn.execute(
            "SELECT doc_id FROM documents WHERE doc_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(doc_ids))),),
        )
        return {row[0] for row in rows}

    def line_keys(self, outlet: str, hashes: Sequence[str]) -> dict[str, set[str]]:
        """For each of these line hashes the outlet printed before: the keys of the articles that did."""
        out: dict[str, set[str]] = {}
        for chunk in range(0, len(hashes), 500):
            part = list(hashes[chunk : chunk + 500])
            rows = self.conn.execute(
                "SELECT line_hash, doc_key FROM outlet_lines WHERE outlet = ?"
                f" AND line_hash IN ({','.join('?' * len(part))})",
                [outlet, *part],
            )
            for line_hash, key in rows:
                out.setdefault(line_hash, set()).add(key)
        return out

    def corpus_state(self, name: str) -> Any:
        """A piece of corpus-wide state saved with the batches (`add_documents(state=...)`), or None."""
        row = self.conn.execute("SELECT data FROM corpus_state WHERE name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else None

    def clusters_with(self, entity_ids: Sequence[str]) -> list[EventCluster]:
        """The stored event clusters in which any of these entities takes part."""
        marks = ",".join("?" * len(entity_ids))
        rows = self.conn.execute(
            "SELECT data FROM event_clusters WHERE id IN (SELECT cluster_id FROM event_cluster_actors"
            f" WHERE entity IN {ENTITY_NUMBERS_IN.format(marks)})",
            list(entity_ids),
        )
        return self.with_sentences([EventCluster.from_data(unpack(r[0])) for r in rows])

    # ------------------------------------------------------------------ the resolver's memory
    def entities_by_keys(self, keys: Sequence[str]) -> list[KnownEntity]:
        """Entities with a name under any of the blocking `keys` (see `newsgraph.entities.index`)."""
        out: dict[str, KnownEntity] = {}
        for chunk in range(0, len(keys), 500):
            part = list(keys[chunk : chunk + 500])
            marks = ",".join("?" * len(part))
            for row in self.conn.execute(
                "SELECT e.id, e.name, e.type, e.wikidata, e.data FROM entities AS e WHERE e.id IN"
                f" (SELECT entity_id FROM entity_keys WHERE key IN ({marks}))",
                part,
            ):
                out[row[0]] = KnownEntity.from_data(row[0], row[1], row[2], row[3], json.loads(row[4]))
        return list(out.values())

    def known_entity(self, entity_id: str) -> KnownEntity | None:
        row = self.conn.execute(
            "SELECT id, name, type, wikidata, data FROM entities WHERE id = ?", (entity_id,)
        ).fetchone()
        return KnownEntity.from_data(row[0], row[1], row[2], row[3], json.loads(row[4])) if row else None

    def resolutions(self, entity_id: str) -> list[dict[str, Any]]:
        """The decisions that gave documents' clusters this entity id, most recent documents last."""
        rows = self.conn.execute(
            "SELECT d.doc_id, r.local_id, ?1, r.method, r.score, r.data FROM resolutions AS r"
            f" JOIN documents AS d ON d.id = r.doc WHERE r.entity = {ENTITY_NUMBER.format('?1')}"
            " ORDER BY d.doc_id",
            (entity_id,),
        ).fetchall()
        numbers = sorted(context_numbers(rows))
        ids = dict(
            self.conn.execute(
                "SELECT n, id FROM entity_numbers WHERE n IN (SELECT value FROM json_each(?))",
                (json.dumps(numbers),),
            ).fetchall()
        )
        return [
            decision_record(d, local, e, method, score, data, ids)
            for d, local, e, method, score, data in rows
        ]

    def overrides(self) -> dict[str, str]:
        """The user's corrections: normal form of a name -> the entity it must resolve to."""
        return dict(self.conn.execute("SELECT form, entity_id FROM entity_overrides").fetchall())

    def add_overrides(self, forms: Iterable[str], entity_id: str, action: str) -> None:
        with self._transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO entity_overrides (form, entity_id, action, made_at)"
                " VALUES (?, ?, ?, ?)",
                [(f, entity_id, action, _now()) for f in forms],
            )

    def transaction(self) -> _Transaction:
        """`with store.transaction():` one write transaction around several calls: the store's own
        writes inside it join it instead of committing on their own (corrections rewrite documents,
        entities, decisions and clusters all at once, or nothing)."""
        return _Transaction(self.conn)

    def _transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def _add_errors(self, source: str | None, doc_id: str, messages: Sequence[str], at: str) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO errors (source, doc_id, message, at) VALUES (?, ?, ?, ?)",
            [(source, doc_id, message, at) for message in messages],
        )

    # ------------------------------------------------------------------ reading
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The subset of `hashes` already stored (to skip annotating documents the store has)."""
        rows = self.conn.execute(
            "SELECT content_hash FROM documents WHERE content_hash IN (SELECT value FROM json_each(?))",
            (json.dumps(list(hashes)),),
        )
        return {digest for (digest,) in rows}

    def get(self, doc_id: str) -> Document | None:
        row = self.conn.execute(f"{SELECT_DOCUMENT} WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        doc = _document(row, self._rows_of([row[0]]).get(row[0], []))
        follow_story_redirects(self.conn, [doc])
        return doc

    def _rows_of(self, keys: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
        """The annotation rows of these documents (by integer id), (layer, start, end, label, entity,
        data) in the order they were written: what their stored records lack. The layer's code and
        the entity's number (schema v11) are read back as the layer's name and the entity id."""
        out: dict[int, list[tuple[Any, ...]]] = {}
        rows = self.conn.execute(
            'SELECT a.doc, a.layer, a.start, a."end", a.label, x.id, a.data FROM annotations AS a'
            " LEFT JOIN entity_numbers AS x ON x.n = a.entity"
            " WHERE a.doc IN (SELECT value FROM json_each(?)) ORDER BY a.doc, a.seq",
            (json.dumps(list(keys)),),
        )
        for key, layer, *row in rows:
            out.setdefault(key, []).append((LAYER_NAMES[layer], *row))
        return out

    def iter_documents(
        self, lang: str | None = None, since: DateBound | None = None, until: DateBound | None = None
    ) -> Iterator[Document]:
        """Documents in storage order, read a page at a time (no read transaction is held between pages)."""
        condition, params = published_filter(since, until)
        if lang is not None:
            condition += " AND lang = ?"
            params.append(lang)
        query = f"{SELECT_DOCUMENT} WHERE id > ? AND {condition} ORDER BY id LIMIT ?"
        last = 0
        while True:
            page = self.conn.execute(query, (last, *params, PAGE_SIZE)).fetchall()
            rows = self._rows_of([row[0] for row in page])
            docs = [_document(row, rows.get(row[0], [])) for row in page]
            follow_story_redirects(self.conn, docs)
            yield from docs
            if len(page) < PAGE_SIZE:
                return
            last = page[-1][0]

    def search(
        self,
        query: str,
        lang: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        limit: int = 20,
        mode: str = NAMES,
    ) -> list[SearchHit]:
        """Full-text search over titles and bodies; query rules in `newsgraph.store.query`.

        `mode` "names" (the default): a term that names an entity also finds its other names and
        forms (other scripts, inflections); "text": only the words typed."""
        if mode not in SEARCH_MODES:
            raise ValueError(f"{mode!r} is not a search mode: use one of {', '.join(SEARCH_MODES)}")
        match = fts_query(query, self.name_forms if mode == NAMES else None)
        if match is None:
            return []
        condition, params = published_filter(since, until, "d.published")
        if lang is not None:
            condition += " AND d.lang = ?"
            params.append(lang)
        rows = self.conn.execute(
            "SELECT d.doc_id, d.title, d.lang, d.published,"
            f" snippet(documents_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}),"
            f" bm25(documents_fts, {TITLE_WEIGHT}, 1.0) AS score"
            " FROM documents_fts JOIN documents AS d ON d.id = documents_fts.rowid"
            f" WHERE documents_fts MATCH ? AND {condition} ORDER BY score LIMIT ?",
            (*HIGHLIGHT, match, *params, limit),
        )
        return [SearchHit(*row) for row in rows]

    def name_forms(self, name: str) -> list[str]:
        """The names and forms, as the stored articles write them, of the entities `name` names:
        its spellings in other scripts and its inflections ("Blinken" -> "Блинкена", "Ławrowem" ->
        "Lavrov"), the most frequent first. A name names an entity when one of the entity's names
        scores `SIMILAR_NAME` with it and is not shorter (a surname names the person; "Blinken
        Herzog" names nobody). A typed name is also read without the case endings of every language
        with inflection rules (`names.inflection_readings`)."""
        entities = self._named_by(name)
        forms: Counter[str] = Counter()
        for known in entities:
            forms.update({known.name: 0})
            forms.update(known.forms)
        return [form for form, _ in forms.most_common(MAX_SEARCH_FORMS)]

    def _named_by(self, name: str) -> list[KnownEntity]:
        readings = inflection_readings(name)
        keys: set[str] = set()
        for reading in readings:
            keys |= name_keys(reading)
        if not keys:
            return []
        out = []
        for known in self.entities_by_keys(sorted(keys)):
            for form in (known.name, *known.matching_forms()):
                if name_length(name) > name_length(form):
                    continue
                if any(name_similarity(reading, form).score >= SIMILAR_NAME for reading in readings):
                    out.append(known)
                    break
        return out

    def stats(self) -> dict[str, Any]:
        def counts(query: str) -> dict[str, int]:
            return {key: n for key, n in self.conn.execute(query)}

        page_count = self.conn.execute("PRAGMA page_count").fetchone()[0]
        page_size = self.conn.execute("PRAGMA page_size").fetchone()[0]
        return {
            "documents": self._count("documents"),
            "languages": counts(
                "SELECT coalesce(lang, 'unknown'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            "months": counts(
                "SELECT substr(published, 1, 7), count(*) FROM documents"
                " WHERE published IS NOT NULL GROUP BY 1 ORDER BY 1"
            ),
            "annotations": self._layer_counts(),
            "entities": self._count("entities"),
            "errors": self._count("errors"),
            "db_bytes": page_count * page_size,
        }

    def _layer_counts(self) -> dict[str, int]:
        """Annotations per layer, those kept as rows and those kept in the records (layers with none
        left out), by layer name."""
        found = {
            LAYER_NAMES[code]: n
            for code, n in self.conn.execute("SELECT layer, count(*) FROM annotations GROUP BY layer")
        }
        fields = [(name.removesuffix("s"), name) for name in RECORD_FIELDS]
        # from each document's counts (a column), not by unpacking every record
        total = ", ".join(f"sum(json_extract(layer_counts, '$[{i}]'))" for i in range(len(fields)))
        sums = self.conn.execute(f"SELECT {total} FROM documents").fetchone()
        found.update({layer: n or 0 for (layer, _), n in zip(fields, sums, strict=True)})
        return {layer: found[layer] for layer in sorted(found) if found[layer]}

    def _count(self, table: str) -> int:
        n: int = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return n

    def errors(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Recorded errors, oldest first; with `limit`, only the most recent ones."""
        cursor = self.conn.execute(
            "SELECT * FROM (SELECT id, source, doc_id, message, at FROM errors ORDER BY id DESC LIMIT ?)"
            " ORDER BY id",
            (-1 if limit is None else limit,),
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]


def _block(key: BlockKey) -> str:
    kind, actors = key
    return "|".join((kind, *actors))


class _Transaction:
    """`with store._transaction():` BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error. Inside a
    transaction already open, it joins it: the outer one commits or rolls back everything."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        self.outer = not self.conn.in_transaction
        if self.outer:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.outer:
            return
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


def _storable(value: str | None) -> str | None:
    """`value` with what SQLite cannot take as text (lone surrogates) escaped, for error records."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8") if value is not None else None


def _document(row: Sequence[Any], rows: Iterable[tuple[Any, ...]]) -> Document:
    """A stored document (a `SELECT_DOCUMENT` row: its columns, its packed record and text) with its
    annotation rows put back in."""
    *columns, record, text = row[1:]
    named = dict(zip(DOCUMENT_COLUMNS, columns, strict=True))
    return Document.from_record(with_rows(unpack(record), article_text(text), rows, named))


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """The intervals with those that overlap or touch joined: one index range each."""
    out: list[Interval] = []
    for first, last in sorted(intervals):
        if out and first <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out

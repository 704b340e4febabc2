"""Stories and near-duplicates in the store: what the corpus pass reads and writes, and the queries.

The corpus pass reads only what a batch could join (`StoryStore`): the signatures of documents
sharing an LSH band with the batch's, and the stories sharing an entity with its articles (each
entity's most recently updated ones) or updated most recently. A batch therefore costs the same
however large the store is, and stored stories are never re-clustered: a batch adds to them, the
stories it started can merge into any, and two stored stories that both grew in the batch merge
only under the stricter test of `StoryIndex.merge_established`; the absorbed one's members move to
the survivor and its id redirects there (`story_redirects`, schema v13). What it learnt
(`CorpusRows`) is written in the batch's transaction (`save_corpus_rows`).

Queries, for the CLI, the API and the web pages (field names are a contract, keep them):
`list_stories(store, ...)` -> {"total", "limit", "offset", "items": [STORY_SUMMARY, ...]} and
`story(store, story_id)` -> STORY_SUMMARY with "articles", "events" and "framing".

Reports are counted by distinct text: the view `document_texts (doc_id, canonical)` gives each
document its canonical text, and `distinct_texts(store, doc_ids)` counts them.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from newsgraph.model import Document
from newsgraph.stories.duplicates import Found, Printed, signature
from newsgraph.stories.embed import DIMENSIONS
from newsgraph.stories.features import entity_key, entity_keys, entity_salience
from newsgraph.stories.group import Story, StoryIndex, StoryParams

if TYPE_CHECKING:
    from newsgraph.store.db import Store

COUNTERS = "stories"  # name of the story counters (documents, seq) in `corpus_state`
LABEL_ENTITIES = 3  # names in a story's label
SUMMARY_ENTITIES = 5  # entities listed with a story
MAX_EVENTS = 200  # timeline entries of one story (the earliest)
CHUNK = 500  # values per SQL IN list
# A story's centroid as stored: half precision (1 KB for 512 dimensions instead of 2). A centroid is
# a mean of unit vectors whose parts are about 0.04; float16 keeps them to 1 part in 2,000, so a
# cosine moves by about 1e-4 (docs/BENCHMARKS.md, "Issue 14: store size, session 4", for how
# often an assignment changed). Centroids written before in float32 still read (by their length).
CENTROID_DTYPE = np.float16


def stored_centroid(blob: bytes) -> np.ndarray:
    """A stored centroid as the story index computes with it (float32), whether it was written in
    half precision (`CENTROID_DTYPE`) or, before, in float32 (twice as many bytes)."""
    dtype = np.float16 if len(blob) == DIMENSIONS * np.dtype(np.float16).itemsize else np.float32
    return np.frombuffer(blob, dtype=dtype).astype(np.float32)


@dataclass
class CorpusRows:
    """What the corpus pass learnt about copies and stories from one batch, to store with it."""

    duplicates: Found = field(default_factory=Found)
    stories: list[Story] = field(default_factory=list)  # stories the batch changed, whole
    members: dict[str, str] = field(default_factory=dict)  # doc_id -> story id
    entity_documents: Counter[str] = field(default_factory=Counter)  # increments
    counters: dict[str, Any] = field(default_factory=dict)  # documents, seq
    # story id -> the name keys it is posted under (`story_keys`), as the index keyed its entities;
    # a story left out is keyed by its entities' stored names
    keys: dict[str, set[str]] = field(default_factory=dict)
    # absorbed story id -> the story that absorbed it (chains resolved): a stored one's members and
    # postings move, and its id redirects (`story_redirects`); one the batch started was never stored
    merged: dict[str, str] = field(default_factory=dict)


def corpus_rows(index: StoryIndex, found: Found) -> CorpusRows:
    """The rows to store for what `index` and `found` learnt since the index was last cleaned."""
    stories = [index.stories[i] for i in sorted(index.touched) if i in index.stories]
    return CorpusRows(
        found,
        stories,
        dict(index.new_members),
        Counter(index.new_entity_documents),
        _counters(index),
        {story.id: posted_keys(index, story) for story in stories},
        dict(index.merged),
    )


def posted_keys(index: StoryIndex, story: Story) -> set[str]:
    """The name keys `story` is posted under: those of its entities as `index` keys them (from the
    articles' names, or the stored names of a loaded story's entities), whether or not the index
    compares by name key (the rows serve any index); an entity keyed by its id has none."""
    return {key for e in story.entities if (key := index.entity_keys.get(e) or entity_key(e)) != e}


def _counters(index: StoryIndex) -> dict[str, Any]:
    return {"documents": index.documents, "seq": index.seq}


def save_corpus_rows(conn: sqlite3.Connection, rows: CorpusRows, renamed: Mapping[str, str]) -> None:
    """Write `rows` inside the caller's transaction; rows of documents the store did not keep (an exact
    copy it already had) are left out, and renamed documents are written under their stored id."""

    def stored(doc_id: str) -> str:
        return renamed.get(doc_id, doc_id)

    exists = "WHERE EXISTS (SELECT 1 FROM documents WHERE doc_id = ?)"
    conn.executemany(
        "INSERT OR REPLACE INTO near_duplicates (doc_id, canonical, similarity, day)"
        f" SELECT ?, ?, ?, ? {exists}",
        [
            (stored(r.doc_id), stored(r.canonical), r.similarity, r.day, stored(r.doc_id))
            for r in rows.duplicates.rows
        ],
    )
    conn.executemany(  # by the document's integer id (schema v9)
        "INSERT OR IGNORE INTO minhash_bands (band_key, doc) SELECT ?, id FROM documents WHERE doc_id = ?",
        [(key, stored(d)) for key, d in rows.duplicates.bands],
    )
    _move_absorbed(conn, rows.merged)
    for story in rows.stories:
        _save_story(conn, story)
    _post_keys(conn, {story.id: rows.keys.get(story.id) for story in rows.stories})
    conn.executemany(
        f"INSERT OR REPLACE INTO story_members (doc_id, story_id) SELECT ?, ? {exists}",
        [(stored(d), s, stored(d)) for d, s in rows.members.items()],
    )
    conn.executemany(
        "INSERT INTO entity_documents (entity_id, documents) VALUES (?, ?)"
        " ON CONFLICT (entity_id) DO UPDATE SET documents = documents + excluded.documents",
        sorted(rows.entity_documents.items()),
    )
    if rows.counters:
        conn.execute(
            "INSERT OR REPLACE INTO corpus_state (name, data) VALUES (?, ?)",
            (COUNTERS, json.dumps(rows.counters)),
        )


def _move_absorbed(conn: sqlite3.Connection, merged: Mapping[str, str]) -> None:
    """Stored stories absorbed by another in this batch: their members move to the survivor, their
    rows and postings go (the survivor's, written next, count them in), and their ids redirect to
    the survivor, as do the ids that redirected to them. A story the batch started and merged was
    never stored: nothing to move, no redirect."""
    for absorbed, survivor in sorted(merged.items()):
        if conn.execute("SELECT 1 FROM stories WHERE id = ?", (absorbed,)).fetchone() is None:
            continue
        conn.execute("UPDATE story_members SET story_id = ? WHERE story_id = ?", (survivor, absorbed))
        conn.execute("UPDATE story_redirects SET story_id = ? WHERE story_id = ?", (survivor, absorbed))
        conn.execute(
            "INSERT OR REPLACE INTO story_redirects (id, story_id) VALUES (?, ?)", (absorbed, survivor)
        )
        conn.execute("DELETE FROM story_entities WHERE story_id = ?", (absorbed,))
        conn.execute("DELETE FROM story_keys WHERE story_id = ?", (absorbed,))
        conn.execute("DELETE FROM stories WHERE id = ?", (absorbed,))


def current_story_id(conn: sqlite3.Connection, story_id: str) -> str:
    """The id a stored story goes by now: its own, or that of the story that absorbed it."""
    row = conn.execute("SELECT story_id FROM story_redirects WHERE id = ?", (story_id,)).fetchone()
    return str(row[0]) if row else story_id


def follow_story_redirects(conn: sqlite3.Connection, docs: Sequence[Document]) -> None:
    """Give stored documents whose story was absorbed after they were stored (their packed record
    keeps the id it had then) the id of the story that absorbed it."""
    ids = sorted({doc.story for doc in docs if doc.story})
    moved = dict(_rows_in(conn, "SELECT id, story_id FROM story_redirects WHERE id IN ({})", ids))
    for doc in docs:
        if doc.story in moved:
            doc.story = moved[doc.story]


def _save_story(conn: sqlite3.Connection, story: Story) -> None:
    """One story's row and its entity postings (rewritten: its recency changed)."""
    data = story.to_data()
    conn.execute(
        "INSERT OR REPLACE INTO stories (id, first_day, last_day, last_seq, size, documents, centroid, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            story.id,
            data["first_day"],
            data["last_day"],
            story.last_seq,
            story.size,
            story.documents,
            np.asarray(story.centroid, dtype=CENTROID_DTYPE).tobytes(),
            json.dumps({k: data[k] for k in ("languages", "outlets", "titles")}, ensure_ascii=False),
        ),
    )
    conn.execute("DELETE FROM story_entities WHERE story_id = ?", (story.id,))
    conn.executemany(
        "INSERT INTO story_entities (entity_id, story_id, n, last_seq) VALUES (?, ?, ?, ?)",
        [(e, story.id, n, story.last_seq) for e, n in story.entities.items()],
    )


def _post_keys(conn: sqlite3.Connection, keys: Mapping[str, set[str] | None]) -> None:
    """Bring the key postings of these stories to `keys` (story id -> its keys; None: the keys of its
    stored entities' stored names), writing only the keys a story gained or lost: a story's keys
    change far less often than its members, and most stories of a batch gain none."""
    ids = sorted(keys)
    posted: dict[str, set[str]] = {story_id: set() for story_id in ids}
    for story_id, key in _rows_in(conn, "SELECT story_id, key FROM story_keys WHERE story_id IN ({})", ids):
        posted[story_id].add(key)
    unknown = [story_id for story_id in ids if keys[story_id] is None]
    stored: dict[str, set[str]] = {story_id: set() for story_id in unknown}
    sql = (
        "SELECT e.story_id, ng_story_key(e.entity_id, x.name) FROM story_entities AS e"
        " LEFT JOIN entities AS x ON x.id = e.entity_id WHERE e.story_id IN ({})"
    )
    for story_id, key in _rows_in(conn, sql, unknown):
        if key is not None:
            stored[story_id].add(key)
    wanted = {s: stored[s] if s in stored else keys[s] or set() for s in ids}
    conn.executemany(
        "INSERT OR IGNORE INTO story_keys (key, story_id) VALUES (?, ?)",
        sorted((key, s) for s in ids for key in wanted[s] - posted[s]),
    )
    conn.executemany(
        "DELETE FROM story_keys WHERE key = ? AND story_id = ?",
        sorted((key, s) for s in ids for key in posted[s] - wanted[s]),
    )


def follow_reresolution(conn: sqlite3.Connection, changed: Mapping[str, tuple[set[str], set[str]]]) -> int:
    """After a correction re-resolved documents (`store.corrections`): the entity postings of their
    stories and the entities' document counts follow the ids their mentions carry now, inside the
    caller's transaction, so that `stories --entity` finds a merged entity's stories at once, not
    after the next ingest that touches them. `changed`: doc_id -> (entity ids before, after).

    A story counts each of its distinct texts' entities once (a copy adds none), so copies of
    another text are left out; a count that reaches zero loses its row. A story keeps only its
    most frequent entities, so an entity moving out of a pruned tail has no row to lower, and one
    moving in starts at the count of the documents moved. Returns the postings changed.
    """
    docs = sorted(d for d, (old, new) in changed.items() if old != new)
    members: dict[str, str] = dict(
        _rows_in(
            conn,
            "SELECT m.doc_id, m.story_id FROM story_members AS m"
            " LEFT JOIN near_duplicates AS n ON n.doc_id = m.doc_id"
            " WHERE m.doc_id IN ({}) AND (n.canonical IS NULL OR n.canonical = m.doc_id)",
            docs,
        )
    )
    postings: Counter[tuple[str, str]] = Counter()  # (entity, story) -> change of its count
    documents: Counter[str] = Counter()  # entity -> change of its document count
    for doc_id, story_id in members.items():
        old, new = changed[doc_id]
        for entity in old - new:
            postings[entity, story_id] -= 1
            documents[entity] -= 1
        for entity in new - old:
            postings[entity, story_id] += 1
            documents[entity] += 1
    moved = {key: n for key, n in postings.items() if n}
    conn.executemany(
        "INSERT INTO story_entities (entity_id, story_id, n, last_seq)"
        " SELECT ?, ?, ?, last_seq FROM stories WHERE id = ? AND ? > 0"
        " ON CONFLICT (entity_id, story_id) DO UPDATE SET n = n + excluded.n",
        [(e, s, n, s, n) for (e, s), n in sorted(moved.items()) if n > 0],
    )
    conn.executemany(
        "UPDATE story_entities SET n = n + ? WHERE entity_id = ? AND story_id = ?",
        [(n, e, s) for (e, s), n in sorted(moved.items()) if n < 0],
    )
    conn.execute("DELETE FROM story_entities WHERE n <= 0")
    conn.executemany(
        "INSERT INTO entity_documents (entity_id, documents) SELECT ?, ? WHERE ? > 0"
        " ON CONFLICT (entity_id) DO UPDATE SET documents = max(0, documents + excluded.documents)",
        [(e, n, n) for e, n in sorted(documents.items()) if n > 0],
    )
    conn.executemany(
        "UPDATE entity_documents SET documents = max(0, documents + ?) WHERE entity_id = ?",
        [(n, e) for e, n in sorted(documents.items()) if n < 0],
    )
    _post_keys(conn, dict.fromkeys(sorted({s for _, s in moved}), None))  # keys of their new entities
    return len(moved)


class StoryStore:
    """The store as the corpus pass's memory of copies and stories (reads only)."""

    def __init__(self, store: Store):
        self.conn = store.conn
        self.store = store

    # ------------------------------------------------------------------ copies (DuplicateMemory)
    def band_members(self, keys: Sequence[int]) -> set[str]:
        sql = (
            "SELECT d.doc_id FROM minhash_bands AS b JOIN documents AS d ON d.id = b.doc"
            " WHERE b.band_key IN ({})"
        )
        return {doc_id for (doc_id,) in _rows_in(self.conn, sql, keys)}

    def printed(self, doc_ids: Iterable[str]) -> dict[str, Printed]:
        """The stored documents among `doc_ids` that were signed, each signed again from its stored
        text, body and boilerplate (schema v11 keeps no signature: 512 bytes a document, for the few
        that share a band with a new one). MinHash is deterministic and the stored document is the
        one that was signed, so the signature is the one computed at ingest. A document that signs
        as too short now (it cannot: its text is never rewritten) is left out."""
        found = self.store.signed_documents(sorted(set(doc_ids)))
        out = {}
        for doc, canonical, day, similar in found:
            sig = signature(doc)
            if sig is not None:
                out[doc.doc_id] = Printed(doc.doc_id, sig, canonical, day, similar)
        return out

    def group(self, canonical: str) -> list[str]:
        rows = self.conn.execute("SELECT doc_id FROM near_duplicates WHERE canonical = ?", (canonical,))
        return [doc_id for (doc_id,) in rows]

    # ------------------------------------------------------------------ stories
    def index(self, params: StoryParams | None = None) -> StoryIndex:
        """An empty working index carrying the store's counters (documents, arrival number)."""
        index = StoryIndex(params)
        index.frequencies = self.entity_documents  # for stories compared whole (`merge_established`)
        self.upgrade_legacy()
        counters = self.store.corpus_state(COUNTERS) or {}
        index.documents = int(counters.get("documents", 0))
        index.seq = int(counters.get("seq", 0))
        return index

    def prepare(self, index: StoryIndex, docs: Sequence[Document], matched: Mapping[str, str]) -> None:
        """Load into `index` what the batch's articles could join: the document frequencies of their
        entities; for their most telling name keys (`StoryIndex.salient_keys`), the most recently
        updated stories counting each id of the key and those posted under the key (a story that
        knows the person under another id, of another script or inflection, however old); the most
        recently updated stories; and the stories of the documents they copy."""
        saliences = [entity_salience(doc) for doc in docs]
        entities = sorted({e for s in saliences for e in s} - index.loaded_entities)
        index.entity_documents.update(self.entity_documents(entities))  # once per entity and index
        index.loaded_entities.update(entities)
        p = index.params
        wanted: set[str] = set()
        keys: set[str] = set()
        for doc, salience in zip(docs, saliences, strict=True):
            ids, names = index.blocking(salience, entity_keys(doc))
            wanted.update(ids)
            keys.update(names)
        ids = self._recent_ids(p.recent_stories)
        for entity in sorted(wanted):
            ids.update(self._entity_story_ids(entity, p.entity_stories))
        stories = self.conn.execute("SELECT count(*) FROM stories").fetchone()[0] if keys else 0
        for key in sorted(keys):
            ids.update(self._key_story_ids(key, p.entity_stories, stories))
        members = self.members(sorted(set(matched.values())))
        index.members.update(members)
        ids.update(members.values())
        loaded = self.stories(sorted(ids - set(index.stories)))
        index.load(loaded)
        self.name_keys(index, loaded, {e for s in saliences for e in s})

    def name_keys(self, index: StoryIndex, stories: Sequence[Story], named: set[str]) -> None:
        """Give `index` the name keys of the loaded stories' entities, read from the names the store
        keeps for them, as an in-memory run reads them from the articles' entity tables. Without
        them an id met without its name is keyed from its slug, which splits a Cyrillic name at the
        soft sign ("naval-nyy"), so two ids of one person would count as two names. The ids the
        batch names (`named`) get their keys from the batch's articles."""
        unknown = sorted({e for s in stories for e in s.entities} - named - index.entity_keys.keys())
        names = self.entity_names(unknown)
        index.learn_keys({e: entity_key(e, names[e]) for e in unknown if e in names})

    def entity_names(self, entity_ids: Sequence[str]) -> dict[str, str]:
        """Entity id -> the name the store keeps for it (read-only)."""
        sql = "SELECT id, name FROM entities WHERE id IN ({})"
        return dict(_rows_in(self.conn, sql, entity_ids))

    def entity_documents(self, entity_ids: Sequence[str]) -> dict[str, int]:
        sql = "SELECT entity_id, documents FROM entity_documents WHERE entity_id IN ({})"
        return dict(_rows_in(self.conn, sql, entity_ids))

    def members(self, doc_ids: Sequence[str]) -> dict[str, str]:
        sql = "SELECT doc_id, story_id FROM story_members WHERE doc_id IN ({})"
        return dict(_rows_in(self.conn, sql, doc_ids))

    def _recent_ids(self, n: int) -> set[str]:
        rows = self.conn.execute("SELECT id FROM stories ORDER BY last_seq DESC LIMIT ?", (n,))
        return {story_id for (story_id,) in rows}

    def _entity_story_ids(self, entity: str, n: int) -> set[str]:
        rows = self.conn.execute(
            "SELECT story_id FROM story_entities WHERE entity_id = ? ORDER BY last_seq DESC LIMIT ?",
            (entity, n),
        )
        return {story_id for (story_id,) in rows}

    def _key_story_ids(self, key: str, n: int, stories: int) -> set[str]:
        """The `n` most recently updated of the `stories` stored stories posted under name key `key`.

        A key's postings carry no recency (they would be rewritten with every member), so either
        each posted story's recency is read, or the stories are walked from the most recently
        updated down until `n` are found posted under the key: whichever reads fewer rows. For a
        key few stories have, its postings; for a name most stories mention, the walk, which stops
        after about `n` * `stories` / postings stories. Either way the cost stays under
        sqrt(`n` * `stories`) rows however common the name, where reading all the postings of a
        name every story mentions would grow with the store."""
        posted = self.conn.execute("SELECT count(*) FROM story_keys WHERE key = ?", (key,)).fetchone()[0]
        if not posted:
            return set()
        if posted * posted <= n * stories:
            sql = (
                "SELECT k.story_id FROM story_keys AS k JOIN stories AS s ON s.id = k.story_id"
                " WHERE k.key = ? ORDER BY s.last_seq DESC LIMIT ?"
            )
        else:
            sql = (
                "SELECT s.id FROM stories AS s WHERE EXISTS (SELECT 1 FROM story_keys AS k"
                " WHERE k.key = ? AND k.story_id = s.id) ORDER BY s.last_seq DESC LIMIT ?"
            )
        return {story_id for (story_id,) in self.conn.execute(sql, (key, n))}

    def stories(self, story_ids: Sequence[str]) -> list[Story]:
        """Whole stories (centroid, entity counts, dates, counts) by id."""
        out = []
        for part in _chunks(list(story_ids)):
            rows = self.conn.execute(
                "SELECT id, first_day, last_day, last_seq, size, documents, centroid, data FROM stories"
                f" WHERE id IN ({_marks(part)})",
                part,
            ).fetchall()
            counts: dict[str, Counter[str]] = {story_id: Counter() for story_id in part}
            for entity, story_id, n in self.conn.execute(
                f"SELECT entity_id, story_id, n FROM story_entities WHERE story_id IN ({_marks(part)})", part
            ):
                counts[story_id][entity] = n
            for story_id, first, last, seq, size, documents, centroid, data in rows:
                extra = json.loads(data)
                out.append(
                    Story(
                        story_id,
                        stored_centroid(centroid),
                        counts[story_id],
                        size,
                        _ordinal(first),
                        _ordinal(last),
                        seq,
                        documents,
                        Counter(extra.get("languages") or {}),
                        Counter(extra.get("outlets") or {}),
                        dict(extra.get("titles") or {}),
                    )
                )
        return out

    def upgrade_legacy(self) -> None:
        """Stories kept as one JSON document (schema v5 and before) become rows, once."""
        saved = self.store.corpus_state(COUNTERS)
        if not saved or "stories" not in saved:
            return
        legacy = StoryIndex.from_data(saved)
        with self.store._transaction() as conn:
            for story in legacy.stories.values():
                _save_story(conn, story)
            conn.executemany(
                "INSERT OR REPLACE INTO entity_documents (entity_id, documents) VALUES (?, ?)",
                sorted(legacy.entity_documents.items()),
            )
            conn.execute(
                "INSERT OR REPLACE INTO corpus_state (name, data) VALUES (?, ?)",
                (COUNTERS, json.dumps(_counters(legacy))),
            )


# ---------------------------------------------------------------------- queries
def distinct_texts(store: Store, doc_ids: Iterable[str]) -> int:
    """How many distinct texts these documents are (a copy counts once with its canonical)."""
    ids = sorted(set(doc_ids))
    sql = "SELECT canonical FROM document_texts WHERE doc_id IN ({})"
    canon = {canonical for (canonical,) in _rows_in(store.conn, sql, ids)}
    return len(canon) + len(set(ids) - store.stored_documents(ids))


def list_stories(
    store: Store,
    *,
    since: str | date | None = None,
    until: str | date | None = None,
    entity_ids: Sequence[str] | None = None,
    lang: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """Stories, newest first (by their last day, then by their latest member), filtered by date
    range overlap, by entities any of which the story mentions, and by a language it has."""
    where, params = ["1"], []
    if since is not None:
        where.append("(s.last_day IS NULL OR s.last_day >= ?)")
        params.append(str(since)[:10])
    if until is not None:
        where.append("(s.first_day IS NULL OR s.first_day <= ?)")
        params.append(_period_end(str(until)[:10]))
    if entity_ids:
        where.append(
            "EXISTS (SELECT 1 FROM story_entities AS e WHERE e.story_id = s.id"
            " AND e.entity_id IN (SELECT value FROM json_each(?)))"
        )
        params.append(json.dumps(list(entity_ids)))
    if lang:
        where.append("EXISTS (SELECT 1 FROM json_each(s.data, '$.languages') WHERE key = ?)")
        params.append(lang)
    clause = " AND ".join(where)
    total = store.conn.execute(f"SELECT count(*) FROM stories AS s WHERE {clause}", params).fetchone()[0]
    rows = store.conn.execute(
        f"SELECT s.id FROM stories AS s WHERE {clause}"
        " ORDER BY s.last_day IS NULL, s.last_day DESC, s.last_seq DESC, s.id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "items": [summary for (story_id,) in rows if (summary := story_summary(store, story_id, lang))],
    }


def story_summary(store: Store, story_id: str, lang: str | None = None) -> dict[str, Any] | None:
    """STORY_SUMMARY: label, representative title (in `lang` when a member is), span, counts; for
    the id of a story absorbed by another, the survivor's (its "id" says which)."""
    story_id = current_story_id(store.conn, story_id)
    row = store.conn.execute(
        "SELECT first_day, last_day, size, documents, data FROM stories WHERE id = ?", (story_id,)
    ).fetchone()
    if row is None:
        return None
    first, last, size, documents, data = row
    extra = json.loads(data)
    entities = top_entities(store, story_id)
    title = representative_title(extra.get("titles") or {}, lang)
    names = [e["name"] for e in entities[:LABEL_ENTITIES]]
    return {
        "id": story_id,
        "label": " · ".join(names) if names else title,
        "title": title,
        "first": first,
        "last": last,
        "size": size,
        "documents": documents,
        "languages": dict(Counter(extra.get("languages") or {}).most_common()),
        "outlets": dict(Counter(extra.get("outlets") or {}).most_common()),
        "entities": entities,
    }


def representative_title(titles: Mapping[str, Sequence[Any]], lang: str | None) -> str:
    """The title of the member nearest the story's centroid, in `lang` when one is in it."""
    if lang and lang in titles:
        return str(titles[lang][1])
    best = max(titles.values(), key=lambda t: t[0], default=None)
    return str(best[1]) if best else ""


def top_entities(store: Store, story_id: str, n: int = SUMMARY_ENTITIES) -> list[dict[str, Any]]:
    """The story's most telling entities: members mentioning them times their specificity (IDF),
    so that a country every story names does not head every label."""
    total = (store.corpus_state(COUNTERS) or {}).get("documents") or 0
    rows = store.conn.execute(
        "SELECT e.entity_id, e.n, coalesce(f.documents, 0), coalesce(x.name, e.entity_id), x.type"
        " FROM story_entities AS e LEFT JOIN entity_documents AS f ON f.entity_id = e.entity_id"
        " LEFT JOIN entities AS x ON x.id = e.entity_id WHERE e.story_id = ?",
        (story_id,),
    ).fetchall()
    ranked = sorted(rows, key=lambda r: (-r[1] * (math.log((1 + total) / (1 + r[2])) + 1.0), r[0]))
    return [{"id": r[0], "name": r[3], "type": r[4] or "MISC", "count": r[1]} for r in ranked[:n]]


def story(store: Store, story_id: str) -> dict[str, Any] | None:
    """STORY_SUMMARY with its articles (date order, copies pointing to their canonical text), the
    timeline entries of its events (as /api/timeline gives them) and its framing (None until the
    framing module fills it)."""
    summary = story_summary(store, story_id)
    if summary is None:
        return None
    story_id = summary["id"]  # the survivor's, when `story_id` was absorbed
    rows = store.conn.execute(
        "SELECT d.doc_id, d.title, d.lang, d.outlet, d.published, d.url, n.canonical"
        " FROM story_members AS m JOIN documents AS d ON d.doc_id = m.doc_id"
        " LEFT JOIN near_duplicates AS n ON n.doc_id = d.doc_id"
        " WHERE m.story_id = ? ORDER BY d.published IS NULL, d.published, d.id",
        (story_id,),
    ).fetchall()
    articles = [
        {
            "id": doc_id,
            "title": title,
            "lang": lang,
            "outlet": outlet,
            "published": published,
            "url": url,
            "duplicate_of": canonical if canonical and canonical != doc_id else None,
        }
        for doc_id, title, lang, outlet, published, url, canonical in rows
    ]
    return {**summary, "articles": articles, "events": story_events(store, story_id), "framing": None}


def story_events(store: Store, story_id: str) -> list[dict[str, Any]]:
    """Timeline entries (one per event cluster, the shape /api/timeline gives) of the events its
    members report, in timeline order; at most `MAX_EVENTS`."""
    from newsgraph.store.timeline import clusters_of_documents  # it imports the store, which imports us

    members = [
        d for (d,) in store.conn.execute("SELECT doc_id FROM story_members WHERE story_id = ?", (story_id,))
    ]
    return [asdict(entry) for entry in clusters_of_documents(store, members, MAX_EVENTS)]


def _rows_in(conn: sqlite3.Connection, sql: str, values: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql`, whose `IN ({})` takes `values`, run once per `CHUNK` of them (SQLite
    bounds the parameters of one statement)."""
    for part in _chunks(list(values)):
        yield from conn.execute(sql.format(_marks(part)), part)


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _period_end(day: str) -> str:
    """The last day a partial date covers, as a string that compares right with full days:
    "2024" -> "2024-12-31", "2024-11" -> "2024-11-31" (no month has more, so none is left out)."""
    return day + "-12-31"[len(day) - 4 :] if len(day) < 10 else day


def _ordinal(value: str | None) -> int | None:
    return date.fromisoformat(value).toordinal() if value else None


__all__ = [
    "CorpusRows",
    "StoryStore",
    "corpus_rows",
    "current_story_id",
    "distinct_texts",
    "follow_story_redirects",
    "list_stories",
    "save_corpus_rows",
    "story",
    "story_summary",
]

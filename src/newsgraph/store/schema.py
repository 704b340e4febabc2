"""The store's schema as an ordered list of migrations, applied by `PRAGMA user_version`.

Migration `n` (1-based) takes the schema from version `n - 1` to `n`. Each runs in its own
`BEGIN IMMEDIATE` transaction together with the `user_version` bump, so a process killed
mid-migration leaves the previous version intact, and a second process opening the same file at
the same moment waits for the lock, then sees the new version and skips the work. Append new
migrations; never edit a released one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from newsgraph.store.packing import register
from newsgraph.stories.features import entity_key

# Full-text tokenizer. `unicode61 remove_diacritics 2` splits on Unicode word boundaries (every
# alphabetic script: Latin, Cyrillic, Greek, Arabic...), folds case, and folds Latin diacritics
# ("Israel" finds "Israël", "Muller" finds "Müller"). The trigram tokenizer would also find
# substrings in scripts written without spaces (Chinese, Japanese, Thai) and inside agglutinated
# words, but it indexes ~3x more terms, cannot match queries under 3 characters, and folds
# diacritics only from SQLite 3.45 (this Python ships 3.40). The languages newsgraph serves all
# separate words with spaces, and inflected forms are reached with prefix queries (`Блинкен*`),
# so unicode61 is the better default; a trigram table can be added by a later migration.
FTS_TOKENIZER = "unicode61 remove_diacritics 2"

# `id` is the stable integer key the FTS index points at (an implicit rowid may be renumbered by
# VACUUM); `doc_id` is the public primary key, unique and referenced by annotations.
_V1 = f"""
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    source TEXT,
    lang TEXT,
    title TEXT,
    outlet TEXT,
    url TEXT,
    published TEXT,
    published_precision TEXT,
    published_origin TEXT,
    text TEXT NOT NULL,
    record TEXT NOT NULL CHECK (json_valid(record)),
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_lang ON documents (lang, published);
CREATE INDEX documents_published ON documents (published);

CREATE TABLE annotations (
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    layer TEXT NOT NULL CHECK (layer IN ('body', 'boilerplate', 'paragraph', 'sentence', 'mention',
                                         'time', 'event', 'quote', 'claim')),
    start INTEGER,
    "end" INTEGER,
    label TEXT,
    entity TEXT,
    data TEXT CHECK (data IS NULL OR json_valid(data))
);
CREATE INDEX annotations_doc ON annotations (doc_id, layer);
CREATE INDEX annotations_entity ON annotations (layer, entity);
CREATE INDEX annotations_label ON annotations (layer, label);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    wikidata TEXT,
    aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
    data TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(data))
);
CREATE INDEX entities_wikidata ON entities (wikidata);

CREATE TABLE errors (
    id INTEGER PRIMARY KEY,
    source TEXT,
    doc_id TEXT,
    message TEXT NOT NULL,
    at TEXT NOT NULL
);
-- the same failure reported again (the same input ingested twice) is recorded once
CREATE UNIQUE INDEX errors_once ON errors (coalesce(source, ''), coalesce(doc_id, ''), message);

-- What is searched: the title and the body, i.e. the text of the body spans one per line (the whole
-- text when no body was set), as `newsgraph.store.rows.body_text` defines it. The index reads its
-- content from this view ("external content") instead of keeping a second copy of every body;
-- `INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')` re-indexes everything from it.
-- substr() counts characters (code points) in TEXT, as Python offsets do.
CREATE VIEW documents_body (id, title, body) AS
SELECT d.id, d.title,
       coalesce((SELECT group_concat(substr(d.text, span.start + 1, span.stop - span.start), char(10))
                 FROM (SELECT json_extract(value, '$[0]') AS start, json_extract(value, '$[1]') AS stop
                       FROM json_each(d.record, '$.body')) AS span), d.text)
FROM documents AS d;

CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, body, content = 'documents_body', content_rowid = 'id', tokenize = "{FTS_TOKENIZER}"
);
"""

# The corpus-wide entity resolver's memory: blocking keys of every entity's names, the decision
# taken for each document-local cluster (for `newsgraph entity explain`), and the user's
# corrections (merge / split), which the resolver applies before anything else on every run.
_V2 = """
CREATE TABLE entity_keys (
    key TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;
CREATE INDEX entity_keys_entity ON entity_keys (entity_id);

CREATE TABLE resolutions (
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    method TEXT NOT NULL,
    score REAL,
    data TEXT CHECK (data IS NULL OR json_valid(data)),
    PRIMARY KEY (doc_id, local_id)
);
CREATE INDEX resolutions_entity ON resolutions (entity_id);

CREATE TABLE entity_overrides (
    form TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    made_at TEXT NOT NULL
);
"""

# Event clusters: the reports of one real-world event across documents and languages, found by
# (type, actor ids) so that a batch loads only the clusters its events could join.
_V3 = """
CREATE TABLE event_clusters (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    block TEXT NOT NULL,
    date TEXT,
    data TEXT NOT NULL CHECK (json_valid(data))
);
CREATE INDEX event_clusters_block ON event_clusters (block);
CREATE TABLE event_cluster_actors (
    cluster_id TEXT NOT NULL REFERENCES event_clusters (id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (entity_id, cluster_id)
) WITHOUT ROWID;
"""

# Corpus-wide state kept as one document per name (the story index: centroids and entity
# document frequencies), rewritten with each stored batch.
_V4 = """
CREATE TABLE corpus_state (
    name TEXT PRIMARY KEY,
    data TEXT NOT NULL CHECK (json_valid(data))
);
"""

# Lines each outlet printed (normalised, hashed) and a few of the articles that printed them: a line
# an outlet repeats across articles is furniture (`newsgraph.ingest.repeated`).
_V5 = """
CREATE TABLE outlet_lines (
    outlet TEXT NOT NULL,
    line_hash TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    PRIMARY KEY (outlet, line_hash, doc_key)
) WITHOUT ROWID;
"""

# What the timeline filters and orders on, kept beside each event cluster as its date is (they are
# also in its JSON, which a query would otherwise parse for every cluster): `planned` (no report
# gives the event as held) and `confidence` (its best report). On 10,000 articles a page of the
# whole timeline went from 250 ms to a few. And who is mentioned where, from the index alone:
# ranking entities by mentions and documents (`store.browse.entities`) and an entity's co-occurring
# entities read (layer, entity, doc_id) without visiting the rows (440 ms to 45 ms on the same
# store); the index on (layer, entity) is its prefix, so it goes.
_V6 = """
ALTER TABLE event_clusters ADD COLUMN planned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_clusters ADD COLUMN confidence REAL NOT NULL DEFAULT 0;
UPDATE event_clusters SET
    planned = (EXISTS (SELECT 1 FROM json_each(data, '$.members'))
               AND NOT EXISTS (SELECT 1 FROM json_each(data, '$.members') AS m
                               WHERE NOT coalesce(json_extract(m.value, '$.planned'), 0))),
    confidence = coalesce((SELECT max(coalesce(json_extract(m.value, '$.confidence'), 0.5))
                           FROM json_each(data, '$.members') AS m), 0.0);
CREATE INDEX event_clusters_order ON event_clusters (planned, date);
CREATE INDEX annotations_entity_doc ON annotations (layer, entity, doc_id);
DROP INDEX annotations_entity;
"""

# Near-duplicates and stories as rows (`newsgraph.store.stories`), so that a batch reads only what
# its articles could join: the MinHash signature of each document with a body long enough to sign,
# its canonical text (itself for an original) and its LSH band keys; per story its date range,
# recency, counts and centroid, its entity postings (with the story's recency, so that an entity's
# most recent stories are one index range), its members, and each entity's document frequency.
# `document_texts` gives every document its canonical text: count DISTINCT canonical for reports.
# Stories kept until now in `corpus_state` as one JSON document are turned into rows on first use.
_V7 = """
CREATE TABLE near_duplicates (
    doc_id TEXT PRIMARY KEY REFERENCES documents (doc_id) ON DELETE CASCADE,
    canonical TEXT NOT NULL,
    similarity REAL,
    day TEXT,
    signature BLOB NOT NULL
);
CREATE INDEX near_duplicates_canonical ON near_duplicates (canonical);
CREATE TABLE minhash_bands (
    band_key INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, doc_id)
) WITHOUT ROWID;
CREATE VIEW document_texts (doc_id, canonical) AS
SELECT d.doc_id, coalesce(n.canonical, d.doc_id)
FROM documents AS d LEFT JOIN near_duplicates AS n ON n.doc_id = d.doc_id;

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    first_day TEXT,
    last_day TEXT,
    last_seq INTEGER NOT NULL,
    size INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    centroid BLOB NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data))
);
CREATE INDEX stories_last_seq ON stories (last_seq);
CREATE INDEX stories_last_day ON stories (last_day);
CREATE TABLE story_entities (
    entity_id TEXT NOT NULL,
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (entity_id, story_id)
) WITHOUT ROWID;
CREATE INDEX story_entities_recent ON story_entities (entity_id, last_seq);
CREATE INDEX story_entities_story ON story_entities (story_id);
CREATE TABLE story_members (
    doc_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL
);
CREATE INDEX story_members_story ON story_members (story_id);
INSERT INTO story_members (doc_id, story_id)
SELECT doc_id, json_extract(record, '$.story') FROM documents
WHERE json_extract(record, '$.story') IS NOT NULL;
CREATE TABLE entity_documents (
    entity_id TEXT PRIMARY KEY,
    documents INTEGER NOT NULL
) WITHOUT ROWID;
"""

# Each annotation stored once (it was in the document's JSON record and as a row). Mentions,
# events, quotes and claims, which queries select by label and entity, stay rows and leave the
# record; body, boilerplate, paragraph, sentence and time spans, which no query selects, stay in the
# record and their rows go. A mention row no longer repeats its columns (span, type, entity) in its
# data, nor an event row its type, nor a resolution row its columns. On the 400 synthetic articles
# of `benchmarks/ingest.py` a v6 store went from 47.3 to 29.9 KB per article, converted and
# vacuumed (docs/BENCHMARKS.md, issue 14; measured before v7 added the story rows). Every
# statement is idempotent (deleting rows, removing JSON keys): rerun on a converted store it
# changes nothing. The file shrinks on `VACUUM`; until then
# the freed pages are reused.
_V8_EACH_ANNOTATION_ONCE = """
DELETE FROM annotations WHERE layer IN ('body', 'boilerplate', 'paragraph', 'sentence', 'time');
UPDATE documents SET record = json_remove(record, '$.mentions', '$.events', '$.quotes', '$.claims');
UPDATE annotations SET data = json_remove(data, '$.start', '$.end', '$.type', '$.entity')
WHERE layer = 'mention';
UPDATE annotations SET data = json_remove(data, '$.type') WHERE layer = 'event';
UPDATE resolutions
SET data = json_remove(data, '$.doc_id', '$.local_id', '$.entity_id', '$.method', '$.score')
WHERE data IS NOT NULL;
"""


class TableRebuild(str):
    """A migration that drops tables and creates them again (SQLite cannot change a column's type or
    drop a CHECK in place). It runs with foreign keys off: with them on, dropping `documents` would
    delete every row that refers to it (ON DELETE CASCADE). Its rows are copied as they are, so no
    reference is broken by it."""


# Stored values packed (`newsgraph.store.packing`): the article text is deflated, and the document
# record, annotation data, event cluster data and resolution data deflated with a dictionary of the
# interchange field names (`ng_repack`/`ng_repack_text` pack a text, keep a blob; `ng_json` and
# `ng_text` read either). Their columns lose the `json_valid` CHECK, so the four tables are rebuilt,
# rows (and the documents' ids, which the full-text index relies on) copied in order, indexes and
# views made again; the views read the record and the text through `ng_json` and `ng_text`. Each
# document keeps its record layers' item counts (`layer_counts`, `RECORD_FIELDS` order) beside
# the packed record, so that statistics need not unpack every record.
# Annotation rows are keyed by (document id, position in the document) instead of repeating the
# document's text id in every row and in two indexes: a WITHOUT ROWID table whose key is the index
# by document (documents' ids grow, so rows are appended in key order and pages stay full), a
# document's rows one range in writing order. The only query by label is claims by kind
# (`store.facts`), so the (layer, label) index of every row becomes one of the claims' kinds (a
# partial index, which a query saying `layer = 'claim'` uses); the index by entity leaves out the
# rows with none (a third of them: quotes without a known speaker, events and claims without an
# identified source; every query by entity compares it, which SQLite knows implies `entity IS NOT
# NULL`). Resolutions and MinHash band postings refer to documents by integer id too;
# `resolutions`, whose primary key was (doc_id, local_id) with no other use of its rowid, becomes
# WITHOUT ROWID (its rows are the key's index). Layers other than mention, event, quote
# and claim have had no rows since v8. Run again on a converted store it copies every row
# unchanged. Sizes: docs/BENCHMARKS.md, "Issue 14: store size, session 3".
_V9_PACKED = TableRebuild(
    """
DROP VIEW IF EXISTS documents_body;
DROP VIEW IF EXISTS document_texts;

CREATE TABLE documents_v9 (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    source TEXT,
    lang TEXT,
    title TEXT,
    outlet TEXT,
    url TEXT,
    published TEXT,
    published_precision TEXT,
    published_origin TEXT,
    text BLOB NOT NULL,
    record BLOB NOT NULL,
    layer_counts TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL
);
INSERT INTO documents_v9 (id, doc_id, content_hash, source, lang, title, outlet, url, published,
                          published_precision, published_origin, text, record, layer_counts,
                          ingested_at)
SELECT id, doc_id, content_hash, source, lang, title, outlet, url, published, published_precision,
       published_origin, ng_repack_text(text), ng_repack(record),
       json_array(coalesce(json_array_length(record, '$.body'), 0),
                  coalesce(json_array_length(record, '$.boilerplate'), 0),
                  coalesce(json_array_length(record, '$.paragraphs'), 0),
                  coalesce(json_array_length(record, '$.sentences'), 0),
                  coalesce(json_array_length(record, '$.times'), 0)),
       ingested_at
FROM documents ORDER BY id;
DROP TABLE documents;
ALTER TABLE documents_v9 RENAME TO documents;
CREATE INDEX documents_lang ON documents (lang, published);
CREATE INDEX documents_published ON documents (published);

CREATE VIEW documents_body (id, title, body) AS
SELECT d.id, d.title,
       coalesce((SELECT group_concat(substr(span.text, span.start + 1, span.stop - span.start), char(10))
                 FROM (SELECT json_extract(value, '$[0]') AS start, json_extract(value, '$[1]') AS stop,
                              ng_text(d.text) AS text
                       FROM json_each(ng_json(d.record), '$.body')) AS span), ng_text(d.text))
FROM documents AS d;
CREATE VIEW document_texts (doc_id, canonical) AS
SELECT d.doc_id, coalesce(n.canonical, d.doc_id)
FROM documents AS d LEFT JOIN near_duplicates AS n ON n.doc_id = d.doc_id;

CREATE TABLE annotations_v9 (
    doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    layer TEXT NOT NULL CHECK (layer IN ('mention', 'event', 'quote', 'claim')),
    start INTEGER,
    "end" INTEGER,
    label TEXT,
    entity TEXT,
    data BLOB,
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
INSERT INTO annotations_v9 (doc, seq, layer, start, "end", label, entity, data)
SELECT d.id, row_number() OVER (PARTITION BY d.id ORDER BY a.rowid), a.layer, a.start, a."end", a.label,
       a.entity, ng_repack(a.data)
FROM annotations AS a JOIN documents AS d ON d.doc_id = a.doc_id ORDER BY d.id, a.rowid;
DROP TABLE annotations;
ALTER TABLE annotations_v9 RENAME TO annotations;
CREATE INDEX annotations_entity_doc ON annotations (layer, entity, doc) WHERE entity IS NOT NULL;
CREATE INDEX annotations_claim_kind ON annotations (label) WHERE layer = 'claim';

CREATE TABLE event_clusters_v9 (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    block TEXT NOT NULL,
    date TEXT,
    data BLOB NOT NULL,
    planned INTEGER NOT NULL DEFAULT 0,
    confidence REAL NOT NULL DEFAULT 0
);
INSERT INTO event_clusters_v9 (rowid, id, type, block, date, data, planned, confidence)
SELECT rowid, id, type, block, date, ng_repack(data), planned, confidence
FROM event_clusters ORDER BY rowid;
DROP TABLE event_clusters;
ALTER TABLE event_clusters_v9 RENAME TO event_clusters;
CREATE INDEX event_clusters_block ON event_clusters (block);
CREATE INDEX event_clusters_order ON event_clusters (planned, date);

CREATE TABLE resolutions_v9 (
    doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    method TEXT NOT NULL,
    score REAL,
    data BLOB,
    PRIMARY KEY (doc, local_id)
) WITHOUT ROWID;
INSERT INTO resolutions_v9 (doc, local_id, entity_id, method, score, data)
SELECT d.id, r.local_id, r.entity_id, r.method, r.score, ng_repack(r.data)
FROM resolutions AS r JOIN documents AS d ON d.doc_id = r.doc_id ORDER BY d.id, r.local_id;
DROP TABLE resolutions;
ALTER TABLE resolutions_v9 RENAME TO resolutions;
CREATE INDEX resolutions_entity ON resolutions (entity_id);

CREATE TABLE minhash_bands_v9 (
    band_key INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, doc)
) WITHOUT ROWID;
INSERT INTO minhash_bands_v9 (band_key, doc)
SELECT b.band_key, d.id FROM minhash_bands AS b JOIN documents AS d ON d.doc_id = b.doc_id;
DROP TABLE minhash_bands;
ALTER TABLE minhash_bands_v9 RENAME TO minhash_bands;
"""
)

# Each event cluster's window (the days all its dated reports allow) beside it, and an index on
# (block, window end, window start): the corpus pass reads the clusters of a block whose window
# overlaps the days of a batch's reports, one range of the index, which holds both ends so that the
# overlap is decided without visiting the rows (`Store.clusters_near`), instead of the whole block,
# which grows with the corpus (on the 100,000-article scale store, 29,284 clusters for one
# 1,000-article batch). The index on the block alone is its prefix, so it goes. And the participants
# of a cluster by cluster: rewriting a cluster (INSERT OR REPLACE, its rows deleted by the foreign
# key's cascade, or `replace_clusters`) looked its rows up by cluster id in a table keyed by entity
# first, a scan of every participant row of the store per cluster written: 13 ms per article at
# 100,000 articles, 0.15 with the index (benchmarks/scale.py). After v9, so the cluster data is
# packed and read through `ng_json`.
_V10_CLUSTER_WINDOWS = """
ALTER TABLE event_clusters ADD COLUMN window_start TEXT;
ALTER TABLE event_clusters ADD COLUMN window_end TEXT;
UPDATE event_clusters SET window_start = json_extract(ng_json(data), '$.window[0]'),
                          window_end = json_extract(ng_json(data), '$.window[1]');
CREATE INDEX event_clusters_window ON event_clusters (block, window_end, window_start);
DROP INDEX event_clusters_block;
CREATE INDEX event_cluster_actors_cluster ON event_cluster_actors (cluster_id);
"""

# Annotation rows and copies, smaller (docs/BENCHMARKS.md, "Issue 14: store size, session 4"):
# - an annotation row's layer is a small integer (`store.rows.LAYER_CODES`: 0 and 1 take no bytes
#   in a SQLite record, 2 and 3 one byte, where 'mention' took eight), and its entity the number of
#   the entity id in `entity_numbers` (one to three bytes, where an id such as "E:antony-blinken"
#   took 17), in the row and again in the index by entity. The numbers are never deleted nor
#   reused, so a row keeps naming the id it was written with whatever happens to the entities
#   table (a correction deletes entities that no mention names any more);
# - a near-duplicate row no longer keeps the document's MinHash signature (512 bytes): the corpus
#   pass signs again, from the stored text, the few stored documents that share a band with a new
#   one (`StoryStore.printed`); signing is deterministic, so it finds the same copies. The table is
#   keyed by document id WITHOUT ROWID (its key was stored twice, in the table and its index).
# Every statement reads text or integers alike (`typeof`), so run again on a converted store it
# copies every row unchanged.
_V11_NUMBERED_ROWS = TableRebuild(
    """
DROP VIEW IF EXISTS document_texts;

CREATE TABLE IF NOT EXISTS entity_numbers (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE
);
INSERT OR IGNORE INTO entity_numbers (id)
SELECT DISTINCT entity FROM annotations WHERE typeof(entity) = 'text' ORDER BY 1;

CREATE TABLE annotations_v11 (
    doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    layer INTEGER NOT NULL CHECK (layer IN (0, 1, 2, 3)),
    start INTEGER,
    "end" INTEGER,
    label TEXT,
    entity INTEGER,
    data BLOB,
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
INSERT INTO annotations_v11 (doc, seq, layer, start, "end", label, entity, data)
SELECT a.doc, a.seq,
       CASE a.layer WHEN 'mention' THEN 0 WHEN 'event' THEN 1 WHEN 'quote' THEN 2 WHEN 'claim' THEN 3
                    ELSE a.layer END,
       a.start, a."end", a.label,
       CASE typeof(a.entity) WHEN 'text' THEN (SELECT n FROM entity_numbers WHERE id = a.entity)
                             ELSE a.entity END,
       a.data
FROM annotations AS a ORDER BY a.doc, a.seq;
DROP TABLE annotations;
ALTER TABLE annotations_v11 RENAME TO annotations;
CREATE INDEX annotations_entity_doc ON annotations (layer, entity, doc) WHERE entity IS NOT NULL;
CREATE INDEX annotations_claim_kind ON annotations (label) WHERE layer = 3;

CREATE TABLE near_duplicates_v11 (
    doc_id TEXT PRIMARY KEY REFERENCES documents (doc_id) ON DELETE CASCADE,
    canonical TEXT NOT NULL,
    similarity REAL,
    day TEXT
) WITHOUT ROWID;
INSERT INTO near_duplicates_v11 (doc_id, canonical, similarity, day)
SELECT doc_id, canonical, similarity, day FROM near_duplicates ORDER BY doc_id;
DROP TABLE near_duplicates;
ALTER TABLE near_duplicates_v11 RENAME TO near_duplicates;
CREATE INDEX near_duplicates_canonical ON near_duplicates (canonical);

CREATE VIEW document_texts (doc_id, canonical) AS
SELECT d.doc_id, coalesce(n.canonical, d.doc_id)
FROM documents AS d LEFT JOIN near_duplicates AS n ON n.doc_id = d.doc_id;
"""
)

# Story key postings: name key -> the stories counting an entity with that key
# (`stories.features.entity_key`). The resolver may give one person several ids (one per script or
# inflection), and a story that knows the person under another id than a new article's shares no
# entity posting with it: the in-memory index finds it through the name key (`StoryIndex.key_stories`),
# and a store-backed one loads it through these rows (`StoryStore.prepare`), whatever its age. Only
# name keys are posted: an entity without one is keyed by its id, which `story_entities` posts
# already. A story's rows change only when it gains or loses a key (`save_corpus_rows`), not with
# every member, so they carry no recency: a key's most recent stories are read through `stories`.
# The index by story lets a write read a story's posted keys. Filled here from the stored stories'
# entity postings and the entities' stored names (`ng_story_key`, the key a name gives). And the index
# of entities by Wikidata id goes: no query selects entities by it (a page of every store, and a
# row per entity). Every statement is idempotent, so run again on a converted store it changes
# nothing.
_V12_STORY_KEYS = """
DROP INDEX IF EXISTS entities_wikidata;
CREATE TABLE IF NOT EXISTS story_keys (
    key TEXT NOT NULL,
    story_id TEXT NOT NULL,
    PRIMARY KEY (key, story_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_keys_story ON story_keys (story_id);
INSERT OR IGNORE INTO story_keys (key, story_id)
SELECT key, story_id FROM (SELECT ng_story_key(e.entity_id, x.name) AS key, e.story_id AS story_id
                           FROM story_entities AS e LEFT JOIN entities AS x ON x.id = e.entity_id)
WHERE key IS NOT NULL ORDER BY key, story_id;
"""

# Resolver decisions and event cluster participants name their entity by its number in
# `entity_numbers` (as annotation rows do since v11), not by its text id: the id (17 bytes for
# "E:antony-blinken") was kept twice per row, in the table and in its index by entity, where a
# number takes one to three bytes (docs/BENCHMARKS.md, "Issue 14: store and writer, session 6").
# Every query compares `entity = ENTITY_NUMBER` or `entity IN ENTITY_NUMBERS_IN` (`store.rows`),
# which use the same indexes as the ids did. The old tables are read through a CTE that names their
# columns by position, and an id is converted only when it is text, so run again on a converted
# store every row is copied unchanged; self-contained (it assumes only v11's `entity_numbers`), so
# it can be renumbered after another migration.
_V14_NUMBERED_REFERENCES = TableRebuild(
    """
INSERT OR IGNORE INTO entity_numbers (id)
WITH r (doc, local_id, entity, method, score, data) AS (SELECT * FROM resolutions)
SELECT DISTINCT entity FROM r WHERE typeof(entity) = 'text' ORDER BY 1;
INSERT OR IGNORE INTO entity_numbers (id)
WITH c (cluster_id, entity) AS (SELECT * FROM event_cluster_actors)
SELECT DISTINCT entity FROM c WHERE typeof(entity) = 'text' ORDER BY 1;

CREATE TABLE resolutions_v14 (
    doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    entity INTEGER NOT NULL,
    method TEXT NOT NULL,
    score REAL,
    data BLOB,
    PRIMARY KEY (doc, local_id)
) WITHOUT ROWID;
INSERT INTO resolutions_v14 (doc, local_id, entity, method, score, data)
WITH r (doc, local_id, entity, method, score, data) AS (SELECT * FROM resolutions)
SELECT doc, local_id,
       CASE typeof(entity) WHEN 'text' THEN (SELECT n FROM entity_numbers WHERE id = r.entity)
                           ELSE entity END,
       method, score, data
FROM r ORDER BY doc, local_id;
DROP TABLE resolutions;
ALTER TABLE resolutions_v14 RENAME TO resolutions;
CREATE INDEX resolutions_entity ON resolutions (entity);

CREATE TABLE event_cluster_actors_v14 (
    cluster_id TEXT NOT NULL REFERENCES event_clusters (id) ON DELETE CASCADE,
    entity INTEGER NOT NULL,
    PRIMARY KEY (entity, cluster_id)
) WITHOUT ROWID;
INSERT INTO event_cluster_actors_v14 (cluster_id, entity)
WITH c (cluster_id, entity) AS (SELECT * FROM event_cluster_actors)
SELECT cluster_id,
       CASE typeof(entity) WHEN 'text' THEN (SELECT n FROM entity_numbers WHERE id = c.entity)
                           ELSE entity END
FROM c ORDER BY 2, 1;
DROP TABLE event_cluster_actors;
ALTER TABLE event_cluster_actors_v14 RENAME TO event_cluster_actors;
CREATE INDEX event_cluster_actors_cluster ON event_cluster_actors (cluster_id);
"""
)


# Story redirects: a story absorbed by another after its id was given out (two established stories
# that grew into one, `StoryIndex.merge_established`) keeps a row here, its id -> the story that
# absorbed it (chains resolved when written), so that `newsgraph story OLD_ID`, the API and a stored
# document's `story` answer with the survivor instead of nothing. Its members, entity postings and
# key postings move to the survivor in the batch's transaction (`store.stories.save_corpus_rows`).
# Idempotent: run again on a converted store it changes nothing.
_V13_STORY_REDIRECTS = """
CREATE TABLE IF NOT EXISTS story_redirects (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_redirects_story ON story_redirects (story_id);
"""


MIGRATIONS: list[str] = [
    _V1,
    _V2,
    _V3,
    _V4,
    _V5,
    _V6,
    _V7,
    _V8_EACH_ANNOTATION_ONCE,
    _V9_PACKED,
    _V10_CLUSTER_WINDOWS,
    _V11_NUMBERED_ROWS,
    _V12_STORY_KEYS,
    _V13_STORY_REDIRECTS,
    _V14_NUMBERED_REFERENCES,
]


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer newsgraph than this one."""


def statements(script: str) -> list[str]:
    """Split a script into complete SQL statements (a trigger body's `;` stays inside its statement)."""
    out, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]!r}")
    return out


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection, migrations: list[str] = MIGRATIONS) -> int:
    """Bring the schema up to `len(migrations)`; returns the version reached.

    `conn` must be in autocommit mode (`isolation_level=None`): transactions are explicit here
    (`executescript` would commit a pending transaction, so statements run one by one).
    """
    target = len(migrations)
    if schema_version(conn) > target:
        raise SchemaTooNewError(
            f"database schema is v{schema_version(conn)}, this newsgraph knows up "
            f"to v{target}: upgrade newsgraph to open it"
        )
    register(conn)  # the functions migrations call (ng_repack, ng_json)
    register_keys(conn)
    for number, script in enumerate(migrations, start=1):
        if schema_version(conn) >= number:
            continue
        with _foreign_keys_off(conn, isinstance(script, TableRebuild)):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if schema_version(conn) < number:  # another process may have migrated while we waited
                    for statement in statements(script):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {number}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # some errors (disk full, I/O) have rolled it back already
                    conn.execute("ROLLBACK")
                raise
    return target


def story_key(entity_id: str, name: str | None) -> str | None:
    """The key `story_keys` posts a story under for one of its entities: the name key of the entity's
    name (`stories.features.entity_key`), or None for an entity that has none (its key is its id,
    which `story_entities` posts already)."""
    key = entity_key(entity_id, name)
    return None if key == entity_id else key


def register_keys(conn: sqlite3.Connection) -> None:
    """Give `conn` the SQL function `ng_story_key(entity_id, name)` (`story_key`), which the v12
    migration and a correction's story postings (`store.stories.follow_reresolution`) call."""
    conn.create_function("ng_story_key", 2, story_key, deterministic=True)


@contextmanager
def _foreign_keys_off(conn: sqlite3.Connection, off: bool) -> Iterator[None]:
    """Foreign keys off for a table rebuild (`TableRebuild`), as they were afterwards. The pragma is
    a no-op inside a transaction, so this goes around the migration's."""
    was = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    if off:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if off:
            conn.execute(f"PRAGMA foreign_keys = {int(was)}")

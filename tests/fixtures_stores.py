"""Small stores built here for the correction and search tests: articles written for these tests,
with their names, events, quotes and claims given by hand, resolved and clustered by the real
corpus-wide code (the knowledge base included), so that the store is what `ingest` would write."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.entities.index import EntityIndex
from newsgraph.entities.kb import KnowledgeBase
from newsgraph.entities.resolve import Resolver
from newsgraph.events.cluster import ClusterIndex, cluster_events
from newsgraph.model import Claim, DateValue, Document, Entity, Event, Mention, Quote, Span
from newsgraph.store import Store, packing
from newsgraph.store.stories import CorpusRows, save_corpus_rows
from newsgraph.stories.duplicates import Printed
from newsgraph.stories.group import Story


@dataclass
class Name:
    """A name as written, its document-local cluster, type and nominative."""

    text: str
    local: str
    type: str = "PER"
    normal: str | None = None


@dataclass
class Article:
    doc_id: str
    lang: str
    published: str
    text: str
    names: list[Name]
    meetings: list[tuple[str, str]] = field(default_factory=list)  # (source name, target name) met that day
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (quoted words, speaker name as written)
    claims: list[tuple[str, float, str]] = field(default_factory=list)  # (figure, value, source as written)

    def document(self) -> Document:
        doc = Document(doc_id=self.doc_id, text=self.text, lang=self.lang, content_hash=self.doc_id)
        doc.published = DateValue(self.published, "day", None, "metadata")
        doc.sentences = [(0, len(self.text))]
        doc.body = [(0, len(self.text))]
        cursor = 0
        for name in self.names:  # in the order they are written
            start = self.text.index(name.text, cursor)
            cursor = start + len(name.text)
            doc.mentions.append(
                Mention(start, cursor, name.text, name.type, entity=name.local, normal=name.normal)
            )
            ent = doc.entities.setdefault(name.local, Entity(name.local, name.normal or name.text, name.type))
            ent.aliases.append(name.text)
        for n, (source, target) in enumerate(self.meetings):
            a, b = self._mention(doc, source), self._mention(doc, target)
            doc.events.append(
                Event(
                    id=f"{self.doc_id}:ev{n}",
                    type="CONSULT",
                    mode="meet",
                    source=[a.entity or ""],
                    target=[b.entity or ""],
                    source_spans=[(a.start, a.end)],
                    target_spans=[(b.start, b.end)],
                    date=DateValue(self.published, "day", None, "text"),
                    sentence=(0, len(self.text)),
                    trigger=(a.end, b.start),
                    confidence=0.8,
                )
            )
        for words, speaker in self.quotes:
            start = self.text.index(words)
            who = self._mention(doc, speaker)
            doc.quotes.append(Quote(start, start + len(words), words, True, who.entity, (who.start, who.end)))
        for figure, value, source in self.claims:
            start = self.text.index(figure)
            who = self._mention(doc, source)
            doc.claims.append(
                Claim(
                    start,
                    start + len(figure),
                    figure,
                    value,
                    "more_than",
                    "killed",
                    attributed_to=who.text,
                    attributed_entity=who.entity,
                    attribution_span=(who.start, who.end),
                )
            )
        return doc

    @staticmethod
    def _mention(doc: Document, text: str) -> Mention:
        return next(m for m in doc.mentions if m.text == text)


def dated_report(
    doc_id: str,
    lang: str,
    day: str,
    text: str,
    title_end: int,
    sentences: list[Span],
    mentions: Sequence[Mention],
    entities: dict[str, Entity] | None = None,
    outlet: str | None = None,
    origin: str = "metadata",
) -> Document:
    """A dated report as the story pass sees it after `resolve`: the whole text is its body, its
    first `title_end` characters the title, and its mentions carry global ids (kept in text order);
    `origin` says where its date came from."""
    return Document(
        doc_id=doc_id,
        text=text,
        lang=lang,
        title=text[:title_end],
        title_span=(0, title_end),
        outlet=outlet,
        published=DateValue(day, "day", origin=origin),
        body=[(0, len(text))],
        sentences=sentences,
        mentions=sorted(mentions, key=lambda m: m.start),
        entities=dict(entities or {}),
    )


def build_store(path: Path, articles: Sequence[Article]) -> Path:
    """Resolve and cluster the articles as the corpus pass does, and store them in one batch."""
    docs = [a.document() for a in articles]
    with Store(path) as store:
        index = EntityIndex(store.entities_by_keys, store.known_entity)
        resolver = Resolver(index, KnowledgeBase.default(), store.overrides())
        decisions = resolver.resolve(docs)
        clusters = ClusterIndex()
        cluster_events(docs, clusters)
        store.add_documents(docs, resolver.index.dirty(), decisions, clusters.changed())
    return path


def entity_of(store: Store, doc_id: str, text: str) -> str:
    """The entity id of the first mention written `text` in a stored document."""
    doc = store.get(doc_id)
    assert doc is not None
    return next(m.entity for m in doc.mentions if m.text == text and m.entity)


def span_of(text: str, words: str) -> Span:
    start = text.index(words)
    return start, start + len(words)


def store_stories(store: Store, docs: list[Document], copies: dict[str, str]) -> None:
    """The story rows and near-duplicate links the corpus pass would keep for these documents,
    grouped by the story id each document carries, written by the store's own
    `save_corpus_rows` (`store.stories` reads only those tables)."""
    by_story: dict[str, list[Document]] = {}
    for doc in docs:
        assert doc.story is not None
        by_story.setdefault(doc.story, []).append(doc)
    rows = CorpusRows()
    for seq, (story_id, members) in enumerate(by_story.items()):
        days = sorted(d.published.value[:10] for d in members if d.published and d.published.value)
        distinct = [d for d in members if d.doc_id not in copies]
        rows.stories.append(
            Story(
                story_id,
                entities=Counter(e for d in members for e in {m.entity for m in d.mentions if m.entity}),
                size=len(distinct),
                first_day=date.fromisoformat(days[0]).toordinal(),
                last_day=date.fromisoformat(days[-1]).toordinal(),
                last_seq=seq,
                documents=len(members),
                languages=Counter(d.lang for d in members if d.lang),
                outlets=Counter(d.outlet for d in members if d.outlet),
                titles={d.lang: [1.0 - i / 10, d.title, d.doc_id] for i, d in enumerate(distinct) if d.lang},
            )
        )
        rows.members.update({d.doc_id: story_id for d in members})
    rows.duplicates.rows = [
        Printed(copy, np.zeros(0, dtype=np.uint64), original, None, 1.0) for copy, original in copies.items()
    ]
    with store.conn:
        save_corpus_rows(store.conn, rows, {})


WRITTEN_AT = {"ingested_at", "at", "made_at"}  # columns that record when a row was written


def store_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, without the columns that record when it was written: two
    stores that hold the same things give equal dumps, whatever order or process wrote them."""
    with sqlite3.connect(db) as conn:
        packing.register(conn)  # the full-text table reads the packed texts through ng_text() (v9)
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dump = {}
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            kept = [i for i, col in enumerate(cursor.description) if col[0] not in WRITTEN_AT]
            dump[table] = sorted((tuple(row[i] for i in kept) for row in cursor), key=repr)
    return dump

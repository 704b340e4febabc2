"""The timeline, read from the stored event clusters: the one implementation behind `newsgraph
timeline`, `/timeline`, `/api/timeline`, a story's events and a cluster's evidence.

A cluster is one real-world event with all its reports (see `newsgraph.events.cluster`). The rules
are those of `newsgraph.events.timeline.timeline`, which applies them to clusters held in memory:
- a cluster is listed when the actor (and the partner, for a pair) is among its participants, it is
  of the asked PLOVER type, its consensus date meets the period (undated clusters are left out when
  a period is given) and its best report reaches `min_confidence`;
- listed clusters come in date order, undated ones after the dated, and those that no report gives
  as held (every report announces, supposes or intends it: `planned`) after all of those.
Here the filtering, the order and the window run in SQL, over the indexed cluster tables, so a page
costs the same on a store of ten or of ten thousand articles and comes with its total; the rows of
the page are then built by `events.timeline.row_of`, as in memory.

"reports" is the number of distinct articles that report the event. Each entry's `evidence` has
one report per article (its most confident), with the article's title, language, outlet and date.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsgraph.events.cluster import EventCluster
from newsgraph.events.timeline import row_of
from newsgraph.store.db import Store
from newsgraph.store.packing import unpack
from newsgraph.store.query import DateBound, published_filter
from newsgraph.store.rows import ENTITY_NUMBERS_IN, EVENT

# planned ones last, undated ones after the dated (`planned` and `confidence` are columns kept with
# each cluster by `Store`, from its members: see schema v6)
ORDER = "c.planned, c.date IS NULL, c.date, c.type, c.id"
PARTICIPANT = (
    "c.id IN (SELECT cluster_id FROM event_cluster_actors"
    f" WHERE entity IN {ENTITY_NUMBERS_IN.format('SELECT value FROM json_each(?)')})"
)


@dataclass
class Report:
    """One article's report of an event."""

    doc_id: str
    title: str | None
    lang: str | None
    outlet: str | None
    published: str | None
    sentence: str
    event_id: str
    date: dict[str, Any] | None
    confidence: float
    planned: bool


@dataclass
class TimelineEntry:
    """One event (a cluster) as every face shows it."""

    cluster: str
    type: str
    mode: str | None
    date: dict[str, Any] | None
    first_published: str | None
    planned: bool
    confidence: float
    source: list[str]
    target: list[str]
    participants: list[str]
    place: str | None
    reports: int  # distinct articles
    languages: list[str]
    evidence: list[Report] = field(default_factory=list)


def _filter(
    actors: Sequence[str],
    partners: Sequence[str],
    event_type: str | None,
    since: DateBound | None,
    until: DateBound | None,
    min_confidence: float,
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for ids in (actors, partners):
        if ids:
            where.append(PARTICIPANT)
            params.append(json.dumps(sorted(ids)))
    if event_type:
        where.append("c.type = ?")
        params.append(event_type)
    clause, values = published_filter(since, until, "c.date")
    where.append(clause)
    params += values
    if min_confidence > 0:
        where.append("c.confidence >= ?")
        params.append(min_confidence)
    return " AND ".join(where), params


def timeline(
    store: Store,
    actors: Sequence[str] = (),
    partners: Sequence[str] = (),
    event_type: str | None = None,
    since: DateBound | None = None,
    until: DateBound | None = None,
    min_confidence: float = 0.0,
    limit: int = 20,
    offset: int = 0,
) -> tuple[int, list[TimelineEntry]]:
    """The events involving any of `actors` (and any of `partners`, when given), one per cluster,
    in timeline order (module docstring), and how many there are."""
    where, params = _filter(actors, partners, event_type, since, until, min_confidence)
    total = store.conn.execute(f"SELECT count(*) FROM event_clusters AS c WHERE {where}", params).fetchone()[
        0
    ]
    rows = store.conn.execute(
        f"SELECT c.data FROM event_clusters AS c WHERE {where} ORDER BY {ORDER} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    clusters = [EventCluster.from_data(unpack(data)) for (data,) in rows]
    return total, entries(store, clusters)


def cluster(store: Store, cluster_id: str) -> TimelineEntry | None:
    """One event with every report of it, or None when the store has no such cluster."""
    row = store.conn.execute("SELECT data FROM event_clusters WHERE id = ?", (cluster_id,)).fetchone()
    return entries(store, [EventCluster.from_data(unpack(row[0]))])[0] if row else None


def clusters_of_documents(store: Store, doc_ids: Sequence[str], limit: int = -1) -> list[TimelineEntry]:
    """The events reported by any of these documents (a story's events), in timeline order; the
    first `limit` of them when it is not -1 (only those are read and labelled)."""
    rows = store.conn.execute(
        "SELECT DISTINCT json_extract(ng_json(data), '$.cluster') FROM annotations"
        " WHERE doc IN (SELECT id FROM documents WHERE doc_id IN (SELECT value FROM json_each(?)))"
        f" AND layer = {EVENT}"
        " AND json_extract(ng_json(data), '$.cluster') IS NOT NULL",
        (json.dumps(list(doc_ids)),),
    ).fetchall()
    ids = [cluster_id for (cluster_id,) in rows]
    found = store.conn.execute(
        f"SELECT c.data FROM event_clusters AS c WHERE c.id IN (SELECT value FROM json_each(?))"
        f" ORDER BY {ORDER} LIMIT ?",
        (json.dumps(ids), limit),
    ).fetchall()
    return entries(store, [EventCluster.from_data(unpack(data)) for (data,) in found])


def entries(store: Store, clusters: Sequence[EventCluster]) -> list[TimelineEntry]:
    """Timeline entries of these clusters, each with one report per article (the members' sentences
    read from their documents: `Store.with_sentences`)."""
    clusters = store.with_sentences(clusters)
    doc_ids = sorted({m.doc_id for c in clusters for m in c.members})
    documents = {
        doc_id: (title, lang, outlet, published)
        for doc_id, title, lang, outlet, published in store.conn.execute(
            "SELECT doc_id, title, lang, outlet, published FROM documents"
            " WHERE doc_id IN (SELECT value FROM json_each(?))",
            (json.dumps(doc_ids),),
        )
    }
    return [_entry(c, documents) for c in clusters]


def _entry(cluster: EventCluster, documents: dict[str, tuple[Any, Any, Any, Any]]) -> TimelineEntry:
    row = row_of(cluster)
    best: dict[str, Any] = {}
    for member in sorted(cluster.members, key=lambda m: -m.confidence):
        best.setdefault(member.doc_id, member)
    evidence = []
    for doc_id, member in best.items():
        title, lang, outlet, published = documents.get(doc_id, (None, member.lang, None, None))
        evidence.append(
            Report(
                doc_id,
                title,
                lang or member.lang,
                outlet,
                published,
                member.sentence,
                member.event_id,
                member.date.to_record() if member.date else None,
                member.confidence,
                member.planned,
            )
        )
    evidence.sort(key=lambda r: (r.published is None, r.published or "", r.doc_id))
    published = [r.published for r in evidence if r.published]
    return TimelineEntry(
        cluster=row.cluster,
        type=row.type,
        mode=row.mode,
        date=row.date.to_record() if row.date else None,
        first_published=min(published) if published else None,
        planned=row.planned,
        confidence=row.confidence,
        source=list(row.source),
        target=list(row.target),
        participants=list(cluster.participants),
        place=row.place,
        reports=row.reports,
        languages=list(row.languages),
        evidence=evidence,
    )

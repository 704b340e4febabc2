"""Re-resolving stored documents, so that a correction reaches everything that rests on entity ids.

A merge, a split or a knowledge-base import changes which entity a name is. The mentions are not
all: event actors, speakers and claim sources carry the same ids, and the event clusters that
timelines read are blocked by them. `reresolve(store, doc_ids)` therefore runs the corpus pass again
over the affected documents (`CorpusPass.reresolve`): entities decided again with the user's
overrides and the current knowledge base, delegates joined again, and events clustered again after
their old reports were taken out of the stored clusters. Documents, entity memory, decisions and
clusters are written in ONE transaction: a reader sees the store before or after, never between,
and a failure leaves it as it was. Entities that nothing refers to any more are deleted, and the
aliases of the others are the names their mentions are written with afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from newsgraph.entities.names import name_keys
from newsgraph.events.cluster import EventCluster
from newsgraph.events.dates import day_interval, overlap
from newsgraph.model import Document
from newsgraph.pipeline.resolve import RESOLVE_BATCH, CorpusPass
from newsgraph.store.db import Store
from newsgraph.store.stories import follow_reresolution

Progress = Callable[[int], None]
"""Called with the number of documents just re-resolved (for a progress bar)."""


@dataclass
class Reresolved:
    """What a re-resolution changed."""

    documents: int = 0  # documents re-resolved
    mentions_changed: int = 0  # mentions whose entity id changed
    clusters: int = 0  # event clusters written (founded, joined or left)
    removed_clusters: int = 0  # clusters left without any report
    removed_entities: list[str] = field(default_factory=list)  # entities nothing refers to any more


def reresolve(
    store: Store,
    doc_ids: Sequence[str] | None = None,
    progress: Progress | None = None,
    also_unused: Iterable[str] = (),
    batch_size: int = RESOLVE_BATCH,
) -> Reresolved:
    """Re-resolve the entities and re-cluster the events of `doc_ids` (every stored document when
    None), in one transaction (joined when the caller holds one). `also_unused` names entities to
    delete when nothing refers to them afterwards (a merge's sources)."""
    with store.transaction():
        return _reresolve(store, doc_ids, progress, set(also_unused), batch_size)


def reresolve_names(store: Store, names: Iterable[str], progress: Progress | None = None) -> Reresolved:
    """Re-resolve the documents that mention an entity with a name under the blocking keys of
    `names` (what a knowledge-base import added): the only ones whose decisions it can change."""
    keys: set[str] = set()
    for name in names:
        keys |= name_keys(name)
    entity_ids = store.entities_with_keys(keys) if keys else []
    doc_ids = store.documents_mentioning(entity_ids) if entity_ids else []
    if not doc_ids:
        return Reresolved()
    return reresolve(store, doc_ids, progress)


def _reresolve(
    store: Store, doc_ids: Sequence[str] | None, progress: Progress | None, unused: set[str], batch_size: int
) -> Reresolved:
    result = Reresolved()
    touched = set(unused)  # entities named before or after: deleted when unused, else aliases redone
    if doc_ids is None:
        result.removed_clusters = store.clear_clusters()
        batches: Iterable[list[Document]] = _pages(store.iter_documents(), batch_size)
    else:
        docs = [doc for doc in (store.get(i) for i in dict.fromkeys(doc_ids)) if doc is not None]
        result.removed_clusters = _detach(store, docs)
        batches = (docs[i : i + batch_size] for i in range(0, len(docs), batch_size))
    corpus = CorpusPass(store)  # after the caller's overrides: the resolver applies them first
    for batch in batches:
        before = {(d.doc_id, m.start, m.end): m.entity for d in batch for m in d.mentions}
        was = {d.doc_id: _entities(d) for d in batch}
        touched |= {e for e in before.values() if e}
        learnt = corpus.reresolve(batch)
        store.rewrite_documents(batch, learnt.entities)
        store.replace_decisions([d.doc_id for d in batch], learnt.decisions)
        store.replace_clusters(learnt.clusters)
        follow_reresolution(store.conn, {d.doc_id: (was[d.doc_id], _entities(d)) for d in batch})
        corpus.stored()
        result.documents += len(batch)
        result.clusters += len(learnt.clusters)
        result.mentions_changed += sum(
            before.get((d.doc_id, m.start, m.end)) != m.entity for d in batch for m in d.mentions
        )
        touched |= {m.entity for d in batch for m in d.mentions if m.entity}
        if progress is not None:
            progress(len(batch))
    store.delete_unused_entities(touched)
    kept = store.existing_entities(touched)  # some were let go during the pass, some just now
    result.removed_entities = sorted(touched - kept)
    store.refresh_aliases(kept)
    return result


def _entities(doc: Document) -> set[str]:
    """The entity ids the document's mentions carry (what its story counted it under)."""
    return {m.entity for m in doc.mentions if m.entity}


def _pages(docs: Iterable[Document], size: int) -> Iterable[list[Document]]:
    page: list[Document] = []
    for doc in docs:
        page.append(doc)
        if len(page) >= size:
            yield page
            page = []
    if page:
        yield page


def _detach(store: Store, docs: Sequence[Document]) -> int:
    """Take the reports of `docs` out of the stored clusters they joined, before they are clustered
    again; returns how many clusters were left with no report (and deleted)."""
    doc_ids = {doc.doc_id for doc in docs}
    cluster_ids = sorted({e.cluster for doc in docs for e in doc.events if e.cluster})
    kept, removed = [], []
    for cluster_id in cluster_ids:
        cluster = store.cluster(cluster_id)
        if cluster is None:
            continue
        if without_reports(cluster, doc_ids):
            kept.append(cluster)
        else:
            removed.append(cluster_id)
    store.replace_clusters(kept, removed)
    return len(removed)


def without_reports(cluster: EventCluster, doc_ids: set[str]) -> bool:
    """Remove the members of `doc_ids` from `cluster`, recomputing the days its members allow and its
    consensus; False when no member is left."""
    cluster.members = [m for m in cluster.members if m.doc_id not in doc_ids]
    if not cluster.members:
        return False
    window = None
    for member in cluster.members:
        interval = day_interval(member.date, future=member.planned)
        if interval is not None:
            window = interval if window is None else overlap(window, interval) or window
    cluster.window = window
    cluster.settle()
    return True

"""The corpus-wide pass: after per-document annotation, give entities their global ids, group
event reports into clusters and articles into stories.

`annotate` runs in parallel workers and never invents a global id; this pass runs in the one
process that writes the output, over batches of annotated documents in input order. `extract`
works in memory (ids and clusters consistent across one call), `ingest` against the store (ids
stable as the store grows; the user's merges and splits apply first).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from newsgraph.batching import chunked
from newsgraph.entities.index import EntityIndex, KnownEntity
from newsgraph.entities.kb import KnowledgeBase
from newsgraph.entities.resolve import Decision, Resolver
from newsgraph.entities.unresolve import forget, localize
from newsgraph.events.cluster import ClusterIndex, EventCluster, block_key, cluster_events
from newsgraph.events.delegates import add_delegates
from newsgraph.ingest.repeated import InMemoryLines, Row, mark_repeated_lines
from newsgraph.model import Document
from newsgraph.store import Store
from newsgraph.stories import StoryIndex, assign_stories

log = logging.getLogger(__name__)

STORIES = "stories"  # the name of the story index in the store's corpus state

# Documents resolved together: within a batch, full names are resolved before short forms, so a
# larger batch links more "Blinken"-alone mentions to the right person, at the cost of latency.
RESOLVE_BATCH = 512


@dataclass
class Learnt:
    """What one batch taught the corpus pass, to be stored with the batch."""

    decisions: list[Decision]
    entities: list[KnownEntity]
    clusters: list[EventCluster]
    state: dict[str, Any]
    lines: list[Row]  # lines of each outlet (newsgraph.ingest.repeated), for the store to remember


class CorpusPass:
    """Lines an outlet repeats marked as furniture, then entity resolution, event clustering and
    stories; remembering through `store` when given."""

    def __init__(self, store: Store | None = None):
        self.store = store
        self.lines = InMemoryLines()  # the outlets' lines, when there is no store to remember them
        if store is None:
            self.resolver = Resolver(EntityIndex(), KnowledgeBase.default())
        else:
            index = EntityIndex(store.entities_by_keys, store.known_entity)
            self.resolver = Resolver(index, KnowledgeBase.default(), store.overrides())
        self.clusters = ClusterIndex()
        saved = store.corpus_state(STORIES) if store is not None else None
        self.stories = StoryIndex.from_data(saved) if saved else StoryIndex()

    def __call__(self, batch: Sequence[Document]) -> Learnt:
        # first: names, quotes and events inside repeated furniture must not reach the resolver
        lines = mark_repeated_lines(batch, self.store if self.store is not None else self.lines)
        if self.store is None:
            self.lines.remember(lines)
        decisions = self.resolver.resolve(batch)
        for doc in batch:  # with global ids: a state's negotiator joins its side (before blocking)
            add_delegates(doc)
        if self.store is not None:
            self._load_clusters(batch)
        cluster_events(batch, self.clusters)
        assign_stories(batch, self.stories)
        state = {STORIES: self.stories.to_data()} if self.store is not None else {}
        return Learnt(decisions, self.resolver.index.dirty(), self.clusters.changed(), state, lines)

    def isolated(self, batch: Sequence[Document]) -> Learnt:
        """`self(batch)`, or, when that fails, each document on its own, so that a document the
        pass cannot handle (or that exhausts memory in the story encoder) fails alone.

        Such a document keeps its local entity ids and no story, and says so in its errors.
        """
        try:
            return self(batch)
        except Exception as exc:
            log.warning("the corpus pass failed on a batch (%s); going over it one document at a time", exc)
        decisions: list[Decision] = []
        lines: list[Row] = []
        for doc in batch:
            try:
                learnt = self([doc])
                decisions.extend(learnt.decisions)
                lines.extend(learnt.lines)
            except Exception as exc:
                log.debug("corpus pass failed on %s\n%s", doc.doc_id, traceback.format_exc())
                doc.story = None
                doc.errors.append(
                    f"corpus pass: {type(exc).__name__}: {exc}; entity ids are this document's own, "
                    "no story or event cluster was assigned"
                )
        state = {STORIES: self.stories.to_data()} if self.store is not None else {}
        return Learnt(decisions, self.resolver.index.dirty(), self.clusters.changed(), state, lines)

    def reresolve(self, batch: Sequence[Document]) -> Learnt:
        """Decide the entities of stored documents again, and cluster their events again, after a
        correction (`newsgraph.store.corrections`): each document's contribution to the resolver's
        memory is taken out, its global ids become local clusters again, and the pass runs as for
        new documents. Repeated lines and stories are left as they are: they rest on the text, not
        on the ids. The caller has taken these documents' reports out of the stored clusters."""
        index = self.resolver.index
        emptied: set[str] = set()
        for doc in batch:
            emptied |= {i for i in forget(index, doc) if (known := index.get(i)) and not known.documents}
            localize(doc)
        if self.store is not None and emptied:
            # an entity only these documents named is let go before they are decided again, so
            # that the same name founds it again under its own id rather than beside it ("-2")
            for entity_id in self.store.release_entities(emptied, [doc.doc_id for doc in batch]):
                index.remove(entity_id)
        decisions = self.resolver.resolve(batch)
        for doc in batch:
            add_delegates(doc)
        if self.store is not None:
            self._load_clusters(batch)
        cluster_events(batch, self.clusters)
        return Learnt(decisions, self.resolver.index.dirty(), self.clusters.changed(), {}, [])

    def stored(self) -> None:
        """The last batch's `Learnt` has been written: start collecting afresh."""
        self.resolver.index.clean()
        self.clusters.clean()

    def _load_clusters(self, batch: Sequence[Document]) -> None:
        assert self.store is not None
        keys = {key for doc in batch for event in doc.events if (key := block_key(event)) is not None}
        missing = [key for key in keys if not self.clusters.has_block(key)]
        for cluster in self.store.clusters_in_blocks(missing):
            self.clusters.add(cluster)


def resolve_stream(
    docs: Iterable[Document], corpus: CorpusPass, batch_size: int = RESOLVE_BATCH
) -> Iterator[Document]:
    """The corpus pass over a stream, batch by batch, in input order (for `extract`: nothing stored)."""
    for batch in chunked(docs, batch_size):
        corpus.isolated(batch)
        corpus.stored()
        yield from batch

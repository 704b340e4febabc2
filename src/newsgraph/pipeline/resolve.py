"""The corpus-wide pass: after per-document annotation, give entities their global ids.

`annotate` runs in parallel workers and never invents a global id; this pass runs in the one
process that writes the output, over batches of annotated documents in input order. `extract`
resolves against an in-memory index (ids consistent across one call), `ingest` against the
store's (ids stable as the store grows; the user's merges and splits apply first).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newsgraph.batching import chunked
from newsgraph.entities.index import EntityIndex
from newsgraph.entities.resolve import Resolver
from newsgraph.model import Document
from newsgraph.store import Store

# Documents resolved together: within a batch, full names are resolved before short forms, so a
# larger batch links more "Blinken"-alone mentions to the right person, at the cost of latency.
RESOLVE_BATCH = 512


def make_resolver(store: Store | None = None) -> Resolver:
    """A resolver over the default knowledge base, remembering through `store` when given."""
    from newsgraph.entities.kb import KnowledgeBase

    if store is None:
        return Resolver(EntityIndex(), KnowledgeBase.default())
    index = EntityIndex(store.entities_by_keys, store.known_entity)
    return Resolver(index, KnowledgeBase.default(), store.overrides())


def resolve_stream(docs: Iterable[Document], resolver: Resolver,
                   batch_size: int = RESOLVE_BATCH) -> Iterator[Document]:
    """Resolve documents batch by batch, in input order (for `extract`: nothing is stored)."""
    for batch in chunked(docs, batch_size):
        resolver.resolve(batch)
        yield from batch

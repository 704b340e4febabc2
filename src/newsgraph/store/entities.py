"""Questions about entities (`newsgraph entities`, `newsgraph entity NAME`) and the user's
corrections (`merge`, `split`), which rewrite the stored documents and are remembered as overrides
that the resolver applies first on every later run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsgraph.entities.index import KnownEntity
from newsgraph.entities.kb import entity_id as slug_id
from newsgraph.entities.names import name_keys, name_similarity, normal_text
from newsgraph.model import Document, Entity, Mention, Span
from newsgraph.store.db import Store

SIMILAR_NAME = 0.85  # `entity NAME` finds entities whose names score at least this


@dataclass
class EntitySummary:
    id: str
    name: str
    type: str
    wikidata: str | None
    mentions: int
    documents: int


@dataclass
class EntityProfile:
    summary: EntitySummary
    forms: list[tuple[str, str, int]]  # (surface form, language, mentions)
    # (doc_id, title, published, lang, mentions)
    documents: list[tuple[str, str | None, str | None, str | None, int]]
    co_occurring: list[tuple[str, str, int]]  # (entity id, name, shared documents)
    decisions: list[dict[str, Any]] = field(default_factory=list)


def top_entities(
    store: Store, type: str | None = None, lang: str | None = None, limit: int = 30
) -> list[EntitySummary]:
    """The most mentioned entities, optionally of one type and in documents of one language."""
    sql = (
        "SELECT e.id, e.name, e.type, e.wikidata, count(*), count(DISTINCT a.doc_id)"
        " FROM annotations AS a JOIN entities AS e ON e.id = a.entity"
        " JOIN documents AS d ON d.doc_id = a.doc_id"
        " WHERE a.layer = 'mention' AND (?1 IS NULL OR e.type = ?1) AND (?2 IS NULL OR d.lang = ?2)"
        " GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT ?3"
    )
    return [EntitySummary(*row) for row in store.conn.execute(sql, (type, lang, limit))]


def find_entities(store: Store, name: str) -> list[str]:
    """Ids of the entities `name` designates: an id, a name or alias, else a close spelling in any script."""
    if store.conn.execute("SELECT 1 FROM entities WHERE id = ?", (name,)).fetchone():
        return [name]
    wanted = normal_text(name)
    exact = [
        row[0]
        for row in store.conn.execute(
            "SELECT DISTINCT a.entity FROM annotations AS a"
            " WHERE a.layer = 'mention' AND a.entity IS NOT NULL"
            " AND a.entity IN (SELECT id FROM entities WHERE lower(name) = lower(?1)"
            " OR EXISTS (SELECT 1 FROM json_each(entities.aliases) WHERE lower(value) = lower(?1)))",
            (name,),
        )
    ]
    if exact:
        return sorted(exact)
    close = [
        k
        for k in store.entities_by_keys(sorted(name_keys(name)))
        if any(
            normal_text(f) == wanted or name_similarity(name, f).score >= SIMILAR_NAME
            for f in (k.name, *k.forms)
        )
    ]
    return sorted(k.id for k in close)


def entity_profile(store: Store, entity_id: str, limit: int = 20) -> EntityProfile | None:
    row = store.conn.execute(
        "SELECT e.id, e.name, e.type, e.wikidata,"
        " (SELECT count(*) FROM annotations WHERE layer = 'mention' AND entity = e.id),"
        " (SELECT count(DISTINCT doc_id) FROM annotations WHERE layer = 'mention' AND entity = e.id)"
        " FROM entities AS e WHERE e.id = ?",
        (entity_id,),
    ).fetchone()
    if row is None:
        return None
    forms = store.conn.execute(
        "SELECT json_extract(a.data, '$.text'), coalesce(d.lang, '?'), count(*) FROM annotations AS a"
        " JOIN documents AS d ON d.doc_id = a.doc_id WHERE a.layer = 'mention' AND a.entity = ?"
        " GROUP BY 1, 2 ORDER BY 3 DESC, 1",
        (entity_id,),
    ).fetchall()
    documents = store.conn.execute(
        "SELECT d.doc_id, d.title, d.published, d.lang, count(*) FROM annotations AS a"
        " JOIN documents AS d ON d.doc_id = a.doc_id WHERE a.layer = 'mention' AND a.entity = ?"
        " GROUP BY d.doc_id ORDER BY d.published, d.doc_id LIMIT ?",
        (entity_id, limit),
    ).fetchall()
    # the entity's documents once each, then their other mentions (a join of mention to mention
    # grows with the square of the mentions per document)
    co_occurring = store.conn.execute(
        "SELECT e.id, e.name, count(DISTINCT b.doc_id) FROM annotations AS b"
        " JOIN entities AS e ON e.id = b.entity WHERE b.layer = 'mention' AND b.entity != ?1"
        " AND b.doc_id IN (SELECT doc_id FROM annotations WHERE layer = 'mention' AND entity = ?1)"
        " GROUP BY e.id ORDER BY 3 DESC, e.id LIMIT ?2",
        (entity_id, limit),
    ).fetchall()
    return EntityProfile(EntitySummary(*row), forms, documents, co_occurring, store.resolutions(entity_id))


# ---------------------------------------------------------------------------------------- corrections
def merge_entities(store: Store, sources: Sequence[str], target: str) -> int:
    """Make every mention of `sources` a mention of `target`; returns the documents rewritten.

    All names of the sources are recorded as overrides, so later runs resolve them to `target`."""
    sources = [s for s in sources if s != target]
    forms = set()
    for source in sources:
        known = store.known_entity(source)
        if known is not None:
            forms |= {normal_text(f) for f in (known.name, *known.forms)}
    docs = _documents_mentioning(store, sources)
    for doc in docs:
        _retarget(doc, lambda m: target if m.entity in sources else None)
    merged = _merged_memory(store, [*sources, target], target)
    store.rewrite_documents(docs, [merged] if merged else [], {source: target for source in sources})
    store.add_overrides(sorted(f for f in forms if f), target, "merge")
    return len(docs)


def split_entity(
    store: Store, entity: str, forms: Iterable[str], new_id: str | None = None
) -> tuple[str, int]:
    """Move the mentions of `entity` written as one of `forms` to a new entity; returns (its id,
    documents rewritten). The forms are remembered, so later runs keep them apart."""
    wanted = {normal_text(f) for f in forms}
    known = store.known_entity(entity)
    first = next(iter(sorted(forms)))
    target = new_id or _free_id(store, slug_id(first))
    docs = _documents_mentioning(store, [entity])
    moved = 0
    for doc in docs:
        moved += _retarget(
            doc, lambda m: target if m.entity == entity and normal_text(m.text) in wanted else None
        )
    memory = []
    if known is not None:
        split_off = KnownEntity(id=target, name=first, type=known.type)
        for form, n in list(known.forms.items()):
            if normal_text(form) in wanted:
                split_off.forms[form] = n
                del known.forms[form]
        memory = [known, split_off]
    store.rewrite_documents(docs, memory)
    store.add_overrides(sorted(wanted), target, "split")
    return target, moved


def _free_id(store: Store, base: str) -> str:
    candidate, n = base, 1
    while store.conn.execute("SELECT 1 FROM entities WHERE id = ?", (candidate,)).fetchone():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _documents_mentioning(store: Store, entity_ids: Sequence[str]) -> list[Document]:
    marks = ",".join("?" * len(entity_ids))
    ids = [
        row[0]
        for row in store.conn.execute(
            f"SELECT DISTINCT doc_id FROM annotations WHERE layer = 'mention' AND entity IN ({marks})"
            " ORDER BY doc_id",
            list(entity_ids),
        )
    ]
    return [doc for doc in (store.get(i) for i in ids) if doc is not None]


def _retarget(doc: Document, new_id_of: Callable[[Mention], str | None]) -> int:
    """Re-point mentions (`new_id_of(mention)` -> new id or None) and whatever rests on them:
    event actors, quote speakers and claim sources whose spans cover a moved mention."""
    moved: list[tuple[Span, str, str]] = []
    for m in doc.mentions:
        new = new_id_of(m)
        if new and new != m.entity:
            moved.append(((m.start, m.end), m.entity or "", new))
            m.entity = new
    if not moved:
        return 0

    def replacement(spans: Sequence[Span | None], ids: Sequence[str]) -> dict[str, str]:
        return {
            old: new
            for (s, e), old, new in moved
            for span in spans
            if span and span[0] < e and s < span[1] and old in ids
        }

    for ev in doc.events:
        for role, spans in (("source", ev.source_spans), ("target", ev.target_spans)):
            ids = getattr(ev, role)
            swap = replacement(spans, ids)
            setattr(ev, role, list(dict.fromkeys(swap.get(i, i) for i in ids)))
    for q in doc.quotes:
        if q.speaker:
            q.speaker = replacement([q.speaker_span], [q.speaker]).get(q.speaker, q.speaker)
    for c in doc.claims:
        if c.attributed_entity:
            c.attributed_entity = replacement([c.attribution_span], [c.attributed_entity]).get(
                c.attributed_entity, c.attributed_entity
            )
    _rebuild_entities(doc)
    return len(moved)


def _rebuild_entities(doc: Document) -> None:
    """`doc.entities` from its mentions: one entry per entity id still mentioned."""
    old = doc.entities
    out: dict[str, Entity] = {}
    for m in doc.mentions:
        if not m.entity:
            continue
        ent = out.get(m.entity)
        if ent is None:
            base = old.get(m.entity)
            ent = out[m.entity] = (
                Entity(m.entity, base.name, base.type, [], base.wikidata)
                if base
                else Entity(m.entity, m.text, m.type)
            )
        if m.text not in ent.aliases:
            ent.aliases.append(m.text)
    doc.entities = out


def _merged_memory(store: Store, ids: Sequence[str], target: str) -> KnownEntity | None:
    into = store.known_entity(target)
    if into is None:
        return None
    for other in ids:
        if other == target:
            continue
        known = store.known_entity(other)
        if known is not None:
            into.forms.update(known.forms)
            into.langs.update(known.langs)
            into.neighbours.update(known.neighbours)
            into.documents += known.documents
    return into

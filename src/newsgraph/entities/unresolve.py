"""Taking a stored document back to the state the resolver reads, so that it can decide again.

A stored document carries global entity ids; the per-document clusters of its worker ("L:3") are
gone. To re-resolve it after a correction (a merge, a split, a knowledge-base import), each global
id of the document becomes a local cluster of its own again: the mentions that shared an id keep
sharing a cluster, so the resolver sees the same name groups it saw (`resolve.name_groups` splits a
cluster by name anyway), and event actors, speakers and claim sources point to those clusters, to
be given the id of the name written at their span again.

- `forget(index, doc)` first takes the document's contribution out of the resolver's memory (the
  counts `Resolver._learn` added for each name group: forms, languages, documents, co-occurring
  entities), so re-resolving does not count the same article twice and the names it no longer
  gives an entity leave it;
- `localize(doc)` then gives the document local ids. Names a worker resolved itself (role phrases,
  `entities.roles`, whose ids are knowledge-base ids fixed before any document is read) keep
  theirs; negotiators joined to a state's side (`events.delegates`) are taken out of the events,
  since the corpus pass adds them again with the ids of the new decisions.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from newsgraph.entities.index import EntityIndex, KnownEntity
from newsgraph.entities.names import normal_text
from newsgraph.entities.resolve import LOCAL_PREFIX
from newsgraph.entities.roles import SOURCE as ROLE_SOURCE
from newsgraph.events.delegates import DELEGATE
from newsgraph.model import Document, Entity, Event, Mention

REDONE = LOCAL_PREFIX + "r"  # local ids given back to a stored document: "L:r0", "L:r1", ...


def resolved_here(mention: Mention) -> bool:
    """True for a mention the corpus pass gave its id (not a role phrase the worker linked)."""
    return bool(mention.entity) and mention.source != ROLE_SOURCE


def name_groups_of(doc: Document) -> list[tuple[str, int, set[str]]]:
    """(entity id, mentions, forms) per name group of a resolved document: the groups the resolver
    learnt from (one per entity and normal form), with the forms `_learn` counted for each."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for mention in doc.mentions:
        if resolved_here(mention):
            key = (mention.entity or "", normal_text(mention.normal or mention.text))
            groups.setdefault(key, []).append(mention)
    out = []
    for (entity_id, _), members in groups.items():
        forms = {m.text for m in members} | {members[0].normal or members[0].text}
        out.append((entity_id, len(members), forms))
    return out


def forget(index: EntityIndex, doc: Document) -> list[str]:
    """Take what resolving `doc` taught `index` out of it again; returns the entity ids touched.

    Counts never go below zero: a store built by an older version, or a document resolved with
    other groups, simply loses less."""
    groups = name_groups_of(doc)
    touched: dict[str, KnownEntity] = {}
    for entity_id, count, forms in groups:
        known = touched.get(entity_id) or index.get(entity_id)
        if known is None:
            continue
        touched[entity_id] = known
        _decrease(known.forms, dict.fromkeys(forms, count))
        if doc.lang:
            _decrease(known.langs, {doc.lang: count})
        known.documents = max(0, known.documents - 1)
    # every pair of the document's name groups named each other once, in both directions
    for (a, _, _), (b, _, _) in combinations(groups, 2):
        if a != b and a in touched and b in touched:
            _decrease(touched[a].neighbours, {b: 1})
            _decrease(touched[b].neighbours, {a: 1})
    for known in touched.values():
        index.put(known)
    return sorted(touched)


def _decrease(counts: Counter[str], by: dict[str, int]) -> None:
    for key, n in by.items():
        left = counts.get(key, 0) - n
        if left > 0:
            counts[key] = left
        else:
            counts.pop(key, None)


def localize(doc: Document) -> dict[str, str]:
    """Give `doc` local cluster ids again, one per global id its mentions carry; returns the map
    global id -> local id. Everything that referred to a global id now refers to its cluster."""
    local: dict[str, str] = {}
    for mention in doc.mentions:
        if resolved_here(mention) and mention.entity not in local:
            local[mention.entity or ""] = f"{REDONE}{len(local)}"
    for event in doc.events:
        drop_delegates(event)
        event.source = [local.get(e, e) for e in event.source]
        event.target = [local.get(e, e) for e in event.target]
        event.location = local.get(event.location, event.location) if event.location else None
    for quote in doc.quotes:
        quote.speaker = local.get(quote.speaker, quote.speaker) if quote.speaker else None
    for claim in doc.claims:
        if claim.attributed_entity:
            claim.attributed_entity = local.get(claim.attributed_entity, claim.attributed_entity)
    entities: dict[str, Entity] = {k: v for k, v in doc.entities.items() if k not in local}
    for mention in doc.mentions:
        if not resolved_here(mention):
            continue
        old = mention.entity or ""
        mention.entity = local[old]
        ent = entities.get(mention.entity)
        if ent is None:
            before = doc.entities.get(old)
            ent = entities[mention.entity] = Entity(
                mention.entity, before.name if before else mention.text, mention.type
            )
        if mention.text not in ent.aliases:
            ent.aliases.append(mention.text)
    doc.entities = entities
    return local


def drop_delegates(event: Event) -> None:
    """Take out the negotiators `events.delegates` joined to a side (and their context tags): the
    corpus pass joins them again, under the ids it then gives them."""
    added = [c[len(DELEGATE) :] for c in event.context if c.startswith(DELEGATE)]
    if not added:
        return
    for person in added:
        for ids, spans in ((event.source, event.source_spans), (event.target, event.target_spans)):
            if person in ids:
                position = len(ids) - 1 - ids[::-1].index(person)
                del ids[position]
                if spans:  # join_side appended the person's span last
                    spans.pop()
                break
    event.context = [c for c in event.context if not c.startswith(DELEGATE)]

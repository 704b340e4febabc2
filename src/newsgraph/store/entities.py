"""Questions about entities (`newsgraph entities`, `newsgraph entity NAME`) and the user's
corrections (`merge`, `split`): each is remembered as overrides that the resolver applies first on
every later run, and re-resolves the documents it affects at once (`newsgraph.store.corrections`),
so mentions, events, quotes, claims and event clusters agree with it in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from newsgraph.entities.kb import entity_id as slug_id
from newsgraph.entities.names import name_keys, name_length, name_similarity, normal_text
from newsgraph.store.db import SIMILAR_NAME, Store  # `entity NAME` and search agree on a name
from newsgraph.store.rows import ENTITY_NUMBER, ENTITY_NUMBERS_IN, MENTION

NUMBER_OF_PARAMETER = ENTITY_NUMBER.format("?")  # the annotation rows' number of the entity id given

SUGGESTIONS = 5  # close names offered when a correction names an unknown entity
SUGGESTED_NAME = 0.6  # a name sharing a phonetic key is offered from this similarity on
CLOSE_SPELLING = 0.6  # difflib ratio of a spelling offered when no phonetic key is shared

Progress = Callable[[int], None]
"""Called with the number of documents just re-resolved (for a progress bar)."""


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
        "SELECT e.id, e.name, e.type, e.wikidata, count(*), count(DISTINCT a.doc)"
        " FROM annotations AS a JOIN entity_numbers AS x ON x.n = a.entity JOIN entities AS e ON e.id = x.id"
        " JOIN documents AS d ON d.id = a.doc"
        f" WHERE a.layer = {MENTION} AND (?1 IS NULL OR e.type = ?1) AND (?2 IS NULL OR d.lang = ?2)"
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
            "SELECT x.id FROM entity_numbers AS x WHERE x.id IN (SELECT id FROM entities"
            " WHERE lower(name) = lower(?1)"
            " OR EXISTS (SELECT 1 FROM json_each(entities.aliases) WHERE lower(value) = lower(?1)))"
            f" AND EXISTS (SELECT 1 FROM annotations AS a WHERE a.layer = {MENTION} AND a.entity = x.n)",
            (name,),
        )
    ]
    if exact:
        return sorted(exact)
    # a name may be a short form of the entity's ("Gallant"), never longer: "Hunter Biden" is not
    # the "Joe Biden" also written "Biden"
    close = [
        k
        for k in store.entities_by_keys(sorted(name_keys(name)))
        if any(
            normal_text(f) == wanted
            or (name_similarity(name, f).score >= SIMILAR_NAME and name_length(name) <= name_length(f))
            for f in (k.name, *k.forms)
        )
    ]
    return sorted(k.id for k in close)


def entity_profile(store: Store, entity_id: str, limit: int = 20) -> EntityProfile | None:
    row = store.conn.execute(
        "SELECT e.id, e.name, e.type, e.wikidata,"
        f" (SELECT count(*) FROM annotations WHERE layer = {MENTION}"
        f" AND entity = {ENTITY_NUMBER.format('e.id')}),"
        " (SELECT count(DISTINCT doc) FROM annotations"
        f" WHERE layer = {MENTION} AND entity = {ENTITY_NUMBER.format('e.id')})"
        " FROM entities AS e WHERE e.id = ?",
        (entity_id,),
    ).fetchone()
    if row is None:
        return None
    forms = store.conn.execute(
        "SELECT json_extract(ng_json(a.data), '$.text'), coalesce(d.lang, '?'), count(*)"
        " FROM annotations AS a"
        f" JOIN documents AS d ON d.id = a.doc WHERE a.layer = {MENTION} AND a.entity = {NUMBER_OF_PARAMETER}"
        " GROUP BY 1, 2 ORDER BY 3 DESC, 1",
        (entity_id,),
    ).fetchall()
    documents = store.conn.execute(
        "SELECT d.doc_id, d.title, d.published, d.lang, count(*) FROM annotations AS a"
        f" JOIN documents AS d ON d.id = a.doc WHERE a.layer = {MENTION} AND a.entity = {NUMBER_OF_PARAMETER}"
        " GROUP BY d.doc_id ORDER BY d.published, d.doc_id LIMIT ?",
        (entity_id, limit),
    ).fetchall()
    # the entity's documents once each, then their other mentions (a join of mention to mention
    # grows with the square of the mentions per document)
    co_occurring = store.conn.execute(
        "SELECT e.id, e.name, count(DISTINCT b.doc) FROM annotations AS b"
        " JOIN entity_numbers AS x ON x.n = b.entity JOIN entities AS e ON e.id = x.id"
        f" WHERE b.layer = {MENTION} AND x.id != ?1"
        f" AND b.doc IN (SELECT doc FROM annotations WHERE layer = {MENTION}"
        f" AND entity = {ENTITY_NUMBER.format('?1')})"
        " GROUP BY e.id ORDER BY 3 DESC, e.id LIMIT ?2",
        (entity_id, limit),
    ).fetchall()
    return EntityProfile(EntitySummary(*row), forms, documents, co_occurring, store.resolutions(entity_id))


# ---------------------------------------------------------------------------------------- corrections
class UnknownEntityError(ValueError):
    """A correction named an entity or a name the store does not have; `suggestions` are close
    names the user may have meant (empty when none is close)."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()):
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(message + hint)
        self.suggestions = list(suggestions)


def suggest_names(store: Store, name: str, limit: int = SUGGESTIONS) -> list[str]:
    """Names of stored entities close to `name`: those sharing a phonetic key with it, best first,
    else the nearest spellings of any entity name (a typo may change the key)."""
    scored = []
    for known in store.entities_by_keys(sorted(name_keys(name))):
        score = max(name_similarity(name, f).score for f in (known.name, *known.forms))
        if score >= SUGGESTED_NAME:
            scored.append((-score, known.name))
    if scored:
        return list(dict.fromkeys(n for _, n in sorted(scored)))[:limit]
    written: dict[str, str] = {}  # every name and alias -> the entity's name
    for entity_name, alias in store.conn.execute(
        "SELECT e.name, a.value FROM entities AS e, json_each(e.aliases) AS a"
        " UNION SELECT name, name FROM entities"
    ):
        written.setdefault(alias, entity_name)
    close = get_close_matches(name, list(written), n=limit * 3, cutoff=CLOSE_SPELLING)
    return list(dict.fromkeys(written[c] for c in close))[:limit]


def resolve_entity(store: Store, name: str) -> str:
    """The one entity `name` designates (an id, a name or alias, a close spelling in any script).

    Raises `UnknownEntityError` when it designates none (with close names to suggest) or several
    (listing them with their ids, so the user can give one)."""
    ids = find_entities(store, name)
    if not ids:
        raise UnknownEntityError(
            f"no entity named {name!r} in the store: give a name or an id from `newsgraph entities`",
            suggest_names(store, name),
        )
    if len(ids) > 1:
        listed = [f"{i} ({_name_of(store, i)})" for i in ids[:SUGGESTIONS]]
        raise UnknownEntityError(
            f"{name!r} names {len(ids)} entities: {', '.join(listed)}; give one of these ids instead"
        )
    return ids[0]


def _name_of(store: Store, entity_id: str) -> str:
    row = store.conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return str(row[0]) if row else entity_id


def mention_forms(store: Store, entity_ids: Sequence[str]) -> set[str]:
    """Normal forms of every name the mentions of these entities are written with (surface and
    lemma), as overrides are keyed."""
    rows = store.conn.execute(
        "SELECT DISTINCT json_extract(ng_json(data), '$.text'), json_extract(ng_json(data), '$.normal')"
        " FROM annotations"
        f" WHERE layer = {MENTION}"
        f" AND entity IN {ENTITY_NUMBERS_IN.format('SELECT value FROM json_each(?)')}",
        (json.dumps(list(entity_ids)),),
    )
    return {normal_text(f) for row in rows for f in row if f} - {""}


@dataclass
class Correction:
    """What a merge or a split did: the entity kept or founded, and what re-resolution changed."""

    entity: str
    documents: int
    mentions_changed: int
    clusters: int
    removed_entities: list[str]


def merge_entities(
    store: Store, sources: Sequence[str], target: str, progress: Progress | None = None
) -> Correction:
    """Make `sources` (entity ids) one entity with `target`, everywhere at once.

    Every name of the sources becomes an override to `target` (later ingests resolve them there),
    then the documents that mention a source are re-resolved: mentions, event actors, speakers,
    claim sources and event clusters (the sources' contacts join the target's), in one transaction.
    Raises `UnknownEntityError` for an id the store does not have."""
    from newsgraph.store.corrections import reresolve

    sources = [s for s in dict.fromkeys(sources) if s != target]
    for entity_id in (*sources, target):
        _must_exist(store, entity_id)
    with store.transaction():
        forms = mention_forms(store, sources)
        for source in sources:
            known = store.known_entity(source)
            if known is not None:
                forms |= {normal_text(f) for f in (known.name, *known.forms)}
        store.add_overrides(sorted(f for f in forms if f), target, "merge")
        done = reresolve(store, store.documents_mentioning(sources), progress, also_unused=sources)
    return Correction(target, done.documents, done.mentions_changed, done.clusters, done.removed_entities)


def split_entity(
    store: Store,
    entity: str,
    forms: Iterable[str],
    new_id: str | None = None,
    progress: Progress | None = None,
) -> Correction:
    """Give the mentions of `entity` written as one of `forms` a new entity of their own,
    everywhere at once (events, quotes, claims and clusters follow, in one transaction).

    The forms are remembered as overrides, so later runs keep them apart. Raises
    `UnknownEntityError` for an unknown entity, or a form it is never written as (suggesting the
    names it is written as)."""
    from newsgraph.store.corrections import reresolve

    _must_exist(store, entity)
    forms = list(dict.fromkeys(forms))
    if not forms:
        raise UnknownEntityError(f"give the names of {entity} to split off (--form NAME)")
    written = mention_forms(store, [entity])
    missing = [f for f in forms if normal_text(f) not in written]
    if missing:
        rows = store.conn.execute(
            "SELECT json_extract(ng_json(data), '$.text'), count(*) FROM annotations"
            f" WHERE layer = {MENTION} AND entity = {NUMBER_OF_PARAMETER}"
            " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
            (entity, SUGGESTIONS),
        )
        raise UnknownEntityError(
            f"{entity} is never written as {', '.join(repr(f) for f in missing)}: give names it is "
            "written as (see `newsgraph entity NAME`)",
            [row[0] for row in rows],
        )
    target = new_id or _free_id(store, slug_id(forms[0]))
    with store.transaction():
        store.add_overrides(sorted({normal_text(f) for f in forms}), target, "split")
        done = reresolve(store, store.documents_mentioning([entity]), progress)
    return Correction(target, done.documents, done.mentions_changed, done.clusters, done.removed_entities)


def _must_exist(store: Store, entity_id: str) -> None:
    if not store.conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone():
        raise UnknownEntityError(
            f"no entity {entity_id!r} in the store: give an id from `newsgraph entities`",
            suggest_names(store, entity_id.removeprefix("E:").replace("-", " ")),
        )


def _free_id(store: Store, base: str) -> str:
    candidate, n = base, 1
    while store.conn.execute("SELECT 1 FROM entities WHERE id = ?", (candidate,)).fetchone():
        n += 1
        candidate = f"{base}-{n}"
    return candidate

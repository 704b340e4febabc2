"""Stories as the store holds them: each document's interchange record names its story
(`"story": "S:…"`, given by the corpus pass), and a story is the set of documents that name it.

Two functions, the shared contract every face calls (the CLI's `stories`/`story`, `/api/stories`,
the `/stories` pages):
- `list_stories(store, since=, until=, entity_ids=, lang=, limit=, offset=)` -> a page of story
  summaries, newest story first (by its last article's date), with the total;
- `story(store, story_id)` -> one summary with its articles (date order), its events (timeline
  entries, as `/api/timeline` gives them) and its framing (None until a framing module fills it).

A summary: `id`, `label` (the names of its most mentioned entities), `title` (the headline of its
first article), `first`/`last` (days of its first and last article), `size` (distinct texts:
copies of one article under the same headline count once), `documents` (all, copies included),
`languages` and `outlets` (articles per value) and `entities` (the five entities most articles of
the story mention, with that count).

The story of each document is read from the records once per state of the store (count and last
row of `documents`, so an ingest shows at once) and kept in memory; a page then costs one query for
its stories' entities, and filtering by period and language runs over the kept dates.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.query import DateBound, iso
from newsgraph.store.timeline import clusters_of_documents

TOP_ENTITIES = 5
LABEL_ENTITIES = 3
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class _Member:
    doc_id: str
    title: str | None
    lang: str | None
    outlet: str | None
    published: str | None
    url: str | None


@dataclass
class _Index:
    """Every story's documents (date order), the story of each document, and the stories newest first."""

    members: dict[str, list[_Member]]
    story_of: dict[str, str]
    newest_first: list[str]


_cache: dict[str, tuple[tuple[Any, ...], _Index]] = {}
_lock = threading.Lock()


def _index(store: Store) -> _Index:
    """The stories of the store, read once per state of the store (count and last row of documents)."""
    state = tuple(store.conn.execute("SELECT count(*), max(id) FROM documents").fetchone())
    key = str(store.path.resolve())
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == state:
            return cached[1]
    members: dict[str, list[_Member]] = {}
    rows = store.conn.execute(
        "SELECT json_extract(record, '$.story'), doc_id, title, lang, outlet, published, url FROM documents"
        " WHERE json_extract(record, '$.story') IS NOT NULL"
        " ORDER BY published IS NULL, published, id"
    )
    for story_id, *fields in rows:
        members.setdefault(story_id, []).append(_Member(*fields))
    newest = sorted(
        members,
        key=lambda story_id: (max(m.published or "" for m in members[story_id]), story_id),
        reverse=True,
    )
    index = _Index(members, {m.doc_id: s for s, ms in members.items() for m in ms}, newest)
    with _lock:
        _cache[key] = (state, index)
    return index


def _day(published: str | None) -> str | None:
    return published[:10] if published else None


def _title_key(title: str | None) -> str | None:
    return _SPACES.sub(" ", title).strip().casefold() if title else None


def _duplicates(members: Sequence[_Member]) -> dict[str, str]:
    """doc id -> the earlier article of the story it copies (the same headline, spacing and case aside)."""
    first: dict[str, str] = {}
    copies = {}
    for m in members:
        key = _title_key(m.title)
        if key is None:
            continue
        if key in first:
            copies[m.doc_id] = first[key]
        else:
            first[key] = m.doc_id
    return copies


def _top_entities(store: Store, stories: Mapping[str, Sequence[_Member]]) -> dict[str, list[dict[str, Any]]]:
    """Per story, the entities most of its articles mention (one query for a whole page of stories)."""
    pairs = json.dumps([[m.doc_id, story_id] for story_id, members in stories.items() for m in members])
    rows = store.conn.execute(
        "WITH m (doc_id, story) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')"
        " FROM json_each(?)) SELECT m.story, e.id, e.name, e.type, count(DISTINCT a.doc_id) AS n"
        # by document: the planner would otherwise walk every mention by entity
        " FROM m JOIN annotations AS a INDEXED BY annotations_doc"
        " ON a.doc_id = m.doc_id AND a.layer = 'mention'"
        " JOIN entities AS e ON e.id = a.entity GROUP BY m.story, e.id ORDER BY m.story, n DESC, e.id",
        (pairs,),
    )
    top: dict[str, list[dict[str, Any]]] = {story_id: [] for story_id in stories}
    for story_id, entity_id, name, type_, n in rows:
        if len(top[story_id]) < TOP_ENTITIES:
            top[story_id].append({"id": entity_id, "name": name, "type": type_, "count": n})
    return top


def _summary(story_id: str, members: Sequence[_Member], entities: list[dict[str, Any]]) -> dict[str, Any]:
    days = [d for d in (_day(m.published) for m in members) if d]
    titled = [m.title for m in members if m.title]
    copies = _duplicates(members)
    return {
        "id": story_id,
        "label": " · ".join(e["name"] for e in entities[:LABEL_ENTITIES])
        or (titled[0] if titled else story_id),
        "title": titled[0] if titled else "",
        "first": min(days) if days else None,
        "last": max(days) if days else None,
        "size": len(members) - len(copies),
        "documents": len(members),
        "languages": dict(Counter(m.lang or "unknown" for m in members).most_common()),
        "outlets": dict(Counter(m.outlet for m in members if m.outlet).most_common()),
        "entities": entities,
    }


def _overlaps(published: str | None, since: DateBound | None, until: DateBound | None) -> bool:
    """`published` meets [since, until] as `query.published_filter` has it: both bounds inclusive,
    compared at the coarser of the two precisions; no date meets no bound."""
    if published is None:
        return False
    if since is not None:
        start = iso(since)
        if published[: len(start)] < start[: len(published)]:
            return False
    if until is not None:
        end = iso(until)
        if published[: len(end)] > end[: len(published)]:
            return False
    return True


def _stories_mentioning(store: Store, index: _Index, entity_ids: Sequence[str]) -> set[str]:
    rows = store.conn.execute(
        "SELECT DISTINCT doc_id FROM annotations WHERE layer = 'mention'"
        " AND entity IN (SELECT value FROM json_each(?))",
        (json.dumps(list(entity_ids)),),
    )
    return {index.story_of[doc_id] for (doc_id,) in rows if doc_id in index.story_of}


def list_stories(
    store: Store,
    *,
    since: DateBound | None = None,
    until: DateBound | None = None,
    entity_ids: Sequence[str] | None = None,
    lang: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """A page of story summaries, newest story first: those with an article in the period (and the
    language) that mention one of the entities (module docstring)."""
    index = _index(store)
    with_entity = _stories_mentioning(store, index, entity_ids) if entity_ids else None
    dated = since is not None or until is not None
    kept = [
        story_id
        for story_id in index.newest_first
        if (with_entity is None or story_id in with_entity)
        and (lang is None or any(m.lang == lang for m in index.members[story_id]))
        and (not dated or any(_overlaps(m.published, since, until) for m in index.members[story_id]))
    ]
    page = {story_id: index.members[story_id] for story_id in kept[offset : offset + limit]}
    entities = _top_entities(store, page)
    return {
        "total": len(kept),
        "limit": limit,
        "offset": offset,
        "items": [_summary(story_id, members, entities[story_id]) for story_id, members in page.items()],
    }


def story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story: its summary, articles in date order (copies marked), events and framing."""
    members = _index(store).members.get(story_id)
    if not members:
        return None
    copies = _duplicates(members)
    return {
        **_summary(story_id, members, _top_entities(store, {story_id: members})[story_id]),
        "articles": [
            {
                "id": m.doc_id,
                "title": m.title,
                "lang": m.lang,
                "outlet": m.outlet,
                "published": m.published,
                "url": m.url,
                "duplicate_of": copies.get(m.doc_id),
            }
            for m in members
        ],
        "events": [asdict(e) for e in clusters_of_documents(store, [m.doc_id for m in members])],
        "framing": None,
    }

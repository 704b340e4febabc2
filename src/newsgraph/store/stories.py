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
row of `documents`, so an ingest or a rewrite shows at once) and kept in memory: pages of a store
of ten thousand articles then cost a few small queries.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.query import DateBound, published_filter
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


_cache: dict[str, tuple[tuple[Any, ...], dict[str, list[_Member]]]] = {}
_lock = threading.Lock()


def _members(store: Store) -> dict[str, list[_Member]]:
    """Story id -> its documents in date order (undated last), read once per state of the store."""
    state = tuple(
        store.conn.execute(
            "SELECT count(*), max(id), (SELECT max(ingested_at) FROM documents) FROM documents"
        ).fetchone()
    )
    key = str(store.path.resolve())
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == state:
            return cached[1]
    stories: dict[str, list[_Member]] = {}
    rows = store.conn.execute(
        "SELECT json_extract(record, '$.story'), doc_id, title, lang, outlet, published, url FROM documents"
        " WHERE json_extract(record, '$.story') IS NOT NULL"
        " ORDER BY published IS NULL, published, id"
    )
    for story_id, *fields in rows:
        stories.setdefault(story_id, []).append(_Member(*fields))
    with _lock:
        _cache[key] = (state, stories)
    return stories


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


def _top_entities(store: Store, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT e.id, e.name, e.type, count(DISTINCT a.doc_id) AS n FROM annotations AS a"
        " JOIN entities AS e ON e.id = a.entity WHERE a.layer = 'mention'"
        " AND a.doc_id IN (SELECT value FROM json_each(?)) GROUP BY e.id ORDER BY n DESC, e.id LIMIT ?",
        (json.dumps(list(doc_ids)), TOP_ENTITIES),
    )
    return [{"id": i, "name": name, "type": type_, "count": n} for i, name, type_, n in rows]


def _summary(store: Store, story_id: str, members: Sequence[_Member]) -> dict[str, Any]:
    entities = _top_entities(store, [m.doc_id for m in members])
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


def _matches(
    store: Store,
    members: Sequence[_Member],
    since: DateBound | None,
    until: DateBound | None,
    entity_ids: Sequence[str] | None,
    lang: str | None,
) -> bool:
    """Whether a story has an article in the period (and language) and mentions one of the entities."""
    if lang is not None and not any(m.lang == lang for m in members):
        return False
    if since is not None or until is not None:
        condition, params = published_filter(since, until, "value")
        days = json.dumps([m.published for m in members if m.published])
        found = store.conn.execute(
            f"SELECT 1 FROM json_each(?) WHERE {condition} LIMIT 1", (days, *params)
        ).fetchone()
        if not found:
            return False
    if entity_ids:
        found = store.conn.execute(
            "SELECT 1 FROM annotations WHERE layer = 'mention' AND entity IN (SELECT value FROM json_each(?))"
            " AND doc_id IN (SELECT value FROM json_each(?)) LIMIT 1",
            (json.dumps(list(entity_ids)), json.dumps([m.doc_id for m in members])),
        ).fetchone()
        if not found:
            return False
    return True


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
    """A page of story summaries, newest story first (module docstring)."""
    stories = _members(store)
    with_entity = _stories_mentioning(store, entity_ids) if entity_ids else None
    ordered = sorted(
        stories.items(),
        key=lambda item: (max((m.published or "" for m in item[1]), default=""), item[0]),
        reverse=True,
    )
    kept = [
        (story_id, members)
        for story_id, members in ordered
        if (with_entity is None or story_id in with_entity)
        and _matches(store, members, since, until, None, lang)
    ]
    page = kept[offset : offset + limit]
    return {
        "total": len(kept),
        "limit": limit,
        "offset": offset,
        "items": [_summary(store, story_id, members) for story_id, members in page],
    }


def _stories_mentioning(store: Store, entity_ids: Sequence[str]) -> set[str]:
    rows = store.conn.execute(
        "SELECT DISTINCT doc_id FROM annotations WHERE layer = 'mention'"
        " AND entity IN (SELECT value FROM json_each(?))",
        (json.dumps(list(entity_ids)),),
    )
    docs = {doc_id for (doc_id,) in rows}
    return {
        story_id for story_id, members in _members(store).items() if any(m.doc_id in docs for m in members)
    }


def story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story: its summary, articles in date order (copies marked), events and framing."""
    members = _members(store).get(story_id)
    if not members:
        return None
    copies = _duplicates(members)
    return {
        **_summary(store, story_id, members),
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

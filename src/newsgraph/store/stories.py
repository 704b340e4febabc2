"""Stories as the store holds them, in the shape of the shared stories contract.

The story pass writes each document's story id into its record (`Document.story`); the store keeps
no story table, so a story is read as the group of documents naming it. Its summary is aggregated
from them: dates, languages, outlets, the entities its articles mention most, and how many
distinct texts it has once near-duplicates are folded under their first version
(`newsgraph.stories.copies`). `story` adds the articles in date order, each copy pointing at its
original, and the event clusters its articles report, in the shape of the timeline's entries.

Listing reads one light row per document (no text) and aggregates only the requested page in
full, so a page costs the same however many stories the store holds.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsgraph.config import TIMELINE_MIN_CONFIDENCE
from newsgraph.store.db import Store
from newsgraph.stories.copies import copies_of

TOP_ENTITIES = 5  # entities in a story summary
LABEL_ENTITIES = 3  # entity names joined into a story's label
STORY_EVENTS = 100  # event clusters listed on a story
UNKNOWN_LANG = "und"  # BCP 47 "undetermined", for a document whose language was not identified
STORY = "json_extract(record, '$.story')"


@dataclass(frozen=True)
class Article:
    """One stored document of a story, without its text."""

    id: str
    title: str | None
    lang: str | None
    outlet: str | None
    published: str | None
    url: str | None

    @property
    def day(self) -> str | None:
        return self.published[:10] if self.published else None


def list_stories(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    entity_ids: Sequence[str] | None = None,
    lang: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """Stories newest first (by their latest article), those overlapping [since, until], with an
    article in `lang` and an article mentioning one of `entity_ids` when these are given."""
    groups = _articles(store)
    mentioning = _documents_mentioning(store, entity_ids) if entity_ids else None
    selected = [
        story_id
        for story_id, articles in groups.items()
        if _overlaps(articles, since, until)
        and (lang is None or any(a.lang == lang for a in articles))
        and (mentioning is None or any(a.id in mentioning for a in articles))
    ]
    selected.sort(key=lambda story_id: _recency(groups[story_id]), reverse=True)
    page = selected[offset : offset + limit]
    return {
        "total": len(selected),
        "limit": limit,
        "offset": offset,
        "items": [_summary(store, story_id, groups[story_id])[0] for story_id in page],
    }


def story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story with its articles (copies pointing at their original) and its events; None if unknown."""
    articles = _articles(store, story_id).get(story_id)
    if not articles:
        return None
    summary, originals = _summary(store, story_id, articles)
    events = _events(store, [a.id for a in articles])
    named = {i for event in events for role in ("source", "target") for i in event[role]}
    return {
        **summary,
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "lang": a.lang,
                "outlet": a.outlet,
                "published": a.published,
                "url": a.url,
                "duplicate_of": originals[a.id],
            }
            for a in articles
        ],
        "events": events,
        # names of the entities the events' source and target ids designate, for display
        "names": _entity_names(store, named | {e["id"] for e in summary["entities"]}),
        "framing": None,  # the framing module fills it when present
    }


def _articles(store: Store, story_id: str | None = None) -> dict[str, list[Article]]:
    """Story id -> its documents in date order (undated last), for one story or all of them."""
    condition = f"{STORY} = ?" if story_id is not None else f"{STORY} IS NOT NULL"
    rows = store.conn.execute(
        f"SELECT {STORY}, doc_id, title, lang, outlet, published, url FROM documents"
        f" WHERE {condition} ORDER BY published IS NULL, published, id",
        (story_id,) if story_id is not None else (),
    )
    groups: dict[str, list[Article]] = {}
    for sid, *fields in rows:
        groups.setdefault(sid, []).append(Article(*fields))
    return groups


def _documents_mentioning(store: Store, entity_ids: Sequence[str]) -> set[str]:
    rows = store.conn.execute(
        "SELECT DISTINCT doc_id FROM annotations WHERE layer = 'mention'"
        " AND entity IN (SELECT value FROM json_each(?))",
        (json.dumps(list(entity_ids)),),
    )
    return {doc_id for (doc_id,) in rows}


def _overlaps(articles: Sequence[Article], since: str | None, until: str | None) -> bool:
    """True when the story's days overlap [since, until]; bounds are compared at the coarser of the
    two precisions ("2023-11" keeps a story of 2023-11-03), as the document filters do."""
    if since is None and until is None:
        return True
    days = [a.day for a in articles if a.day]
    if not days:
        return False
    first, last = min(days), max(days)
    after = since is None or _prefix(last, since) >= _prefix(since, last)
    before = until is None or _prefix(first, until) <= _prefix(until, first)
    return after and before


def _prefix(value: str, other: str) -> str:
    return value[: min(len(value), len(other))]


def _recency(articles: Sequence[Article]) -> tuple[str, str]:
    """Sort key: the latest day of the story (undated stories last when sorted newest first)."""
    days = [a.day for a in articles if a.day]
    return (max(days) if days else "", min(days) if days else "")


def _summary(
    store: Store, story_id: str, articles: Sequence[Article]
) -> tuple[dict[str, Any], dict[str, str | None]]:
    """STORY_SUMMARY of the contract, and each article's original when it is a near-duplicate."""
    originals = _originals(store, articles)
    entities = _top_entities(store, [a.id for a in articles])
    days = [a.day for a in articles if a.day]
    label = " · ".join(e["name"] for e in entities[:LABEL_ENTITIES])
    title = next((a.title for a in articles if a.title), None) or label or story_id
    summary = {
        "id": story_id,
        "label": label or title,
        "title": title,
        "first": min(days) if days else None,
        "last": max(days) if days else None,
        "size": sum(1 for a in articles if originals[a.id] is None),
        "documents": len(articles),
        "languages": dict(Counter(a.lang or UNKNOWN_LANG for a in articles).most_common()),
        "outlets": dict(Counter(a.outlet for a in articles if a.outlet).most_common()),
        "entities": entities,
    }
    return summary, originals


def _originals(store: Store, articles: Sequence[Article]) -> dict[str, str | None]:
    """Doc id -> the id of the earlier article it is a near-duplicate of (None for an original)."""
    bodies = dict(
        store.conn.execute(
            "SELECT d.doc_id, b.body FROM documents AS d JOIN documents_body AS b ON b.id = d.id"
            " WHERE d.doc_id IN (SELECT value FROM json_each(?))",
            (json.dumps([a.id for a in articles]),),
        )
    )
    copies = copies_of([bodies.get(a.id) or "" for a in articles])
    return {
        a.id: (articles[original].id if original is not None else None)
        for a, original in zip(articles, copies, strict=True)
    }


def _top_entities(store: Store, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The entities most of the story's articles mention (count: articles), then most mentioned."""
    rows = store.conn.execute(
        "SELECT e.id, e.name, e.type, count(DISTINCT a.doc_id) AS docs, count(*) AS mentions"
        " FROM annotations AS a JOIN entities AS e ON e.id = a.entity"
        " WHERE a.layer = 'mention' AND a.doc_id IN (SELECT value FROM json_each(?))"
        " GROUP BY e.id ORDER BY docs DESC, mentions DESC, e.id LIMIT ?",
        (json.dumps(list(doc_ids)), TOP_ENTITIES),
    )
    return [
        {"id": entity_id, "name": name, "type": entity_type, "count": docs}
        for entity_id, name, entity_type, docs, _ in rows
    ]


def _entity_names(store: Store, ids: Iterable[str]) -> dict[str, dict[str, str]]:
    rows = store.conn.execute(
        "SELECT id, name, type FROM entities WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(ids))),),
    )
    return {entity_id: {"name": name, "type": entity_type} for entity_id, name, entity_type in rows}


def _events(store: Store, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The event clusters reported in `doc_ids`, as timeline entries (every report of each cluster,
    in the story or not), those that took place in date order first, then the planned ones."""
    # the web timeline's grouping, read until the application's single timeline replaces it
    from newsgraph.api import timeline as tl

    keys = [
        key
        for (key,) in store.conn.execute(
            f"SELECT {tl.GROUP_KEY} AS grp {tl.FROM_EVENTS} AND {tl.ASSERTED}"
            " AND a.doc_id IN (SELECT value FROM json_each(?))"
            f" GROUP BY grp HAVING max({tl.CONFIDENCE}) >= ?"
            f" ORDER BY min({tl.PLANNED}), min({tl.EVENT_DAY}) IS NULL, min({tl.EVENT_DAY}), grp LIMIT ?",
            (json.dumps(list(doc_ids)), TIMELINE_MIN_CONFIDENCE, STORY_EVENTS),
        )
    ]
    reports = tl._reports(store, keys)
    return [tl._entry(reports[key]) for key in keys]

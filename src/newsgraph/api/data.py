"""What each endpoint answers, as JSON-ready values: the JSON API returns them as they are and the
web pages render the same values, so the two views never disagree.

The store's query functions return the first N rows; a page at `offset` is cut from the first
`offset + limit + 1` of them (offsets are bounded by `params.MAX_OFFSET`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from http import HTTPStatus
from typing import Any

from newsgraph.api.params import ApiError, Page
from newsgraph.model import Document
from newsgraph.store import entities as entity_queries
from newsgraph.store import facts
from newsgraph.store.db import HIGHLIGHT, Store
from newsgraph.store.query import published_filter


def split_marked(snippet: str, marks: tuple[str, str] = HIGHLIGHT) -> tuple[str, list[tuple[int, int]]]:
    """A search snippet without its match markers, and the `[start, end)` spans the markers enclosed.

    The store puts markers around matched words but does not escape the text, so the API returns
    plain text and offsets, which a client can render safely."""
    opening, closing = marks
    plain, spans, rest = "", [], snippet
    while (start := rest.find(opening)) >= 0 and (end := rest.find(closing, start + len(opening))) >= 0:
        plain += rest[:start]
        matched = rest[start + len(opening) : end]
        spans.append((len(plain), len(plain) + len(matched)))
        plain += matched
        rest = rest[end + len(closing) :]
    return plain + rest, spans


def documents(
    store: Store, q: str | None, lang: str | None, since: str | None, until: str | None, page: Page
) -> dict[str, Any]:
    """Full-text search (best first) when `q` is given, else the documents, most recently published first."""
    if q:
        hits = store.search(q, lang=lang, since=since, until=until, limit=page.window)
        items = []
        for hit in hits:
            snippet, highlights = split_marked(hit.snippet)
            items.append(
                {
                    "doc_id": hit.doc_id,
                    "title": hit.title,
                    "lang": hit.lang,
                    "published": hit.published,
                    "snippet": snippet,
                    "highlights": highlights,
                    "rank": hit.rank,
                }
            )
        return page.payload(items)
    condition, params = published_filter(since, until)
    if lang is not None:
        condition += " AND lang = ?"
        params.append(lang)
    rows = store.conn.execute(
        "SELECT doc_id, title, lang, published, outlet FROM documents"
        f" WHERE {condition} ORDER BY published IS NULL, published DESC, id DESC LIMIT ? OFFSET ?",
        (*params, page.limit + 1, page.offset),
    ).fetchall()
    names = ("doc_id", "title", "lang", "published", "outlet")
    return page.payload([dict(zip(names, row, strict=True)) for row in rows], skipped=page.offset)


def document(store: Store, doc_id: str) -> Document:
    doc = store.get(doc_id)
    if doc is None:
        raise ApiError(HTTPStatus.NOT_FOUND, f"no document {doc_id!r}: find ids with /api/documents?q=WORDS")
    return doc


def entities(store: Store, type: str | None, lang: str | None, page: Page) -> dict[str, Any]:
    rows = entity_queries.top_entities(store, type, lang, limit=page.window)
    return page.payload([asdict(row) for row in rows])


def entity_ids(store: Store, name: str | None, param: str) -> list[str]:
    """The entities a name or id designates ([] without a name); 404 when it designates none."""
    if not name:
        return []
    ids = entity_queries.find_entities(store, name)
    if not ids:
        raise ApiError(
            HTTPStatus.NOT_FOUND,
            f"no entity named {name!r} ({param}): see /api/entities for the names and ids the store knows",
        )
    return ids


def entity(store: Store, entity_id: str, limit: int) -> dict[str, Any]:
    """Everything known about one entity: names per language, documents, neighbours, resolution decisions."""
    profile = entity_queries.entity_profile(store, entity_id, limit)
    if profile is None:
        named = entity_queries.find_entities(store, entity_id)
        advice = (
            f"it names {', '.join(named[:5])}: use one of these ids"
            if named
            else "see /api/entities for the ids the store knows"
        )
        raise ApiError(HTTPStatus.NOT_FOUND, f"no entity {entity_id!r}: {advice}")
    names: dict[str, list[dict[str, Any]]] = {}
    for form, lang, mentions in profile.forms:
        names.setdefault(lang, []).append({"text": form, "mentions": mentions})
    aliases = store.conn.execute("SELECT aliases FROM entities WHERE id = ?", (entity_id,)).fetchone()[0]
    return {
        **asdict(profile.summary),
        "aliases": sorted(json.loads(aliases)),
        "names": names,
        "documents_mentioning": [
            dict(zip(("doc_id", "title", "published", "lang", "mentions"), row, strict=True))
            for row in profile.documents
        ],
        "co_occurring": [
            {"id": other, "name": name, "documents": n} for other, name, n in profile.co_occurring
        ],
        "decisions": profile.decisions,
    }


def quotes(
    store: Store,
    speaker: str | None,
    about: str | None,
    lang: str | None,
    since: str | None,
    until: str | None,
    page: Page,
) -> dict[str, Any]:
    speakers, topics = entity_ids(store, speaker, "speaker"), entity_ids(store, about, "about")
    rows = facts.quotes(store, speakers, topics, lang, since, until, limit=page.window)
    return page.payload([asdict(row) for row in rows], speaker_ids=speakers, about_ids=topics)


def claims(
    store: Store,
    kind: str | None,
    subject: str | None,
    lang: str | None,
    since: str | None,
    until: str | None,
    page: Page,
) -> dict[str, Any]:
    rows = facts.claims(store, kind, subject, lang, since, until, limit=page.window)
    return page.payload([asdict(row) for row in rows])


def entity_names(store: Store, ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """{id: {"name", "type"}} for the stored entities among `ids` (to label ids on a page)."""
    wanted: Sequence[str] = sorted(set(ids))
    rows = store.conn.execute(
        "SELECT id, name, type FROM entities WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(wanted),),
    )
    return {entity_id: {"name": name, "type": entity_type} for entity_id, name, entity_type in rows}

"""Paged lists over the store, each with the total a client needs to page through it: documents,
full-text hits, entities, and the names that label entity ids.

Every list answers `(total, rows)` for one window `limit`/`offset`, so the CLI, the web pages and the
HTTP API cut the same pages and can all say "20 of 1,234". The SQL of the application's queries
lives here and in the other `store` modules, never in `api/` or `cli/`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from newsgraph.store.db import HIGHLIGHT, NAMES, SearchHit, Store
from newsgraph.store.entities import EntitySummary
from newsgraph.store.query import DateBound, fts_query, published_filter
from newsgraph.store.rows import MENTION


@dataclass
class DocumentRow:
    doc_id: str
    title: str | None
    lang: str | None
    published: str | None
    outlet: str | None


def _document_condition(
    lang: str | None, since: DateBound | None, until: DateBound | None, prefix: str = ""
) -> tuple[str, list[str]]:
    """The SQL filter of documents (`prefix`: the table alias and a dot, if any) by language and date."""
    condition, params = published_filter(since, until, f"{prefix}published")
    if lang is not None:
        condition += f" AND {prefix}lang = ?"
        params.append(lang)
    return condition, params


def documents(
    store: Store,
    lang: str | None = None,
    since: DateBound | None = None,
    until: DateBound | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[int, list[DocumentRow]]:
    """The documents, most recently published first (undated last), and how many match."""
    condition, params = _document_condition(lang, since, until)
    total = store.conn.execute(f"SELECT count(*) FROM documents WHERE {condition}", params).fetchone()[0]
    rows = store.conn.execute(
        "SELECT doc_id, title, lang, published, outlet FROM documents"
        # NULL sorts first, so last in descending order: undated documents come last, and the
        # order is the index's (published, id), read without sorting the table
        f" WHERE {condition} ORDER BY published DESC, id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return total, [DocumentRow(*row) for row in rows]


def search(
    store: Store,
    query: str,
    lang: str | None = None,
    since: DateBound | None = None,
    until: DateBound | None = None,
    limit: int = 20,
    offset: int = 0,
    mode: str = NAMES,
) -> tuple[int, list[SearchHit]]:
    """Full-text hits best first (`Store.search`, so its query rules hold), and how many match.

    The count runs the same MATCH expression as `Store.search` (`query.fts_query`, with the
    entities' other names and forms in mode "names")."""
    match = fts_query(query, store.name_forms if mode == NAMES else None)
    if match is None:
        return 0, []
    condition, params = _document_condition(lang, since, until, "d.")
    total = store.conn.execute(
        "SELECT count(*) FROM documents_fts JOIN documents AS d ON d.id = documents_fts.rowid"
        f" WHERE documents_fts MATCH ? AND {condition}",
        (match, *params),
    ).fetchone()[0]
    hits = store.search(query, lang=lang, since=since, until=until, limit=offset + limit, mode=mode)
    return total, hits[offset:]


def split_marked(snippet: str, marks: tuple[str, str] = HIGHLIGHT) -> tuple[str, list[tuple[int, int]]]:
    """A search snippet without its match markers, and the `[start, end)` spans the markers enclosed.

    The store puts markers around matched words but does not escape the text, so clients get plain
    text and offsets, which they can render safely."""
    opening, closing = marks
    plain, spans, rest = "", [], snippet
    while (start := rest.find(opening)) >= 0 and (end := rest.find(closing, start + len(opening))) >= 0:
        plain += rest[:start]
        matched = rest[start + len(opening) : end]
        spans.append((len(plain), len(plain) + len(matched)))
        plain += matched
        rest = rest[end + len(closing) :]
    return plain + rest, spans


def entities(
    store: Store, type: str | None = None, lang: str | None = None, limit: int = 30, offset: int = 0
) -> tuple[int, list[EntitySummary]]:
    """The most mentioned entities (optionally of one type, in documents of one language), and how
    many entities have a mention under those filters.

    Mentions are counted per entity first, from the (layer, entity, doc) index alone, and only
    the counts meet the entities table."""
    in_lang = " AND doc IN (SELECT id FROM documents WHERE lang = ?2)" if lang is not None else ""
    counted = (
        "SELECT x.id AS entity, c.mentions, c.docs FROM (SELECT entity, count(*) AS mentions,"
        f" count(DISTINCT doc) AS docs FROM annotations WHERE layer = {MENTION}"
        f" AND entity IS NOT NULL{in_lang}"
        " GROUP BY entity) AS c JOIN entity_numbers AS x ON x.n = c.entity"
    )
    where = "?1 IS NULL OR e.type = ?1"
    args = [type] if lang is None else [type, lang]
    total = store.conn.execute(
        f"SELECT count(*) FROM ({counted}) AS a JOIN entities AS e ON e.id = a.entity WHERE {where}", args
    ).fetchone()[0]
    rows = store.conn.execute(
        f"SELECT e.id, e.name, e.type, e.wikidata, a.mentions, a.docs FROM ({counted}) AS a"
        f" JOIN entities AS e ON e.id = a.entity WHERE {where}"
        f" ORDER BY a.mentions DESC, e.id LIMIT {int(limit)} OFFSET {int(offset)}",
        args,
    ).fetchall()
    return total, [EntitySummary(*row) for row in rows]


def entity_names(store: Store, ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """{id: {"name", "type"}} for the stored entities among `ids`: the one helper that labels ids
    on every page, list and command."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    rows = store.conn.execute(
        "SELECT id, name, type FROM entities WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(wanted),),
    )
    return {entity_id: {"name": name, "type": entity_type} for entity_id, name, entity_type in rows}


def entity_aliases(store: Store, entity_id: str) -> list[str]:
    """Every name the entity is known by (the knowledge base's and the ones read in documents)."""
    row = store.conn.execute("SELECT aliases FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return sorted(json.loads(row[0])) if row and row[0] else []


def documents_from(store: Store, source_prefix: str) -> list[str]:
    """Ids of the stored documents whose source starts with `source_prefix` (one upload's records)."""
    rows = store.conn.execute(
        "SELECT doc_id FROM documents WHERE substr(source, 1, length(?1)) = ?1 ORDER BY source",
        (source_prefix,),
    )
    return [doc_id for (doc_id,) in rows]

"""Facet counts of a list: how many of the items a query selects fall in each language, outlet or
type, so a list page can show them beside the results and narrow the query with one click.

Each count is over the whole selection, not the page shown, and applies the same filters as the
list except the facet's own (the language counts of a French-only list still show the other
languages one could switch to). The `lang` facet counts a document without an identified
language as `und`, as the story summaries do.
"""

from __future__ import annotations

from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.query import fts_query, published_filter
from newsgraph.store.rows import MENTION

FACET_VALUES = 12  # the most frequent values listed per facet
UNKNOWN_LANG = "und"


def document_facets(
    store: Store, q: str | None, lang: str | None, since: str | None, until: str | None
) -> dict[str, dict[str, int]]:
    """Counts by language and outlet of the documents a search (or the whole list) selects."""
    condition, params = published_filter(since, until, "d.published")
    match = fts_query(q, store.name_forms) if q else None  # as the search itself: names find their forms
    if q and match is None:
        return {"lang": {}, "outlet": {}}  # a query with no word selects nothing
    if match is not None:
        condition += " AND d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
        params.append(match)
    by_lang = _counts(store, f"coalesce(d.lang, '{UNKNOWN_LANG}')", "documents AS d", condition, params)
    if lang is not None:
        condition += " AND d.lang = ?"
        params.append(lang)
    by_outlet = _counts(store, "d.outlet", "documents AS d", condition + " AND d.outlet IS NOT NULL", params)
    return {"lang": by_lang, "outlet": by_outlet}


def entity_facets(store: Store, lang: str | None) -> dict[str, dict[str, int]]:
    """Counts by type of the entities mentioned (in documents of `lang`, when given)."""
    if lang is None:  # the distinct mentioned ids come from the (layer, entity) index alone, which
        # holds only rows with an entity (schema v9)
        condition = (
            "e.id IN (SELECT x.id FROM entity_numbers AS x WHERE x.n IN (SELECT DISTINCT entity"
            f" FROM annotations WHERE layer = {MENTION} AND entity IS NOT NULL))"
        )
        return {"type": _counts(store, "e.type", "entities AS e", condition, [])}
    source = (
        "annotations AS a JOIN entity_numbers AS x ON x.n = a.entity JOIN entities AS e ON e.id = x.id"
        " JOIN documents AS d ON d.id = a.doc"
    )
    condition = f"a.layer = {MENTION} AND d.lang = ?"
    return {"type": _counts(store, "e.type", source, condition, [lang], distinct="e.id")}


def _counts(
    store: Store, key: str, source: str, condition: str, params: list[Any], distinct: str = "*"
) -> dict[str, int]:
    count = "count(*)" if distinct == "*" else f"count(DISTINCT {distinct})"
    rows = store.conn.execute(
        f"SELECT {key} AS k, {count} AS n FROM {source} WHERE {condition}"
        " GROUP BY k ORDER BY n DESC, k LIMIT ?",
        (*params, FACET_VALUES),
    )
    return {str(k): n for k, n in rows if k is not None}

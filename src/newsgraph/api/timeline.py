"""Events over time, one entry per real-world event, for an actor or a pair of actors.

The events stage writes each event into its document's record with a `cluster` id that groups
reports of the same event across documents and languages; the store keeps no separate cluster
table, so the timeline reads the `event` annotation rows (whose data is the event record) and
groups them by cluster, an event without a cluster standing alone. Entries are ordered by event
date, else by the publication date of their earliest report; a group whose every report announces
the event for later, only supposes it or gives it as an aim (future, planned, conditional, hypothetical,
intended) is `planned` and
comes after those that took place, so the page can show it apart; denied (negated) events are left
out. Only groups whose best report reaches `min_confidence` are listed (the server's
`timeline_min_confidence` unless the request asks otherwise).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from newsgraph.api.data import entity_names
from newsgraph.api.params import Page
from newsgraph.events.dates import NOT_HAPPENED
from newsgraph.store.db import Store
from newsgraph.store.query import published_filter

EVENT_DAY = "coalesce(json_extract(a.data, '$.date.value'), d.published)"
# an event without a cluster is its own group; rowids are stable while a request reads them
GROUP_KEY = "coalesce(json_extract(a.data, '$.cluster'), a.doc_id || '#' || a.rowid)"
# the event has one of the entity ids (a JSON list) among its sources or targets
INVOLVES = (
    "(EXISTS (SELECT 1 FROM json_each(a.data, '$.source')"
    " WHERE value IN (SELECT value FROM json_each(?)))"
    " OR EXISTS (SELECT 1 FROM json_each(a.data, '$.target')"
    " WHERE value IN (SELECT value FROM json_each(?))))"
)
SENTENCE_START = "coalesce(json_extract(a.data, '$.sentence[0]'), a.start)"
SENTENCE_END = "coalesce(json_extract(a.data, '$.sentence[1]'), a.\"end\")"
FROM_EVENTS = "FROM annotations AS a JOIN documents AS d ON d.doc_id = a.doc_id WHERE a.layer = 'event'"
# 1 for an event not reported as done (announced, conditional, hypothetical, the aim of another act):
# its context names one of `NOT_HAPPENED` (fixed words, so they are written into the SQL)
PLANNED = (
    "EXISTS (SELECT 1 FROM json_each(a.data, '$.context')"
    f" WHERE value IN ({', '.join(repr(c) for c in sorted(NOT_HAPPENED))}))"
)
ASSERTED = "NOT coalesce(json_extract(a.data, '$.negated'), 0)"  # a denied contact is no entry
CONFIDENCE = "coalesce(json_extract(a.data, '$.confidence'), 1.0)"
NOT_PLANNED_CONTEXTS = NOT_HAPPENED


def timeline(
    store: Store,
    actors: Sequence[str],
    partners: Sequence[str],
    event_type: str | None,
    since: str | None,
    until: str | None,
    page: Page,
    min_confidence: float = 0.0,
) -> dict[str, Any]:
    """Events involving any of `actors` (and any of `partners`, when given), grouped by cluster.

    Each item lists all the reports of its cluster, so an event is told by every outlet that
    reported it, including those that did not name the actor."""
    where, params = [ASSERTED], []
    for ids in (actors, partners):
        if ids:
            where.append(INVOLVES)
            params += [json.dumps(list(ids))] * 2
    if event_type:
        where.append("a.label = ?")
        params.append(event_type)
    clause, values = published_filter(since, until, EVENT_DAY)
    where.append(clause)
    params += values
    keys = [
        key
        for (key,) in store.conn.execute(
            f"SELECT {GROUP_KEY} AS grp {FROM_EVENTS} AND {' AND '.join(where)}"
            f" GROUP BY grp HAVING max({CONFIDENCE}) >= ?"
            f" ORDER BY min({PLANNED}), min({EVENT_DAY}) IS NULL, min({EVENT_DAY}), grp LIMIT ? OFFSET ?",
            (*params, min_confidence, page.limit + 1, page.offset),
        )
    ]
    reports = _reports(store, keys)
    items = [_entry(reports[key]) for key in keys]
    named = {*actors, *partners, *(i for item in items for role in ("source", "target") for i in item[role])}
    return page.payload(
        items,
        skipped=page.offset,
        actor_ids=list(actors),
        with_ids=list(partners),
        entities=entity_names(store, named),
        min_confidence=min_confidence,
    )


def _reports(store: Store, keys: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The reports of each group: document, the sentence that tells the event, the event record."""
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in keys}
    rows = store.conn.execute(
        f"SELECT {GROUP_KEY}, a.doc_id, d.title, d.published, d.lang, d.outlet, a.data,"
        f" substr(d.text, {SENTENCE_START} + 1, {SENTENCE_END} - {SENTENCE_START}) {FROM_EVENTS}"
        f" AND {GROUP_KEY} IN (SELECT value FROM json_each(?))"
        f" ORDER BY {EVENT_DAY}, d.published, a.doc_id, a.start",
        (json.dumps(list(keys)),),
    )
    for key, doc_id, title, published, lang, outlet, data, sentence in rows:
        out[key].append(
            {
                "doc_id": doc_id,
                "title": title,
                "published": published,
                "lang": lang,
                "outlet": outlet,
                "sentence": sentence,
                "event": json.loads(data),
            }
        )
    return out


def _most_common(values: Sequence[Any]) -> Any:
    """The value most reports agree on; the first reported among equals (reports come in date order)."""
    return Counter(values).most_common(1)[0][0] if values else None


def _entry(reports: list[dict[str, Any]]) -> dict[str, Any]:
    events = [report["event"] for report in reports]
    dates = [
        (e["date"]["value"], e["date"].get("precision"))
        for e in events
        if e.get("date") and e["date"].get("value")
    ]
    date = _most_common(dates)
    published = [r["published"] for r in reports if r["published"]]
    return {
        "cluster": events[0].get("cluster"),
        "type": _most_common([e["type"] for e in events]),
        "mode": _most_common([e["mode"] for e in events if e.get("mode")]),
        "date": {"value": date[0], "precision": date[1]} if date else None,
        "first_published": min(published) if published else None,
        "planned": all(NOT_PLANNED_CONTEXTS & set(e.get("context") or []) for e in events),
        "confidence": max((float(e.get("confidence", 1.0)) for e in events), default=0.0),
        "source": list(dict.fromkeys(i for e in events for i in e.get("source") or [])),
        "target": list(dict.fromkeys(i for e in events for i in e.get("target") or [])),
        "reports": reports,
    }

"""Entity names by prefix, for the suggestions of the web app's name fields.

A person types the beginning of a name as it reads in their language: "Blin", "Блин", "herz".
Any word of an entity's canonical name or of one of its aliases (the forms it was written in, every
script) may match, so "Герц" suggests Isaac Herzog through his Russian alias. SQLite folds case for
ASCII letters only, so the prefix is also tried capitalised as names are written ("блин" ->
"Блин"). Entities that no stored document mentions are left out; the most mentioned come first.
"""

from __future__ import annotations

import json
from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.rows import ENTITY_NUMBER, MENTION

MAX_PREFIX = 100  # characters of a prefix: longer input is no prefix anyone types
_LIKE_SPECIAL = str.maketrans({"%": r"\%", "_": r"\_", "\\": r"\\"})


def _patterns(prefix: str) -> list[str]:
    """LIKE patterns matching `prefix` at the start of the name or of any later word in it."""
    variants = dict.fromkeys((prefix, prefix[:1].upper() + prefix[1:], prefix.casefold()))
    escaped = [variant.translate(_LIKE_SPECIAL) for variant in variants]
    return [pattern for e in escaped for pattern in (e + "%", "% " + e + "%", "%-" + e + "%")]


def suggest_entities(store: Store, prefix: str, limit: int = 10) -> list[dict[str, Any]]:
    """Entities whose name or an alias has a word starting with `prefix`, most mentioned first:
    `{"id", "name", "type", "mentions", "matched"}`, `matched` being the name or alias that matched."""
    prefix = prefix.strip()[:MAX_PREFIX]
    if not prefix:
        return []
    patterns = json.dumps(_patterns(prefix))
    rows = store.conn.execute(
        "WITH hits AS ("
        " SELECT e.id, e.name, e.type, CASE WHEN EXISTS (SELECT 1 FROM json_each(?1) AS p"
        "   WHERE e.name LIKE p.value ESCAPE '\\') THEN e.name ELSE"
        "   (SELECT f.value FROM json_each(e.aliases) AS f, json_each(?1) AS p"
        "    WHERE f.value LIKE p.value ESCAPE '\\' ORDER BY length(f.value) LIMIT 1) END AS matched"
        " FROM entities AS e)"
        " SELECT h.id, h.name, h.type, h.matched,"
        f" (SELECT count(*) FROM annotations AS a WHERE a.layer = {MENTION}"
        f" AND a.entity = {ENTITY_NUMBER.format('h.id')}) AS n"
        " FROM hits AS h WHERE h.matched IS NOT NULL AND n > 0 ORDER BY n DESC, h.name, h.id LIMIT ?2",
        (patterns, limit),
    )
    return [
        {"id": entity_id, "name": name, "type": entity_type, "mentions": n, "matched": matched}
        for entity_id, name, entity_type, matched, n in rows
    ]

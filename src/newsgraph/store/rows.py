"""Flat views of a `Document`: its searchable body text, its annotation and entity rows.

The interchange record (`Document.to_record()`) is the one source of truth the store rebuilds
documents from; annotation rows are derived from it and are indexes over it, for queries such as
"every mention of entity X" or "every ASSAULT event", without parsing each document's JSON.
"""

from __future__ import annotations

import json
from typing import Any

from newsgraph.model import Document

AnnotationRow = tuple[str, str, int | None, int | None, str | None, str | None, str | None]
"""(doc_id, layer, start, end, label, entity, data JSON)"""


def to_json(value: Any) -> str:
    """Compact JSON that keeps every script readable (and smaller than `\\uXXXX` escapes)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def body_text(doc: Document) -> str:
    """The text of the body spans, one per line; the whole text when no cleaning stage set a body."""
    if not doc.body:
        return doc.text
    return "\n".join(doc.span_text(span) for span in doc.body)


LAYER_FIELDS = {
    "body": "body",
    "boilerplate": "boilerplate",
    "paragraph": "paragraphs",
    "sentence": "sentences",
    "mention": "mentions",
    "time": "times",
    "event": "events",
    "quote": "quotes",
    "claim": "claims",
}
"""Annotation layer -> the interchange record field it indexes, one row per item."""


def annotation_counts(record: dict[str, Any]) -> dict[str, int]:
    """How many rows of each layer `annotation_rows` gives (what a complete stored document has)."""
    return {layer: len(record[name]) for layer, name in LAYER_FIELDS.items()}


def annotation_rows(record: dict[str, Any]) -> list[AnnotationRow]:
    """One row per span-like annotation of an interchange record (`Document.to_record()`).

    `label` and `entity` are what each layer is queried by:
    - body, sentence: the span only;
    - boilerplate: label = kind, data = {rule};
    - paragraph: label = language, data = {lang_score};
    - mention: label = type, entity = its entity id, data = the mention record;
    - time: label = normalised ISO value, data = the time record;
    - event: span = trigger (else sentence), label = PLOVER type, entity = first source actor,
      data = the event record (all sources and targets);
    - quote: label = "direct"/"reported", entity = speaker, data = the quote record;
    - claim: label = kind, entity = attributed entity, data = the claim record.
    """
    doc_id = record["doc_id"]
    rows: list[AnnotationRow] = []

    def add(
        layer: str,
        span: list[int] | None,
        label: str | None = None,
        entity: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        start, end = span if span else (None, None)
        rows.append((doc_id, layer, start, end, label, entity, to_json(data) if data else None))

    def extent(item: dict[str, Any]) -> list[int]:
        return [item["start"], item["end"]]

    for span in record["body"]:
        add("body", span)
    for b in record["boilerplate"]:
        add("boilerplate", extent(b), b["kind"], data={"rule": b["rule"]} if b.get("rule") else None)
    for p in record["paragraphs"]:
        score = p.get("lang_score")
        add("paragraph", extent(p), p.get("lang"), data={"lang_score": score} if score is not None else None)
    for span in record["sentences"]:
        add("sentence", span)
    for m in record["mentions"]:
        add("mention", extent(m), m["type"], m.get("entity"), m)
    for t in record["times"]:
        add("time", extent(t), t["value"], data=t)
    for e in record["events"]:
        add("event", e["trigger"] or e["sentence"], e["type"], e["source"][0] if e["source"] else None, e)
    for q in record["quotes"]:
        add("quote", extent(q), "direct" if q["direct"] else "reported", q["speaker"], q)
    for c in record["claims"]:
        add("claim", extent(c), c["kind"], c["attributed_entity"], c)
    return rows


def entity_rows(doc: Document) -> list[tuple[str, str, str, str | None, str, str]]:
    """(id, name, type, wikidata, aliases JSON, data JSON) for each entity the document names.

    `data` is the resolver's memory of the entity (`Store.save_entities`); a document adds none:
    its per-document evidence stays in its own record."""
    return [
        (e.id, e.name, e.type, e.wikidata, to_json(sorted(set(e.aliases))), "{}")
        for e in doc.entities.values()
    ]

"""Flat views of a `Document`: its searchable body text and its annotation rows.

The interchange record (`Document.to_record()`) is the one source of truth the store rebuilds
documents from; these rows are indexes over it, for queries such as "every mention of entity X"
or "every ASSAULT event", without parsing each document's JSON.
"""

from __future__ import annotations

import json
from typing import Any

from newsgraph.model import Document, Span

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


def annotation_counts(doc: Document) -> dict[str, int]:
    """How many rows of each layer `annotation_rows` gives (what a complete stored document has)."""
    return {"body": len(doc.body), "boilerplate": len(doc.boilerplate), "paragraph": len(doc.paragraphs),
            "sentence": len(doc.sentences), "mention": len(doc.mentions), "time": len(doc.times),
            "event": len(doc.events), "quote": len(doc.quotes), "claim": len(doc.claims)}


def annotation_rows(doc: Document, doc_id: str) -> list[AnnotationRow]:
    """One row per span-like annotation. `label` and `entity` are what each layer is queried by:

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
    rows: list[AnnotationRow] = []

    def add(layer: str, span: Span | None, label: str | None = None, entity: str | None = None,
            data: dict[str, Any] | None = None) -> None:
        start, end = span if span else (None, None)
        rows.append((doc_id, layer, start, end, label, entity, to_json(data) if data else None))

    for span in doc.body:
        add("body", span)
    for b in doc.boilerplate:
        add("boilerplate", (b.start, b.end), b.kind, data={"rule": b.rule} if b.rule else None)
    for p in doc.paragraphs:
        add("paragraph", (p.start, p.end), p.lang,
            data={"lang_score": p.lang_score} if p.lang_score is not None else None)
    for span in doc.sentences:
        add("sentence", span)
    for m in doc.mentions:
        add("mention", (m.start, m.end), m.type, m.entity, m.to_record())
    for t in doc.times:
        add("time", (t.start, t.end), t.value, data=t.to_record())
    for e in doc.events:
        add("event", e.trigger or e.sentence, e.type, e.source[0] if e.source else None, e.to_record())
    for q in doc.quotes:
        add("quote", (q.start, q.end), "direct" if q.direct else "reported", q.speaker, q.to_record())
    for c in doc.claims:
        add("claim", (c.start, c.end), c.kind, c.attributed_entity, c.to_record())
    return rows


def entity_rows(doc: Document) -> list[tuple[str, str, str, str | None, str, str]]:
    """(id, name, type, wikidata, aliases JSON, evidence JSON) for each entity the document names."""
    return [(e.id, e.name, e.type, e.wikidata, to_json(sorted(set(e.aliases))), to_json(e.evidence))
            for e in doc.entities.values()]


"""Flat views of a `Document`: its searchable body text, its annotation and entity rows.

Each annotation is stored once. The layers queries select by label or entity (mentions, events,
quotes, claims) are rows of the `annotations` table and nowhere else; the other layers (body,
boilerplate, paragraphs, sentences, times) stay in the document's stored record. `with_rows`
puts the two back together into the interchange record (`Document.to_record()`) the store rebuilds
documents from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from newsgraph.entities.resolve import Decision
from newsgraph.events.cluster import EventCluster
from newsgraph.model import Document
from newsgraph.store.packing import pack, unpack

AnnotationRow = tuple[str, int | None, int | None, str | None, str | None, bytes | None]
"""(layer, start, end, label, entity, data packed: `newsgraph.store.packing`); the store keys each
by its document's integer id and its position in the document (schema v9)."""


def to_json(value: Any) -> str:
    """Compact JSON that keeps every script readable (and smaller than `\\uXXXX` escapes)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def body_text(doc: Document) -> str:
    """The text of the body spans, one per line; the whole text when no cleaning stage set a body."""
    if not doc.body:
        return doc.text
    return "\n".join(doc.span_text(span) for span in doc.body)


LAYER_FIELDS = {
    "mention": "mentions",
    "event": "events",
    "quote": "quotes",
    "claim": "claims",
}
"""Annotation layer -> the interchange record field it holds, one row per item. These layers are
what queries select by label or entity ("every mention of entity X", "every ASSAULT event"), so
they are kept as rows, and only as rows: the stored record leaves them out (`stored_record`)."""

RECORD_FIELDS = ("body", "boilerplate", "paragraphs", "sentences", "times")
"""Layers no query selects rows of: kept in the stored record only. As rows they cost ~100 bytes
each with their index entries (a sentence span is 10 bytes of JSON), and a document has dozens."""

LAYER_CODES = {"mention": 0, "event": 1, "quote": 2, "claim": 3}
"""Annotation layer -> the integer the `annotations` table keeps for it (schema v11): a query says
`layer = {MENTION}`, never the layer's name. 0 and 1 take no byte in a SQLite record, so the most
frequent layers have them."""

LAYER_NAMES = {code: layer for layer, code in LAYER_CODES.items()}
MENTION, EVENT, QUOTE, CLAIM = (LAYER_CODES[layer] for layer in ("mention", "event", "quote", "claim"))

ENTITY_NUMBER = "(SELECT n FROM entity_numbers WHERE id = {})"
"""SQL for the number an annotation row keeps for an entity id (schema v11), `{}` being the id's
expression: `a.entity = ENTITY_NUMBER.format("?")`. No number for an id: NULL, which matches no row."""

ENTITY_NUMBERS_IN = "(SELECT n FROM entity_numbers WHERE id IN ({}))"
"""SQL for the numbers of the entity ids `{}` (a list of parameters or a subquery): `a.entity IN
ENTITY_NUMBERS_IN.format("SELECT value FROM json_each(?)")`."""

ENTITY_ID = "(SELECT id FROM entity_numbers WHERE n = {})"
"""SQL for the entity id of an annotation row's entity number `{}`: `ENTITY_ID.format("q.entity")`."""

ROW_COLUMNS = ("start", "end", "label", "entity")
"""The columns of an annotation row besides its layer and data, in `AnnotationRow` order."""

MENTION_COLUMNS = {"start": "start", "end": "end", "label": "type", "entity": "entity"}
"""Mention record fields kept in the row's columns, not repeated in its data."""


def annotation_counts(record: dict[str, Any]) -> dict[str, int]:
    """How many items of each layer a record has, rows and record layers alike (`Store.stats`)."""
    counts = {layer: len(record[name]) for layer, name in LAYER_FIELDS.items()}
    counts.update(
        body=len(record["body"]),
        boilerplate=len(record["boilerplate"]),
        paragraph=len(record["paragraphs"]),
        sentence=len(record["sentences"]),
        time=len(record["times"]),
    )
    return counts


def _compact(item: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """`item` without `drop` and without empty values (None, []): the model's defaults, which
    `Document.from_record` restores."""
    return {k: v for k, v in item.items() if k not in drop and v is not None and v != []}


def annotation_rows(record: dict[str, Any]) -> list[AnnotationRow]:
    """One row per annotation of the row layers of an interchange record (`Document.to_record()`).

    `label` and `entity` are what each layer is queried by:
    - mention: label = type, entity = its entity id, data = the rest of the mention record (text,
      normal, source, score);
    - event: span = trigger (else sentence), label = PLOVER type, entity = first source actor,
      data = the event record without its type and empty fields (all sources and targets);
    - quote: label = "direct"/"reported", entity = speaker, data = the quote record without what
      the row's columns say (span, direct, speaker), without its text when that is the text of its
      span and its speaker's text when that is the text of the speaker's span;
    - claim: label = kind, entity = attributed entity, data = the claim record without what the
      columns say (span, kind, attributed entity) and its text when that is its span's.
    `row_item` (and `claim_item` for the fact queries) puts them back.
    """
    rows: list[AnnotationRow] = []

    def add(
        layer: str,
        span: list[int] | None,
        label: str | None = None,
        entity: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        start, end = span if span else (None, None)
        rows.append((layer, start, end, label, entity, pack(data) if data else None))

    def extent(item: dict[str, Any]) -> list[int]:
        return [item["start"], item["end"]]

    for m in record["mentions"]:
        add("mention", extent(m), m["type"], m.get("entity"), _compact(m, tuple(MENTION_COLUMNS.values())))
    for e in record["events"]:
        span = e["trigger"] or e["sentence"]
        add("event", span, e["type"], e["source"][0] if e["source"] else None, _compact(e, ("type",)))
    text = record["text"]
    for q in record["quotes"]:
        label = "direct" if q["direct"] else "reported"
        add("quote", extent(q), label, q["speaker"], _quote_data(q, text))
    for c in record["claims"]:
        claim = _without_span_text(c, text)
        add("claim", extent(c), c["kind"], c["attributed_entity"], _without(claim, CLAIM_COLUMNS))
    return rows


QUOTE_COLUMNS = ("start", "end", "direct", "speaker")
"""Quote fields an annotation row's columns hold (span, label, entity): not repeated in its data."""

CLAIM_COLUMNS = ("start", "end", "kind", "attributed_entity")
"""Claim fields an annotation row's columns hold (span, label, entity): not repeated in its data."""


def _without(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in keys}


def _quote_data(quote: dict[str, Any], text: str) -> dict[str, Any]:
    """A quote's row data: what its columns do not say, less the texts its spans give."""
    data = _without(_without_span_text(quote, text), QUOTE_COLUMNS)
    span = quote.get("speaker_span")
    if span and data.get("speaker_text") == text[span[0] : span[1]]:
        del data["speaker_text"]
    return data


def quote_item(
    start: int | None, end: int | None, label: str | None, entity: str | None, data: dict[str, Any], text: str
) -> dict[str, Any]:
    """A quote record from its row (`_quote_data`); rows written before v9 repeat the columns."""
    item = {"start": start, "end": end, "direct": label == "direct", "speaker": entity, **data}
    item.setdefault("text", text[start:end])
    if "speaker_text" not in item:
        span = item.get("speaker_span")
        item["speaker_text"] = text[span[0] : span[1]] if span else None
    return item


def claim_item(
    start: int | None, end: int | None, label: str | None, entity: str | None, data: dict[str, Any], said: str
) -> dict[str, Any]:
    """A claim record from its row, `said` the text of its span; rows written before v9 are whole."""
    return {"start": start, "end": end, "text": said, "kind": label, "attributed_entity": entity, **data}


COMPACT_FIELDS = {
    "boilerplate": ("start", "end", "kind", "rule"),
    "paragraphs": ("start", "end", "lang", "lang_score"),
    "times": ("start", "end", "value", "precision", "kind"),
}
"""Record layers kept as arrays of these fields' values instead of objects repeating the field
names (a time's text follows, only when it is not the text of its span)."""


def _without_span_text(item: dict[str, Any], text: str) -> dict[str, Any]:
    """`item` without its `text` when that is the document's text of its span (`_span_text` puts it back)."""
    if item.get("text") == text[item["start"] : item["end"]]:
        return {k: v for k, v in item.items() if k != "text"}
    return item


def _compact_item(name: str, item: dict[str, Any], text: str) -> list[Any]:
    values = [item[k] for k in COMPACT_FIELDS[name]]
    if name == "times" and item["text"] != text[item["start"] : item["end"]]:
        values.append(item["text"])
    return values


def _expanded_item(name: str, values: Any, text: str) -> dict[str, Any]:
    """An item of a compact record layer as the interchange record has it; an object (a record
    converted from schema v6) is already one."""
    if isinstance(values, dict):
        return values
    fields = COMPACT_FIELDS[name]
    item = dict(zip(fields, values[: len(fields)], strict=True))
    if name == "times":
        said = values[len(fields)] if len(values) > len(fields) else text[item["start"] : item["end"]]
        item = {"start": item["start"], "end": item["end"], "text": said, **item}
    return item


DOCUMENT_COLUMNS = ("doc_id", "content_hash", "source", "lang", "title", "outlet", "url")
"""Record fields the documents table has as columns of the same name: the stored record leaves
them out (schema v9; records stored before keep them, equal to the columns)."""

SELECT_DOCUMENT = f"SELECT id, {', '.join(DOCUMENT_COLUMNS)}, record, text FROM documents"
"""A stored document's columns: its integer id, `DOCUMENT_COLUMNS`, its record and its text."""


def stored_record(record: dict[str, Any]) -> dict[str, Any]:
    """The record as the documents table keeps it: without its text and the fields kept as columns
    (`DOCUMENT_COLUMNS`), without the row layers (kept once, as rows), boilerplate, paragraphs and
    times as arrays of values."""
    text = record["text"]
    dropped = {"text", *DOCUMENT_COLUMNS, *LAYER_FIELDS.values()}
    out = {k: v for k, v in record.items() if k not in dropped}
    for name in COMPACT_FIELDS:
        out[name] = [_compact_item(name, item, text) for item in record[name]]
    return out


def layer_counts(record: dict[str, Any]) -> str:
    """How many items each record layer has (`RECORD_FIELDS` order), as the documents table keeps
    them beside the packed record: statistics sum them without unpacking every record."""
    return to_json([len(record.get(name) or []) for name in RECORD_FIELDS])


def row_item(
    layer: str,
    start: int | None,
    end: int | None,
    label: str | None,
    entity: str | None,
    data: bytes | str | None,
    text: str,
) -> dict[str, Any]:
    """The interchange item of one annotation row, as `annotation_rows` wrote it: columns put back
    into its data, and the texts of its spans that were left out. `data` is packed (schema v9) or
    JSON text (a row written before)."""
    item: dict[str, Any] = unpack(data) if data else {}
    if layer == "mention":
        return {"start": start, "end": end, "type": label, **item}
    if layer == "event":
        return {"type": label, **item}
    if layer == "quote":
        return quote_item(start, end, label, entity, item, text)
    return claim_item(start, end, label, entity, item, text[start:end])


def with_rows(
    record: dict[str, Any],
    text: str,
    rows: Iterable[tuple[str, int | None, int | None, str | None, str | None, str | None]],
    columns: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The interchange record of a stored record, its `text`, its (layer, start, end, label, entity,
    data) rows in storage order (the order `annotation_rows` wrote them) and its `DOCUMENT_COLUMNS`
    (`columns`, for a record stored without them)."""
    out = {**(columns or {}), **record, "text": text, **{name: [] for name in LAYER_FIELDS.values()}}
    for name in COMPACT_FIELDS:
        out[name] = [_expanded_item(name, values, text) for values in record.get(name) or []]
    for layer, start, end, label, entity, data in rows:
        item = row_item(layer, start, end, label, entity, data, text)
        if layer == "mention" and entity is not None:
            item["entity"] = entity
        out[LAYER_FIELDS[layer]].append(item)
    return out


def entity_rows(doc: Document) -> list[tuple[str, str, str, str | None, str, str]]:
    """(id, name, type, wikidata, aliases JSON, data JSON) for each entity the document names.

    `data` is the resolver's memory of the entity (`Store.save_entities`); a document adds none:
    its per-document evidence stays in its own record."""
    return [
        (e.id, e.name, e.type, e.wikidata, to_json(sorted(set(e.aliases))), "{}")
        for e in doc.entities.values()
    ]


def cluster_data(cluster: EventCluster) -> bytes:
    """An event cluster as the store keeps it (schema v11): its data packed, its members without
    their sentences, which their documents hold (`Store.with_sentences` reads them back with
    `events.cluster.evidence_sentence`): a third of a cluster's bytes, a copy of the text."""
    data = cluster.to_data()
    data["members"] = [{k: v for k, v in m.items() if k != "sentence"} for m in data["members"]]
    return pack(data)


DECISION_COLUMNS = ("doc_id", "local_id", "entity_id", "method", "score")
"""Fields of a resolver decision kept in the columns of its `resolutions` row."""


def decision_data(decision: Decision, numbers: Mapping[str, int] | None = None) -> bytes | None:
    """What a decision's row keeps besides its columns: the fields that are set (matched name, kind,
    runner-up, context), or None. The entity id is a column only, so a merge that re-points the
    row leaves no stale copy behind. The context's entity ids are kept as their `numbers` (schema
    v11, `entity_numbers`: the ids were half of a decision's bytes); `decision_record` reads both."""
    data = _compact(decision.to_data(), DECISION_COLUMNS)
    if numbers is not None and data.get("context"):
        data["context"] = [numbers.get(e, e) for e in data["context"]]
    return pack(data) if data else None


def context_numbers(rows: Iterable[Sequence[Any]]) -> set[int]:
    """The entity numbers the contexts of these resolution rows (data last) hold."""
    out: set[int] = set()
    for row in rows:
        data = unpack(row[-1]) if row[-1] else {}
        out.update(e for e in data.get("context") or () if isinstance(e, int))
    return out


def decision_record(
    doc_id: str,
    local_id: str,
    entity_id: str,
    method: str,
    score: float | None,
    data: bytes | str | None,
    ids: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """A decision as `Decision.to_data()` gives it, from its row (unset fields at their defaults),
    `ids` the entity ids of the numbers its context holds (schema v11; before, ids). The columns win
    over data: rows written before schema v8 repeat them in data."""
    fields: dict[str, Any] = {"matched": None, "kind": None, "runner_up": None, "context": []}
    columns = dict(zip(DECISION_COLUMNS, (doc_id, local_id, entity_id, method, score), strict=True))
    stored = unpack(data) if data else {}
    if stored.get("context"):
        stored["context"] = [(ids or {}).get(e, e) if isinstance(e, int) else e for e in stored["context"]]
    return {**columns, **fields, **stored, **columns}

"""Stored values, deflated: the article texts, and the JSON of document records, annotation data,
event clusters and resolver decisions, are kept as compressed blobs instead of text (schema v9).

Why: these values are read whole by Python (`unpack`) and only a few of their fields are read by
SQL, so they need not be text. Each annotation row holds 100-300 bytes of JSON, too little for
deflate to find repeats in; what repeats is the same field names and values in every row
(`"source_spans":[[`, `"precision":"day"`), so the deflate stream starts from a preset dictionary
of those (`DICTIONARY`), taken from the interchange contract's field names, never from articles.
On the 400 synthetic articles of `benchmarks/ingest.py` the rows' JSON went from 5.5 to about
half that per article (docs/BENCHMARKS.md, "Issue 14: store size, session 3").

A stored value is one format byte, then the payload:
- `PLAIN` (0): the JSON text in UTF-8, for values deflate does not shorten;
- `DEFLATED_V1` (1): raw deflate of the JSON text with `DICTIONARY`;
- `DEFLATED` (2): raw deflate of an article's text (no dictionary: prose shares no field names);
- `DEFLATED_V2` (3): raw deflate of the JSON text with `DICTIONARY_V2`, what `pack` writes now:
  `DICTIONARY` followed by the fields of each annotation row in the order its data keeps them, with
  their enumerated values (a mention's NER source, an inferred date's precision and origin, an
  event's context, a claim's bound), so that a row's field names and usual values cost a
  back-reference each instead of their own bytes (issue 14, session 6: 0.16 KB per article of the
  400 synthetic articles of `benchmarks/ingest.py`).
A dictionary is part of the file format: one that changes gets a new format byte, and the old one
stays readable. Values written before v9 are JSON text (a `str`): `unpack` and `json_text` read
both, so a half-converted row can never be misread.

SQL reads them through the functions `ng_json(value)` (the JSON text of a stored value) and
`ng_text(value)` (an article's text), which `register` adds to every connection the store opens:
`json_extract(ng_json(a.data), '$.text')`, `substr(ng_text(d.text), 11, 5)`. Other SQLite clients
(the `sqlite3` shell) read the tables' other columns as before, not these.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from typing import Any

PLAIN = 0
DEFLATED_V1 = 1
DEFLATED = 2
DEFLATED_V2 = 3
LEVEL = 9  # the values are small: the best compression costs microseconds each

# Fragments every stored value repeats: the interchange field names with the punctuation around
# them and their frequent values (enumerations, null, false). Deflate reaches back into the
# dictionary as into text already seen; the most frequent fragments come last (nearest = fewest
# bits). Never edit: a changed dictionary is a new format byte (module docstring).
_FRAGMENTS = (
    # resolver decisions, stories
    '"matched":"',
    '"runner_up":',
    '"kind":"exact"',
    '"kind":"fuzzy"',
    # document record
    '{"schema":"newsgraph/1","doc_id":"',
    '","source":"',
    '","lang":"',
    '","title":"',
    '","title_span":[0,',
    '],"outlet":"',
    '","url":"https://',
    '","published":{"value":"',
    '"evidence":null,"origin":"metadata","rejected":[{"value":"',
    '"reason":"',
    '"content_hash":"',
    '"body":[[',
    '"boilerplate":[[',
    '"paragraphs":[[',
    '"sentences":[[',
    '"entities":{"E:',
    '":{"name":"',
    '","type":"PER","aliases":["',
    '","type":"ORG","aliases":["',
    '","type":"LOC","aliases":["',
    '"],"wikidata":null},"E:',
    '"times":[[',
    '"day","date"],[',
    '"story":"S:',
    '"duplicate_of":null,"errors":[]}',
    # event clusters
    '{"id":"C:',
    '","type":"CONSULT","actors":["E:',
    '"members":[{"doc_id":"',
    '","event_id":"V:',
    '"window":["',
    '"closed":false}',
    '"planned":false},{"doc_id":"',
    '"planned":true},{"doc_id":"',
    '"mode":"meet","place":null,"confidence":',
    # claims
    '"value":',
    '"bound":"exact","kind":"',
    '"bound":"about","kind":"',
    '"unit":"USD","subject":null,"as_of":{"value":"',
    '"unit":"EUR","subject":',
    '"attributed_to":null,"attributed_entity":null,"attribution_span":null,"part_of":null}',
    # quotes
    '"direct":false,"speaker":null,"speaker_span":[',
    '"direct":true,"speaker":"E:',
    '"speaker_span":[',
    '],"cue":[',
    '"speaker_text":"',
    # events
    '{"id":"V:',
    '"source_spans":[[',
    '"target_spans":[[',
    '"location":"E:',
    '"location_span":[',
    '"date":{"value":"',
    '","precision":"month","span":null,"origin":"inferred"},',
    '","precision":"day","span":[',
    '","precision":"day","evidence":null,"origin":"inferred"},',
    '","precision":"day","span":null,"origin":"inferred"},',
    '"sentence":[',
    '"trigger":[',
    '"negated":false,"context":["reported"',
    '"context":["one-side:unnamed"],',
    '"cluster":"C:',
    '"source":["E:',
    '"target":["E:',
    '"confidence":0.',
    # mentions
    '{"text":"',
    '","normal":"',
    '","source":"ner","score":0.',
    '","source":"fallback","score":0.5}',
)
DICTIONARY = "".join(_FRAGMENTS).encode("utf-8")

# The fields of the annotation rows' data as `store.rows.annotation_rows` writes them since schema v9
# (the row's columns left out: a mention's span, type and entity, a quote's span, label and speaker,
# a claim's span, kind and entity), in their order, with the values the stages choose from.
# Appended to `DICTIONARY`, so that the nearest fragments are the rows', the most frequent. Never
# edit: a changed dictionary is a new format byte.
_ROW_FRAGMENTS = (
    # quotes
    '{"cue":[',
    '{"speaker_span":[',
    '],"cue":[',
    # claims
    '{"value":',
    ',"bound":"more_than","unit":',
    ',"bound":"at_least","unit":',
    ',"bound":"about","unit":',
    ',"bound":"exact","unit":',
    'null,"subject":',
    '"EUR","subject":',
    '"USD","subject":',
    'null,"as_of":{"value":"',
    '","precision":"year"},"attributed_to":',
    '","precision":"day"},"attributed_to":',
    ',"attribution_span":[',
    '],"part_of":null}',
    'null,"attribution_span":null,"part_of":null}',
    # events
    '{"id":"V:',
    '","mode":"meet","source":["E:',
    '","mode":"phone","source":["E:',
    '","source":["E:',
    '"],"target":["E:',
    '","source_spans":[[',
    '","target_spans":[[',
    ']],"target_spans":[[',
    '","date":{"value":"',
    ']],"date":{"value":"',
    '","precision":"day","span":[',
    '],"origin":"text"},"sentence":[',
    '","precision":"month","span":null,"origin":"inferred"},"sentence":[',
    '"],"location":"E:',
    ']],"location":"E:',
    '","location_span":[',
    '],"trigger":[',
    '],"negated":true,',
    '"context":["future","one-side:absent"],',
    '"context":["reported","one-side:unnamed"],',
    '"context":["one-side:venue"],',
    '"context":["one-side:absent"],',
    '"context":["one-side:unnamed"],',
    '],"negated":false,',
    '"confidence":0.',
    ',"cluster":"C:',
    '","precision":"day","span":null,"origin":"inferred"},"sentence":[',
    # mentions
    '","source":"spacy:',
    '","source":"natasha","score":',
    '","source":"ner","score":',
    '","source":"fallback","score":',
    '{"text":"',
    '","normal":"',
)
DICTIONARY_V2 = DICTIONARY + "".join(_ROW_FRAGMENTS).encode("utf-8")
_DICTIONARIES = {DEFLATED_V1: DICTIONARY, DEFLATED_V2: DICTIONARY_V2}


def pack_text(text: str) -> bytes:
    """A JSON text as stored: deflated with the dictionary, or plain when that is not shorter."""
    raw = text.encode("utf-8")
    deflate = zlib.compressobj(
        LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, 9, zlib.Z_DEFAULT_STRATEGY, DICTIONARY_V2
    )
    packed = deflate.compress(raw) + deflate.flush()
    if len(packed) < len(raw):
        return bytes((DEFLATED_V2,)) + packed
    return bytes((PLAIN,)) + raw


def pack(value: Any) -> bytes:
    """A JSON value as stored (compact JSON, every script kept readable, then `pack_text`)."""
    return pack_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def pack_article(text: str) -> bytes:
    """An article's text as stored: deflated, or plain when that is not shorter."""
    raw = text.encode("utf-8")
    deflate = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = deflate.compress(raw) + deflate.flush()
    if len(packed) < len(raw):
        return bytes((DEFLATED,)) + packed
    return bytes((PLAIN,)) + raw


def json_text(stored: bytes | str | None) -> str | None:
    """The text of a stored value: a blob written by `pack` or `pack_article`, or text written
    before v9 (returned as it is)."""
    if stored is None or isinstance(stored, str):
        return stored
    kind, payload = stored[0], stored[1:]
    if kind == PLAIN:
        return payload.decode("utf-8")
    if kind in _DICTIONARIES:
        inflate = zlib.decompressobj(-zlib.MAX_WBITS, _DICTIONARIES[kind])
        return (inflate.decompress(payload) + inflate.flush()).decode("utf-8")
    if kind == DEFLATED:
        return zlib.decompress(payload, -zlib.MAX_WBITS).decode("utf-8")
    raise ValueError(f"stored value of unknown format {kind}: written by a newer newsgraph?")


def article_text(stored: bytes | str) -> str:
    """An article's text from its stored value (`pack_article`, or text stored before v9)."""
    text = json_text(stored)
    assert text is not None
    return text


def unpack(stored: bytes | str | None) -> Any:
    """The JSON value of a stored value (None for None)."""
    text = json_text(stored)
    return None if text is None else json.loads(text)


def repack(stored: bytes | str | None) -> bytes | None:
    """A stored value in the v9 form: JSON text packed, a blob kept as it is (so converting twice
    changes nothing)."""
    if stored is None or isinstance(stored, bytes):
        return stored
    return pack_text(stored)


def repack_article(stored: bytes | str) -> bytes:
    """An article's text in the v9 form (`repack` for texts)."""
    return stored if isinstance(stored, bytes) else pack_article(stored)


def register(conn: sqlite3.Connection) -> None:
    """Give `conn` the SQL functions `ng_json` and `ng_text` (module docstring), and `ng_repack` and
    `ng_repack_text`, which the v9 migration uses."""
    conn.create_function("ng_json", 1, json_text, deterministic=True)
    conn.create_function("ng_text", 1, json_text, deterministic=True)
    conn.create_function("ng_repack", 1, repack, deterministic=True)
    conn.create_function("ng_repack_text", 1, repack_article, deterministic=True)

"""Who said what, and who claims which number: queries over the stored quotes and claims."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.packing import article_text, unpack
from newsgraph.store.query import DateBound, published_filter
from newsgraph.store.rows import CLAIM, ENTITY_ID, ENTITY_NUMBERS_IN, MENTION, QUOTE, claim_item, quote_item


@dataclass
class QuoteRow:
    doc_id: str
    published: str | None
    lang: str | None
    outlet: str | None
    speaker: str | None  # entity id
    speaker_name: str | None
    text: str
    direct: bool


@dataclass
class ClaimRow:
    doc_id: str
    published: str | None
    lang: str | None
    outlet: str | None
    kind: str
    value: float
    bound: str
    subject: str | None
    as_of: str | None
    attributed_to: str | None
    text: str
    sentence: str


def _quote_filter(
    speakers: Sequence[str],
    about: Sequence[str],
    lang: str | None,
    since: DateBound | None,
    until: DateBound | None,
) -> tuple[str, list[Any]]:
    where, params = _document_filter(lang, since, until)
    if speakers:
        where.append(f"q.entity IN {ENTITY_NUMBERS_IN.format(','.join('?' * len(speakers)))}")
        params.extend(speakers)
    if about:
        marks = ",".join("?" * len(about))
        # the documents mentioning them first, so only their quotes are read (by the document index)
        where.append(
            f"q.doc IN (SELECT doc FROM annotations WHERE layer = {MENTION}"
            f" AND entity IN {ENTITY_NUMBERS_IN.format(marks)})"
            " AND EXISTS (SELECT 1 FROM annotations AS m WHERE m.doc = q.doc"
            f" AND m.layer = {MENTION} AND m.entity IN {ENTITY_NUMBERS_IN.format(marks)}"
            ' AND m.start >= q.start AND m."end" <= q."end")'
        )
        params.extend([*about, *about])
    return " AND ".join(where), params


QUOTES_FROM = f"FROM annotations AS q JOIN documents AS d ON d.id = q.doc WHERE q.layer = {QUOTE} AND "


def count_quotes(
    store: Store,
    speakers: Sequence[str] = (),
    about: Sequence[str] = (),
    lang: str | None = None,
    since: DateBound | None = None,
    until: DateBound | None = None,
) -> int:
    """How many quotes `quotes` would list without a limit."""
    where, params = _quote_filter(speakers, about, lang, since, until)
    n: int = store.conn.execute(f"SELECT count(*) {QUOTES_FROM}{where}", params).fetchone()[0]
    return n


def quotes(
    store: Store,
    speakers: Sequence[str] = (),
    about: Sequence[str] = (),
    lang: str | None = None,
    since: DateBound | None = None,
    until: DateBound | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[QuoteRow]:
    """Quotes by any of `speakers` (entity ids) and mentioning any of `about` (entity ids), oldest first."""
    where, params = _quote_filter(speakers, about, lang, since, until)
    sql = (
        f"SELECT d.doc_id, d.published, d.lang, d.outlet, {ENTITY_ID.format('q.entity')},"
        f" (SELECT e.name FROM entities AS e WHERE e.id = {ENTITY_ID.format('q.entity')}),"
        ' q.start, q."end", q.label, q.data'
        f" {QUOTES_FROM}{where} ORDER BY d.published, d.doc_id, q.start LIMIT ? OFFSET ?"
    )
    out = []
    rows = store.conn.execute(sql, [*params, limit, offset]).fetchall()
    texts = _texts_and_sentences(store, sorted({row[0] for row in rows}))
    for doc_id, published, lang_, outlet, speaker, name, start, end, label, data in rows:
        # a quote's texts are kept only when they are not the texts of its spans (store/rows.py)
        quote = quote_item(start, end, label, speaker, unpack(data) or {}, texts[doc_id][0])
        out.append(
            QuoteRow(
                doc_id,
                published,
                lang_,
                outlet,
                speaker,
                name or quote.get("speaker_text"),
                quote["text"],
                bool(quote.get("direct")),
            )
        )
    return out


def _claim_filter(
    kind: str | None, subject: str | None, lang: str | None, since: DateBound | None, until: DateBound | None
) -> tuple[str, list[Any]]:
    where, params = _document_filter(lang, since, until)
    if kind:
        where.append("c.label = ?")
        params.append(kind)
    if subject:
        where.append("lower(json_extract(ng_json(c.data), '$.subject')) LIKE ?")
        params.append(f"%{subject.lower()}%")
    return " AND ".join(where), params


CLAIMS_FROM = f"FROM annotations AS c JOIN documents AS d ON d.id = c.doc WHERE c.layer = {CLAIM} AND "


def count_claims(
    store: Store,
    kind: str | None = None,
    subject: str | None = None,
    lang: str | None = None,
    since: DateBound | None = None,
    until: DateBound | None = None,
) -> int:
    """How many claims `claims` would list without a limit."""
    where, params = _claim_filter(kind, subject, lang, since, until)
    n: int = store.conn.execute(f"SELECT count(*) {CLAIMS_FROM}{where}", params).fetchone()[0]
    return n


def claims(
    store: Store,
    kind: str | None = None,
    subject: str | None = None,
    lang: str | None = None,
    since: DateBound | None = None,
    until: DateBound | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[ClaimRow]:
    """Numeric claims in date order (as-of date, else publication), so a figure's evolution reads down."""
    where, params = _claim_filter(kind, subject, lang, since, until)
    sql = (
        'SELECT d.doc_id, d.published, d.lang, d.outlet, c.start, c."end", c.label,'
        f" {ENTITY_ID.format('c.entity')}, c.data"
        f" {CLAIMS_FROM}{where}"
        " ORDER BY coalesce(json_extract(ng_json(c.data), '$.as_of.value'), d.published),"
        " d.published, c.start"
        " LIMIT ? OFFSET ?"
    )
    out = []
    rows = store.conn.execute(sql, [*params, limit, offset]).fetchall()
    texts = _texts_and_sentences(store, sorted({row[0] for row in rows}))
    for doc_id, published, lang_, outlet, start_, end_, label, entity, data in rows:
        text, sentences = texts[doc_id]
        # a claim's text is kept only when it is not the text of its span (store/rows.py)
        claim = claim_item(start_, end_, label, entity, unpack(data) or {}, text[start_:end_])
        start, end = next(
            ((s, e) for s, e in sentences if s <= claim["start"] and e >= claim["end"]),
            (claim["start"], claim["end"]),
        )
        as_of = (claim.get("as_of") or {}).get("value")
        out.append(
            ClaimRow(
                doc_id,
                published,
                lang_,
                outlet,
                claim["kind"],
                claim["value"],
                claim.get("bound") or "exact",
                claim.get("subject"),
                as_of,
                claim.get("attributed_to"),
                claim["text"],
                text[start:end],
            )
        )
    return out


def _texts_and_sentences(store: Store, doc_ids: Sequence[str]) -> dict[str, tuple[str, list[list[int]]]]:
    """The text and sentence spans of each of these documents (a page's), unpacked here rather than
    in SQL, so that only the documents of the page are (the query sorts every matching row)."""
    rows = store.conn.execute(
        "SELECT doc_id, text, record FROM documents WHERE doc_id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(doc_ids)),),
    )
    # the sentence spans are in the document's record (store/rows.py: RECORD_FIELDS)
    return {
        doc_id: (article_text(text), unpack(record).get("sentences") or []) for doc_id, text, record in rows
    }


def _document_filter(
    lang: str | None, since: DateBound | None, until: DateBound | None
) -> tuple[list[str], list[Any]]:
    where, params = ["1"], []
    if lang:
        where.append("d.lang = ?")
        params.append(lang)
    clause, values = published_filter(since, until, column="d.published")
    where.append(clause)
    params.extend(values)
    return where, params

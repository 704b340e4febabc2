"""Who said what, and who claims which number: queries over the stored quotes and claims."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.packing import unpack
from newsgraph.store.query import DateBound, published_filter


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
        where.append(f"q.entity IN ({','.join('?' * len(speakers))})")
        params.extend(speakers)
    if about:
        where.append(
            "EXISTS (SELECT 1 FROM annotations AS m WHERE m.doc_id = q.doc_id"
            f" AND m.layer = 'mention' AND m.entity IN ({','.join('?' * len(about))})"
            ' AND m.start >= q.start AND m."end" <= q."end")'
        )
        params.extend(about)
    return " AND ".join(where), params


QUOTES_FROM = "FROM annotations AS q JOIN documents AS d ON d.doc_id = q.doc_id WHERE q.layer = 'quote' AND "


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
        "SELECT q.doc_id, d.published, d.lang, d.outlet, q.entity,"
        " (SELECT e.name FROM entities AS e WHERE e.id = q.entity), q.data,"
        # a quote's text is kept only when it is not the text of its span (store/rows.py)
        ' substr(ng_text(d.text), q.start + 1, q."end" - q.start)'
        f" {QUOTES_FROM}{where} ORDER BY d.published, q.doc_id, q.start LIMIT ? OFFSET ?"
    )
    out = []
    for doc_id, published, lang_, outlet, speaker, name, data, said in store.conn.execute(
        sql, [*params, limit, offset]
    ):
        quote = {"text": said, **unpack(data)}
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


CLAIMS_FROM = "FROM annotations AS c JOIN documents AS d ON d.doc_id = c.doc_id WHERE c.layer = 'claim' AND "


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
        "SELECT c.doc_id, d.published, d.lang, d.outlet, c.data,"
        # the sentence spans are in the document's record (store/rows.py: RECORD_FIELDS)
        " (SELECT s.value FROM json_each(ng_json(d.record), '$.sentences') AS s"
        "  WHERE json_extract(s.value, '$[0]') <= c.start"
        "  AND json_extract(s.value, '$[1]') >= c.\"end\" LIMIT 1)"
        f" {CLAIMS_FROM}{where}"
        " ORDER BY coalesce(json_extract(ng_json(c.data), '$.as_of.value'), d.published), d.published, c.start"
        " LIMIT ? OFFSET ?"
    )
    out = []
    for doc_id, published, lang_, outlet, data, sentence in store.conn.execute(sql, [*params, limit, offset]):
        claim: dict[str, Any] = unpack(data)
        start, end = json.loads(sentence) if sentence else (claim["start"], claim["end"])
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
                _text_slice(store, doc_id, start, end),
            )
        )
    return out


def _text_slice(store: Store, doc_id: str, start: int, end: int) -> str:
    """Characters [start, end) of a stored text (unpacked by SQLite: `ng_text`)."""
    row = store.conn.execute(
        "SELECT substr(ng_text(text), ?, ?) FROM documents WHERE doc_id = ?", (start + 1, end - start, doc_id)
    ).fetchone()
    return row[0] if row else ""


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

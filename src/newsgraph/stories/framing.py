"""How each outlet frames one story: a table of outlets side by side, every cell with its evidence.

`frame_story(docs, names)` reads the annotated documents of one story (interchange `Document`s as
stored, after the corpus pass) and returns the `"framing"` field of the story contract. Columns are
the story's outlets, one per (outlet, language); rows are

- `terms`: loaded and evaluative words of the outlet's language (`langdata/<lang>/framing.toml`),
  one row per concept ("violence/genocide"), so "génocide", "genocide" and "геноцид" share a row;
- `agents` / `victims`: who is named as the source of an act of violence (events of
  `VIOLENT_TYPES`) and who as its target or among the dead and wounded of a casualty figure;
- `figures`: casualty figures (`killed`, `injured` claims), one row per kind and source, so a
  reader sees whose toll each outlet cites and on whose authority;
- `quotes`: whose words are given, and how many characters of quotation each speaker gets;
- `tone`: per main entity, the signed sum of the evaluative terms attached to it (rules in
  `attach`), divided by the times the outlet mentions it (or by the number of terms attached,
  when that is larger), so it lies in [-1, 1]: -1 when every mention comes with a condemning term.

Every cell carries `evidence`: `{"doc", "start", "end", "text"}` spans into the original text.
Nothing inside boilerplate counts. Quoted words count for the outlet too (printing them is a
choice), and each term cell says how many of its hits were inside a quotation (`quoted`).

The function is pure: it reads documents and returns plain data (JSON-ready), no store, no model.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from newsgraph.events.dates import NOT_HAPPENED
from newsgraph.model import Document, Span
from newsgraph.stories.lexicon import CATEGORIES, Match, Token, lexicon_for

VIOLENT_TYPES = frozenset({"ASSAULT", "COERCE", "FIGHT"})
CASUALTY_KINDS = ("killed", "injured")
MAIN_ENTITIES = 8  # entities of the story given a tone row: the most mentioned ones
# Words that may stand between a name and a label, (before it, after it). An `actors` label may be
# an apposition ("Hamas, a terrorist group", "le régime de Damas"); a `legitimacy` word is said of
# the name before it only ("Israel's occupation", "Israel has the right to"), as the name after it
# is what is occupied ("occupying Gaza"); for these two a comma is a break too.
NEAR = {"actors": (2, 1), "legitimacy": (2, -1), "victims": (1, 1)}
_CLAUSE_BREAK = re.compile(r"[.;:!?()\[\]«»\"“”]")
_LIST_BREAK = re.compile(r"[,;:.!?()\[\]«»\"“”—–]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
UNKNOWN_OUTLET = "unknown"

Evidence = dict[str, Any]


@dataclass
class Hit:
    """One evaluative term found in the text, and the entities it was attached to."""

    doc: str
    start: int
    end: int
    text: str
    category: str
    concept: str
    polarity: int
    entry: str
    quoted: bool
    entities: tuple[str, ...] = ()


@dataclass
class Sentence:
    """What the attachment rules need to know about one sentence of the body."""

    span: Span
    text: str  # the sentence's characters, `text[0]` at `span[0]`
    tokens: list[Token]
    mentions: list[tuple[int, int, str]]  # (start, end, entity id), body only
    doc_agents: frozenset[str]  # sources of the violent events of the whole document
    doc_victims: frozenset[str]  # ... and their targets
    agents: set[str] = field(default_factory=set)  # sources of violent events in the sentence
    victims: set[str] = field(default_factory=set)  # their targets and the counted of a casualty figure


@dataclass
class Column:
    """One outlet writing in one language: what it says, gathered over its documents."""

    outlet: str
    lang: str
    documents: list[str] = field(default_factory=list)
    reposts: list[str] = field(default_factory=list)  # copies of an article already in the column
    hits: list[Hit] = field(default_factory=list)
    mentions: Counter[str] = field(default_factory=Counter)
    agents: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    victims: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    figures: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    quotes: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))

    @property
    def key(self) -> str:
        return f"{self.outlet}|{self.lang}"


def frame_story(
    docs: Iterable[Document | Mapping[str, Any]],
    names: Mapping[str, str] | None = None,
    duplicate_of: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """The framing table of one story's documents (`Document`s or their interchange records).

    `names` gives display names of entity ids (else the documents' own). `duplicate_of` maps a
    copy's doc id to its canonical document (the story contract's `articles[].duplicate_of`): a
    copy another outlet ran counts in that outlet's column, since printing it is that outlet's
    choice; a re-post of an article its own column already holds is listed and not counted again.
    """
    read = [d if isinstance(d, Document) else Document.from_record(dict(d)) for d in docs]
    known = _names(read, names or {})
    originals = duplicate_of or {}
    column_of: dict[str, tuple[str, str]] = {}
    columns: dict[tuple[str, str], Column] = {}
    for doc in sorted(read, key=lambda d: originals.get(d.doc_id) is not None):
        key = (outlet_of(doc), doc.lang or "xx")
        column_of[doc.doc_id] = key
        column = columns.setdefault(key, Column(*key))
        original = originals.get(doc.doc_id)
        if original is not None and column_of.get(original) == key:
            column.reposts.append(doc.doc_id)
            continue
        read_document(doc, column)
    ordered = sorted(columns.values(), key=lambda c: (c.lang, c.outlet))
    main = _main_entities(ordered)
    return {
        "columns": [_column_header(c) for c in ordered],
        "entities": [
            {"id": e, "name": known.get(e, e), "type": _type(read, e), "mentions": n} for e, n in main
        ],
        "terms": _term_rows(ordered),
        "agents": _entity_rows(ordered, "agents", known),
        "victims": _entity_rows(ordered, "victims", known),
        "figures": _figure_rows(ordered, known),
        "quotes": _quote_rows(ordered, known),
        "tone": _tone_rows(ordered, [e for e, _ in main], known),
    }


def outlet_of(doc: Document) -> str:
    """The outlet's name, else the host of the article's address (without "www.").

    An article with neither is a column of its own ("unknown:<doc id>"): nothing says that two
    such articles come from one outlet, and merging them would mix two framings.
    """
    if doc.outlet:
        return doc.outlet
    host = urlsplit(doc.url or "").hostname or ""
    return host.removeprefix("www.") or f"{UNKNOWN_OUTLET}:{doc.doc_id}"


def read_document(doc: Document, column: Column) -> None:
    """Add one document's terms, actors, figures and quotes to its outlet's column."""
    column.documents.append(doc.doc_id)
    for mention in doc.mentions:
        if mention.entity and doc.in_body(mention.start, mention.end):
            column.mentions[mention.entity] += 1
    _violence(doc, column)
    _figures(doc, column)
    _quotes(doc, column)
    lexicon = lexicon_for(doc.lang)
    for sentence in sentences_of(doc, lexicon.tokens):
        for match in lexicon.find(sentence.tokens):
            hit = _hit(doc, sentence, match)
            if doc.in_body(hit.start, hit.end):
                hit.entities = attach(hit, sentence)
                column.hits.append(hit)


def sentences_of(doc: Document, tokenize: Any) -> Iterator[Sentence]:
    """The document's sentences (split at end punctuation when it has none) with their context."""
    spans = doc.sentences or _split(doc)
    violent = [e for e in doc.events if _happened_violence(e.type, e.negated, e.context)]
    casualties = [c for c in doc.claims if c.kind in CASUALTY_KINDS]
    doc_agents = frozenset(e for event in violent for e in event.source)
    doc_victims = frozenset(e for event in violent for e in event.target)
    for start, end in spans:
        mentions = [
            (m.start, m.end, m.entity)
            for m in doc.mentions
            if m.entity and start <= m.start < end and doc.in_body(m.start, m.end)
        ]
        sentence = Sentence(
            (start, end),
            doc.text[start:end],
            tokenize(doc.text, start, end),
            mentions,
            doc_agents,
            doc_victims,
        )
        for event in violent:
            if event.sentence and event.sentence[0] < end and start < event.sentence[1]:
                sentence.agents.update(event.source)
                sentence.victims.update(event.target)
        for claim in casualties:
            if start <= claim.start < end:
                sentence.victims.update(e for s, t, e in mentions if claim.start <= s and t <= claim.end)
        yield sentence


def attach(hit: Hit, sentence: Sentence) -> tuple[str, ...]:
    """The entities an evaluative term is said of, by the first of these rules that gives any:

    1. a name written inside the term ("droit d'Israël à se défendre") is who it is about;
    2. a label (`actors`, `legitimacy`) is said of the name beside it: the nearest name within
       the words `NEAR` allows before and after it, with no clause break between ("Hamas
       terrorists", "organisation terroriste Hamas", "Israel's occupation"); an `actors` label
       with no name beside it ("the terrorists") is said of no one;
    3. an act (`violence`, `legitimacy`) is held against who did it: the sources of the violent
       events of the sentence, else of the article ("l'agression israélienne" where the article
       reports Israel's strikes), else every name of the sentence but those the violence was done to;
    4. a word of suffering (`victims`) is said of the targets of the violence of the sentence or
       the people counted in its casualty figure, else of the name beside it, else of the targets of
       the article's violence, else of every name of the sentence but the agents.
    """
    inside = _ids(m for m in sentence.mentions if hit.start <= m[0] and m[1] <= hit.end)
    if inside:
        return inside
    beside = _beside(hit, sentence)
    if hit.category == "actors" or (hit.category == "legitimacy" and beside):
        return beside
    everyone = _ids(sentence.mentions)
    if hit.category == "victims":
        return (
            _sorted(sentence.victims)
            or beside
            or _sorted(sentence.doc_victims)
            or tuple(e for e in everyone if e not in sentence.agents)
        )
    return (
        _sorted(sentence.agents)
        or _sorted(sentence.doc_agents)
        or tuple(e for e in everyone if e not in sentence.victims)
    )


def _sorted(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(ids))


def _beside(hit: Hit, sentence: Sentence) -> tuple[str, ...]:
    """The name nearest the term within the words allowed on each side, with no clause break between."""
    before, after = NEAR.get(hit.category, (0, -1))
    breaks = _CLAUSE_BREAK if hit.category == "actors" else _LIST_BREAK
    best: tuple[int, int, str] | None = None  # (words between, 0 before / 1 after, entity)
    for start, end, entity in sentence.mentions:
        if end <= hit.start:
            gap, side, limit, between = _words(sentence, end, hit.start), 0, before, (end, hit.start)
        elif start >= hit.end:
            gap, side, limit, between = _words(sentence, hit.end, start), 1, after, (hit.end, start)
        else:
            continue
        text = sentence.text[between[0] - sentence.span[0] : between[1] - sentence.span[0]]
        if gap > limit or breaks.search(text):
            continue
        if best is None or (gap, side) < best[:2]:
            best = (gap, side, entity)
    return (best[2],) if best else ()


def _words(sentence: Sentence, start: int, end: int) -> int:
    """How many words of the sentence lie in `[start, end)`."""
    return sum(1 for t in sentence.tokens if start <= t.start and t.end <= end)


def _ids(mentions: Iterable[tuple[int, int, str]]) -> tuple[str, ...]:
    """Entity ids of mentions, each once, in text order."""
    return tuple(dict.fromkeys(entity for _, _, entity in mentions))


def _hit(doc: Document, sentence: Sentence, match: Match) -> Hit:
    start, end = sentence.tokens[match.first].start, sentence.tokens[match.last].end
    term = match.term
    quoted = any(q.start <= start and end <= q.end for q in doc.quotes if q.direct)
    return Hit(
        doc.doc_id,
        start,
        end,
        doc.text[start:end],
        term.category,
        term.concept,
        term.polarity,
        term.entry,
        quoted,
    )


def _split(doc: Document) -> list[Span]:
    """Sentence spans for a document stored without them: the body cut after end punctuation."""
    out = []
    for start, end in doc.body or [(0, len(doc.text))]:
        cursor = start
        for m in _SENTENCE_END.finditer(doc.text, start, end):
            out.append((cursor, m.start()))
            cursor = m.end()
        if cursor < end:
            out.append((cursor, end))
    return out


def _happened_violence(kind: str, negated: bool, context: Sequence[str]) -> bool:
    """An act of violence the article reports as done: not denied, not planned, not hypothetical."""
    return kind in VIOLENT_TYPES and not negated and not NOT_HAPPENED.intersection(context)


def evidence(doc: Document, start: int, end: int) -> Evidence:
    """A span of one document as the table cites it."""
    return {"doc": doc.doc_id, "start": start, "end": end, "text": doc.text[start:end]}


def _violence(doc: Document, column: Column) -> None:
    """Agents (sources) and victims (targets) of the violent events the outlet reports."""
    for event in doc.events:
        if not _happened_violence(event.type, event.negated, event.context):
            continue
        anchor = event.trigger or event.sentence
        if anchor and not doc.in_body(*anchor):
            continue
        for ids, spans, table in (
            (event.source, event.source_spans, column.agents),
            (event.target, event.target_spans, column.victims),
        ):
            for i, entity in enumerate(ids):
                span = spans[i] if len(spans) == len(ids) else anchor
                if span:
                    table[entity].append(evidence(doc, *span))
    for claim in doc.claims:
        if claim.kind in CASUALTY_KINDS and doc.in_body(claim.start, claim.end):
            for m in doc.mentions:
                if m.entity and claim.start <= m.start and m.end <= claim.end:
                    column.victims[m.entity].append(evidence(doc, m.start, m.end))


def _figures(doc: Document, column: Column) -> None:
    """Casualty figures and the source each is given on (an entity id, else the words naming it)."""
    for claim in doc.claims:
        if claim.kind not in CASUALTY_KINDS or not doc.in_body(claim.start, claim.end):
            continue
        source = claim.attributed_entity or (
            f"text:{claim.attributed_to.casefold()}" if claim.attributed_to else ""
        )
        cited = [evidence(doc, claim.start, claim.end)]
        if claim.attribution_span:
            cited.append(evidence(doc, *claim.attribution_span))
        column.figures[(claim.kind, source)].append(
            {
                "value": claim.value,
                "bound": claim.bound,
                "subject": claim.subject,
                "as_of": claim.as_of.value if claim.as_of else None,
                "source_text": claim.attributed_to,
                "evidence": cited,
            }
        )


def _quotes(doc: Document, column: Column) -> None:
    """The quotations of the body, by speaker (entity id, else the words naming the speaker)."""
    for quote in doc.quotes:
        if not doc.in_body(quote.start, quote.end):
            continue
        speaker = quote.speaker or (f"text:{quote.speaker_text}" if quote.speaker_text else "")
        column.quotes[speaker].append(evidence(doc, quote.start, quote.end))


def _names(docs: Sequence[Document], given: Mapping[str, str]) -> dict[str, str]:
    """Display names: those given, else the documents' entity names, else the commonest mention."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        for m in doc.mentions:
            if m.entity:
                seen[m.entity][m.text] += 1
    out = {e: texts.most_common(1)[0][0] for e, texts in seen.items()}
    for doc in docs:
        out.update({e: ent.name for e, ent in doc.entities.items() if ent.name})
    out.update(given)
    return out


def _type(docs: Sequence[Document], entity: str) -> str | None:
    for doc in docs:
        if entity in doc.entities:
            return doc.entities[entity].type
        for m in doc.mentions:
            if m.entity == entity:
                return m.type
    return None


def _main_entities(columns: Sequence[Column]) -> list[tuple[str, int]]:
    """The story's most mentioned entities (body mentions over all its documents)."""
    total: Counter[str] = Counter()
    for column in columns:
        total.update(column.mentions)
    return sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:MAIN_ENTITIES]


def _column_header(column: Column) -> dict[str, Any]:
    return {
        "key": column.key,
        "outlet": column.outlet,
        "lang": column.lang,
        "documents": list(column.documents),
        "reposts": list(column.reposts),
        "mentions": sum(column.mentions.values()),
        "quote_chars": _quote_chars(column),
    }


def _quote_chars(column: Column) -> int:
    return sum(e["end"] - e["start"] for quotes in column.quotes.values() for e in quotes)


def _term_rows(columns: Sequence[Column]) -> list[dict[str, Any]]:
    """One row per concept found, a cell per outlet that used it: count, words, evidence."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for column in columns:
        for hit in column.hits:
            row = rows.setdefault(
                (hit.category, hit.concept),
                {
                    "category": hit.category,
                    "concept": hit.concept,
                    "polarity": hit.polarity,
                    "total": 0,
                    "cells": {},
                },
            )
            cell = row["cells"].setdefault(column.key, {"count": 0, "quoted": 0, "words": {}, "evidence": []})
            word = hit.text.casefold()
            cell["count"] += 1
            cell["quoted"] += int(hit.quoted)
            cell["words"][word] = cell["words"].get(word, 0) + 1
            cell["evidence"].append({**_cite(hit), "quoted": hit.quoted})
            row["total"] += 1
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(rows.values(), key=lambda r: (order[r["category"]], -r["total"], r["concept"]))


def _cite(hit: Hit) -> Evidence:
    return {"doc": hit.doc, "start": hit.start, "end": hit.end, "text": hit.text}


def _entity_rows(columns: Sequence[Column], attr: str, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Agents or victims: one row per entity, a cell per outlet naming it so, with the spans."""
    rows: dict[str, dict[str, Any]] = {}
    for column in columns:
        for entity, cited in getattr(column, attr).items():
            row = rows.setdefault(
                entity, {"entity": entity, "name": names.get(entity, entity), "total": 0, "cells": {}}
            )
            row["cells"][column.key] = {"count": len(cited), "evidence": list(cited)}
            row["total"] += len(cited)
    return sorted(rows.values(), key=lambda r: (-r["total"], r["name"]))


def _figure_rows(columns: Sequence[Column], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Casualty figures by kind and source: which outlet cites whose toll."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for column in columns:
        for (kind, source), figures in column.figures.items():
            entity = None if not source or source.startswith("text:") else source
            label = names.get(entity, entity) if entity else (figures[0]["source_text"] or None)
            row = rows.setdefault(
                (kind, source),
                {"kind": kind, "source": entity, "source_name": label, "total": 0, "cells": {}},
            )
            row["cells"][column.key] = {
                "count": len(figures),
                "figures": [{k: f[k] for k in ("value", "bound", "subject", "as_of")} for f in figures],
                "evidence": [e for f in figures for e in f["evidence"]],
            }
            row["total"] += len(figures)
    return sorted(rows.values(), key=lambda r: (r["kind"], -r["total"], r["source_name"] or ""))


def _quote_rows(columns: Sequence[Column], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Quoted speakers: quotes and characters per outlet, and the share of the outlet's quoted space."""
    rows: dict[str, dict[str, Any]] = {}
    for column in columns:
        space = _quote_chars(column)
        for speaker, cited in column.quotes.items():
            entity = speaker if speaker and not speaker.startswith("text:") else None
            label = names.get(speaker, speaker) if entity else (speaker.removeprefix("text:") or None)
            row = rows.setdefault(speaker, {"speaker": entity, "name": label, "chars": 0, "cells": {}})
            chars = sum(e["end"] - e["start"] for e in cited)
            row["cells"][column.key] = {
                "quotes": len(cited),
                "chars": chars,
                "share": round(chars / space, 3) if space else 0.0,
                "evidence": list(cited),
            }
            row["chars"] += chars
    return sorted(rows.values(), key=lambda r: (-r["chars"], r["name"] or ""))


def _tone_rows(
    columns: Sequence[Column], main: Sequence[str], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Tone of each outlet toward each main entity: signed terms attached to it per mention of it."""
    rows = []
    for entity in main:
        cells = {}
        for column in columns:
            attached = [h for h in column.hits if entity in h.entities]
            mentions = column.mentions.get(entity, 0)
            if not attached and not mentions:
                continue
            signed = sum(h.polarity for h in attached)
            cells[column.key] = {
                "score": round(signed / max(mentions, len(attached), 1), 3),
                "mentions": mentions,
                "hits": len(attached),
                "evidence": [{**_cite(h), "concept": h.concept, "polarity": h.polarity} for h in attached],
            }
        rows.append({"entity": entity, "name": names.get(entity, entity), "cells": cells})
    return rows


def framing_rows(table: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The table flattened for CSV: one row per (outlet, language, category, term) cell.

    `category` is a term category ("violence"), or "agents", "victims", "figures:killed",
    "quotes" (count = characters quoted) or "tone" (count = the score); `evidence` lists the cell's
    spans as `doc:start-end`, space separated.
    """
    heads = {c["key"]: (c["outlet"], c["lang"]) for c in table.get("columns", [])}
    out = []

    def emit(category: str, term: str, cells: Mapping[str, Any], value: str) -> None:
        for key, cell in cells.items():
            outlet, lang = heads.get(key, (key, ""))
            spans = " ".join(f"{e['doc']}:{e['start']}-{e['end']}" for e in cell["evidence"])
            out.append(
                {
                    "outlet": outlet,
                    "lang": lang,
                    "category": category,
                    "term": term,
                    "count": cell[value],
                    "evidence": spans,
                }
            )

    for row in table.get("terms", []):
        emit(row["category"], row["concept"], row["cells"], "count")
    for name in ("agents", "victims"):
        for row in table.get(name, []):
            emit(name, row["name"], row["cells"], "count")
    for row in table.get("figures", []):
        emit(f"figures:{row['kind']}", row["source_name"] or "", row["cells"], "count")
    for row in table.get("quotes", []):
        emit("quotes", row["name"] or "", row["cells"], "chars")
    for row in table.get("tone", []):
        emit("tone", row["name"], row["cells"], "score")
    return out

"""Lines an outlet repeats across its articles: furniture found by repetition, not by wording.

A footer, a newsletter call, a teaser block or a "follow us" line looks different on every site
and in every language, but one site prints the same one under many of its articles. So a line
(normalised: case, Unicode form and spacing folded) that recurs in another article of the same
outlet (the `outlet` field, else the host of the `url`) is furniture, unless it is long prose
(a background paragraph an agency repeats in each report of a story is article text). Articles
with the same headline are versions of one article and count once, so an update never turns its
own paragraphs into furniture.

Cleaning runs per document in workers; this runs in the corpus pass, over each batch, against a
memory of the lines seen before (in memory for `extract`, the store's `outlet_lines` table for
`ingest`). The lines are marked as boilerplate (kind `repeated`), never deleted, and what the
stages found inside them (names, times, quotes, events, claims) is dropped, as it is for
furniture cleaning marks before those stages run. A document read before the second copy of a
line came is not revisited (`extract` has written it; `ingest` has stored it).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from newsgraph.ingest.clean import body_spans
from newsgraph.ingest.layout import lines
from newsgraph.model import Boilerplate, Claim, Document, Span

KIND = "repeated"
RULE = "outlet:repeated"
MIN_PROSE_WORDS = 20  # a repeated line this long that ends like a sentence is article text
MAX_REMEMBERED_KEYS = 2  # articles remembered per line: one other than the reader's own is enough
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?…]['\"»”’)\]]*$")
_HASH_CHARS = 16

Row = tuple[str, str, str]
"""(outlet, line hash, article key): one article of the outlet printed the line."""


class LineMemory(Protocol):
    """The lines seen before this batch: for each hash, the keys of the articles that printed it."""

    def line_keys(self, outlet: str, hashes: Sequence[str]) -> Mapping[str, set[str]]: ...


class InMemoryLines:
    """The memory of one `extract` run (nothing is stored)."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], set[str]] = defaultdict(set)

    def line_keys(self, outlet: str, hashes: Sequence[str]) -> Mapping[str, set[str]]:
        return {h: set(self.keys[(outlet, h)]) for h in hashes if (outlet, h) in self.keys}

    def remember(self, rows: Iterable[Row]) -> None:
        for outlet, line_hash, key in rows:
            self.keys[(outlet, line_hash)].add(key)


@dataclass(frozen=True)
class Candidate:
    """A line that could be furniture: its span and the hash of its normalised text."""

    span: Span
    line_hash: str


def outlet_key(doc: Document) -> str | None:
    """Whose articles these are: the outlet's name, else the host of the address, else None."""
    if doc.outlet and doc.outlet.strip():
        return "outlet:" + " ".join(unicodedata.normalize("NFKC", doc.outlet).casefold().split())
    host = urlsplit(doc.url).hostname if doc.url else None
    return f"host:{host.removeprefix('www.')}" if host else None


def article_key(doc: Document) -> str:
    """One key per article: versions of it (same headline) share it, so they never count as two."""
    if doc.title and doc.title.strip():
        return "title:" + _digest(_normal(doc.title))
    return "hash:" + (doc.content_hash or _digest(doc.text))


def candidates(doc: Document) -> list[Candidate]:
    """The lines of `doc` that repetition could make furniture: outside the headline, not already
    wholly furniture, holding a word, and not long prose."""
    covered = [(b.start, b.end) for b in doc.boilerplate]
    out = []
    for start, end in lines(doc.text):
        if doc.title_span and doc.title_span[0] < end and start < doc.title_span[1]:
            continue
        if any(a <= start and end <= b for a, b in covered):
            continue
        line = doc.text[start:end]
        words = _WORD.findall(line)
        if not words or (len(words) >= MIN_PROSE_WORDS and _SENTENCE_END.search(line)):
            continue
        out.append(Candidate((start, end), _digest(_normal(line))))
    return out


def mark_repeated_lines(docs: Sequence[Document], memory: LineMemory) -> list[Row]:
    """Mark the lines each document shares with another article of its outlet (in `docs` or in
    `memory`); return the rows `memory` should learn from `docs`."""
    found: dict[int, tuple[str, str, list[Candidate]]] = {}
    for i, doc in enumerate(docs):
        outlet = outlet_key(doc)
        if doc.text and outlet is not None:
            found[i] = (outlet, article_key(doc), candidates(doc))
    printed = _printed_by(found.values(), memory)
    rows: list[Row] = []
    for i, (outlet, key, lines_of_doc) in found.items():
        seen = printed[outlet]
        marks = [
            Boilerplate(*c.span, KIND, RULE) for c in lines_of_doc if seen.get(c.line_hash, set()) - {key}
        ]
        if marks:
            furnish(docs[i], marks)
        rows += [(outlet, c.line_hash, key) for c in lines_of_doc]
    return _new_rows(rows, memory)


def _printed_by(
    found: Iterable[tuple[str, str, list[Candidate]]], memory: LineMemory
) -> dict[str, dict[str, set[str]]]:
    """outlet -> line hash -> keys of the articles printing it, from memory and from this batch."""
    hashes: dict[str, set[str]] = defaultdict(set)
    batch: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for outlet, key, lines_of_doc in found:
        for c in lines_of_doc:
            hashes[outlet].add(c.line_hash)
            batch[outlet][c.line_hash].add(key)
    for outlet, wanted in hashes.items():
        for line_hash, keys in memory.line_keys(outlet, sorted(wanted)).items():
            batch[outlet][line_hash] |= keys
    return batch


def _new_rows(rows: Iterable[Row], memory: LineMemory) -> list[Row]:
    """The rows worth remembering: new ones, for lines with fewer than `MAX_REMEMBERED_KEYS` articles."""
    wanted: dict[str, set[str]] = defaultdict(set)
    unique = sorted(set(rows))
    for outlet, line_hash, _ in unique:
        wanted[outlet].add(line_hash)
    known = {
        outlet: {h: set(keys) for h, keys in memory.line_keys(outlet, sorted(hashes)).items()}
        for outlet, hashes in wanted.items()
    }
    out = []
    for outlet, line_hash, key in unique:
        keys = known[outlet].setdefault(line_hash, set())
        if key not in keys and len(keys) < MAX_REMEMBERED_KEYS:
            keys.add(key)
            out.append((outlet, line_hash, key))
    return out


def furnish(doc: Document, marks: Sequence[Boilerplate]) -> None:
    """Add `marks` to the document's boilerplate and drop what the stages found inside them."""
    doc.boilerplate = sorted([*doc.boilerplate, *marks], key=lambda b: (b.start, b.end))
    doc.body = body_spans(doc.text, doc.boilerplate)

    def outside(start: int, end: int) -> bool:
        return not any(m.start < end and start < m.end for m in marks)

    doc.mentions = [m for m in doc.mentions if outside(m.start, m.end)]
    doc.times = [t for t in doc.times if outside(t.start, t.end)]
    doc.quotes = [q for q in doc.quotes if outside(q.start, q.end)]
    doc.events = [e for e in doc.events if outside(*(e.trigger or e.sentence or (0, 0)))]
    doc.claims = _kept_claims(doc.claims, outside)
    doc.entities = {k: v for k, v in doc.entities.items() if k in _entities_in_use(doc)}


def _kept_claims(claims: Sequence[Claim], outside: Callable[[int, int], bool]) -> list[Claim]:
    """The claims outside the marks; `part_of` re-pointed at the kept list (None when its total went)."""
    index = {i: n for n, i in enumerate(i for i, c in enumerate(claims) if outside(c.start, c.end))}
    kept = [c for i, c in enumerate(claims) if i in index]
    for claim in kept:
        claim.part_of = index.get(claim.part_of) if claim.part_of is not None else None
    return kept


def _entities_in_use(doc: Document) -> set[str]:
    """The entity ids something left in the document still points at."""
    used = {m.entity for m in doc.mentions}
    for event in doc.events:
        used.update((*event.source, *event.target, event.location))
    used.update(q.speaker for q in doc.quotes)
    used.update(c.attributed_entity for c in doc.claims)
    return {u for u in used if u}


def _normal(line: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", line).casefold().split())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]

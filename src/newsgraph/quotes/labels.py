"""Lines that open with a speaker and a colon, as in a transcript or a headline.

"PENCE: Well, …" or "Pat Caddell: Democrats Worried …": the rest of the line is what the speaker
said. The speaker is the person or organisation the label names, or a capitalised label that opens
several lines of the document (an interview's "HOST:", "PENCE:"), which names the person whose
name ends with it.
"""

from __future__ import annotations

from collections import Counter

from newsgraph.ingest.layout import lines
from newsgraph.model import Span
from newsgraph.quotes.attribution import CUED, Frame
from newsgraph.quotes.context import Context, trimmed
from newsgraph.quotes.speakers import SPEAKER_TYPES, Speaker

LABEL_CHARS_MAX = 40  # the colon ends a label this close to the start of its line
LABEL_WORDS_MAX = 4
MIN_CONTENT_WORDS = 2


def labelled_frames(ctx: Context) -> list[Frame]:
    labels = [
        (line, label)
        for line in lines(ctx.text)
        if ctx.doc.in_body(*line) and (label := _label(ctx, line)) is not None
    ]
    recurring = Counter(ctx.text[start:colon].casefold() for _, (start, colon) in labels)
    frames = []
    for (_, end), (start, colon) in labels:
        content = trimmed(ctx.text, (colon + 1, end), ctx.lex.mark_characters)
        speaker = _speaker(ctx, (start, colon), recurring)
        if speaker is not None and ctx.words_in(content) >= MIN_CONTENT_WORDS:
            frames.append(Frame(content, True, CUED, (colon, colon + 1), speaker))
    return frames


def _label(ctx: Context, line: Span) -> Span | None:
    """The words before a colon that opens `line`, if few enough to be a speaker's name."""
    start, end = trimmed(ctx.text, line, ctx.lex.mark_characters)
    colon = ctx.text.find(":", start, min(end, start + LABEL_CHARS_MAX))
    if colon < 0 or not 0 < len(ctx.text[start:colon].split()) <= LABEL_WORDS_MAX:
        return None
    return start, colon


def _speaker(ctx: Context, label: Span, recurring: Counter[str]) -> Speaker | None:
    mention = ctx.mention_at(label[0])
    if mention is not None and (mention.start, mention.end) == label and mention.type in SPEAKER_TYPES:
        return Speaker(label, mention.entity)
    text = ctx.text[label[0] : label[1]]
    if not text.isupper() or recurring[text.casefold()] < 2:
        return None
    named = [m for m in ctx.mentions if m.type == "PER" and m.text.split()[-1].casefold() == text.casefold()]
    return Speaker(label, named[0].entity if named else None)

"""natasha's Russian news NER (slovnet), with natasha's normal forms ("Блинкена" -> "Блинкен").

The names come from the document's one analysis (`newsgraph.language.syntax.shared_parse`), which
runs natasha's NER, morphology and syntax once over the document's sentences with the process's
one copy of the models (`newsgraph.language.models.natasha_tools`). Called without sentences
(the recogniser alone), it reads each block with the NER and, for normal forms, the morphology.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsgraph.language.models import natasha_tools
from newsgraph.language.syntax import NATASHA, shared_parse
from newsgraph.model import Mention, Span

SOURCE = "natasha"
LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


class NatashaRecognizer:
    source = SOURCE

    def __init__(self, lang: str | None = "ru"):
        self.lang = lang  # the document language the analysis is asked for, so the parse is shared

    def __call__(self, text: str, blocks: Sequence[Span], sentences: Sequence[Span]) -> list[Mention]:
        if sentences:
            analysis = shared_parse(text, sentences, NATASHA, self.lang)
            found = [(e.start, e.end, e.label, e.normal) for e in analysis.entities]
        else:
            found = _entities_in_blocks(text, blocks)
        return [
            Mention(
                start,
                end,
                text[start:end],
                LABELS[label],
                normal=normal or text[start:end],
                source=SOURCE,
            )
            for start, end, label, normal in found
            if label in LABELS
        ]


def _entities_in_blocks(text: str, blocks: Sequence[Span]) -> list[tuple[int, int, str, str | None]]:
    """(start, end, label, normal form) of the names natasha finds in each block read alone."""
    from natasha import Doc

    tools = natasha_tools()
    out: list[tuple[int, int, str, str | None]] = []
    for offset, end in blocks:
        doc = Doc(text[offset:end])
        doc.segment(tools.segmenter)
        doc.tag_ner(tools.ner_tagger)
        if not doc.spans:
            continue
        doc.tag_morph(tools.morph_tagger)  # normal forms need the morphology
        for span in doc.spans:
            span.normalize(tools.morph_vocab)
            out.append((offset + span.start, offset + span.stop, span.type, span.normal or None))
    return out

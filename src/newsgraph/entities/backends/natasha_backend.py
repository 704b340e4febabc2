"""natasha's Russian news NER (slovnet), with natasha's normal forms ("Блинкена" -> "Блинкен").

The NER reads each block (paragraph) of the body; the names are then normalised through the
document's one analysis (`newsgraph.language.syntax.shared_parse`: natasha's morphology and syntax,
run once), which takes them as its entities instead of running the NER again. All of it uses the
process's one copy of the models (`newsgraph.language.models.natasha_tools`). Called without
sentences (the recogniser alone), the morphology of each block gives the normal forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsgraph.language.models import natasha_tools
from newsgraph.language.syntax import NATASHA, parsed_already, shared_parse
from newsgraph.model import Mention, Span

SOURCE = "natasha"
LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


class NatashaRecognizer:
    source = SOURCE

    def __init__(self, lang: str | None = "ru"):
        self.lang = lang  # the document language the analysis is asked for, so the parse is shared

    def __call__(self, text: str, blocks: Sequence[Span], sentences: Sequence[Span]) -> list[Mention]:
        found: list[tuple[int, int, str, str | None]]
        if sentences:
            analysis = parsed_already(text, sentences, NATASHA, self.lang)
            if analysis is None:
                names = names_in_blocks(text, blocks)
                analysis = shared_parse(text, sentences, NATASHA, self.lang, names=names)
            found = [(e.start, e.end, e.label, e.normal) for e in analysis.entities]
        else:
            found = _normalised_in_blocks(text, blocks)
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


def names_in_blocks(text: str, blocks: Sequence[Span]) -> list[tuple[int, int, str]]:
    """(start, end, type) of the names natasha's NER finds in each block read alone, in block order.

    The blocks go through the tagger in one `map` (batches of 8), shortest first: one call per
    block cost more than the whole text read at once (slovnet's fixed cost per call), and batches of
    blocks of similar length pad little. A padding position embeds as zeros (as the convolutions'
    own padding) and every layer's output is masked there, so a block's names are the same whichever
    blocks share its batch."""
    kept = [block for block in blocks if text[block[0] : block[1]].strip()]
    order = sorted(range(len(kept)), key=lambda k: kept[k][1] - kept[k][0])
    markups = natasha_tools().names_tagger.map([text[kept[k][0] : kept[k][1]] for k in order])
    found: list[list[tuple[int, int, str]]] = [[] for _ in kept]
    for k, markup in zip(order, markups, strict=True):
        offset = kept[k][0]
        found[k] = [(offset + span.start, offset + span.stop, span.type) for span in markup.spans]
    return [name for names in found for name in names]


def _normalised_in_blocks(text: str, blocks: Sequence[Span]) -> list[tuple[int, int, str, str | None]]:
    """(start, end, type, normal form) of the names in each block, normal forms from its morphology."""
    from natasha import Doc

    tools = natasha_tools()
    out: list[tuple[int, int, str, str | None]] = []
    for offset, end in blocks:
        doc: Any = Doc(text[offset:end])
        doc.segment(tools.segmenter)
        doc.tag_ner(tools.names_tagger)
        if not doc.spans:
            continue
        doc.tag_morph(tools.morph_tagger)  # normal forms need the morphology
        for span in doc.spans:
            span.normalize(tools.morph_vocab)
            out.append((offset + span.start, offset + span.stop, span.type, span.normal or None))
    return out

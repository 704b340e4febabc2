"""natasha's Russian news NER (slovnet), with natasha's normal forms ("Блинкена" -> "Блинкен")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from newsgraph.model import Mention, Span

SOURCE = "natasha"
LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


@dataclass(frozen=True)
class _Models:
    segmenter: Any
    ner: Any
    morph: Any
    vocab: Any


class NatashaRecognizer:
    source = SOURCE

    @cached_property
    def models(self) -> _Models:
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        embedding = NewsEmbedding()
        return _Models(Segmenter(), NewsNERTagger(embedding), NewsMorphTagger(embedding), MorphVocab())

    def __call__(self, text: str, blocks: Sequence[Span], sentences: Sequence[Span]) -> list[Mention]:
        from natasha import Doc

        models = self.models
        out = []
        for offset, end in blocks:
            doc = Doc(text[offset:end])
            doc.segment(models.segmenter)
            doc.tag_ner(models.ner)
            if not doc.spans:
                continue
            doc.tag_morph(models.morph)  # normal forms need the morphology
            for span in doc.spans:
                kind = LABELS.get(span.type)
                if kind is None:
                    continue
                span.normalize(models.vocab)
                start, stop = offset + span.start, offset + span.stop
                out.append(
                    Mention(
                        start, stop, text[start:stop], kind, normal=span.normal or span.text, source=SOURCE
                    )
                )
        return out

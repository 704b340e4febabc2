"""Any installed spaCy pipeline as a recogniser; only its entity recogniser (and what feeds it) runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import spacy
import spacy.util

from newsgraph.entities.backends.lemmas import normal_form
from newsgraph.model import Mention, Span

# spaCy's label sets (OntoNotes for English, WikiNER-style PER/ORG/LOC/MISC elsewhere) onto ours;
# a label absent here (DATE, CARDINAL, MONEY, ...) is not a name.
LABELS = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
    "MISC": "MISC",
}
ENTITY_PIPES = ("ner", "entity_ruler", "span_ruler")
BATCH_SIZE = 64


def is_installed(package: str) -> bool:
    return bool(spacy.util.is_package(package))


def needed_pipes(nlp: Any) -> set[str]:
    """The entity components and the shared embedding layers (tok2vec, transformer) they listen to."""
    keep = {name for name in nlp.pipe_names if name in ENTITY_PIPES}
    for name, pipe in nlp.pipeline:
        listeners = getattr(pipe, "listening_components", None) or []
        if keep & set(listeners):
            keep.add(name)
    return keep


class SpacyRecognizer:
    def __init__(self, package: str, lang: str | None):
        self.package = package
        self.lang = lang
        self.source = f"spacy:{package}"
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            nlp = spacy.load(self.package)
            keep = needed_pipes(nlp)
            if "ner" not in keep:
                raise ValueError(f"spaCy pipeline {self.package!r} has no entity recogniser ('ner')")
            nlp.select_pipes(enable=[name for name in nlp.pipe_names if name in keep])
            self._nlp = nlp
        return self._nlp

    def __call__(self, text: str, blocks: Sequence[Span], sentences: Sequence[Span]) -> list[Mention]:
        out = []
        pieces = (text[s:e] for s, e in blocks)
        for (offset, _), parsed in zip(blocks, self.nlp.pipe(pieces, batch_size=BATCH_SIZE), strict=True):
            for ent in parsed.ents:
                kind = LABELS.get(ent.label_)
                if kind is None:
                    continue
                start, end = offset + ent.start_char, offset + ent.end_char
                out.append(
                    Mention(
                        start,
                        end,
                        text[start:end],
                        kind,
                        normal=normal_form(ent.text.split(), self.lang),
                        source=self.source,
                    )
                )
        return out

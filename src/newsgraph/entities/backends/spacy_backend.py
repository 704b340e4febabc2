"""Any installed spaCy pipeline as a recogniser; only its entity recogniser (and what feeds it) runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import spacy
import spacy.util

from newsgraph.entities.backends.lemmas import normal_form
from newsgraph.language.models import load_spacy
from newsgraph.language.syntax import offer_names, parsed_already
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
    """The entity recogniser alone over each block (paragraph) of the body, with the process's one
    copy of the pipeline (`load_spacy`). The names found are offered to the document's analysis
    (`newsgraph.language.syntax`), which then runs the rest of the pipeline without the entity
    recogniser: every component runs once per document. When the analysis was made first (a stage
    order that parses before the names stage), its entities are taken instead."""

    def __init__(self, package: str, lang: str | None):
        self.package = package
        self.lang = lang
        self.source = f"spacy:{package}"
        self._unused: list[str] | None = None

    @property
    def nlp(self) -> Any:
        return load_spacy(self.package)

    @property
    def unused(self) -> list[str]:
        """The components the entity recogniser does not need (disabled when only names are wanted)."""
        if self._unused is None:
            keep = needed_pipes(self.nlp)
            if "ner" not in keep:
                raise ValueError(f"spaCy pipeline {self.package!r} has no entity recogniser ('ner')")
            self._unused = [name for name in self.nlp.pipe_names if name not in keep]
        return self._unused

    def __call__(self, text: str, blocks: Sequence[Span], sentences: Sequence[Span]) -> list[Mention]:
        analysis = parsed_already(text, sentences, self.source, self.lang) if sentences else None
        if analysis is not None:
            found = [(e.start, e.end, e.label) for e in analysis.entities]
        else:
            found = self._entities_in_blocks(text, blocks)
            if sentences:
                offer_names(text, sentences, self.source, self.lang, found)
        out = []
        for start, end, label in found:
            kind = LABELS.get(label)
            if kind is None:
                continue
            out.append(
                Mention(
                    start,
                    end,
                    text[start:end],
                    kind,
                    normal=normal_form(text[start:end].split(), self.lang),
                    source=self.source,
                )
            )
        return out

    def _entities_in_blocks(self, text: str, blocks: Sequence[Span]) -> list[tuple[int, int, str]]:
        """(start, end, label) of the entities the recogniser alone finds in each block."""
        unused = self.unused
        pieces = (text[s:e] for s, e in blocks)
        out: list[tuple[int, int, str]] = []
        for (offset, _), parsed in zip(
            blocks, self.nlp.pipe(pieces, batch_size=BATCH_SIZE, disable=unused), strict=True
        ):
            out.extend((offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in parsed.ents)
        return out

"""Language models, each loaded once per process and shared by every stage that needs it.

A worker process loads a model the first time a document of its language arrives; later calls
return the same object, so the syntax analysis and any entity backend share one copy in memory.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy
from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

# Components (by factory) that tokens, lemmas, morphology, the parse and the entities come from;
# anything else a pipeline ships (senter, textcat, entity_linker, ...) is switched off.
SPACY_FACTORIES = frozenset(
    {
        "tok2vec",
        "transformer",
        "curated_transformer",  # shared embedding layers the others listen to
        "tagger",
        "morphologizer",
        "attribute_ruler",
        "lemmatizer",
        "trainable_lemmatizer",
        "parser",
        "beam_parser",
        "ner",
        "beam_ner",
        "entity_ruler",
        "span_ruler",
    }
)


class ModelNotInstalled(RuntimeError):
    """A configured model is not installed in this environment."""


@cache
def load_spacy(package: str) -> spacy.language.Language:
    """The installed spaCy pipeline `package` (name or path), with only the components analysis needs."""
    try:
        nlp = spacy.load(package)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy pipeline {package!r} is not installed: install it (pip) or map its language to another "
            f"model in the `models` setting"
        ) from exc
    unused = [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory not in SPACY_FACTORIES]
    if unused:
        nlp.select_pipes(disable=unused)
    keep_out_of_collections()
    return nlp


def keep_out_of_collections() -> None:
    """Leave what this process holds now (a model just loaded, which lives as long as the process)
    out of the garbage collector's full collections. A full collection walks every tracked object:
    with a spaCy pipeline loaded each took about 0.25 s, and an extract run of 30 English articles
    triggered one or two; frozen, 0.01 s. Garbage is collected first, so only live objects are
    frozen (one that later becomes unreachable in a cycle stays in memory: a few, once per model)."""
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class NatashaTools:
    """natasha's Russian news models (slovnet) sharing one embedding, and the pymorphy vocabulary."""

    segmenter: Any
    morph_vocab: Any
    embedding: Any
    morph_tagger: Any
    syntax_parser: Any
    ner_tagger: Any


@cache
def natasha_tools() -> NatashaTools:
    embedding = NewsEmbedding()
    return NatashaTools(
        segmenter=Segmenter(),
        morph_vocab=MorphVocab(),
        embedding=embedding,
        morph_tagger=NewsMorphTagger(embedding),
        syntax_parser=NewsSyntaxParser(embedding),
        ner_tagger=NewsNERTagger(embedding),
    )

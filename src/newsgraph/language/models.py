"""Language models, each loaded once per process and shared by every stage that needs it.

A worker process loads a model the first time a document of its language arrives; later calls
return the same object, so the syntax analysis and any entity backend share one copy in memory.
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy
from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

from newsgraph.language.slovnet_layers import accelerated

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
    """natasha's Russian news models (slovnet) sharing one embedding, and the pymorphy vocabulary.
    `ner_tagger` is natasha's NER as it ships (the bare model `benchmarks/speed.py` compares with);
    `names_tagger` is the same model, weights shared, computed by `language.slovnet_layers`."""

    segmenter: Any
    morph_vocab: Any
    embedding: Any
    morph_tagger: Any
    syntax_parser: Any
    ner_tagger: Any
    names_tagger: Any


@cache
def natasha_tools() -> NatashaTools:
    """natasha's models, once per process. The morphology tagger, the syntax parser and the names
    tagger remember the ids of each word they meet (`remember_word_ids`) and run slovnet's layers
    with less copying (`slovnet_layers.accelerated`: the same floats). The NER tagger is left as
    natasha ships it."""
    embedding = NewsEmbedding()
    morph_tagger, syntax_parser = NewsMorphTagger(embedding), NewsSyntaxParser(embedding)
    ner_tagger = NewsNERTagger(embedding)
    names_tagger = copy.copy(ner_tagger)
    names_tagger.infer = accelerated_infer(ner_tagger.infer)
    for model in (morph_tagger, syntax_parser):
        model.infer = accelerated_infer(model.infer)
    for model in (morph_tagger, syntax_parser, names_tagger):
        model.infer.encoder.item = remember_word_ids(model.infer.encoder)
    return NatashaTools(
        segmenter=Segmenter(),
        morph_vocab=MorphVocab(),
        embedding=embedding,
        morph_tagger=morph_tagger,
        syntax_parser=syntax_parser,
        ner_tagger=ner_tagger,
        names_tagger=names_tagger,
    )


def accelerated_infer(infer: Any) -> Any:
    """A copy of a slovnet `Infer` (model, encoder, decoder) with the model's layers from
    `slovnet_layers` and an encoder of its own (its ids may be remembered without touching the
    original's); weights and vocabularies are shared."""
    encoder = copy.copy(infer.encoder)
    return type(infer)(accelerated(infer.model), encoder, infer.decoder)


WORDS_REMEMBERED = 100_000  # distinct words per model and process (< 10 MB), forgotten all at once beyond


def remember_word_ids(encoder: Any) -> Callable[[list[str]], tuple[list[int], list[int]]]:
    """A slovnet encoder's `item` (a sentence's words -> their vocabulary ids and shape ids) that
    looks each distinct word up once per process. slovnet computes a word's shape (a regex and an
    outline of its letters' cases) and two vocabulary ids for every token of every sentence, which
    costs about as much as a layer of the model; the ids of a word never change."""
    from slovnet.shape import word_shape

    words_vocab, shapes_vocab = encoder.words_vocab, encoder.shapes_vocab
    known: dict[str, tuple[int, int]] = {}

    def item(words: list[str]) -> tuple[list[int], list[int]]:
        word_ids, shape_ids = [], []
        for word in words:
            ids = known.get(word)
            if ids is None:
                if len(known) >= WORDS_REMEMBERED:
                    known.clear()
                ids = known[word] = (words_vocab.encode(word.lower()), shapes_vocab.encode(word_shape(word)))
            word_ids.append(ids[0])
            shape_ids.append(ids[1])
        return word_ids, shape_ids

    return item

"""Name recognisers behind one interface, chosen per language by a model spec from the settings.

`"spacy:<package>"` is any installed spaCy pipeline with an entity recogniser (a transformer one
included), `"natasha"` is natasha's Russian news NER, `"fallback"` the language-independent rules.
A recogniser takes the text, its body blocks and its sentences and returns `Mention`s with offsets
into the text; it loads its model on first use, once per process.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

from newsgraph.model import Mention, Span

FALLBACK = "fallback"
NATASHA = "natasha"
SPACY_PREFIX = "spacy:"


class Recognizer(Protocol):
    source: str

    def __call__(self, text: str, blocks: Sequence[Span], sentences: Sequence[Span]) -> list[Mention]: ...


class ModelSpecError(ValueError):
    """A model spec that names no known backend, or a model that is not installed."""


def check_spec(spec: str, lang: str | None = None) -> None:
    """Raise `ModelSpecError` unless `spec` names a backend whose model is installed (loads nothing)."""
    where = f" for language {lang!r}" if lang else ""
    if spec in (FALLBACK, NATASHA):
        return
    if spec.startswith(SPACY_PREFIX) and spec[len(SPACY_PREFIX) :]:
        from newsgraph.entities.backends.spacy_backend import is_installed

        package = spec[len(SPACY_PREFIX) :]
        if not is_installed(package):
            raise ModelSpecError(
                f"model {spec!r}{where}: no spaCy pipeline {package!r} is installed "
                f"(install it with pip, or name another model in the settings)"
            )
        return
    raise ModelSpecError(
        f"unknown model spec {spec!r}{where}: use 'spacy:<package>' (an installed spaCy "
        f"pipeline), 'natasha' or 'fallback'"
    )


@cache
def recognizer_for(spec: str, lang: str | None) -> Recognizer:
    """The recogniser `spec` names, for `lang`; one per (spec, language) and process."""
    check_spec(spec, lang)
    if spec == NATASHA:
        from newsgraph.entities.backends.natasha_backend import NatashaRecognizer

        return NatashaRecognizer(lang)
    if spec.startswith(SPACY_PREFIX):
        from newsgraph.entities.backends.spacy_backend import SpacyRecognizer

        return SpacyRecognizer(spec[len(SPACY_PREFIX) :], lang)
    from newsgraph.entities.backends.fallback import FallbackRecognizer

    return FallbackRecognizer(lang)

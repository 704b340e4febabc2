"""Normal forms of names: each word lemmatised (simplemma) where the language inflects names.

"Wielkiej Brytanii" and "Wielka Brytania" get one normal form, so a document's mentions of one
place, person or organisation share a key whatever their case.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import simplemma

from newsgraph.entities.backends.lexicon import lexicon

SHARED_PREFIX = 3  # a lemma that does not start like its word is a dictionary accident, not a lemma


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    """The lemma of a capitalised word, keeping its capitalisation; the word itself when unknown."""
    dictionary = lexicon(lang).dictionary
    if dictionary is None:
        return word
    try:
        # the lower-case form: simplemma reads a capitalised adjective as a name ("Wielka" -> "Wielk")
        found = simplemma.lemmatize(word.casefold(), dictionary)
    except ValueError:  # a language simplemma does not know
        return word
    if (
        found == word.casefold()
        or found.casefold()[:SHARED_PREFIX] != word.casefold()[:SHARED_PREFIX]
        or word.isupper()
    ):
        return word
    return found[:1].upper() + found[1:] if word[:1].isupper() else found


@lru_cache(maxsize=200_000)
def is_common_word(word: str, lang: str) -> bool:
    """True when the dictionary of `lang` knows the lower-case word (it may still be a name)."""
    dictionary = lexicon(lang).dictionary
    if dictionary is None:
        return False
    try:
        return simplemma.is_known(word.casefold(), dictionary)
    except ValueError:
        return False


def normal_form(words: Sequence[str], lang: str | None) -> str:
    """The name's words, lemmatised where `lang` inflects names."""
    if lang and lexicon(lang).lemmatize:
        return " ".join(lemma(w, lang) for w in words)
    return " ".join(words)

"""Phrases indexed by their first word, so that a token is tried only against the phrases that can
start at it (the plain scan compared every token with every cue phrase, the largest cost of the quotes
stage).

A phrase can start at a token only when its first word is one of the token's forms, the preposition
a form contracts ("du" -> "de"), or a longer word that the token's text begins (a word the model split
into adjacent tokens: "d'après" -> "d'", "après"). The index returns exactly those phrases, in the
order of the lexicon, so the first phrase that matches is the one the plain scan would have found.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MEMO_MAX = 200_000  # token shapes remembered per index (a worker's vocabulary; cleared when full)


def normal(word: str) -> str:
    """How cue words are compared: case-folded, with the typographic apostrophe made plain."""
    return word.casefold().replace("’", "'")


@dataclass(frozen=True)
class FirstWordIndex:
    """Positions of phrases (in lexicon order) by the normalised first word of each."""

    by_first: dict[str, tuple[int, ...]]
    firsts: tuple[str, ...]  # the keys, sorted, for the words a token's text only begins
    contractions: dict[str, str]  # a fused article -> its preposition ("du" -> "de")
    always: tuple[int, ...] = field(default=())  # phrases with no first word: tried everywhere
    # the answer per token shape (forms and text): words recur, in a document and across documents
    _memo: dict[tuple[tuple[str, ...], str], tuple[int, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, firsts: Sequence[str | None], contractions: dict[str, str] | None = None) -> FirstWordIndex:
        """The index of phrases whose first words are `firsts` (None: a phrase with no words), where a
        token's form may also stand for the preposition it `contractions` (fused with an article)."""
        by_first: dict[str, list[int]] = {}
        always: list[int] = []
        for position, first in enumerate(firsts):
            if first is None:
                always.append(position)
            else:
                by_first.setdefault(normal(first), []).append(position)
        return cls(
            by_first={k: tuple(v) for k, v in by_first.items()},
            firsts=tuple(sorted(by_first)),
            contractions=dict(contractions or {}),
            always=tuple(always),
        )

    def candidates(self, forms: tuple[str, ...], text: str) -> tuple[int, ...]:
        """Positions, in lexicon order, of the phrases that may start at a token with these `forms`
        (its lemma and word forms) and this `text`."""
        key = (forms, text)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_MAX:
                self._memo.clear()
            found = self._memo[key] = self._candidates(forms, text)
        return found

    def _candidates(self, forms: Iterable[str], text: str) -> tuple[int, ...]:
        keys = {normal(f) for f in forms}
        keys.update(self.contractions[f] for f in list(keys) if f in self.contractions)
        keys.update(self._longer_words(normal(text)))
        found = set(self.always)
        for key in keys:
            found.update(self.by_first.get(key, ()))
        return tuple(sorted(found))

    def _longer_words(self, text: str) -> list[str]:
        """First words that `text` begins and that are longer than it (spelled over adjacent tokens)."""
        if not text:
            return []
        words = []
        k = bisect_left(self.firsts, text)
        while k < len(self.firsts) and self.firsts[k].startswith(text):
            if len(self.firsts[k]) > len(text):
                words.append(self.firsts[k])
            k += 1
        return words

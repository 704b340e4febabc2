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


def normal(word: str) -> str:
    """How cue words are compared: case-folded, with the typographic apostrophe made plain."""
    return word.casefold().replace("’", "'")


@dataclass(frozen=True)
class FirstWordIndex:
    """Positions of phrases (in lexicon order) by the normalised first word of each."""

    by_first: dict[str, tuple[int, ...]]
    firsts: tuple[str, ...]  # the keys, sorted, for the words a token's text only begins
    always: tuple[int, ...] = field(default=())  # phrases with no first word: tried everywhere

    @classmethod
    def of(cls, firsts: Sequence[str | None]) -> FirstWordIndex:
        """The index of phrases whose first words are `firsts` (None: a phrase with no words)."""
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
            always=tuple(always),
        )

    def candidates(self, forms: Iterable[str], contractions: dict[str, str], text: str) -> list[int]:
        """Positions, in lexicon order, of the phrases that may start at a token with these `forms`
        (normalised), these `contractions` of forms, and this normalised `text`."""
        keys = set(forms)
        keys.update(contractions[f] for f in list(keys) if f in contractions)
        keys.update(self._longer_words(text))
        found = set(self.always)
        for key in keys:
            found.update(self.by_first.get(key, ()))
        return sorted(found)

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

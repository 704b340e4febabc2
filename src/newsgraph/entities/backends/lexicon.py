"""The per-language word lists about names (`langdata/<lang>/entities.toml`), ready for lookups.

Entries of `STEM_MIN` letters or more also match the inflected forms that extend them by at most
`INFLECTION_MAX` letters, so one entry "госсекретар" serves "госсекретарь", "госсекретаря", ...;
shorter entries match exactly (a stem "рад" would match "радость").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from newsgraph import langdata

STEM_MIN = 4
INFLECTION_MAX = 4


@dataclass(frozen=True)
class WordList:
    """Lower-case words and phrases; `match` accepts inflected forms of the long entries."""

    exact: frozenset[str]
    stems: tuple[str, ...]

    @classmethod
    def of(cls, words: list[str]) -> WordList:
        lowered = {w.casefold() for w in words}
        return cls(frozenset(lowered), tuple(sorted((w for w in lowered if len(w) >= STEM_MIN),
                                                    key=len, reverse=True)))

    def match(self, word: str) -> str | None:
        """The entry `word` is (a form of), or None."""
        low = word.casefold()
        if low in self.exact:
            return low
        for stem in self.stems:
            if low.startswith(stem) and len(low) - len(stem) <= INFLECTION_MAX:
                return stem
        return None

    def __contains__(self, word: str) -> bool:
        return self.match(word) is not None


@dataclass(frozen=True)
class Lexicon:
    lang: str
    stop: frozenset[str]  # stop words, months and weekdays: never a name on their own
    titles: WordList
    honorifics: WordList
    particles: frozenset[str]
    org_words: WordList
    loc_words: WordList
    per_suffixes: tuple[str, ...]
    possessives: tuple[str, ...]
    abbreviations: frozenset[str]
    lemmatize: bool
    capitalised_nouns: bool
    extend_with_heads: bool

    def is_stop(self, word: str) -> bool:
        return word.casefold() in self.stop

    def is_cue(self, word: str) -> bool:
        """A title or honorific: a word next to a person's name that is not part of it."""
        return word.casefold().rstrip(".") in self.honorifics.exact or word in self.titles


@cache
def lexicon(lang: str | None) -> Lexicon:
    """The merged `entities` table of `lang` (the language-independent one for None)."""
    table = langdata.load(lang, "entities")

    def words(key: str) -> list[str]:
        return [str(w) for w in table.get(key, [])]

    return Lexicon(
        lang=lang or langdata.NEUTRAL,
        stop=frozenset(w.casefold() for key in ("stop", "months", "weekdays") for w in words(key)),
        titles=WordList.of(words("titles")),
        honorifics=WordList.of(words("honorifics")),
        particles=frozenset(w.casefold() for w in words("particles")),
        org_words=WordList.of(words("org_words")),
        loc_words=WordList.of(words("loc_words")),
        per_suffixes=tuple(sorted(words("per_suffixes"), key=len, reverse=True)),
        possessives=tuple(sorted(words("possessives"), key=len, reverse=True)),
        abbreviations=frozenset(w.casefold() for w in words("abbreviations")),
        lemmatize=bool(table.get("lemmatize", False)),
        capitalised_nouns=bool(table.get("capitalised_nouns", False)),
        extend_with_heads=bool(table.get("extend_with_heads", False)),
    )

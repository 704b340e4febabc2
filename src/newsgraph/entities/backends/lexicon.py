"""The per-language word lists about names (`langdata/<lang>/entities.toml`), ready for lookups.

Entries of `STEM_MIN` letters or more also match the forms that extend them by a few letters
(`INFLECTION_MAX` where names inflect, `PLURAL_MAX` elsewhere), so one entry "госсекретар" serves
"госсекретарь", "госсекретаря", ...; shorter entries match exactly (a stem "рад" would match
"радость").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from newsgraph import langdata

STEM_MIN = 4
INFLECTION_MAX = 4  # in a language whose names inflect
PLURAL_MAX = 2  # elsewhere ("ministers", "Präsidenten"; "president" is no stem of "presidential")


@dataclass(frozen=True)
class WordList:
    """Lower-case words and phrases; `match` accepts inflected forms of the long entries."""

    exact: frozenset[str]
    stems: dict[str, tuple[str, ...]]  # entries of `STEM_MIN`+ letters by their first `STEM_MIN` letters
    extra: int  # letters a form may add to a stem

    @classmethod
    def of(cls, words: list[str], inflected: bool) -> WordList:
        lowered = {w.casefold() for w in words}
        stems: dict[str, list[str]] = {}
        for w in sorted((w for w in lowered if len(w) >= STEM_MIN), key=len, reverse=True):
            stems.setdefault(w[:STEM_MIN], []).append(w)
        return cls(
            frozenset(lowered),
            {k: tuple(v) for k, v in stems.items()},
            INFLECTION_MAX if inflected else PLURAL_MAX,
        )

    def match(self, word: str) -> str | None:
        """The entry `word` is (a form of), or None."""
        low = word.casefold()
        if low in self.exact:
            return low
        for stem in self.stems.get(low[:STEM_MIN], ()):
            ending = low[len(stem) :]
            if low.startswith(stem) and len(ending) <= self.extra and ending.isalpha():
                return stem
        return None

    def __contains__(self, word: str) -> bool:
        return self.match(word) is not None


@dataclass(frozen=True)
class Lexicon:
    lang: str
    stop: frozenset[str]  # function words: never the first or last word of a name
    calendar: frozenset[str]  # months and weekdays: never a name on their own
    titles: WordList
    honorifics: WordList
    particles: frozenset[str]
    org_words: WordList
    loc_words: WordList
    per_suffixes: tuple[str, ...]
    places: frozenset[str]  # place names the gazetteer lacks, mostly acronyms ("США", "USA")
    possessives: tuple[str, ...]
    abbreviations: frozenset[str]
    lemmatize: bool
    dictionary: str | None  # simplemma's language code (None: no dictionary)
    capitalised_nouns: bool
    extend_with_heads: bool
    apostrophe_suffixes: bool  # case endings follow a name after an apostrophe ("Fidan'ın")
    verb_endings: tuple[str, ...]  # endings of finite verbs, for languages without a dictionary
    proclitics: tuple[str, ...]  # letters glued before a word ("و", "ب", "ال"): a name may follow them
    definite: tuple[str, ...]  # a glued article ("ال"): a word with it is no given name
    conjunctions: tuple[str, ...]  # glued "and" ("و"): joins two names
    leading_articles: frozenset[str]  # "the": cut from a name that opens a sentence with it

    def is_stop(self, word: str) -> bool:
        return word.casefold() in self.stop

    def is_cue(self, word: str) -> bool:
        """A title or honorific: a word next to a person's name that is not part of it."""
        return word.casefold().rstrip(".") in self.honorifics.exact or word in self.titles


@cache
def lexicon(lang: str | None) -> Lexicon:
    """The merged `entities` table of `lang` (the language-independent one for None)."""
    table = langdata.load(lang, "entities")
    inflected = bool(table.get("lemmatize", False))

    def words(key: str) -> list[str]:
        return [str(w) for w in table.get(key, [])]

    def word_list(key: str) -> WordList:
        return WordList.of(words(key), inflected)

    return Lexicon(
        lang=lang or langdata.NEUTRAL,
        stop=frozenset(w.casefold() for w in words("stop")),
        calendar=frozenset(w.casefold() for key in ("months", "weekdays") for w in words(key)),
        titles=word_list("titles"),
        honorifics=word_list("honorifics"),
        particles=frozenset(w.casefold() for w in words("particles"))
        - {w.casefold() for w in words("not_particles")},
        org_words=word_list("org_words"),
        loc_words=word_list("loc_words"),
        per_suffixes=tuple(sorted(words("per_suffixes"), key=len, reverse=True)),
        places=frozenset(w.casefold() for w in words("places")),
        possessives=tuple(sorted(words("possessives"), key=len, reverse=True)),
        abbreviations=frozenset(w.casefold() for w in words("abbreviations")),
        lemmatize=inflected,
        dictionary=str(table.get("dictionary", lang)) if lang else None,
        capitalised_nouns=bool(table.get("capitalised_nouns", False)),
        extend_with_heads=bool(table.get("extend_with_heads", False)),
        apostrophe_suffixes=bool(table.get("apostrophe_suffixes", False)),
        verb_endings=tuple(sorted(words("verb_endings"), key=len, reverse=True)),
        proclitics=tuple(words("proclitics")),
        definite=tuple(words("definite")),
        conjunctions=tuple(words("conjunctions")),
        leading_articles=frozenset(w.casefold() for w in words("leading_articles")),
    )

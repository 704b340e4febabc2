"""A language's quotation conventions and attribution words (`langdata/<lang>/quotes.toml`), for lookups.

Words are compared case-folded, as lemmas or as word forms (a token matches an entry when either
its lemma or its text is the entry), so one lemma "say" serves "said", "says" and "saying", and a
language whose lemmatiser misses a form can list the form itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from newsgraph import langdata

SLOT = "{}"  # where the source goes in a source phrase ("according to {}")


@dataclass(frozen=True)
class SourcePhrase:
    """A phrase naming a source: the words before and after the source's place."""

    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class QuoteLexicon:
    lang: str
    openers: frozenset[str]  # marks that open a quotation in some pair
    closers: frozenset[str]  # marks that close a quotation in some pair
    mark_characters: frozenset[str]  # the characters the marks are made of
    pairs: frozenset[tuple[str, str]]
    spaced: frozenset[str]
    inline: frozenset[str]
    dashes: frozenset[str]
    attributors: frozenset[str]
    verbs: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]  # longest first, the governed ones among them
    governed: frozenset[tuple[str, ...]]  # a verb and its preposition: what follows is the content
    contractions: dict[str, str]  # a preposition fused with an article ("du", "delle") -> the preposition
    participle_endings: tuple[str, ...]
    sources: tuple[SourcePhrase, ...]  # longest first
    complementizers: frozenset[str]
    pronouns: frozenset[str]
    passive: frozenset[str]
    adjuncts: frozenset[str]
    auxiliaries: frozenset[str]  # may stand between a boundary and its cue without being its subject
    relatives: frozenset[str]  # relative pronouns: as a speaker, the name before them
    clause_openers: tuple[tuple[str, ...], ...]  # "wie", "as": open a source clause ("…, as X said")
    dialogue_dashes: frozenset[str]  # dashes that open a paragraph of direct speech
    first_person: frozenset[str]  # "we", "мы": part of what is said, never its speaker
    publishing: frozenset[str]  # "write", "писать": with a first-person subject, the outlet's own reporting
    inner_verbs: frozenset[str]  # thinking and wanting: inside reported content, they start no new report
    speech_nouns: frozenset[str]  # "claim", "report": a cue when its owner and content surround it
    noun_links: frozenset[str]  # besides complementizers, what opens a speech noun's content ("plan to")
    after_verbs: frozenset[str]  # "continue", "yell": a cue only right after a quotation
    masculine: frozenset[str]  # "he", "his", "Mr": words that mark a man
    feminine: frozenset[str]  # "she", "her", "Mrs": words that mark a woman
    masculine_verb_endings: tuple[str, ...]  # "-л", "-ł": a past-tense verb ending that marks a man
    feminine_verb_endings: tuple[str, ...]  # "-ла", "-ła": a past-tense verb ending that marks a woman
    infinitive_endings: tuple[str, ...]  # "-ć", "-ть": a verb so ending is an infinitive, never narration
    number_bounds: frozenset[str]  # "about", "over" (the numbers data's bounds): before a number, no adjunct

    @property
    def marks(self) -> tuple[str, ...]:
        """Every quotation mark, longest first (so "''" is read before "'")."""
        return tuple(sorted(self.openers | self.closers, key=len, reverse=True))

    def closes(self, opener: str, closer: str) -> bool:
        """True when `closer` can end a quotation `opener` began: a listed pair, the same mark used for
        both ends (a typist's ”…” or «…«), or a listed pair set the other way round (»…«)."""
        return (opener, closer) in self.pairs or opener == closer or (closer, opener) in self.pairs


def words_of(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.casefold().split())


def _longest_first(words: tuple[str, ...]) -> tuple[int, int, tuple[str, ...]]:
    """Sort key of a phrase: more words first, then more letters, then the words themselves. The
    phrases come from a set, so without the last two a tie went by the hash seed, and two
    spellings of one word ("قائلا", "قائلاً") matched in either order, giving the cue a different
    end from run to run: the longer spelling is tried first and covers the whole word."""
    return -len(words), -sum(len(w) for w in words), words


def _source(phrase: str) -> SourcePhrase:
    before, _, after = phrase.partition(SLOT)
    return SourcePhrase(words_of(before), words_of(after))


@cache
def quote_lexicon(lang: str | None) -> QuoteLexicon:
    """The merged `quotes` table of `lang` (the language-independent one for None)."""
    table = langdata.load(lang, "quotes")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in table.get(key, []))

    def endings(key: str) -> tuple[str, ...]:
        """Word endings, longest first (so "-лась" is read before "-ла")."""
        return tuple(sorted({str(e).casefold() for e in table.get(key, [])}, key=len, reverse=True))

    pairs = frozenset((str(a), str(b)) for a, b in table.get("pairs", []))
    governed = frozenset(words_of(str(p)) for p in table.get("governed", []))
    phrases = sorted({words_of(str(p)) for p in table.get("phrases", [])} | governed, key=_longest_first)
    sources = sorted(
        {_source(str(p)) for p in table.get("sources", []) if SLOT in str(p)},
        key=lambda s: _longest_first((*s.before, *s.after)),
    )
    return QuoteLexicon(
        lang=lang or langdata.NEUTRAL,
        openers=frozenset(a for a, _ in pairs),
        closers=frozenset(b for _, b in pairs),
        mark_characters=frozenset("".join(a + b for a, b in pairs)),
        pairs=pairs,
        spaced=frozenset(str(m) for m in table.get("spaced", [])),
        inline=frozenset(str(m) for m in table.get("inline", [])),
        dashes=frozenset(str(m) for m in table.get("dashes", [])),
        attributors=words("attributors"),
        verbs=words("verbs"),
        phrases=tuple(phrases),
        governed=governed,
        contractions={str(k).casefold(): str(v).casefold() for k, v in table.get("contractions", {}).items()},
        participle_endings=tuple(str(e).casefold() for e in table.get("participle_endings", [])),
        sources=tuple(sources),
        complementizers=words("complementizers"),
        pronouns=words("pronouns"),
        passive=words("passive"),
        adjuncts=words("adjuncts"),
        auxiliaries=words("auxiliaries"),
        relatives=words("relatives"),
        clause_openers=tuple(words_of(str(p)) for p in table.get("clause_openers", [])),
        dialogue_dashes=frozenset(str(m) for m in table.get("dialogue_dashes", [])),
        first_person=words("first_person"),
        publishing=words("publishing"),
        inner_verbs=words("inner_verbs"),
        speech_nouns=words("speech_nouns"),
        noun_links=words("noun_links"),
        after_verbs=words("after_verbs"),
        masculine=words("masculine"),
        feminine=words("feminine"),
        masculine_verb_endings=endings("masculine_verb_endings"),
        feminine_verb_endings=endings("feminine_verb_endings"),
        infinitive_endings=endings("infinitive_endings"),
        number_bounds=_number_bounds(lang),
    )


def _number_bounds(lang: str | None) -> frozenset[str]:
    """The one-word bounds of a figure in `langdata/<lang>/numbers.toml` ("about", "over", "около"):
    "said about 300 people died" reports a figure, where "about" opens no adjunct."""
    bounds = langdata.load(lang, "numbers").get("bounds", {})
    return frozenset(
        str(word).casefold() for words in bounds.values() for word in words if " " not in str(word).strip()
    )

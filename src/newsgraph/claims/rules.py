"""The words that turn a number into a claim, per language (`langdata/<lang>/claims.toml` over `xx`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from newsgraph import langdata
from newsgraph.claims.lexicon import Lexicon, function_words
from newsgraph.claims.numbers import notation_for

RESOURCE = "claims"
KINDS = ("killed", "injured", "arrested", "displaced", "hostages")


@dataclass(frozen=True)
class ClaimRules:
    kinds: Lexicon[str]  # verbs and nouns of a count: "tuant", "killed", "погибли", "blessés", "otages"
    count_nouns: Lexicon[bool]  # what makes a bare count a reported figure: people, troops, votes
    subcount_cues: Lexicon[bool]  # "dont", "including", "в том числе": what follows is part of the total
    conjunctions: Lexicon[bool]
    prepositions: Lexicon[bool]  # before a number, no object of the verb: "wounded … in 210 attacks"
    clause_words: Lexicon[bool]  # words that end a source's phrase ("that", "que", "что")
    attribution_cues: Lexicon[bool]  # the source follows: "selon", "according to", "по данным"
    trailing_attribution_cues: Lexicon[bool]  # the source precedes: "(dem Ministerium) zufolge"
    speech_verbs: Lexicon[bool]  # "said", "a indiqué", "сообщил": the source is their subject
    as_of_cues: Lexicon[bool]  # "depuis", "since", "as of", "с": a date follows
    data_words: Lexicon[bool]  # words that name figures, not who gives them: "data", "данным", "Angaben"
    follow_on: Lexicon[bool]  # "également", "also", "также": this sentence continues the previous one
    connectors: Lexicon[bool]  # between a number and what it counts: "de", "of"
    reported_units: frozenset[str]  # units whose amounts are figures in their own right ("t")
    stop_words: frozenset[str]

    def is_stop_word(self, word: str) -> bool:
        return word.casefold() in self.stop_words


@cache
def rules_for(lang: str | None) -> ClaimRules:
    table = langdata.load(lang, RESOURCE)
    return ClaimRules(
        kinds=Lexicon(_kind_of_phrase(table.get("kinds", {}))),
        count_nouns=_words(table, "count_nouns"),
        subcount_cues=_words(table, "subcount_cues"),
        conjunctions=_words(table, "conjunctions"),
        prepositions=_words(table, "prepositions"),
        clause_words=_words(table, "clause_words"),
        attribution_cues=_words(table, "attribution_cues"),
        trailing_attribution_cues=_words(table, "trailing_attribution_cues"),
        speech_verbs=_words(table, "speech_verbs"),
        as_of_cues=_words(table, "as_of_cues"),
        data_words=_words(table, "data_words"),
        follow_on=_words(table, "follow_on"),
        connectors=notation_for(lang).connectors,
        reported_units=frozenset(table.get("reported_units", [])),
        stop_words=function_words(lang),
    )


def _words(table: Mapping[str, object], key: str) -> Lexicon[bool]:
    phrases = table.get(key, [])
    return Lexicon.of_words(phrases if isinstance(phrases, list) else [], True)


def _kind_of_phrase(kinds: Mapping[str, Iterable[str]]) -> dict[str, str]:
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"langdata {RESOURCE}.toml: unknown claim kinds {sorted(unknown)}; known: {KINDS}")
    return {phrase: kind for kind, phrases in kinds.items() for phrase in phrases}

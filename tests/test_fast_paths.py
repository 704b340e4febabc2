"""Performance-only paths give exactly what the plain computation gave: the negotiator phrases
looked up by first letter (events/delegates.py), the claims lexicons' remembered head test
(claims/lexicon.py), each time template tried only where their alternation matches
(times/recognize.py), event cues looked up by first word (events/triggers.py). Texts written
for these tests, in English, French, German and Russian."""

from __future__ import annotations

import re

import pytest

from newsgraph.claims.lexicon import Hit, Lexicon, _head
from newsgraph.claims.numbers import notation_for
from newsgraph.claims.rules import rules_for
from newsgraph.config import Settings
from newsgraph.events.delegates import (
    _WORD,
    _starts,
    add_delegates,
    negotiator_phrases,
    phrases_by_letter,
)
from newsgraph.events.lexicon import Phrase
from newsgraph.events.lexicon import lexicon as event_lexicon
from newsgraph.events.triggers import find_cues, keys, match_at
from newsgraph.language.syntax import Token, analyse
from newsgraph.model import Document, Entity, Event, Mention
from newsgraph.times.grammar import compile_any_template, grammar_for
from newsgraph.times.recognize import _scan, _template_places, find_expressions

TEXTS = {
    "en": (
        "Russia's chief negotiator Vladimir Medinsky said talks with Ukraine would resume. "
        "The head of the delegation, a former minister, declined to comment; at least 12 people "
        "were killed and twenty-five wounded, according to the health ministry."
    ),
    "fr": (
        "Le négociateur en chef iranien Abbas Araghchi a rencontré ses homologues à Vienne. "
        "Selon le ministère, au moins 58 926 personnes ont été blessées et une dizaine de milliers "
        "déplacées depuis le 7 octobre ; l'ONU parle de 2,3 millions d'habitants."
    ),
    "de": (
        "Armeniens Chefunterhändler Ararat Mirsojan sprach nach den Gesprächen von Fortschritten. "
        "Nach Angaben der Polizei wurden mindestens 14 Menschen verletzt, zwei Dutzend festgenommen."
    ),
    "ru": (
        "Главный переговорщик России Владимир Мединский заявил, что переговоры продолжатся. "
        "По данным министерства, погибли не менее 300 человек, ещё двадцать пять ранены."
    ),
}


def first_phrase_plain(words: list[tuple[str, int, int]], i: int, lang: str) -> tuple[str, ...] | None:
    """The first negotiator phrase (in the full list's order) that starts at word `i`."""
    return next((p for p in negotiator_phrases(lang) if _starts(words, i, p)), None)


def first_phrase_indexed(words: list[tuple[str, int, int]], i: int, lang: str) -> tuple[str, ...] | None:
    return next((p for p in phrases_by_letter(lang).get(words[i][0][0], ()) if _starts(words, i, p)), None)


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_phrases_by_first_letter_find_the_phrase_of_the_full_list(lang: str) -> None:
    text = TEXTS[lang]
    words = [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]
    found = [first_phrase_indexed(words, i, lang) for i in range(len(words))]
    assert found == [first_phrase_plain(words, i, lang) for i in range(len(words))]
    assert any(found), "each text names a negotiator phrase"


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_the_letter_index_holds_every_phrase_once_in_order(lang: str) -> None:
    phrases = negotiator_phrases(lang)
    index = phrases_by_letter(lang)
    assert sorted(p for group in index.values() for p in group) == sorted(phrases)
    for group in index.values():
        assert list(group) == [p for p in phrases if p in group]


def test_an_article_without_a_contact_is_left_as_it_was() -> None:
    text = TEXTS["en"]
    doc = Document(doc_id="en", text=text, lang="en", content_hash="en")
    start = text.index("Vladimir Medinsky")
    doc.mentions = [Mention(start, start + 17, "Vladimir Medinsky", "PER", entity="E:m")]
    doc.entities = {"E:m": Entity("E:m", "Vladimir Medinsky", "PER", ["Vladimir Medinsky"])}
    doc.events = [Event(id="V:1", type="ASSAULT", mode="attack", source=["E:m"], target=[])]
    before = repr(doc.events)
    add_delegates(doc)
    assert repr(doc.events) == before


def plain_match_at(lexicon: Lexicon[object], text: str, pos: int) -> Hit[object] | None:
    """`Lexicon.match_at` as it was written before the head test was remembered."""
    heads = lexicon._heads
    if _head(text[pos : pos + 2]) not in heads and _head(text[pos : pos + 1]) not in heads:
        return None
    match = lexicon._any.match(text, pos)
    return lexicon._hit(match) if match else None


def lexicons(lang: str) -> list[Lexicon[object]]:
    """Every lexicon of the claims rules and of the number notation of `lang`."""
    found = [*vars(rules_for(lang)).values(), *vars(notation_for(lang)).values()]
    return [x for x in found if isinstance(x, Lexicon)]


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_remembered_head_test_matches_as_the_plain_one(lang: str) -> None:
    text = TEXTS[lang] + " “Tués”, DÉPLACÉS, Killed\u00a0people, 1,5 Mrd. Euro, 7-й."
    hits = 0
    for lexicon in lexicons(lang):
        for pos in range(len(text)):
            found = lexicon.match_at(text, pos)
            assert found == plain_match_at(lexicon, text, pos), (lang, pos, text[pos : pos + 12])
            hits += found is not None
    assert hits > 0


def test_head_test_is_remembered_per_pair_of_characters() -> None:
    lexicon = Lexicon.of_words(["blessés", "tués"], True)
    text = "Deux blessés, trois Tués et un bl"
    assert [h.start for h in lexicon.find(text)] == [m.start() for m in re.finditer(r"blessés|Tués", text)]
    assert lexicon._may_start == {k: v for k, v in lexicon._may_start.items() if len(k) <= 2}
    assert lexicon._may_start["bl"] is True and lexicon._may_start["De"] is False


# Time expressions: each template scans from the first place where any template matches.
TIME_TEXTS = {
    "en": [
        "The talks resumed on Tuesday, March 5, 2024, at 10 p.m. after two weeks of delays.",
        "No date here: the minister spoke of 2000 euros and resolution 1701 to reporters.",
        "Officials met last week and will meet again next month; Antony BlinkenToday, Tuesday",
        "Prices rose 2.1.% while $1.11. was paid on 21.11.2023 and 12/03/2024 at 14:30.",
    ],
    "fr": [
        "Le ministre s'est rendu à Berlin le mardi 7 novembre 2023, puis hier soir à Paris.",
        "Aucune date : le texte parle de la résolution 1973 et de 2000 euros d'amende.",
        "Depuis trois semaines, les négociations piétinent ; la fin du mois de mars approche.",
    ],
    "de": [
        "Am Montag, dem 1.11., traf der Kanzler in Berlin ein; seit zwei Wochen wird verhandelt.",
        "Keine Zeitangabe in diesem Satz, nur 14 Menschen und ein Boeing 737.",
    ],
    "ru": [
        "Вчера, 2 ноября, министр прибыл в Москву; переговоры продлятся до конца недели.",
        "В этом предложении нет даты, только 300 человек и 12 автобусов.",
    ],
}


def regions_of(sentences: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentences joined by line breaks, and the span of each."""
    regions, position = [], 0
    for sentence in sentences:
        regions.append((position, position + len(sentence)))
        position += len(sentence) + 1
    return "\n".join(sentences), regions


@pytest.mark.parametrize("lang", sorted(TIME_TEXTS))
def test_each_template_tried_at_the_places_of_the_alternation_finds_what_finditer_finds(lang: str) -> None:
    grammar = grammar_for(lang)
    text, regions = regions_of(TIME_TEXTS[lang])
    found = 0
    for start, end in [*regions, (0, len(text))]:
        places = _template_places(text, start, end, grammar)
        for template in grammar.templates:
            fast = [(m.span(), m.groupdict()) for m in _scan(template.regex, text, places, end)]
            plain = [(m.span(), m.groupdict()) for m in template.regex.finditer(text, start, end)]
            assert fast == plain, (template.name, text[start:end])
            found += len(fast)
    assert found > 0, "the fixtures hold time expressions"
    assert find_expressions(text, regions, grammar), "and the recogniser finds them"


def test_after_an_empty_match_the_scan_goes_on_as_finditer_does() -> None:
    text = "12 a 345 bc 6"
    regex = re.compile(r"\d*")  # matches everywhere, often empty
    places = list(range(len(text) + 1))
    assert [m.span() for m in _scan(regex, text, places, len(text))] == [
        m.span() for m in regex.finditer(text, 0, len(text))
    ]


@pytest.mark.parametrize("lang", ["xx", "en", "fr", "de", "ru", "pl", "tr", "ar"])
def test_the_alternation_of_templates_matches_where_some_template_matches(lang: str) -> None:
    grammar = grammar_for(lang)
    text = " ".join(sentence for sentences in TIME_TEXTS.values() for sentence in sentences)
    for pos in range(len(text) + 1):
        any_matches = grammar.any_template.match(text, pos) is not None
        assert any_matches == any(t.regex.match(text, pos) is not None for t in grammar.templates), pos


def test_a_grammar_without_templates_matches_nowhere() -> None:
    assert compile_any_template([], {}).search("le 7 novembre 2023") is None


# Event cue phrases: each token is tried against the cues that start with its lemma or text only.
EVENT_TEXTS = {
    "en": "The ministers are expected to meet on Friday and could hold talks by phone, officials said.",
    "fr": "Les ministres devraient se rencontrer vendredi et pourraient avoir un entretien téléphonique.",
    "de": "Die Minister wollen sich am Freitag treffen und könnten ein Telefongespräch führen, hieß es.",
}


def find_cues_plain(tokens: list[Token], cues: list[Phrase]) -> list[tuple[Phrase, tuple[int, ...]]]:
    """Every cue tried at every token (how `find_cues` was written before its first-word index)."""
    found = []
    for k, token in enumerate(tokens):
        token_keys = keys(token)
        for cue in cues:
            if cue.first in token_keys:
                positions = match_at(cue, tokens, k)
                if positions is not None:
                    found.append((cue, positions))
    return found


@pytest.mark.parametrize("lang", sorted(EVENT_TEXTS))
def test_event_cues_by_first_word_are_the_cues_of_the_full_scan(lang: str) -> None:
    text = EVENT_TEXTS[lang]
    doc = Document(doc_id=lang, text=text, lang=lang, sentences=[(0, len(text))])
    tokens = analyse(doc, Settings()).tokens
    lex = event_lexicon(lang)
    every_cue = [cue for cues in lex.cues.values() for cue in cues]
    every_cue += [phrase for modes in lex.modes.values() for _, phrase in modes]
    found = find_cues(tokens, every_cue)
    assert found == find_cues_plain(tokens, every_cue)
    assert found, "the sentence holds mode or context cues"
    # with a cue listed twice and a token whose lemma and text differ, order and repeats are kept
    doubled = every_cue + every_cue[:3]
    assert find_cues(tokens, doubled) == find_cues_plain(tokens, doubled)

"""Arabic-script names link to the Latin- and Cyrillic-script spellings of the same person.

Arabic script writes consonants and long vowels only, so a name is compared by its consonant
skeleton; the glued article "ال" may be kept, hyphenated or dropped by the other spelling.
The fixtures are short sentences written for these tests about well-known public figures.
"""

from __future__ import annotations

import pytest

from newsgraph.entities.index import EntityIndex
from newsgraph.entities.names import FUZZY, TRANSLIT, name_keys, name_similarity
from newsgraph.entities.resolve import ACCEPT, CONTEXT_WEIGHT, Resolver
from newsgraph.entities.translit import skeleton_keys, without_abjad_article
from newsgraph.model import Document, Entity, Mention

# (Arabic-script spelling, the other spelling, its language): the same person.
SAME_PERSON = [
    ("إيمانويل ماكرون", "Emmanuel Macron", "fr"),
    ("أنجيلا ميركل", "Angela Merkel", "de"),
    ("سيرغي لافروف", "Sergey Lavrov", "en"),
    ("سيرغي لافروف", "Сергей Лавров", "ru"),
    ("رجب طيب أردوغان", "Recep Tayyip Erdoğan", "tr"),
    ("محمد بن سلمان", "Mohammed bin Salman", "en"),
    ("جو بايدن", "Joe Biden", "en"),
    ("كير ستارمر", "Keir Starmer", "en"),
    ("أولاف شولتس", "Olaf Scholz", "de"),
    ("نبيه بري", "Nabih Berri", "en"),
    ("عمر البشير", "Omar al-Bashir", "en"),
    ("عمر البشير", "Omar Albashir", "en"),
    ("عمر البشير", "Omar Bashir", "fr"),
    ("كوشنر", "Kushner", "en"),
]

# Pairs that share a token (or a skeleton) but name different people.
DIFFERENT_PEOPLE = [
    ("محمود عباس", "Abbas Araghchi", "en"),
    ("محمد بن سلمان", "Mohammed bin Zayed", "en"),
    ("جو بايدن", "Joe Manchin", "en"),
    ("حسن روحاني", "Hassan Nasrallah", "en"),
    ("سيرغي لافروف", "Sergey Shoigu", "en"),
    ("أولاف شولتس", "Olaf Palme", "sv"),
    ("كير ستارمر", "Keir Hardie", "en"),
    ("عمر البشير", "Omar Bongo", "fr"),
    ("ماكرون", "Macri", "es"),
]


@pytest.mark.parametrize(("arabic", "other", "lang"), SAME_PERSON)
def test_an_arabic_spelling_matches_the_same_person(arabic: str, other: str, lang: str) -> None:
    assert name_keys(arabic, "ar") & name_keys(other, lang)  # the two meet in one block
    match = name_similarity(arabic, other, "ar", lang)
    assert match.kind == TRANSLIT and match.score >= ACCEPT


@pytest.mark.parametrize(("arabic", "other", "lang"), DIFFERENT_PEOPLE)
def test_an_arabic_spelling_does_not_match_another_person(arabic: str, other: str, lang: str) -> None:
    match = name_similarity(arabic, other, "ar", lang)
    assert match.kind == FUZZY and match.score < ACCEPT


def test_one_short_word_alone_needs_context_to_link() -> None:
    # one word each, sharing only the skeleton "BR": below acceptance, so only context can link them
    lone = name_similarity("بري", "Barr", "ar", "en")
    assert lone.score < ACCEPT <= lone.score + CONTEXT_WEIGHT
    assert name_similarity("نبيه بري", "Nabih Berri", "ar", "en").score >= ACCEPT  # two words agree


def test_the_glued_article_is_read_with_and_without_it() -> None:
    assert without_abjad_article("البشير") == "بشير"
    assert without_abjad_article("الي") == "الي"  # too little left to be a name
    assert without_abjad_article("بشير") == "بشير"
    keys = set(skeleton_keys("البشير", "ar"))
    assert keys & set(skeleton_keys("Albashir", "en")) and keys & set(skeleton_keys("Bashir", "en"))


def test_a_latin_article_written_apart_also_reads_glued() -> None:
    apart, glued = "Omar al-Bashir", "Omar Albashir"
    assert name_keys(apart, "en") & name_keys(glued, "en")
    match = name_similarity(apart, glued, "en", "en")
    assert match.kind == TRANSLIT and match.score >= ACCEPT
    assert name_similarity("Alberto Fernández", "Berto Fernández", "es", "es").score < ACCEPT


def _document(doc_id: str, lang: str, names: list[tuple[str, str]]) -> Document:
    """A document that names each (name, type) once, each name its own local cluster."""
    text, mentions, entities = "", [], {}
    for k, (name, kind) in enumerate(names):
        local = f"L:{k}"
        mentions.append(Mention(len(text), len(text) + len(name), name, kind, entity=local))
        text += name + ". "
        entities[local] = Entity(local, name, kind, aliases=[name], evidence={"normals": [name], "count": 1})
    return Document(doc_id=doc_id, text=text, lang=lang, mentions=mentions, entities=entities)


def _id(doc: Document, text: str) -> str:
    return next(m.entity or "" for m in doc.mentions if m.text == text)


def test_arabic_mentions_join_the_latin_and_cyrillic_entities_of_the_batch() -> None:
    docs = [
        _document("en", "en", [("Minister Omar al-Bashir", "PER"), ("Keir Starmer", "PER")]),
        _document("fr", "fr", [("Omar Albashir", "PER"), ("Sergueï Lavrov", "PER")]),
        _document("ru", "ru", [("Сергей Лавров", "PER")]),
        _document(
            "ar",
            "ar",
            [("عمر البشير", "PER"), ("كير ستارمر", "PER"), ("سيرغي لافروف", "PER"), ("محمود عباس", "PER")],
        ),
    ]
    Resolver(EntityIndex()).resolve(docs)
    en, fr, ru, ar = docs
    bashir = {_id(en, "Minister Omar al-Bashir"), _id(fr, "Omar Albashir"), _id(ar, "عمر البشير")}
    lavrov = {_id(fr, "Sergueï Lavrov"), _id(ru, "Сергей Лавров"), _id(ar, "سيرغي لافروف")}
    assert len(bashir) == 1 and len(lavrov) == 1
    assert _id(en, "Keir Starmer") == _id(ar, "كير ستارمر")
    others = bashir | lavrov | {_id(en, "Keir Starmer")}
    assert _id(ar, "محمود عباس") not in others  # nobody of that name elsewhere: a new entity

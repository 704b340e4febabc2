"""Cross-script name matching: skeleton keys, romanisation, case endings, name similarity."""

from __future__ import annotations

import pytest

from newsgraph.entities.names import (
    EXACT,
    FUZZY,
    SHORT_FORM,
    TOKEN_MATCH,
    TRANSLIT,
    name_keys,
    name_similarity,
    name_tokens,
    normal_text,
    strip_inflection,
)
from newsgraph.entities.translit import phonetic_variants, romanise, script_of, skeleton_keys

# Spellings of one name: every one must share a blocking key with every other.
SAME_NAME = [
    [("Gallant", "en"), ("Galant", "fr"), ("Galante", "en"), ("Галант", "ru"), ("Галанта", "ru")],
    [("Herzog", "en"), ("Hertsog", None), ("Герцог", "ru"), ("Герцогом", "ru"), ("Герцогу", "ru")],
    [("Blinken", "en"), ("Блинкен", "ru"), ("Блинкена", "ru"), ("Blinkena", "pl"), ("Блінкена", "uk")],
    [
        ("Netanyahu", "en"),
        ("Нетаньяху", "ru"),
        ("Netanjahu", "de"),
        ("Netanyahou", "fr"),
        ("Нетаньягу", "uk"),
    ],
    [("Kuleba", "en"), ("Кулеба", "uk"), ("Кулебы", "ru"), ("Kułeba", "pl")],
    [
        ("Zelensky", "en"),
        ("Zelenskyy", "en"),
        ("Зеленский", "ru"),
        ("Зеленський", "uk"),
        ("Zełenski", "pl"),
        ("Zełenskiego", "pl"),
        ("Selenskyj", "de"),
        ("Зеленского", "ru"),
    ],
    [("Lavrov", "en"), ("Ławrow", "pl"), ("Lawrow", "de"), ("Лавров", "ru"), ("Лаврова", "ru")],
    [("Steinmeier", "de"), ("Штайнмайер", "ru")],
    [("Erdoğan", "tr"), ("Erdogan", "en"), ("Эрдоган", "ru"), ("Ердоган", "uk")],
]

# Different names that must not share a key.
DIFFERENT = [
    ("Herzog", "Hertz"),
    ("Blinken", "Blinder"),
    ("Gallant", "Gantz"),
    ("Kuleba", "Kulik"),
    ("Lavrov", "Lapid"),
    ("Netanyahu", "Nasrallah"),
]


@pytest.mark.parametrize("spellings", SAME_NAME, ids=lambda s: s[0][0])
def test_spellings_of_one_name_share_a_key(spellings: list[tuple[str, str | None]]) -> None:
    keys = [name_keys(name, lang) for name, lang in spellings]
    for (name, _), mine in zip(spellings, keys, strict=True):
        for (other, _), theirs in zip(spellings, keys, strict=True):
            assert mine & theirs, f"{name} / {other}: {sorted(mine)} vs {sorted(theirs)}"


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_do_not_collide(a: str, b: str) -> None:
    assert not name_keys(a) & name_keys(b)
    assert name_similarity(a, b).score < TOKEN_MATCH


def test_script_and_romanisation_follow_the_language() -> None:
    assert script_of("Блинкен") == "Cyrl" and script_of("Zełenski") == "Latn"
    assert script_of("נתניהו") == "other"
    assert romanise("Герцог", "ru") == "gertsog"
    assert romanise("Герцог", "uk") == "hertsoh"  # Ukrainian Г is H
    assert romanise("Зеленський", "uk") == "zelenskyy"
    assert romanise("Щерев", "bg") == "shterev"
    assert romanise("Zełenski", "pl") == "zelenski"


def test_a_latin_spelling_has_several_readings_and_cyrillic_one() -> None:
    latin = skeleton_keys("Chavez")  # ch: Ч in Spanish and English, Ш in French, Х in German
    assert latin[0] == "XFS" and len(latin) > 1
    assert skeleton_keys("Чавес", "ru") == ["XFS"]
    assert phonetic_variants("Герцог", "ru")[0].spelling == phonetic_variants("Herzog")[0].spelling
    assert skeleton_keys("王毅") == []  # no phonetic reading outside Latin and Cyrillic


def test_tokens_drop_articles_and_join_dotted_acronyms() -> None:
    assert name_tokens("the U.S.", "en") == ["US"]
    assert normal_text("l’Iran", "fr") == "iran"
    assert normal_text("Соединённые Штаты", "ru") == normal_text("соединенные штаты", "ru")
    assert name_keys("Ursula von der Leyen", "de") == name_keys("Ursula Leyen", "de")


@pytest.mark.parametrize(
    ("word", "lang", "nominative"),
    [
        ("Блинкена", "ru", "Блинкен"),
        ("Герцогом", "ru", "Герцог"),
        ("Нетаньяху", "ru", "Нетаньяху"),
        ("ХАМАСа", "ru", "ХАМАС"),
        ("Zełenskiego", "pl", "Zełenski"),
        ("Kulebą", "pl", "Kuleba"),
        ("Зеленського", "uk", "Зеленський"),
        ("Blinkenom", "hr", "Blinken"),
        ("Blinkenovi", "cs", "Blinken"),
        ("Putins", "de", "Putin"),
        ("Paris", "fr", "Paris"),
    ],
)
def test_strip_inflection(word: str, lang: str, nominative: str) -> None:
    assert strip_inflection(word, lang) == nominative


@pytest.mark.parametrize(
    ("a", "la", "b", "lb", "kind"),
    [
        ("Antony Blinken", "en", "ANTONY  BLINKEN", "en", EXACT),
        ("Блинкена", "ru", "Блинкен", "ru", EXACT),
        ("Blinken", "en", "Блинкена", "ru", TRANSLIT),
        ("Isaac Herzog", "en", "Исааком Герцогом", "ru", TRANSLIT),
        ("Yoav Gallant", "en", "Йоав Галант", "ru", TRANSLIT),
        ("Netanyahu", "en", "Netanjahu", "de", TRANSLIT),
        ("Antony Blinken", "en", "Blinken", "fr", SHORT_FORM),
        ("A. Blinken", "en", "Antony Blinken", "en", SHORT_FORM),
        ("Кулебы", "ru", "Dmytro Kuleba", "en", SHORT_FORM),
        ("Gallant", "en", "Galante", "en", FUZZY),
    ],
)
def test_similar_names_match_with_their_kind(a: str, la: str, b: str, lb: str, kind: str) -> None:
    match = name_similarity(a, b, la, lb)
    assert match.kind == kind
    assert match.score >= TOKEN_MATCH
    assert name_similarity(b, a, lb, la) == match


def test_short_forms_score_below_full_matches_and_given_names_lower_still() -> None:
    full = name_similarity("Antony Blinken", "Энтони Блинкен", "en", "ru").score
    surname = name_similarity("Blinken", "Antony Blinken", "en", "en").score
    given = name_similarity("Antony", "Antony Blinken", "en", "en").score
    assert full > surname > given


def test_acronyms_match_only_the_same_letters() -> None:
    assert name_similarity("США", "Tsjaad", "ru", None).score < TOKEN_MATCH
    assert name_similarity("НАТО", "NATO", "ru", "en").kind == TRANSLIT
    assert name_similarity("ХАМАС", "Hamas", "ru", "en").score == 1.0

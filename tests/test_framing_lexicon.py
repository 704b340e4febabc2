"""Framing lexicons: each language's terms match inflected forms; the data files are checked.

The sentences are written for these tests, each with words in the cases, numbers and forms a news
text puts them in (genitive, plural, with clitics), to show that the stems of framing.toml reach them.
"""

from __future__ import annotations

import pytest

from newsgraph import langdata
from newsgraph.stories.lexicon import CATEGORIES, RESOURCE, check, fold, lexicon_for

INFLECTED = {
    "en": (
        "The genocidal campaign and the massacres of civilians were called war crimes by the occupiers "
        "under the sanctions regime.",
        ["genocide", "massacre", "civilians", "war_crime", "occupation"],
    ),
    "fr": (
        "Les génocidaires et les terroristes ont commis des crimes de guerre contre des civils, malgré le "
        "régime de sanctions.",
        ["genocide", "terrorist", "war_crime", "civilians"],
    ),
    "ru": (
        "Боевики террористической организации устроили резню; жертвами геноцида стали мирные жители, "
        "заложников держат в плену.",
        ["terrorist", "massacre", "genocide", "civilians", "hostages"],
    ),
    "uk": (
        "Окупанти вчинили воєнні злочини, серед загиблих мирні жителі; рашисти вдалися до агресії.",
        ["occupation", "war_crime", "civilians", "nazi", "aggression"],
    ),
    "be": (
        "Акупанты ўчынілі ваенныя злачынствы, сярод загінулых мірныя жыхары; экстрэмісцкія фармаванні "
        "трымаюць закладнікаў.",
        ["occupation", "war_crime", "civilians", "extremist", "hostages"],
    ),
    "de": (
        "Der Vorwurf des Völkermordes an Zivilisten; Terrororganisationen nahmen Geiseln; ein Akt der "
        "Selbstverteidigung.",
        ["genocide", "civilians", "terrorist", "hostages", "self_defence"],
    ),
    "es": (
        "Los genocidios y las masacres de civiles; la agresión del régimen contra los rehenes.",
        ["genocide", "massacre", "civilians", "aggression", "regime", "hostages"],
    ),
    "it": (
        "I civili massacrati, le aggressioni degli occupanti e gli ostaggi del gruppo terroristico.",
        ["civilians", "massacre", "aggression", "occupation", "hostages", "terrorist"],
    ),
    "pl": (
        "Oskarżenia o ludobójstwo i zbrodnie wojenne; agresji okupantów towarzyszyła masakra cywilów.",
        ["genocide", "war_crime", "aggression", "occupation", "massacre", "civilians"],
    ),
    "tr": (
        "İşgalciler sivillere yönelik katliamlar yaptı; soykırımından söz edildi ve terör örgütü "
        "rehineleri serbest bırakmadı.",
        ["occupation", "civilians", "massacre", "genocide", "terrorist", "hostages"],
    ),
    "ar": (
        "ارتكب الاحتلال مجازر بحق المدنيين، ووصفت المنظمة ما يجري بالإبادة الجماعية، "
        "وطالبت بالإفراج عن الرهائن.",
        ["occupation", "massacre", "civilians", "genocide", "hostages"],
    ),
}


def concepts(lang: str, text: str) -> list[str]:
    lexicon = lexicon_for(lang)
    return [m.term.concept for m in lexicon.find(lexicon.tokens(text, 0, len(text)))]


@pytest.mark.parametrize("lang", sorted(INFLECTED))
def test_terms_match_inflected_forms(lang: str) -> None:
    text, expected = INFLECTED[lang]
    assert concepts(lang, text) == expected


@pytest.mark.parametrize("lang", sorted(INFLECTED))
def test_every_category_has_terms(lang: str) -> None:
    lexicon = lexicon_for(lang)
    assert {t.category for t in lexicon.terms if t.category} == set(CATEGORIES)


def test_a_stem_takes_a_few_letters_only() -> None:
    assert concepts("en", "heroes and heroism") == ["heroes", "heroes"]
    assert concepts("en", "heroin was seized") == []  # "hero" is no stem: a word of its own
    assert concepts("en", "genocides, genocidal") == ["genocide", "genocide"]
    assert concepts("en", "genocidally") == []  # four letters past the stem "genocid"


def test_compound_heads_take_any_ending() -> None:
    text = "Die Besatzungstruppen, eine Antiterroroperation und Völkermordvorwürfe gegen die Besatzung."
    assert concepts("de", text) == ["occupation", "counter_terrorism", "genocide", "occupation"]
    assert concepts("de", "Die Regimekritiker und das Regime.") == ["regime"]  # "regime*" is no compound head


def test_longest_term_wins_and_gaps() -> None:
    # one hit for the two-word term, not a second for "terroriste" inside it
    assert concepts("fr", "l'organisation terroriste a revendiqué") == ["terrorist"]
    # "…" lets words stand between the parts of a term
    assert concepts("fr", "le droit d'Israël à se défendre") == ["self_defence"]
    assert concepts("fr", "le droit de grève, à se défendre") == ["self_defence"]
    assert concepts("fr", "le droit du travail et de la famille, puis à se défendre") == []


def test_folding_ignores_case_and_marks() -> None:
    assert fold("GÉNOCIDE") == fold("génocide") == "genocide"
    assert fold("İŞGAL") == fold("işgal") == "isgal"
    assert fold("الإبادة") == fold("الابادة")
    assert concepts("ru", "ГЕНОЦИД") == ["genocide"]


def test_unknown_keys_and_concepts_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown keys"):
        check("fr", {"term": {}})
    with pytest.raises(ValueError, match="not declared"):
        check("fr", {"terms": {"violence": {"genocidal_intent": ["x"]}}})
    with pytest.raises(ValueError, match="unknown category"):
        check("fr", {"terms": {"tone": {"genocide": ["x"]}}})
    with pytest.raises(ValueError, match="list of strings"):
        check("fr", {"terms": {"violence": {"genocide": "génocide"}}})
    with pytest.raises(ValueError, match="concepts"):
        check("fr", {"concepts": {"violence": {"genocide": -1}}})  # only the neutral file declares
    with pytest.raises(ValueError, match="-1 or 1"):
        check(langdata.NEUTRAL, {"concepts": {"violence": {"genocide": 2}}})


def test_every_shipped_file_passes_its_check() -> None:
    tables = langdata.load_all(RESOURCE)
    assert {"xx", "fr", "en", "ru", "de", "es", "it", "uk", "pl", "tr", "ar", "be"} <= set(tables)
    for lang, table in tables.items():
        check(lang, table)

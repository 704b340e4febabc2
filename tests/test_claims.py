"""Claims: the figures an article reports, with kind, bound, sub-counts, as-of date and source."""

from __future__ import annotations

import pytest

import newsgraph.claims.component  # noqa: F401  registers "claims"
from newsgraph.claims.component import find_claims
from newsgraph.config import Settings
from newsgraph.language.sentences import split_sentences
from newsgraph.model import Claim, DateValue, Document, Mention, TimeExpression
from newsgraph.pipeline.components import Pipeline


def make_doc(
    text: str, lang: str, published: str | None = "2024-01-09", mentions: list[Mention] | None = None
) -> Document:
    doc = Document(
        doc_id="t",
        text=text,
        lang=lang,
        published=DateValue(published, "day", None, "metadata") if published else None,
    )
    doc.sentences = split_sentences(text, [(0, len(text))], lang)
    doc.mentions = mentions or []
    return doc


def claims_of(text: str, lang: str, **kwargs: object) -> list[Claim]:
    return find_claims(make_doc(text, lang, **kwargs))  # type: ignore[arg-type]


def summary(claims: list[Claim]) -> list[tuple[float | int, str, str]]:
    return [(c.value, c.kind, c.bound) for c in claims]


# ---------------------------------------------------------------------------------------- kinds
@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "Les frappes ont tué au total plus de 4 000 civils et blessé environ 9 800 personnes.",
            [(4000, "killed", "more_than"), (9800, "injured", "about")],
        ),
        ("fr", "La police a interpellé 85 manifestants samedi soir.", [(85, "arrested", "exact")]),
        (
            "fr",
            "Au moins 1,4 million de personnes ont été déplacées par les combats.",
            [(1400000, "displaced", "at_least")],
        ),
        ("fr", "Le groupe armé retient encore 130 otages.", [(130, "hostages", "exact")]),
        (
            "en",
            "The earthquake killed more than 50,000 people and injured 107,000 others.",
            [(50000, "killed", "more_than"), (107000, "injured", "exact")],
        ),
        ("en", "Some 300 people were arrested after the march.", [(300, "arrested", "about")]),
        ("en", "The gunmen abducted 276 schoolgirls from their dormitory.", [(276, "hostages", "exact")]),
        ("en", "Floods have displaced nearly 2 million residents.", [(2000000, "displaced", "about")]),
        (
            "ru",
            "В результате обстрела погибли 12 человек, ещё 40 ранены.",
            [(12, "killed", "exact"), (40, "injured", "exact")],
        ),
        ("ru", "Полиция задержала более 200 участников акции.", [(200, "arrested", "more_than")]),
        ("ru", "Боевики удерживают около 130 заложников.", [(130, "hostages", "about")]),
        (
            "ru",
            "В стране насчитывается свыше 4 миллионов вынужденных переселенцев.",
            [(4000000, "displaced", "more_than")],
        ),
        (
            "de",
            "Bei dem Anschlag wurden mindestens 12 Menschen getötet und 50 verletzt.",
            [(12, "killed", "at_least"), (50, "injured", "exact")],
        ),
        ("de", "Die Polizei hat rund 70 Demonstranten festgenommen.", [(70, "arrested", "about")]),
        (
            "es",
            "Más de 2.000 personas murieron y unas 5.000 resultaron heridas.",
            [(2000, "killed", "more_than"), (5000, "injured", "about")],
        ),
        ("es", "Las fuerzas de seguridad detuvieron a 45 personas.", [(45, "arrested", "exact")]),
        (
            "uk",
            "Унаслідок удару загинули 9 людей, понад 30 поранені.",
            [(9, "killed", "exact"), (30, "injured", "more_than")],
        ),
        ("uk", "Поліція затримала 14 осіб.", [(14, "arrested", "exact")]),
    ],
)
def test_kinds_and_bounds(lang: str, text: str, expected: list[tuple[int, str, str]]) -> None:
    assert summary(claims_of(text, lang)) == expected


def test_verb_reaches_coordinated_numbers_but_each_takes_its_nearest_verb() -> None:
    text = "L'armée a tué 40 combattants et arrêté environ 300 suspects dans la région."
    assert summary(claims_of(text, "fr")) == [(40, "killed", "exact"), (300, "arrested", "about")]
    text = "The strikes killed 5 soldiers and 3 civilians."
    assert summary(claims_of(text, "en")) == [(5, "killed", "exact"), (3, "killed", "exact")]


def test_verb_does_not_reach_past_a_new_verb_phrase() -> None:
    text = "The militia killed 4 guards and burned 12 houses."
    assert summary(claims_of(text, "en")) == [(4, "killed", "exact"), (12, "other", "exact")]


def test_a_preposition_keeps_the_verb_from_counting_what_it_governs() -> None:
    text = "Gunmen wounded more than 1500 people in 210 attacks, 40 bombings and 7 ambushes."
    assert summary(claims_of(text, "en")) == [(1500, "injured", "more_than")]
    text = "Les bombardements ont tué 12 civils dans 3 villages."
    assert summary(claims_of(text, "fr")) == [(12, "killed", "exact")]


def test_vague_counts() -> None:
    assert summary(claims_of("Police arrested dozens of protesters.", "en")) == [(24, "arrested", "at_least")]
    assert summary(claims_of("Des dizaines de milliers de personnes ont fui.", "fr")) == [
        (20000, "displaced", "at_least")
    ]
    assert summary(claims_of("Погибли десятки мирных жителей.", "ru")) == [(20, "killed", "at_least")]


# ---------------------------------------------------------------------------------------- money
@pytest.mark.parametrize(
    ("lang", "text", "value", "unit"),
    [
        ("ru", "Сенат одобрил пакет помощи на 14,3 млрд долларов.", 14300000000, "USD"),
        ("de", "Die Regierung stellt 2,5 Mrd. Euro für den Wiederaufbau bereit.", 2500000000, "EUR"),
        ("en", "The board approved $1.5bn for the new line.", 1500000000, "USD"),
        ("fr", "Paris a promis 2 milliards d'euros d'aide.", 2000000000, "EUR"),
        ("uk", "Уряд спрямував 3 млрд гривень на відновлення.", 3000000000, "UAH"),
        ("es", "El fondo recibió 1.500 millones de euros.", 1500000000, "EUR"),
    ],
)
def test_money(lang: str, text: str, value: int, unit: str) -> None:
    (claim,) = claims_of(text, lang)
    assert (claim.value, claim.kind, claim.unit) == (value, "money", unit)


# ---------------------------------------------------------------------------------------- sub-counts
def test_sub_counts_point_to_their_total_and_take_its_kind() -> None:
    text = (
        "Depuis le début du mois, les raids ont tué plus de 3 200 personnes, dont 1 100 enfants "
        "et 640 femmes, et en ont blessé environ 8 000."
    )
    claims = claims_of(text, "fr")
    assert summary(claims) == [
        (3200, "killed", "more_than"),
        (1100, "killed", "exact"),
        (640, "killed", "exact"),
        (8000, "injured", "about"),
    ]
    assert [c.part_of for c in claims] == [None, 0, 0, None]
    assert [c.subject for c in claims[:3]] == ["personnes", "enfants", "femmes"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "At least 900 people were killed, including 260 children."),
        ("ru", "Погибли более 900 человек, в том числе 260 детей."),
        ("de", "Mehr als 900 Menschen wurden getötet, darunter 260 Kinder."),
        ("es", "Murieron más de 900 personas, entre ellas 260 niños."),
        ("uk", "Загинули понад 900 людей, з них 260 дітей."),
    ],
)
def test_sub_count_cues(lang: str, text: str) -> None:
    total, part = claims_of(text, lang)
    assert (total.value, part.value, part.kind, part.part_of) == (900, 260, "killed", 0)


def test_part_of_indexes_the_whole_document_list() -> None:
    text = "Le gouvernement a débloqué 40 millions d'euros. L'attaque a tué 75 personnes, dont 20 enfants."
    claims = claims_of(text, "fr")
    assert [c.part_of for c in claims] == [None, None, 1]


# ---------------------------------------------------------------------------------------- as_of
@pytest.mark.parametrize(
    ("lang", "text", "as_of"),
    [
        ("fr", "Depuis le 7 octobre, les frappes ont tué plus de 20 000 personnes.", "2023-10-07"),
        ("en", "As of Monday, the floods had killed 180 people.", "2024-01-08"),
        ("en", "Since October 7, more than 20,000 people have been killed.", "2023-10-07"),
        ("ru", "С 7 октября погибли более 20 тысяч человек.", "2023-10-07"),
        ("de", "Seit dem 7. Oktober wurden mehr als 20.000 Menschen getötet.", "2023-10-07"),
        ("uk", "З 24 лютого загинули понад 500 дітей.", "2023-02-24"),
    ],
)
def test_as_of(lang: str, text: str, as_of: str) -> None:
    (claim,) = claims_of(text, lang)
    assert claim.as_of is not None and claim.as_of.value == as_of


def test_without_a_cue_a_figure_stands_as_of_the_day_its_sentence_names_else_its_publication() -> None:
    dated = make_doc("Le lundi 8 janvier, l'attaque avait tué 1 200 personnes.", "fr")
    dated.times = [TimeExpression(3, 18, "lundi 8 janvier", "2024-01-08", "day")]
    assert find_claims(dated)[0].as_of == DateValue("2024-01-08", "day", (3, 18))
    published = claims_of("L'attaque a tué 1 200 personnes.", "fr")[0].as_of
    assert published is not None and (published.value, published.origin) == ("2024-01-09", "inferred")
    undated = claims_of("Depuis le 7 octobre, 300 personnes ont été tuées.", "fr", published=None)
    assert undated[0].as_of is None


# ---------------------------------------------------------------------------------------- attribution
@pytest.mark.parametrize(
    ("lang", "text", "source"),
    [
        (
            "fr",
            "Les combats ont tué 60 soldats, selon des sources militaires ukrainiennes.",
            "sources militaires ukrainiennes",
        ),
        (
            "fr",
            "Les combats ont tué 60 soldats, a indiqué le ministère de la Défense.",
            "ministère de la Défense",
        ),
        ("en", "According to the health ministry, 240 people were injured.", "health ministry"),
        ("en", "The storm killed 14 people, the regional governor said.", "regional governor"),
        ("en", "The health ministry said 14 people were killed.", "health ministry"),
        ("ru", "По данным Минздрава, погибли 33 человека.", "Минздрава"),
        ("ru", "Погибли 33 человека, сообщил губернатор области.", "губернатор области"),
        ("de", "Laut Polizei wurden 18 Personen festgenommen.", "Polizei"),
        ("de", "Dem Innenministerium zufolge wurden 18 Personen festgenommen.", "Innenministerium"),
        ("es", "Según la Cruz Roja, 70 personas resultaron heridas.", "Cruz Roja"),
        ("uk", "За даними ДСНС, загинули 7 людей.", "ДСНС"),
        (
            "en",
            "According to the news agency that first reported it, 12 people were detained.",
            "news agency",
        ),
    ],
)
def test_attribution_phrases(lang: str, text: str, source: str) -> None:
    (claim,) = claims_of(text, lang)
    assert claim.attributed_to == source
    assert claim.attribution_span is not None and text[slice(*claim.attribution_span)] == source


def test_attributed_entity_comes_from_a_mention_inside_the_phrase() -> None:
    text = "Selon l'Organisation mondiale de la santé, l'épidémie a tué 2 300 personnes."
    start = text.index("Organisation")
    name = "Organisation mondiale de la santé"
    who = Mention(start, start + len(name), name, "ORG", entity="L:3")
    elsewhere = Mention(0, 5, "Selon", "MISC", entity="L:9")
    (claim,) = find_claims(make_doc(text, "fr", mentions=[elsewhere, who]))
    assert claim.attributed_entity == "L:3"


def test_pronoun_is_no_source() -> None:
    assert claims_of("Погибли 33 человека, сообщил он.", "ru")[0].attributed_to is None


def test_follow_on_sentence_shares_its_source_with_the_previous_one() -> None:
    text = (
        "Depuis le début de l'offensive, l'armée a tué 1 500 combattants.\n\n"
        "Elle a également capturé et arrêté environ 700 hommes, selon des sources locales."
    )
    first, second = claims_of(text, "fr")
    assert first.attributed_to == second.attributed_to == "sources locales"
    text = "The attack killed 40 people. Officials also said 12 were missing. Police arrested 9 men."
    claims = claims_of(text, "en")
    assert [c.attributed_to for c in claims] == [None, None]  # no continuation between them


# ---------------------------------------------------------------------------------------- negatives
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Le Conseil de sécurité a rappelé la résolution 1701 adoptée en 2006."),
        ("fr", "L'accord de 2015 a été signé le 14 juillet à Vienne."),
        ("fr", "Le suspect, âgé de 45 ans, a été tué le 3 mars."),
        ("fr", "Pour tout renseignement, appelez le 01 45 67 89 10."),
        ("fr", "Le 30e anniversaire des relations sera célébré."),
        ("en", "The Boeing 737 that crashed killed everyone on board."),
        ("en", "He was killed in 2014 at the age of 52."),
        ("en", "The flight left at 14:30 on 12/03/2021."),
        ("en", "Between 20 and 30 people died in the fire."),
        ("en", "The vote was postponed for 3 weeks."),
        ("en", "Police arrested him shortly before 5 p.m. on Friday."),
        ("ru", "Он показал листовку — 1,2 миллиона из них были разосланы жителям."),
        ("ru", "Это третий визит после нападения 7 октября."),
        ("de", "Am 7. Oktober 2023 begann der Krieg."),
        ("es", "La resolución 2334 fue aprobada en 2016."),
        ("uk", "Це сталося 24 лютого 2022 року."),
    ],
)
def test_no_claims(lang: str, text: str) -> None:
    assert claims_of(text, lang) == []


def test_bare_numbers_need_a_count_noun_to_be_other() -> None:
    assert summary(claims_of("Le convoi comptait 120 camions.", "fr")) == [(120, "other", "exact")]
    assert claims_of("Le texte compte 120 articles et 40 annexes.", "fr") == []
    assert summary(claims_of("The party won 2,400,000 votes.", "en")) == [(2400000, "other", "exact")]


# ---------------------------------------------------------------------------------------- component
def test_component_fills_doc_claims_with_spans_into_the_text() -> None:
    text = "Titre\n\nLes inondations ont fait plus de 150 morts, selon la protection civile."
    doc = make_doc(text, "fr")
    doc = Pipeline(Settings(stages=("claims",)))(doc)
    (claim,) = doc.claims
    assert claim.text == text[claim.start : claim.end] == "plus de 150 morts"
    assert (claim.value, claim.kind, claim.bound, claim.subject) == (150, "killed", "more_than", "morts")
    back = Document.from_record(doc.to_record()).claims
    assert [(c.value, c.kind, c.attribution_span) for c in back] == [(150, "killed", claim.attribution_span)]


def test_each_sentence_is_read_in_its_paragraph_language() -> None:
    from newsgraph.model import Paragraph

    text = "Les frappes ont tué 30 personnes.\n\nПогибли 12 человек."
    doc = make_doc(text, "fr")
    split = text.index("\n\n")
    doc.paragraphs = [Paragraph(0, split, "fr"), Paragraph(split + 2, len(text), "ru")]
    doc.sentences = [(0, split), (split + 2, len(text))]
    assert summary(find_claims(doc)) == [(30, "killed", "exact"), (12, "killed", "exact")]


def test_boilerplate_is_not_read() -> None:
    from newsgraph.model import Boilerplate

    text = "Les frappes ont tué 30 personnes.\nPartager: 1 200 personnes aiment ceci."
    doc = make_doc(text, "fr")
    doc.boilerplate = [Boilerplate(text.index("Partager"), len(text), "share")]
    assert summary(find_claims(doc)) == [(30, "killed", "exact")]

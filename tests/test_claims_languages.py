"""Figures in the notation of each language, their bounds and kinds, and how a toll evolves (issue 10).

The sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from newsgraph.claims.component import find_claims
from newsgraph.claims.evolution import Reported, evolution
from newsgraph.claims.numbers import find_quantities
from newsgraph.model import Mention
from test_claims import claims_of, make_doc, summary


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("tr", "Depremde can kaybı 1 bin 215'e yükseldi.", 1215),
        ("tr", "Toplam 2 bin 340 kişi yaralandı.", 2340),
        ("ru", "Число погибших достигло 2 340 человек.", 2340),
        ("uk", "Кількість загиблих сягнула 2 340 людей.", 2340),
        ("es", "El terremoto dejó casi 2.000 personas muertas.", 2000),
        ("it", "Il terremoto ha causato la morte di 1.215 persone.", 1215),
        ("de", "Beim Beben starben 1.215 Menschen.", 1215),
        ("pl", "W trzęsieniu ziemi zginęło 1215 osób.", 1215),
        ("fr", "Le séisme a fait 2 340 morts.", 2340),
        ("en", "The earthquake killed 2,340 people.", 2340),
    ],
)
def test_notation_of_each_language(lang: str, text: str, value: int) -> None:
    assert value in [c.value for c in claims_of(text, lang)]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ru", "Число погибших выросло до 410.", (410, "killed", "exact")),
        ("en", "The death toll rose to 410 people.", (410, "killed", "exact")),
        ("uk", "Кількість загиблих зросла до 410 людей.", (410, "killed", "exact")),
        ("ru", "Погибли более 300 человек.", (300, "killed", "more_than")),
        ("es", "Murieron casi 2.000 personas.", (2000, "killed", "about")),
        ("en", "At least 40 people were killed.", (40, "killed", "at_least")),
        ("tr", "Depremde en az 40 kişi öldü.", (40, "killed", "at_least")),
    ],
)
def test_bounds(lang: str, text: str, expected: tuple[int, str, str]) -> None:
    assert expected in summary(claims_of(text, lang))


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Un terremoto de magnitud 6,4 sacudió la región."),
        ("tr", "6,4 büyüklüğünde bir deprem bölgeyi sarstı."),
        ("en", "Unemployment rose to 6 percent in 2024."),
        ("it", "La risoluzione 2334 è stata approvata."),
    ],
)
def test_magnitudes_percentages_years_and_resolutions_are_no_counts(lang: str, text: str) -> None:
    assert claims_of(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("de", "Beide Seiten tauschten je 1.000 Kriegsgefangenen aus.", 1000),
        ("uk", "Пропозиція містить 22 вимоги.", 22),
    ],
)
def test_counted_things_make_a_figure(lang: str, text: str, value: int) -> None:
    assert value in [c.value for c in claims_of(text, lang)]


def test_digits_after_a_scale_word_add_to_it_only_when_fewer_than_the_scale() -> None:
    assert [q.value for q in find_quantities("1 bin 215", "tr")] == [1215]
    assert [q.value for q in find_quantities("3 bin 4000", "tr")] == [3000, 4000]


def test_a_toll_rising_across_four_articles_in_three_languages_comes_out_in_order() -> None:
    articles = [  # (id, language, publication date, outlet, text): given out of order on purpose
        ("d3", "ru", "2025-03-03", "outlet-ru", "Число погибших выросло до 1 215 человек."),
        ("d1", "en", "2025-03-01", "outlet-en", "At least 410 people were killed in the earthquake."),
        ("d4", "en", "2025-03-04", "outlet-en2", "The death toll rose to 1,215 people, officials said."),
        ("d2", "tr", "2025-03-02", "outlet-tr", "Depremde can kaybı 800'e yükseldi."),
    ]
    reported = [
        Reported.of_claim(claim, doc_id, published, outlet)
        for doc_id, lang, published, outlet, text in articles
        for claim in claims_of(text, lang, published=published)
        if claim.kind == "killed"
    ]
    rows = evolution(reported)
    assert [(r.value, r.bound) for r in rows] == [(410, "at_least"), (800, "exact"), (1215, "exact")]
    assert rows[-1].outlets == ["outlet-ru", "outlet-en2"]  # the repeated figure is folded into one row
    assert rows[-1].dates == ["2025-03-03", "2025-03-04"]


def test_the_same_sentence_twice_is_one_report() -> None:
    claims = claims_of("At least 410 people were killed.", "en")
    rows = evolution([Reported.of_claim(c, "d1", "2025-03-01", "o") for c in claims + claims])
    assert len(rows) == 1 and rows[0].documents == ["d1"]


@pytest.mark.parametrize(
    ("lang", "text", "ministry"),
    [
        (
            "ru",
            "Министерство здравоохранения сообщило о 300 погибших. "
            "По обновлённым данным, число погибших выросло до 410.",
            "Министерство здравоохранения",
        ),
        (
            "en",
            "The Health Ministry said 300 people were killed. "
            "According to the latest figures, the death toll rose to 410 people.",
            "Health Ministry",
        ),
        (
            "es",
            "El Ministerio de Salud informó de 300 muertos. Según los últimos datos, murieron 410 personas.",
            "Ministerio de Salud",
        ),
    ],
)
def test_a_source_that_only_names_figures_is_the_source_named_before(
    lang: str, text: str, ministry: str
) -> None:
    start = text.index(ministry)
    mention = Mention(start, start + len(ministry), ministry, "ORG", entity="E:ministry")
    claims = find_claims(make_doc(text, lang, mentions=[mention]))
    update = next(c for c in claims if c.value == 410)
    assert (update.attributed_to, update.attributed_entity) == (ministry, "E:ministry")
    assert update.kind == "killed" and update.bound == "exact"


def test_a_generic_source_with_nobody_named_before_keeps_its_own_words() -> None:
    claims = claims_of("По обновлённым данным, число погибших выросло до 410.", "ru")
    assert claims[0].attributed_to == "По обновлённым данным" and claims[0].attributed_entity is None

"""Numbers read in each language's notation (newsgraph.claims.numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.claims.numbers import find_quantities, parse_quantity


@pytest.mark.parametrize(
    ("lang", "written", "value"),
    [
        ("fr", "8 525", 8525),
        ("fr", "8\u202f525", 8525),  # narrow no-break space
        ("fr", "8\u00a0525", 8525),  # no-break space
        ("fr", "1 250 000", 1250000),
        ("fr", "3,5", 3.5),
        ("en", "23,000", 23000),
        ("en", "1,250,000", 1250000),
        ("en", "2.75", 2.75),
        ("de", "23.000", 23000),
        ("es", "23.000", 23000),
        ("it", "1.250.000", 1250000),
        ("pl", "23 000", 23000),
        ("ru", "1,2 миллиона", 1200000),
        ("ru", "14,3 млрд", 14300000000),
        ("ru", "500 тыс.", 500000),
        ("uk", "3,7 мільйона", 3700000),
        ("fr", "1,2 million", 1200000),
        ("fr", "2 milliards", 2000000000),
        ("de", "2,5 Mio.", 2500000),
        ("it", "3 mld", 3000000000),
        ("pl", "4,5 mln", 4500000),
        ("es", "15 mil", 15000),
        ("en", "1.5bn", 1500000000),
    ],
)
def test_digit_notation(lang: str, written: str, value: float) -> None:
    q = parse_quantity(written, lang)
    assert q is not None
    assert q.value == value
    assert isinstance(q.value, int) == float(value).is_integer()


def test_three_decimals_in_the_other_notation_are_a_thousands_group() -> None:
    # an English-style "1,500" in a decimal-comma language is a count, not one and a half
    assert parse_quantity("1,500", "fr").value == 1500  # type: ignore[union-attr]
    assert parse_quantity("23.000", "en").value == 23000  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("lang", "written", "value", "currency"),
    [
        ("ru", "14,3 млрд долларов", 14300000000, "USD"),
        ("de", "2,5 Mrd. Euro", 2500000000, "EUR"),
        ("de", "€2 Mrd", 2000000000, "EUR"),
        ("en", "$1.5bn", 1500000000, "USD"),
        ("en", "$1.5 billion", 1500000000, "USD"),
        ("en", "£40m", 40000000, "GBP"),
        ("fr", "2 milliards d'euros", 2000000000, "EUR"),
        ("fr", "2 milliards d’euros", 2000000000, "EUR"),
        ("fr", "300 000 €", 300000, "EUR"),
        ("uk", "5 млрд гривень", 5000000000, "UAH"),
        ("uk", "200 тис. грн", 200000, "UAH"),
        ("es", "1.500 millones de euros", 1500000000, "EUR"),
        ("pl", "2 mln zł", 2000000, "PLN"),
    ],
)
def test_money(lang: str, written: str, value: int, currency: str) -> None:
    q = parse_quantity(written, lang)
    assert q is not None
    assert (q.value, q.currency) == (value, currency)


@pytest.mark.parametrize(
    ("lang", "written", "value", "bound"),
    [
        ("fr", "deux mille", 2000, None),
        ("fr", "vingt et un", 21, None),
        ("fr", "quatre-vingt-dix-sept", 97, None),
        ("fr", "trois mille cinq cents", 3500, None),
        ("fr", "une dizaine", 10, "about"),
        ("fr", "centaines", 200, "at_least"),
        ("fr", "dizaines de milliers", 20000, "at_least"),
        ("fr", "plusieurs centaines", 200, "at_least"),
        ("en", "two dozen", 24, None),
        ("en", "a dozen", 12, "about"),
        ("en", "dozens", 24, "at_least"),
        ("en", "two hundred and fifty", 250, None),
        ("en", "a million", 1000000, None),
        ("en", "tens of thousands", 20000, "at_least"),
        ("en", "several hundred", 200, "at_least"),
        ("ru", "шесть миллионов", 6000000, None),
        ("ru", "двести тысяч", 200000, None),
        ("ru", "десятки", 20, "at_least"),
        ("ru", "десятки тысяч", 20000, "at_least"),
        ("ru", "несколько сотен", 200, "at_least"),
        ("de", "Zehntausende", 20000, "at_least"),
        ("es", "mil millones", 1000000000, None),
        ("es", "treinta y cinco", 35, None),
        ("uk", "кілька тисяч", 2000, "at_least"),
    ],
)
def test_number_words(lang: str, written: str, value: int, bound: str | None) -> None:
    q = parse_quantity(written, lang)
    assert q is not None
    assert (q.value, q.bound) == (value, bound)


@pytest.mark.parametrize(
    ("lang", "written", "bound"),
    [
        ("fr", "plus de 8 525", "more_than"),
        ("fr", "environ 2 000", "about"),
        ("fr", "au moins 30", "at_least"),
        ("fr", "jusqu'à 500", "at_most"),
        ("fr", "moins de 10", "less_than"),
        ("en", "more than 23,000", "more_than"),
        ("en", "over 300", "more_than"),
        ("en", "around 40", "about"),
        ("en", "at least 12", "at_least"),
        ("en", "up to 900", "at_most"),
        ("en", "1,000 or more", "at_least"),
        ("ru", "более 100", "more_than"),
        ("ru", "свыше 100", "more_than"),
        ("ru", "около 240", "about"),
        ("ru", "примерно 50", "about"),
        ("ru", "не менее 7", "at_least"),
        ("ru", "до 3000", "at_most"),
        ("ru", "не более 5", "at_most"),
        ("de", "über 600", "more_than"),
        ("de", "etwa 70", "about"),
        ("de", "ca. 70", "about"),
        ("es", "más de 2.000", "more_than"),
        ("es", "unos 90", "about"),
        ("uk", "понад 500", "more_than"),
        ("uk", "щонайменше 8", "at_least"),
    ],
)
def test_bounds(lang: str, written: str, bound: str) -> None:
    q = parse_quantity(written, lang)
    assert q is not None
    assert q.bound == bound


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "le 7 octobre"),
        ("fr", "la résolution 1701"),
        ("fr", "le 30e anniversaire"),
        ("fr", "à 15:03 le 1/11/2023"),
        ("fr", "appelez le 01 23 45 67 89"),
        ("fr", "âgé de 45 ans"),
        ("en", "on October 7"),
        ("en", "the 45-year-old driver"),
        ("en", "a Boeing 737 jet"),
        ("en", "call +44 20 7946 0958"),
        ("en", "the 3rd of May"),
        ("en", "aged 45"),
        ("ru", "7 октября"),
        ("ru", "7-й этаж"),
        ("de", "am 7. Oktober"),
        ("es", "el 7 de octubre"),
        ("uk", "24 лютого"),
        ("en", "Covid-19 and the F-16"),
        ("pl", "ok. godz. 22"),
    ],
)
def test_things_that_are_no_quantities(lang: str, text: str) -> None:
    assert find_quantities(text, lang) == []


def test_years_ranges_and_units_are_flagged() -> None:
    (year,) = find_quantities("en 2015", "fr")
    assert year.year_like and year.value == 2015
    low, high = find_quantities("entre 10 et 20 morts", "fr")
    assert low.in_range and high.in_range
    low, high = find_quantities("от 10 до 20 человек", "ru")
    assert low.in_range and high.in_range
    assert [q.in_range for q in find_quantities("10-20", "en")] in ([], [True, True])
    assert find_quantities("5 pour cent", "fr")[0].unit == "%"
    assert find_quantities("100 days", "en")[0].unit == "day"
    assert not find_quantities("2 000 personnes", "fr")[0].year_like
    assert not find_quantities("more than 1500", "en")[0].year_like
    assert find_quantities("before 5 p.m.", "en")[0].unit == "clock"


def test_spans_point_into_the_text() -> None:
    text = "Elle a tué plus de 8 525 Palestiniens et arrêté environ 2 000 personnes."
    found = find_quantities(text, "fr")
    assert [text[q.start : q.end] for q in found] == ["plus de 8 525", "environ 2 000"]
    offset = text.index("arrêté")
    inner = find_quantities(text, "fr", offset, len(text))
    assert [text[q.start : q.end] for q in inner] == ["environ 2 000"]


def test_unknown_language_reads_the_neutral_notation() -> None:
    assert parse_quantity("8 525", "xx").value == 8525  # type: ignore[union-attr]
    assert parse_quantity("$3", None).currency == "USD"  # type: ignore[union-attr]


@given(st.integers(min_value=1, max_value=10**12))
def test_grouped_integers_read_back(number: int) -> None:
    grouped = f"{number:,}"
    assert parse_quantity(grouped, "en").value == number  # type: ignore[union-attr]
    assert parse_quantity(grouped.replace(",", "\u202f"), "fr").value == number  # type: ignore[union-attr]
    assert parse_quantity(grouped.replace(",", "."), "de").value == number  # type: ignore[union-attr]

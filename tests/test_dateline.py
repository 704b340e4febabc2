"""Publication dates read from article headers (own fixtures, several languages)."""

import pytest

from newsgraph.ingest.dateline import find_dateline, find_datelines

TITLE = "Ministers meet to discuss the harbour project\n\n"


@pytest.mark.parametrize(
    ("lang", "header", "value", "precision"),
    [
        # a time glued to the date that follows it, as scraped from news sites
        ("fr", "15:031/11/2023, mercredi", "2023-11-01T15:03", "minute"),
        ("fr", "09:4512/03/2024", "2024-03-12T09:45", "minute"),
        ("fr", "1/11/2023", "2023-11-01", "day"),
        ("fr", "Mercredi 1 novembre 2023 à 15h03", "2023-11-01T15:03", "minute"),
        ("fr", "Publié le 1er novembre 2023", "2023-11-01", "day"),
        ("fr", "Paris, le 5 avril 2022", "2022-04-05", "day"),
        ("de", "01.11.2023 14:20", "2023-11-01T14:20", "minute"),
        ("de", "Mittwoch, 1. November 2023, 14:20 Uhr", "2023-11-01T14:20", "minute"),
        ("en", "November 1, 2023", "2023-11-01", "day"),
        ("en", "Wednesday, Nov. 1, 2023 3:03 p.m. ET", "2023-11-01T15:03", "minute"),
        ("en", "Published 2023-11-01T15:03:00+03:00", "2023-11-01T15:03", "minute"),
        ("ru", "1 ноября 2023 г., 12:40", "2023-11-01T12:40", "minute"),
        ("ru", "среда, 1 ноября 2023", "2023-11-01", "day"),
        ("uk", "1 листопада 2023 р., 12:40", "2023-11-01T12:40", "minute"),
        ("es", "Miércoles, 1 de noviembre de 2023 a las 15:03", "2023-11-01T15:03", "minute"),
        ("pl", "środa, 1 listopada 2023 o godz. 12:40", "2023-11-01T12:40", "minute"),
    ],
)
def test_header_formats(lang, header, value, precision):
    text = TITLE + header + "\n\nThe two ministers met on Wednesday in the capital to talk about the port."
    found = find_dateline(text, lang)
    assert found is not None
    assert (found.value, found.precision, found.origin) == (value, precision, "text")
    start, end = found.evidence
    assert text[start:end] in header and start >= len(TITLE)


def test_glued_time_and_date_evidence_covers_both():
    text = "Un titre\n\n15:031/11/2023, mercredi\n"
    found = find_dateline(text, "fr")
    assert found is not None
    assert text[found.evidence[0] : found.evidence[1]] == "15:031/11/2023"


@pytest.mark.parametrize(
    ("lang", "header", "value"),
    [
        ("en", "11/1/2023", "2023-11-01"),  # US order by default
        ("fr", "11/1/2023", "2023-01-11"),  # day first
        ("en", "25/12/2023", "2023-12-25"),  # a field above 12 decides whatever the language
        ("fr", "12/25/2023", "2023-12-25"),
    ],
)
def test_numeric_order_follows_language_unless_decided(lang, header, value):
    found = find_dateline(header, lang)
    assert found is not None and found.value == value


@pytest.mark.parametrize(
    ("header", "value"),
    [("1/11/23", "2023-11-01"), ("05.03.99", "1999-03-05"), ("05.03.07 10:15", "2007-03-05T10:15")],
)
def test_two_digit_years(header, value):
    found = find_dateline(header, "de")
    assert found is not None and found.value == value


@pytest.mark.parametrize(
    "header", ["31/11/2023", "29/02/2023", "13/13/2023", "0/5/2023", "30 février 2023", "1/11/2023 25:70"]
)
def test_invalid_dates_rejected(header):
    found = find_dateline(header, "fr")
    if header.endswith("25:70"):  # the date stands, the impossible time is not read
        assert found is not None and found.value == "2023-11-01" and found.precision == "day"
    else:
        assert found is None


def test_publication_stamp_wins_over_update_stamp():
    text = "Titre\nMAJ: 2/11/2023, jeudi\n15:031/11/2023, mercredi\n\nLe texte commence ici."
    found = find_dateline(text, "fr")
    assert found is not None and found.value == "2023-11-01T15:03"
    stamps = find_datelines(text, "fr")
    assert [d.updated for d in stamps] == [True, False]


def test_update_stamp_used_when_it_is_the_only_date():
    found = find_dateline("Titre\nMis à jour le 2 novembre 2023 à 09h10\n\nTexte.", "fr")
    assert found is not None and found.value == "2023-11-02T09:10"


def test_a_sentence_holding_a_date_is_not_a_dateline():
    text = "Le 1er novembre 2023, le ministre a rencontré son homologue à Rome pour parler du port."
    assert find_dateline(text, "fr") is None


def test_only_the_header_is_searched():
    body = "\n".join(f"Paragraph {i} of the story goes on here." for i in range(20))
    assert find_dateline(body + "\nNovember 1, 2023\n", "en") is None


def test_english_words_work_for_any_language_and_unknown_languages():
    assert find_dateline("Updated November 1, 2023", "ru") is not None
    found = find_dateline("2023-11-01", None)
    assert found is not None and found.value == "2023-11-01"


def test_an_embedded_post_signature_is_not_the_articles_date():
    text = "Storm hits the coast\n\n— Ann Lee (@annlee) January 1, 2020\n\nThe storm hit the coast on Monday."
    assert find_dateline(text, "en") is None


def test_bare_and_placed_datelines():
    bare, placed = find_datelines("15:031/11/2023, mercredi\nPARIS 2023-11-01", "fr")
    assert bare.bare and not placed.bare

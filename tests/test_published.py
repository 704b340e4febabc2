"""The publication date from every source a page offers: address, page metadata, datelines (own examples)."""

from __future__ import annotations

from datetime import date

import pytest

from newsgraph import langdata
from newsgraph.ingest.clean import clean, rulebook
from newsgraph.ingest.dateline import find_dateline
from newsgraph.ingest.published import Candidate, choose_published
from newsgraph.ingest.urldate import url_date
from newsgraph.model import DateValue, Document

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("url", "value", "precision"),
    [
        ("https://example.com/world/2024/03/08/talks-in-oslo", "2024-03-08", "day"),
        ("https://example.com/news/2023/9/4/118204", "2023-09-04", "day"),
        ("https://example.com/2024-03-08-ministers-meet", "2024-03-08", "day"),
        ("https://example.com/kraj/2022-11-30/premier-w-wilnie/", "2022-11-30", "day"),
        ("https://example.com/mundo/20210714/cumbre-en-lima_7_553.html", "2021-07-14", "day"),
        ("https://example.com/notizie/vertice-a-bari_23062022_0815.html", "2022-06-23", "day"),
        ("https://example.com/haber/08-03-2024-bakanlar-gorustu", "2024-03-08", "day"),
        ("https://example.com/archiv?datum=2023.11.01&id=7", "2023-11-01", "day"),
        ("https://example.com/ru/2021/03/vstrecha-v-minske", "2021-03", "month"),
        ("https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/2020/12/1/88123/", "2020-12-01", "day"),
    ],
)
def test_dates_in_addresses(url, value, precision):
    found = url_date(url, TODAY)
    assert found is not None and (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/article/12345678901/story",  # an id, not a date
        "https://example.com/2019x/story",
        "https://example.com/story-20261399",  # month 13
        "https://2024.example.com/story",  # the host holds no date
        "https://example.com/2031/01/02/too-far-ahead",
        None,
        "",
    ],
)
def test_no_date_in_addresses_without_one(url):
    assert url_date(url, TODAY) is None


@pytest.mark.parametrize(
    ("header", "lang", "value"),
    [
        ("8 Mart 2024 Cuma 09:15", "tr", "2024-03-08T09:15"),
        ("Yayınlanma Tarihi: 12 Nisan 2024", "tr", "2024-04-12"),
        ("Giriş Tarihi: 08.03.2024 09:15 | Güncelleme Tarihi: 08.03.2024 10:35", "tr", "2024-03-08T09:15"),
        ("15:031/11/2023, mercredi", "fr", "2023-11-01T15:03"),
        ("Опубликовано 17.10.2022", "ru", "2022-10-17"),
        ("Апублікавана 14 сакавіка 2023, 08:05", "be", "2023-03-14T08:05"),
        ("نشر في 10 نيسان 2024 - 13:20", "ar", "2024-04-10T13:20"),
        ("Gepubliceerd op 3 mei 2024 om 10:00", "nl", "2024-05-03"),
        ("Publikováno 4. června 2024", "cs", "2024-06-04"),
        ("Fri 8 Mar 2024 09.15 GMT", "en", "2024-03-08T09:15"),
        ("By Jane Doe and John Roe, Reuters | March 8, 2024 9:15 AM", "en", "2024-03-08T09:15"),
        ("Von Jonas Berger, dpa, 8. März 2024, 09:15 Uhr", "de", "2024-03-08T09:15"),
        ("Публикувано: 21 септември 2023, 17:40", "bg", "2023-09-21T17:40"),
        ("Objavljeno 5. svibnja 2024. u 11:20", "hr", "2024-05-05"),
    ],
)
def test_datelines_in_languages_with_cldr_month_names(header, lang, value):
    found = find_dateline(f"{header}\nA headline\n", lang)
    assert found is not None and found.value.startswith(value)


@pytest.mark.parametrize(
    ("line", "lang"),
    [
        ("Talks began in Geneva on 8 March 2024", "en"),
        ("Die Gespräche in Genf begannen am 8. März 2024", "de"),
        ("Les discussions ont commencé à Genève le 8 mars 2024", "fr"),
    ],
)
def test_a_sentence_around_a_date_is_no_dateline(line, lang):
    assert find_dateline(f"{line}\nMore text follows here.", lang) is None


def test_a_dateline_printed_under_the_article_counts_with_a_publication_cue():
    body = "\n".join(f"Paragraph {n} of the article about the talks in Oslo." for n in range(20))
    doc = clean(
        Document(doc_id="foot", text=f"Ministers meet in Oslo\n{body}\nPublished 17.10.2022", lang="en")
    )
    assert doc.published.value == "2022-10-17"
    bare = clean(Document(doc_id="foot", text=f"Ministers meet in Oslo\n{body}\n17.10.2022", lang="en"))
    assert bare.published is None


def _text(value: str, line: int, *, updated: bool = False, cued: bool = False) -> Candidate:
    return Candidate(
        value, "minute" if "T" in value else "day", "text", (line * 10, line * 10 + 5), line, updated, cued
    )


def test_the_address_outvotes_a_lone_dateline_that_disagrees():
    url = Candidate("2024-03-08", "day", "url")
    chosen = choose_published(None, [_text("2023-01-03", 4), url], title_line=1, mentions=[])
    assert chosen.value == "2024-03-08" and chosen.origin == "url"
    assert chosen.rejected[0]["reason"].startswith("disagrees with the url date")


def test_an_explicit_publication_stamp_beats_the_address_it_disagrees_with():
    url = Candidate("2024-03-07", "day", "url")  # the day the story was filed, late at night
    chosen = choose_published(None, [url, _text("2024-03-08T00:40", 3, cued=True)], title_line=1, mentions=[])
    assert chosen.value == "2024-03-08T00:40"
    assert chosen.rejected[0]["origin"] == "url" and chosen.rejected[0]["reason"].startswith("disagrees")


def test_a_clock_above_the_headline_loses_to_the_dateline_under_it():
    found = [_text("2023-01-03", 0), _text("2024-03-08T09:15", 3)]
    chosen = choose_published(None, found, title_line=2, mentions=[])
    assert chosen.value == "2024-03-08T09:15"
    assert chosen.rejected[0]["reason"].startswith("above the headline")


def test_the_dates_the_article_mentions_decide_between_two_datelines():
    found = [_text("2023-03-08", 3), _text("2024-03-08", 4)]
    chosen = choose_published(None, found, title_line=None, mentions=["2024-03-05", "2024-02-20"])
    assert chosen.value == "2024-03-08"


def test_an_update_stamp_serves_only_alone():
    published, updated = _text("2024-03-08T09:15", 3, cued=True), _text("2024-03-09T10:00", 2, updated=True)
    assert choose_published(None, [updated, published], title_line=1, mentions=[]).value == "2024-03-08T09:15"
    assert choose_published(None, [updated], title_line=1, mentions=[]).value == "2024-03-09T10:00"


def test_the_callers_date_wins_and_the_page_dates_are_kept_as_rejected():
    given = DateValue("2024-03-07", "day", None, "metadata")
    chosen = choose_published(given, [Candidate("2024-03-08", "day", "url")], title_line=None, mentions=[])
    assert chosen.value == "2024-03-07" and chosen.origin == "metadata"
    assert chosen.rejected == [
        {
            "value": "2024-03-08",
            "precision": "day",
            "origin": "url",
            "evidence": None,
            "reason": "the caller's metadata wins",
        }
    ]
    assert chosen.to_record()["rejected"][0]["origin"] == "url"
    assert DateValue.from_record(chosen.to_record()).rejected == chosen.rejected


def test_page_metadata_and_the_text_agreeing_give_the_precise_text_date():
    html = DateValue("2024-03-08", "day", None, "html")
    text = "Ministers meet in Oslo\nPublished March 8, 2024 at 9:15 am\nThe ministers met on Friday in Oslo."
    doc = clean(Document(doc_id="h", text=text, lang="en", published=html))
    assert (doc.published.value, doc.published.origin) == ("2024-03-08T09:15", "text")
    assert doc.published.rejected[0]["origin"] == "html"


def test_no_date_anywhere_gives_none():
    doc = clean(Document(doc_id="n", text="Ministers meet in Oslo\nThe ministers met on Friday.", lang="en"))
    assert doc.published is None


@pytest.mark.parametrize(
    "lang", [lang for lang in langdata.languages() if langdata.load_one(lang, "dateline")]
)
def test_every_dateline_file_reads_a_date(lang):
    """Each language's month names (CLDR or by hand) map to 1-12 and read a date in that language."""
    table = langdata.load(lang, "dateline")
    assert table["months"] and all(1 <= int(n) <= 12 for n in table["months"].values())
    first_name = next(name for name, number in table["months"].items() if int(number) == 3 and len(name) > 3)
    found = find_dateline(f"8 {first_name} 2024\nA headline\n", lang)
    assert found is not None and found.value == "2024-03-08"


@pytest.mark.parametrize(
    "lang", [lang for lang in langdata.languages() if langdata.load_one(lang, "boilerplate")]
)
def test_every_boilerplate_file_compiles(lang):
    book = rulebook(lang)
    assert book.rules and all(rule.kind and rule.scope for rule in book.rules)

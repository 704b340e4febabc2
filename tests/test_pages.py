"""Whole pages in nine languages (own fixtures, tests/fixtures/pages): headline, publication date, furniture.

Every plain-text page puts a stale site clock (a date from an earlier year) above its headline, then
a ticker, a breadcrumb, the headline, a dateline in the local format, a byline, a photo credit, the
article with a teaser for another story among its paragraphs, an embedded post, an update line, a
"read also" block, a share bar and a cookie or source line. The HTML pages carry the same furniture
in markup, with the headline in `og:title` and the date in the page metadata and the address.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.ingest.clean import clean
from newsgraph.ingest.html import extract_article
from newsgraph.model import Document

PAGES = Path(__file__).parent / "fixtures" / "pages"

# language -> (headline, publication date, furniture lines that must leave the body)
TEXT_PAGES = {
    "en": (
        "Foreign ministers of Norway and Chile meet in Oslo to discuss fisheries",
        "2024-03-08T09:15",
        [
            "EUR/USD 1.0842",
            "Home › World",
            "By Hannah Lindqvist",
            "Photo: Erik Berg",
            "Celebrity chef",
            "(@nordic_fo_example)",
            "We agreed today in Oslo",
            "Update from 10:35",
            "Fishing fleets face",
            "Share this article",
            "We use cookies",
        ],
    ),
    "fr": (
        "Les ministres belge et portugais se rencontrent à Lisbonne",
        "2024-04-12T14:20",
        [
            "CAC 40",
            "Accueil › Monde",
            "Par Élise Fontaine",
            "Crédit photo",
            "Un cycliste amateur",
            "(@mne_pt_exemple)",
            "Mise à jour 16h05",
            "Le port d'Anvers bat",
            "Nous utilisons des cookies",
        ],
    ),
    "de": (
        "Außenminister aus Österreich und Dänemark beraten in Kopenhagen",
        "2024-03-08T09:15",
        [
            "DAX 17.814",
            "Startseite › Politik",
            "Von Jonas Berger",
            "Foto: Lena Hartmann",
            "Rekordhitze im Zoo",
            "(@aussenamt_beispiel)",
            "Aktualisiert um 11:40",
            "Neue Pipeline",
            "Wir verwenden Cookies",
        ],
    ),
    "es": (
        "Los cancilleres de Perú y Uruguay se reúnen en Montevideo",
        "2024-06-05T18:30",
        [
            "IBEX 35",
            "Inicio › Internacional",
            "Por Lucía Etxeberria",
            "Foto: Diego Salas",
            "Un gato recorre",
            "(@cancilleria_ejemplo)",
            "Actualizado a las 20:10",
            "El puerto de Montevideo",
            "Utilizamos cookies",
        ],
    ),
    "it": (
        "I ministri degli Esteri di Grecia e Croazia si incontrano a Spalato",
        "2024-10-15T11:45",
        [
            "FTSE MIB",
            "Home › Esteri",
            "di Marta Colombo",
            "Foto: Paolo Greco",
            "Torta record",
            "(@ministero_esempio)",
            "Aggiornato alle 13:20",
            "Traghetti, nuove rotte",
            "utilizza cookie",
        ],
    ),
    "ru": (
        "Министры иностранных дел Финляндии и Эстонии встретились в Таллине",
        "2024-10-17T12:40",
        [
            "USD 89,45",
            "Главная › В мире",
            "Автор: Ирина Соколова",
            "Фото: Пётр Иванов",
            "Повар из Казани",
            "(@mid_primer)",
            "Обновлено в 14:05",
            "Паромы между столицами",
            "файлы cookie",
        ],
    ),
    "tr": (
        "Macaristan ve Slovenya dışişleri bakanları Ljubljana'da görüştü",
        "2024-03-08T09:15",
        [
            "USD 32,15",
            "Anasayfa › Dünya",
            "Haber: Ayşe Demir",
            "Fotoğraf: Mehmet Kaya",
            "Ünlü şef",
            "(@disisleri_ornek)",
            "Güncelleme 10:35",
            "Boru hattı projesinde",
            "Kaynak: AA",
        ],
    ),
    "ar": (
        "وزيرا خارجية الأردن والكويت يبحثان التعاون في عمّان",
        "2024-04-10T13:20",
        [
            "الدولار 3,75",
            "الرئيسية ›",
            "بقلم سارة الخطيب",
            "الصورة: محمد علي",
            "طاهٍ يعدّ",
            "(@mofa_mithal)",
            "آخر تحديث 15:05",
            "مشروع جديد لتحلية",
            "المصدر: وكالات",
        ],
    ),
    "pl": (
        "Szefowie dyplomacji Czech i Litwy rozmawiali w Wilnie",
        "2024-05-22T10:05",
        [
            "EUR/PLN 4,32",
            "Strona główna ›",
            "Autor: Anna Nowicka",
            "Fot. Piotr Zieliński",
            "Kucharz z Gdańska",
            "(@msz_przyklad)",
            "Aktualizacja 12:30",
            "Nowa linia kolejowa",
            "Źródło: PAP",
        ],
    ),
}


def _page(lang: str) -> Document:
    text = (PAGES / f"{lang}.txt").read_text(encoding="utf-8")
    return clean(Document(doc_id=lang, text=text, lang=lang))


def _in_body(doc: Document, needle: str) -> bool:
    at = doc.text.index(needle)
    return any(s < at + len(needle) and at < e for s, e in doc.body)


@pytest.mark.parametrize("lang", sorted(TEXT_PAGES))
def test_the_headline_is_the_line_that_reads_as_one(lang):
    doc = _page(lang)
    assert doc.title == TEXT_PAGES[lang][0]
    assert doc.title_span is not None and doc.span_text(doc.title_span) == doc.title


@pytest.mark.parametrize("lang", sorted(TEXT_PAGES))
def test_the_article_date_beats_a_stale_site_clock_printed_first(lang):
    doc = _page(lang)
    assert doc.published is not None
    assert (doc.published.value, doc.published.precision, doc.published.origin) == (
        TEXT_PAGES[lang][1],
        "minute",
        "text",
    )
    evidence = doc.span_text(doc.published.evidence)
    assert evidence[:1].isdigit() or evidence[:1].isalpha()
    # the clock's date (first line, an earlier year) is recorded as rejected, with the reason
    clock = doc.text.splitlines()[0]
    (rejected,) = doc.published.rejected
    assert rejected["origin"] == "text" and rejected["value"][:4] < TEXT_PAGES[lang][1][:4]
    assert doc.text[rejected["evidence"][0] : rejected["evidence"][1]] in clock
    assert rejected["reason"].startswith("above the headline")


@pytest.mark.parametrize("lang", sorted(TEXT_PAGES))
def test_page_furniture_leaves_the_body_and_the_text_stays(lang):
    doc = _page(lang)
    for furniture in TEXT_PAGES[lang][2]:
        assert not _in_body(doc, furniture), furniture
    paragraphs = [p for p in doc.text.split("\n\n") if len(p) > 120 and "\n" not in p.strip()]
    assert len(paragraphs) >= 3
    for paragraph in paragraphs:
        assert _in_body(doc, paragraph.strip()), paragraph[:40]
    assert _in_body(doc, TEXT_PAGES[lang][0])


@pytest.mark.parametrize("lang", sorted(TEXT_PAGES))
def test_the_address_agrees_and_loses_only_on_precision(lang):
    text = (PAGES / f"{lang}.txt").read_text(encoding="utf-8")
    day = TEXT_PAGES[lang][1][:10]
    url = f"https://news.example.org/{lang}/{day.replace('-', '/')}/story"
    doc = clean(Document(doc_id=lang, text=text, lang=lang, url=url))
    assert doc.published.value == TEXT_PAGES[lang][1]
    reasons = {r["origin"]: r["reason"] for r in doc.published.rejected}
    assert reasons["url"] == "same day, less precise or later"


HTML_PAGES = {
    "en": ("Norway and Chile agree on fisheries working group", "2024-03-08T09:15"),
    "fr": ("Lisbonne et Bruxelles veulent relier leurs ports", "2024-04-12T14:20"),
    "de": ("Österreich und Dänemark planen Wasserstoffleitung", "2024-03-08T09:15"),
    "ru": ("Финляндия и Эстония усилят охрану кабелей", "2024-10-17T12:40"),
    "tr": ("Macaristan ve Slovenya boru hattı için çalışma grubu kuruyor", "2024-03-08T09:15"),
    "ar": ("الأردن والكويت يتفقان على لجنة للربط الكهربائي", "2024-04-10T13:20"),
}
HTML_FURNITURE = [
    "Monday, 14 November",
    "Mardi 3 janvier",
    "Sonntag, 6. März",
    "Вторник, 7 июня",
    "3 Ocak 2023",
    "الأحد 5 يونيو",
    "EUR/USD",
    "USD 32,15",
    "Related stories",
    "Celebrity chef",
    "cookies",
    "Wir verwenden",
    "файлы cookie",
    "çerez",
    "Port fees",
    "İlgili Haberler",
]


@pytest.mark.parametrize("lang", sorted(HTML_PAGES))
def test_an_html_page_gives_the_same_fields(lang):
    """og:title is the headline (no site name); htmldate's day, timed by the page's own timestamp, agrees
    with the address."""
    article = extract_article((PAGES / f"{lang}.html").read_text(encoding="utf-8"))
    doc = Document(
        doc_id=lang,
        text=article.text,
        lang=lang,
        title=article.title,
        url=article.url,
        outlet=article.outlet,
        published=article.published,
    )
    doc = clean(doc)
    title, stamp = HTML_PAGES[lang]
    assert doc.title == title and doc.span_text(doc.title_span) == title
    assert (doc.published.value, doc.published.precision, doc.published.origin) == (stamp, "minute", "html")
    assert {r["origin"] for r in doc.published.rejected} == {"url"}
    assert doc.url and doc.url.startswith("https://") and doc.outlet
    for furniture in HTML_FURNITURE:
        assert furniture not in doc.text or not _in_body(doc, furniture), furniture
    assert len(doc.body) >= 1 and sum(e - s for s, e in doc.body) > 200

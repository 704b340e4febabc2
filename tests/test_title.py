"""Titles found in plain text, and metadata titles located in it (own fixtures)."""

import pytest

from newsgraph.ingest.clean import clean, find_boilerplate
from newsgraph.ingest.title import find_title, locate_title
from newsgraph.model import Boilerplate, Document


def title_of(text: str, lang: str) -> str | None:
    return clean(Document(doc_id="t", text=text, lang=lang)).title


@pytest.mark.parametrize(
    ("text", "lang", "title"),
    [
        (
            "Actualités Monde Politique\n\nLa ministre annonce un plan pour l’hôpital\n\n"
            "La ministre a présenté "
            "mercredi un plan de dix milliards d'euros.",
            "fr",
            "La ministre annonce un plan pour l’hôpital",
        ),
        # a leading blank line, and the trailing section word stays part of the headline line
        (
            "\nMinisters agree on port rules, talks go on News\n\nThe ministers met on Wednesday.",
            "en",
            "Ministers agree on port rules, talks go on News",
        ),
        (
            "Глава МИД провел переговоры в Берлине\n\n1 ноября 2023 г., 12:40\n\n"
            "Министр встретился с коллегой.",
            "ru",
            "Глава МИД провел переговоры в Берлине",
        ),
        (
            "15:031/11/2023, mercredi\nAA\nLe port rouvre ses portes\n\nLe port a rouvert mercredi matin.",
            "fr",
            "Le port rouvre ses portes",
        ),
        (
            "¿Habrá acuerdo sobre el puerto?\n\nLos ministros se reunieron el miércoles.",
            "es",
            "¿Habrá acuerdo sobre el puerto?",
        ),
        (
            "Hafen öffnet wieder...\n\nDer Hafen hat am Mittwoch wieder geöffnet.",
            "de",
            "Hafen öffnet wieder...",
        ),
    ],
)
def test_title_is_the_first_real_line(text, lang, title):
    assert title_of(text, lang) == title


@pytest.mark.parametrize(
    "text",
    [
        # the text opens with its first paragraph
        "Les deux ministres se sont parlé lundi pour la deuxième fois.\nIls ont évoqué le port.",
        # the first line of a hard-wrapped paragraph
        "Les deux ministres se sont parlé lundi pour la\ndeuxième fois cette semaine.",
        # an introduction, not a headline
        "Voici ce qu'il faut savoir:\n\nLe port rouvre.",
        # far too long for a headline
        " ".join(["mot"] * 60),
        "",
    ],
)
def test_no_title_rather_than_a_wrong_one(text):
    assert title_of(text, "fr") is None


def test_headline_repeated_under_the_title_is_marked_and_the_first_copy_kept():
    headline = "Міністр провів переговори у Варшаві"
    text = f"{headline}\n\n{headline}\nТекст статті почався тут."
    doc = clean(Document(doc_id="t", text=text, lang="uk"))
    repeat = text.index("\n\n") + 2
    assert doc.title_span == (0, repeat - 2)
    assert any(b.kind == "duplicate" and b.start == repeat for b in doc.boilerplate)


def test_find_title_skips_boilerplate_lines():
    text = "Home > World\nPort reopens after strike\n\nThe port reopened on Monday."
    marks = find_boilerplate(text, "en")
    headline = (text.index("Port"), text.index("\n\n"))
    assert find_title(text, marks) == headline
    # with the headline marked too, the first line left is a sentence
    assert find_title(text, [Boilerplate(0, headline[1], "test")]) is None


def test_metadata_title_is_located_ignoring_whitespace_case_and_quotes():
    text = "Breaking\n\nL’ARMÉE   annonce\nun  cessez-le-feu\n\nLe texte suit."
    span = locate_title(text, "L'armée annonce un cessez-le-feu")
    assert span is not None and text[span[0] : span[1]] == "L’ARMÉE   annonce\nun  cessez-le-feu"


def test_metadata_title_kept_and_span_set_by_the_component():
    text = "Port reopens after strike\n\nThe port reopened on Monday."
    doc = clean(Document(doc_id="t", text=text, lang="en", title="Port  reopens after strike"))
    assert doc.title == "Port  reopens after strike" and doc.title_span == (0, 25)


def test_metadata_title_absent_from_the_text_has_no_span():
    doc = clean(Document(doc_id="t", text="The port reopened on Monday.", lang="en", title="Port reopens"))
    assert doc.title == "Port reopens" and doc.title_span is None


@pytest.mark.parametrize(
    ("text", "lang", "title"),
    [
        (
            "EXCLUSIVE\nMinisters agree on new port rules in Oslo\nThe ministers met on Friday.",
            "en",
            "Ministers agree on new port rules in Oslo",
        ),
        (
            "Ostsee\nAußenminister beraten in Kopenhagen über die Kabel\nDie Minister trafen sich.",
            "de",
            "Außenminister beraten in Kopenhagen über die Kabel",
        ),
        (
            "Diplomatie\nLes ministres se rencontrent à Lisbonne\nLes ministres se sont vus vendredi.",
            "fr",
            "Les ministres se rencontrent à Lisbonne",
        ),
        (
            "В мире\nМинистры встретились в Таллине\nМинистры встретились в четверг.",
            "ru",
            "Министры встретились в Таллине",
        ),
        (
            "Dünya\nBakanlar Ljubljana'da bir araya geldi\nBakanlar cuma günü görüştü.",
            "tr",
            "Bakanlar Ljubljana'da bir araya geldi",
        ),
        (
            "عربي ودولي\nوزيرا الخارجية يبحثان التعاون في عمّان\nبحث الوزيران يوم الأربعاء سبل التعاون.",
            "ar",
            "وزيرا الخارجية يبحثان التعاون في عمّان",
        ),
    ],
)
def test_a_section_label_or_kicker_above_the_headline_is_passed_over(text, lang, title):
    assert title_of(text, lang) == title


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Anna Keller\nLyon – Genève\nLa ministre a rencontré son homologue suisse mardi soir à Genève.",
            "fr",
        ),
        ("Jane Doe\nThe ministers met on Friday in Oslo and agreed on new rules for the ports.", "en"),
    ],
)
def test_labels_above_a_paragraph_give_no_title(text, lang):
    assert title_of(text, lang) is None

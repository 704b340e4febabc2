"""Furniture told by the shape of a line in any language, and cues glued to the text (own examples)."""

from __future__ import annotations

import pytest

from newsgraph.ingest.clean import clean, find_boilerplate
from newsgraph.ingest.furniture import is_prose, line_furniture, stop_density, stopwords
from newsgraph.model import Document


def _marked(text: str, lang: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end]) for b in find_boilerplate(text, lang)]


@pytest.mark.parametrize("lang", ["en", "fr", "de", "ru", "tr", "ar", "be", "pl"])
def test_function_word_lists_come_from_justext(lang):
    assert len(stopwords(lang)) > 50
    assert stopwords("zz") == frozenset() and stopwords(None) == frozenset()


def test_stop_word_density_separates_prose_from_labels():
    prose = stop_density("The ministers met in the capital on Friday and talked for an hour.", "en")
    labels = stop_density("Oslo Bergen Tromsø Stavanger", "en")
    assert prose > 0.3 and labels == 0 and stop_density("12 345", "en") == 0


@pytest.mark.parametrize(
    ("line", "lang"),
    [
        ("USD 32,15 ▲ EUR 34,90 ▼ ALTIN 2.150,40", "tr"),
        ("Brent 81,2 $ WTI 77,4 $ Gold 2 310 $", "de"),
        ("Paris 8°C Lyon 6°C Nice 14°C", "fr"),
        ("Москва +3 °C Санкт-Петербург −1 °C Казань 0 °C", "ru"),
        ("الدولار 3,75 اليورو 4,05 الذهب 2.310", "ar"),
        ("IBEX 35 10.982 +0,8 % Euro 1,08", "es"),
    ],
)
def test_tickers_are_figures_between_short_labels(line, lang):
    assert line_furniture(line, lang) == "ticker"


@pytest.mark.parametrize(
    ("line", "lang"),
    [
        ("The index rose 2.5 % to 17,814 points on Friday after 3 weak sessions.", "en"),
        (
            "Le bilan s'élève à 1 200 morts et 3 400 blessés selon le ministère, qui a publié 2 rapports.",
            "fr",
        ),
        (
            "Im Jahr 2023 kamen 1,2 Millionen Menschen, 2024 waren es 1,5 Millionen, 2025 etwa 2 Millionen.",
            "de",
        ),
        ("В 2023 году погибли 120 человек, в 2024 году 95, а за 9 месяцев 2025 года 40.", "ru"),
        ("2023'te 1,2 milyon, 2024'te 1,5 milyon ve 2025'te 2 milyon kişi geldi.", "tr"),
        ("وصل عدد الزوار إلى 1,2 مليون في 2023 و1,5 مليون في 2024 بحسب 3 تقارير رسمية.", "ar"),
    ],
)
def test_sentences_with_many_figures_are_text(line, lang):
    assert line_furniture(line, lang) is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("- 4,512", "counter"),
        ("12 345 | 67", "counter"),
        ("div-gpt-ad-300x250 banner_top_1", "banner"),
        ("www.example.com | @example_news | info@example.com", "link"),
        ("— Jane Doe (@jane_doe_example) March 8, 2024", "embed"),
        ("— Министерство (@mid_primer) 17 октября 2024", "embed"),
    ],
)
def test_counters_banner_ids_links_and_post_signatures(line, kind):
    assert line_furniture(line, "en") == kind


@pytest.mark.parametrize(
    ("lang", "text", "byline", "first_words"),
    [
        (
            "it",
            "Il ministro a Roma per i colloqui\n"
            "di Marco RossiIl ministro è arrivato a Roma ieri sera per due giorni di colloqui.",
            "di Marco Rossi",
            "Il ministro",
        ),
        (
            "en",
            "Minister arrives in London for talks\n"
            "By Jane DoeThe minister arrived in London on Monday for two days of talks.",
            "By Jane Doe",
            "The minister",
        ),
        (
            "fr",
            "Le ministre arrive à Paris\n"
            "Par Claire MartinLe ministre est arrivé à Paris lundi pour deux jours d'entretiens.",
            "Par Claire Martin",
            "Le ministre",
        ),
        (
            "de",
            "Minister zu Gesprächen in Berlin\n"
            "Von Jonas BergerDer Minister kam am Montag zu zweitägigen Gesprächen in Berlin an.",
            "Von Jonas Berger",
            "Der Minister",
        ),
        (
            "es",
            "El ministro llega a Madrid\n"
            "Por Lucía GarcíaEl ministro llegó a Madrid el lunes para dos días de reuniones.",
            "Por Lucía García",
            "El ministro",
        ),
        (
            "pt",
            "O ministro chega a Lisboa\n"
            "Por João SilvaO ministro chegou a Lisboa na segunda-feira para dois dias de conversas.",
            "Por João Silva",
            "O ministro",
        ),
    ],
)
def test_a_byline_glued_to_the_first_paragraph_is_marked_alone(lang, text, byline, first_words):
    """The scraper lost the line break: "di Marco RossiIl ministro" holds a byline and a paragraph."""
    doc = clean(Document(doc_id=lang, text=text, lang=lang))
    assert ("byline", byline) in [(b.kind, text[b.start : b.end]) for b in doc.boilerplate]
    assert any(text[s:e].startswith(first_words) for s, e in doc.body)
    assert doc.title == text.splitlines()[0]  # the glued line continues no headline


@pytest.mark.parametrize(
    ("lang", "line", "credit"),
    [
        ("pl", "Premier i kanclerz w Warszawie Źródło: PAP", "Źródło: PAP"),
        ("de", "Die Minister in Berlin Quelle: dpa", "Quelle: dpa"),
        ("en", "The ministers in London Source: Reuters", "Source: Reuters"),
        ("fr", "Les ministres à Paris Source : AFP", "Source : AFP"),
        ("es", "Los ministros en Madrid Fuente: EFE", "Fuente: EFE"),
        ("it", "I ministri a Roma Fonte: ANSA", "Fonte: ANSA"),
        ("tr", "Bakanlar Ankara'da Kaynak: AA", "Kaynak: AA"),
    ],
)
def test_a_source_glued_to_a_caption_marks_the_caption(lang, line, credit):
    marks = _marked(f"{line}\n", lang)
    assert ("source", credit) in marks and ("caption", line) in marks


@pytest.mark.parametrize("lang", ["it", "en", "fr", "de", "es", "ru"])
def test_a_sentence_naming_a_source_stays_text(lang):
    sentences = {
        "it": "La fonte: il ministero ha confermato che i colloqui sono finiti ieri sera a Roma.",
        "en": "The source: a senior official who said that the talks ended late on Monday night.",
        "fr": "Source : un diplomate qui a affirmé que les discussions avaient duré toute la nuit.",
        "de": "Quelle: ein Diplomat, der sagte, die Gespräche hätten bis spät in die Nacht gedauert.",
        "es": "Fuente: un diplomático que afirmó que las conversaciones duraron toda la noche.",
        "ru": "Источник: дипломат, который сообщил, что переговоры продолжались всю ночь.",
    }
    text = sentences[lang] + "\n"
    assert all(kind not in ("source", "caption") for kind, _ in _marked(text, lang))


@pytest.mark.parametrize(
    "notice",
    [
        "Articolo riproducibile solo con il link all'originale: https://www.example.it/articolo",
        "Reproduction autorisée avec mention de la source www.example.fr",
        "Nachdruck nur mit Genehmigung, Kontakt: redaktion@example.de",
        "Перепечатка разрешена со ссылкой на https://example.ru",
        "Haberin tamamı için: https://haber.example.com.tr/dunya/123",
        "للمزيد: https://example.com/ar/news",
    ],
)
def test_a_linked_notice_at_the_foot_is_furniture(notice):
    text = "A headline\n\nThe ministers met on Monday and talked for an hour about the ports.\n\n" + notice
    marks = find_boilerplate(text, None)
    # a notice that is mostly its address is already a link line by its shape
    assert [text[m.start : m.end] for m in marks] == [notice]
    assert marks[0].kind in ("notice", "link")


def test_a_link_inside_the_article_is_not_a_foot():
    text = "The ministry published the text at https://example.org/text.\n\nThe ministers met on Monday."
    assert find_boilerplate(text, "en") == []


def test_a_subheading_about_the_story_is_no_teaser():
    text = (
        "Ministers meet in Oslo to talk about fisheries\n\n"
        "The foreign ministers of Norway and Chile met in Oslo on Friday to discuss joint rules for "
        "fisheries "
        "and port inspections, officials said after the meeting.\n\n"
        "What the fisheries deal means\n\n"
        "The agreement sets up a working group on quotas and port inspections, which will report to both "
        "ministers before the end of the year, according to a joint statement."
    )
    assert [m.kind for m in find_boilerplate(text, "en")] == []


def test_a_capital_inside_a_name_is_no_glue():
    text = "A headline\nBy Ronald McDonald and Jane DeSantis, Reuters\nThe talks ended late on Monday night."
    marks = [
        (b.kind, text[b.start : b.end]) for b in clean(Document(doc_id="n", text=text, lang="en")).boilerplate
    ]
    assert marks == [("byline", "By Ronald McDonald and Jane DeSantis, Reuters")]


@pytest.mark.parametrize(
    ("lang", "paragraph"),
    [
        (
            "en",
            "The ministry said that the full text of the agreement, which was signed by both ministers "
            "after a meeting that lasted for more than three hours, would be published on its website "
            "in the coming days at https://www.example.org/agreement",
        ),
        (
            "fr",
            "Le ministère a indiqué que le texte complet de l'accord, qui a été signé par les deux "
            "ministres après une rencontre de plus de trois heures, serait publié sur son site dans les "
            "prochains jours à l'adresse https://www.example.fr/accord",
        ),
        (
            "de",
            "Das Ministerium teilte mit, dass der vollständige Text der Vereinbarung, die von beiden "
            "Ministern nach einem mehr als dreistündigen Treffen unterzeichnet wurde, in den nächsten "
            "Tagen auf seiner Internetseite unter https://www.example.de/abkommen veröffentlicht werde",
        ),
    ],
)
def test_prose_by_justexts_measure_is_never_furniture_by_shape(lang, paragraph):
    """A long line dense in function words is a paragraph even when it ends with an address."""
    assert is_prose(paragraph, lang)
    text = f"A headline\n\n{paragraph}"
    assert find_boilerplate(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "intro", "items"),
    [
        (
            "en",
            "The minister listed three tasks for the summer:",
            ["Plant young forests across northern valleys", "Build cheaper homes for nurses"],
        ),
        (
            "fr",
            "Le ministre a fixé trois tâches pour l'été :",
            ["Planter des forêts dans les vallées", "Construire des logements pour infirmières"],
        ),
        (
            "de",
            "Der Minister nannte drei Aufgaben für den Sommer:",
            ["Junge Wälder in nördlichen Tälern pflanzen", "Günstige Wohnungen für Pflegekräfte bauen"],
        ),
    ],
)
def test_items_of_a_list_in_the_text_are_no_teasers(lang, intro, items):
    words = {
        "en": "The ministers of both countries met for talks about harbours and pilots on the coast. ",
        "fr": "Les ministres des deux pays ont parlé des ports et des pilotes sur la côte atlantique. ",
        "de": "Die Minister beider Länder sprachen über die Häfen und die Lotsen an der Küste im Norden. ",
    }
    body = "A headline about harbours\n\n" + words[lang] * 5 + "\n\n"
    listed = body + intro + "\n" + "\n".join(items)
    assert [m for m in find_boilerplate(listed, lang) if m.rule == "shape:teaser"] == []
    # the same off-topic lines without the colon that opens the list are teasers
    loose = body + "\n\n".join(items) + "\n\n" + words[lang]
    teased = [loose[m.start : m.end] for m in find_boilerplate(loose, lang) if m.rule == "shape:teaser"]
    assert teased == items


@pytest.mark.parametrize(
    ("lang", "source", "related", "link"),
    [
        ("bg", "Източник: БТА", "Прочетете още", "Друга новина за пристанището"),
        ("cs", "Zdroj: ČTK", "Čtěte také", "Další zpráva o přístavu"),
        ("sk", "Zdroj: TASR", "Čítajte aj", "Ďalšia správa o prístave"),
        ("sl", "Vir: STA", "Preberite tudi", "Druga novica o pristanišču"),
        ("hr", "Izvor: Hina", "Pročitajte i", "Druga vijest o luci"),
        ("nl", "Bron: ANP", "Lees ook", "Ander nieuws over de haven"),
    ],
)
def test_source_lines_and_read_also_blocks_in_more_languages(lang, source, related, link):
    text = f"A headline about the port\n\nThe text of the article.\n\n{source}\n{related}\n{link}\n"
    marks = _marked(text, lang)
    assert ("source", source) in marks
    assert ("related", f"{related}\n{link}") in marks


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("bg", "Реклама"),
        ("cs", "Inzerce"),
        ("sk", "Reklama"),
        ("sl", "Oglas"),
        ("hr", "Oglas"),
        ("nl", "Advertentie"),
    ],
)
def test_advertisement_labels(lang, label):
    text = f"A headline about the port\n{label}\nThe text of the article.\n"
    assert ("navigation", label) in _marked(text, lang)


def test_the_frame_of_an_embedded_post():
    text = (
        "A headline about the port\nView this post on Instagram\n"
        "A post shared by Harbour Office (@harbour_office_example)\nThe text of the article.\n"
    )
    kinds = [kind for kind, _ in _marked(text, "de")]
    assert kinds == ["embed", "embed"]


@pytest.mark.parametrize(
    ("lang", "paragraph", "source"),
    [
        ("en", "The talks will go on next week, the ministry said.", "Source: Reuters"),
        ("de", "Die Gespräche gehen nächste Woche weiter, sagte das Ministerium.", "Quelle: dpa"),
        ("pl", "Rozmowy będą kontynuowane w przyszłym tygodniu, podało ministerstwo.", "Źródło: PAP"),
    ],
)
def test_a_source_signing_a_paragraph_leaves_the_paragraph(lang, paragraph, source):
    text = f"{paragraph} {source}\n"
    assert _marked(text, lang) == [("source", source)]


@pytest.mark.parametrize(
    "line", ["Thank you @harbour_office #Oslo", "Merci @ministere_exemple pour #Lisbonne"]
)
def test_a_sentence_with_a_handle_is_no_link_line(line):
    assert line_furniture(line, "en") is None

"""Cleaning marks furniture as boilerplate and never deletes text (own fixtures, several languages)."""

import pytest

from newsgraph.config import Settings
from newsgraph.ingest import clean as clean_module
from newsgraph.ingest.clean import body_spans, clean, find_boilerplate, make_cleaner
from newsgraph.model import Boilerplate, DateValue, Document

FR = """Actualités Monde Politique

Le ministre rencontre son homologue italien à Rome

15:031/11/2023, mercredi
MAJ: 1/11/2023, mercredi
AA
Les deux ministres au palais. Crédit photo: MARIE DURAND / AFP
Les deux ministres au palais. Crédit photo: MARIE DURAND / AFP
Par Jean Dupont et Claire Martin

Le ministre des Affaires étrangères a rencontré mercredi son homologue italien à Rome.

Par ailleurs, les deux hommes ont évoqué la situation au Proche-Orient.

Partager sur Facebook
Nous utilisons des cookies pour améliorer votre expérience.

À lire également:

#Italie
#Diplomatie européenne
#Rome
"""

EN = """
Home > World > Europe

Ministers agree on new port rules

By Jane Doe and John Roe, Reuters
Updated Nov. 2, 2023 9:10 AM

The two ministers met on Wednesday and agreed on new rules for the port.
Harbour cranes at dawn. Photo: Sam Green/AP

By then, the talks had lasted four hours, officials said.
Updated figures were not released.

Share on Facebook
Subscribe to our newsletter
Source link

Leave a Reply

Your email address will not be published. Required fields are marked *

Related Articles

Back to top button
"""

RU = """Новости Мир Политика

Министр обсудил с коллегой ситуацию в регионе

Министр обсудил с коллегой ситуацию в регионе
Министр иностранных дел на встрече в Берлине
Министр иностранных дел на встрече в Берлине. Фото: Иван Петров/ТАСС
Автор: Анна Смирнова

Министр иностранных дел провел переговоры со своим немецким коллегой в Берлине.

Читайте также:

Министр посетит Париж

Стороны договорились продолжить консультации в декабре.

Читайте нас в Telegram
Поделиться
Комментарии
"""

DE = """Startseite > Politik > Ausland

Kanzler trifft Präsidenten in Paris

Von Anna Schmidt
Aktualisiert am 02.11.2023, 09:10 Uhr

Der Kanzler ist am Mittwoch zu Gesprächen nach Paris gereist.
Foto: dpa/Max Muster

Von der Leyen begrüßte das Treffen.

Teilen
Wir verwenden Cookies, um Inhalte zu personalisieren.

Lesen Sie auch:
Kanzler besucht Kiew
"""

ES = """Internacional

El presidente visita Madrid para hablar de comercio

Por María López
Actualizado: 02/11/2023 09:10

El presidente llegó el miércoles a Madrid para reunirse con el jefe del Gobierno.
Foto: EFE

Por su parte, la oposición criticó la visita.

Compartir
Suscríbete a nuestro boletín
Te puede interesar: El Gobierno aprueba nuevos presupuestos
Comentarios
"""

UK = """Новини Світ Політика

Міністр провів переговори у Варшаві

Автор: Олена Коваль
Оновлено: 2 листопада 2023 р., 09:10

Міністр зустрівся зі своїм польським колегою у Варшаві.
Учасники зустрічі. Фото: Іван Петренко

Читайте також:
Посол провів брифінг

Читайте нас у Telegram
Поділитися
Коментарі
"""


def marked(text: str, marks: list[Boilerplate]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for mark in marks:
        out.setdefault(mark.kind, []).append(text[mark.start : mark.end])
    return out


def in_body(doc: Document, fragment: str) -> bool:
    at = doc.text.index(fragment)
    return any(start <= at and at + len(fragment) <= end for start, end in doc.body)


def outside_body(doc: Document, start: int, end: int) -> bool:
    return not any(start < body_end and body_start < end for body_start, body_end in doc.body)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            FR,
            "fr",
            {
                "breadcrumb": ["Actualités Monde Politique"],
                "update": ["MAJ: 1/11/2023, mercredi"],
                "widget": ["AA"],
                "photo_credit": ["Crédit photo: MARIE DURAND / AFP"] * 2,
                "caption": ["Les deux ministres au palais. Crédit photo: MARIE DURAND / AFP"] * 2,
                "byline": ["Par Jean Dupont et Claire Martin"],
                "share": ["Partager sur Facebook"],
                "subscribe": ["Nous utilisons des cookies pour améliorer votre expérience."],
                "related": ["À lire également:\n\n#Italie\n#Diplomatie européenne\n#Rome"],
                "hashtags": ["#Italie", "#Diplomatie européenne", "#Rome"],
            },
        ),
        (
            EN,
            "en",
            {
                "breadcrumb": ["Home > World > Europe"],
                "byline": ["By Jane Doe and John Roe, Reuters"],
                "update": ["Updated Nov. 2, 2023 9:10 AM"],
                "caption": ["Harbour cranes at dawn. Photo: Sam Green/AP"],
                "photo_credit": ["Photo: Sam Green/AP"],
                "share": ["Share on Facebook"],
                "subscribe": ["Subscribe to our newsletter"],
                "source": ["Source link"],
                "comments": [
                    "Leave a Reply\n\nYour email address will not be published. "
                    "Required fields are marked *\n\nRelated Articles\n\nBack to top button",
                    "Your email address will not be published. Required fields are marked *",
                ],
                "navigation": ["Back to top button"],
            },
        ),
        (
            RU,
            "ru",
            {
                "breadcrumb": ["Новости Мир Политика"],
                "duplicate": ["Министр обсудил с коллегой ситуацию в регионе"],
                "caption": [
                    "Министр иностранных дел на встрече в Берлине",
                    "Министр иностранных дел на встрече в Берлине. Фото: Иван Петров/ТАСС",
                ],
                "photo_credit": ["Фото: Иван Петров/ТАСС"],
                "byline": ["Автор: Анна Смирнова"],
                "related": ["Читайте также:\n\nМинистр посетит Париж"],
                "subscribe": ["Читайте нас в Telegram"],
                "share": ["Поделиться"],
                "comments": ["Комментарии"],
            },
        ),
        (
            DE,
            "de",
            {
                "breadcrumb": ["Startseite > Politik > Ausland"],
                "byline": ["Von Anna Schmidt"],
                "update": ["Aktualisiert am 02.11.2023, 09:10 Uhr"],
                "photo_credit": ["Foto: dpa/Max Muster"],
                "share": ["Teilen"],
                "subscribe": ["Wir verwenden Cookies, um Inhalte zu personalisieren."],
                "related": ["Lesen Sie auch:\nKanzler besucht Kiew"],
            },
        ),
        (
            ES,
            "es",
            {
                "breadcrumb": ["Internacional"],
                "byline": ["Por María López"],
                "update": ["Actualizado: 02/11/2023 09:10"],
                "photo_credit": ["Foto: EFE"],
                "share": ["Compartir"],
                "subscribe": ["Suscríbete a nuestro boletín"],
                "related": ["Te puede interesar: El Gobierno aprueba nuevos presupuestos\nComentarios"],
            },
        ),
        (
            UK,
            "uk",
            {
                "breadcrumb": ["Новини Світ Політика"],
                "byline": ["Автор: Олена Коваль"],
                "update": ["Оновлено: 2 листопада 2023 р., 09:10"],
                "caption": ["Учасники зустрічі. Фото: Іван Петренко"],
                "photo_credit": ["Фото: Іван Петренко"],
                # the links block runs on over the furniture lines after it, up to the end
                "related": [
                    "Читайте також:\nПосол провів брифінг\n\nЧитайте нас у Telegram\nПоділитися\nКоментарі"
                ],
                "subscribe": ["Читайте нас у Telegram"],
                "share": ["Поділитися"],
            },
        ),
    ],
)
def test_each_kind_of_furniture_is_marked(text, lang, expected):
    assert marked(text, find_boilerplate(text, lang)) == expected


@pytest.mark.parametrize(
    ("text", "lang", "sentences"),
    [
        (
            FR,
            "fr",
            [
                "Le ministre des Affaires étrangères a rencontré mercredi son homologue italien à Rome.",
                "Par ailleurs, les deux hommes ont évoqué la situation au Proche-Orient.",
            ],
        ),
        (
            EN,
            "en",
            [
                "The two ministers met on Wednesday and agreed on new rules for the port.",
                "By then, the talks had lasted four hours, officials said.",
                "Updated figures were not released.",
            ],
        ),
        (
            RU,
            "ru",
            [
                "Министр иностранных дел провел переговоры со своим немецким коллегой в Берлине.",
                "Стороны договорились продолжить консультации в декабре.",
            ],
        ),
        (
            DE,
            "de",
            [
                "Der Kanzler ist am Mittwoch zu Gesprächen nach Paris gereist.",
                "Von der Leyen begrüßte das Treffen.",
            ],
        ),
        (
            ES,
            "es",
            [
                "El presidente llegó el miércoles a Madrid para reunirse con el jefe del Gobierno.",
                "Por su parte, la oposición criticó la visita.",
            ],
        ),
        (UK, "uk", ["Міністр зустрівся зі своїм польським колегою у Варшаві."]),
    ],
)
def test_article_sentences_stay_in_the_body(text, lang, sentences):
    doc = clean(Document(doc_id=lang, text=text, lang=lang))
    for sentence in sentences:
        assert in_body(doc, sentence), sentence
        assert doc.in_body(doc.text.index(sentence), doc.text.index(sentence) + len(sentence))


@pytest.mark.parametrize(
    ("text", "lang"), [(FR, "fr"), (EN, "en"), (RU, "ru"), (DE, "de"), (ES, "es"), (UK, "uk")]
)
def test_the_body_is_the_text_minus_boilerplate(text, lang):
    doc = clean(Document(doc_id=lang, text=text, lang=lang))
    assert doc.text == text  # marked, never deleted
    for mark in doc.boilerplate:
        assert outside_body(doc, mark.start, mark.end)
    assert doc.title and in_body(doc, doc.title)
    for start, end in doc.body:
        assert text[start:end] == text[start:end].strip()


def test_body_spans_are_maximal_and_skip_furniture_only_pieces():
    text = "Intro line.\nMore text.\nShare\n* * *\nShare\n\nEnd of story.\n"
    first, second = text.index("Share"), text.rindex("Share")
    marks = [Boilerplate(first, first + 5, "share"), Boilerplate(second, second + 5, "share")]
    assert body_spans(text, marks) == [(0, text.index("\nShare")), (text.index("End"), len(text) - 1)]
    assert body_spans("  Just text.  ", []) == [(2, 12)]


def test_the_component_fills_title_date_and_body():
    doc = make_cleaner(Settings())(Document(doc_id="fr", text=FR, lang="fr"))
    assert doc.title == "Le ministre rencontre son homologue italien à Rome"
    assert doc.published == DateValue("2023-11-01T15:03", "minute", doc.published.evidence, "text")
    assert "dateline" in marked(FR, doc.boilerplate)
    assert not doc.errors


def test_metadata_date_wins_over_the_text():
    given = DateValue("2023-10-30", "day", None, "metadata")
    doc = clean(Document(doc_id="fr", text=FR, lang="fr", published=given))
    assert doc.published == given and doc.published.origin == "metadata"
    # the text's own dateline lost, and says why
    assert {r["reason"] for r in doc.published.rejected} == {"the caller's metadata wins"}


def test_an_inferred_date_is_replaced_by_the_text_header():
    guessed = DateValue("2023-10-30", "day", None, "inferred")
    doc = clean(Document(doc_id="fr", text=FR, lang="fr", published=guessed))
    assert doc.published is not None and doc.published.value == "2023-11-01T15:03"


def test_unknown_language_still_gets_neutral_and_english_rules():
    text = "Headline of the day\n\nSome text in a language we do not know.\n#One #Two\nShare on Facebook\n"
    found = marked(text, find_boilerplate(text, "xx-unknown"))
    assert found == {"hashtags": ["#One #Two"], "share": ["Share on Facebook"]}
    doc = clean(Document(doc_id="none", text=text, lang=None))
    assert doc.title == "Headline of the day" and doc.body


def test_body_is_set_even_when_a_step_fails(monkeypatch):
    def broken(text, boilerplate):
        raise RuntimeError("boom")

    monkeypatch.setattr(clean_module, "find_title", broken)
    doc = Document(doc_id="fr", text=FR, lang="fr")
    with pytest.raises(RuntimeError):
        clean(doc)
    assert doc.body and in_body(doc, "Par ailleurs, les deux hommes")


def test_empty_text():
    doc = clean(Document(doc_id="empty", text="", lang=None))
    assert (doc.body, doc.boilerplate, doc.title, doc.published) == ([], [], None, None)


def test_a_dateline_with_a_place_stays_in_the_body_but_is_no_title():
    text = "GENEVA 2023-11-01\n\nTalks on the port resumed on Wednesday in Geneva, diplomats said."
    doc = clean(Document(doc_id="en", text=text, lang="en"))
    assert doc.published is not None and doc.published.value == "2023-11-01"
    assert in_body(doc, "GENEVA") and doc.title is None


def test_a_paragraph_repeated_far_away_is_article_text_but_a_twin_line_is_not():
    lede = "The minister said the port would reopen next week after repairs."
    text = f"Port to reopen\n\n{lede}\n\nWorkers have repaired the quay.\n\n{lede}\n{lede}\n"
    doc = clean(Document(doc_id="en", text=text, lang="en"))
    duplicates = [b.start for b in doc.boilerplate if b.kind == "duplicate"]
    assert duplicates == [text.rindex(lede)]


def test_a_credit_cue_glued_to_a_paragraph_is_not_a_credit():
    text = (
        "Photo: Ann SmithIn light of the storm, the city has decided to postpone the annual festival, "
        "which was planned for the first weekend of the month."
    )
    assert find_boilerplate(text, "en") == []

"""Time expressions: recognition in each language and normalisation against the anchor (newsgraph.times)."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.ingest.metadata import parse_published
from newsgraph.model import DateValue, Document
from newsgraph.pipeline.components import factories
from newsgraph.times import find_times, governing_time, resolve_expression

WEDNESDAY = "2023-11-01"  # a Wednesday


def anchor(value: str) -> DateValue:
    published = parse_published(value)
    assert published is not None
    return published


def document(text: str, lang: str, published: str | None = WEDNESDAY) -> Document:
    return Document(
        doc_id="t",
        text=text,
        lang=lang,
        published=anchor(published) if published else None,
        body=[(0, len(text))],
    )


def found(text: str, lang: str, published: str | None = WEDNESDAY) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_times(document(text, lang, published))]


# ---------------------------------------------------------------------------------------- weekdays
@pytest.mark.parametrize(
    ("lang", "text", "expression", "value"),
    [
        ("fr", "Le ministre a parlé mercredi avec son homologue.", "mercredi", "2023-11-01"),
        ("fr", "Les discussions ont repris mardi soir.", "mardi soir", "2023-10-31"),
        ("fr", "Il a démissionné vendredi dernier.", "vendredi dernier", "2023-10-27"),
        ("fr", "Le vote aura lieu vendredi prochain.", "vendredi prochain", "2023-11-03"),
        ("en", "The minister spoke on Tuesday with his counterpart.", "Tuesday", "2023-10-31"),
        ("en", "The delegation will travel to Cairo on Friday.", "Friday", "2023-11-03"),
        ("en", "Talks resumed last Thursday evening.", "last Thursday evening", "2023-10-26"),
        ("ru", "Министр в среду провёл переговоры.", "среду", "2023-11-01"),
        ("ru", "Встреча прошла в понедельник вечером.", "понедельник вечером", "2023-10-30"),
        ("uk", "Міністр у п'ятницю провів переговори.", "п'ятницю", "2023-10-27"),
        ("de", "Der Minister sprach am Dienstag mit Journalisten.", "Dienstag", "2023-10-31"),
        ("pl", "Minister w środę spotkał się z prezydentem.", "środę", "2023-11-01"),
        ("es", "El ministro habló el lunes con la prensa.", "lunes", "2023-10-30"),
        ("it", "Il ministro ha parlato martedì con la stampa.", "martedì", "2023-10-31"),
    ],
)
def test_weekdays_point_to_the_latest_such_day_unless_the_future_is_cued(
    lang: str, text: str, expression: str, value: str
) -> None:
    assert found(text, lang) == [(expression, value)]


@pytest.mark.parametrize(
    ("lang", "text", "expression", "value"),
    [
        # a cue right after the weekday, in its clause (German verb second, Spanish "va a")
        ("de", "Am Freitag wird der Kanzler Paris besuchen.", "Freitag", "2023-11-03"),
        ("es", "El viernes va a viajar a Roma.", "viernes", "2023-11-03"),
        # a cue in another clause, before a comma, says nothing of the weekday
        ("de", "Scholz, der nach Paris reisen wird, traf Macron am Dienstag.", "Dienstag", "2023-10-31"),
        (
            "pl",
            "Tusk, który będzie w Berlinie, spotkał się w poniedziałek z Macronem.",
            "poniedziałek",
            "2023-10-30",
        ),
    ],
)
def test_a_future_cue_counts_in_the_weekdays_own_clause_only(
    lang: str, text: str, expression: str, value: str
) -> None:
    assert found(text, lang) == [(expression, value)]


# ---------------------------------------------------------------------------------------- relative phrases
@pytest.mark.parametrize(
    ("lang", "text", "published", "expression", "value"),
    [
        ("fr", "L'accord a été signé le 28 décembre.", "2024-01-02", "le 28 décembre", "2023-12-28"),
        ("ru", "Об этом вчера сообщил министр.", "2024-03-01", "вчера", "2024-02-29"),
        ("en", "The rebels attacked yesterday.", "2024-01-01", "yesterday", "2023-12-31"),
        ("fr", "Le sommet se tiendra demain.", "2023-12-31", "demain", "2024-01-01"),
        ("fr", "La croissance a ralenti l'an dernier.", "2024-01-02", "l'an dernier", "2023"),
        ("fr", "Le texte a été adopté la semaine dernière.", "2023-11-15", "la semaine dernière", "2023-11"),
        ("en", "Prices rose last month.", "2024-01-15", "last month", "2023-12"),
        ("ru", "Закон приняли в прошлом году.", "2024-01-10", "прошлом году", "2023"),
        ("de", "Das Gesetz wurde letzte Woche verabschiedet.", "2023-11-15", "letzte Woche", "2023-11"),
        ("es", "La ley se aprobó la semana pasada.", "2023-11-15", "la semana pasada", "2023-11"),
        ("it", "La legge è stata approvata l'anno scorso.", "2023-11-15", "l'anno scorso", "2022"),
        ("pl", "Ustawę przyjęto w zeszłym roku.", "2023-11-15", "zeszłym roku", "2022"),
        ("uk", "Закон ухвалили минулого тижня.", "2023-11-15", "минулого тижня", "2023-11"),
        ("en", "The company was founded two years ago.", "2023-11-15", "two years ago", "2021"),
        ("fr", "Il est arrivé il y a trois jours.", "2023-11-15", "il y a trois jours", "2023-11-12"),
        ("ru", "Он вернётся через неделю.", "2023-11-15", "через неделю", "2023-11-22"),
    ],
)
def test_relative_phrases_cross_month_and_year_boundaries(
    lang: str, text: str, published: str, expression: str, value: str
) -> None:
    assert found(text, lang, published) == [(expression, value)]


# ---------------------------------------------------------------------------------------- explicit dates
@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("fr", "Publié le 1/11/2023 à Paris.", "2023-11-01"),
        ("en", "Posted 11/1/2023 in Boston.", "2023-11-01"),
        ("de", "Stand: 01.11.2023, Berlin.", "2023-11-01"),
        ("de", "Die Wahl findet am 1.11. statt.", "2023-11-01"),
        ("xx", "Report dated 2023-11-01 from the field.", "2023-11-01"),
        ("en", "The ceasefire began on October 7, 2023.", "2023-10-07"),
        ("en", "The ceasefire began on 7 October 2023.", "2023-10-07"),
        ("fr", "La trêve a commencé le 7 octobre 2023.", "2023-10-07"),
        ("ru", "Перемирие началось 7 октября 2023 года.", "2023-10-07"),
        ("uk", "Перемир'я почалося 7 жовтня 2023 року.", "2023-10-07"),
        ("pl", "Rozejm zaczął się 7 października 2023 r.", "2023-10-07"),
        ("es", "La tregua comenzó el 7 de octubre de 2023.", "2023-10-07"),
        ("it", "La tregua è iniziata il 7 ottobre 2023.", "2023-10-07"),
        ("de", "Die Waffenruhe begann am 7. Oktober 2023.", "2023-10-07"),
    ],
)
def test_explicit_dates_follow_each_locales_order(lang: str, text: str, value: str) -> None:
    assert [v for _, v in found(text, lang)] == [value]


# ---------------------------------------------------------------------------------------- partial dates
@pytest.mark.parametrize(
    ("lang", "text", "expression", "value", "precision"),
    [
        ("fr", "L'attaque du 7 octobre a choqué le pays.", "7 octobre", "2023-10-07", "day"),
        (
            "fr",
            "Depuis le 7 octobre dernier, les combats durent.",
            "le 7 octobre dernier",
            "2023-10-07",
            "day",
        ),
        ("fr", "Les élections auront lieu début novembre.", "début novembre", "2023-11", "month"),
        ("fr", "La croissance reprendra mi-2024.", "mi-2024", "2024", "year"),
        ("fr", "Il est parti en 2021.", "2021", "2021", "year"),
        ("en", "The war broke out in early October.", "early October", "2023-10", "month"),
        ("en", "The plant closed in 2021.", "2021", "2021", "year"),
        ("ru", "Бои начались в начале октября.", "начале октября", "2023-10", "month"),
        ("ru", "Он уехал в 2021 году.", "2021 году", "2021", "year"),
        ("de", "Die Kämpfe begannen Anfang Oktober.", "Anfang Oktober", "2023-10", "month"),
        (
            "es",
            "Los combates empezaron a principios de octubre.",
            "principios de octubre",
            "2023-10",
            "month",
        ),
        ("fr", "Le chantier a commencé en octobre 98.", "octobre 98", "1998-10", "month"),
    ],
)
def test_partial_dates_take_the_nearest_year_and_their_own_precision(
    lang: str, text: str, expression: str, value: str, precision: str
) -> None:
    [time] = find_times(document(text, lang))
    assert (time.text, time.value, time.precision) == (expression, value, precision)


def test_a_month_without_year_is_the_nearest_past_one_unless_the_future_is_cued() -> None:
    assert found("Prices fell in December.", "en", "2024-02-10") == [("December", "2023-12")]
    assert found("Le chantier sera achevé en mars.", "fr", "2024-02-10") == [("mars", "2024-03")]


# ---------------------------------------------------------------------------------------- compounds
@pytest.mark.parametrize(
    ("lang", "text", "published", "expression", "value"),
    [
        (
            "fr",
            "Le président a annoncé aujourd'hui, mardi, sa démission.",
            "2023-10-31",
            "aujourd'hui, mardi",
            "2023-10-31",
        ),
        ("en", "Today, Tuesday, the council met again.", "2023-10-31", "Today, Tuesday", "2023-10-31"),
        ("ru", "Об этом вчера, 2 ноября, сообщил министр.", "2023-11-03", "вчера, 2 ноября", "2023-11-02"),
        (
            "en",
            "The hostages were freed at 10 p.m. Wednesday, police said.",
            "2023-11-03",
            "10 p.m. Wednesday",
            "2023-11-01T22:00",
        ),
        ("en", "The shop was robbed late yesterday.", "2023-11-03", "late yesterday", "2023-11-02"),
        (
            "fr",
            "Le conseil s'est réuni mardi, aujourd'hui.",
            "2023-10-31",
            "mardi, aujourd'hui",
            "2023-10-31",
        ),
        # scraped text that lost the space after a byline
        ("fr", "Par Jean DupontHier, lundi, le conseil a voté.", "2023-10-31", "Hier, lundi", "2023-10-30"),
    ],
)
def test_a_compound_phrase_is_one_expression_valued_by_its_most_specific_part(
    lang: str, text: str, published: str, expression: str, value: str
) -> None:
    assert found(text, lang, published) == [(expression, value)]


def test_a_clock_time_takes_the_day_named_before_it_in_its_paragraph() -> None:
    text = "Les obsèques seront célébrées samedi 4 novembre, à 14 h 30, en l'église du village."
    assert found(text, "fr") == [("samedi 4 novembre", "2023-11-04"), ("14 h 30", "2023-11-04T14:30")]
    text = "Le mur est tombé le 9 novembre 1989.\n\nLa séance reprend à 15 h."
    assert found(text, "fr") == [("le 9 novembre 1989", "1989-11-09"), ("15 h", "2023-11-01T15:00")]


def test_a_clock_time_is_not_a_duration() -> None:
    text = "A las 15.30 horas habrá rueda de prensa, tras 15 horas de combates."
    assert [(t.text, t.value, t.kind) for t in find_times(document(text, "es"))] == [
        ("15.30 horas", "2023-11-01T15:30", "time"),
        ("15 horas", "PT15H", "duration"),
    ]


# ---------------------------------------------------------------------------------------- negatives
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Le Conseil a rappelé la résolution 1701 et la résolution 2334."),
        ("fr", "Plus de 8 525 Palestiniens ont été tués, selon le ministère."),
        ("fr", "Un Boeing 737 a dû atterrir d'urgence."),
        ("fr", "Appelez le 01 23 45 67 89 ou le 06.12.03.45.67 pour réserver."),
        ("fr", "Entre 1500 et 2000 manifestants ont défilé."),
        ("fr", "Le budget atteint 2000 euros par habitant."),
        ("fr", "Un chauffeur de bus de 38 ans a été agressé."),
        ("ru", "Пострадали 1,2 миллиона человек, ущерб составил 14,3 млрд рублей."),
        ("en", "The final score was 3-1 after a 2:1 lead; the fee was $2000."),
        ("en", "Growth was 2.1. Exports rose by 1,2023 units to 2,023 tonnes."),
        ("en", "Officials said they may resume talks, and protesters may march."),
        ("en", "Mr. Reupke, 52 years old, will succeed him."),
        ("en", "Former prime minister Theresa May spoke in London."),
        ("fr", "Le chanteur Bruno Mars était en concert."),
        ("pl", "Maja Kowalska wygrała wybory."),
        ("pl", "Jan Nowak, 34 lata, mieszka w Krakowie."),
        ("de", "Morgens trinkt er Kaffee."),
    ],
)
def test_numbers_that_only_look_like_dates_are_not_times(lang: str, text: str) -> None:
    assert found(text, lang) == []


# ---------------------------------------------------------------------------------------- values
@pytest.mark.parametrize(
    ("text", "lang", "value", "precision"),
    [
        ("2023", "fr", "2023", "year"),
        ("novembre 2023", "fr", "2023-11", "month"),
        ("hier", "fr", "2023-10-31", "day"),
        ("15 h 30", "fr", "2023-11-01T15:30", "minute"),
        ("3:03 p.m.", "en", "2023-11-01T15:03", "minute"),
        ("2023-11-01T15:03", "xx", "2023-11-01T15:03", "minute"),
        ("hier soir", "fr", "2023-10-31", "day"),
        (
            "cette semaine",
            "fr",
            "2023",
            "year",
        ),  # Monday 30 October to Sunday 5 November: only the year is sure
        ("this summer", "en", "2023", "year"),
        ("the third quarter", "en", "2023", "year"),  # July to September
    ],
)
def test_values_are_cut_to_their_precision(text: str, lang: str, value: str, precision: str) -> None:
    assert resolve_expression(text, lang, anchor(WEDNESDAY)) == (value, precision)


def test_without_anchor_only_absolute_expressions_have_a_value() -> None:
    assert found("Hier il pleuvait, comme le 7 octobre 2023.", "fr", None) == [
        ("Hier", None),
        ("le 7 octobre 2023", "2023-10-07"),
    ]
    assert resolve_expression("hier", "fr", None) == (None, None)


def test_an_anchor_known_to_the_month_gives_years_but_not_days() -> None:
    month_only = anchor("2023-11")
    assert resolve_expression("l'an dernier", "fr", month_only) == ("2022", "year")
    assert resolve_expression("hier", "fr", month_only) == (None, None)


def test_durations_are_their_own_kind() -> None:
    doc = document("Le conflit dure depuis trois ans. Переговоры длились два дня.", "fr")
    [years] = find_times(doc)
    assert (years.text, years.value, years.kind) == ("trois ans", "P3Y", "duration")
    assert resolve_expression("два дня", "ru", None) == ("P2D", None)


def test_an_unknown_language_still_reads_numeric_dates() -> None:
    assert found("Dato 01.11.2023 i Oslo.", "nb") == [("01.11.2023", "2023-11-01")]


# ---------------------------------------------------------------------------------------- component, API
def test_the_component_finds_times_in_the_body_only() -> None:
    text = "Partager sur Facebook 12/10/2023\n\nLe ministre est arrivé hier à Gaza."
    doc = document(text, "fr")
    doc.body = [(text.index("Le ministre"), len(text))]
    doc = factories()["times"](Settings())(doc)  # the registered stage
    assert [(text[t.start : t.end], t.value) for t in doc.times] == [("hier", "2023-10-31")]


def test_governing_time_is_the_nearest_dated_expression_of_the_sentence() -> None:
    text = "Depuis 2021, la ville a changé. Mardi, le ministre a rencontré le maire pendant trois heures."
    doc = document(text, "fr")
    doc.sentences = [(0, text.index(" Mardi")), (text.index("Mardi"), len(text))]
    doc.times = find_times(doc)
    meeting = (text.index("rencontré"), text.index("rencontré") + len("rencontré"))
    change = (text.index("changé"), text.index("changé") + len("changé"))
    governing = [governing_time(doc, span) for span in (meeting, change)]
    assert [(t.text, t.value) if t else None for t in governing] == [
        ("Mardi", "2023-10-31"),
        ("2021", "2021"),
    ]
    assert governing_time(document("Rien ici.", "fr"), (0, 4)) is None

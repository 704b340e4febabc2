"""Which date an event takes (`newsgraph.events.when`), in many languages, from sentences written for
these tests: its own time expression, never a bound, an anniversary or another noun's date; else the
publication date, inferred; a bare weekday of a reported contact is the last such day on or before
publication."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.events.when import event_date
from newsgraph.language.sentences import split_sentences
from newsgraph.language.syntax import analyse
from newsgraph.model import DateValue, Document
from newsgraph.times import find_times

SETTINGS = Settings()


def date_of(
    text: str,
    lang: str,
    trigger: str,
    published: str,
    others: tuple[str, ...] = (),
    context: tuple[str, ...] = (),
) -> tuple[str | None, str] | None:
    """(value, origin) of the date the event at the word `trigger` takes; `others` are further triggers."""
    doc = Document("t", text, lang=lang, published=DateValue(published, "day", None, "metadata"))
    doc.sentences = split_sentences(text, [(0, len(text))], lang)
    doc.times = find_times(doc)
    analysis = analyse(doc, SETTINGS)
    at = text.index(trigger)
    token = analysis.token_at(at)
    assert token is not None
    heads = frozenset(
        t.i for t in (analysis.token_at(text.index(word)) for word in (trigger, *others)) if t is not None
    )
    found = event_date(doc, analysis, token, (at, at + len(trigger)), heads, context)
    return (found.value, found.origin) if found else None


# ------------------------------------------------------------------------------ own dates
@pytest.mark.parametrize(
    ("lang", "text", "trigger", "published", "day"),
    [
        ("en", "Blinken met Netanyahu in Tel Aviv on Friday.", "met", "2023-11-04", "2023-11-03"),
        ("fr", "Macron a reçu Scholz jeudi à l'Élysée.", "reçu", "2024-03-16", "2024-03-14"),
        ("ru", "Лавров встретился с Ван И 3 марта в Пекине.", "встретился", "2024-03-05", "2024-03-03"),
        (
            "de",
            "Am vergangenen Montag traf Scholz den polnischen Regierungschef.",
            "traf",
            "2024-03-08",
            "2024-03-04",
        ),
        ("es", "Sánchez se reunió el martes con el canciller alemán.", "reunió", "2024-03-08", "2024-03-05"),
        (
            "it",
            "Mercoledì Tajani ha incontrato il ministro turco a Roma.",
            "incontrato",
            "2024-03-08",
            "2024-03-06",
        ),
        (
            "pl",
            "W środę premier spotkał się z kanclerzem w Warszawie.",
            "spotkał",
            "2025-05-09",
            "2025-05-07",
        ),
        ("uk", "У понеділок міністр зустрівся з польським колегою.", "зустрівся", "2024-03-08", "2024-03-04"),
        (
            "tr",
            "Dışişleri Bakanı Çarşamba günü Rus heyetiyle görüştü.",
            "görüştü",
            "2025-05-16",
            "2025-05-14",
        ),
        ("ar", "أجرى الوزير مساء الثلاثاء اتصالا هاتفيا مع نظيره.", "اتصالا", "2026-02-04", "2026-02-03"),
        ("be", "Учора дэлегацыі сустрэліся ў Стамбуле.", "сустрэліся", "2025-06-03", "2025-06-02"),
    ],
)
def test_an_event_takes_its_own_time_expression(
    lang: str, text: str, trigger: str, published: str, day: str
) -> None:
    assert date_of(text, lang, trigger, published) == (day, "text")


# ------------------------------------------------------------------------------ never another thing's date
@pytest.mark.parametrize(
    ("lang", "text", "trigger", "published"),
    [
        # a date that modifies another noun
        ("en", "Blinken visited Israel again, a month after the October 7 attack.", "visited", "2023-11-03"),
        (
            "ru",
            "Новый визит министра в Израиль пришёлся на месяц после атаки 7 октября.",
            "визит",
            "2023-11-03",
        ),
        ("it", "Il ministro ha visitato Israele dopo l'attacco del 7 ottobre.", "visitato", "2023-11-03"),
        ("es", "El ministro visitó Kiev tras la invasión del 24 de febrero de 2022.", "visitó", "2023-05-10"),
        # a bound: since, after
        ("en", "It is his third trip to the region since 7 October.", "trip", "2023-11-03"),
        ("fr", "C'est sa troisième visite en Israël depuis le 7 octobre.", "visite", "2023-11-03"),
        ("de", "Es ist sein dritter Besuch in Kiew seit dem 24. Februar 2022.", "Besuch", "2023-05-10"),
        ("pl", "To jego trzecia wizyta w Kijowie od 24 lutego 2022 roku.", "wizyta", "2023-05-10"),
        ("uk", "Це його третій візит до Києва з 24 лютого 2022 року.", "візит", "2023-05-10"),
        ("tr", "Bakan 7 Ekim'den beri bölgeye üçüncü kez ziyaret yaptı.", "ziyaret", "2023-11-03"),
        ("ar", "هذه هي الزيارة الثالثة للوزير منذ 7 أكتوبر.", "الزيارة", "2023-11-03"),
        # an anniversary
        ("de", "Zum Jahrestag des 24. Februar besuchte der Kanzler Kiew.", "besuchte", "2023-05-10"),
        ("ru", "В годовщину 9 мая министр посетил Минск.", "посетил", "2023-05-12"),
    ],
)
def test_a_date_the_sentence_gives_something_else_is_not_the_events(
    lang: str, text: str, trigger: str, published: str
) -> None:
    assert date_of(text, lang, trigger, published) == (published, "inferred")


def test_the_meeting_of_a_date_is_its_own_date_and_a_time_word_is_no_other_noun() -> None:
    """A genitive date right after the trigger is the trigger's own ("la reunión del 3 de marzo"), and
    after a part of the day too ("la noche del 3 de marzo")."""
    assert date_of("La reunión del 3 de marzo terminó sin acuerdo.", "es", "reunión", "2024-03-08") == (
        "2024-03-03",
        "text",
    )
    text = "Los ministros se reunieron en la noche del 3 de marzo en Ginebra."
    assert date_of(text, "es", "reunieron", "2024-03-08") == ("2024-03-03", "text")


@pytest.mark.parametrize(
    ("lang", "text", "trigger", "day"),
    [
        ("de", "Scholz traf Macron, der am Montag aus Washington zurückgekehrt war.", "traf", "2024-03-13"),
        (
            "es",
            "El martes, Sánchez se reunió con Macron, que viajará el viernes a Roma.",
            "reunió",
            "2024-03-12",
        ),
        ("pl", "Tusk spotkał się z Macronem, który w poniedziałek był w Berlinie.", "spotkał", "2024-03-13"),
    ],
)
def test_without_a_parse_a_date_across_a_clause_mark_is_not_the_events(
    lang: str, text: str, trigger: str, day: str
) -> None:
    """A date in a relative clause is not the event's; one heading the sentence before a comma is."""
    origin = "inferred" if day == "2024-03-13" else "text"
    assert date_of(text, lang, trigger, "2024-03-13") == (day, origin)


def test_a_date_heading_the_clause_is_shared_by_an_event_inside_it() -> None:
    """With a parse, "on Monday" of the main verb dates the meeting of its purpose clause too."""
    text = "On Monday, Blinken flew to Israel to meet Netanyahu."
    assert date_of(text, "en", "meet", "2023-11-08", others=("flew",)) == ("2023-11-06", "text")


def test_a_date_inside_another_triggers_clause_is_not_shared() -> None:
    text = "Blinken met Netanyahu, who had spoken with Biden on Monday."
    assert date_of(text, "en", "met", "2023-11-08", others=("spoken",)) == ("2023-11-08", "inferred")


# ------------------------------------------------------------------ weekdays and the publication date
def test_a_reported_contact_on_a_weekday_is_the_last_such_day_before_publication() -> None:
    """A future word in another clause ("who will host") must not push the weekday of a past meeting
    into the coming week."""
    text = "Macron, who will host the summit, met Scholz on Friday."
    assert date_of(text, "en", "met", "2024-03-13", others=("host",)) == ("2024-03-08", "text")


def test_a_planned_meeting_keeps_its_intended_day() -> None:
    text = "Scholz will meet Macron on Friday in Berlin."
    assert date_of(text, "en", "meet", "2024-03-13", context=("future",)) == ("2024-03-15", "text")


def test_without_a_date_of_its_own_the_event_takes_the_publication_day_inferred() -> None:
    assert date_of("Le ministre a rencontré son homologue.", "fr", "rencontré", "2024-03-13") == (
        "2024-03-13",
        "inferred",
    )


# ------------------------------------------------------------------ a reporting day and the event's own day
@pytest.mark.parametrize(
    ("lang", "text", "trigger", "day"),
    [
        # "The minister said on Wednesday that talks with Oman are scheduled for next Friday."
        (
            "ar",
            "قال الوزير، الأربعاء، إن محادثات مع عمان من المقرر أن تعقد يوم الجمعة المقبل.",
            "محادثات",
            "2026-02-06",
        ),
        (
            "it",
            "Il ministro ha detto, mercoledì, che i colloqui con l'Oman sono previsti venerdì prossimo.",
            "colloqui",
            "2026-02-06",
        ),
    ],
)
def test_a_planned_noun_takes_the_day_of_its_own_clause_not_the_reporting_day(
    lang: str, text: str, trigger: str, day: str
) -> None:
    """The day set off by commas dates the statement; the day in the talks' own clause (no comma between,
    Arabic-script "،" included) is when the talks are to be held, and "next" makes it the coming one."""
    assert date_of(text, lang, trigger, "2026-02-04", context=("future",)) == (day, "text")

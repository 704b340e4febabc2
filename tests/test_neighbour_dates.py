"""A contact reported without a date of its own takes the time of a nearby sentence that tells the same
contact again ("… The meeting took place on Monday"), never that of another contact, of an
announcement or of another kind of act; in an undated article the borrowed weekday picks, among the
meetings of the pair, the one read to that weekday; words that move with the publication date
("today", "вчера") pick none. Texts written for these tests (en, de, fr, ru, es, pl, ar, be)."""

from __future__ import annotations

import pytest

from newsgraph.entities import names
from newsgraph.entities.kb import KnowledgeBase
from newsgraph.events.cluster import DATE_FROM_CLUSTER, cluster_events, names_a_day
from newsgraph.events.neighbour_time import DATE_FROM_NEIGHBOUR
from newsgraph.model import DateValue, Document
from test_event_timelines import consult, report

RETOLD = [
    (
        "en",
        "Lavrov met Wang Yi in Beijing. The two ministers spoke about trade. "
        "The meeting took place on Monday.",
        "Monday",
    ),
    (
        "de",
        "Lavrov traf Wang Yi in Peking. Beide Minister sprachen über den Handel. "
        "Das Treffen fand am Montag statt.",
        "Montag",
    ),
    (
        "fr",
        "Lavrov a rencontré Wang Yi à Pékin. Les deux ministres ont parlé du commerce. "
        "La rencontre a eu lieu lundi.",
        "lundi",
    ),
    ("ru", "Лавров встретился с Ван И в Пекине. Встреча прошла в понедельник.", "понедельник"),
    ("es", "Lavrov se reunió con Wang Yi en Pekín. La reunión se celebró el lunes.", "lunes"),
]


@pytest.mark.parametrize(("lang", "text", "word"), RETOLD)
def test_a_contact_takes_the_day_of_the_sentence_that_retells_it(lang: str, text: str, word: str) -> None:
    doc = report(lang, text, lang, times={word: "2024-03-04"}, published="2024-03-08")
    first = next(e for e in doc.events if e.type == "CONSULT" and e.source and e.target)
    assert first.date is not None and first.date.value == "2024-03-04"
    assert first.date.evidence == (text.index(word), text.index(word) + len(word))
    assert DATE_FROM_NEIGHBOUR in first.context


@pytest.mark.parametrize(
    ("lang", "text", "word"),
    [
        ("en", "Lavrov met Wang Yi in Beijing. Lavrov met Erdogan on Tuesday.", "Tuesday"),
        ("fr", "Lavrov a rencontré Wang Yi à Pékin. Lavrov a rencontré Erdogan mardi.", "mardi"),
        ("de", "Lavrov traf Wang Yi in Peking. Am Dienstag traf Lavrov Erdogan.", "Dienstag"),
        ("ru", "Лавров встретился с Ван И в Пекине. Во вторник Путин встретился с Лавров.", "вторник"),
    ],
)
def test_the_day_of_another_contact_is_not_borrowed(lang: str, text: str, word: str) -> None:
    doc = report(lang, text, lang, times={word: "2024-03-05"}, published="2024-03-08")
    first = next(e for e in doc.events if e.type == "CONSULT" and "E:wang" in e.source + e.target)
    assert first.date is not None and first.date.value == "2024-03-08" and first.date.origin == "inferred"
    assert DATE_FROM_NEIGHBOUR not in first.context


@pytest.mark.parametrize(
    ("lang", "text", "word"),
    [
        ("en", "Lavrov met Wang Yi in Beijing. The ministers will meet again on Friday.", "Friday"),
        (
            "fr",
            "Lavrov a rencontré Wang Yi à Pékin. Les ministres se rencontreront de nouveau vendredi.",
            "vendredi",
        ),
        (
            "de",
            "Lavrov traf Wang Yi in Peking. Die Minister werden sich am Freitag erneut treffen.",
            "Freitag",
        ),
        (
            "es",
            "Lavrov se reunió con Wang Yi en Pekín. Los ministros se reunirán de nuevo el viernes.",
            "viernes",
        ),
    ],
)
def test_the_day_of_an_announced_meeting_is_not_borrowed(lang: str, text: str, word: str) -> None:
    doc = report(lang, text, lang, times={word: "2024-03-15"}, published="2024-03-08")
    first = next(e for e in doc.events if e.type == "CONSULT" and e.source and e.target)
    assert first.date is not None and first.date.value == "2024-03-08"
    assert DATE_FROM_NEIGHBOUR not in first.context


def test_an_agreement_does_not_take_the_date_of_an_earlier_one() -> None:
    """Acts other than contacts recur: "already in March they had agreed" is about another agreement."""
    text = (
        "Lavrov und Wang Yi vereinbarten neue Regeln. "
        "Bereits im März hatten beide Seiten vereinbart, zu reden."
    )
    doc = report("de", text, "de", times={"März": "2024-03"}, published="2024-05-08")
    agreements = [e for e in doc.events if e.type == "AGREE" and e.sentence and e.sentence[0] == 0]
    assert agreements and all(DATE_FROM_NEIGHBOUR not in e.context for e in agreements)


@pytest.mark.parametrize(
    ("lang", "text", "word"),
    [
        (
            "de",
            "Lavrov und Wang Yi haben bei ihren Gesprächen in Peking neue Regeln vereinbart. "
            "Am Mittwoch waren die Minister zu Gesprächen zusammengekommen.",
            "Mittwoch",
        ),
        (
            "fr",
            "Lavrov a rencontré Wang Yi à Pékin. Les ministres avaient parlé du commerce. "
            "La rencontre a eu lieu mercredi.",
            "mercredi",
        ),
        ("ru", "Лавров встретился с Ван И в Пекине. Встреча прошла в среду.", "среду"),
        ("es", "Lavrov se reunió con Wang Yi en Pekín. La reunión se celebró el miércoles.", "miércoles"),
    ],
)
def test_an_undated_article_joins_the_meeting_read_to_the_weekday_of_its_retelling(
    lang: str, text: str, word: str
) -> None:
    """Undated: the borrowed weekday keeps no value but its words; among a meeting read to a Wednesday
    and one known only to its month, the first is the one it reports."""
    wednesday = report(
        "en", "Lavrov met Wang Yi in Beijing on Wednesday.", "en", times={"Wednesday": "2024-03-13"}
    )
    month = report("pl", "Lavrov spotkał się z Wang Yi w Pekinie.", "pl")
    month.published = DateValue("2024-04", "month", None, "url")
    month.events[0].date = DateValue("2024-04", "month", None, "inferred")
    undated = report(f"{lang}-undated", text, lang, read_times=True)
    event = consult(undated)
    assert event.date is not None and event.date.value is None and event.date.evidence is not None
    assert undated.text[event.date.evidence[0] : event.date.evidence[1]] == word
    cluster_events([wednesday, month, undated])
    assert event.cluster == consult(wednesday).cluster != consult(month).cluster
    assert event.date == DateValue("2024-03-13", "day", None, "inferred")
    assert DATE_FROM_CLUSTER in event.context


@pytest.mark.parametrize(
    ("lang", "words", "calendar"),
    [
        ("de", "Mittwoch", True),
        ("fr", "mercredi", True),
        ("ru", "3 марта", True),
        ("ar", "السبت", True),
        ("en", "today", False),
        ("de", "gestern", False),
        ("ru", "вчера", False),
        ("ar", "صباح اليوم", False),
    ],
)
def test_words_that_move_with_the_publication_date_name_no_day(lang: str, words: str, calendar: bool) -> None:
    assert names_a_day(Document("d", words, lang=lang), (0, len(words))) is calendar


def test_today_in_an_undated_article_picks_no_meeting() -> None:
    """ "Сегодня" in an undated article fits every meeting of the pair as well as none: it joins none."""
    monday = report("en", "Lavrov met Wang Yi in Beijing on Monday.", "en", times={"Monday": "2024-03-04"})
    inferred = report("fr", "Lavrov a rencontré Wang Yi à Pékin.", "fr", published="2024-04-19")
    today = report("ru-undated", "Лавров встретился с Ван И сегодня в Пекине.", "ru", read_times=True)
    cluster_events([monday, inferred, today])
    assert consult(today).cluster not in {consult(monday).cluster, consult(inferred).cluster}


@pytest.mark.parametrize(
    ("form", "nominative"),
    [
        ("Расеі", "Расея"),
        ("Расіі", "Расія"),
        ("Францыі", "Францыя"),
        ("Германіяй", "Германія"),
        ("Турцыю", "Турцыя"),
    ],
)
def test_belarusian_case_endings_give_the_nominative(form: str, nominative: str) -> None:
    assert names.strip_inflection(form, "be") == nominative


@pytest.mark.parametrize(
    ("form", "entity"),
    [("Расеі", "E:russia"), ("Расіі", "E:russia"), ("Францыі", "E:france"), ("Польшчы", "E:poland")],
)
def test_an_inflected_belarusian_country_name_is_the_country_not_a_foreign_city(
    form: str, entity: str
) -> None:
    [best, *_] = KnowledgeBase.default().candidates(form, "be")
    assert best.entity.id == entity


@pytest.mark.parametrize(
    ("lang", "text", "word"),
    [
        ("en", "Blinken met Gallant in Tel Aviv. Blinken arrived in Israel on Monday evening.", "Monday"),
        ("fr", "Blinken a rencontré Gallant à Tel Aviv. Blinken est arrivé en Israël lundi soir.", "lundi"),
        ("de", "Blinken traf Gallant in Tel Aviv. Blinken war am Montag in Israel eingetroffen.", "Montag"),
        ("es", "Blinken se reunió con Gallant en Tel Aviv. Blinken visitó Israel el lunes.", "lunes"),
    ],
)
def test_a_report_of_one_side_only_tells_another_act(lang: str, text: str, word: str) -> None:
    """ "Blinken arrived on Monday" is his trip, not his meeting with Gallant: its day is not lent."""
    doc = report(lang, text, lang, times={word: "2024-01-08"}, published="2024-01-09")
    meeting = next(e for e in doc.events if e.type == "CONSULT" and "E:gallant" in e.source + e.target)
    trip = [e for e in doc.events if e.type == "CONSULT" and e.sentence != meeting.sentence]
    assert trip and trip[0].source + trip[0].target == ["E:blinken"]  # one side only
    assert meeting.date is not None and meeting.date.value == "2024-01-09"
    assert DATE_FROM_NEIGHBOUR not in meeting.context


@pytest.mark.parametrize(
    ("lang", "text", "word", "value"),
    [
        ("en", "Lavrov met Wang Yi in Beijing. Their first meeting took place in 2019.", "2019", "2019"),
        (
            "it",
            "Lavrov ha incontrato Wang Yi a Pechino. Il loro primo incontro si è svolto nel 2019.",
            "2019",
            "2019",
        ),
        (
            "fr",
            "Lavrov a rencontré Wang Yi à Pékin. Leur première rencontre a eu lieu en 2019.",
            "2019",
            "2019",
        ),
        ("de", "Lavrov traf Wang Yi in Peking. Ihr erstes Treffen fand im März statt.", "März", "2024-03"),
    ],
)
def test_a_year_or_a_month_is_not_lent(lang: str, text: str, word: str, value: str) -> None:
    """Only a day dates a retelling: "their first meeting took place in 2019" is another meeting."""
    doc = report(lang, text, lang, read_times=True, published="2024-03-08")
    assert any(t.text == word and t.value == value for t in doc.times)
    first = next(e for e in doc.events if e.type == "CONSULT" and e.source and e.target)
    assert first.date is not None and first.date.value == "2024-03-08"
    assert DATE_FROM_NEIGHBOUR not in first.context

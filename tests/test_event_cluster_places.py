"""Which cluster an undated report may join, and where: places compare by what contains what (a city
lies in its country; a region contradicts no city or country), and an undated report joins the one
dated event it fits even when reports that could not tell their own day stand apart. Reports written
for these tests (it, fr, ar, de, tr, pl, es, en)."""

from __future__ import annotations

from newsgraph.events.cluster import DATE_FROM_RELATED, cluster_events, places_compatible
from newsgraph.model import DateValue, Document
from test_event_clusters import meeting, report


def dated(doc: Document, day: str) -> Document:
    doc.published = DateValue(day, "day", None, "metadata")
    return doc


def test_a_city_is_inside_its_country_and_a_region_contradicts_nothing() -> None:
    assert places_compatible("E:istanbul", "E:turkey") and places_compatible("E:turkey", "E:istanbul")
    assert places_compatible("E:europe", "E:poland")
    assert not places_compatible("E:rome", "E:muscat")
    assert not places_compatible("E:muscat", "E:italy")


def test_talks_in_a_country_and_in_its_city_are_one_event_but_two_cities_are_two() -> None:
    istanbul = dated(report("tr", "tr", meeting("V:t", "2025-07-23", location="E:istanbul")), "2025-07-23")
    turkey = dated(report("de", "de", meeting("V:d", "2025-07-23", location="E:turkey")), "2025-07-24")
    rome = dated(report("it", "it", meeting("V:i", "2025-04-19", location="E:rome")), "2025-04-19")
    muscat = dated(report("ar", "ar", meeting("V:a", "2025-04-19", location="E:muscat")), "2025-04-19")
    cluster_events([istanbul, turkey, rome, muscat])
    assert istanbul.events[0].cluster == turkey.events[0].cluster
    assert rome.events[0].cluster != muscat.events[0].cluster


def test_an_undated_report_of_talks_in_rome_joins_the_one_dated_round_there() -> None:
    """Two rounds of one pair, in Rome and in Muscat; an undated Arabic report names no place and fits
    both, so it stays apart; an undated Italian report says Rome: the Rome round is the only dated
    event it fits, and the article's other contact (with a third person) takes that day."""
    rome = dated(
        report("it-0419", "it", meeting("V:r", "2025-04-19", origin="inferred", location="E:rome")),
        "2025-04-19",
    )
    muscat = dated(
        report("es-0412", "es", meeting("V:m", "2025-04-12", origin="inferred", location="E:muscat")),
        "2025-04-12",
    )
    no_place = report("ar-undated", "ar", meeting("V:a", None))
    in_rome = report(
        "it-undated",
        "it",
        meeting("V:u", None, location="E:rome"),
        meeting("V:o", None, source="E:blinken", target="E:tajani"),
    )
    cluster_events([no_place, in_rome, rome, muscat])
    assert no_place.events[0].cluster not in {rome.events[0].cluster, muscat.events[0].cluster}
    assert no_place.events[0].date is None
    talks, other = in_rome.events
    assert talks.cluster == rome.events[0].cluster
    assert other.date == DateValue("2025-04-19", "day", None, "inferred")
    assert DATE_FROM_RELATED in other.context


def test_an_undated_report_in_a_city_joins_the_meeting_its_country_names() -> None:
    """A Polish report dated in the text names Poland; an undated English one names Warsaw: one visit."""
    poland = dated(report("pl", "pl", meeting("V:p", "2025-05-07", location="E:poland")), "2025-05-07")
    warsaw = report("en", "en", meeting("V:w", None, location="E:warsaw"))
    cluster_events([poland, warsaw])
    assert warsaw.events[0].cluster == poland.events[0].cluster
    assert warsaw.events[0].date == DateValue("2025-05-07", "day", None, "inferred")

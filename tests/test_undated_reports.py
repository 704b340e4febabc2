"""Undated reports and undated documents in clusters: dated reports settle the clusters first, so the
order documents come in changes nothing; an undated report follows its own article's report of the
same pair; an article without a publication date takes the day of the contacts it shares with dated
reports (flagged), and announcements in it stay undated. Reports written for these tests (fr, de,
pl, es)."""

from __future__ import annotations

from newsgraph.events.cluster import DATE_FROM_CLUSTER, DATE_FROM_RELATED, cluster_events
from newsgraph.model import DateValue, Document
from test_event_clusters import meeting, report


def dated(doc: Document, day: str) -> Document:
    doc.published = DateValue(day, "day", None, "metadata")
    return doc


def test_a_dated_report_joins_the_dated_cluster_even_after_an_undated_article() -> None:
    undated = report("pl-undated", "pl", meeting("V:u", None))
    first = dated(report("fr-may", "fr", meeting("V:m", "2025-05-16", origin="inferred")), "2025-05-16")
    second = dated(report("de-may", "de", meeting("V:d", "2025-05-16", origin="inferred")), "2025-05-16")
    june = dated(report("es-june", "es", meeting("V:j", "2025-06-02", origin="inferred")), "2025-06-02")
    cluster_events([undated, first, second, june])
    assert first.events[0].cluster == second.events[0].cluster != june.events[0].cluster
    # two dated meetings fit the undated report: it joins neither, and its article gets no day
    assert undated.events[0].cluster not in {first.events[0].cluster, june.events[0].cluster}
    assert undated.events[0].date is None


def test_two_undated_reports_of_one_article_are_one_event() -> None:
    may = dated(report("fr-may", "fr", meeting("V:m", "2025-05-16", origin="inferred")), "2025-05-16")
    june = dated(report("es-june", "es", meeting("V:j", "2025-06-02", origin="inferred")), "2025-06-02")
    undated = report("de-undated", "de", meeting("V:t", None), meeting("V:b", None))
    cluster_events([undated, may, june])
    title, body = undated.events
    assert title.cluster == body.cluster
    assert title.cluster not in {may.events[0].cluster, june.events[0].cluster}


def test_an_undated_article_takes_the_day_of_the_contact_it_shares() -> None:
    dated_report = dated(report("it-1", "it", meeting("V:i", "2025-04-19", origin="inferred")), "2025-04-19")
    undated = report(
        "fr-2",
        "fr",
        meeting("V:f", None),
        meeting("V:o", None, source="E:araghchi", target="E:tajani"),
        meeting("V:p", None, source="E:araghchi", target="E:lavrov", context=["future"]),
    )
    cluster_events([dated_report, undated])
    shared, other, announced = undated.events
    assert shared.cluster == dated_report.events[0].cluster
    assert shared.date == DateValue("2025-04-19", "day", None, "inferred")
    assert DATE_FROM_CLUSTER in shared.context
    assert other.date == DateValue("2025-04-19", "day", None, "inferred")
    assert DATE_FROM_RELATED in other.context
    assert announced.date is None  # an announcement is not dated by the article's day


def test_a_dated_article_passes_no_inferred_day_to_another_dated_article() -> None:
    first = dated(report("fr-1", "fr", meeting("V:1", "2025-04-19", origin="inferred")), "2025-04-19")
    later = dated(report("de-2", "de", meeting("V:2", "2025-04-21", origin="inferred")), "2025-04-21")
    cluster_events([first, later])
    assert first.events[0].cluster == later.events[0].cluster
    assert later.events[0].date == DateValue("2025-04-21", "day", None, "inferred")  # its own anchor stays


def test_an_undated_article_takes_no_day_from_a_cluster_of_one_actor() -> None:
    lone = Document("pl-1", "A report. " * 3, lang="pl", sentences=[(0, 9)])
    dated_lone = dated(report("es-1", "es", meeting("V:e", "2025-04-19", origin="inferred")), "2025-04-19")
    dated_lone.events[0].target = []
    lone.events = [meeting("V:l", None)]
    lone.events[0].target = []
    cluster_events([dated_lone, lone])
    assert lone.events[0].cluster == dated_lone.events[0].cluster
    assert lone.events[0].date is None

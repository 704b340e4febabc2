"""Event clusters across documents and languages, their persistence, and actor timelines."""

from __future__ import annotations

import pytest

from newsgraph.events.cluster import (
    DATE_FROM_CLUSTER,
    ClusterIndex,
    ClusterMember,
    EventCluster,
    cluster_events,
    consensus_date,
)
from newsgraph.events.dates import day_interval
from newsgraph.events.timeline import timeline
from newsgraph.model import DateValue, Document, Event
from test_events import extracted


def report(doc_id: str, lang: str, *events: Event) -> Document:
    text = "A report. " * 3
    doc = Document(doc_id, text, lang=lang, sentences=[(0, 9)])
    doc.events = list(events)
    return doc


def meeting(
    event_id: str,
    date: str | None,
    origin: str = "text",
    type_: str = "CONSULT",
    mode: str | None = "meet",
    source: str = "E:blinken",
    target: str = "E:herzog",
    **kwargs: object,
) -> Event:
    value = DateValue(date, "day" if date and len(date) == 10 else "month", None, origin) if date else None
    return Event(
        id=event_id,
        type=type_,
        mode=mode,
        source=[source],
        target=[target],
        date=value,
        sentence=(0, 9),
        **kwargs,
    )  # type: ignore[arg-type]


def test_a_french_and_a_russian_report_of_one_meeting_make_one_cluster() -> None:
    """End to end: the extractor's events, with the global ids the resolver would give."""
    fr = extracted(
        "Antony Blinken a rencontré Benjamin Netanyahu lundi à Tel Aviv.",
        "fr",
        times={"lundi": "2023-11-06"},
        published="2023-11-07",
    )
    ru = extracted("Нетаньяху принял Блинкена в Тель-Авиве.", "ru", published="2023-11-08")
    fr.doc_id, ru.doc_id = "fr-1", "ru-1"
    clusters = cluster_events([fr, ru])
    consult = [c for c in clusters if c.type == "CONSULT"]
    assert len(consult) == 1
    cluster = consult[0]
    assert cluster.actors == ("E:blinken", "E:netanyahu")
    assert (cluster.reports, cluster.languages) == (2, ["fr", "ru"])
    assert cluster.date == DateValue("2023-11-06", "day", None, "text")
    assert cluster.source == ["E:blinken"]  # the guest in Russian, the subject in French
    ru_event = next(e for e in ru.events if e.type == "CONSULT")
    assert ru_event.cluster == cluster.id
    assert ru_event.date == DateValue("2023-11-06", "day", None, "inferred")  # inherited
    assert DATE_FROM_CLUSTER in ru_event.context


def test_two_meetings_of_the_same_pair_a_month_apart_are_two_clusters() -> None:
    docs = [
        report("a", "fr", meeting("V:a", "2023-10-12")),
        report("b", "en", meeting("V:b", "2023-11-13")),
        report(
            "c", "ru", meeting("V:c", "2023-11-14", origin="inferred", source="E:herzog", target="E:blinken")
        ),
    ]
    clusters = cluster_events(docs)
    assert len(clusters) == 2
    by_doc = {d.doc_id: d.events[0].cluster for d in docs}
    assert by_doc["a"] != by_doc["b"] == by_doc["c"]  # roles do not matter, the later report joins
    assert docs[2].events[0].date == DateValue("2023-11-13", "day", None, "inferred")


def test_incompatible_modes_types_or_places_stay_apart() -> None:
    docs = [
        report("a", "en", meeting("V:a", "2023-11-06", mode="phone")),
        report("b", "en", meeting("V:b", "2023-11-06", mode="visit")),
        report("c", "en", meeting("V:c", "2023-11-06", mode="meet")),
        report("d", "en", meeting("V:d", "2023-11-06", type_="SUPPORT", mode=None)),
        report("e", "en", meeting("V:e", "2023-11-06", mode="visit", location="E:paris")),
        report("f", "en", meeting("V:f", "2023-11-06", mode="visit", location="E:rome")),
    ]
    cluster_events(docs)
    ids = [d.events[0].cluster for d in docs]
    assert ids[1] == ids[2] == ids[4]  # "meet" and "visit" can be one event; one place given
    assert len({ids[0], ids[1], ids[3], ids[5]}) == 4


def test_negated_hypothetical_and_anonymous_events_are_not_clustered() -> None:
    docs = [
        report(
            "a",
            "en",
            meeting("V:a", "2023-11-06", negated=True),
            meeting("V:b", "2023-11-06", context=["hypothetical"]),
            Event(id="V:c", type="CONSULT", source_spans=[(0, 1)]),
        )
    ]
    assert cluster_events(docs) == []
    assert all(e.cluster is None for e in docs[0].events)


def test_a_report_with_an_unidentified_participant_stays_alone() -> None:
    def support(event_id: str) -> Event:  # "his country supports Israel": who supports is unknown
        return Event(
            id=event_id,
            type="SUPPORT",
            target=["E:israel"],
            source_spans=[(0, 3)],
            target_spans=[(4, 8)],
            date=DateValue("2023-11-01", "day", None, "inferred"),
        )

    docs = [report("a", "fr", support("V:a")), report("b", "ru", support("V:b"))]
    clusters = cluster_events(docs)
    assert len(clusters) == 2 and all(c.closed and c.actors == ("E:israel",) for c in clusters)
    assert EventCluster.from_data(clusters[0].to_data()).closed


def test_the_index_persists_and_later_reports_join_with_stable_ids() -> None:
    index = ClusterIndex()
    first = report("a", "fr", meeting("V:a", "2023-11-06"))
    [cluster] = cluster_events([first], index)
    stored = ClusterIndex.from_data(index.to_data())
    assert [c.to_data() for c in stored.clusters()] == [cluster.to_data()]
    later = report("b", "ru", meeting("V:b", "2023-11-09", origin="inferred"))
    [joined] = cluster_events([later], stored)
    assert joined.id == cluster.id == later.events[0].cluster
    assert joined.reports == 2 and len(stored) == 1 and stored.changed() == [joined]
    again = cluster_events([report("b", "ru", meeting("V:b", "2023-11-09", origin="inferred"))], stored)
    assert again[0].reports == 2  # a document seen twice is one report


def test_consensus_prefers_the_most_precise_then_the_most_reported_date() -> None:
    dates = [
        DateValue("2023-11", "month", None, "text"),
        DateValue("2023-11-06", "day", None, "text"),
        DateValue("2023-11-06", "day", None, "text"),
        DateValue("2023-11-07", "day", None, "text"),
        DateValue("2023-11-08", "day", None, "inferred"),
    ]
    cluster = EventCluster("C:x", "CONSULT", ("E:a",))
    for k, value in enumerate(dates):
        cluster.add(member(k, value), day_interval(value))
    assert cluster.date == DateValue("2023-11-06", "day", None, "text")
    only_inferred = [
        member(0, DateValue("2023-11-09", "day", None, "inferred")),
        member(1, DateValue("2023-11-08", "day", None, "inferred")),
    ]
    assert consensus_date(only_inferred) == DateValue("2023-11-08", "day", None, "inferred")


def member(k: int, value: DateValue) -> ClusterMember:
    return ClusterMember(f"d{k}", f"V:{k}", "en", value, "", ["E:a"], [])


@pytest.mark.parametrize(
    ("value", "future", "days"),
    [
        (DateValue("2023-11-06", "day", None, "text"), False, ("2023-11-05", "2023-11-07")),
        (DateValue("2023-11", "month", None, "text"), False, ("2023-11-01", "2023-11-30")),
        (DateValue("2023-11-06", "day", None, "inferred"), False, ("2023-10-30", "2023-11-07")),
        (DateValue("2023-11-06", "day", None, "inferred"), True, ("2023-11-06", "2023-12-06")),
    ],
)
def test_date_tolerance_depends_on_precision_and_origin(
    value: DateValue, future: bool, days: tuple[str, str]
) -> None:
    interval = day_interval(value, future)
    assert interval is not None and (interval[0].isoformat(), interval[1].isoformat()) == days


def test_timeline_of_an_actor() -> None:
    docs = [
        report(
            "a",
            "fr",
            meeting("V:a", "2023-10-12"),
            meeting("V:p", "2023-10-20", mode="phone", target="E:lavrov"),
        ),
        report(
            "b", "en", meeting("V:b", "2023-11-13"), meeting("V:s", "2023-11-13", type_="SUPPORT", mode=None)
        ),
        report("c", "ru", meeting("V:c", "2023-11-13", origin="inferred")),
    ]
    clusters = cluster_events(docs)
    rows = timeline(clusters, "E:blinken")
    assert [(r.date.value if r.date else None, r.type) for r in rows] == [
        ("2023-10-12", "CONSULT"),
        ("2023-10-20", "CONSULT"),
        ("2023-11-13", "CONSULT"),
        ("2023-11-13", "SUPPORT"),
    ]
    november = timeline(clusters, "E:blinken", with_actor="E:herzog", type="consult", since="2023-11")
    assert len(november) == 1
    row = november[0]
    assert (row.reports, row.languages) == (2, ("en", "ru"))
    assert (row.source, row.target) == (("E:blinken",), ("E:herzog",))
    assert row.evidence[0] == ("b", "A report.")
    early = timeline(clusters, "E:blinken", until="2023-10-15")
    assert [r.date.value for r in early if r.date] == ["2023-10-12"]
    assert timeline(clusters, "E:lavrov", with_actor="E:herzog") == []
    with pytest.raises(ValueError, match="not a date"):
        timeline(clusters, "E:blinken", since="last week")


def test_extracted_events_of_one_document_join_one_cluster() -> None:
    doc = extracted(
        "Blinken met Herzog on Monday. Blinken and Herzog discussed the war.",
        "en",
        times={"Monday": "2023-11-06"},
        published="2023-11-07",
    )
    [cluster] = cluster_events([doc])
    assert len(cluster.members) == 2 and cluster.reports == 1
    assert all(e.date and e.date.value == "2023-11-06" for e in doc.events)

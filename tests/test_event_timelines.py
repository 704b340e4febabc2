"""Clusters and timelines that hold on reports in several languages: a call and a meeting stay apart,
two meetings of one pair stay apart, an undated report joins only a cluster it cannot mistake, a
cluster's date is the consensus of its dated reports, planned events are shown apart and timelines
keep the events above a confidence threshold. Sentences written for these tests."""

from __future__ import annotations

import re

from newsgraph.events.cluster import DATE_FROM_CLUSTER, cluster_events
from newsgraph.events.extract import extract_events
from newsgraph.events.timeline import timeline
from newsgraph.language.syntax import analyse
from newsgraph.model import DateValue, Document, Event, Mention
from newsgraph.times import find_times
from test_events import SETTINGS, document

# names these fixtures use beyond those of test_events (entity ids as the resolver would give them)
MORE_NAMES = {"Duda": "duda", "Zelensky": "zelensky", "Zełenski": "zelensky", "Zełenskiego": "zelensky"}


def report(doc_id: str, text: str, lang: str, read_times: bool = False, **kwargs: object) -> Document:
    """A document with its names (those of test_events and `MORE_NAMES`) and its events; its time
    expressions given as `times=`, or read by the times stage."""
    doc = document(text, lang, **kwargs)  # type: ignore[arg-type]
    if read_times:
        doc.times = find_times(doc)
    for name, entity in MORE_NAMES.items():
        for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if not any(m.start < found.end() and found.start() < m.end for m in doc.mentions):
                doc.mentions.append(Mention(found.start(), found.end(), name, "PER", f"E:{entity}"))
    doc.mentions.sort(key=lambda m: m.start)
    doc.events = extract_events(doc, analyse(doc, SETTINGS))
    doc.doc_id = doc_id
    return doc


def consult(doc: Document) -> Event:
    [event] = [e for e in doc.events if e.type == "CONSULT"]
    return event


def test_a_call_and_a_meeting_of_one_pair_on_one_day_are_two_events() -> None:
    call = report("ru", "Лавров провел телефонный разговор с Ван И.", "ru", published="2024-03-06")
    meeting_de = report(
        "de", "Lavrov traf Wang Yi am Montag in Peking.", "de", times={"Montag": "2024-03-04"}
    )
    meeting_en = report(
        "en", "Lavrov met Wang Yi in Beijing on Monday.", "en", times={"Monday": "2024-03-04"}
    )
    assert consult(call).mode == "phone"
    cluster_events([call, meeting_de, meeting_en])
    assert consult(meeting_de).cluster == consult(meeting_en).cluster != consult(call).cluster


def test_two_meetings_of_one_pair_stay_apart_and_an_undated_report_joins_neither() -> None:
    january = report("uk", "Зеленський зустрівся з Дудою у Варшаві.", "uk", published="2024-01-10")
    february = report("pl", "Duda spotkał się z Zełenskim w Warszawie.", "pl", published="2024-02-20")
    undated = report("es", "Zelensky se reunió con Duda en Varsovia.", "es")
    clusters = cluster_events([january, february, undated])
    assert len({consult(d).cluster for d in (january, february)}) == 2
    assert consult(undated).cluster not in {consult(d).cluster for d in (january, february)}
    assert consult(undated).date is None  # no day leaks from either meeting
    assert len(clusters) == 3


def test_an_undated_report_joins_the_meeting_on_the_weekday_it_names() -> None:
    """Three meetings of one pair; an undated German report says "am Mittwoch": only one fell on a
    Wednesday. "Gestern" (yesterday) cannot tell, and joins none."""
    meetings = [
        report("en", "Lavrov met Wang Yi in Beijing on Monday.", "en", times={"Monday": "2024-03-04"}),
        report("ru", "Лавров встретился с Ван И в среду.", "ru", times={"среду": "2024-03-13"}),
        report("fr", "Lavrov a rencontré Wang Yi vendredi.", "fr", times={"vendredi": "2024-03-22"}),
    ]
    wednesday = report("de-1", "Lavrov traf Wang Yi am Mittwoch in Peking.", "de", read_times=True)
    yesterday = report("de-2", "Lavrov traf Wang Yi gestern in Peking.", "de", read_times=True)
    assert consult(wednesday).date is not None and consult(wednesday).date.value is None  # no anchor
    cluster_events([*meetings, wednesday, yesterday])
    assert consult(wednesday).cluster == consult(meetings[1]).cluster
    assert consult(wednesday).date == DateValue("2024-03-13", "day", None, "inferred")
    assert consult(yesterday).cluster not in {consult(d).cluster for d in meetings}
    assert consult(yesterday).date is not None and consult(yesterday).date.value is None


def test_an_undated_report_of_the_only_meeting_takes_its_date_flagged_as_inferred() -> None:
    dated = report("en", "Lavrov met Wang Yi in Beijing on Monday.", "en", times={"Monday": "2024-03-04"})
    undated = report("es", "Lavrov se reunió con Wang Yi en Pekín.", "es")
    cluster_events([dated, undated])
    event = consult(undated)
    assert event.cluster == consult(dated).cluster
    assert event.date == DateValue("2024-03-04", "day", None, "inferred")
    assert DATE_FROM_CLUSTER in event.context


def test_the_cluster_date_is_the_consensus_of_its_dated_reports() -> None:
    """Two reports read Monday, one misreads Sunday (±1 day still fits): the cluster keeps Monday."""
    docs = [
        report("a", "Lavrov met Wang Yi in Beijing on Monday.", "en", times={"Monday": "2024-03-04"}),
        report(
            "b",
            "Лавров встретился с Ван И в Пекине в понедельник.",
            "ru",
            times={"понедельник": "2024-03-04"},
        ),
        report("c", "Lavrov traf Wang Yi am Sonntag in Peking.", "de", times={"Sonntag": "2024-03-03"}),
    ]
    [cluster] = [c for c in cluster_events(docs) if c.type == "CONSULT"]
    assert cluster.reports == 3 and cluster.date == DateValue("2024-03-04", "day", None, "text")


def test_planned_meetings_are_shown_apart_with_their_intended_day() -> None:
    held = report("fr", "Lavrov a rencontré Wang Yi lundi à Pékin.", "fr", times={"lundi": "2024-03-04"})
    planned = report(
        "en",
        "Scholz will meet Macron on Friday.",
        "en",
        times={"Friday": "2024-03-08"},
        published="2024-03-06",
    )
    past = report("de", "Scholz traf Macron am Montag in Paris.", "de", times={"Montag": "2024-03-04"})
    clusters = cluster_events([held, planned, past])
    rows = timeline(clusters, "E:scholz", type="CONSULT")
    assert [(r.planned, r.date.value if r.date else None) for r in rows] == [
        (False, "2024-03-04"),
        (True, "2024-03-08"),
    ]
    assert not timeline(clusters, "E:lavrov")[0].planned


def test_the_timeline_keeps_events_above_the_confidence_threshold() -> None:
    sure = report("en", "Lavrov met Wang Yi in Beijing on Monday.", "en", times={"Monday": "2024-03-04"})
    window = report("pl", "Tusk spotkał się z Zełenskim w Warszawie.", "pl", published="2024-02-20")
    clusters = cluster_events([sure, window])
    weaker = consult(window).confidence
    assert consult(sure).confidence > weaker
    assert timeline(clusters, "E:tusk", min_confidence=weaker) != []
    assert timeline(clusters, "E:tusk", min_confidence=weaker + 0.01) == []
    assert len(timeline(clusters, "E:lavrov", min_confidence=weaker + 0.01)) == 1


def test_an_event_its_text_dates_after_publication_is_planned_whatever_its_tense() -> None:
    """The future is read off the date when the verb says nothing the extractor knows ("se reunirá")."""
    ahead = report(
        "es",
        "Sánchez se reunirá con Macron el viernes en Madrid.",
        "es",
        times={"viernes": "2024-03-08"},
        published="2024-03-06",
    )
    done = report(
        "en",
        "Scholz met Macron in Paris on Monday.",
        "en",
        times={"Monday": "2024-03-04"},
        published="2024-03-06",
    )
    clusters = cluster_events([ahead, done])
    assert "planned" in consult(ahead).context and "planned" not in consult(done).context
    [row] = timeline(clusters, "E:sanchez", type="CONSULT")
    assert row.planned and row.date == DateValue("2024-03-08", "day", None, "text")

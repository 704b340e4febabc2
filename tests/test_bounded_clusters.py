"""The corpus pass reads from the store only the event clusters a batch's reports could join
(`StoredClusterIndex`): per (type, actors) block, the clusters with no window and those whose window
overlaps a dated report's days, plus, for an undated report, enough of the block's other dated
clusters to tell whether exactly one fits. Each scenario below is clustered batch by batch against a
store twice, with that bounded lookup and with every stored cluster of the block (the lookup before),
and must give the same clusters, dates and stored rows. The pairs meet years apart, so the bounded
lookup leaves most of each block unread. Reports written for these tests (en, de, fr, ru, es, pl)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsgraph.events.cluster import (
    WIDEST_WINDOW_DAYS,
    ClusterIndex,
    StoredClusterIndex,
    block_key,
    cluster_events,
)
from newsgraph.events.dates import day_interval
from newsgraph.model import DateValue, Document
from newsgraph.store import Store
from newsgraph.store.db import merged
from newsgraph.store.schema import MIGRATIONS, migrate
from test_event_clusters import meeting
from test_event_clusters import report as bare_report
from test_event_timelines import report

Scenario = Callable[[], list[list[Document]]]  # fresh documents (clustering fills them in), in batches


def dated(doc: Document, day: str) -> Document:
    doc.published = DateValue(day, "day", None, "metadata")
    return doc


def yearly(pair: tuple[str, str] = ("E:blinken", "E:herzog")) -> list[Document]:
    """Meetings of one pair, one a year (and a phone call), each read to its day in its text."""
    source, target = pair
    days = ["2019-03-05", "2020-07-14", "2021-06-10", "2022-01-19", "2023-11-13", "2024-05-02"]
    docs = [
        dated(bare_report(f"y-{day}", "en", meeting(f"V:{day}", day, source=source, target=target)), day)
        for day in days
    ]
    call = meeting("V:call", "2022-09-01", mode="phone", source=source, target=target)
    docs.append(dated(bare_report("y-call", "fr", call), "2022-09-02"))
    return docs


def years_apart() -> list[list[Document]]:
    """A pair that met every year: a later report of the 2023 meeting joins it; a report known only to
    the month joins the one meeting of that month; an undated report fits six meetings and joins none;
    an undated report of a call joins the one call, three years before; a meeting announced for later
    stays apart and planned."""
    later = dated(bare_report("de-2023", "de", meeting("V:d", "2023-11-14", origin="inferred")), "2023-11-14")
    month = dated(bare_report("pl-may", "pl", meeting("V:p", "2024-05")), "2024-05-20")
    undated = bare_report("es-undated", "es", meeting("V:u", None))
    call = bare_report("ru-call", "ru", meeting("V:c", None, mode="phone"))
    announced = dated(bare_report("fr-plan", "fr", meeting("V:f", "2025-02-03")), "2025-01-20")
    return [*([doc] for doc in yearly()), [later, month], [undated, call], [announced]]


def named_weekday() -> list[list[Document]]:
    """Meetings of one pair on Mondays and on one Wednesday, years apart: an undated German report
    that says "am Mittwoch" joins the Wednesday meeting; "gestern" cannot tell and joins none; a
    second Wednesday meeting stored later makes "am Mittwoch" fit two."""
    meetings = [
        report("en-a", "Lavrov received Wang Yi in Moscow on Monday.", "en", times={"Monday": "2021-03-22"}),
        report("fr-b", "Lavrov a reçu Wang Yi lundi à Moscou.", "fr", times={"lundi": "2023-09-18"}),
        report("ru-c", "Лавров принял Ван И в среду в Москве.", "ru", times={"среду": "2024-10-16"}),
    ]
    wednesday = report("de-1", "Lavrov empfing Wang Yi am Mittwoch in Moskau.", "de", read_times=True)
    yesterday = report("de-2", "Lavrov empfing Wang Yi gestern in Moskau.", "de", read_times=True)
    again = report(
        "en-d", "Lavrov hosted Wang Yi in Moscow on Wednesday.", "en", times={"Wednesday": "2020-05-06"}
    )
    wednesday_2 = report("de-3", "Lavrov empfing Wang Yi am Mittwoch.", "de", read_times=True)
    return [[doc] for doc in meetings] + [[wednesday, yesterday], [again], [wednesday_2]]


def places_and_own_article() -> list[list[Document]]:
    """Rounds of one pair in two cities, years apart: an undated report naming one city joins the one
    round there; an undated article with two reports of the pair keeps them together; an undated
    article whose reports join a dated round takes its day for its other contacts."""
    rounds = [
        dated(bare_report("it-r", "it", meeting("V:r", "2021-04-19", location="E:rome")), "2021-04-19"),
        dated(bare_report("ar-m", "ar", meeting("V:m", "2024-04-12", location="E:muscat")), "2024-04-12"),
    ]
    in_rome = bare_report(
        "it-u",
        "it",
        meeting("V:u", None, location="E:rome"),
        meeting("V:o", None, source="E:blinken", target="E:tajani"),
    )
    twice = bare_report("de-u", "de", meeting("V:t", None), meeting("V:b", None))
    return [[rounds[0]], [rounds[1]], [in_rome, twice]]


SCENARIOS: dict[str, Scenario] = {
    "years apart": years_apart,
    "named weekday": named_weekday,
    "places and own article": places_and_own_article,
}


def whole_block(store: Store, batch: Sequence[Document]) -> ClusterIndex:
    """The lookup before: every stored cluster of the batch's blocks."""
    keys = {key for doc in batch for event in doc.events if (key := block_key(event)) is not None}
    return ClusterIndex(store.clusters_in_blocks(keys))


def bounded(store: Store, batch: Sequence[Document]) -> ClusterIndex:
    index = StoredClusterIndex(store)
    index.load(batch)
    return index


def outcome(db: Path, scenario: Scenario, lookup: Callable[[Store, Sequence[Document]], ClusterIndex]) -> Any:
    """Each report's cluster, date and context, and the stored clusters, after clustering the scenario
    batch by batch against the store at `db`."""
    reports = []
    with Store(db) as store:
        for batch in scenario():
            index = lookup(store, batch)
            cluster_events(batch, index)
            store.replace_clusters(index.changed())
            reports += [
                (d.doc_id, e.id, e.cluster, e.date, sorted(e.context)) for d in batch for e in d.events
            ]
        rows = store.conn.execute(
            "SELECT id, block, window_start, window_end, data FROM event_clusters ORDER BY id"
        ).fetchall()
    return reports, rows


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_bounded_lookup_gives_the_clusters_of_the_whole_block(name: str, tmp_path: Path) -> None:
    whole = outcome(tmp_path / "whole.db", SCENARIOS[name], whole_block)
    assert outcome(tmp_path / "bounded.db", SCENARIOS[name], bounded) == whole


def test_the_scenarios_exercise_the_rules(tmp_path: Path) -> None:
    """What the equivalence above rests on: the reports land where the rules say."""
    reports, _ = outcome(tmp_path / "s.db", years_apart, bounded)
    cluster = {event_id: cluster for _, event_id, cluster, _, _ in reports}
    assert cluster["V:d"] == cluster["V:2023-11-13"]
    assert cluster["V:p"] == cluster["V:2024-05-02"]
    assert cluster["V:u"] not in {cluster[f"V:{d}"] for d in ("2023-11-13", "2024-05-02", "2019-03-05")}
    assert cluster["V:c"] == cluster["V:call"]  # the only call, three years before
    assert cluster["V:f"] not in set(cluster.values()) - {cluster["V:f"]}
    reports, _ = outcome(tmp_path / "w.db", named_weekday, bounded)
    by_doc = {doc_id: c for doc_id, _, c, _, _ in reports if doc_id.startswith(("ru-c", "de-", "en-d"))}
    assert by_doc["de-1"] == by_doc["ru-c"]  # the one Wednesday when it was read
    assert by_doc["de-2"] != by_doc["ru-c"]
    assert by_doc["de-3"] not in {by_doc["ru-c"], by_doc["en-d"]}  # two Wednesdays by then
    reports, _ = outcome(tmp_path / "p.db", places_and_own_article, bounded)
    cluster = {event_id: c for _, event_id, c, _, _ in reports}
    assert cluster["V:u"] == cluster["V:r"] and cluster["V:t"] == cluster["V:b"] != cluster["V:m"]


def test_a_dated_batch_reads_only_the_clusters_near_its_days(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        for doc in yearly():
            index = bounded(store, [doc])
            cluster_events([doc], index)
            store.replace_clusters(index.changed())
        assert store.conn.execute("SELECT count(*) FROM event_clusters").fetchone()[0] == 7
        later = dated(
            bare_report("later", "de", meeting("V:l", "2023-11-14", origin="inferred")), "2023-11-14"
        )
        index = bounded(store, [later])
        assert [c.date.value for c in index.clusters() if c.date] == ["2023-11-13"]
        undated = bare_report("undated", "es", meeting("V:u", None))
        index = bounded(store, [undated])
        assert index.clusters() == []  # windowless ones only, and this pair has none
        cluster_events([undated], index)
        assert len(index.clusters()) == 3  # two dated meetings it fits settle it; and its own


def test_an_undated_report_of_an_article_the_store_has_returns_to_its_own_cluster(tmp_path: Path) -> None:
    """Clustering a stored article again (after a correction): its undated report's own stored
    cluster is found although the bounded lookup would not read it."""
    db_whole, db_bounded = tmp_path / "whole.db", tmp_path / "bounded.db"

    def scenario() -> list[list[Document]]:
        first = dated(bare_report("art", "en", meeting("V:a", "2023-02-02")), "2023-02-02")
        others = [
            dated(bare_report(f"other-{day}", "fr", meeting(f"V:{day}", day)), day)
            for day in ("2019-05-06", "2020-06-08")
        ]
        again = bare_report("art", "en", meeting("V:a", None))
        return [[first], others, [again]]

    for db in (db_whole, db_bounded):
        with Store(db) as store:  # the article itself is stored
            store.add_documents([Document("art", "An article the store has, with its own words.", lang="en")])
    whole = outcome(db_whole, scenario, whole_block)
    assert outcome(db_bounded, scenario, bounded) == whole
    reports, _ = whole
    assert reports[-1][2] == reports[0][2]


def test_a_window_never_spans_more_than_the_lookup_reaches() -> None:
    """The widest report intervals (a year inferred from a publication, a date announced for later)
    fit in `WIDEST_WINDOW_DAYS`, the bound of the store's range on window ends."""
    widest = [
        day_interval(DateValue("2024", "year", None, "inferred")),
        day_interval(DateValue("2024", "year", None, "text")),
        day_interval(DateValue("2024-02", "month", None, "inferred"), future=True),
        day_interval(DateValue("2024-02-29", "day", None, "inferred")),
    ]
    assert all(span is not None and (span[1] - span[0]).days <= WIDEST_WINDOW_DAYS for span in widest)


def test_overlapping_or_touching_intervals_are_read_as_one_range() -> None:
    d = date.fromisoformat
    assert merged([(d("2024-03-10"), d("2024-03-12")), (d("2024-03-01"), d("2024-03-09"))]) == [
        (d("2024-03-01"), d("2024-03-12"))
    ]
    assert len(merged([(d("2020-01-01"), d("2020-01-02")), (d("2024-01-01"), d("2024-01-02"))])) == 2


def test_a_store_written_before_v10_gets_the_windows_of_its_clusters(tmp_path: Path) -> None:
    """Migration v10 fills the window columns from each stored cluster's JSON (none for a cluster of
    undated reports), and the bounded lookup then finds the clusters stored before."""
    old = [doc for doc in yearly()[:2]]
    index = ClusterIndex()
    cluster_events(old, index)
    undated = bare_report("u", "pl", meeting("V:w", None, source="E:duda", target="E:tusk"))
    cluster_events([undated], index)
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    migrate(conn, MIGRATIONS[:8])
    for cluster in index.clusters():
        conn.execute(
            "INSERT INTO event_clusters (id, type, block, date, data) VALUES (?, ?, ?, ?, ?)",
            (
                cluster.id,
                cluster.type,
                "|".join([cluster.type, *cluster.actors]),
                None,
                json.dumps(cluster.to_data()),
            ),
        )
    assert migrate(conn) == len(MIGRATIONS)
    rows = conn.execute(
        "SELECT window_start, window_end FROM event_clusters ORDER BY window_start"
    ).fetchall()
    assert rows == [(None, None), ("2019-03-04", "2019-03-06"), ("2020-07-13", "2020-07-15")]
    conn.close()
    with Store(tmp_path / "old.db") as store:
        later = dated(bare_report("l", "en", meeting("V:l", "2020-07-15", origin="inferred")), "2020-07-15")
        assert [c.id for c in bounded(store, [later]).clusters()] == [old[1].events[0].cluster]

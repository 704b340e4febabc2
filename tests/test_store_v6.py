"""Schema v6: each event cluster keeps `planned` and `confidence` as columns (what the timeline
filters and orders on), filled from its members for clusters stored before, and written with every
cluster after."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from newsgraph.events.cluster import ClusterMember, EventCluster
from newsgraph.model import DateValue
from newsgraph.store import Store
from newsgraph.store.schema import MIGRATIONS, migrate


def meeting(cluster_id: str, planned: list[bool], confidence: list[float]) -> EventCluster:
    members = [
        ClusterMember(
            f"d{n}",
            f"V:{n}",
            "it",
            DateValue("2025-05-02", "day"),
            "Meloni ha incontrato Tusk.",
            ["E:meloni"],
            ["E:tusk"],
            "meet",
            None,
            c,
            p,
        )
        for n, (p, c) in enumerate(zip(planned, confidence, strict=True))
    ]
    found = EventCluster(cluster_id, "CONSULT", ("E:meloni", "E:tusk"), members)
    found.settle()
    return found


def test_clusters_stored_before_v6_get_their_columns_from_their_members(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, MIGRATIONS[:5])
    for cluster in (
        meeting("C:held", [True, False], [0.4, 0.9]),
        meeting("C:announced", [True, True], [0.7, 0.2]),
    ):
        conn.execute(
            "INSERT INTO event_clusters (id, type, block, date, data) VALUES (?, ?, ?, ?, ?)",
            (cluster.id, cluster.type, "b", "2025-05-02", json.dumps(cluster.to_data())),
        )
    assert migrate(conn) == len(MIGRATIONS)
    rows = conn.execute("SELECT id, planned, confidence FROM event_clusters ORDER BY id").fetchall()
    assert rows == [("C:announced", 1, 0.7), ("C:held", 0, 0.9)]


def test_every_cluster_written_keeps_its_columns(tmp_path: Path) -> None:
    with Store(tmp_path / "new.db") as store:
        store.add_documents([], clusters=[meeting("C:one", [False], [0.55]), meeting("C:two", [True], [0.3])])
        rows = store.conn.execute("SELECT id, planned, confidence FROM event_clusters ORDER BY id").fetchall()
    assert rows == [("C:one", 0, 0.55), ("C:two", 1, 0.3)]
